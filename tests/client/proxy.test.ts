/**
 * Proxies and TLS options of the HTTP client (provider/client/agent.ts), through a tiny local proxy
 * (127.0.0.1 only) that forwards plain HTTP requests and tunnels CONNECT, counting what it relays:
 *
 * - HTTP_PROXY: requests to the emulator go through the proxy; NO_PROXY matching bypasses it.
 * - HTTPS_PROXY: an HTTPS endpoint is reached through a CONNECT tunnel (one tunnel for several
 *   requests: keep-alive), TLS verified by default, `insecure` turns verification off (warned once),
 *   NODE_EXTRA_CA_CERTS makes the test CA trusted.
 * - A proxy that never answers CONNECT fails with ECONNECTTIMEOUT; proxy credentials are masked.
 *
 * The certificate is a test-only self-signed one for 127.0.0.1 (tests/client/fixtures/test-only-localhost.*).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import type { AddressInfo } from "net";
import { startEmulator, RunningEmulator, FAST_TIMINGS } from "../../emulator";
import { ResolvedConfig } from "../../provider/config";
import { ClientOptions, getClient, ModelArtsClient, resetClients, TransportError } from "../../provider/client";
import { listDevServers } from "../../provider/api";
import { setLogSink } from "../../provider/log";

const FIXTURES = path.join(__dirname, "fixtures");
const CERT = path.join(FIXTURES, "test-only-localhost.crt");
const KEY = path.join(FIXTURES, "test-only-localhost.key");
const REPO = path.resolve(__dirname, "..", "..");
const PROXY_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy"];
const fast: ClientOptions = { maxRetries: 0, rateLimit: false, timeoutMs: 5000 };

interface CountingProxy {
    url: string;
    forwarded: string[];
    connects: string[];
    close(): Promise<void>;
}

async function startProxy(): Promise<CountingProxy> {
    const forwarded: string[] = [];
    const connects: string[] = [];
    const sockets = new Set<net.Socket>();
    const server = http.createServer((req, res) => {
        // Plain forwarding: the request line carries the absolute URL.
        forwarded.push(`${req.method} ${req.url}`);
        const target = new URL(req.url!);
        const upstream = http.request(
            { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
            (up) => {
                res.writeHead(up.statusCode!, up.headers);
                up.pipe(res);
            },
        );
        upstream.on("error", () => res.destroy());
        req.pipe(upstream);
    });
    server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        connects.push(req.url!);
        const [host, port] = req.url!.split(":");
        const upstream = net.connect(Number(port), host, () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            upstream.write(head);
            upstream.pipe(client);
            client.pipe(upstream);
        });
        const end = () => {
            upstream.destroy();
            client.destroy();
        };
        upstream.on("error", end);
        client.on("error", end);
        sockets.add(client);
        sockets.add(upstream);
    });
    server.on("connection", (s: net.Socket) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        forwarded,
        connects,
        close: () =>
            new Promise<void>((r) => {
                for (const s of sockets) s.destroy();
                server.close(() => r());
            }),
    };
}

function config(endpoint: string, over: { insecure?: boolean; projectId?: string } = {}): ResolvedConfig {
    return new ResolvedConfig({
        region: "cn-north-4",
        projectId: over.projectId ?? emu.projectId,
        endpoint,
        accessKey: emu.accessKey,
        secretKey: emu.secretKey,
        insecure: over.insecure,
        sources: over.insecure ? { insecure: "env HW_INSECURE" } : {},
    });
}

let emu: RunningEmulator;
let proxy: CountingProxy;
let tlsServer: https.Server;
let tlsUrl: string;
const tlsSeen: string[] = [];
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
    for (const k of PROXY_VARS) savedEnv[k] = process.env[k];
    emu = await startEmulator({ timings: FAST_TIMINGS, rateLimit: null });
    proxy = await startProxy();
    // A stand-in HTTPS endpoint: answers an empty DevServer list to any request.
    tlsServer = https.createServer({ cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY) }, (req, res) => {
        tlsSeen.push(`${req.method} ${req.url}`);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ data: [], total: 0 }));
    });
    await new Promise<void>((r) => tlsServer.listen(0, "127.0.0.1", r));
    tlsUrl = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
    for (const k of PROXY_VARS) {
        if (savedEnv[k] === undefined) delete process.env[k];
        else process.env[k] = savedEnv[k];
    }
    tlsServer?.closeAllConnections?.();
    await new Promise<void>((r) => (tlsServer ? tlsServer.close(() => r()) : r()));
    await proxy?.close();
    await emu?.close();
});

beforeEach(() => {
    for (const k of PROXY_VARS) delete process.env[k];
    proxy.forwarded.length = 0;
    proxy.connects.length = 0;
    tlsSeen.length = 0;
    resetClients();
});

test("HTTP_PROXY: requests to the emulator go through the proxy", async () => {
    process.env.HTTP_PROXY = proxy.url;
    const client = new ModelArtsClient(config(emu.url), fast);
    expect(client.proxy).toBe(proxy.url);
    await listDevServers(client);
    await listDevServers(client);
    expect(proxy.forwarded).toHaveLength(2);
    expect(proxy.forwarded[0]).toMatch(new RegExp(`^GET ${emu.url}/v1/${emu.projectId}/dev-servers`));
});

test("lower-case http_proxy works too", async () => {
    process.env.http_proxy = proxy.url;
    await listDevServers(new ModelArtsClient(config(emu.url), fast));
    expect(proxy.forwarded).toHaveLength(1);
});

test("NO_PROXY matching the endpoint: direct, the proxy sees nothing", async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = "localhost,127.0.0.1";
    const client = new ModelArtsClient(config(emu.url), fast);
    expect(client.proxy).toBeUndefined();
    await listDevServers(client);
    expect(proxy.forwarded).toHaveLength(0);
    expect(proxy.connects).toHaveLength(0);
    expect((await emu.admin.requests()).length).toBeGreaterThan(0);
});

test("HTTPS_PROXY: an HTTPS endpoint is reached through one CONNECT tunnel, kept alive", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const client = new ModelArtsClient(config(tlsUrl, { insecure: true }), fast);
    await listDevServers(client);
    await listDevServers(client);
    expect(proxy.connects).toEqual([tlsUrl.replace("https://", "")]);
    expect(proxy.forwarded).toHaveLength(0); // nothing in clear text
    expect(tlsSeen).toHaveLength(2);
});

test("TLS is verified by default: a self-signed endpoint is refused, through the tunnel too", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const err = await listDevServers(new ModelArtsClient(config(tlsUrl), fast)).catch((e) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/SELF_SIGNED|certificate/i);
    expect(tlsSeen).toHaveLength(0);
    delete process.env.HTTPS_PROXY;
    const direct = await listDevServers(new ModelArtsClient(config(tlsUrl), fast)).catch((e) => e);
    expect(direct).toBeInstanceOf(TransportError);
    // The message names the certificate problem and its two fixes, not the network or the region (issue 20).
    for (const e of [err, direct]) {
        expect(e.message).toMatch(/TLS certificate .* is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/);
        expect(e.message).toContain("NODE_EXTRA_CA_CERTS");
        expect(e.message).toContain("huaweicloud:insecure");
        expect(e.message).not.toMatch(/check the network|huaweicloud:region/);
    }
});

test("insecure (huaweicloud:insecure / HW_INSECURE) turns verification off, with one warning per process", async () => {
    const lines: string[] = [];
    const restore = setLogSink((level, message) => lines.push(`${level} ${message}`));
    try {
        await listDevServers(getClient(config(tlsUrl, { insecure: true }), fast));
        await listDevServers(getClient(config(tlsUrl, { insecure: true, projectId: "other-project" }), fast));
    } finally {
        restore();
    }
    const warnings = lines.filter((l) => l.startsWith("warn") && /TLS certificate verification is OFF/.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("env HW_INSECURE");
    expect(tlsSeen).toHaveLength(2);
    expect(lines.join("\n")).not.toContain(emu.secretKey);
});

test("a proxy that never answers CONNECT: ECONNECTTIMEOUT (nothing was sent)", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
        process.env.HTTPS_PROXY = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
        const client = new ModelArtsClient(config(tlsUrl, { insecure: true }), { ...fast, connectTimeoutMs: 300 });
        const err = await listDevServers(client).catch((e) => e);
        expect(err).toBeInstanceOf(TransportError);
        expect(err.code).toBe("ECONNECTTIMEOUT");
    } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((r) => silent.close(() => r()));
    }
});

test("proxy credentials are masked", async () => {
    process.env.HTTPS_PROXY = "http://proxyuser:proxy-pass-123@127.0.0.1:9";
    const client = new ModelArtsClient(config("https://modelarts.cn-north-4.myhuaweicloud.com"), fast);
    expect(client.proxy).toBe("http://***@127.0.0.1:9");
});

test("NODE_EXTRA_CA_CERTS makes the endpoint's CA trusted (verification on, through the tunnel)", async () => {
    // NODE_EXTRA_CA_CERTS is read when Node starts, so this runs in a child process, on the built client.
    const script = `
        const { ModelArtsClient } = require("./dist/provider/client");
        const { ResolvedConfig } = require("./dist/provider/config");
        const c = new ModelArtsClient(new ResolvedConfig({ region: "cn-north-4", projectId: "p1", endpoint: process.argv[1],
            accessKey: "AK", secretKey: "SK", sources: {} }), { maxRetries: 0, rateLimit: false });
        c.request({ method: "GET", path: "/dev-servers" }).then((b) => console.log(JSON.stringify(b)), (e) => { console.error(e.message); process.exit(1); });
    `;
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: CERT, HTTPS_PROXY: proxy.url };
    for (const k of ["NO_PROXY", "no_proxy", "https_proxy"]) delete env[k];
    // Asynchronous: the proxy and the endpoint run in this process.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ["-e", script, tlsUrl], { cwd: REPO, env, encoding: "utf8", timeout: 20_000 }, (err, stdout, stderr) =>
            resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(r.stdout)).toEqual({ data: [], total: 0 });
    expect(proxy.connects).toHaveLength(1);
});
