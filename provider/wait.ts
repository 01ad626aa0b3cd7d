/**
 * The one waiter: polls a resource until its status reaches a target set, in the spirit of
 * Terraform's `StateChangeConf` (pending / target / failed sets, not-found handling, a status the
 * request moves away from that must not come back), with a schedule that adapts to elapsed time.
 *
 * Schedule: the next poll comes after 5 % of the time waited so far, at least `minIntervalMs` and
 * at most `maxIntervalMs`. A transition of length T is therefore noticed at most
 * max(minInterval, 5 % of T) after it settles, while a long wait costs O(log T) + T / maxInterval
 * calls instead of one every few seconds. (Terraform's provider waits 10 s, then polls every 30 s.)
 */
import { Clock, realClock } from "./clock";
import { log } from "./log";
import { formatDuration } from "./duration";
import { WaitFailedError, WaitNotFoundError, WaitTimeoutError } from "./errors";


export interface PollSchedule {
    /** Delay before the first poll, ms. */
    firstDelayMs: number;
    minIntervalMs: number;
    maxIntervalMs: number;
    /** Fraction of the elapsed time used as the next interval. */
    elapsedFraction: number;
}

/**
 * `PULUMI_MODELARTS_POLL_SCALE` (e.g. 0.05) shrinks every interval: for the emulator, whose
 * transitions can be made to take milliseconds. Against the cloud leave it unset (1).
 */
export function pollScale(env: NodeJS.ProcessEnv = process.env): number {
    const parsed = Number(env.PULUMI_MODELARTS_POLL_SCALE);
    return Number.isFinite(parsed) && parsed > 0 && parsed <= 1 ? parsed : 1;
}

export function defaultSchedule(env: NodeJS.ProcessEnv = process.env): PollSchedule {
    const scale = pollScale(env);
    return {
        firstDelayMs: 1000 * scale,
        minIntervalMs: 1000 * scale,
        maxIntervalMs: 20000 * scale,
        // 5 %: polls are cheap now that waiting servers share one list call (api/devServerPoller).
        elapsedFraction: 0.05,
    };
}

export function nextDelay(schedule: PollSchedule, elapsedMs: number, pollsSoFar: number): number {
    if (pollsSoFar === 0) return schedule.firstDelayMs;
    const proportional = elapsedMs * schedule.elapsedFraction;
    return Math.min(schedule.maxIntervalMs, Math.max(schedule.minIntervalMs, proportional));
}

/** What one poll saw: a status and the body it came with, or `undefined` when the resource is gone. */
export type Observation<T> = { status: string; value: T } | undefined;

export interface WaitSpec<T> {
    /** Says what is awaited, for progress and errors: "DevServer gpu-box (62383738...) to be RUNNING". */
    what: string;
    refresh: () => Promise<Observation<T>>;
    pending: readonly string[];
    target: readonly string[];
    /** Statuses that end the wait with a `WaitFailedError`. */
    failed?: readonly string[];
    /**
     * The status the request moves the resource out of (STOPPED for a start). It is pending until
     * a `pending` status has been seen, or for `leavingGraceMs`; seen again after that, someone
     * reversed the change (outside Pulumi) and waiting longer cannot succeed.
     */
    leaving?: readonly string[];
    /** How long the `leaving` status may still show after the request. Default 60 s (scaled). */
    leavingGraceMs?: number;
    /** A `pending` status was already seen before the first poll (in the answer to the request). */
    pendingSeen?: boolean;
    /**
     * The resource being gone is success (deletion). Otherwise NOT_FOUND_CHECKS answers in a row
     * are tolerated before failing (a new resource may not be readable at once).
     */
    notFoundIsTarget?: boolean;
    timeoutMs: number;
    schedule?: PollSchedule;
    clock?: Clock;
    /** Errors for which polling simply continues (transient API trouble). Default: none. */
    isTransient?: (err: unknown) => boolean;
    /**
     * Called on every status change (and once at the start), and again when the status has not
     * changed for `progressEveryMs`; default logs a progress line at info level.
     */
    onStatus?: (status: string, elapsedMs: number) => void;
    /**
     * A long wait repeats its status line this often even when nothing changes, so that a user
     * never watches 30 s of silence (polls come at most every maxIntervalMs, so lines come at most
     * this + maxIntervalMs apart). Default 10 x minIntervalMs (10 s).
     */
    progressEveryMs?: number;
}

