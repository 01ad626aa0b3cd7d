/**
 * A client-side token bucket, shared by every client of one endpoint + project in this process, so
 * that many resources created in parallel do not stampede into 429s. When the service does answer
 * 429, `pause` empties the bucket and holds everyone until the Retry-After has passed.
 *
 * Time is injectable (`now`, `sleep`) so tests run on a fake clock.
 */
import { Clock, realClock } from "../clock";


export interface RateLimitOptions {
    /** Sustained requests per second. */
    ratePerSecond: number;
    /** Requests allowed back to back after an idle period. */
    burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { ratePerSecond: 10, burst: 10 };

export class TokenBucket {
    private tokens: number;
    private last: number;
    private pausedUntil = 0;
    /** Waiters are served in arrival order: each acquire chains onto the previous one. */
    private queue: Promise<void> = Promise.resolve();

    constructor(
        readonly options: RateLimitOptions,
        private readonly clock: Clock = realClock,
    ) {
        if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
            throw new Error(`invalid rate limit ${options.ratePerSecond}/s burst ${options.burst}`);
        }
        this.tokens = options.burst;
        this.last = clock.now();
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
        return Math.ceil(((1 - this.tokens) * 1000) / this.options.ratePerSecond);
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
            this.tokens = Math.min(this.options.burst, this.tokens + ((now - from) * this.options.ratePerSecond) / 1000);
        }
        this.last = Math.max(this.last, now);
    }

    private async waitForToken(): Promise<void> {
        for (;;) {
            const wait = this.tryTake();
            if (wait === 0) return;
            await this.clock.sleep(wait);
        }
    }
}

const sharedBuckets = new Map<string, TokenBucket>();

/** The one bucket for `key` (endpoint + project) in this process; created with `options` on first use. */
export function sharedBucket(key: string, options: RateLimitOptions, clock: Clock = realClock): TokenBucket {
    let bucket = sharedBuckets.get(key);
    if (!bucket) {
        bucket = new TokenBucket(options, clock);
        sharedBuckets.set(key, bucket);
    }
    return bucket;
}

/** For tests. */
export function resetSharedBuckets(): void {
    sharedBuckets.clear();
}
