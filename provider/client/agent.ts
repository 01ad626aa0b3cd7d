/**
 * The HTTP agent of a client: direct, or through the proxy named by `HTTPS_PROXY` / `HTTP_PROXY`
 * (`ALL_PROXY`), unless `NO_PROXY` matches the endpoint. Upper- and lower-case names are both read
 * (lower case first), with `proxy-from-env`'s rules (those of axios and request).
 *
 * - HTTPS endpoint: a CONNECT tunnel through the proxy (`https-proxy-agent`); TLS runs end to end
 *   with the endpoint, so the proxy never sees the signed headers or the bodies.
 * - HTTP endpoint (the emulator, a plain-HTTP gateway): the request is sent to the proxy with its
 *   absolute URL (`http-proxy-agent`).
 *
 * Every agent keeps connections alive and fails with ECONNECTTIMEOUT (nothing sent, so even a POST
 * may be retried) when the connection is not up in time; through a proxy that covers the TCP
 * connection to the proxy, the CONNECT exchange and the TLS handshake with the endpoint.
 *
 * `insecure` turns off TLS certificate verification of the endpoint. Extra CA certificates are
 * Node's own business: `NODE_EXTRA_CA_CERTS=/path/bundle.pem` applies to every TLS connection here.
 */
import * as http from "http";
import * as https from "https";
import type { Socket } from "net";
import { HttpProxyAgent } from "http-proxy-agent";
import { HttpsProxyAgent } from "https-proxy-agent";

// proxy-from-env ships no type declarations.
const { getProxyForUrl } = require("proxy-from-env") as { getProxyForUrl(url: string): string };

export interface AgentChoice {
    agent: http.Agent;
    /** The proxy used, credentials masked (`http://proxy.corp:3128`), or undefined when direct. */
    proxy?: string;
}

/** The proxy `process.env` names for this URL (`""` when none, or when NO_PROXY matches). */
export function proxyForUrl(url: string): string {
    return getProxyForUrl(url);
}

/** A proxy URL safe to print: user and password replaced. */
export function maskProxyUrl(proxy: string): string {
    try {
        const u = new URL(proxy);
        if (u.username || u.password) {
            u.username = "***";
            u.password = "";
        }
        return u.toString().replace(/\/$/, "");
    } catch {
        return "(unparsable proxy URL)";
    }
}

function connectTimeoutError(ms: number): Error {
    return Object.assign(new Error(`connect timeout after ${ms} ms`), { code: "ECONNECTTIMEOUT" });
}

/** Destroys `socket` with ECONNECTTIMEOUT if it is still connecting after `ms`. */
function guardConnecting(socket: Socket, ms: number): void {
    if (!socket || !socket.connecting) return;
    const timer = setTimeout(() => socket.destroy(connectTimeoutError(ms)), ms);
    timer.unref?.();
    const clear = () => clearTimeout(timer);
    socket.once("connect", clear);
    socket.once("close", clear);
}

/**
 * Kept-alive connections are closed by the client after `idleSocketTimeoutMs` idle (Node's agent
 * `timeout`, which applies to free sockets; a request in flight runs on its own timeout), below the
 * keep-alive of common servers (Node's 5 s, load balancers' 60 s). Otherwise a request can leave on
 * a connection at the moment the server closes it: the server resets it with the request unread,
 * and a POST whose answer is lost that way turns a create into a lost-answer search (seen under load
 * against the emulator's 5 s keep-alive).
 */
function keepAlive(idleSocketTimeoutMs: number): { keepAlive: true; timeout: number } {
    return { keepAlive: true, timeout: idleSocketTimeoutMs };
}

/** The direct agent: Node's own, with a connect timeout on its sockets. */
function directAgent(secure: boolean, connectTimeoutMs: number, idleSocketTimeoutMs: number, insecure: boolean): http.Agent {
    const agent = secure
        ? new https.Agent({ ...keepAlive(idleSocketTimeoutMs), rejectUnauthorized: !insecure })
        : new http.Agent(keepAlive(idleSocketTimeoutMs));
    const a = agent as unknown as { createConnection: (...args: unknown[]) => Socket };
    const create = a.createConnection.bind(agent);
    a.createConnection = (...args: unknown[]) => {
        const socket = create(...args);
        guardConnecting(socket, connectTimeoutMs);
        return socket;
    };
    return agent;
}

type Connect = (req: http.ClientRequest, opts: Record<string, unknown>) => Promise<Socket> | Socket;

/**
 * Wraps a proxy agent's `connect` (agent-base): a deadline on the whole connection set-up, and the
 * endpoint's TLS options (https-proxy-agent upgrades the tunnel with the request's options only).
 */
function guardProxyAgent<A extends http.Agent>(agent: A, connectTimeoutMs: number, tls: Record<string, unknown>): A {
    const target = agent as unknown as { connect: Connect };
    const connect = target.connect.bind(agent);
    target.connect = (req, opts) =>
        new Promise<Socket>((resolve, reject) => {
            let settled = false;
            const timer = setTimeout(() => {
                settled = true;
                reject(connectTimeoutError(connectTimeoutMs));
            }, connectTimeoutMs);
            timer.unref?.();
            Promise.resolve()
                .then(() => connect(req, { ...opts, ...tls }))
                .then(
                    (socket) => {
                        clearTimeout(timer);
                        if (settled) {
                            socket.destroy();
                            return;
                        }
                        settled = true;
                        // http-proxy-agent hands back a socket still connecting to the proxy.
                        guardConnecting(socket, connectTimeoutMs);
                        resolve(socket);
                    },
                    (err) => {
                        clearTimeout(timer);
                        if (!settled) {
                            settled = true;
                            reject(err);
                        }
                    },
                );
        });
    return agent;
}

/** The agent for `endpoint`, honouring the proxy environment variables of this process. */
export function agentFor(endpoint: string, options: { connectTimeoutMs: number; idleSocketTimeoutMs: number; insecure?: boolean }): AgentChoice {
    const secure = new URL(endpoint).protocol === "https:";
    const insecure = options.insecure === true;
    const proxy = proxyForUrl(endpoint);
    if (!proxy) return { agent: directAgent(secure, options.connectTimeoutMs, options.idleSocketTimeoutMs, insecure) };
    const tls = secure ? { rejectUnauthorized: !insecure } : {};
    const agent = secure
        ? guardProxyAgent(new HttpsProxyAgent(proxy, keepAlive(options.idleSocketTimeoutMs)), options.connectTimeoutMs, tls)
        : guardProxyAgent(new HttpProxyAgent(proxy, keepAlive(options.idleSocketTimeoutMs)), options.connectTimeoutMs, tls);
    return { agent, proxy: maskProxyUrl(proxy) };
}
