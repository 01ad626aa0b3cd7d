/**
 * A create whose answer never arrived (lost, unreadable) or that answered with an order (PRE_PAID):
 * finding the server it made, without ever guessing between two, and never sending the POST again.
 */
import * as api from "../../api/devServers";
import { ModelArtsClient } from "../../client";
import { Clock } from "../../clock";
import { formatDuration } from "../../duration";
import { isTransientError, ModelArtsError, WaitTimeoutError } from "../../errors";
import { waitFor } from "../../wait";
import * as lostCreate from "../lostCreate";
import { identityMismatches } from "../wire";
import { DevServerInputs, devServerShape } from "./fields";
import { reportedInputs } from "./live";
import { FAILED, GONE } from "./server";

export { LOST_CREATE_SEARCHES } from "../lostCreate";

/**
 * The server list as the searches of ../lostCreate.ts read it: a listed server differs from the
 * declaration in an identifying input it reports (the table's `wire.identifies`) when it is not the
 * one the request made (e.g. the old server of a replace, on another subnet).
 */
function listing(list: () => Promise<api.DevServer[]>, inputs: DevServerInputs): lostCreate.CreatedListing<api.DevServer> {
    return {
        kind: "DevServer",
        plural: "servers",
        list,
        differs: (s) => identityMismatches(devServerShape, reportedInputs(s), inputs, "create").length > 0,
        id: (s) => s.id,
        name: (s) => s.name,
        status: (s) => String(s.status),
        createdAt: (s) => (typeof s.create_at === "number" ? s.create_at : undefined),
        leaving: ["DELETING", ...GONE],
        failed: FAILED,
    };
}

/** After a create whose answer was lost: the server it made (see ../lostCreate.ts). */
export function findServerFromLostCreate(
    client: ModelArtsClient,
    inputs: DevServerInputs,
    sentAt: number,
    sentAtWallClock: number,
    clock: Clock,
): Promise<api.DevServer | undefined> {
    return lostCreate.findFromLostCreate(listing(() => api.listDevServers(client), inputs), inputs.name, client, { at: sentAt, atWallClock: sentAtWallClock }, clock);
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

/** The server being replaced by this process's plan is not a twin of its replacement. */
export function noteReplacement(oldId: string): void {
    lostCreate.noteReplacement("DevServer", oldId);
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

/** Before a create: a live server no state records that this declaration would duplicate (see ../lostCreate.ts). */
export function findUnrecordedTwin(client: ModelArtsClient, inputs: DevServerInputs, windowMs: number, clock: Clock): Promise<api.DevServer | undefined> {
    return lostCreate.findUnrecordedTwin(listing(() => sharedList(client, clock.now()), inputs), inputs.name, client, windowMs);
}
