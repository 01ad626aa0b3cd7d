/**
 * The client over real HTTP against a scripted local server: signing, retries, throttling,
 * ambiguous POSTs, timeouts, paging, logging, and no credentials in any message or log line.
 */
import { ResolvedConfig } from "../../provider/config";
import {
    AmbiguousRequestError,
    getClient,
    isNotFound,
    ModelArtsApiError,
    ModelArtsClient,
    ClientOptions,
    resetClients,
    TransportError,
} from "../../provider/client";
import { createDevServer, DEMANAGER_NOT_FOUND_CODES, DEV_SERVER_NOT_FOUND_CODES, findDevServer, getDevServer, listDevServers, startDevServer, stopDevServer, updateNotebookInstance } from "../../provider/api";
import { FakeServer, startFakeServer } from "./helpers/fakeServer";
import { watchForLeaks } from "./helpers/leaks";

// Built directly (not via resolveConfig) so these values are NOT registered with log redaction:
// the scan below then proves they are never formatted at all, not merely masked.
const AK = "FAKEAKTRANSPORT0001";
const SK = "fakeSkTransportSecret0001";
const TOKEN = "fakeSecurityTokenTransport0001";
const PASSWORD = "Adm1n!Passw0rd-transport";
const PROJECT = "proj0001";

const leaks = watchForLeaks(() => [SK, TOKEN, PASSWORD]);

const fast: ClientOptions = {
    backoff: { baseMs: 5, maxMs: 20 },
    maxRetries: 3,
    rateLimit: false,
    timeoutMs: 2000,
    connectTimeoutMs: 1000,
};

function configFor(server: FakeServer, token?: string): ResolvedConfig {
    return new ResolvedConfig({
        region: "cn-north-4",
        projectId: PROJECT,
        endpoint: server.url,
        accessKey: AK,
        secretKey: SK,
        securityToken: token,
        sources: {},
    });
}

const server0 = { id: "62383738-e52a-450a-9f84-f9e705402be8", name: "box", status: "CREATING" };
const createBody = {
    name: "box",
    flavor: "Si2.large.4",
    image_id: "img",
    admin_pass: PASSWORD,
    network: { vpc_id: "v", subnet_id: "s", security_group_id: "g" },
    userdata: "echo ü 😀",
};

let server: FakeServer;
let client: ModelArtsClient;

beforeEach(async () => {
    server = await startFakeServer(SK);
    client = new ModelArtsClient(configFor(server, TOKEN), fast);
});
afterEach(async () => {
    await server.close();
});

describe("signing on the wire", () => {
    test("GET, POST with unicode body and PUT {} carry valid signatures and the documented headers", async () => {
        server.queue.push({ status: 200, body: server0 }, { status: 200, body: server0 }, { status: 200, body: server0 });
        await getDevServer(client, "a b/ü");
        await createDevServer(client, createBody);
        await startDevServer(client, server0.id);
        expect(server.seen.map((s) => s.signatureValid)).toEqual([true, true, true]);
        const [get, post, put] = server.seen;
        expect(get.path).toBe(`/v1/${PROJECT}/dev-servers/a%20b%2F%C3%BC`);
        expect(get.headers["content-type"]).toBeUndefined();
        expect(post.headers["content-type"]).toBe("application/json");
        expect(JSON.parse(post.body)).toEqual(createBody);
        expect(put.body).toBe("{}");
        const signed = /SignedHeaders=([^,]+)/.exec(String(post.headers.authorization))![1];
        expect(signed).toBe("content-type;host;x-project-id;x-sdk-date;x-security-token");
        expect(post.headers["x-security-token"]).toBe(TOKEN);
        expect(post.headers["x-project-id"]).toBe(PROJECT);
    });

    test("without a security token, it is neither sent nor signed", async () => {
        const c = new ModelArtsClient(configFor(server), fast);
        await c.request({ method: "GET", path: "/dev-servers", query: { limit: 2, offset: 0 } });
        expect(server.seen[0].signatureValid).toBe(true);
        expect(server.seen[0].headers["x-security-token"]).toBeUndefined();
        expect(server.seen[0].query).toEqual({ limit: "2", offset: "0" });
    });

    test("stop has no body and no content-type", async () => {
        server.queue.push({ status: 200, body: { ...server0, status: "STOPPING" } });
        expect((await stopDevServer(client, server0.id))?.status).toBe("STOPPING");
        expect(server.seen[0].body).toBe("");
        expect(server.seen[0].path).toBe(`/v1/${PROJECT}/dev-servers/${server0.id}/stop`);
    });
});

