/**
 * A tiny signed HTTP client for tests against the emulator (or anything speaking the ModelArts
 * API): signs with the provider's signer and sends with node:http, exposing the raw wire parts so
 * a test can tamper with them after signing.
 */
import * as http from "http";
import { signRequest, signingEncode } from "../../provider/client/signer";

export interface WireRequest {
    method: string;
    /** Path as sent (percent-escaped), without the query. */
    path: string;
    /** Raw query string without "?". */
    query: string;
    body: string;
    headers: Record<string, string>;
}

export interface CallOptions {
    method: string;
    /** Wire path from the root, e.g. `/v1/<project>/dev-servers`. */
    path: string;
    query?: Record<string, string | string[]>;
    /** JSON-serialised as the body; use `rawBody` for exact bytes. */
    body?: unknown;
    rawBody?: string;
    /** Credentials; `null` sends the request unsigned. */
    accessKey?: string | null;
    secretKey?: string;
    securityToken?: string;
    /** Sends `X-Auth-Token` (unsigned) instead of a signature. */
    authToken?: string;
    headers?: Record<string, string>;
    date?: Date;
    /** Called after signing with the wire request; mutate it to tamper. */
    tamper?: (wire: WireRequest) => void;
}

export interface CallResult {
    status: number;
    headers: http.IncomingHttpHeaders;
    text: string;
    body: any;
}

export function encodeQuery(query: Record<string, string | string[]> | undefined): string {
    if (!query) return "";
    const parts: string[] = [];
    for (const [k, v] of Object.entries(query)) {
        for (const one of Array.isArray(v) ? v : [v]) parts.push(`${signingEncode(k)}=${signingEncode(one)}`);
    }
    return parts.join("&");
}

/** Sends one request exactly as given; rejects on a socket error (e.g. a reset). */
export function sendRaw(baseUrl: string, wire: WireRequest, timeoutMs = 10000): Promise<CallResult> {
    const u = new URL(baseUrl);
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                host: u.hostname,
                port: u.port,
                method: wire.method,
                path: wire.path + (wire.query ? `?${wire.query}` : ""),
                headers: { ...wire.headers, "Content-Length": String(Buffer.byteLength(wire.body)) },
                agent: false,
                timeout: timeoutMs,
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("error", reject);
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let body: unknown;
                    try {
                        body = text ? JSON.parse(text) : undefined;
                    } catch {
                        body = undefined;
                    }
                    resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error("request timed out")));
        req.on("error", reject);
        req.end(wire.body);
    });
}

export interface ClientCredentials {
    accessKey: string;
    secretKey: string;
    securityToken?: string;
    /** Sent as X-Domain-Id on BSS paths (`/v2/...`), as the SDKs' GlobalCredentials do. */
    domainId?: string;
}

export class EmulatorClient {
    constructor(
        readonly baseUrl: string,
        readonly credentials: ClientCredentials,
        readonly projectId?: string,
    ) {}

    async call(opts: CallOptions): Promise<CallResult> {
        const u = new URL(this.baseUrl);
        const body = opts.rawBody ?? (opts.body === undefined ? "" : JSON.stringify(opts.body));
        const scope: Record<string, string> = this.credentials.domainId && opts.path.startsWith("/v2/") ? { "X-Domain-Id": this.credentials.domainId } : {};
        let headers: Record<string, string> = { host: u.host, "Content-Type": "application/json", ...scope, ...(opts.headers ?? {}) };
        const securityToken = opts.securityToken ?? this.credentials.securityToken;
        if (securityToken) headers["X-Security-Token"] = securityToken;
        const query = encodeQuery(opts.query);
        if (opts.authToken !== undefined) {
            headers["X-Auth-Token"] = opts.authToken;
        } else if (opts.accessKey !== null) {
            headers = signRequest({
                method: opts.method,
                wirePath: opts.path,
                query: opts.query,
                headers,
                body,
                accessKey: opts.accessKey ?? this.credentials.accessKey,
                secretKey: opts.secretKey ?? this.credentials.secretKey,
                date: opts.date,
            });
        }
        const wire: WireRequest = { method: opts.method, path: opts.path, query, body, headers };
        opts.tamper?.(wire);
        return sendRaw(this.baseUrl, wire);
    }

    /** Path relative to `/v1/{projectId}`. */
    private v1(path: string): string {
        if (!this.projectId) throw new Error("EmulatorClient: no projectId");
        return `/v1/${this.projectId}${path}`;
    }

    get(path: string, query?: Record<string, string | string[]>): Promise<CallResult> {
        return this.call({ method: "GET", path: this.v1(path), query });
    }
    post(path: string, body?: unknown): Promise<CallResult> {
        return this.call({ method: "POST", path: this.v1(path), body });
    }
    put(path: string, body?: unknown): Promise<CallResult> {
        return this.call({ method: "PUT", path: this.v1(path), body });
    }
    del(path: string): Promise<CallResult> {
        return this.call({ method: "DELETE", path: this.v1(path) });
    }
    /** PATCH (the current notebooks API's RenewLease), with an optional query. */
    patch(path: string, query?: Record<string, string | string[]>, body?: unknown): Promise<CallResult> {
        return this.call({ method: "PATCH", path: this.v1(path), query, body });
    }
    /** POST with a query (StartNotebook `?duration=&type=`). */
    postQuery(path: string, query: Record<string, string | string[]>, body?: unknown): Promise<CallResult> {
        return this.call({ method: "POST", path: this.v1(path), query, body });
    }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `accept` holds (or throws after `timeoutMs`); returns the accepted value. */
export async function waitUntil<T>(read: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 5000, everyMs = 10): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await read();
        if (accept(v)) return v;
        if (Date.now() > deadline) throw new Error(`waitUntil: condition not met within ${timeoutMs} ms; last value ${JSON.stringify(v)}`);
        await sleep(everyMs);
    }
}
