/** A tiny node:http server whose every answer the test scripts exactly, and which verifies signatures. */
import * as http from "http";
import type { AddressInfo } from "net";
import { buildCanonicalRequest, parseAuthorization, signatureFor } from "../../../provider/client/signer";

export interface SeenRequest {
    method: string;
    path: string;
    query: Record<string, string | string[]>;
    headers: http.IncomingHttpHeaders;
    body: string;
    signatureValid: boolean;
}

/** What to do with one request: answer, reset the socket, or hang. */
export type Script =
    | { status: number; body?: unknown; headers?: Record<string, string> }
    | { reset: true }
    | { hang: true }
    /** Status and headers, half of the body, then the connection closes. */
    | { cut: true }
    /** Status and headers, then one byte of the body every `everyMs`, never ending. */
    | { trickle: true; everyMs: number };

export interface FakeServer {
    url: string;
    port: number;
    seen: SeenRequest[];
    /** Answers for the next requests, in order; when empty, `fallback` answers. */
    queue: Script[];
    fallback: (req: SeenRequest) => Script;
    close(): Promise<void>;
}

export async function startFakeServer(secretKey: string, fallback?: (req: SeenRequest) => Script): Promise<FakeServer> {
    const sockets = new Set<import("net").Socket>();
    let n = 0;
    const state: FakeServer = {
        url: "",
        port: 0,
        seen: [],
        queue: [],
        fallback: fallback ?? (() => ({ status: 200, body: {} })),
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise<void>((r) => server.close(() => r()));
        },
    };
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            const url = new URL(req.url ?? "/", "http://x");
            const query: Record<string, string | string[]> = {};
            for (const [k, v] of url.searchParams) {
                const prev = query[k];
                query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
            }
            const seen: SeenRequest = {
                method: req.method ?? "",
                path: url.pathname,
                query,
                headers: req.headers,
                body,
                signatureValid: verify(req, url.pathname, query, body, secretKey),
            };
            state.seen.push(seen);
            const script = state.queue.shift() ?? state.fallback(seen);
            if ("reset" in script) {
                req.socket.destroy();
                return;
            }
            if ("hang" in script) return;
            if ("cut" in script) {
                res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "40" });
                res.write('{"id": "cut-');
                setTimeout(() => req.socket.destroy(), 20);
                return;
            }
            if ("trickle" in script) {
                res.writeHead(200, { "Content-Type": "application/json" });
                const timer = setInterval(() => res.write(" "), script.everyMs);
                res.on("close", () => clearInterval(timer));
                return;
            }
            const text = script.body === undefined ? "" : JSON.stringify(script.body);
            res.writeHead(script.status, {
                "Content-Type": "application/json",
                "X-Request-Id": `req-${++n}`,
                ...(script.headers ?? {}),
            });
            res.end(text);
        });
    });
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    state.port = (server.address() as AddressInfo).port;
    state.url = `http://127.0.0.1:${state.port}`;
    return state;
}

function verify(
    req: http.IncomingMessage,
    path: string,
    query: Record<string, string | string[]>,
    body: string,
    secretKey: string,
): boolean {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return false;
    const headers: Record<string, string> = {};
    for (const h of auth.signedHeaders) headers[h] = String(req.headers[h] ?? "");
    // The server sees the raw (escaped) path; the signer is given the wire path.
    const rawPath = (req.url ?? "/").split("?")[0];
    void path;
    const { canonicalRequest } = buildCanonicalRequest({
        method: req.method ?? "",
        wirePath: rawPath,
        query: Object.keys(query).length ? query : undefined,
        headers,
        body,
    });
    return signatureFor(secretKey, String(req.headers["x-sdk-date"]), canonicalRequest) === auth.signature;
}
