/**
 * What both notebook API families share: the statuses an instance reports and their classes (what
 * a resource may do in each), and the zod helpers for their loose bodies.
 *
 * Loose schemas throughout: unknown fields are kept, optional fields accept null (the samples in
 * the API reference carry `"extend_params": null` etc.), statuses are open strings.
 */
import { z } from "zod";

/** Notebook statuses seen in the API reference and the established providers. */
export const NOTEBOOK_STATUSES = [
    "INIT",
    "CREATING",
    "CREATE_QUEUING",
    "CREATE_FAILED",
    "STARTING",
    "START_QUEUING",
    "START_FAILED",
    "RUNNING",
    "STOPPING",
    "STOPPED",
    "DELETING",
    "DELETED",
    "ERROR",
    "FROZEN",
    "SNAPSHOTTING",
    "RESTARTING",
    "RESIZING",
    "RESIZE_FAILED",
] as const;
export type NotebookStatus = (typeof NOTEBOOK_STATUSES)[number] | (string & {});

/** Optional in the body; `null` from the cloud is read as absent, so callers see `T | undefined`. */
export const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
export const str = () => opt(z.string());
export const int = () => opt(z.number());
export const bool = () => opt(z.boolean());
/** Timestamps are documented as String in some places and Integer in others: accept both. */
export const timestamp = () => opt(z.union([z.string(), z.number()]));
export const stringMap = () => opt(z.record(z.string(), z.unknown()));

/** A list call's query filters, less the ones not given. */
export function definedOf(filter: Record<string, string | undefined>): Record<string, string> {
    return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== "")) as Record<string, string>;
}

// ---- status classes (both families) ----------------------------------------------------------

/**
 * Every status the official SDKs list, per class. Current notebooks API: PY SDK
 * model/notebook_resp.py (INIT … FROZEN, 14 values). Legacy demanager API: the API reference's list
 * query enum (modelarts_03_0111) adds CREATE_QUEUING, START_QUEUING, READY_TO_START, RESTARTING,
 * UNAVAILABLE, and ends with RESIZING, RESIZE_FAILED (a flavor change in progress / failed).
 * - settled: the policy can be read and written;
 * - transient: on its way somewhere; wait (bounded by the resource's timeouts) before touching it;
 * - failed: the instance needs a human; the policy cannot be managed, the error names the id;
 * - gone: deleted or being deleted; nothing to manage.
 * A status in none of these lists (a future one) is waited through like a transient one, with a
 * warning, until the timeout; it never crashes the provider.
 */
export type NotebookStatusClass = "settled" | "transient" | "failed" | "gone" | "unknown";

export const NOTEBOOK_STATUS_CLASSES: Readonly<Record<string, Exclude<NotebookStatusClass, "unknown">>> = {
    RUNNING: "settled",
    STOPPED: "settled",
    INIT: "transient",
    CREATING: "transient",
    STARTING: "transient",
    STOPPING: "transient",
    SNAPSHOTTING: "transient",
    CREATE_QUEUING: "transient",
    START_QUEUING: "transient",
    READY_TO_START: "transient",
    RESTARTING: "transient",
    RESIZING: "transient",
    CREATE_FAILED: "failed",
    START_FAILED: "failed",
    DELETE_FAILED: "failed",
    ERROR: "failed",
    FROZEN: "failed",
    UNAVAILABLE: "failed",
    RESIZE_FAILED: "failed",
    DELETING: "gone",
    DELETED: "gone",
};

export function classifyNotebookStatus(status: string | undefined): NotebookStatusClass {
    return (status && NOTEBOOK_STATUS_CLASSES[status.toUpperCase()]) || "unknown";
}
