/**
 * What every resource does around a create whose answer may not have arrived, stated once:
 * - after a lost or unreadable answer, find the resource the POST made in the list, by every
 *   identifying input the API reports and by creation time, never guessing between two and never
 *   sending the POST again (`findFromLostCreate`);
 * - before a create, refuse to make a twin of a live resource that no state records, which is what a
 *   `pulumi up` interrupted during a create leaves (`findUnrecordedTwin`).
 * Each resource says how its list reads (`CreatedListing`).
 */
import { ModelArtsClient } from "../client";
import { Clock } from "../clock";
import { ModelArtsError } from "../errors";
import { log } from "../log";
import { defaultSchedule } from "../wait";

export const LOST_CREATE_SEARCHES = 6;
/** How far the API's clock may trail ours when matching a resource to a POST whose answer was lost. */
const CREATE_TIME_TOLERANCE_MS = 5 * 60_000;
/** The `Date` header's 1 s resolution plus a round trip. */
const SERVER_CLOCK_MARGIN_MS = 2_000;

/** How one resource's list reads, for the searches below. */
export interface CreatedListing<T> {
    /** `DevServer`, `Notebook`: the messages' words. */
    kind: string;
    plural: string;
    /** The listed resources that may carry the declared name (all of them, or the API's name filter). */
    list: (name: string) => Promise<T[]>;
    /** The listed resource differs from the declaration in an identifying input it reports. */
    differs: (item: T) => boolean;
    id: (item: T) => string | undefined;
    name: (item: T) => string | undefined;
    status: (item: T) => string;
    /** Creation time on the service's clock (ms), when the list gives it. */
    createdAt: (item: T) => number | undefined;
    /** Statuses of a resource on its way out: never the one a create made. */
    leaving: readonly string[];
    /** Statuses of a failed resource: not a twin (a replacement is what repairs it). */
    failed: readonly string[];
}

const after = (at: number | undefined, bound: number) => at === undefined || at >= bound;

/**
 * After a create whose answer was lost: the resource it made. The request time is also placed on the
 * service's own clock (the `Date` header of its answers), so one of identical inputs made before the
 * request (the old one of a replace) is told apart too; only resources indistinguishable by all of
 * these make it refuse to guess.
 */
export async function findFromLostCreate<T>(
    listing: CreatedListing<T>,
    name: string,
    client: ModelArtsClient,
    sent: { at: number; atWallClock: number },
    clock: Clock,
): Promise<T | undefined> {
    // About 30 s in all (at the default poll scale): a new resource can take a while to show in the list.
    const step = 2 * defaultSchedule().minIntervalMs;
    for (let attempt = 0; attempt < LOST_CREATE_SEARCHES; attempt++) {
        if (attempt > 0) await clock.sleep(step * attempt);
        let candidates = (await listing.list(name)).filter(
            (item) =>
                listing.name(item) === name &&
                !listing.differs(item) &&
                after(listing.createdAt(item), sent.at - CREATE_TIME_TOLERANCE_MS) &&
                !listing.leaving.includes(listing.status(item)),
        );
        if (candidates.length > 1 && client.serverClockOffsetMs !== undefined) {
            const sentOnServerClock = sent.atWallClock + client.serverClockOffsetMs;
            const newer = candidates.filter((item) => after(listing.createdAt(item), sentOnServerClock - SERVER_CLOCK_MARGIN_MS));
            if (newer.length > 0) candidates = newer;
        }
        if (candidates.length === 1) return candidates[0];
        if (candidates.length > 1) {
            throw new ModelArtsError(
                `the answer to creating ${listing.kind} ${name} was lost, and ${candidates.length} ${listing.plural} match it ` +
                    `in every identifying input and in creation time (${candidates.map(listing.id).join(", ")}); not guessing ` +
                    `which one is ours. Delete the extra one in the console, then adopt the other with the 'import' resource option.`,
            );
        }
    }
    return undefined;
}

/**
 * Resources a diff of this process planned to replace, per kind. The engine diffs, then creates the
 * replacement, in one provider process; the resource being replaced matches the new declaration
 * wherever the change lies in an input the API does not report, and is not a twin.
 */
const beingReplaced = new Map<string, Set<string>>();

export function noteReplacement(kind: string, oldId: string): void {
    if (!beingReplaced.has(kind)) beingReplaced.set(kind, new Set());
    beingReplaced.get(kind)!.add(oldId);
}

/**
 * Before a create: a live resource that this declaration would duplicate, made within the create's
 * own timeout window. The engine records a create interrupted by a second Ctrl-C as pending and runs
 * it again on the next up: a second, billed resource would be made beside the first, which no state
 * knows. Failed, leaving and gone resources are not twins, nor the old one of a replace, nor one that
 * differs in an identifying input the API reports.
 */
export async function findUnrecordedTwin<T>(listing: CreatedListing<T>, name: string, client: ModelArtsClient, windowMs: number): Promise<T | undefined> {
    const now = Date.now() + (client.serverClockOffsetMs ?? 0);
    let listed: T[];
    try {
        listed = await listing.list(name);
    } catch (err) {
        // A safety net, not a precondition: a list that fails (after the client's own retries) must not stop the create.
        log.debug(`could not list ${listing.plural} to look for an unrecorded twin of ${name}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
    }
    const replaced = beingReplaced.get(listing.kind);
    return listed.find(
        (item) =>
            listing.name(item) === name &&
            !replaced?.has(listing.id(item) ?? "") &&
            !listing.differs(item) &&
            ![...listing.leaving, ...listing.failed].includes(listing.status(item)) &&
            after(listing.createdAt(item), now - windowMs),
    );
}
