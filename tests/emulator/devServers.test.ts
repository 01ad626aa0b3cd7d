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
        ["resource_flavor (or the deprecated flavor) is required", { flavor: undefined }],
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

describe("emulator: DevServer extras (flavors, volumes, HPS, reboot, OS, volume operations, EIPs)", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeEach(async () => {
        f = await startFast();
        c = f.client;
    });
    afterEach(() => f.emu.close());

    const HPS_CLUSTER = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
    const NEW_IMAGE = "5f3b2a10-0c1d-4e2f-8a9b-0123456789ab";
    const statusOf = async (id: string) => (await c.get(`/dev-servers/${id}`)).body.status as string;
    const waitStatus = (id: string, status: string) => waitUntil(() => statusOf(id), (s) => s === status);
    async function server(body: object = SEED_CREATE_BODY, status = "RUNNING"): Promise<string> {
        const r = await c.post("/dev-servers", body);
        expect(r.status).toBe(200);
        await waitStatus(r.body.id, "RUNNING");
        if (status === "STOPPED") {
            // HPS servers stop through the SDK's hyperinstance endpoint.
            const hps = (body as { server_type?: string }).server_type === "HPS";
            expect((await c.put(`/dev-servers/${hps ? "hyperinstance/" : ""}${r.body.id}/stop`)).status).toBe(200);
            await waitStatus(r.body.id, "STOPPED");
        }
        return r.body.id;
    }
    const opStatus = async (id: string, opId: string) => (await c.get(`/dev-servers/${id}/operation/${opId}`)).body;
    const waitOp = (id: string, opId: string) =>
        waitUntil(() => opStatus(id, opId), (o) => o.operation_status === "success" || o.operation_status === "failed");

    test("resource_flavor instead of flavor; GET shows it and the flavor name", async () => {
        const r = await c.post("/dev-servers", { ...SEED_CREATE_BODY, flavor: undefined, resource_flavor: "modelarts.snt9b23.large" });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ resource_flavor: "modelarts.snt9b23.large", flavor: "modelarts.snt9b23.large" });
        const legacy = await c.post("/dev-servers", { ...SEED_CREATE_BODY, name: "legacy" });
        expect(legacy.body.resource_flavor).toBeUndefined();
        expect(legacy.body.flavor).toBe("Si2.large.4");
    });

    test("volumes: the ROOT disk and `count` DATA disks, each with an EVS id, in GET and list", async () => {
        const r = await c.post("/dev-servers", {
            ...SEED_CREATE_BODY,
            root_volume: { size: 200, type: "GPSSD" },
            data_volume: { size: 500, type: "SSD", count: 2 },
        });
        expect(r.status).toBe(200);
        const got = (await c.get(`/dev-servers/${r.body.id}`)).body;
        expect(got.volumes).toEqual([
            expect.objectContaining({ size: 200, type: "ROOT", evs_type: "GPSSD", evs_id: expect.stringMatching(UUID) }),
            expect.objectContaining({ size: 500, type: "DATA", evs_type: "SSD", evs_id: expect.stringMatching(UUID) }),
            expect.objectContaining({ size: 500, type: "DATA", evs_type: "SSD", evs_id: expect.stringMatching(UUID) }),
        ]);
        const listed = (await c.get("/dev-servers")).body.data[0];
        expect(listed.volumes.map((x: { evs_id: string }) => x.evs_id)).toEqual(got.volumes.map((x: { evs_id: string }) => x.evs_id));
        // Without root_volume: a default ROOT disk still shows.
        const plain = await c.post("/dev-servers", { ...SEED_CREATE_BODY, name: "plain" });
        expect(plain.body.volumes).toEqual([expect.objectContaining({ type: "ROOT", evs_id: expect.stringMatching(UUID) })]);
    });

    test("HPS: hps_cluster_id required, key pair only, no count", async () => {
        const hps = { ...SEED_CREATE_BODY, admin_pass: undefined, key_pair_name: "kp", server_type: "HPS", hps_cluster_id: HPS_CLUSTER };
        const ok = await c.post("/dev-servers", hps);
        expect(ok.status).toBe(200);
        expect(ok.body).toMatchObject({ cloud_server: { type: "HPS" }, category: "HPS" });
        const addressPairs = await c.post("/dev-servers", {
            ...SEED_CREATE_BODY,
            name: "pairs",
            network: { ...SEED_CREATE_BODY.network, allowed_address_pairs: [{ ip_address: "10.0.0.0/24", mac_address: "fa:16:3e:00:00:01" }] },
        });
        expect(addressPairs.status).toBe(200);
    });

    test.each([
        ["resource_flavor and flavor", { resource_flavor: "r" }, "only one of resource_flavor and flavor"],
        ["root volume 99 GB", { root_volume: { size: 99 } }, "root_volume.size must be between 100 and 1024, got 99"],
        ["root volume 1025 GB", { root_volume: { size: 1025 } }, "root_volume.size must be between 100 and 1024"],
        ["root volume type", { root_volume: { size: 100, type: "NVME" } }, "root_volume.type is invalid"],
        ["data volume 32769 GB", { data_volume: { size: 32769 } }, "data_volume.size must be between 100 and 32768"],
        ["data volume 99 GB", { data_volume: { size: 99 } }, "data_volume.size must be between 100 and 32768"],
        ["data volume count 9", { data_volume: { size: 100, count: 9 } }, "data_volume.count must be between 1 and 8"],
        ["data volume without size", { data_volume: { type: "SSD" } }, "data_volume.size is required"],
        ["data volume as a list", { data_volume: [{ size: 100 }] }, "data_volume must be a JSON object"],
        ["period_num 12", { charging_info: { charging_mode: "POST_PAID", period_type: "MONTH", period_num: 12 } }, "charging_info.period_num must be between 1 and 11"],
        ["server_type unknown", { server_type: "VM" }, "server_type is invalid"],
        ["HPS without cluster", { server_type: "HPS", admin_pass: undefined, key_pair_name: "kp" }, "hps_cluster_id is required"],
        ["cluster without HPS", { hps_cluster_id: HPS_CLUSTER }, "hps_cluster_id is only valid when server_type is HPS"],
        ["HPS with a password", { server_type: "HPS", hps_cluster_id: HPS_CLUSTER }, "admin_pass is not supported when server_type is HPS"],
        ["HPS with count", { server_type: "HPS", hps_cluster_id: HPS_CLUSTER, admin_pass: undefined, key_pair_name: "kp", count: 1 }, "count is not supported"],
        ["cluster id not a UUID", { server_type: "HPS", hps_cluster_id: "c-1", admin_pass: undefined, key_pair_name: "kp" }, "hps_cluster_id is invalid"],
        ["address pairs not a list", { network: { ...SEED_CREATE_BODY.network, allowed_address_pairs: { ip_address: "1.2.3.4" } } }, "network.allowed_address_pairs must be a list"],
        ["address pair without ip", { network: { ...SEED_CREATE_BODY.network, allowed_address_pairs: [{ mac_address: "m" }] } }, "network.allowed_address_pairs[0].ip_address is required"],
        ["address pair 0.0.0.0/0", { network: { ...SEED_CREATE_BODY.network, allowed_address_pairs: [{ ip_address: "0.0.0.0/0" }] } }, "0.0.0.0/0 is not supported"],
        ["two different user data", { userdata: "YQ==", user_data: "Yg==" }, "userdata and user_data differ"],
    ])("create refuses %s → 400 naming the field", async (_what, change, message) => {
        const r = await c.post("/dev-servers", { ...SEED_CREATE_BODY, ...change });
        expect(r.status).toBe(400);
        expect(r.body.error_code).toBe(ERROR_CODES.DEV_SERVER_INVALID_PARAM);
        expect(r.body.error_msg).toContain(message);
        expect(r.text).not.toContain("@DevServer");
        expect((await c.get("/dev-servers")).body.total).toBe(0);
        expect((await f.emu.admin.state()).projects[f.emu.projectId].devServers).toHaveLength(0);
    });

    test("reboot: REBOOTING → RUNNING, only from RUNNING; no body needed", async () => {
        const id = await server();
        const r = await c.put(`/dev-servers/${id}/reboot`);
        expect(r.status).toBe(200);
        expect(r.body.status).toBe("REBOOTING");
        expect((await c.put(`/dev-servers/${id}/reboot`)).status).toBe(409);
        await waitStatus(id, "RUNNING");
        await c.put(`/dev-servers/${id}/stop`);
        await waitStatus(id, "STOPPED");
        const refused = await c.put(`/dev-servers/${id}/reboot`);
        expect(refused.status).toBe(400);
        expect(refused.body.error_code).toBe(ERROR_CODES.DEV_SERVER_WRONG_STATUS);
        expect(refused.body.error_msg).toContain("must be RUNNING");
    });

    test("changeos: only from STOPPED, CHANGINGOS → RUNNING on the new image; the key pair replaces the password; secrets never returned", async () => {
        const id = await server();
        const body = { image_id: NEW_IMAGE, key_pair_name: "kp-new", user_data: "c2VjcmV0LXVzZXItZGF0YQ==" };
        const running = await c.post(`/dev-servers/${id}/changeos`, body);
        expect(running.status).toBe(400);
        expect(running.body.error_msg).toContain("must be STOPPED");
        await c.put(`/dev-servers/${id}/stop`);
        await waitStatus(id, "STOPPED");
        const r = await c.post(`/dev-servers/${id}/changeos`, body);
        expect(r.status).toBe(200);
        expect(r.body.status).toBe("CHANGINGOS");
        expect(r.body.image.image_id).toBe(SEED_CREATE_BODY.image_id);
        await waitStatus(id, "RUNNING");
        const got = await c.get(`/dev-servers/${id}`);
        expect(got.body.image.image_id).toBe(NEW_IMAGE);
        expect(got.body.key_pair_name).toBe("kp-new");
        expect(got.text).not.toContain("c2VjcmV0LXVzZXItZGF0YQ");
        expect(JSON.stringify(await f.emu.admin.state())).not.toContain("c2VjcmV0LXVzZXItZGF0YQ");
    });

    test.each([
        ["no image_id", { admin_pass: "Pa55word!x" }, "image_id is required"],
        ["no login", { image_id: NEW_IMAGE }, "either admin_pass or key_pair_name"],
        ["both logins", { image_id: NEW_IMAGE, admin_pass: "Pa55word!x", key_pair_name: "kp" }, "only one of admin_pass and key_pair_name"],
        ["weak password", { image_id: NEW_IMAGE, admin_pass: "password" }, "admin_pass must contain at least three"],
    ])("changeos refuses %s → 400, the password not echoed", async (_what, body, message) => {
        const id = await server(SEED_CREATE_BODY, "STOPPED");
        const r = await c.post(`/dev-servers/${id}/changeos`, body);
        expect(r.status).toBe(400);
        expect(r.body.error_msg).toContain(message);
        expect(r.text).not.toContain("Pa55word!x");
        expect(await statusOf(id)).toBe("STOPPED");
    });

    test("reinstallos: image optional (same image), REINSTALLINGOS → RUNNING; HPS refuses a password", async () => {
        const id = await server(SEED_CREATE_BODY, "STOPPED");
        const r = await c.post(`/dev-servers/${id}/reinstallos`, { admin_pass: "Pa55word!x" });
        expect(r.status).toBe(200);
        expect(r.body.status).toBe("REINSTALLINGOS");
        await waitStatus(id, "RUNNING");
        expect((await c.get(`/dev-servers/${id}`)).body.image.image_id).toBe(SEED_CREATE_BODY.image_id);
        const hps = await server({ ...SEED_CREATE_BODY, name: "hps", admin_pass: undefined, key_pair_name: "kp", server_type: "HPS", hps_cluster_id: HPS_CLUSTER }, "STOPPED");
        const refused = await c.post(`/dev-servers/${hps}/reinstallos`, { admin_pass: "Pa55word!x" });
        expect(refused.status).toBe(400);
        expect(refused.body.error_msg).toContain("admin_pass is not supported when server_type is HPS");
    });

    test("injected failures: REBOOT_FAILED, CHANGINGOS_FAILED (image unchanged), REINSTALLINGOS_FAILED", async () => {
        const id = await server();
        await f.emu.admin.injectFailure({ kind: "reboot" });
        await c.put(`/dev-servers/${id}/reboot`);
        await waitStatus(id, "REBOOT_FAILED");
        const b = await server({ ...SEED_CREATE_BODY, name: "b" }, "STOPPED");
        await f.emu.admin.injectFailure({ kind: "changeos", resourceId: b });
        await c.post(`/dev-servers/${b}/changeos`, { image_id: NEW_IMAGE, key_pair_name: "kp" });
        await waitStatus(b, "CHANGINGOS_FAILED");
        expect((await c.get(`/dev-servers/${b}`)).body.image.image_id).toBe(SEED_CREATE_BODY.image_id);
        const d = await server({ ...SEED_CREATE_BODY, name: "d" }, "STOPPED");
        await f.emu.admin.injectFailure({ kind: "reinstallos" });
        await c.post(`/dev-servers/${d}/reinstallos`, { key_pair_name: "kp" });
        await waitStatus(d, "REINSTALLINGOS_FAILED");
        await expect(f.emu.admin.injectFailure({ kind: "hibernate" as never })).rejects.toMatchObject({ status: 400 });
        await expect(f.emu.admin.injectFailure({ family: "notebook", kind: "reboot" })).rejects.toMatchObject({ status: 400 });
    });

    test("attach: an operation pending → running → success; the volume then shows as DATA; detach removes it", async () => {
        const id = await server();
        const vol = await f.emu.admin.createVolume({ size: 300, type: "SSD" });
        const r = await c.post(`/dev-servers/${id}/attachvolume`, { volume_id: vol.id });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ operation_id: expect.stringMatching(UUID), operation_status: "pending", operation_type: "node_attach_volume" });
        expect((await c.get(`/dev-servers/${id}`)).body.volumes).toHaveLength(1);
        const seen = new Set<string>();
        const done = await waitUntil(
            () => opStatus(id, r.body.operation_id).then((o) => (seen.add(o.operation_status), o)),
            (o) => o.operation_status === "success",
        );
        expect(done.operation_error).toBeUndefined();
        expect(seen.has("running")).toBe(true);
        const got = (await c.get(`/dev-servers/${id}`)).body;
        expect(got.volumes).toEqual([
            expect.objectContaining({ type: "ROOT" }),
            expect.objectContaining({ size: 300, type: "DATA", evs_type: "SSD", evs_id: vol.id }),
        ]);
        const d = await c.del(`/dev-servers/${id}/detachvolume/${vol.id}`);
        expect(d.status).toBe(200);
        expect(d.body).toMatchObject({ operation_status: "pending", operation_type: "node_detach_volume" });
        expect((await waitOp(id, d.body.operation_id)).operation_status).toBe("success");
        expect((await c.get(`/dev-servers/${id}`)).body.volumes).toEqual([expect.objectContaining({ type: "ROOT" })]);
    });

    test("attach refuses a volume that does not exist or is in use, a server not RUNNING/STOPPED; detach refuses ROOT and strangers", async () => {
        const a = await server();
        const b = await server({ ...SEED_CREATE_BODY, name: "b" });
        const missing = await c.post(`/dev-servers/${a}/attachvolume`, { volume_id: "0b1c2d3e-0000-4a6b-8c7d-9e0f1a2b3c4d" });
        expect(missing.status).toBe(400);
        expect(missing.body.error_msg).toContain("volume_id 0b1c2d3e-0000-4a6b-8c7d-9e0f1a2b3c4d is not an EVS volume of this project");
        expect((await c.post(`/dev-servers/${a}/attachvolume`, {})).body.error_msg).toContain("volume_id is required");
        const vol = await f.emu.admin.createVolume();
        const first = await c.post(`/dev-servers/${a}/attachvolume`, { volume_id: vol.id });
        const busy = await c.post(`/dev-servers/${b}/attachvolume`, { volume_id: vol.id });
        expect(busy.status).toBe(400);
        expect(busy.body.error_msg).toContain("is in use");
        await waitOp(a, first.body.operation_id);
        expect((await c.post(`/dev-servers/${b}/attachvolume`, { volume_id: vol.id })).body.error_msg).toContain("is in use");
        const root = (await c.get(`/dev-servers/${a}`)).body.volumes[0].evs_id;
        expect((await c.del(`/dev-servers/${a}/detachvolume/${root}`)).body.error_msg).toContain("ROOT volume");
        expect((await c.del(`/dev-servers/${b}/detachvolume/${vol.id}`)).body.error_msg).toContain("is not attached to DevServer");
        await c.put(`/dev-servers/${b}/reboot`);
        const other = await f.emu.admin.createVolume();
        const rebooting = await c.post(`/dev-servers/${b}/attachvolume`, { volume_id: other.id });
        expect(rebooting.status).toBe(409);
        const unknownOp = await c.get(`/dev-servers/${a}/operation/nope`);
        expect(unknownOp.status).toBe(400);
        expect(unknownOp.body.error_msg).toContain("operation_id nope");
    });

    test("injected attach failure: the operation ends failed with operation_error and the volume is free again", async () => {
        const id = await server(SEED_CREATE_BODY, "STOPPED");
        const vol = await f.emu.admin.createVolume();
        await f.emu.admin.injectFailure({ kind: "attach", reason: { code: "EVS.2001", message: "The volume is frozen." } });
        const r = await c.post(`/dev-servers/${id}/attachvolume`, { volume_id: vol.id });
        const done = await waitOp(id, r.body.operation_id);
        expect(done).toMatchObject({ operation_status: "failed", operation_error: { code: "EVS.2001", message: "The volume is frozen." } });
        expect((await c.get(`/dev-servers/${id}`)).body.volumes).toHaveLength(1);
        const again = await c.post(`/dev-servers/${id}/attachvolume`, { volume_id: vol.id });
        expect((await waitOp(id, again.body.operation_id)).operation_status).toBe("success");
        await f.emu.admin.injectFailure({ kind: "detach" });
        const d = await c.del(`/dev-servers/${id}/detachvolume/${vol.id}`);
        const failed = await waitOp(id, d.body.operation_id);
        expect(failed).toMatchObject({ operation_status: "failed", operation_error: { code: expect.any(String), message: expect.any(String) } });
        expect((await c.get(`/dev-servers/${id}`)).body.volumes).toHaveLength(2);
    });

    test("public IP: bind a free EIP, list it; in use elsewhere or unknown → 400; delete frees volumes and EIPs", async () => {
        const a = await server();
        const b = await server({ ...SEED_CREATE_BODY, name: "b" });
        const eip = await f.emu.admin.createPublicIp();
        expect((await c.get(`/dev-servers/${a}/publicips`)).body.public_ips).toEqual([]);
        const r = await c.post(`/dev-servers/${a}/publicips`, { public_ip_id: eip.id });
        expect(r.status).toBe(200);
        expect(r.body.public_ips).toEqual([expect.objectContaining({ id: eip.id, address: eip.address })]);
        expect((await c.get(`/dev-servers/${a}/publicips`)).body.public_ips).toEqual([expect.objectContaining({ id: eip.id })]);
        expect((await c.post(`/dev-servers/${a}/publicips`, { public_ip_id: eip.id })).status).toBe(200);
        const taken = await c.post(`/dev-servers/${b}/publicips`, { public_ip_id: eip.id });
        expect(taken.status).toBe(400);
        expect(taken.body.error_msg).toContain("is in use");
        expect((await c.post(`/dev-servers/${b}/publicips`, { public_ip_id: "nope" })).body.error_msg).toContain("public_ip_id nope is not an EIP");
        expect((await c.post(`/dev-servers/${b}/publicips`, {})).body.error_msg).toContain("public_ip_id is required");
        const vol = await f.emu.admin.createVolume();
        await waitOp(a, (await c.post(`/dev-servers/${a}/attachvolume`, { volume_id: vol.id })).body.operation_id);
        await c.del(`/dev-servers/${a}`);
        await waitUntil(() => c.get(`/dev-servers/${a}`).then((x) => x.status), (s) => s === 400);
        expect((await c.post(`/dev-servers/${b}/publicips`, { public_ip_id: eip.id })).status).toBe(200);
        expect((await c.post(`/dev-servers/${b}/attachvolume`, { volume_id: vol.id })).status).toBe(200);
    });

    test("the start action still refuses an empty body; the new paths reject other methods with 404", async () => {
        const id = await server(SEED_CREATE_BODY, "STOPPED");
        expect((await c.put(`/dev-servers/${id}/start`)).status).toBe(400);
        expect((await c.post(`/dev-servers/${id}/reboot`)).status).toBe(404);
        expect((await c.put(`/dev-servers/${id}/start/extra`, {})).status).toBe(404);
        expect((await c.get(`/dev-servers/${id}/detachvolume/x`)).status).toBe(404);
    });
});
