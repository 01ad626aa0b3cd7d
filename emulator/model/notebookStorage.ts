/**
 * Storage mounted into a running notebook of the current API (`/notebooks/{id}/storage`): the
 * record, the mount request's rules, how a mount or unmount settles, and how it fails when a
 * failure was injected (`injectFailure({family: "notebooks", kind: "mount" | "unmount"})`).
 *
 * Sources (docs/EMULATOR-VS-REAL-API.md, "mounted storage"): PY SDK data_volumes_req.py,
 * data_volumes_res.py (statuses MOUNTING, MOUNT_FAILED, MOUNTED, UNMOUNTING, UNMOUNT_FAILED,
 * UNMOUNTED; `failure_reason` "returned when the status is MOUNT_FAILED"), modelarts_client.py
 * docstrings (the list "returns the error information when a mount failed"; a detach needs a
 * RUNNING notebook and a storage in MOUNTED, UNMOUNT_FAILED or MOUNT_FAILED); Terraform
 * resource_huaweicloud_modelarts_notebook_mount_storage.go (mount path `^/data/[a-zA-Z0-9_-]*\/$`,
 * MOUNTING -> MOUNTED, UNMOUNTING -> gone, MOUNT_FAILED / UNMOUNT_FAILED end its waits).
 */
import { randomUUID } from "crypto";
import { ERROR_CODES } from "../errors";
import { Validator } from "./validate";

const vc: Validator = new Validator(ERROR_CODES.NOTEBOOK_INVALID_PARAM, "error_msg");
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const MOUNT_PATH = /^\/data\/[a-zA-Z0-9_-]*\/$/;

/** A failure injection can target mounts and unmounts (state.ts `FailureKind`). */
export type StorageOperationKind = "mount" | "unmount";

/** The status an injected mount / unmount failure ends in, unless the injection names one. */
export const STORAGE_FAILED_STATUS_FOR: Readonly<Record<StorageOperationKind, string>> = {
    mount: "MOUNT_FAILED",
    unmount: "UNMOUNT_FAILED",
};

/** `failure_reason` of a failed mount when the injection gives no `reason` (the wording is the emulator's). */
export const DEFAULT_MOUNT_FAILURE_REASON = "The storage could not be mounted (failure injected by the emulator).";

/** Takes the failure injected for this mount / unmount, if any (state.ts `takeFailure`): called once the request is accepted. */
export type TakeFailure = () => { status: string; reason?: { message: string } } | undefined;

export interface StorageRecord {
    id: string;
    category: string;
    mountPath: string;
    uri: string;
    efsId?: string;
    /** MOUNTING, MOUNTED, UNMOUNTING, or a failed status (MOUNT_FAILED, UNMOUNT_FAILED, or one an injection named). */
    status: string;
    /** When the current MOUNTING / UNMOUNTING ends. */
    until: number;
    /** The current MOUNTING / UNMOUNTING ends in this status instead of MOUNTED / gone (an injected failure). */
    failsAs?: string;
    /** `failure_reason` shown once a mount failed. */
    failureReason?: string;
}

/**
 * Applies finished mounts / unmounts; returns the storages still there. A failed mount or unmount
 * stays listed in its failed status until it is detached (the list reports failed mounts; a detach
 * accepts MOUNT_FAILED and UNMOUNT_FAILED storages).
 */
export function settleStorages(storages: StorageRecord[], now: number): StorageRecord[] {
    return storages.filter((s) => {
        if (now < s.until || (s.status !== "MOUNTING" && s.status !== "UNMOUNTING")) return true;
        if (s.failsAs !== undefined) {
            s.status = s.failsAs;
            s.failsAs = undefined;
            return true;
        }
        if (s.status === "UNMOUNTING") return false;
        s.status = "MOUNTED";
        return true;
    });
}

/** DataVolumesRes; `failure_reason` only on a MOUNT_FAILED storage, as the SDK documents it. */
export function renderStorage(s: StorageRecord): Record<string, unknown> {
    return {
        id: s.id,
        category: s.category,
        mount_path: s.mountPath,
        uri: s.uri,
        efs_id: s.efsId,
        status: s.status,
        mount_type: "DYNAMIC",
        ...(s.status === "MOUNT_FAILED" ? { failure_reason: s.failureReason } : {}),
    };
}

/**
 * AttachDynamicStorage: OBS / OBSFS / EFS under /data/, on a RUNNING notebook; MOUNTING for
 * `mountMs`, then MOUNTED, or the failure's status. A mount path stays taken by a storage of any
 * status, a failed one included, until that storage is detached (the emulator's choice).
 */
export function newStorage(input: unknown, existing: StorageRecord[], now: number, mountMs: number, takeFailure: TakeFailure): StorageRecord {
    const body = vc.object(input, "request body");
    const category = vc.optionalEnum(body, "category", ["OBS", "OBSFS", "EFS"] as const, "category");
    if (category === undefined) vc.fail("category is required: OBS, OBSFS or EFS");
    const mountPath = vc.requiredString(body, "mount_path", "mount_path", MOUNT_PATH);
    const uri = vc.requiredString(body, "uri", "uri", /^.{1,256}$/);
    const efsId = vc.optionalString(body, "efs_id", "efs_id", UUID);
    if (category === "EFS" && efsId === undefined) vc.fail("efs_id is required when category is EFS");
    if (category !== "EFS" && !/^obs:\/\//.test(uri)) vc.fail("uri must be an OBS path such as obs://bucket/dir/ for category OBS or OBSFS");
    const taken = existing.find((s) => s.mountPath === mountPath);
    if (taken) vc.fail(`mount_path ${mountPath} is already used by another mounted storage (${taken.id}, ${taken.status})`);
    const storage: StorageRecord = { id: randomUUID(), category, mountPath, uri, efsId, status: "MOUNTING", until: now + mountMs };
    const failure = takeFailure();
    if (failure) {
        storage.failsAs = failure.status;
        storage.failureReason = failure.reason?.message ?? DEFAULT_MOUNT_FAILURE_REASON;
    }
    return storage;
}

/**
 * DetachDynamicStorage on a MOUNTED or failed storage: UNMOUNTING for `unmountMs`, then gone, or
 * the failure's status (the storage stays, still mounted as far as anyone can tell). An unmount
 * already under way is left as it is.
 */
export function beginUnmount(storage: StorageRecord, now: number, unmountMs: number, takeFailure: TakeFailure): void {
    if (storage.status === "UNMOUNTING") return;
    storage.status = "UNMOUNTING";
    storage.until = now + unmountMs;
    storage.failsAs = takeFailure()?.status;
}
