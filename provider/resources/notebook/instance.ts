/**
 * Talking to one notebook: observing it, sending a transition, waiting for a status, bringing it to
 * a power state. Status classes are the notebook families' shared table (api NOTEBOOK_STATUS_CLASSES):
 * a status in none of them (a future one) is waited through with a warning, bounded by the timeout.
 */
import * as api from "../../api/notebookInstances";
import { ModelArtsClient } from "../../client";
import { Clock } from "../../clock";
import { AmbiguousRequestError, isTransientError, ModelArtsApiError, WaitFailedError } from "../../errors";
import { log } from "../../log";
import { Observation, waitFor } from "../../wait";
import { Operation } from "../common";
import { leaseDurationMs, NotebookAutoStopSetting } from "./fields";

const byClass = (c: string) => Object.keys(api.NOTEBOOK_STATUS_CLASSES).filter((k) => api.NOTEBOOK_STATUS_CLASSES[k] === c);
export const SETTLED: readonly string[] = byClass("settled");
export const IN_PROGRESS: readonly string[] = byClass("transient");
export const FAILED: readonly string[] = byClass("failed");
/** DELETING: on its way out; DELETED: gone although still listed. */
export const DELETING = "DELETING";
export const GONE: readonly string[] = ["DELETED"];

export function label(name: string | undefined, id?: string): string {
    return `Notebook ${name ?? "?"}${id ? ` (${id})` : ""}`;
}

/** The notebook and its status, or undefined when it is gone (the API's not-found answer, or DELETED). */
export async function observe(client: ModelArtsClient, id: string): Promise<Observation<api.Notebook>> {
    const nb = await api.findNotebook(client, id);
    if (!nb || GONE.includes(String(nb.status))) return undefined;
    return { status: String(nb.status ?? "UNKNOWN"), value: nb };
}

/**
 * A wait's refresh that adds a status no class knows to `pending`, once, with a warning: waited
 * through until the timeout.
 */
function observeTolerating(client: ModelArtsClient, id: string, what: string, pending: string[]): () => Promise<Observation<api.Notebook>> {
    return async () => {
        const o = await observe(client, id);
        if (o && api.classifyNotebookStatus(o.status) === "unknown" && !pending.includes(o.status)) {
            pending.push(o.status);
            log.warn(`${what}: status ${o.status} is not one this provider knows; waiting through it (bounded by the timeout)`);
        }
        return o;
    };
}

export interface StatusWait {
    client: ModelArtsClient;
    id: string;
    /** "Notebook nb (id) to be RUNNING" */
    what: string;
    target: readonly string[];
    pending: readonly string[];
    leaving?: readonly string[];
    timeoutMs: number;
    clock?: Clock;
}

/** Waits until the notebook reaches `target`; a failed status ends the wait with WaitFailedError. */
export async function waitForStatus(w: StatusWait): Promise<api.Notebook> {
    const pending = [...w.pending];
    const result = await waitFor({
        what: w.what,
        refresh: observeTolerating(w.client, w.id, w.what, pending),
        pending,
        leaving: w.leaving ?? [],
        target: w.target,
        failed: FAILED,
        timeoutMs: w.timeoutMs,
        clock: w.clock,
        isTransient: isTransientError,
    });
    return result.last!.value;
}

/** Waits until no transition is in progress; the settled (or failed) notebook, undefined if gone. */
export async function waitSettled(client: ModelArtsClient, id: string, name: string | undefined, timeoutMs: number, clock?: Clock): Promise<api.Notebook | undefined> {
    const current = await observe(client, id);
    if (!current) return undefined;
    const cls = api.classifyNotebookStatus(current.status);
    if (cls !== "transient" && cls !== "unknown") return current.value;
    log.info(`${label(name, id)} is ${current.status}; waiting for it to settle first`);
    const pending = [...IN_PROGRESS, current.status];
    const result = await waitFor({
        what: `${label(name, id)} to settle`,
        refresh: observeTolerating(client, id, label(name, id), pending),
        pending,
        target: [...SETTLED, ...FAILED, DELETING],
        notFoundIsTarget: true,
        timeoutMs,
        clock,
        isTransient: isTransientError,
    });
    return result.last?.value;
}

/**
 * Sends a start, stop or delete. A refusal because the notebook is already on its way there (a
 * retried request whose first attempt took effect, someone in the console; the stop of a stopped
 * notebook answers ModelArts.6357), or a lost answer, is followed by a look: when the notebook is
 * in one of `alreadyUnderway`, that is what was wanted.
 */
export async function requestTransition(
    client: ModelArtsClient,
    id: string,
    send: () => Promise<unknown>,
    alreadyUnderway: readonly string[],
): Promise<void> {
    try {
        await send();
    } catch (err) {
        const refused = err instanceof ModelArtsApiError && err.status < 500 && !api.isNotebookNotFound(err);
        if (!refused && !(err instanceof AmbiguousRequestError)) throw err;
        const now = await observe(client, id);
        if (now && alreadyUnderway.includes(now.status)) {
            log.debug(`${err instanceof ModelArtsApiError ? `${err.method} ${err.path} was refused (HTTP ${err.status})` : "a request's answer was lost"} but the notebook is already ${now.status}; continuing`);
            return;
        }
        throw err;
    }
}

/** The lease a start sets: the declared auto-stop, or the API's default when none is declared. */
export function startLease(autoStop: NotebookAutoStopSetting | undefined): { durationMs?: number; type?: string } {
    if (!autoStop) return {};
    return { durationMs: leaseDurationMs(autoStop), type: autoStop.enabled ? (autoStop.type ?? "TIMING") : undefined };
}

export interface NotebookContext {
    op: Operation;
    id: string;
    what: string;
}

/** Starts or stops the notebook to `target` and waits for it; the notebook as it then is. */
export async function powerTo(c: NotebookContext, current: api.Notebook, target: "RUNNING" | "STOPPED", autoStop: NotebookAutoStopSetting | undefined): Promise<api.Notebook> {
    if (current.status === target) return current;
    const { client, clock } = c.op;
    if (target === "RUNNING") {
        log.info(`starting ${c.what}`);
        await requestTransition(client, c.id, () => api.startNotebook(client, c.id, startLease(autoStop)), ["STARTING", "RUNNING"]);
        return waitForStatus({ client, id: c.id, what: `${c.what} to be RUNNING`, target: ["RUNNING"], pending: ["STARTING", ...IN_PROGRESS], leaving: ["STOPPED"], timeoutMs: c.op.remaining(), clock });
    }
    log.info(`stopping ${c.what}`);
    await requestTransition(client, c.id, () => api.stopNotebook(client, c.id), ["STOPPING", "STOPPED"]);
    return waitForStatus({ client, id: c.id, what: `${c.what} to be STOPPED`, target: ["STOPPED"], pending: ["STOPPING", ...IN_PROGRESS], leaving: ["RUNNING"], timeoutMs: c.op.remaining(), clock });
}

/** The last notebook body a wait saw, when it ended in failure or timeout. */
export function lastSeen(err: unknown): api.Notebook | undefined {
    const value = err instanceof WaitFailedError || (err as { lastValue?: unknown })?.lastValue !== undefined ? (err as { lastValue?: unknown }).lastValue : undefined;
    return value && typeof value === "object" && "id" in value && !("mount_path" in value) ? (value as api.Notebook) : undefined;
}
