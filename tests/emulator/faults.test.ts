import { ERROR_CODES } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { Fixture, SEED_CREATE_BODY, startFast } from "./fixtures";

describe("emulator: rate limiting, fault injection, request log", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeEach(async () => {
        f = await startFast();
        c = f.client;
    });
    afterEach(() => f.emu.close());

    test("per-project token bucket: 429 APIGW.0308 with Retry-After; other projects unaffected; admin never limited", async () => {
        await f.emu.admin.setConfig({ rateLimit: { perSecond: 2, burst: 3 } });
        const statuses: number[] = [];
        let limited;
        for (let i = 0; i < 5; i++) {
            const r = await c.get("/dev-servers");
            statuses.push(r.status);
            if (r.status === 429) limited = r;
        }
        expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
        expect(statuses).toContain(429);
        expect(limited!.body.error_code).toBe(ERROR_CODES.THROTTLED);
        expect(limited!.body.error_msg).toMatch(/^The throttling threshold has been reached: /);
        expect(Number(limited!.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        expect(limited!.headers["x-request-id"]).toBeDefined();
        const other = new EmulatorClient(f.emu.url, { accessKey: f.emu.accessKey, secretKey: f.emu.secretKey }, f.emu.tenants[0].projects[1].id);
        expect((await other.get("/dev-servers")).status).toBe(200);
        for (let i = 0; i < 10; i++) await f.emu.admin.health();
        // The bucket refills.
        await waitUntil(() => c.get("/dev-servers"), (r) => r.status === 200, 3000, 100);
    });

    test("sliding window: at most perSecond requests in any one second, Retry-After until a slot frees", async () => {
        await f.emu.admin.setConfig({ rateLimit: { perSecond: 3, shape: "sliding-window" } });
        const first = [];
        for (let i = 0; i < 4; i++) first.push((await c.get("/dev-servers")).status);
        expect(first).toEqual([200, 200, 200, 429]);
        const limited = await c.get("/dev-servers");
        expect(limited.status).toBe(429);
        expect(limited.body.error_code).toBe(ERROR_CODES.THROTTLED);
        expect(limited.body.error_msg).toMatch(/limit:3, time:1 second/);
        expect(limited.headers["retry-after"]).toBe("1");
        // Throttled requests are not counted: a second after the first ones, the window is open again.
        await new Promise((r) => setTimeout(r, 1050));
        expect((await c.get("/dev-servers")).status).toBe(200);
    });

    test("per-minute quota: perSecond * 60 requests in the calendar minute, then the gateway's message and the seconds left in the minute", async () => {
        // 0.05/s = 3 per minute.
        await f.emu.admin.setConfig({ rateLimit: { perSecond: 0.05, shape: "per-minute" } });
        const statuses: number[] = [];
        let limited;
        for (let i = 0; i < 4; i++) {
            const r = await c.get("/dev-servers");
            statuses.push(r.status);
            if (r.status === 429) limited = r;
        }
        // A minute may turn over between the calls; then a fourth call is allowed.
        if (statuses[3] === 429) {
            expect(statuses).toEqual([200, 200, 200, 429]);
            expect(limited!.body.error_code).toBe(ERROR_CODES.THROTTLED);
            expect(limited!.body.error_msg).toMatch(/^The throttling threshold has been reached: policy user over ratelimit, limit:3, time:1 minute/);
            const retryAfter = Number(limited!.headers["retry-after"]);
            expect(retryAfter).toBeGreaterThanOrEqual(1);
            expect(retryAfter).toBeLessThanOrEqual(60);
            expect(Math.abs(retryAfter - (60 - (Math.floor(Date.now() / 1000) % 60)))).toBeLessThanOrEqual(1);
        }
        await expect(f.emu.admin.setConfig({ rateLimit: { perSecond: 1, shape: "leaky" as never } })).rejects.toMatchObject({ status: 400 });
    });

    test("rateLimit option at start (default 50/s) and null disables", async () => {
        expect((await f.emu.admin.config()).rateLimit).toBeNull();
        await f.emu.close();
        f = await startFast({ rateLimit: undefined });
        expect((await f.emu.admin.config()).rateLimit).toEqual({ perSecond: 50 });
    });

    test("status fault: answers the status with an error body; count limits it; path and method match", async () => {
        const rule = await f.emu.admin.addFault({ kind: "status", status: 503, method: "POST", path: "/dev-servers$", count: 2 });
        expect(rule.id).toBeDefined();
        expect((await c.get("/dev-servers")).status).toBe(200);
        const r1 = await c.post("/dev-servers", SEED_CREATE_BODY);
        expect(r1.status).toBe(503);
        expect(r1.body).toEqual({ error_code: ERROR_CODES.INJECTED_FAULT, error_msg: "Injected fault: HTTP 503.", request_id: expect.any(String) });
        expect(r1.headers["x-request-id"]).toBeDefined();
        expect((await c.post("/dev-servers", SEED_CREATE_BODY)).status).toBe(503);
        expect((await c.post("/dev-servers", SEED_CREATE_BODY)).status).toBe(200);
        expect(await f.emu.admin.faults()).toEqual([]);
        // Nothing was created by the faulted requests.
        expect((await c.get("/dev-servers")).body.total).toBe(1);
        // demanager paths get error_message.
        await f.emu.admin.addFault({ kind: "status", status: 500, path: "/demanager/", errorCode: "ModelArts.9999", count: 1 });
        const nb = await c.get("/demanager/instances/x");
        expect(nb.body).toEqual({ error_code: "ModelArts.9999", error_message: "Injected fault: HTTP 500.", request_id: expect.any(String) });
    });

    test("reset fault: the connection is destroyed without an answer, nothing happens", async () => {
        await f.emu.admin.addFault({ kind: "reset", method: "POST", count: 1 });
        await expect(c.post("/dev-servers", SEED_CREATE_BODY)).rejects.toThrow(/socket hang up|ECONNRESET/);
        expect((await c.get("/dev-servers")).body.total).toBe(0);
        expect((await c.post("/dev-servers", SEED_CREATE_BODY)).status).toBe(200);
    });

    test("reset-after fault: the request is handled (the server exists) but the answer is lost", async () => {
        await f.emu.admin.addFault({ kind: "reset-after", method: "POST", path: "/dev-servers$", count: 1 });
        await expect(c.post("/dev-servers", SEED_CREATE_BODY)).rejects.toThrow(/socket hang up|ECONNRESET/);
        const list = await c.get("/dev-servers");
        expect(list.body.total).toBe(1);
        expect(list.body.data[0].name).toBe(SEED_CREATE_BODY.name);
        const log = await f.emu.admin.requests();
        const post = log.find((e) => e.method === "POST");
        expect(post).toMatchObject({ status: 200, fault: "reset-after" });
    });

    test("delay fault: the answer comes after delayMs", async () => {
        await f.emu.admin.addFault({ kind: "delay", delayMs: 200, method: "GET", count: 1 });
        const t0 = Date.now();
        const r = await c.get("/dev-servers");
        expect(r.status).toBe(200);
        expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
        expect(await f.emu.admin.faults()).toEqual([]);
        expect((await f.emu.admin.requests()).map((e) => e.fault)).toEqual(["delay"]);
    });

    test("fraction: about that share of matching requests is affected; remove and clear rules", async () => {
        const rule = await f.emu.admin.addFault({ kind: "status", status: 502, fraction: 0.5, path: "/dev-servers" });
        let failed = 0;
        for (let i = 0; i < 60; i++) if ((await c.get("/dev-servers")).status === 502) failed++;
        expect(failed).toBeGreaterThan(10);
        expect(failed).toBeLessThan(50);
        await f.emu.admin.removeFault(rule.id);
        for (let i = 0; i < 10; i++) expect((await c.get("/dev-servers")).status).toBe(200);
        await f.emu.admin.addFault({ kind: "status", status: 500, fraction: 0 });
        expect((await c.get("/dev-servers")).status).toBe(200);
        expect(await f.emu.admin.clearFaults()).toBe(1);
        await expect(f.emu.admin.removeFault("nope")).rejects.toMatchObject({ status: 404 });
        await expect(f.emu.admin.addFault({ kind: "explode" as "status" })).rejects.toMatchObject({ status: 400 });
    });

    test("faults never apply to the admin API", async () => {
        await f.emu.admin.addFault({ kind: "status", status: 500 });
        await f.emu.admin.addFault({ kind: "reset" });
        expect((await f.emu.admin.health()).ok).toBe(true);
        expect((await c.get("/dev-servers")).status).toBe(500);
    });

    test("request log: entries without secrets or bodies; clear", async () => {
        await c.post("/dev-servers", SEED_CREATE_BODY);
        await c.get("/dev-servers", { limit: "2" });
        await c.call({ method: "GET", path: `/v1/${f.emu.projectId}/dev-servers`, accessKey: null });
        const log = await f.emu.admin.requests();
        expect(log).toHaveLength(3);
        expect(log[0]).toMatchObject({ method: "POST", path: `/v1/${f.emu.projectId}/dev-servers`, query: "", status: 200, projectId: f.emu.projectId, accessKey: f.emu.accessKey });
        expect(log[1]).toMatchObject({ method: "GET", query: "limit=2", status: 200 });
        expect(log[2]).toMatchObject({ status: 401 });
        expect(log[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
        const text = JSON.stringify(log);
        expect(text).not.toContain(f.emu.secretKey);
        expect(text).not.toContain("@DevServer");
        expect(text).not.toContain("Signature=");
        expect(await f.emu.admin.clearRequests()).toBe(3);
        expect(await f.emu.admin.requests()).toEqual([]);
    });

    test("the log option receives one line per request and no secrets", async () => {
        await f.emu.close();
        const lines: string[] = [];
        f = await startFast({ log: (l) => lines.push(l) });
        c = f.client;
        await c.post("/dev-servers", SEED_CREATE_BODY);
        expect(lines.some((l) => l.startsWith(`POST /v1/${f.emu.projectId}/dev-servers -> 200`))).toBe(true);
        expect(lines.join("\n")).not.toContain("@DevServer");
        expect(lines.join("\n")).not.toContain(f.emu.secretKey);
    });

    test("config: get and partial update of timings; invalid config rejected", async () => {
        const cfg = await f.emu.admin.setConfig({ timings: { devServer: { create: 10 } } });
        expect(cfg.timings.devServer).toEqual({ create: 10, start: 80, stop: 80, delete: 80, reboot: 80, changeos: 80, reinstallos: 80, operation: 40 });
        await expect(f.emu.admin.setConfig({ timings: { devServer: { create: -1 } } })).rejects.toMatchObject({ status: 400 });
        await expect(f.emu.admin.setConfig({ rateLimit: { perSecond: 0 } })).rejects.toMatchObject({ status: 400 });
        await expect(f.emu.admin.setConfig({ notFoundAs400: "yes" as unknown as boolean })).rejects.toMatchObject({ status: 400 });
    });

    test("state dump: every project of every tenant, for audits", async () => {
        await c.post("/dev-servers", SEED_CREATE_BODY);
        await f.emu.admin.seedNotebook({ status: "RUNNING", projectId: f.emu.tenants[1].projects[0].id });
        const dump = await f.emu.admin.state();
        expect(Object.keys(dump.projects).sort()).toEqual(f.emu.tenants.flatMap((t) => t.projects.map((p) => p.id)).sort());
        expect(dump.projects[f.emu.projectId].devServers).toHaveLength(1);
        expect(dump.projects[f.emu.tenants[1].projects[0].id].notebooks).toHaveLength(1);
        await f.emu.admin.reset();
        expect((await f.emu.admin.state()).projects[f.emu.projectId].devServers).toHaveLength(0);
    });
});
