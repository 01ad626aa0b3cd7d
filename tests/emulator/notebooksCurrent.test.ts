/**
 * The emulator's current notebooks API (`/v1/{project_id}/notebooks`): body shapes, the status
 * machine, not-found codes, start/stop, and the auto-stop lease (ShowLease / RenewLease) with its
 * documented bounds, including the lease actually stopping a RUNNING notebook.
 */
import { ERROR_CODES } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { Fixture, startFast } from "./fixtures";

const HOUR_MS = 3_600_000;

describe("emulator: notebooks of the current API (lease)", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeEach(async () => {
        f = await startFast();
        c = f.client;
    });
    afterEach(() => f.emu.close());

    const get = async (id: string) => (await c.get(`/notebooks/${id}`)).body;
    const waitStatus = (id: string, status: string) => waitUntil(() => get(id), (b) => b.status === status);

    test("create (duration -1 as Terraform sends) → CREATING → RUNNING with auto-stop off; list pages; show has lease", async () => {
        const r = await c.post("/notebooks", { name: "nb-a", flavor: "modelarts.vm.cpu.2u", image_id: "e1a07296-22a8-4f05-8bc8-e936c8e54090", feature: "NOTEBOOK", duration: -1 });
        expect(r.status).toBe(200);
        expect(r.body.status).toBe("CREATING");
        const id = r.body.id as string;
        const running = await waitStatus(id, "RUNNING");
        expect(running.lease).toMatchObject({ enable: false, type: "TIMING" });
        expect(running).toHaveProperty("unannounced_field");
        await c.post("/notebooks", { name: "nb-b", flavor: "modelarts.vm.cpu.2u", image_id: "e1a07296-22a8-4f05-8bc8-e936c8e54090" });
        const page = await c.get("/notebooks", { limit: "1", offset: "1" });
        expect(page.body).toMatchObject({ total: 2, size: 1 });
        expect(page.body.data).toHaveLength(1);
        // a demanager path does not see it
        const legacy = await c.get(`/demanager/instances/${id}`);
        expect(legacy.status).toBe(400);
        expect(legacy.body.error_code).toBe("ModelArts.6309");
    });

    test("missing notebook: 400 ModelArts.6404 with error_msg and request_id, on the notebook and its lease", async () => {
        for (const p of ["/notebooks/6fa459ea-ee8a-3ca4-894e-db77e160355e", "/notebooks/6fa459ea-ee8a-3ca4-894e-db77e160355e/lease"]) {
            const r = await c.get(p);
            expect(r.status).toBe(400);
            expect(r.body.error_code).toBe(ERROR_CODES.CURRENT_NOTEBOOK_NOT_FOUND);
            expect(r.body.error_msg).toMatch(/does not exist/);
            expect(r.body.request_id).toBeDefined();
        }
        await f.emu.admin.setConfig({ notFoundAs400: false });
        expect((await c.get("/notebooks/6fa459ea-ee8a-3ca4-894e-db77e160355e")).status).toBe(404);
    });

    test("lease: GET, PATCH ?duration renews from now (TIMING), bounds and RUNNING-only", async () => {
        const nb = await f.emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", runningSince: Date.now() - 600_000, lease: { enable: true, duration: 2 * HOUR_MS, type: "IDLE" } });
        const id = nb.id as string;
        const lease = (await c.get(`/notebooks/${id}/lease`)).body;
        expect(lease).toMatchObject({ enable: true, duration: 2 * HOUR_MS, type: "IDLE" });
        const before = Date.now();
        const renewed = await c.patch(`/notebooks/${id}/lease`, { duration: String(3 * HOUR_MS) }, { type: "IDLE" });
        expect(renewed.status).toBe(200);
        expect(renewed.body.type).toBe("TIMING");
        const stopAt = renewed.body.create_at + renewed.body.duration;
        expect(stopAt).toBeGreaterThanOrEqual(before + 3 * HOUR_MS);
        expect(stopAt).toBeLessThanOrEqual(Date.now() + 3 * HOUR_MS);
        for (const bad of [String(HOUR_MS - 1), String(72 * HOUR_MS + 1), "-1", "abc"]) {
            const r = await c.patch(`/notebooks/${id}/lease`, { duration: bad });
            expect(r.status).toBe(400);
            expect(r.body.error_msg).toMatch(/duration must be/);
        }
        // body form (LeaseReq) without the query
        const body = await c.patch(`/notebooks/${id}/lease`, undefined, { duration: HOUR_MS, type: "idle" });
        expect(body.body.type).toBe("IDLE");
        // not RUNNING: refused
        expect((await c.post(`/notebooks/${id}/stop`)).status).toBe(200);
        await waitStatus(id, "STOPPED");
        const stopped = await c.patch(`/notebooks/${id}/lease`, { duration: String(HOUR_MS) });
        expect(stopped.status).toBe(400);
        expect(stopped.body.error_msg).toMatch(/RUNNING/);
        const again = await c.post(`/notebooks/${id}/stop`);
        expect(again.status).toBe(400);
        expect(again.body.error_code).toBe("ModelArts.6357");
    });

    test("start ?duration=&type= sets the new run's lease; -1 turns auto-stop off", async () => {
        const nb = await f.emu.admin.seedNotebook({ family: "notebooks", status: "STOPPED" });
        const id = nb.id as string;
        expect((await c.postQuery(`/notebooks/${id}/start`, { duration: String(5 * HOUR_MS), type: "timing" })).status).toBe(200);
        const running = await waitStatus(id, "RUNNING");
        expect(running.lease).toMatchObject({ enable: true, duration: 5 * HOUR_MS, type: "TIMING" });
        expect(running.lease.create_at).toBe(running.lease.update_at);
        await c.post(`/notebooks/${id}/stop`);
        await waitStatus(id, "STOPPED");
        await c.postQuery(`/notebooks/${id}/start`, { duration: "-1" });
        expect((await waitStatus(id, "RUNNING")).lease.enable).toBe(false);
        expect((await c.postQuery(`/notebooks/${id}/start`, { duration: "5" })).status).toBe(400);
    });

    test("the lease stops a RUNNING notebook when create_at + duration passes (admin moves the lease)", async () => {
        const nb = await f.emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING" });
        const id = nb.id as string;
        const now = Date.now();
        await f.emu.admin.setLease({ id, createAt: now - HOUR_MS + 150, duration: HOUR_MS, enable: true });
        expect((await get(id)).status).toBe("RUNNING");
        await waitStatus(id, "STOPPED");
    });

    test("every status of the SDK list can be reached or seeded; DELETE_FAILED via an injected failure", async () => {
        const nb = await f.emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING" });
        const id = nb.id as string;
        await f.emu.admin.injectFailure({ family: "notebook", kind: "delete", status: "DELETE_FAILED", resourceId: id });
        expect((await c.del(`/notebooks/${id}`)).body.status).toBe("DELETING");
        const failed = await waitStatus(id, "DELETE_FAILED");
        expect(failed.fail_reason).toMatch(/ModelArts/);
        for (const status of ["ERROR", "FROZEN", "CREATE_FAILED", "START_FAILED", "DELETE_FAILED"] as const) {
            const s = await f.emu.admin.seedNotebook({ family: "notebooks", status });
            expect((await get(s.id as string)).status).toBe(status);
        }
    });

    test("update (PUT) renames; unknown fields such as a lease are ignored", async () => {
        const nb = await f.emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", lease: { duration: 2 * HOUR_MS } });
        const id = nb.id as string;
        const r = await c.put(`/notebooks/${id}`, { name: "renamed", lease: { duration: HOUR_MS } });
        expect(r.status).toBe(200);
        expect(r.body.name).toBe("renamed");
        expect(r.body.lease.duration).toBe(2 * HOUR_MS);
    });
});
