/**
 * The client and API layer against the local ModelArts emulator (emulator/index.ts): real AK/SK
 * verification, project isolation, rate limiting, fault injection and its request log.
 */
import { startEmulator, RunningEmulator, FAST_TIMINGS } from "../../emulator";
import { ResolvedConfig } from "../../provider/config";
import { DEV_SERVER_NOT_FOUND_CODES } from "../../provider/api/devServers";
import { AmbiguousRequestError, ClientOptions, getClient, isNotFound, ModelArtsApiError, ModelArtsClient, resetClients } from "../../provider/client";
import { createDevServer, deleteDevServer, getDevServer, listDevServers, renameDevServer } from "../../provider/api";
import { watchForLeaks } from "./helpers/leaks";

let emu: RunningEmulator;
const PASSWORD = "Emul4tor!Passw0rd";
const leaks = watchForLeaks(() => (emu ? [emu.secretKey, PASSWORD, emu.adminToken] : [PASSWORD]));

const fast: ClientOptions = { backoff: { baseMs: 5, maxMs: 50 }, maxRetries: 4, rateLimit: false, timeoutMs: 3000 };

function config(over: Partial<{ projectId: string; secretKey: string; accessKey: string }> = {}): ResolvedConfig {
    return new ResolvedConfig({
        region: emu.region,
        projectId: over.projectId ?? emu.projectId,
        endpoint: emu.url,
        accessKey: over.accessKey ?? emu.accessKey,
        secretKey: over.secretKey ?? emu.secretKey,
        sources: {},
    });
}

const body = (name: string) => ({
    name,
    flavor: "Si2.large.4",
    image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    admin_pass: PASSWORD,
    network: {
        vpc_id: "05982b48-a70f-43a1-a2b0-1fe36a236172",
        subnet_id: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        security_group_id: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    },
});

beforeAll(async () => {
    emu = await startEmulator({ timings: FAST_TIMINGS, rateLimit: null });
});
afterAll(async () => {
    await emu?.close();
});
beforeEach(async () => {
    await emu.admin.clearFaults();
    await emu.admin.clearRequests();
    await emu.admin.setConfig({ rateLimit: null });
    resetClients();
});

test("signed calls succeed: create, get, list, rename, delete", async () => {
    const c = new ModelArtsClient(config(), fast);
    const created = await createDevServer(c, body("emu-ok"));
    expect(created.id).toBeTruthy();
    const id = created.id!;
    expect((await getDevServer(c, id)).name).toBe("emu-ok");
    expect((await listDevServers(c)).map((s) => s.id)).toContain(created.id);
    for (let i = 0; i < 100 && (await getDevServer(c, id)).status !== "RUNNING"; i++) {
        await new Promise((r) => setTimeout(r, 100));
    }
    expect((await renameDevServer(c, id, "emu-renamed")).name).toBe("emu-renamed");
    await deleteDevServer(c, id);
    expect(c.counters.errors).toBe(0);
});

test("a missing DevServer is not-found", async () => {
    const err = await leaks.rejection(getDevServer(new ModelArtsClient(config(), fast), "62383738-e52a-450a-9f84-f9e705402be9"));
    expect(isNotFound(err, DEV_SERVER_NOT_FOUND_CODES)).toBe(true);
    expect(err).toMatchObject({ status: 400, errorCode: "ModelArts.6404" });
});

test("an unpublished API (wrong path or region) is not a missing server: 404 APIGW.0101 names the endpoint and region", async () => {
    const c = new ModelArtsClient(config(), fast);
    const err = await leaks.rejection(c.request({ method: "GET", path: "/dev-servers-v9/x" }));
    expect(err).toMatchObject({ status: 404, errorCode: "APIGW.0101", kind: "noSuchApi" });
    expect(isNotFound(err, DEV_SERVER_NOT_FOUND_CODES)).toBe(false);
    expect(err.message).toContain(c.endpoint);
    expect(err.message).toMatch(/region.*cn-north-4|cn-north-4.*region/);
    expect(err.message).toMatch(/not a missing resource, so nothing was removed from the state/);
});

test("a wrong secret key fails with the access-key hint", async () => {
    const err = await leaks.rejection(getDevServer(new ModelArtsClient(config({ secretKey: "wrong-secret-key-000" }), fast), "x"));
    expect(err).toBeInstanceOf(ModelArtsApiError);
    expect((err as ModelArtsApiError).status).toBe(401);
    expect(err.message).toContain("check huaweicloud:accessKey/secretKey");
});

test("a stale clock fails with the clock hint", async () => {
    const c = new ModelArtsClient(config(), { ...fast, signingDate: () => new Date(Date.now() - 3600_000) });
    const err = await leaks.rejection(getDevServer(c, "x"));
    expect(err.message).toContain("check this machine's clock");
});

test("a project of another account fails with the project hint", async () => {
    const other = emu.tenants.flatMap((t) => t.projects.map((p) => p.id)).find((id) => !emu.tenants[0].projects.some((p) => p.id === id));
    const err = await leaks.rejection(getDevServer(new ModelArtsClient(config({ projectId: other ?? "not-a-project" }), fast), "x"));
    expect(err.message).toMatch(/check huaweicloud:projectId/i);
});

test("5xx and 429 bursts are absorbed by retries and counted", async () => {
    const c = new ModelArtsClient(config(), fast);
    await emu.admin.addFault({ method: "GET", path: "/dev-servers$", kind: "status", status: 503, count: 2 });
    await emu.admin.addFault({ method: "GET", path: "/dev-servers$", kind: "status", status: 429, errorCode: "APIGW.0308", count: 1 });
    await listDevServers(c);
    expect(c.counters.retries).toBe(3);
    expect(c.counters.errors).toBe(0);
});

test("a dropped POST (reset-after) is AmbiguousRequestError and was sent exactly once", async () => {
    const c = new ModelArtsClient(config(), fast);
    await emu.admin.addFault({ method: "POST", path: "/dev-servers$", kind: "reset-after", count: 1 });
    const err = await leaks.rejection(createDevServer(c, body("emu-ambiguous")));
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    const posts = (await emu.admin.requests()).filter((r) => r.method === "POST" && /\/dev-servers$/.test(r.path));
    expect(posts).toHaveLength(1);
    // ... and it did take effect: the server exists, which is why it must not be re-sent.
    expect((await listDevServers(c)).some((s) => s.name === "emu-ambiguous")).toBe(true);
});

test("50 concurrent callers against a 10 req/s emulator: no 429 surfaces", async () => {
    await emu.admin.setConfig({ rateLimit: { perSecond: 10, burst: 10 } });
    const c = getClient(config(), { ...fast, maxRetries: 6, rateLimit: { ratePerSecond: 9, burst: 5 } });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => listDevServers(c)));
    expect(results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const throttled = (await emu.admin.requests()).filter((r) => r.status === 429).length;
    expect(c.counters.throttled).toBe(throttled);
    expect(throttled).toBeLessThanOrEqual(3);
}, 30000);
