/**
 * The Notebook resource's API module (provider/api/notebookInstances.ts) against the emulator: each
 * call's path and answer, the list by name across pages, the family's not-found rule for a
 * notebook and for a mounted storage, and the notebook's token registered as a secret.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import * as api from "../../provider/api/notebookInstances";
import { getClient, resetClients } from "../../provider/client";
import { resolveConfig } from "../../provider/config";
import { redact } from "../../provider/log";

const IMAGE = "e1a07296-22a8-4f05-8bc8-e936c8e54090";
let emu: RunningEmulator;
let client: ReturnType<typeof getClient>;

beforeAll(async () => {
    emu = await startEmulator({ timings: { notebook: { create: 50, start: 50, stop: 50, delete: 50, queue: 0 } }, rateLimit: null });
    client = getClient(
        resolveConfig({}, undefined, { HW_REGION_NAME: emu.region, HW_PROJECT_ID: emu.projectId, HW_ACCESS_KEY: emu.accessKey, HW_SECRET_KEY: emu.secretKey, HW_MODELARTS_ENDPOINT: emu.url }),
    );
});
afterAll(async () => {
    resetClients();
    await emu?.close();
});

const until = async (fn: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await fn()); i++) await new Promise((r) => setTimeout(r, 10));
};

test("create, find, list by name (paged), update, mount and unmount, stop, start, delete", async () => {
    const nb = await api.createNotebook(client, { name: "api-nb", flavor: "modelarts.vm.cpu.2u", image_id: IMAGE, duration: -1 });
    expect(nb).toMatchObject({ name: "api-nb", status: "CREATING", image: { id: IMAGE } });
    // The token is registered as a secret: a log line that would carry it shows a mask instead.
    expect(nb.token).toMatch(/^[0-9a-f]{32}$/);
    expect(redact(`token ${nb.token}`)).not.toContain(nb.token!);
    await until(async () => (await api.findNotebook(client, nb.id))?.status === "RUNNING");
    for (let i = 0; i < 3; i++) await api.createNotebook(client, { name: `filler-${i}`, flavor: "f", image_id: IMAGE });
    expect((await api.listNotebooks(client, { name: "api-nb" })).map((n) => n.id)).toEqual([nb.id]);
    expect((await api.updateNotebook(client, nb.id, { name: "api-nb-2" })).name).toBe("api-nb-2");

    const mount = await api.mountStorage(client, nb.id, { category: "OBS", mount_path: "/data/x/", uri: "obs://b/x/" });
    await until(async () => (await api.findStorage(client, nb.id, mount.id))?.status === "MOUNTED");
    expect((await api.listStorages(client, nb.id)).map((s) => s.mount_path)).toEqual(["/data/x/"]);
    await api.unmountStorage(client, nb.id, mount.id);
    await until(async () => (await api.findStorage(client, nb.id, mount.id)) === undefined);

    await api.stopNotebook(client, nb.id);
    await until(async () => (await api.findNotebook(client, nb.id))?.status === "STOPPED");
    await api.startNotebook(client, nb.id, { durationMs: 7_200_000, type: "TIMING" });
    await until(async () => (await api.findNotebook(client, nb.id))?.status === "RUNNING");
    expect((await api.findNotebook(client, nb.id))?.lease).toMatchObject({ enable: true, duration: 7_200_000 });
    await api.deleteNotebook(client, nb.id);
    await until(async () => (await api.findNotebook(client, nb.id)) === undefined);
    const gone = await api.deleteNotebook(client, nb.id).then(() => undefined, (e: unknown) => e);
    expect(api.isNotebookNotFound(gone)).toBe(true);
});
