/** Talking to one DevServer: observing it, sending a transition, waiting for a status. */
import * as api from "../../api/devServers";
import { devServerPoller, pollerEnabled } from "../../api/devServerPoller";
import { ModelArtsClient } from "../../client";
import { Clock } from "../../clock";
import { isTransientError, ModelArtsApiError } from "../../errors";
import { log } from "../../log";
import { Observation, waitFor } from "../../wait";

export const SETTLED: readonly string[] = api.DEV_SERVER_SETTLED;
export const IN_PROGRESS: readonly string[] = api.DEV_SERVER_IN_PROGRESS;
export const FAILED: readonly string[] = api.DEV_SERVER_FAILED;
/** Statuses of a server that is gone although the API still returns it for a while. */
export const GONE: readonly string[] = api.DEV_SERVER_GONE;

export function label(name: string | undefined, id?: string): string {
    return `DevServer ${name ?? "?"}${id ? ` (${id})` : ""}`;
}

/**
 * The server and its status, or undefined when it is gone. Asked through the poller every waiting
 * resource of this process shares: many servers are answered by one list call, one alone by its GET.
 */
export async function observe(client: ModelArtsClient, id: string): Promise<Observation<api.DevServer>> {
    const body = pollerEnabled() ? await devServerPoller(client).observe(id) : await api.findDevServer(client, id);
    if (!body || GONE.includes(String(body.status))) return undefined;
    return { status: String(body.status), value: body };
}

export interface StatusWait {
    client: ModelArtsClient;
    id: string;
    /** What is awaited, for progress and errors: "DevServer box (id) to be RUNNING". */
    what: string;
    target: readonly string[];
    pending: readonly string[];
    /** The status the request moves the server out of (see `WaitSpec.leaving`). */
    leaving?: readonly string[];
    /** The answer to the request that started the transition, if any: may already show it under way. */
    requestAnswer?: api.DevServer;
    timeoutMs: number;
    clock?: Clock;
}

/** Waits until the server reaches `target`; a failed status ends the wait with WaitFailedError. */
export async function waitForStatus(w: StatusWait): Promise<api.DevServer> {
    const result = await waitFor({
        what: w.what,
        refresh: () => observe(w.client, w.id),
        pending: w.pending,
        leaving: w.leaving ?? [],
        pendingSeen: w.requestAnswer !== undefined && w.pending.includes(String(w.requestAnswer.status)),
        target: w.target,
        failed: FAILED,
        timeoutMs: w.timeoutMs,
        clock: w.clock,
        isTransient: isTransientError,
    });
    return result.last!.value;
}

/**
 * Sends a start, stop or delete. If the service refuses it because the server is already on its
 * way there (a retried request whose first attempt took effect, or someone in the console), that
 * is what we wanted: carry on and let the waiter follow it.
 */
export async function requestTransition(
    client: ModelArtsClient,
    id: string,
    send: () => Promise<api.DevServer | undefined>,
    alreadyUnderway: readonly string[],
): Promise<api.DevServer | undefined> {
    try {
        return await send();
    } catch (err) {
        if (!(err instanceof ModelArtsApiError) || err.status >= 500 || api.isDevServerNotFound(err)) throw err;
        const now = await observe(client, id);
        if (now && alreadyUnderway.includes(now.status)) {
            log.debug(`${err.method} ${err.path} was refused (HTTP ${err.status}) but the server is already ${now.status}; continuing`);
            return now.value;
        }
        throw err;
    }
}

/** Waits until no transition is in progress; returns the settled (or failed) server, undefined if gone. */
export async function waitSettled(
    client: ModelArtsClient,
    id: string,
    name: string | undefined,
    timeoutMs: number,
    clock?: Clock,
): Promise<api.DevServer | undefined> {
    const current = await observe(client, id);
    if (!current) return undefined;
    if (!IN_PROGRESS.includes(current.status)) return current.value;
    log.info(`${label(name, id)} is ${current.status}; waiting for it to settle first`);
    const result = await waitFor({
        what: `${label(name, id)} to settle`,
        refresh: () => observe(client, id),
        pending: IN_PROGRESS,
        target: [...SETTLED, ...FAILED],
        notFoundIsTarget: true,
        timeoutMs,
        clock,
        isTransient: isTransientError,
    });
    return result.last?.value;
}
