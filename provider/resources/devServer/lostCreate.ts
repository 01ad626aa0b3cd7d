/**
 * A create whose answer never arrived (lost, unreadable) or that answered with an order (PRE_PAID):
 * finding the server it made, without ever guessing between two, and never sending the POST again.
 */
import * as api from "../../api/devServers";
import { ModelArtsClient } from "../../client";
import { Clock } from "../../clock";
import { formatDuration } from "../../duration";
import { isTransientError, ModelArtsError, WaitTimeoutError } from "../../errors";
import { log } from "../../log";
import { defaultSchedule, waitFor } from "../../wait";
import { identityMismatches } from "../wire";
import { DevServerInputs, devServerShape } from "./fields";
import { reportedInputs } from "./live";
import { FAILED, GONE } from "./server";

export const LOST_CREATE_SEARCHES = 6;

/** How far the API's clock may trail ours when matching a server to a POST whose answer was lost. */
const CREATE_TIME_TOLERANCE_MS = 5 * 60_000;
/** The `Date` header's 1 s resolution plus a round trip. */
const SERVER_CLOCK_MARGIN_MS = 2_000;

/**
 * A listed server differs from the declaration in an identifying input it reports (the table's
 * `wire.identifies`): it is not the one the request made (e.g. the old server of a replace, on
 * another subnet).
 */
function differsFromRequest(s: api.DevServer, inputs: DevServerInputs): boolean {
    return identityMismatches(devServerShape, reportedInputs(s), inputs, "create").length > 0;
}

/**
 * After a create whose answer was lost: the server it made, found in the list by every identifying
 * input the API reports and by the request time. The time is placed on the service's own clock
 * (the `Date` header of its answers), so a server of identical inputs created before the request
 * (the old one of a replace) is told apart too; only servers indistinguishable by all of these
 * make it refuse to guess.
 */
export async function findServerFromLostCreate(
    client: ModelArtsClient,
    inputs: DevServerInputs,
    sentAt: number,
    sentAtWallClock: number,
    clock: Clock,
): Promise<api.DevServer | undefined> {
    // About 30 s in all (at the default poll scale): a new server can take a while to show in the list.
    const step = 2 * defaultSchedule().minIntervalMs;
    for (let attempt = 0; attempt < LOST_CREATE_SEARCHES; attempt++) {
        if (attempt > 0) await clock.sleep(step * attempt);
        const listed = await api.listDevServers(client);
        let candidates = listed.filter(
            (s) =>
                !differsFromRequest(s, inputs) &&
                (typeof s.create_at !== "number" || s.create_at >= sentAt - CREATE_TIME_TOLERANCE_MS) &&
                !["DELETING", ...GONE].includes(String(s.status)),
        );
        if (candidates.length > 1 && client.serverClockOffsetMs !== undefined) {
            // The request left at this moment of the service's clock; the Date header has 1 s resolution.
            const sentOnServerClock = sentAtWallClock + client.serverClockOffsetMs;
            const newer = candidates.filter((s) => typeof s.create_at !== "number" || s.create_at >= sentOnServerClock - SERVER_CLOCK_MARGIN_MS);
            if (newer.length > 0) candidates = newer;
        }
        if (candidates.length === 1) return candidates[0];
        if (candidates.length > 1) {
            throw new ModelArtsError(
                `the answer to creating DevServer ${inputs.name} was lost, and ${candidates.length} servers match it ` +
                    `in every identifying input and in creation time (${candidates.map((c) => c.id).join(", ")}); not guessing ` +
                    `which one is ours. Delete the extra one in the console, then adopt the other with the 'import' resource option.`,
            );
        }
    }
    return undefined;
}

/** PRE_PAID creation answers with an order; the server shows up in the list once the order is processed. */
export async function findServerByOrder(
    client: ModelArtsClient,
    orderId: string,
    name: string,
    timeoutMs: number,
    clock: Clock,
): Promise<api.DevServer> {
    const result = await waitFor({
        what: `order ${orderId} to produce DevServer ${name}`,
        refresh: async () => {
            const match = (await api.listDevServers(client)).find((s) => s.order_id === orderId);
            return match ? { status: "ORDERED", value: match } : { status: "ORDER_PENDING", value: undefined };
        },
        pending: ["ORDER_PENDING"],
        target: ["ORDERED"],
        timeoutMs,
        clock,
        isTransient: isTransientError,
    }).catch((err) => {
        if (err instanceof WaitTimeoutError) {
            throw new ModelArtsError(
                `PRE_PAID order ${orderId} for DevServer ${name} was placed but no server appeared within ` +
                    `${formatDuration(err.elapsedMs)}. If chargingInfo.isAutoPay is false, pay the order in the ` +
                    `Huawei Cloud console, then import the server with the 'import' resource option.`,
            );
        }
        throw err;
    });
    return result.last!.value!;
}

/**
 * Servers this process's diff planned to replace. The engine diffs, then creates the replacement,
 * in one provider process; the server being replaced matches the new declaration wherever the
 * change lies in an input the API does not report (a security group, a root volume, a password),
 * and is not a twin.
 */
const beingReplaced = new Set<string>();

export function noteReplacement(oldId: string): void {
    beingReplaced.add(oldId);
}

/** Lists asked for within this long of each other by creates in one process share one call. */
const SHARED_LIST_MS = 2_000;
const recentLists = new WeakMap<ModelArtsClient, { at: number; list: Promise<api.DevServer[]> }>();

function sharedList(client: ModelArtsClient, now: number): Promise<api.DevServer[]> {
    const recent = recentLists.get(client);
    if (recent && now - recent.at < SHARED_LIST_MS) return recent.list;
    const list = api.listDevServers(client);
    recentLists.set(client, { at: now, list });
    list.catch(() => recentLists.delete(client));
    return list;
}

/**
 * Before a create: a live server that this declaration would duplicate, made within the create's
 * own timeout window. It is what a `pulumi up` interrupted during a create leaves: the engine
 * records the create as pending, the next up runs create again, and a second, billed server would
 * be made beside the first one that no state knows. Failed, deleting and gone servers are not
 * twins (a failed one is what a replacement repairs); neither is the old server of a replace
 * (noteReplacement), nor one that differs in any identifying input the API reports.
 */
export async function findUnrecordedTwin(
    client: ModelArtsClient,
    inputs: DevServerInputs,
    windowMs: number,
    clock: Clock,
): Promise<api.DevServer | undefined> {
    const now = Date.now() + (client.serverClockOffsetMs ?? 0);
    let listed: api.DevServer[];
    try {
        listed = await sharedList(client, clock.now());
    } catch (err) {
        // A safety net, not a precondition: a list that fails (after the client's own retries)
        // must not stop the create.
        log.debug(`could not list servers to look for an unrecorded twin of ${inputs.name}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
    }
    return listed.find(
        (s) =>
            s.name === inputs.name &&
            !beingReplaced.has(s.id ?? "") &&
            !differsFromRequest(s, inputs) &&
            !["DELETING", ...GONE, ...FAILED].includes(String(s.status)) &&
            (typeof s.create_at !== "number" || s.create_at >= now - windowMs),
    );
}
