/**
 * The client-side rate limit, shared by every client of one endpoint + project in this process, so
 * that many resources created in parallel neither stampede into 429s nor leave the API's budget
 * unused.
 *
 * Two parts: `TokenBucket` is the mechanism (a rate, a small bucket, a pause that a 429's
 * Retry-After sets); `AdaptiveRate` decides the rate. By default the rate is found, not configured
 * (the idea of the AWS SDKs' "adaptive" retry mode: a token bucket whose rate follows the throttling
 * it meets, cut on a throttle and grown back along a cubic curve):
 *
 * - it starts at 10 requests/s (the old fixed default, so a small run behaves as before);
 * - while callers queue for tokens (the limit, not the work, is what holds them) and nothing has
 *   been throttled yet, the rate grows by half every second (slow start);
 * - a throttled answer (429, or the gateway's APIG.0308 / APIGW.0308) while callers queue sets the learned ceiling
 *   `wMax` to the rate the API actually accepted from us just before (answers that were not
 *   throttled in the last second; in the last minute when Retry-After says the quota is a long
 *   one), cuts the rate to 90 % of it, empties the bucket and holds everyone until Retry-After has
 *   passed; throttled answers to requests sent before that cut belong to the same episode and do not
 *   cut again;
 * - then, while callers queue, the rate follows wMax * (1 + C * (t - K)^3) over the queued time t
 *   since the cut: back to wMax after K = 12 s, flat around it, then probing above it (10 % above
 *   after 2K), so a steady limit is met about once every 20-25 s;
 * - a limit learned more than a minute ago, with no throttle since, is forgotten: back to at least
 *   10/s and slow start.
 *
 * `PULUMI_MODELARTS_MAX_RPS` is a ceiling the rate never exceeds. Mode `fixed` is the previous
 * behaviour: a fixed rate, paused by 429s.
 *
 * Time is injectable (`now`, `sleep`) so tests run on a fake clock.
 */
import { Clock, realClock } from "../clock";

/** A fixed rate (the behaviour before the adaptive limiter). */
export interface FixedRateLimit {
    /** Sustained requests per second. */
    ratePerSecond: number;
    /** Requests allowed back to back after an idle period. */
    burst: number;
}

/** A rate found from the API's answers (the default). */
export interface AdaptiveRateLimit {
    adaptive: true;
    /** Requests per second before anything is learned. Default 10 (at most the ceiling). */
    startRatePerSecond?: number;
    /** The ceiling the rate never exceeds (PULUMI_MODELARTS_MAX_RPS). Default none. */
    maxRatePerSecond?: number;
}

export type RateLimitOptions = FixedRateLimit | AdaptiveRateLimit;

export const DEFAULT_RATE_LIMIT: AdaptiveRateLimit = Object.freeze({ adaptive: true });

/** The adaptive limiter's constants (exported for tests and the README's arithmetic). */
export const ADAPTIVE = Object.freeze({
    /** Starting rate, requests/s. */
    startRate: 10,
    /** The rate never goes below this (requests/s). */
    minRate: 0.5,
    /** Slow start: growth factor per second of queued time, until the first throttle. */
    slowStartGrowth: 1.5,
    /** The rate after a cut, as a fraction of the learned ceiling wMax. */
    beta: 0.9,
    /** Seconds of queued time to grow back to wMax after a cut. */
    recoverySeconds: 12,
    /** One cut never takes more than this fraction of the rate (a throttle we hardly contributed to). */
    maxCut: 0.5,
    /**
     * A limit learned this long ago (ms), with no throttle since, is forgotten: the rate goes back to
     * at least the start rate and slow start resumes (a quiet process does not crawl for ever on
     * what one busy moment taught it).
     */
    forgetAfterMs: 60_000,
    /** A Retry-After longer than this means a quota over a long window (per minute): measured over a minute. */
    longQuotaRetryAfterMs: 2000,
    /** Bucket size, in seconds of the current rate (at least one request): little burst after a lull. */
    burstSeconds: 0.2,
});

/** C of the cubic, such that wMax * (1 + C * (0 - K)^3) = beta * wMax. */
const CUBIC_C = (1 - ADAPTIVE.beta) / ADAPTIVE.recoverySeconds ** 3;

export class TokenBucket {
    private tokens: number;
    private last: number;
    private pausedUntil = 0;
    private rate: number;
    private burst: number;
    /** Waiters are served in arrival order: each acquire chains onto the previous one. */
    private queue: Promise<void> = Promise.resolve();

