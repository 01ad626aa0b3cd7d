/**
 * syncStorages against a scripted API, for what the emulator does not do: the SDK names an UNMOUNTED
 * status (Terraform's unmount wait takes it as done), so a service may keep listing an unmounted
 * storage as UNMOUNTED instead of forgetting it. Such a storage is gone: its path mounts again and
 * an unmount that ends there is done. And a path held by a storage still UNMOUNTING (an unmount begun
 * before the update) is mounted only once that storage is gone.
 */
import { ModelArtsClient } from "../../provider/client";
import { NotebookStorageMount } from "../../provider/resources/notebook/fields";
import { syncStorages } from "../../provider/resources/notebook/storages";

const ds: NotebookStorageMount = { category: "OBS", uri: "obs://b/ds/", mountPath: "/data/ds/" };

/** A notebook's storage list that answers as scripted: a mount is MOUNTED on its first read, an unmount UNMOUNTED. */
function scriptedApi(initial: Array<Record<string, unknown>>) {
    const storages = new Map(initial.map((s) => [String(s.id), { ...s }]));
    const sent: string[] = [];
    const client = {
        request: async ({ method, path, body }: { method: string; path: string; body?: Record<string, unknown> }) => {
            const storageId = /\/storage\/([^/]+)$/.exec(path)?.[1];
            if (method !== "GET") sent.push(`${method} ${storageId ? "storage/<id>" : "storage"}`);
            if (method === "GET" && !storageId) return { data: [...storages.values()], total: storages.size };
            if (method === "POST") {
                // As the emulator: one storage per mount path until the old one is gone (unconfirmed for the real API).
                const taken = [...storages.values()].find((x) => x.mount_path === body?.mount_path && x.status !== "UNMOUNTED");
                if (taken) throw new Error(`mount_path ${String(body?.mount_path)} is already used (${String(taken.status)})`);
                const s = { ...body, id: `new-${storages.size}`, status: "MOUNTING" };
                storages.set(s.id, s);
                return s;
            }
            const s = storages.get(storageId!)!;
            if (method === "DELETE") s.status = "UNMOUNTING";
            else if (s.status === "MOUNTING") s.status = "MOUNTED";
            else if (s.status === "UNMOUNTING") s.status = "UNMOUNTED";
            return { ...s };
        },
    } as unknown as ModelArtsClient;
    const op = { client, clock: { now: () => 0, sleep: async () => undefined }, remaining: () => 60_000 };
    return { c: { op: op as never, id: "nb-1", what: "Notebook nb (nb-1)" }, sent };
}

const progress = () => {
    const seen: { done?: NotebookStorageMount[]; listed?: unknown[] } = {};
    return { seen, report: { done: (now: NotebookStorageMount[]) => (seen.done = now), listed: (now: unknown[]) => (seen.listed = now) } };
};

describe("syncStorages and a storage listed as UNMOUNTED", () => {
    test("a declared path whose storage is UNMOUNTED is mounted, without a detach", async () => {
        const { c, sent } = scriptedApi([{ id: "old", category: "OBS", uri: ds.uri, mount_path: ds.mountPath, status: "UNMOUNTED" }]);
        const { seen, report } = progress();
        expect(await syncStorages(c, "RUNNING", [], [ds], report)).toBe(true);
        expect(sent).toEqual(["POST storage"]);
        expect(seen.done).toEqual([ds]);
    });

    test("an unmount that ends UNMOUNTED is done", async () => {
        const { c, sent } = scriptedApi([{ id: "s1", category: "OBS", uri: ds.uri, mount_path: ds.mountPath, status: "MOUNTED" }]);
        const { seen, report } = progress();
        expect(await syncStorages(c, "RUNNING", [ds], [], report)).toBe(true);
        expect(sent).toEqual(["DELETE storage/<id>"]);
        expect(seen.done).toEqual([]);
        expect(seen.listed).toEqual([expect.objectContaining({ id: "s1", status: "UNMOUNTED" })]);
    });

    test("a declared path still being unmounted (left by an earlier unmount) is mounted once the old storage is gone", async () => {
        const { c, sent } = scriptedApi([{ id: "old", category: "OBS", uri: "obs://b/old/", mount_path: ds.mountPath, status: "UNMOUNTING" }]);
        const { seen, report } = progress();
        expect(await syncStorages(c, "RUNNING", [], [ds], report)).toBe(true);
        expect(sent).toEqual(["POST storage"]);
        expect(seen.done).toEqual([ds]);
    });
});
