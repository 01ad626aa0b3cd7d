import { ERROR_CODES } from "../../emulator";
import { EmulatorClient, sleep, waitUntil } from "../helpers/emulatorClient";
import { Fixture, SEED_CREATE_BODY, startFast } from "./fixtures";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("emulator: DevServer API", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeEach(async () => {
        f = await startFast();
        c = f.client;
    });
    afterEach(() => f.emu.close());

    const statusOf = async (id: string) => (await c.get(`/dev-servers/${id}`)).body.status as string;
    const waitStatus = (id: string, status: string) => waitUntil(() => statusOf(id), (s) => s === status);
    async function running(body: object = SEED_CREATE_BODY): Promise<string> {
        const r = await c.post("/dev-servers", body);
        expect(r.status).toBe(200);
        await waitStatus(r.body.id, "RUNNING");
        return r.body.id;
    }

    test("create with seed 002's example body: CREATING, then RUNNING with an SSH endpoint; no secrets returned", async () => {
        const r = await c.post("/dev-servers", SEED_CREATE_BODY);
        expect(r.status).toBe(200);
        expect(r.headers["content-type"]).toMatch(/application\/json/);
        expect(r.headers["x-request-id"]).toMatch(UUID);
        expect(r.body).toMatchObject({
            name: "EI-evs-1107",
            flavor: "Si2.large.4",
            status: "CREATING",
            charging_mode: "POST_PAID",
            category: "SERVER",
            vpc_id: SEED_CREATE_BODY.network.vpc_id,
            subnet_id: SEED_CREATE_BODY.network.subnet_id,
            cloud_server: { type: "ECS" },
            image: { arch: "X86", image_id: SEED_CREATE_BODY.image_id, name: "Ubuntu18.04_x86_64_CPU", server_type: "ECS" },
        });
        expect(r.body.id).toMatch(UUID);
        expect(typeof r.body.create_at).toBe("number");
        expect(typeof r.body.update_at).toBe("number");
        expect(r.body.order_id).toBeUndefined();
        expect(r.text).not.toContain("@DevServer");
        expect(r.text).not.toContain("admin_pass");
        const id = r.body.id;
        await waitStatus(id, "RUNNING");
        const got = await c.get(`/dev-servers/${id}`);
        expect(got.body.endpoints).toMatchObject([{ service: "SSH", uri: expect.stringMatching(/^192\.168\.\d+\.\d+$/) }]);
        const state = JSON.stringify(await f.emu.admin.state());
        expect(state).not.toContain("@DevServer");
    });

    test("key pair, userdata, optional fields are accepted; userdata is never returned", async () => {
        const body = {
            ...SEED_CREATE_BODY,
            admin_pass: undefined,
            key_pair_name: "team-a",
            userdata: "IyEvYmluL2Jhc2gKZWNobyBzZWNyZXQ=",
            availability_zone: "cn-north-4a",
            arch: "ARM",
            server_type: "BMS",
            count: 1,
            root_volume: { type: "SSD", size: 100 },
        };
        const r = await c.post("/dev-servers", body);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ key_pair_name: "team-a", availability_zone: "cn-north-4a", cloud_server: { type: "BMS" } });
        expect(r.body.image.arch).toBe("ARM");
        expect(r.text).not.toContain("IyEvYmluL2Jhc2gK");
    });

    test.each([
        ["name is required", { name: undefined }],
        ["name is invalid", { name: "bad name!" }],
        ["name is invalid", { name: "x".repeat(65) }],
        ["flavor is required", { flavor: undefined }],
        ["image_id is required", { image_id: undefined }],
        ["network is required", { network: undefined }],
        ["network.security_group_id is required", { network: { vpc_id: "v", subnet_id: "s" } }],
        ["network.subnet_id is required", { network: { vpc_id: "v", security_group_id: "g" } }],
        ["network.vpc_id is required", { network: { subnet_id: "s", security_group_id: "g" } }],
        ["either admin_pass or key_pair_name", { admin_pass: undefined }],
        ["only one of admin_pass and key_pair_name", { key_pair_name: "kp" }],
        ["8 to 26 characters", { admin_pass: "Ab1!" }],
        ["at least three", { admin_pass: "abcdefgh12" }],
        ["cannot contain root", { admin_pass: "Root1234abc" }],
        ["cannot contain root", { admin_pass: "Toor1234abc" }],
        ["not allowed", { admin_pass: "Abc123#$%x" }],
        ["count must be 1", { count: 2 }],
        ["arch is invalid", { arch: "MIPS" }],
        ["server_type is invalid", { server_type: "VM" }],
        ["charging_info.charging_mode is invalid", { charging_info: { charging_mode: "FREE" } }],
        ["charging_info.period_type is required", { charging_info: { charging_mode: "PRE_PAID", period_num: 1 } }],
        ["charging_info.period_num is required", { charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH" } }],
        // the API reference marks the period mandatory whenever charging_info is sent
        ["charging_info.period_type is required", { charging_info: { charging_mode: "POST_PAID" } }],
        ["charging_info.period_type is invalid", { charging_info: { charging_mode: "PRE_PAID", period_type: "FORTNIGHT", period_num: 1 } }],
        ["root_volume.type is invalid", { root_volume: { type: "HDD" } }],
    ])("create rejects a bad field → 400 \"%s\"", async (message, patch) => {
        const body: Record<string, unknown> = { ...SEED_CREATE_BODY, ...patch };
        for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
        const r = await c.post("/dev-servers", body);
        expect(r.status).toBe(400);
        expect(r.body.error_code).toBe(ERROR_CODES.DEV_SERVER_INVALID_PARAM);
        expect(r.body.error_msg).toContain(message);
        expect((await c.get("/dev-servers")).body.total).toBe(0);
    });

    test("create rejects a non-JSON body and a non-object body", async () => {
        const r1 = await c.call({ method: "POST", path: `/v1/${f.emu.projectId}/dev-servers`, rawBody: "{not json" });
        expect(r1.status).toBe(400);
        expect(r1.body.error_msg).toContain("not valid JSON");
        const r2 = await c.post("/dev-servers", [1, 2]);
        expect(r2.status).toBe(400);
    });

    test("PRE_PAID answers an order_id and no id; once the (auto-paid) order completes the list finds the server by order_id", async () => {
        const body = { ...SEED_CREATE_BODY, charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH", period_num: 1, is_auto_pay: true } };
        const r = await c.post("/dev-servers", body);
        expect(r.status).toBe(200);
        expect(r.body.id).toBeUndefined();
        expect(r.body.order_id).toMatch(/^[a-zA-Z0-9]{1,64}$/);
        expect(r.body.charging_mode).toBe("PRE_PAID");
        const listed = () => c.get("/dev-servers").then((list) => list.body.data.find((s: { order_id?: string }) => s.order_id === r.body.order_id));
        const found = await waitUntil(listed, (s) => s !== undefined);
        expect(found.id).toMatch(UUID);
        expect(found.charging_mode).toBe("PRE_PAID");
    });

    test("list: {data,total}, creation order, limit/offset paging, default limit 10, bad paging rejected", async () => {
        const ids: string[] = [];
        for (let i = 0; i < 12; i++) ids.push((await c.post("/dev-servers", { ...SEED_CREATE_BODY, name: `s-${i}` })).body.id);
        const first = await c.get("/dev-servers");
        expect(first.body.total).toBe(12);
        expect(first.body.data.map((s: { id: string }) => s.id)).toEqual(ids.slice(0, 10));
        const page = await c.get("/dev-servers", { limit: "5", offset: "10" });
        expect(page.body.data.map((s: { id: string }) => s.id)).toEqual(ids.slice(10));
        expect(page.body.total).toBe(12);
        for (const q of [{ limit: "1025" }, { limit: "x" }, { offset: "-1" }] as Record<string, string>[]) {
            const bad = await c.get("/dev-servers", q);
            expect(bad.status).toBe(400);
            expect(bad.body.error_code).toBe(ERROR_CODES.DEV_SERVER_INVALID_PARAM);
        }
    });

    test("stop (seed 001) → STOPPING → STOPPED; start → STARTING → RUNNING", async () => {
        const id = await running();
        const stop = await c.put(`/dev-servers/${id}/stop`);
        expect(stop.status).toBe(200);
        expect(stop.body.status).toBe("STOPPING");
        await waitStatus(id, "STOPPED");
        expect((await c.get(`/dev-servers/${id}`)).body.endpoints).toEqual([]);
        const start = await c.put(`/dev-servers/${id}/start`, {});
        expect(start.status).toBe(200);
        expect(start.body.status).toBe("STARTING");
        await waitStatus(id, "RUNNING");
    });

    test("refusals: start of RUNNING, stop of STOPPED (400); any action during a transition (409 naming the status)", async () => {
        const created = await c.post("/dev-servers", SEED_CREATE_BODY);
        const id = created.body.id;
        for (const attempt of [
            () => c.put(`/dev-servers/${id}/start`, {}),
            () => c.put(`/dev-servers/${id}/stop`),
            () => c.del(`/dev-servers/${id}`),
            () => c.put(`/dev-servers/${id}`, { name: "renamed" }),
        ]) {
            const r = await attempt();
            expect(r.status).toBe(409);
            expect(r.body.error_code).toBe(ERROR_CODES.DEV_SERVER_BUSY);
            expect(r.body.error_msg).toContain("CREATING");
        }
        await waitStatus(id, "RUNNING");
        const startRunning = await c.put(`/dev-servers/${id}/start`, {});
        expect(startRunning.status).toBe(400);
        expect(startRunning.body.error_code).toBe(ERROR_CODES.DEV_SERVER_WRONG_STATUS);
        expect(startRunning.body.error_msg).toContain("RUNNING");
        await c.put(`/dev-servers/${id}/stop`);
        const during = await c.put(`/dev-servers/${id}/start`, {});
        expect(during.status).toBe(409);
        expect(during.body.error_msg).toContain("STOPPING");
        await waitStatus(id, "STOPPED");
        const stopStopped = await c.put(`/dev-servers/${id}/stop`);
        expect(stopStopped.status).toBe(400);
        expect(stopStopped.body.error_code).toBe(ERROR_CODES.DEV_SERVER_WRONG_STATUS);
        await c.put(`/dev-servers/${id}/start`, {});
        const duringStart = await c.put(`/dev-servers/${id}/stop`);
        expect(duringStart.status).toBe(409);
        expect(duringStart.body.error_msg).toContain("STARTING");
    });

    test("rename: PUT {name} validates and renames", async () => {
        const id = await running();
        const r = await c.put(`/dev-servers/${id}`, { name: "renamed-1" });
        expect(r.status).toBe(200);
        expect(r.body.name).toBe("renamed-1");
        expect((await c.get(`/dev-servers/${id}`)).body.name).toBe("renamed-1");
        const bad = await c.put(`/dev-servers/${id}`, { name: "no spaces" });
        expect(bad.status).toBe(400);
        expect(bad.body.error_msg).toContain("name");
    });

    test("delete (seed 000): DELETING, then 404 ModelArts.6404 naming the id; deleting during DELETING is refused", async () => {
        const id = await running();
        const del = await c.del(`/dev-servers/${id}`);
        expect(del.status).toBe(200);
        expect(del.body.status).toBe("DELETING");
        expect(del.body.id).toBe(id);
        const again = await c.del(`/dev-servers/${id}`);
        expect(again.status).toBe(409);
        expect(again.body.error_msg).toContain("DELETING");
        const gone = await waitUntil(() => c.get(`/dev-servers/${id}`), (r) => r.status !== 200);
        expect(gone.status).toBe(400);
        expect(gone.body).toEqual({ error_code: "ModelArts.6404", error_msg: `DevServer ${id} does not exist`, request_id: expect.any(String) });
        expect((await c.get("/dev-servers")).body.total).toBe(0);
        for (const r of [await c.put(`/dev-servers/${id}/start`, {}), await c.put(`/dev-servers/${id}/stop`), await c.del(`/dev-servers/${id}`)]) {
            expect(r.status).toBe(400);
        }
    });

    test("deletedRetentionMs: a deleted server is shown as DELETED for a while, then not found", async () => {
        await f.emu.admin.setConfig({ deletedRetentionMs: 150 });
        const id = await running();
        await c.del(`/dev-servers/${id}`);
        await waitStatus(id, "DELETED");
        expect((await c.get("/dev-servers")).body.data[0].status).toBe("DELETED");
        expect((await c.put(`/dev-servers/${id}/start`, {})).status).toBe(400);
        await waitUntil(() => c.get(`/dev-servers/${id}`), (r) => r.status === 400);
    });

    test("a missing server answers 400 ModelArts.6404 with a request id, as the real API does", async () => {
        const missing = "62383738-e52a-450a-9f84-f9e705402be8";
        for (const r of [await c.get(`/dev-servers/${missing}`), await c.del(`/dev-servers/${missing}`), await c.put(`/dev-servers/${missing}/stop`)]) {
            expect(r.status).toBe(400);
            expect(r.body).toEqual({ error_code: "ModelArts.6404", error_msg: `DevServer ${missing} does not exist`, request_id: expect.any(String) });
        }
        await f.emu.admin.setConfig({ notFoundAs400: false });
        expect((await c.get(`/dev-servers/${missing}`)).status).toBe(404);
    });

    test("notFoundAs400: false as a start option (the seed pages' 404)", async () => {
        await f.emu.close();
        f = await startFast({ notFoundAs400: false });
        c = f.client;
        expect((await c.get("/dev-servers/nope")).status).toBe(404);
    });

    test("start refuses an empty body (the real API needs {}); stop takes none", async () => {
        const id = await running();
        await c.put(`/dev-servers/${id}/stop`);
        await waitStatus(id, "STOPPED");
        const bare = await c.put(`/dev-servers/${id}/start`);
        expect(bare.status).toBe(400);
        expect(bare.body.error_code).toBe("ModelArts.6401");
        expect((await c.put(`/dev-servers/${id}/start`, {})).status).toBe(200);
    });

    test("every success body carries a field the API did not announce, in lists too", async () => {
        const id = await running();
        const one = await c.get(`/dev-servers/${id}`);
        expect(one.body.unannounced_field).toBeDefined();
        const list = await c.get("/dev-servers");
        expect(list.body.unannounced_field).toBeDefined();
        expect(list.body.data[0].unannounced_field).toBeDefined();
    });

    test("injected failures: create → CREATE_FAILED, then the failed server can be deleted", async () => {
        await f.emu.admin.injectFailure({ kind: "create" });
        const r = await c.post("/dev-servers", SEED_CREATE_BODY);
        expect(r.body.status).toBe("CREATING");
        await waitStatus(r.body.id, "CREATE_FAILED");
        expect((await f.emu.admin.failures()).length).toBe(0);
        const del = await c.del(`/dev-servers/${r.body.id}`);
        expect(del.status).toBe(200);
        expect(del.body.status).toBe("DELETING");
        await waitUntil(() => c.get(`/dev-servers/${r.body.id}`), (x) => x.status === 400);
        // The next create is healthy again.
        await running();
    });

    test("injected failures per kind, count, and scoped to one server id or project", async () => {
        const a = await running();
        const b = await running({ ...SEED_CREATE_BODY, name: "other" });
        await f.emu.admin.injectFailure({ kind: "stop", resourceId: b, count: 2 });
        await c.put(`/dev-servers/${a}/stop`);
        await waitStatus(a, "STOPPED");
        await c.put(`/dev-servers/${b}/stop`);
        await waitStatus(b, "STOP_FAILED");
        expect((await f.emu.admin.failures())[0].remaining).toBe(1);
        await f.emu.admin.injectFailure({ kind: "start", status: "ERROR" });
        await c.put(`/dev-servers/${a}/start`, {});
        await waitStatus(a, "ERROR");
        await f.emu.admin.injectFailure({ kind: "delete", projectId: f.emu.tenants[0].projects[1].id });
        await c.del(`/dev-servers/${a}`);
        await waitUntil(() => c.get(`/dev-servers/${a}`), (x) => x.status === 400);
        await f.emu.admin.clearFailures();
        await f.emu.admin.injectFailure({ kind: "delete" });
        await c.del(`/dev-servers/${b}`);
        await waitStatus(b, "DELETE_FAILED");
    });

    test("out-of-band actions: stop behind the tenant's back, start, delete (also immediate)", async () => {
        const id = await running();
        const stopped = await f.emu.admin.devServerAction({ id, action: "stop" });
        expect(stopped.status).toBe("STOPPING");
        await waitStatus(id, "STOPPED");
        const noop = await f.emu.admin.devServerAction({ id, action: "stop" });
        expect(noop.status).toBe("STOPPED");
        await f.emu.admin.devServerAction({ id, action: "start", immediate: true });
        expect(await statusOf(id)).toBe("RUNNING");
        // Out-of-band actions bypass refusals: stop a server that is still creating.
        const creating = (await c.post("/dev-servers", { ...SEED_CREATE_BODY, name: "young" })).body.id;
        expect((await f.emu.admin.devServerAction({ id: creating, action: "stop" })).status).toBe("STOPPING");
        await waitStatus(creating, "STOPPED");
        await f.emu.admin.devServerAction({ id, action: "delete", immediate: true });
        expect((await c.get(`/dev-servers/${id}`)).status).toBe(400);
        await expect(f.emu.admin.devServerAction({ id, action: "stop" })).rejects.toMatchObject({ status: 400 });
    });

    test("unknown API paths and methods answer 404 APIGW.0101", async () => {
        const r = await c.call({ method: "PATCH", path: `/v1/${f.emu.projectId}/dev-servers` });
        expect(r.status).toBe(404);
        expect(r.body.error_code).toBe(ERROR_CODES.API_NOT_FOUND);
        const r2 = await c.get("/no-such-family");
        expect(r2.status).toBe(404);
    });

    test("statuses are computed lazily: nothing changes without time passing", async () => {
        const id = (await c.post("/dev-servers", SEED_CREATE_BODY)).body.id;
        expect(await statusOf(id)).toBe("CREATING");
        await sleep(200);
        expect(await statusOf(id)).toBe("RUNNING");
    });
});

describe("a transition that has just finished", () => {
    it("never shows the internal GONE marker: a finished deletion reads as DELETED", async () => {
        const { viewTransition, GONE } = await import("../../emulator/model/state");
        const view = viewTransition({ kind: "delete", startedAt: 0, steps: [{ status: "DELETING", durationMs: 10 }], final: GONE }, 50);
        expect(view).toMatchObject({ status: "DELETED", done: true });
    });
});
