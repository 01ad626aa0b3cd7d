/**
 * The shared DevServer poller against the emulator: many questions, one list call; paging beyond
 * one page; only the server's own GET says "gone"; a failing list answers nothing.
 */
import { startEmulator, RunningEmulator, FAST_TIMINGS } from "../../emulator";
import { ResolvedConfig } from "../../provider/config";
import { ClientOptions, ModelArtsClient, resetClients } from "../../provider/client";
import { createDevServer } from "../../provider/api";
import { DevServerPoller, PollerOptions } from "../../provider/api/devServerPoller";
import { realClock } from "../../provider/clock";

let emu: RunningEmulator;
const fast: ClientOptions = { backoff: { baseMs: 5, maxMs: 50 }, maxRetries: 3, rateLimit: false, timeoutMs: 3000 };
const pollerOptions = (over: Partial<PollerOptions> = {}): PollerOptions => ({
    coalesceMs: 20, minSweepIntervalMs: 50, pageSize: 1024, clock: realClock, ...over,
});

function client(): ModelArtsClient {
    return new ModelArtsClient(
        new ResolvedConfig({ region: emu.region, projectId: emu.projectId, endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, sources: {} }),
        fast,
    );
}

const body = (name: string) => ({
    name,
    flavor: "Si2.large.4",
    image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    key_pair_name: "poller",
    network: {
        vpc_id: "05982b48-a70f-43a1-a2b0-1fe36a236172",
        subnet_id: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        security_group_id: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    },
});

let ids: string[] = [];

beforeAll(async () => {
    emu = await startEmulator({ timings: FAST_TIMINGS, rateLimit: null });
    const c = client();
    ids = [];
    for (let i = 0; i < 25; i++) ids.push((await createDevServer(c, body(`poll-${i}`))).id!);
});
afterAll(async () => {
    await emu?.close();
});
beforeEach(async () => {
    await emu.admin.clearFaults();
    await emu.admin.clearRequests();
    resetClients();
});

const listCalls = async () => (await emu.admin.requests()).filter((r) => r.method === "GET" && /\/dev-servers$/.test(r.path));
const getCalls = async () => (await emu.admin.requests()).filter((r) => r.method === "GET" && /\/dev-servers\/[^/]+$/.test(r.path));

test("25 servers asked at once: one list call answers all of them", async () => {
    const poller = new DevServerPoller(client(), pollerOptions());
    const answers = await Promise.all(ids.map((id) => poller.observe(id)));
    expect(answers.map((a) => a?.id)).toEqual(ids);
    expect(await listCalls()).toHaveLength(1);
    expect(await getCalls()).toHaveLength(0);
});

test("pages beyond one page: 25 servers through pages of 10", async () => {
    const poller = new DevServerPoller(client(), pollerOptions({ pageSize: 10 }));
    const answers = await Promise.all(ids.map((id) => poller.observe(id)));
    expect(answers.map((a) => a?.id)).toEqual(ids);
    const lists = await listCalls();
    expect(lists.map((r) => r.query).sort()).toEqual(["limit=10&offset=0", "limit=10&offset=10", "limit=10&offset=20"]);
});

test("one question alone is a GET, not a list", async () => {
    const poller = new DevServerPoller(client(), pollerOptions());
    expect((await poller.observe(ids[3]))?.id).toBe(ids[3]);
    expect(await listCalls()).toHaveLength(0);
    expect(await getCalls()).toHaveLength(1);
});

test("a server the list does not show is asked for by GET: gone only on its ModelArts.6404", async () => {
    const c = client();
    const doomed = (await createDevServer(c, body("poll-doomed"))).id!;
    await emu.admin.devServerAction({ id: doomed, action: "delete", immediate: true });
    await emu.admin.clearRequests();
    const poller = new DevServerPoller(c, pollerOptions());
    const [a, b, gone] = await Promise.all([poller.observe(ids[0]), poller.observe(ids[1]), poller.observe(doomed)]);
    expect([a?.id, b?.id, gone]).toEqual([ids[0], ids[1], undefined]);
    expect((await getCalls()).map((r) => r.path)).toEqual([expect.stringContaining(doomed)]);
});

test("a page missing a server (gateway 404 on its GET) answers an error, never 'gone'", async () => {
    const c = client();
    const doomed = (await createDevServer(c, body("poll-hidden"))).id!;
    await emu.admin.devServerAction({ id: doomed, action: "delete", immediate: true });
    await emu.admin.addFault({ method: "GET", path: `/dev-servers/${doomed}$`, kind: "status", status: 404, errorCode: "APIGW.0101", count: 1 });
    const poller = new DevServerPoller(c, pollerOptions());
    const results = await Promise.allSettled([poller.observe(ids[0]), poller.observe(doomed)]);
    expect(results[0]).toMatchObject({ status: "fulfilled" });
    expect(results[1]).toMatchObject({ status: "rejected", reason: { status: 404, kind: "noSuchApi" } });
});

test("a list call that keeps failing answers nothing: every question fails with the error", async () => {
    await emu.admin.addFault({ method: "GET", path: "/dev-servers$", kind: "status", status: 500, count: 10 });
    const poller = new DevServerPoller(client(), pollerOptions());
    const results = await Promise.allSettled(ids.slice(0, 5).map((id) => poller.observe(id)));
    for (const r of results) expect(r).toMatchObject({ status: "rejected", reason: { status: 500 } });
});

test("a throttled list call is retried by the client and still answers", async () => {
    await emu.admin.addFault({ method: "GET", path: "/dev-servers$", kind: "status", status: 429, errorCode: "APIG.0308", count: 2 });
    const poller = new DevServerPoller(client(), pollerOptions());
    const answers = await Promise.all(ids.slice(0, 5).map((id) => poller.observe(id)));
    expect(answers.map((a) => a?.id)).toEqual(ids.slice(0, 5));
});