    constructor(
        options: FixedRateLimit,
        private readonly clock: Clock = realClock,
        /** Called with each wait (ms) a caller spent queued for a token (not for a pause). */
        private readonly onQueued?: (ms: number) => void,
    ) {
        if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
            throw new Error(`invalid rate limit ${options.ratePerSecond}/s burst ${options.burst}`);
        }
        this.rate = options.ratePerSecond;
        this.burst = options.burst;
        this.tokens = options.burst;
        this.last = clock.now();
    }

    get ratePerSecond(): number {
        return this.rate;
    }

    /** Changes the rate (and bucket size) from now on; tokens already earned are kept up to the new size. */
    setRate(ratePerSecond: number, burst: number): void {
        this.refill(this.clock.now());
        this.rate = ratePerSecond;
        this.burst = burst;
        this.tokens = Math.min(this.tokens, burst);
    }

    /** Resolves when the caller may send one request. */
    acquire(): Promise<void> {
        const turn = this.queue.then(() => this.waitForToken());
        this.queue = turn.catch(() => undefined);
        return turn;
    }

    /**
     * Takes a token if one is available now and returns 0; otherwise returns how many ms to wait
     * before one will be.
     */
    tryTake(): number {
        const now = this.clock.now();
        this.refill(now);
        if (now < this.pausedUntil) return this.pausedUntil - now;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return 0;
        }
        return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
    }

    /** Holds every caller for `ms` (a 429's Retry-After) and empties the bucket. */
    pause(ms: number): void {
        const now = this.clock.now();
        this.refill(now);
        this.pausedUntil = Math.max(this.pausedUntil, now + ms);
        this.tokens = 0;
    }

    /** Tokens available now (for tests and debugging). */
    available(): number {
        this.refill(this.clock.now());
        return this.tokens;
    }

    private refill(now: number): void {
        // While paused, no tokens accumulate: the pause ends with an empty bucket that refills gently.
        const from = Math.max(this.last, Math.min(now, this.pausedUntil));
        if (now > from) {
            this.tokens = Math.min(this.burst, this.tokens + ((now - from) * this.rate) / 1000);
        }
        this.last = Math.max(this.last, now);
    }

    private async waitForToken(): Promise<void> {
        for (;;) {
            const paused = this.clock.now() < this.pausedUntil;
            const wait = this.tryTake();
            if (wait === 0) return;
            await this.clock.sleep(wait);
            if (!paused) this.onQueued?.(wait);
        }
    }
}

/**
 * The adaptive rate: pure arithmetic over the events the limiter reports (time queued, answers
 * accepted, throttles), so each rule is unit-tested on a fake clock.
 */
export class AdaptiveRate {
    /** Requests per second now. */
    rate: number;
    /** The rate last found to be the API's limit for us; undefined until the first throttle (slow start). */
    wMax?: number;
    /** Queued seconds since the last cut. */
    private sinceCut = 0;
    private lastCutAt = -Infinity;
    /** When callers last queued for a token (the rate, not the work, held them back). */
    private lastQueuedAt = -Infinity;
    /** Completion times of answers that were not throttled, within the last minute, ascending. */
    private accepted: number[] = [];
    private head = 0;
    /** Throttle episodes that cut the rate. */
    cuts = 0;

    constructor(
        readonly ceiling: number = Infinity,
        private readonly start: number = ADAPTIVE.startRate,
    ) {
        this.rate = Math.max(ADAPTIVE.minRate, Math.min(start, ceiling));
    }

    /** Forgets a limit learned long ago (see ADAPTIVE.forgetAfterMs); true when the rate changed. */
    refresh(now: number): boolean {
        if (this.wMax === undefined || now - this.lastCutAt < ADAPTIVE.forgetAfterMs) return false;
        this.wMax = undefined;
        const before = this.rate;
        this.rate = Math.max(this.rate, Math.min(this.start, this.ceiling));
        return this.rate !== before;
    }

    /** Callers queued `ms` for a token, until `now`: the limit held them, so the rate grows. */
    queued(ms: number, now: number): void {
        this.lastQueuedAt = now;
        const s = ms / 1000;
        if (this.wMax === undefined) {
            this.rate = this.rate * ADAPTIVE.slowStartGrowth ** s;
        } else {
            this.sinceCut += s;
            this.rate = this.wMax * (1 + CUBIC_C * (this.sinceCut - ADAPTIVE.recoverySeconds) ** 3);
        }
        this.rate = Math.max(ADAPTIVE.minRate, Math.min(this.ceiling, this.rate));
    }

    /** An answer that was not a throttle arrived at `now`. */
    answered(now: number): void {
        const n = this.accepted.length;
        this.accepted.push(n > this.head ? Math.max(this.accepted[n - 1], now) : now);
        this.prune(now);
    }

    /** Answers not throttled in the `windowMs` before `now`. */
    acceptedWithin(now: number, windowMs: number): number {
        this.prune(now);
        let count = 0;
        for (let i = this.accepted.length - 1; i >= this.head && this.accepted[i] > now - windowMs; i--) count++;
        return count;
    }

