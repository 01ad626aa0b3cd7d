/**
 * Storage mounted into a running notebook (OBS, OBSFS, SFS Turbo), by the API's dynamic-storage
 * calls (`/notebooks/{id}/storage`): declared by mount path, mounted and unmounted in place, each
 * awaited (MOUNTING -> MOUNTED, UNMOUNTING -> gone). Both calls need a RUNNING notebook (PY SDK
 * attach / detach docstrings; Terraform's notebook_mount_storage checks it too).
 *
 * A failed mount or unmount stays listed (MOUNT_FAILED with a `failure_reason`, UNMOUNT_FAILED) and
 * can be detached (the detach docstring allows MOUNTED, MOUNT_FAILED and UNMOUNT_FAILED): a failed
 * storage at a declared path is detached and mounted again; one whose unmount failed still counts
 * as there, so the state keeps it until an unmount succeeds.
 */
import * as api from "../../api/notebookInstances";
import { isTransientError, ModelArtsError, WaitFailedError } from "../../errors";
import { log } from "../../log";
import { waitFor } from "../../wait";
import { compact } from "../common";
import { NotebookState, NotebookStorageMount } from "./fields";
import { NotebookContext } from "./instance";

export type MountedStorages = NonNullable<NotebookState["mountedStorages"]>;

/** A failed mount or unmount: the storage is listed but not usable; detach it to try again. */
const FAILED = ["MOUNT_FAILED", "UNMOUNT_FAILED"];
/** On its way out, or out (the SDK names UNMOUNTED; Terraform's unmount wait takes it as done): no longer at its path. */
const LEAVING = ["UNMOUNTING", "UNMOUNTED"];
/** Still mounted as far as anyone can tell: what a refresh records as there. */
const THERE = ["MOUNTED", "MOUNTING", "UNMOUNT_FAILED"];

const same = (a: NotebookStorageMount, b: NotebookStorageMount) => a.category === b.category && a.uri === b.uri && (a.efsId ?? "") === (b.efsId ?? "");
const asMount = (s: api.NotebookStorage): NotebookStorageMount =>
    compact({ category: s.category as NotebookStorageMount["category"], uri: s.uri ?? "", mountPath: s.mount_path ?? "", efsId: s.efs_id });

/** The mounts as the state shows them (what the API lists), by mount path. */
export function mountedOf(listed: api.NotebookStorage[]): MountedStorages {
    return listed.map((s) => compact({ id: s.id, category: s.category, mountPath: s.mount_path, uri: s.uri, status: s.status }));
}

/** The live mounts as declarations: MOUNTED and MOUNTING ones, and those whose unmount failed (still there). */
export function declaredFromLive(listed: api.NotebookStorage[]): NotebookStorageMount[] {
    return listed.filter((s) => THERE.includes(String(s.status))).map(asMount);
}

/**
 * Waits for a mount (to MOUNTED) or an unmount (until gone); a failed status is an error naming the
 * storage and the API's reason (the operation's error names the notebook).
 */
async function awaitStorage(c: NotebookContext, storage: { id: string; uri?: string; mountPath: string }, change: "mount" | "unmount"): Promise<void> {
    const { client, clock } = c.op;
    const mount = change === "mount";
    const failed = mount ? "MOUNT_FAILED" : "UNMOUNT_FAILED";
    await waitFor({
        what: mount ? `${c.what}: ${storage.uri} to be mounted at ${storage.mountPath}` : `${c.what}: ${storage.mountPath} to be unmounted`,
        refresh: async () => {
            const s = await api.findStorage(client, c.id, storage.id);
            return s ? { status: String(s.status), value: s } : undefined;
        },
        pending: [mount ? "MOUNTING" : "UNMOUNTING"],
        target: mount ? ["MOUNTED"] : ["UNMOUNTED"],
        failed: [failed],
        notFoundIsTarget: !mount,
        timeoutMs: c.op.remaining(),
        clock,
        isTransient: isTransientError,
    }).catch((err) => {
        if (!(err instanceof WaitFailedError) || err.status !== failed) throw err;
        const reason = (err.lastValue as api.NotebookStorage | undefined)?.failure_reason;
        const why = `the API reports ${err.status}${reason ? `: ${reason}` : " (it gives no reason)"}`;
        throw new ModelArtsError(
            mount
                ? `mounting ${storage.uri} at ${storage.mountPath} failed, ${why}. It is not recorded as mounted; ` +
                      "the next pulumi up unmounts the failed mount and mounts it again (check that the storage exists and that the notebook may access it)"
                : `unmounting ${storage.uri} from ${storage.mountPath} failed, ${why}. It stays recorded as mounted; the next pulumi up unmounts it again`,
        );
    });
}