export interface WaitResult<T> {
    /** The final observation (undefined when the target was "gone"). */
    last: Observation<T>;
    polls: number;
    elapsedMs: number;
}

const GONE = "(gone)";

/** Not-found answers in a row tolerated while waiting for a resource that should exist. */
const NOT_FOUND_CHECKS = 3;

export async function waitFor<T>(spec: WaitSpec<T>): Promise<WaitResult<T>> {
    const clock = spec.clock ?? realClock;
    const schedule = spec.schedule ?? defaultSchedule();
    const onStatus =
        spec.onStatus ??
        ((status: string, elapsed: number) =>
            log.info(`waiting for ${spec.what}: ${status} after ${formatDuration(elapsed)}`));
    const start = clock.now();
    let polls = 0;
    let notFoundInARow = 0;
    let lastStatus: string | undefined;
    let lastValue: T | undefined;
    let left = spec.pendingSeen ?? false;
    const leavingGraceMs = spec.leavingGraceMs ?? 60 * schedule.minIntervalMs;
    const progressEveryMs = spec.progressEveryMs ?? 10 * schedule.minIntervalMs;
    let lastLineAt = 0;

    for (;;) {
        const elapsed = clock.now() - start;
        const delay = nextDelay(schedule, elapsed, polls);
        if (elapsed + delay > spec.timeoutMs && polls > 0) {
            // One last look at the deadline rather than sleeping past it.
            const remaining = spec.timeoutMs - elapsed;
            if (remaining <= 0) throw new WaitTimeoutError(spec.what, lastStatus, elapsed, lastValue);
            await clock.sleep(remaining);
        } else {
            await clock.sleep(delay);
        }
        polls++;
        let observation: Observation<T>;
        try {
            observation = await spec.refresh();
        } catch (err) {
            if (spec.isTransient?.(err) && clock.now() - start < spec.timeoutMs) {
                log.debug(`still waiting for ${spec.what}: ${(err as Error).message}`);
                continue;
            }
            throw err;
        }
        const now = clock.now() - start;
        const status = observation ? observation.status : GONE;
        if (status !== lastStatus || now - lastLineAt >= progressEveryMs) {
            onStatus(status, now);
            lastLineAt = now;
        }
        lastStatus = status;
        if (observation) lastValue = observation.value;

        if (!observation) {
            if (spec.notFoundIsTarget) return { last: undefined, polls, elapsedMs: now };
            notFoundInARow++;
            if (notFoundInARow >= NOT_FOUND_CHECKS) throw new WaitNotFoundError(spec.what);
        } else {
            notFoundInARow = 0;
            if (spec.target.includes(observation.status)) {
                return { last: observation, polls, elapsedMs: now };
            } else {
                if (spec.failed?.includes(observation.status)) {
                    throw new WaitFailedError(spec.what, observation.status, observation.value);
                }
                if (spec.leaving?.includes(observation.status)) {
                    if (left || now > leavingGraceMs) {
                        throw new WaitFailedError(
                            spec.what,
                            observation.status,
                            observation.value,
                            left
                                ? `it went back to ${observation.status}, so it was probably changed outside Pulumi`
                                : `it was still ${observation.status} ${formatDuration(now)} after the request`,
                        );
                    }
                } else if (spec.pending.includes(observation.status)) {
                    left = true;
                } else {
                    throw new WaitFailedError(
                        spec.what,
                        observation.status,
                        observation.value,
                        `an unexpected status while waiting for ${spec.target.join(" or ")}`,
                    );
                }
            }
        }
        if (now >= spec.timeoutMs) throw new WaitTimeoutError(spec.what, lastStatus, now, lastValue);
    }
}
