/**
 * Kept-alive connections: the client closes an idle one before a server's keep-alive would, so a
 * request never leaves on a connection the server is closing. When it does (a server that times the
 * connection out with the request unread resets it), a POST's answer is lost: a create then has to
 * search for the server it may have made. Six benchmark runs sharing a loaded machine met exactly
 * that (creates failing as lost answers) until idle connections were closed first.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { ResolvedConfig } from "../../provider/config";
import { DEFAULT_IDLE_SOCKET_TIMEOUT_MS, ModelArtsClient } from "../../provider/client";

async function server(keepAliveTimeoutMs: number) {
    let connections = 0;
    const s = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
    });
    s.keepAliveTimeout = keepAliveTimeoutMs;
    s.on("connection", () => connections++);
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    return { url, connections: () => connections, close: () => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r()))) };
}

const config = (endpoint: string) =>
    new ResolvedConfig({ region: "cn-north-4", projectId: "proj0001", endpoint, accessKey: "AKKEEPALIVE0001", secretKey: "skKeepAlive0001", sources: {} });

test("by default an idle connection is closed before the shortest common server keep-alive (Node's own 5 s)", () => {
    expect(DEFAULT_IDLE_SOCKET_TIMEOUT_MS).toBeLessThan(new http.Server().keepAliveTimeout);
});

test("a connection idle longer than the client's idle timeout is not reused; a recently used one is", async () => {
    const srv = await server(2_000);
    try {
        const client = new ModelArtsClient(config(srv.url), { idleSocketTimeoutMs: 300, rateLimit: false, maxRetries: 0 });
        await client.request({ method: "POST", path: "/dev-servers", body: { name: "a" } });
        await new Promise((r) => setTimeout(r, 50));
        await client.request({ method: "POST", path: "/dev-servers", body: { name: "b" } });
        expect(srv.connections()).toBe(1);
        // Idle past the client's timeout but well within the server's keep-alive: a new connection.
        await new Promise((r) => setTimeout(r, 600));
        await client.request({ method: "POST", path: "/dev-servers", body: { name: "c" } });
        expect(srv.connections()).toBe(2);
    } finally {
        await srv.close();
    }
});

test("a request in flight is not cut by the idle timeout: it runs on the request timeout", async () => {
    const slow = http.createServer((req, res) => {
        req.resume();
        setTimeout(() => res.writeHead(200, { "Content-Type": "application/json" }).end('{"late":true}'), 500);
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", () => r()));
    try {
        const client = new ModelArtsClient(config(`http://127.0.0.1:${(slow.address() as AddressInfo).port}`), {
            idleSocketTimeoutMs: 100,
            timeoutMs: 5_000,
            rateLimit: false,
            maxRetries: 0,
        });
        await expect(client.request({ method: "POST", path: "/dev-servers", body: {} })).resolves.toEqual({ late: true });
    } finally {
        slow.closeAllConnections();
        await new Promise<void>((r) => slow.close(() => r()));
    }
});