/** What syncStorages reports as it goes. */
export interface MountProgress {
    /** The declared mounts done so far: what the state may record. */
    done(now: NotebookStorageMount[]): void;
    /** The notebook's mounts as the API lists them at the end, failed ones included (also when it fails). */
    listed(mounted: MountedStorages): void;
}

/**
 * Brings the notebook's mounts from `had` (recorded) to `want` (declared): unmounts the recorded
 * mount paths no longer declared (or declared with another source), detaches a failed storage at a
 * declared path, then mounts the missing ones; a mount still MOUNTING is awaited. Mounts nobody
 * declared are left alone.
 */
export async function syncStorages(
    c: NotebookContext,
    status: string | undefined,
    had: readonly NotebookStorageMount[],
    want: readonly NotebookStorageMount[],
    progress: MountProgress,
): Promise<boolean> {
    const { client } = c.op;
    let listed = await api.listStorages(client, c.id);
    const live = (path: string) => listed.find((s) => s.mount_path === path && !LEAVING.includes(String(s.status)));
    const keep = (m: NotebookStorageMount) => want.some((w) => w.mountPath === m.mountPath && same(w, m));
    const toUnmount = had.filter((m) => !keep(m) && live(m.mountPath));
    const toMount = want.filter((w) => {
        const l = live(w.mountPath);
        return !l || FAILED.includes(String(l.status)) || !same(w, asMount(l));
    });
    const toAwait = want.filter((w) => !toMount.includes(w) && live(w.mountPath)!.status === "MOUNTING");
    if (toUnmount.length + toMount.length === 0 && toAwait.length === 0) {
        progress.done([...want]);
        progress.listed(mountedOf(listed));
        return false;
    }
    if (toUnmount.length + toMount.length > 0 && status !== "RUNNING") {
        progress.listed(mountedOf(listed));
        throw new ModelArtsError(
            `${c.what} is ${status}: storage can be mounted or unmounted only on a RUNNING notebook (the API's dynamic storage calls), ` +
                `and powerState keeps it stopped. Set powerState to RUNNING for one pulumi up, or leave storages unchanged until then.`,
        );
    }
    // What stays recorded until changed: the recorded mounts still at their path, a failed mount excepted.
    let now = had.filter((m) => live(m.mountPath) && live(m.mountPath)!.status !== "MOUNT_FAILED");
    try {
        for (const w of toAwait) {
            log.info(`${c.what}: ${w.uri} is still being mounted at ${w.mountPath}; waiting for it`);
            await awaitStorage(c, { id: live(w.mountPath)!.id, uri: w.uri, mountPath: w.mountPath }, "mount");
        }
        for (const m of [...toUnmount, ...toMount.filter((w) => live(w.mountPath) && !toUnmount.some((u) => u.mountPath === w.mountPath))]) {
            const l = live(m.mountPath)!;
            if (FAILED.includes(String(l.status))) {
                const then = keep(m) ? `, then mounting ${m.uri} there again` : "";
                log.warn(`${c.what}: the storage at ${m.mountPath} (${l.uri}) is ${l.status}${l.failure_reason ? ` (${l.failure_reason})` : ""}; unmounting it${then}`);
            } else log.info(`${c.what}: unmounting ${l.uri} from ${m.mountPath}`);
            await api.unmountStorage(client, c.id, l.id);
            await awaitStorage(c, { id: l.id, uri: l.uri, mountPath: m.mountPath }, "unmount");
            now = now.filter((x) => x.mountPath !== m.mountPath);
            progress.done(now);
        }
        for (const w of toMount) {
            // A storage still leaving this path (an unmount begun before this update) holds it: one storage per path.
            const leaving = listed.find((s) => s.mount_path === w.mountPath && s.status === "UNMOUNTING");
            if (leaving) {
                log.info(`${c.what}: ${leaving.uri} is still being unmounted from ${w.mountPath}; waiting for it before mounting ${w.uri}`);
                await awaitStorage(c, { id: leaving.id, uri: leaving.uri, mountPath: w.mountPath }, "unmount");
            }
            log.info(`${c.what}: mounting ${w.uri} at ${w.mountPath}`);
            const s = await api.mountStorage(client, c.id, compact({ category: w.category, mount_path: w.mountPath, uri: w.uri, efs_id: w.efsId }));
            await awaitStorage(c, { id: s.id, uri: w.uri, mountPath: w.mountPath }, "mount");
            now = [...now.filter((x) => x.mountPath !== w.mountPath), w];
            progress.done(now);
        }
    } catch (err) {
        // The state shows the mounts as they are, the failed one with its status.
        listed = await api.listStorages(client, c.id).catch(() => listed);
        progress.listed(mountedOf(listed));
        throw err;
    }
    progress.done([...want]);
    progress.listed(mountedOf(await api.listStorages(client, c.id)));
    return true;
}
