import { ERROR_CODES } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { Fixture, startFast } from "./fixtures";

const HOUR = 3600;

describe("emulator: development-environment instances (demanager)", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeEach(async () => {
        f = await startFast();
        c = f.client;
    });
    afterEach(() => f.emu.close());

    const path = (id: string) => `/demanager/instances/${id}`;
    const get = async (id: string) => (await c.get(path(id))).body;
    const waitStatus = (id: string, status: string) => waitUntil(() => get(id), (b) => b.status === status);

    test("GET (seed 004): the full body shape; missing → 404 ModelArts.6309 with error_message", async () => {
        const seeded = await f.emu.admin.seedNotebook({ status: "RUNNING", name: "notebook-c6fd", flavor: "modelarts.bm.gpu.v100NV32" });
        const r = await c.get(path(seeded.id as string));
        expect(r.status).toBe(200);
        const b = r.body;
        for (const key of [
            "ai_project",
            "creation_timestamp",
            "description",
            "flavor",
            "flavor_details",
            "id",
            "latest_update_timestamp",
            "name",
            "profile",
            "spec",
            "status",
            "user",
            "workspace",
        ]) {
            expect(b).toHaveProperty(key);
        }
        expect(b).toMatchObject({
            ai_project: { id: "default-ai-project" },
            flavor: "modelarts.bm.gpu.v100NV32",
            flavor_details: { name: "modelarts.bm.gpu.v100NV32", status: "onSale", type: "GPU" },
            name: "notebook-c6fd",
            profile: { de_type: "Notebook", provision: { type: "Docker", spec: { engine: "CCE" } } },
            spec: { auto_stop: { enable: false, duration: 3600, prompt: true }, extend_params: null, failed_reasons: null, repository: null },
            status: "RUNNING",
            user: { id: f.emu.tenants[0].userId, name: f.emu.tenants[0].userName },
            workspace: { id: "0" },
        });
        expect(b.creation_timestamp).toMatch(/^\d{13}$/);
        expect(b.latest_update_timestamp).toMatch(/^\d{13}$/);
        expect(b.queuing_info).toBeUndefined();
        expect(b.spec.auto_stop.stop_timestamp).toBeUndefined();
        const missing = await c.get(path("6fa459ea-ee8a-3ca4-894e-db77e160355e"));
        expect(missing.status).toBe(400);
        expect(missing.body).toEqual({ error_code: "ModelArts.6309", error_message: "The instance does not exist.", request_id: expect.any(String) });
    });

    test("PUT (seed 003) with the example body updates the description and returns the full body", async () => {
        const seeded = await f.emu.admin.seedNotebook({ status: "RUNNING" });
        const r = await c.put(path(seeded.id as string), { description: "This is for test." });
        expect(r.status).toBe(200);
        expect(r.body.description).toBe("This is for test.");
        expect(r.body.id).toBe(seeded.id);
        expect(Number(r.body.latest_update_timestamp)).toBeGreaterThanOrEqual(Number(seeded.latest_update_timestamp));
        expect((await get(seeded.id as string)).description).toBe("This is for test.");
        expect((await c.put(path("nope"), { description: "x" })).body.error_code).toBe("ModelArts.6309");
    });

    test.each([
        [{ description: "x".repeat(513) }, "description must contain at most 512 characters"],
        [{ description: "a/b" }, "description cannot contain"],
        [{ description: "<b>" }, "description cannot contain"],
        [{ description: 5 }, "description must be a string"],
        [{ spec: { auto_stop: { enable: true } } }, "spec.auto_stop.duration is mandatory when spec.auto_stop.enable is true"],
        [{ spec: { auto_stop: { enable: true, duration: 3599 } } }, "spec.auto_stop.duration must be between 3600 and 86400"],
        [{ spec: { auto_stop: { enable: true, duration: 86401 } } }, "spec.auto_stop.duration must be between 3600 and 86400"],
        [{ spec: { auto_stop: { enable: true, duration: 3600.5 } } }, "spec.auto_stop.duration must be an integer"],
        [{ spec: { auto_stop: { enable: "yes", duration: 3600 } } }, "spec.auto_stop.enable must be a boolean"],
        [{ spec: { auto_stop: { prompt: 1 } } }, "spec.auto_stop.prompt must be a boolean"],
        [{ spec: { auto_stop: 7 } }, "spec.auto_stop must be a JSON object"],
        [{ spec: "x" }, "spec must be a JSON object"],
    ])("PUT rejects %j with 400 naming the field (error_message)", async (body, message) => {
        const seeded = await f.emu.admin.seedNotebook({ status: "RUNNING" });
        const r = await c.put(path(seeded.id as string), body);
        expect(r.status).toBe(400);
        expect(r.body.error_code).toBe(ERROR_CODES.NOTEBOOK_INVALID_PARAM);
        expect(r.body.error_message).toContain(message);
        expect(r.body.error_msg).toBeUndefined();
    });

    test("auto_stop: enabling on a STOPPED instance stores the config; stop_timestamp appears only while RUNNING", async () => {
        const nb = await f.emu.admin.seedNotebook({ status: "STOPPED" });
        const id = nb.id as string;
        const r = await c.put(path(id), { spec: { auto_stop: { enable: true, duration: 2 * HOUR, prompt: false } } });
        expect(r.body.spec.auto_stop).toEqual({ enable: true, duration: 7200, prompt: false });
        const start = await c.post(`${path(id)}/action`, { action: "start" });
        expect(start.body).toMatchObject({ current_status: "STARTING", previous_state: "STOPPED" });
        const running = await waitStatus(id, "RUNNING");
        const a = running.spec.auto_stop;
        expect(a.enable).toBe(true);
        expect(a.duration).toBe(7200);
        expect(a.stop_timestamp - Number(running.latest_update_timestamp)).toBe(7200 * 1000);
        expect(a.remain_time).toBeGreaterThan(7190);
        expect(a.remain_time).toBeLessThanOrEqual(7200);
    });

    test("auto_stop: a duration change while RUNNING takes effect at the next start", async () => {
        const since = Date.now() - 1000;
        const nb = await f.emu.admin.seedNotebook({ status: "RUNNING", autoStop: { enable: true, duration: HOUR }, runningSince: since });
        const id = nb.id as string;
        expect(nb.spec).toMatchObject({ auto_stop: { stop_timestamp: since + HOUR * 1000 } });
        const r = await c.put(path(id), { spec: { auto_stop: { enable: true, duration: 3 * HOUR } } });
        expect(r.body.spec.auto_stop.duration).toBe(3 * HOUR);
        expect(r.body.spec.auto_stop.stop_timestamp).toBe(since + HOUR * 1000);
        expect(r.body.spec.auto_stop.remain_time).toBeLessThanOrEqual(HOUR);
        await c.post(`${path(id)}/action`, { action: "stop" });
        const stopped = await waitStatus(id, "STOPPED");
        expect(stopped.spec.auto_stop.stop_timestamp).toBeUndefined();
        expect(stopped.spec.auto_stop.remain_time).toBeUndefined();
        await c.post(`${path(id)}/action`, { action: "start" });
        const again = await waitStatus(id, "RUNNING");
        expect(again.spec.auto_stop.stop_timestamp - Number(again.latest_update_timestamp)).toBe(3 * HOUR * 1000);
    });

    test("auto_stop: disabling while RUNNING clears the stop time at once; enabling counts from now", async () => {
        const nb = await f.emu.admin.seedNotebook({ status: "RUNNING", autoStop: { enable: true, duration: HOUR }, runningSince: Date.now() - 600_000 });
        const id = nb.id as string;
        const off = await c.put(path(id), { spec: { auto_stop: { enable: false } } });
        expect(off.body.spec.auto_stop).toEqual({ enable: false, duration: HOUR, prompt: true });
        const before = Date.now();
        const on = await c.put(path(id), { spec: { auto_stop: { enable: true, duration: 2 * HOUR } } });
        expect(on.body.spec.auto_stop.stop_timestamp).toBeGreaterThanOrEqual(before + 2 * HOUR * 1000);
        expect(on.body.spec.auto_stop.remain_time).toBeGreaterThan(2 * HOUR - 5);
    });

    test("auto_stop: a RUNNING instance whose stop time passes is STOPPED", async () => {
        const nb = await f.emu.admin.seedNotebook({
            status: "RUNNING",
            autoStop: { enable: true, duration: HOUR },
            runningSince: Date.now() - HOUR * 1000 + 400,
        });
        const id = nb.id as string;
        expect(nb.status).toBe("RUNNING");
        expect((nb.spec as { auto_stop: { remain_time: number } }).auto_stop.remain_time).toBe(0);
        const stopped = await waitStatus(id, "STOPPED");
        expect(stopped.spec.auto_stop.enable).toBe(true);
        expect(stopped.spec.auto_stop.stop_timestamp).toBeUndefined();
    });

    test("create → CREATING → RUNNING; stop/start refusals; delete → gone", async () => {
        const r = await c.post("/demanager/instances", { name: "nb-1", flavor: "modelarts.vm.cpu.2u", description: "demo" });
        expect(r.status).toBe(200);
        expect(r.body.status).toBe("CREATING");
        const id = r.body.id;
        const busy = await c.post(`${path(id)}/action`, { action: "stop" });
        expect(busy.status).toBe(409);
        expect(busy.body.error_code).toBe(ERROR_CODES.NOTEBOOK_BUSY);
        expect(busy.body.error_message).toContain("CREATING");
        expect((await c.del(path(id))).status).toBe(409);
        await waitStatus(id, "RUNNING");
        const startRunning = await c.post(`${path(id)}/action`, { action: "start" });
        expect(startRunning.status).toBe(400);
        expect(startRunning.body.error_code).toBe(ERROR_CODES.NOTEBOOK_WRONG_STATUS);
        expect((await c.post(`${path(id)}/action`, { action: "pause" })).status).toBe(400);
        const stop = await c.post(`${path(id)}/action`, { action: "stop" });
        expect(stop.body).toMatchObject({ current_status: "STOPPING", previous_state: "RUNNING" });
        expect((await c.post(`${path(id)}/action`, { action: "start" })).status).toBe(409);
        await waitStatus(id, "STOPPED");
        expect((await c.post(`${path(id)}/action`, { action: "stop" })).status).toBe(400);
        const list = await c.get("/demanager/instances");
        expect(list.body.total).toBe(1);
        const del = await c.del(path(id));
        expect(del.status).toBe(200);
        expect(del.body.status).toBe("DELETING");
        await waitUntil(() => c.get(path(id)), (x) => x.status === 400);
    });

    test("create validates name, flavor and auto_stop", async () => {
        const r = await c.post("/demanager/instances", { flavor: "x" });
        expect(r.status).toBe(400);
        expect(r.body.error_message).toContain("name is required");
        const r2 = await c.post("/demanager/instances", { name: "n", flavor: "f", spec: { auto_stop: { enable: true } } });
        expect(r2.body.error_message).toContain("spec.auto_stop.duration is mandatory");
    });

    test("queuing: CREATE_QUEUING and START_QUEUING with queuing_info", async () => {
        await f.emu.admin.setConfig({ timings: { notebook: { queue: 150 } } });
        const r = await c.post("/demanager/instances", { name: "queued", flavor: "modelarts.vm.gpu.p100" });
        expect(r.body.status).toBe("CREATE_QUEUING");
        expect(r.body.queuing_info).toMatchObject({ id: r.body.id, status: "CREATE_QUEUING", de_type: "Notebook", rank: 1 });
        expect(r.body.queuing_info.end_timestamp - r.body.queuing_info.begin_timestamp).toBe(150);
        const id = r.body.id;
        const creating = await waitStatus(id, "CREATING");
        expect(creating.queuing_info).toBeUndefined();
        await waitStatus(id, "RUNNING");
        await c.post(`${path(id)}/action`, { action: "stop" });
        await waitStatus(id, "STOPPED");
        const start = await c.post(`${path(id)}/action`, { action: "start" });
        expect(start.body.current_status).toBe("START_QUEUING");
        expect((await get(id)).queuing_info.status).toBe("START_QUEUING");
        await waitStatus(id, "STARTING");
        await waitStatus(id, "RUNNING");
        // Seeded queuing instance.
        const seeded = await f.emu.admin.seedNotebook({ status: "START_QUEUING", queueMs: 100 });
        expect(seeded.status).toBe("START_QUEUING");
        expect((seeded.queuing_info as { remain_time: number }).remain_time).toBe(1);
        await waitStatus(seeded.id as string, "RUNNING");
    });

    test("failure injection: start ends in START_FAILED with failed_reasons; can start again", async () => {
        const nb = await f.emu.admin.seedNotebook({ status: "STOPPED" });
        const id = nb.id as string;
        await f.emu.admin.injectFailure({ family: "notebook", kind: "start", reason: { code: "ModelArts.6404X", message: "no resources" } });
        await c.post(`${path(id)}/action`, { action: "start" });
        const failed = await waitStatus(id, "START_FAILED");
        expect(failed.spec.failed_reasons).toEqual({ code: "ModelArts.6404X", message: "no resources" });
        await c.post(`${path(id)}/action`, { action: "start" });
        const ok = await waitStatus(id, "RUNNING");
        expect(ok.spec.failed_reasons).toBeNull();
        await f.emu.admin.injectFailure({ family: "notebook", kind: "stop", resourceId: id });
        await c.post(`${path(id)}/action`, { action: "stop" });
        const err = await waitStatus(id, "ERROR");
        expect(err.spec.failed_reasons.code).toBeDefined();
        expect((await c.del(path(id))).status).toBe(200);
    });

    test("seeded failed instance and invalid seed", async () => {
        const nb = await f.emu.admin.seedNotebook({ status: "CREATE_FAILED", id: "nb-fixed-id" });
        expect(nb.id).toBe("nb-fixed-id");
        expect((nb.spec as { failed_reasons: unknown }).failed_reasons).not.toBeNull();
        await expect(f.emu.admin.seedNotebook({ status: "MELTED" as "RUNNING" })).rejects.toMatchObject({ status: 400 });
        await expect(f.emu.admin.seedNotebook({ status: "RUNNING", id: "nb-fixed-id" })).rejects.toMatchObject({ status: 400 });
    });
});
