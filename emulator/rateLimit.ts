/**
 * The emulator's per-project rate limit, in the shapes an API gateway may count it (pure: time is a
 * parameter, so the client's tests can run it on a virtual clock):
 *
 * - `token-bucket` (the default): `perSecond` sustained, `burst` (default `perSecond`) at once;
 * - `sliding-window`: at most `perSecond` accepted requests in any one second;
 * - `per-minute`: at most `perSecond * 60` requests per calendar minute, as Huawei's gateway states
 *   its policies ("policy user over ratelimit, limit:1200, time:1 minute"); a burst is allowed, and
 *   the 429's Retry-After is the time left in the minute.
 *
 * A refused request answers 429 `APIG.0308` with a Retry-After in whole seconds (at least 1).
 */
export type RateLimitShape = "token-bucket" | "sliding-window" | "per-minute";

export const RATE_LIMIT_SHAPES: readonly RateLimitShape[] = ["token-bucket", "sliding-window", "per-minute"];

export interface RateLimitConfig {
    /** Sustained requests per second per project (per minute: this times 60 per minute). */
    perSecond: number;
    /** token-bucket only: bucket size (requests that may arrive at once); default = perSecond. */
    burst?: number;
    /** How requests are counted; default `token-bucket`. */
    shape?: RateLimitShape;
}

/** A refusal: seconds until a request would be accepted (the Retry-After), and the gateway's message. */
export interface Throttled {
    retryAfterSeconds: number;
    message: string;
}

interface Counter {
    /** token-bucket: tokens; per-minute: requests in the minute. */
    n: number;
    /** token-bucket: last refill; per-minute: the minute's start. */
    last: number;
    /** sliding-window: accepted request times within the last second, ascending. */
    times: number[];
}

export class RateLimiter {
    private counters = new Map<string, Counter>();

    constructor(private config: RateLimitConfig | null) {}

    reconfigure(config: RateLimitConfig | null): void {
        this.config = config;
        this.counters.clear();
    }

    /** Counts one request of `key` at `now` (ms); returns 0 when allowed, else the seconds to wait (>= 1). */
    take(key: string, now: number): number {
        return this.check(key, now)?.retryAfterSeconds ?? 0;
    }

    /** Counts one request of `key` at `now` (ms); undefined when allowed, else the refusal. */
    check(key: string, now: number): Throttled | undefined {
        const c = this.config;
        if (!c) return undefined;
        let counter = this.counters.get(key);
        if (!counter) {
            counter = { n: Math.max(1, c.burst ?? c.perSecond), last: now, times: [] };
            this.counters.set(key, counter);
        }
        const shape = c.shape ?? "token-bucket";
        if (shape === "sliding-window") return slidingWindow(c, counter, key, now);
        if (shape === "per-minute") return perMinute(c, counter, key, now);
        return tokenBucket(c, counter, key, now);
    }
}

function tokenBucket(c: RateLimitConfig, b: Counter, key: string, now: number): Throttled | undefined {
    const burst = Math.max(1, c.burst ?? c.perSecond);
    b.n = Math.min(burst, b.n + ((now - b.last) / 1000) * c.perSecond);
    b.last = now;
    if (b.n >= 1) {
        b.n -= 1;
        return undefined;
    }
    return {
        retryAfterSeconds: Math.max(1, Math.ceil((1 - b.n) / c.perSecond)),
        message: `The throttling threshold has been reached: project ${key} exceeded ${c.perSecond} requests per second`,
    };
}

function slidingWindow(c: RateLimitConfig, w: Counter, key: string, now: number): Throttled | undefined {
    const limit = Math.max(1, Math.floor(c.perSecond));
    let drop = 0;
    while (drop < w.times.length && w.times[drop] <= now - 1000) drop++;
    if (drop > 0) w.times.splice(0, drop);
    if (w.times.length < limit) {
        w.times.push(now);
        return undefined;
    }
    return {
        retryAfterSeconds: Math.max(1, Math.ceil((w.times[0] + 1000 - now) / 1000)),
        message: `The throttling threshold has been reached: policy user over ratelimit, limit:${limit}, time:1 second (project ${key})`,
    };
}

function perMinute(c: RateLimitConfig, m: Counter, key: string, now: number): Throttled | undefined {
    const limit = Math.max(1, Math.floor(c.perSecond * 60));
    const minute = Math.floor(now / 60_000) * 60_000;
    if (m.last !== minute) {
        m.last = minute;
        m.n = 0;
    }
    if (m.n < limit) {
        m.n++;
        return undefined;
    }
    return {
        retryAfterSeconds: Math.max(1, Math.ceil((minute + 60_000 - now) / 1000)),
        message: `The throttling threshold has been reached: policy user over ratelimit, limit:${limit}, time:1 minute (project ${key})`,
    };
}
