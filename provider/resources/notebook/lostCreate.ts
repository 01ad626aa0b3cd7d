/**
 * A create whose answer never arrived (lost, unreadable): finding the notebook it made, without
 * guessing between two and without sending the POST again; and before a create, the unrecorded
 * twin an interrupted `pulumi up` leaves behind. Both search the list by name (ListNotebooks'
 * `name` query) and compare every identifying input the API reports (the table's
 * `wire.identifies`) and the creation time.
 */
import * as api from "../../api/notebookInstances";
import { ModelArtsClient } from "../../client";
import { Clock } from "../../clock";
import { ModelArtsError } from "../../errors";
import { log } from "../../log";
import { defaultSchedule } from "../../wait";
import { identityMismatches } from "../wire";
import { NotebookInputs, notebookShape } from "./fields";
import { FAILED, GONE, DELETING } from "./instance";
import { reportedInputs } from "./live";

export const LOST_CREATE_SEARCHES = 6;
/** How far the API's clock may trail ours when matching a notebook to a POST whose answer was lost. */
const CREATE_TIME_TOLERANCE_MS = 5 * 60_000;
/** The `Date` header's 1 s resolution plus a round trip. */
const SERVER_CLOCK_MARGIN_MS = 2_000;

function differsFromRequest(nb: api.Notebook, inputs: NotebookInputs): boolean {
    return identityMismatches(notebookShape, reportedInputs(nb), inputs, "create").length > 0;
}

export async function findNotebookFromLostCreate(
    client: ModelArtsClient,
    inputs: NotebookInputs,
    sentAtWallClock: number,
    clock: Clock,
): Promise<api.Notebook | undefined> {
    const step = 2 * defaultSchedule().minIntervalMs;
    for (let attempt = 0; attempt < LOST_CREATE_SEARCHES; attempt++) {
        if (attempt > 0) await clock.sleep(step * attempt);
        const listed = await api.listNotebooks(client, { name: inputs.name });
        let candidates = listed.filter(
            (nb) =>
                !differsFromRequest(nb, inputs) &&
                (typeof nb.create_at !== "number" || nb.create_at >= sentAtWallClock - CREATE_TIME_TOLERANCE_MS) &&
                ![DELETING, ...GONE].includes(String(nb.status)),
        );
        if (candidates.length > 1 && client.serverClockOffsetMs !== undefined) {
            const sentOnServerClock = sentAtWallClock + client.serverClockOffsetMs;
            const newer = candidates.filter((nb) => typeof nb.create_at !== "number" || nb.create_at >= sentOnServerClock - SERVER_CLOCK_MARGIN_MS);
            if (newer.length > 0) candidates = newer;
        }
        if (candidates.length === 1) return candidates[0];
        if (candidates.length > 1) {
            throw new ModelArtsError(
                `the answer to creating Notebook ${inputs.name} was lost, and ${candidates.length} notebooks match it in every ` +
                    `identifying input and in creation time (${candidates.map((c) => c.id).join(", ")}); not guessing which one is ours. ` +
                    "Delete the extra one in the console, then adopt the other with the 'import' resource option.",
            );
        }
    }
    return undefined;
}

/** Notebooks this process's diff planned to replace: the old one of a replace is not a twin. */
const beingReplaced = new Set<string>();
export function noteReplacement(oldId: string): void {
    beingReplaced.add(oldId);
}

/**
 * Before a create: a live notebook this declaration would duplicate, made within the create's own
 * timeout window (what a `pulumi up` interrupted during a create leaves). Failed, deleting and gone
 * notebooks are not twins, nor the old one of a replace, nor one that differs in an identifying input.
 */
export async function findUnrecordedTwin(client: ModelArtsClient, inputs: NotebookInputs, windowMs: number): Promise<api.Notebook | undefined> {
    const now = Date.now() + (client.serverClockOffsetMs ?? 0);
    let listed: api.Notebook[];
    try {
        listed = await api.listNotebooks(client, { name: inputs.name });
    } catch (err) {
        // A safety net, not a precondition: a failed list must not stop the create.
        log.debug(`could not list notebooks to look for an unrecorded twin of ${inputs.name}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
    }
    return listed.find(
        (nb) =>
            !beingReplaced.has(nb.id) &&
            !differsFromRequest(nb, inputs) &&
            ![DELETING, ...GONE, ...FAILED].includes(String(nb.status)) &&
            (typeof nb.create_at !== "number" || nb.create_at >= now - windowMs),
    );
}
