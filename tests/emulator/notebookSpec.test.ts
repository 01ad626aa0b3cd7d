/**
 * The emulator's current notebooks API beyond name / flavor / lease: what a notebook is made with
 * (image, volume, extension storage, SSH endpoint, pool, workspace), what UpdateNotebook changes and when (flavor,
 * image, endpoints only while STOPPED; storage_new_size only growing), the list's name filter, the
 * token in the body, and the dynamically mounted storage (`/notebooks/{id}/storage`).
 */
import { ERROR_CODES } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { Fixture, startFast } from "./fixtures";

const IMAGE = "e1a07296-22a8-4f05-8bc8-e936c8e54090";
const OTHER_IMAGE = "0d2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b";

describe("emulator: notebook spec, updates and storage", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeEach(async () => {
        f = await startFast();
        c = f.client;
    });
    afterEach(() => f.emu.close());

    const get = async (id: string) => (await c.get(`/notebooks/${id}`)).body;
    const waitStatus = (id: string, status: string) => waitUntil(() => get(id), (b) => b.status === status);
    const create = async (extra: Record<string, unknown> = {}) => {
        const r = await c.post("/notebooks", { name: "nb", flavor: "modelarts.vm.cpu.2u", image_id: IMAGE, ...extra });
        expect(r.status).toBe(200);
        await waitStatus(r.body.id, "RUNNING");
        return r.body.id as string;
    };

    test("create keeps image, volume, SSH endpoint, pool and workspace, and shows a token", async () => {
        const id = await create({
            image_id: OTHER_IMAGE,
            volume: { category: "EVS", ownership: "MANAGED", capacity: 20 },
            endpoints: [{ service: "SSH", key_pair_names: ["kp"], allowed_access_ips: ["203.0.113.7"] }],
            pool_id: "pool-1",
            workspace_id: "0123456789abcdef0123456789abcdef",
        });
        const nb = await get(id);
        expect(nb).toMatchObject({
            image: { id: OTHER_IMAGE },
            volume: { category: "EVS", ownership: "MANAGED", capacity: 20 },
            pool: { id: "pool-1" },
            workspace_id: "0123456789abcdef0123456789abcdef",
            token: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
        expect(nb.endpoints).toEqual(expect.arrayContaining([expect.objectContaining({ service: "SSH", key_pair_names: ["kp"], allowed_access_ips: ["203.0.113.7"] })]));
        expect((await c.get("/notebooks", { name: "nb" })).body.total).toBe(1);
        expect((await c.get("/notebooks", { name: "other" })).body.total).toBe(0);
    });

    test.each([
        ["image_id is not a UUID", { image_id: "img" }, "image_id is invalid"],
        ["DEDICATED needs EFS", { volume: { category: "EVS", ownership: "DEDICATED" } }, "only supported when volume.category is EFS"],
        ["DEDICATED EFS needs uri and id", { volume: { category: "EFS", ownership: "DEDICATED" } }, "volume.uri and volume.id are required"],
        ["capacity bounds", { volume: { category: "EVS", capacity: 4097 } }, "volume.capacity must be between 5 and 4096"],
        ["SSH needs a key pair", { endpoints: [{ service: "SSH" }] }, "key_pair_names is required"],
        ["workspace", { workspace_id: "ws" }, "workspace_id is invalid"],
    ])("create refuses: %s", async (_what, extra, message) => {
        const r = await c.post("/notebooks", { name: "nb", flavor: "modelarts.vm.cpu.2u", image_id: IMAGE, ...extra });
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ error_code: ERROR_CODES.NOTEBOOK_INVALID_PARAM, error_msg: expect.stringContaining(message) });
    });

    test("create keeps data_volumes (extension storage) and answers each as VolumeResponse; the admin dump shows them as sent", async () => {
        const dataVolumes = [
            { category: "OBS", ownership: "MANAGED", uri: "obs://team/data/", mount_path: "/home/ma-user/work/data/", read_only: true, dew_secret_name: "obs-aksk" },
            { category: "EVS", ownership: "MANAGED", mount_path: "/home/ma-user/work/scratch/" },
            { category: "EFS", ownership: "DEDICATED", uri: "x.sfsturbo.internal:/", id: "9048456e-4e9a-11f1-ba0c-fa16520f410a", mount_path: "/home/ma-user/work/efs/" },
        ];
        const id = await create({ data_volumes: dataVolumes });
        const answered = (await get(id)).data_volumes;
        expect(answered).toEqual([
            expect.objectContaining({ category: "OBS", mount_path: "/home/ma-user/work/data/", url: "obs://team/data/", status: "MOUNTED", mount_type: "STATIC" }),
            expect.objectContaining({ category: "EVS", mount_path: "/home/ma-user/work/scratch/", status: "MOUNTED", mount_type: "STATIC" }),
            expect.objectContaining({ category: "EFS", mount_path: "/home/ma-user/work/efs/", status: "MOUNTED", mount_type: "STATIC" }),
        ]);
        // VolumeResponse has a source path for OBS / OBSFS only, and none of the request's other keys.
        for (const key of ["url", "read_only", "dew_secret_name", "capacity"]) expect(answered[1]).not.toHaveProperty(key);
        expect(answered[0]).not.toHaveProperty("dew_secret_name");
        const dumped = ((await f.emu.admin.state()).projects[f.emu.projectId]?.notebooks ?? []).find((n: Record<string, unknown>) => n.id === id);
        // read_only defaults to false, an EVS capacity to 5 GB (VolumeMountRequest).
        expect(dumped?.data_volumes_as_sent).toEqual([{ ...dataVolumes[0] }, { ...dataVolumes[1], read_only: false, capacity: 5 }, { ...dataVolumes[2], read_only: false }]);
        // A notebook made without them reports none.
        expect((await get(await create())).data_volumes).toBeUndefined();
    });

    test.each([
        ["not a list", { data_volumes: { category: "EVS" } }, "data_volumes must be a list"],
        ["category required", { data_volumes: [{ ownership: "MANAGED" }] }, "data_volumes[0].category is required"],
        ["category unknown", { data_volumes: [{ category: "NAS", ownership: "MANAGED" }] }, "data_volumes[0].category is invalid"],
        ["ownership required (the SDK model)", { data_volumes: [{ category: "EVS" }] }, "data_volumes[0].ownership is required"],
        ["DEDICATED needs EFS", { data_volumes: [{ category: "OBSFS", ownership: "DEDICATED", uri: "obs://b/d/" }] }, "DEDICATED is only supported when data_volumes[0].category is EFS"],
        ["DEDICATED EFS needs uri and id", { data_volumes: [{ category: "EFS", ownership: "DEDICATED", uri: "x:/" }] }, "data_volumes[0].uri and data_volumes[0].id are required"],
        ["OBS needs dew_secret_name", { data_volumes: [{ category: "OBS", ownership: "MANAGED", uri: "obs://b/d/" }] }, "data_volumes[0].dew_secret_name is required when data_volumes[0].category is OBS"],
        ["dew_secret_name's characters", { data_volumes: [{ category: "OBS", ownership: "MANAGED", uri: "obs://b/d/", dew_secret_name: "a b" }] }, "dew_secret_name is invalid"],
        ["mount_path up to 256", { data_volumes: [{ category: "EVS", ownership: "MANAGED", mount_path: `/${"m".repeat(256)}` }] }, "mount_path is invalid"],
        ["read_only a boolean", { data_volumes: [{ category: "EVS", ownership: "MANAGED", read_only: "yes" }] }, "read_only must be a boolean"],
    ])("create refuses data_volumes: %s", async (_what, extra, message) => {
        const r = await c.post("/notebooks", { name: "nb", flavor: "modelarts.vm.cpu.2u", image_id: IMAGE, ...extra });
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ error_code: ERROR_CODES.NOTEBOOK_INVALID_PARAM, error_msg: expect.stringContaining(message) });
    });

    test("flavor, image and endpoints change only on a STOPPED notebook; name on a running one; EVS only grows", async () => {
        const id = await create({ volume: { category: "EVS", capacity: 10 } });
        const refused = await c.put(`/notebooks/${id}`, { flavor: "modelarts.vm.cpu.8u" });
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({ error_code: ERROR_CODES.NOTEBOOK_WRONG_STATUS, error_msg: expect.stringContaining("must be STOPPED") });
        expect((await c.put(`/notebooks/${id}`, { name: "renamed" })).body.name).toBe("renamed");
        expect((await c.put(`/notebooks/${id}`, { storage_new_size: 20 })).body.volume.capacity).toBe(20);
        expect((await c.put(`/notebooks/${id}`, { storage_new_size: 15 })).body.error_msg).toContain("only grows");
        await c.post(`/notebooks/${id}/stop`);
        await waitStatus(id, "STOPPED");
        const changed = await c.put(`/notebooks/${id}`, { flavor: "modelarts.vm.cpu.8u", image_id: OTHER_IMAGE, endpoints: [{ service: "SSH", key_pair_names: ["kp2"] }] });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({ flavor: "modelarts.vm.cpu.8u", image: { id: OTHER_IMAGE } });
    });

    test("tags: created and deleted by key, refused when a key breaks the TMS rule", async () => {
        const id = await create();
        expect((await c.post(`/notebooks/${id}/tags/create`, { tags: [{ key: "team", value: "vision" }, { key: "env", value: "dev" }] })).status).toBe(200);
        const del = await c.call({ method: "DELETE", path: `/v1/${f.emu.projectId}/notebooks/${id}/tags/delete`, body: { tags: [{ key: "env", value: "dev" }] } });
        expect(del.status).toBe(200);
        expect((await get(id)).tags).toEqual([expect.objectContaining({ key: "team", value: "vision" })]);
        const bad = await c.post(`/notebooks/${id}/tags/create`, { tags: [{ key: "_sys_x", value: "v" }] });
        expect([bad.status, bad.body.error_msg]).toEqual([400, expect.stringContaining("tags[0].key is invalid")]);
    });

    test("storage mounts on a RUNNING notebook: MOUNTING -> MOUNTED, UNMOUNTING -> gone; rules of the path and source", async () => {
        const id = await create();
        const mount = await c.post(`/notebooks/${id}/storage`, { category: "OBS", mount_path: "/data/ds/", uri: "obs://bucket/ds/" });
        expect(mount.body).toMatchObject({ status: "MOUNTING", mount_type: "DYNAMIC", mount_path: "/data/ds/" });
        const sid = mount.body.id as string;
        await waitUntil(async () => (await c.get(`/notebooks/${id}/storage/${sid}`)).body, (b) => b.status === "MOUNTED");
        expect((await c.get(`/notebooks/${id}/storage`)).body).toMatchObject({ total: 1, data: [expect.objectContaining({ id: sid })] });
        for (const [body, message] of [
            [{ category: "OBS", mount_path: "/home/ds/", uri: "obs://b/ds/" }, "mount_path is invalid"],
            [{ category: "OBS", mount_path: "/data/ds/", uri: "obs://b/ds/" }, "already used"],
            [{ category: "EFS", mount_path: "/data/efs/", uri: "x.sfsturbo.internal:/" }, "efs_id is required"],
            [{ category: "OBS", mount_path: "/data/x/", uri: "s3://b/" }, "OBS path"],
        ] as const) {
            const r = await c.post(`/notebooks/${id}/storage`, body);
            expect([r.status, r.body.error_msg]).toEqual([400, expect.stringContaining(message)]);
        }
        expect((await c.del(`/notebooks/${id}/storage/${sid}`)).body.status).toBe("UNMOUNTING");
        await waitUntil(async () => (await c.get(`/notebooks/${id}/storage/${sid}`)).status, (s) => s !== 200);
        const gone = await c.get(`/notebooks/${id}/storage/${sid}`);
        expect(gone.body.error_code).toBe(ERROR_CODES.CURRENT_NOTEBOOK_NOT_FOUND);
        await c.post(`/notebooks/${id}/stop`);
        await waitStatus(id, "STOPPED");
        const stopped = await c.post(`/notebooks/${id}/storage`, { category: "OBS", mount_path: "/data/ds/", uri: "obs://bucket/ds/" });
        expect(stopped.body).toMatchObject({ error_code: ERROR_CODES.NOTEBOOK_WRONG_STATUS });
    });

    test("injected mount / unmount failures: the storage stays listed as MOUNT_FAILED (with its reason) or UNMOUNT_FAILED, holds its path, and can be detached", async () => {
        const id = await create();
        const storageOf = async (sid: string) => (await c.get(`/notebooks/${id}/storage/${sid}`)).body;
        const settled = (sid: string) => waitUntil(() => storageOf(sid), (b) => b.status !== "MOUNTING" && b.status !== "UNMOUNTING");
        const ds = { category: "OBS", mount_path: "/data/ds/", uri: "obs://bucket/ds/" };

        // Only the current API's family knows mounts; a refused mount request does not use up the injection.
        await expect(f.emu.admin.injectFailure({ family: "notebook", kind: "mount" })).rejects.toMatchObject({ status: 400 });
        await f.emu.admin.injectFailure({ family: "notebooks", kind: "mount", resourceId: id, reason: { code: "ModelArts.7003", message: "OBS bucket bucket is not accessible" } });
        expect((await c.post(`/notebooks/${id}/storage`, { ...ds, uri: "s3://x/" })).status).toBe(400);
        const failed = await c.post(`/notebooks/${id}/storage`, ds);
        expect(failed.body).toMatchObject({ status: "MOUNTING" });
        expect(failed.body.failure_reason).toBeUndefined();
        expect(await settled(failed.body.id)).toMatchObject({ status: "MOUNT_FAILED", failure_reason: "OBS bucket bucket is not accessible" });
        expect((await c.get(`/notebooks/${id}/storage`)).body.data).toEqual([expect.objectContaining({ id: failed.body.id, status: "MOUNT_FAILED", failure_reason: "OBS bucket bucket is not accessible" })]);
        expect(await f.emu.admin.failures()).toEqual([]);

        // The failed storage keeps its mount path until it is detached; then the path mounts.
        expect((await c.post(`/notebooks/${id}/storage`, ds)).body.error_msg).toContain("already used by another mounted storage");
        expect((await c.del(`/notebooks/${id}/storage/${failed.body.id}`)).body.status).toBe("UNMOUNTING");
        await waitUntil(async () => (await c.get(`/notebooks/${id}/storage/${failed.body.id}`)).status, (s) => s !== 200);
        const mounted = await c.post(`/notebooks/${id}/storage`, ds);
        expect(await settled(mounted.body.id)).toMatchObject({ status: "MOUNTED" });
        expect((await storageOf(mounted.body.id)).failure_reason).toBeUndefined();

        // An unmount that fails leaves the storage listed as UNMOUNT_FAILED; detaching it again works.
        await f.emu.admin.injectFailure({ family: "notebooks", kind: "unmount" });
        expect((await c.del(`/notebooks/${id}/storage/${mounted.body.id}`)).body.status).toBe("UNMOUNTING");
        expect(await settled(mounted.body.id)).toMatchObject({ status: "UNMOUNT_FAILED" });
        expect((await c.get(`/notebooks/${id}/storage`)).body.total).toBe(1);
        expect((await c.del(`/notebooks/${id}/storage/${mounted.body.id}`)).body.status).toBe("UNMOUNTING");
        await waitUntil(async () => (await c.get(`/notebooks/${id}/storage/${mounted.body.id}`)).status, (s) => s !== 200);
        expect((await c.get(`/notebooks/${id}/storage`)).body.total).toBe(0);
    });
});
