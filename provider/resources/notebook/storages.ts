/**
 * Storage mounted into a running notebook (OBS, OBSFS, SFS Turbo), by the API's dynamic-storage
 * calls (`/notebooks/{id}/storage`): declared by mount path, mounted and unmounted in place, each
 * awaited (MOUNTING -> MOUNTED, UNMOUNTING -> gone). Both calls need a RUNNING notebook (PY SDK
 * attach / detach docstrings; Terraform's notebook_mount_storage checks it too).
 */
import * as api from "../../api/notebookInstances";
import { isTransientError, ModelArtsError } from "../../errors";
import { log } from "../../log";
import { waitFor } from "../../wait";
import { compact } from "../common";
import { NotebookStorageMount } from "./fields";
import { NotebookContext } from "./instance";

const same = (a: NotebookStorageMount, b: NotebookStorageMount) => a.category === b.category && a.uri === b.uri && (a.efsId ?? "") === (b.efsId ?? "");

/** The mounts as the state shows them (what the API lists), by mount path. */
export function mountedOf(listed: api.NotebookStorage[]): Array<{ id: string; category?: string; mountPath?: string; uri?: string; status?: string }> {
    return listed.map((s) => compact({ id: s.id, category: s.category, mountPath: s.mount_path, uri: s.uri, status: s.status }));
}

/** The live mounts as declarations (only MOUNTED / MOUNTING ones count as there). */
export function declaredFromLive(listed: api.NotebookStorage[]): NotebookStorageMount[] {
    return listed
        .filter((s) => s.status === "MOUNTED" || s.status === "MOUNTING")
        .map((s) => compact({ category: s.category as NotebookStorageMount["category"], uri: s.uri ?? "", mountPath: s.mount_path ?? "", efsId: s.efs_id }));
}

async function awaitStorage(c: NotebookContext, storageId: string, what: string, pending: string, target: string | undefined, failed: string): Promise<void> {
    const { client, clock } = c.op;
    await waitFor({
        what,
        refresh: async () => {
            const s = await api.findStorage(client, c.id, storageId);
            return s ? { status: String(s.status), value: s } : undefined;
        },
        pending: [pending],
        target: target ? [target] : [],
        failed: [failed],
        notFoundIsTarget: target === undefined,
        timeoutMs: c.op.remaining(),
        clock,
        isTransient: isTransientError,
    });
}

/**
 * Brings the notebook's mounts from `had` (recorded) to `want` (declared): unmounts the recorded
 * mount paths no longer declared (or declared with another source), then mounts the missing ones.
 * Mounts nobody declared are left alone. `progress` records each mount path as it is done.
 */
export async function syncStorages(
    c: NotebookContext,
    status: string | undefined,
    had: readonly NotebookStorageMount[],
    want: readonly NotebookStorageMount[],
    progress: (now: NotebookStorageMount[]) => void,
): Promise<boolean> {
    const { client } = c.op;
    const listed = await api.listStorages(client, c.id);
    const live = (path: string) => listed.find((s) => s.mount_path === path && s.status !== "UNMOUNTING");
    const keep = (m: NotebookStorageMount) => want.some((w) => w.mountPath === m.mountPath && same(w, m));
    const toUnmount = had.filter((m) => !keep(m) && live(m.mountPath));
    const toMount = want.filter((w) => {
        const l = live(w.mountPath);
        return !l || !same(w, { category: l.category as NotebookStorageMount["category"], uri: l.uri ?? "", mountPath: w.mountPath, efsId: l.efs_id });
    });
    if (toUnmount.length + toMount.length === 0) {
        progress([...want]);
        return false;
    }
    if (status !== "RUNNING") {
        throw new ModelArtsError(
            `${c.what} is ${status}: storage can be mounted or unmounted only on a RUNNING notebook (the API's dynamic storage calls), ` +
                `and powerState keeps it stopped. Set powerState to RUNNING for one pulumi up, or leave storages unchanged until then.`,
        );
    }
    let now = had.filter((m) => live(m.mountPath));
    for (const m of [...toUnmount, ...toMount.filter((w) => live(w.mountPath) && !toUnmount.some((u) => u.mountPath === w.mountPath))]) {
        const l = live(m.mountPath)!;
        log.info(`${c.what}: unmounting ${l.uri} from ${m.mountPath}`);
        await api.unmountStorage(client, c.id, l.id);
        await awaitStorage(c, l.id, `${c.what}: ${m.mountPath} to be unmounted`, "UNMOUNTING", undefined, "UNMOUNT_FAILED");
        now = now.filter((x) => x.mountPath !== m.mountPath);
        progress(now);
    }
    for (const w of toMount) {
        log.info(`${c.what}: mounting ${w.uri} at ${w.mountPath}`);
        const s = await api.mountStorage(client, c.id, compact({ category: w.category, mount_path: w.mountPath, uri: w.uri, efs_id: w.efsId }));
        await awaitStorage(c, s.id, `${c.what}: ${w.uri} to be mounted at ${w.mountPath}`, "MOUNTING", "MOUNTED", "MOUNT_FAILED");
        now = [...now.filter((x) => x.mountPath !== w.mountPath), w];
        progress(now);
    }
    progress([...want]);
    return true;
}