    /**
     * A throttled answer arrived at `now` to a request sent at `sentAt`. Returns true when it cut the
     * rate (the first throttle of an episode); false when the request was sent before the last cut.
     */
    throttled(now: number, sentAt: number, retryAfterMs: number | undefined): boolean {
        if (sentAt < this.lastCutAt) return false;
        // Nobody queued for a token in the last second: we sent what the work asked for, below our
        // rate, so the throttle says nothing about it (someone else's calls, an odd answer). The
        // Retry-After is still honoured; the rate is kept (cutting it here would compound over a
        // long run of sparse calls and leave nothing to grow it back).
        if (now - this.lastQueuedAt > 1000) return false;
        const longQuota = retryAfterMs !== undefined && retryAfterMs > ADAPTIVE.longQuotaRetryAfterMs;
        const measured = longQuota ? this.acceptedWithin(now, 60_000) / 60 : this.acceptedWithin(now, 1000);
        // Over a second, what we sent is no measure of a limit we hardly reached (the throttle came
        // from others' calls): one such cut takes at most half the rate. A minute's count is the quota.
        const floor = longQuota ? 0 : this.rate * ADAPTIVE.maxCut;
        this.wMax = Math.min(this.ceiling, Math.max(ADAPTIVE.minRate, Math.min(longQuota ? Infinity : this.rate, Math.max(measured, floor))));
        this.rate = Math.max(ADAPTIVE.minRate, ADAPTIVE.beta * this.wMax);
        this.sinceCut = 0;
        this.lastCutAt = now;
        this.cuts++;
        return true;
    }

    /** Bucket size for the current rate. */
    burst(): number {
        return Math.max(1, this.rate * ADAPTIVE.burstSeconds);
    }

    private prune(now: number): void {
        while (this.head < this.accepted.length && this.accepted[this.head] <= now - 60_000) this.head++;
        if (this.head > 1024 && this.head * 2 > this.accepted.length) {
            this.accepted = this.accepted.slice(this.head);
            this.head = 0;
        }
    }
}

/** What the client tells the limiter about one answer. */
export interface AnswerReport {
    /** When the request was sent (the value `acquire` resolved with). */
    sentAt: number;
    /** A throttle: 429, or the gateway's APIG(W).0308. */
    throttled: boolean;
    /** The throttled answer's Retry-After, or the backoff the client chose when it had none. */
    pauseMs?: number;
    /** Retry-After as the answer gave it (undefined when absent). */
    retryAfterMs?: number;
}

/** The one limiter of an endpoint + project: the bucket, and (unless fixed) the rate that drives it. */
export class RateLimiter {
    readonly bucket: TokenBucket;
    readonly adaptive?: AdaptiveRate;

    constructor(
        readonly options: RateLimitOptions,
        private readonly clock: Clock = realClock,
    ) {
        if ("adaptive" in options) {
            if (options.maxRatePerSecond !== undefined && !(options.maxRatePerSecond > 0)) {
                throw new Error(`invalid rate ceiling ${options.maxRatePerSecond}/s`);
            }
            const adaptive = new AdaptiveRate(options.maxRatePerSecond ?? Infinity, options.startRatePerSecond ?? ADAPTIVE.startRate);
            this.adaptive = adaptive;
            this.bucket = new TokenBucket({ ratePerSecond: adaptive.rate, burst: adaptive.burst() }, clock, (ms) => {
                adaptive.queued(ms, clock.now());
                this.bucket.setRate(adaptive.rate, adaptive.burst());
            });
        } else {
            this.bucket = new TokenBucket(options, clock);
        }
    }

    /** The current rate, requests per second. */
    get ratePerSecond(): number {
        return this.bucket.ratePerSecond;
    }

    /** Resolves with the send time when the caller may send one request. */
    async acquire(): Promise<number> {
        if (this.adaptive?.refresh(this.clock.now())) this.bucket.setRate(this.adaptive.rate, this.adaptive.burst());
        await this.bucket.acquire();
        return this.clock.now();
    }

    /** Reports one answer (network failures are not reported). */
    answered(report: AnswerReport): void {
        const now = this.clock.now();
        if (!report.throttled) {
            this.adaptive?.answered(now);
            return;
        }
        if (this.adaptive?.throttled(now, report.sentAt, report.retryAfterMs)) {
            this.bucket.setRate(this.adaptive.rate, this.adaptive.burst());
        }
        // Retry-After is honoured by everyone, and the pause ends with an empty bucket: no burst.
        this.bucket.pause(report.pauseMs ?? 0);
    }
}

const sharedLimiters = new Map<string, RateLimiter>();

/** The one limiter for `key` (endpoint + project) in this process; created with `options` on first use. */
export function sharedLimiter(key: string, options: RateLimitOptions, clock: Clock = realClock): RateLimiter {
    let limiter = sharedLimiters.get(key);
    if (!limiter) {
        limiter = new RateLimiter(options, clock);
        sharedLimiters.set(key, limiter);
    }
    return limiter;
}

/** For tests. */
export function resetSharedLimiters(): void {
    sharedLimiters.clear();
}
