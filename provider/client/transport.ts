/**
 * One HTTP exchange on Node's own `http` / `https`, through the agent of ./agent.ts: the signed
 * request goes out as it is, the answer comes back as text with lower-case headers. No redirects are
 * followed and nothing is decompressed (no Accept-Encoding is sent). Node's modules instead of an
 * HTTP library: a few objects per call (a library's config merging cost ~40 KB of garbage per call,
 * measured in the thousand-server benchmark) and nothing more in the users' node_modules.
 */
import * as http from "http";
import * as https from "https";
import { firstHeader, RawResponse } from "./response";

export interface Exchange {
    url: URL;
    method: string;
    headers: Record<string, string>;
    body?: string;
    agent: http.Agent;
    /** Deadline for the whole exchange, from sending to the answer's last byte: ETIMEDOUT after it. */
    timeoutMs: number;
}

function timeoutError(ms: number): Error {
    return Object.assign(new Error(`no complete answer within ${ms} ms`), { code: "ETIMEDOUT" });
}

export function exchange(x: Exchange): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
        const headers: Record<string, string | number> = { ...x.headers };
        const body = x.body === undefined ? undefined : Buffer.from(x.body, "utf8");
        if (body) headers["Content-Length"] = body.length;
        const send = x.url.protocol === "https:" ? https.request : http.request;
        let done = false;
        const finish = (err: Error | undefined, res?: RawResponse) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            if (err) {
                req.destroy();
                reject(err);
            } else resolve(res!);
        };
        const req = send(x.url, { method: x.method, headers, agent: x.agent }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("error", (err) => finish(err));
            // A connection closed before the answer's end: the request may have been applied.
            res.on("aborted", () => finish(Object.assign(new Error("the connection closed before the answer's end"), { code: "ECONNRESET" })));
            res.on("end", () => {
                const out: Record<string, string | undefined> = {};
                for (const [k, v] of Object.entries(res.headers)) out[k] = firstHeader(v);
                finish(undefined, { status: res.statusCode ?? 0, headers: out, text: Buffer.concat(chunks).toString("utf8") });
            });
        });
        const timer = setTimeout(() => finish(timeoutError(x.timeoutMs)), x.timeoutMs);
        req.on("error", (err) => finish(err));
        req.end(body);
    });
}