describe("retries", () => {
    test("429 with Retry-After is absorbed and counted", async () => {
        server.queue.push({ status: 429, headers: { "Retry-After": "0" }, body: { error_code: "APIGW.0308", error_msg: "throttled" } });
        server.queue.push({ status: 200, body: server0 });
        const t0 = Date.now();
        await getDevServer(client, server0.id);
        expect(Date.now() - t0).toBeLessThan(1000);
        expect(client.counters).toEqual({ requests: 2, retries: 1, throttled: 1, errors: 0 });
        client.resetCounters();
        expect(client.counters).toEqual({ requests: 0, retries: 0, throttled: 0, errors: 0 });
    });

    test("Retry-After is honoured as a minimum", async () => {
        server.queue.push({ status: 429, headers: { "Retry-After": "1" } }, { status: 200, body: server0 });
        const t0 = Date.now();
        await getDevServer(client, server0.id);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    });

    test("502/503/504 bursts and resets on GET/PUT/DELETE are retried", async () => {
        server.queue.push({ status: 502 }, { status: 503 }, { reset: true }, { status: 200, body: server0 });
        await getDevServer(client, server0.id);
        expect(server.seen).toHaveLength(4);
        server.queue.push({ status: 504 }, { status: 200, body: server0 });
        await stopDevServer(client, server0.id);
        server.queue.push({ reset: true }, { status: 200, body: {} });
        await client.request({ method: "DELETE", path: "/dev-servers/x" });
        expect(client.counters.retries).toBe(5);
        expect(client.counters.errors).toBe(0);
    });

    test("a GET response timeout is retried", async () => {
        const c = new ModelArtsClient(configFor(server), { ...fast, timeoutMs: 150 });
        server.queue.push({ hang: true }, { status: 200, body: server0 });
        await getDevServer(c, server0.id);
        expect(c.counters.retries).toBe(1);
    });

    test("the deadline covers the whole answer: one that trickles in past it is a timeout, retried on a GET", async () => {
        const c = new ModelArtsClient(configFor(server), { ...fast, timeoutMs: 300 });
        server.queue.push({ trickle: true, everyMs: 50 }, { status: 200, body: server0 });
        expect((await getDevServer(c, server0.id)).id).toBe(server0.id);
        expect(c.counters.retries).toBe(1);
    });

    test("an answer cut off mid-body is retried on a GET", async () => {
        server.queue.push({ cut: true }, { status: 200, body: server0 });
        expect((await getDevServer(client, server0.id)).id).toBe(server0.id);
        expect(client.counters.retries).toBe(1);
    });

    test("sends the body with its length and names itself; asks for no compression", async () => {
        server.queue.push({ status: 200, body: server0 });
        await createDevServer(client, createBody);
        const seen = server.seen[0];
        expect(seen.headers["content-length"]).toBe(String(Buffer.byteLength(seen.body)));
        expect(seen.headers["user-agent"]).toBe("pulumi-modelarts");
        expect(seen.headers["accept-encoding"]).toBeUndefined();
        expect(seen.signatureValid).toBe(true);
    });

    test("exhausted retries surface a readable error with the attempt count", async () => {
        server.fallback = () => ({ status: 429, headers: { "Retry-After": "0" }, body: { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" } });
        const err = await leaks.rejection(getDevServer(client, "x"));
        expect(err).toBeInstanceOf(ModelArtsApiError);
        expect(err.message).toMatch(/HTTP 429 .*after 4 attempts.*--parallel/);
        expect(server.seen).toHaveLength(4);
        expect(client.counters.throttled).toBe(3);
        expect(client.counters.errors).toBe(1);
    });

    test("a 500 on a GET is retried; a 500 on a POST is final (sent once)", async () => {
        server.queue.push({ status: 500, body: { error_code: "ModelArts.0500", error_message: "internal" } });
        server.queue.push({ status: 200, body: { id: "x", name: "n", status: "RUNNING" } });
        expect((await getDevServer(client, "x")).status).toBe("RUNNING");
        expect(server.seen).toHaveLength(2);
        server.queue.push({ status: 500, body: { error_code: "ModelArts.0500", error_message: "internal" } });
        const err = await leaks.rejection(createDevServer(client, createBody));
        expect(err.message).toContain("ModelArts.0500: internal");
        expect(server.seen.filter((r) => r.method === "POST")).toHaveLength(1);
    });
});

describe("POST is never blindly re-sent", () => {
    test("a connection reset after sending is an AmbiguousRequestError, sent exactly once", async () => {
        server.queue.push({ reset: true });
        const err = await leaks.rejection(createDevServer(client, createBody));
        expect(err).toBeInstanceOf(AmbiguousRequestError);
        expect(err).toMatchObject({ method: "POST", path: `/v1/${PROJECT}/dev-servers` });
        expect(err.message).toContain("ECONNRESET");
        expect(server.seen).toHaveLength(1);
    });

    test("an answer cut off mid-body is ambiguous: the create may have happened, it is not sent again", async () => {
        server.queue.push({ cut: true });
        const err = await leaks.rejection(createDevServer(client, createBody));
        expect(err).toBeInstanceOf(AmbiguousRequestError);
        expect(err.message).toContain("ECONNRESET");
        expect(server.seen).toHaveLength(1);
    });

    test("a response timeout after sending is ambiguous too", async () => {
        const c = new ModelArtsClient(configFor(server), { ...fast, timeoutMs: 150 });
        server.queue.push({ hang: true });
        const err = await leaks.rejection(createDevServer(c, createBody));
        expect(err).toBeInstanceOf(AmbiguousRequestError);
        expect(server.seen).toHaveLength(1);
    });

    test("a 504 from the gateway is ambiguous", async () => {
        server.queue.push({ status: 504 });
        expect(await leaks.rejection(createDevServer(client, createBody))).toBeInstanceOf(AmbiguousRequestError);
        expect(server.seen).toHaveLength(1);
    });

    test("a 429 (nothing done) is retried", async () => {
        server.queue.push({ status: 429, headers: { "Retry-After": "0" } }, { status: 200, body: server0 });
        expect((await createDevServer(client, createBody)).id).toBe(server0.id);
        expect(server.seen).toHaveLength(2);
    });

    test("connection refused (nothing sent) is retried, then a TransportError", async () => {
        const port = server.port;
        await server.close();
        const c = new ModelArtsClient(
            new ResolvedConfig({ region: "cn-north-4", projectId: PROJECT, endpoint: `http://127.0.0.1:${port}`, accessKey: AK, secretKey: SK, sources: {} }),
            fast,
        );
        const err = await leaks.rejection(createDevServer(c, createBody));
        expect(err).toBeInstanceOf(TransportError);
        expect(err.message).toMatch(/ECONNREFUSED after 4 attempts/);
        expect(c.counters.retries).toBe(3);
        server = await startFakeServer(SK); // for afterEach
    });
});

describe("errors and not-found", () => {
    test("400 ModelArts.6404 is not-found, with the request id and a hint", async () => {
        server.queue.push({ status: 400, body: { error_code: "ModelArts.6404", error_msg: "dev server not found" } });
        const err = await leaks.rejection(getDevServer(client, "nope"));
        expect(isNotFound(err, DEV_SERVER_NOT_FOUND_CODES)).toBe(true);
        expect(err.message).toMatch(/GET \/v1\/proj0001\/dev-servers\/nope failed with HTTP 400 \(ModelArts.6404: dev server not found\) \[request id req-1\]/);
    });

    test("notebook ModelArts.6309 with error_message is not-found", async () => {
        server.queue.push({ status: 400, body: { error_message: "The instance does not exist.", error_code: "ModelArts.6309" } });
        const err = await leaks.rejection(updateNotebookInstance(client, "DE-1", { description: "x" }));
        expect(isNotFound(err, DEMANAGER_NOT_FOUND_CODES)).toBe(true);
        // ...but only for its own family: the DevServer API never answers 6309 for a server.
        expect(isNotFound(err, DEV_SERVER_NOT_FOUND_CODES)).toBe(false);
    });

    test.each([
        [404, "APIGW.0101"], [404, "APIG.0101"], [404, undefined],
    ])("HTTP %s %s is never a missing server: findDevServer throws instead of answering 'gone'", async (status, code) => {
        server.queue.push({ status, body: code ? { error_code: code, error_msg: "The API does not exist or has not been published in the environment." } : {} });
        const err = await leaks.rejection(findDevServer(client, "abc"));
        expect(err).toMatchObject({ status, kind: "noSuchApi" });
        expect(err.message).toMatch(/wrong endpoint, region or path/);
        expect(err.message).toContain("huaweicloud:modelartsEndpoint");
    });

    test("findDevServer answers undefined only on ModelArts.6404", async () => {
        server.queue.push({ status: 400, body: { error_code: "ModelArts.6404", error_msg: "not found" } });
        await expect(findDevServer(client, "abc")).resolves.toBeUndefined();
    });

    test("401 APIGW.0301 points at the keys", async () => {
        server.queue.push({ status: 401, body: { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information: verify aksk signature fail" } });
        const err = await leaks.rejection(getDevServer(client, "x"));
        expect(err.message).toContain("check huaweicloud:accessKey/secretKey");
    });

    test("a malformed 200 body is a shape error naming the call", async () => {
        server.queue.push({ status: 200, body: { id: 5, admin_pass: PASSWORD } });
        const err = await leaks.rejection(getDevServer(client, "x"));
        expect(err.message).toMatch(/getDevServer returned a response of unexpected shape: field "id" expected string/);
    });
});

describe("paging", () => {
    test("listDevServers reads every page", async () => {
        const all = Array.from({ length: 123 }, (_, i) => ({ id: `id-${i}`, name: `s${i}`, status: "RUNNING" }));
        server.fallback = (req) => {
            const limit = Number(req.query.limit);
            const offset = Number(req.query.offset);
            return { status: 200, body: { data: all.slice(offset, offset + limit), total: all.length } };
        };
        const got = await listDevServers(client, 50);
        expect(got.map((s) => s.id)).toEqual(all.map((s) => s.id));
        expect(server.seen.map((s) => s.query.offset)).toEqual(["0", "50", "100"]);
    });

    test("listDevServers asks for the API's largest page by default (1,024)", async () => {
        server.fallback = () => ({ status: 200, body: { data: [], total: 0 } });
        await listDevServers(client);
        expect(server.seen.map((s) => s.query.limit)).toEqual(["1024"]);
    });

    test("listDevServers keeps paging by total when the service caps the page size", async () => {
        const all = Array.from({ length: 45 }, (_, i) => ({ id: `id-${i}`, name: `s${i}`, status: "RUNNING" }));
        server.fallback = (req) => {
            const offset = Number(req.query.offset);
            return { status: 200, body: { data: all.slice(offset, offset + 20), total: all.length } };
        };
        const got = await listDevServers(client);
        expect(got).toHaveLength(45);
        expect(server.seen.map((s) => s.query.offset)).toEqual(["0", "20", "40"]);
    });
});

describe("shared rate limiter", () => {
    afterEach(() => resetClients());

    test("getClient caches per endpoint + project + credentials", () => {
        const cfg = configFor(server);
        expect(getClient(cfg)).toBe(getClient(configFor(server)));
        expect(getClient(cfg)).not.toBe(getClient(new ResolvedConfig({ ...cfgValues(cfg), secretKey: "other-secret" })));
    });

    test("50 concurrent callers against a 20 req/s server: no 429 surfaces", async () => {
        // The server allows 20 req/s (burst 5), answering 429 + Retry-After beyond that.
        let tokens = 5;
        let last = Date.now();
        server.fallback = () => {
            const now = Date.now();
            tokens = Math.min(5, tokens + ((now - last) * 20) / 1000);
            last = now;
            if (tokens < 1) return { status: 429, headers: { "Retry-After": "1" }, body: { error_code: "APIGW.0308" } };
            tokens -= 1;
            return { status: 200, body: server0 };
        };
        const c = getClient(configFor(server), { ...fast, maxRetries: 5, rateLimit: { ratePerSecond: 18, burst: 5 } });
        const t0 = Date.now();
        const results = await Promise.allSettled(Array.from({ length: 50 }, () => getDevServer(c, server0.id)));
        const elapsed = Date.now() - t0;
        expect(results.filter((r) => r.status === "rejected")).toEqual([]);
        expect(c.counters.errors).toBe(0);
        expect(elapsed).toBeLessThan(6000);
        // The limiter, not retries, did the pacing.
        expect(c.counters.throttled).toBeLessThanOrEqual(2);
    });
});

describe("logging", () => {
    test("one debug line per attempt with method, path, status, duration, request id; no query values", async () => {
        const start = leaks.lines.length;
        server.queue.push({ status: 503 }, { status: 200, body: { data: [], total: 0 } });
        await client.request({ method: "GET", path: "/dev-servers", query: { name: "secret-ish-name", limit: 1 } });
        const lines = leaks.lines.slice(start);
        expect(lines.some((l) => /^debug: GET \/v1\/proj0001\/dev-servers\?limit&name -> 503 in \d+ ms \(request id req-1\)$/.test(l))).toBe(true);
        expect(lines.some((l) => /retrying GET .* after HTTP 503 in \d+ ms \(attempt 2 of 4\)/.test(l))).toBe(true);
        expect(lines.some((l) => / -> 200 in \d+ ms \(request id req-2\) \[attempt 2\]/.test(l))).toBe(true);
        expect(lines.join("\n")).not.toContain("secret-ish-name");
        expect(lines.join("\n")).not.toContain(AK);
    });
});

function cfgValues(c: ResolvedConfig) {
    return {
        region: c.region,
        projectId: c.projectId,
        endpoint: c.endpoint,
        accessKey: c.accessKey,
        secretKey: c.secretKey,
        securityToken: c.securityToken,
        sources: c.sources,
    };
}
