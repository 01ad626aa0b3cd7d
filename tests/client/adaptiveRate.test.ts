/**
 * The adaptive rate limiter against the emulator's own limiter shapes, on a virtual clock: many
 * callers, each sending one request after another through the shared limiter (as a thousand waiting
 * resources do), a throttled request retried after its Retry-After. Minutes of traffic run in well
 * under a second.
 */
import { ADAPTIVE, AdaptiveRate, RateLimiter, RateLimitOptions } from "../../provider/client/rateLimit";
import { RateLimiter as ServerLimiter, RateLimitConfig } from "../../emulator/rateLimit";
import { Clock } from "../../provider/clock";

/** A discrete-event clock: sleepers wake in time order; `run` advances time until `until`. */
class VirtualClock implements Clock {
    t = 1_700_000_000_000;
    private timers: Array<{ at: number; seq: number; wake: () => void }> = [];
    private seq = 0;
    now = (): number => this.t;
    sleep = (ms: number): Promise<void> =>
        new Promise((wake) => {
            this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake });
        });
    async run(until: number): Promise<void> {
        for (;;) {
            await flush();
            if (this.timers.length === 0) return;
            let i = 0;
            for (let j = 1; j < this.timers.length; j++) {
                const a = this.timers[j], b = this.timers[i];
                if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) i = j;
            }
            const next = this.timers[i];
            if (next.at > until) return;
            this.timers.splice(i, 1);
            this.t = next.at;
            next.wake();
        }
    }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

interface Sim {
    /** Accepted requests per second in each second of the run, per process. */
    perSecond: number[][];
    accepted: number;
    throttled: number;
    rates: number[];
}

/**
 * `processes` limiters (one per provider process) share one server limit; each has `callers`
 * callers that always have a request to send. Latency 20 ms per request.
 */
async function simulate(server: RateLimitConfig, seconds: number, options: RateLimitOptions = { adaptive: true }, processes = 1, callers = 200): Promise<Sim> {
    const clock = new VirtualClock();
    const start = clock.t;
    const end = start + seconds * 1000;
    const gateway = new ServerLimiter(server);
    const sim: Sim = { perSecond: [], accepted: 0, throttled: 0, rates: [] };
    for (let p = 0; p < processes; p++) {
        sim.perSecond.push(new Array(seconds).fill(0));
        const limiter = new RateLimiter(options, clock);
        const caller = async () => {
            while (clock.t < end) {
                const sentAt = await limiter.acquire();
                if (sentAt >= end) return;
                const refused = gateway.check("project", sentAt);
                await clock.sleep(20);
                if (refused) {
                    sim.throttled++;
                    const retryAfterMs = refused.retryAfterSeconds * 1000;
                    limiter.answered({ sentAt, throttled: true, retryAfterMs, pauseMs: retryAfterMs });
                    await clock.sleep(retryAfterMs);
                } else {
                    sim.accepted++;
                    sim.perSecond[p][Math.floor((sentAt - start) / 1000)]++;
                    limiter.answered({ sentAt, throttled: false });
                }
            }
        };
        for (let i = 0; i < callers; i++) void caller();
        sim.rates.push(0);
        const sample = async () => {
            while (clock.t < end) {
                await clock.sleep(1000);
                sim.rates[p] = limiter.ratePerSecond;
            }
        };
        void sample();
    }
    await clock.run(end + 60_000);
    return sim;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** Accepted per second over seconds [from, to) of the run, all processes together. */
const throughput = (s: Sim, from: number, to: number) => sum(s.perSecond.map((p) => sum(p.slice(from, to)))) / (to - from);

describe("adaptive rate against the emulator's limiter shapes (virtual clock)", () => {
    test.each([
        ["sliding-window", 20],
        ["token-bucket", 20],
        ["sliding-window", 5],
        ["sliding-window", 50],
    ] as const)("%s at %d/s: within 10 s it sends at 88 % of the limit or more, never above it, and at most 5 %% of calls are throttled", async (shape, limit) => {
        const s = await simulate({ perSecond: limit, shape }, 300);
        const settled = throughput(s, 10, 300);
        expect(settled).toBeGreaterThanOrEqual(0.88 * limit);
        expect(settled).toBeLessThanOrEqual(limit * 1.01);
        expect(s.throttled / (s.accepted + s.throttled)).toBeLessThanOrEqual(0.05);
    });

    test("per-minute quota at 20/s: the quota is used, one throttle episode a minute at most, and the rate then paces below the quota", async () => {
        const s = await simulate({ perSecond: 20, shape: "per-minute" }, 300);
        if (process.env.SIM_DEBUG) console.log(s.perSecond[0].join(" "), s.throttled);
        // Four full minutes after the first: at least 90 % of their quota went through.
        expect(throughput(s, 60, 300)).toBeGreaterThanOrEqual(0.9 * 20);
        expect(s.throttled / (s.accepted + s.throttled)).toBeLessThanOrEqual(0.05);
        // After the first exhausted minute the rate is paced near the quota, not a burst.
        expect(s.rates[0]).toBeLessThan(30);
    });

    test("two processes sharing one limit of 20/s: together they use it, neither starves", async () => {
        const s = await simulate({ perSecond: 20, shape: "sliding-window" }, 300, { adaptive: true }, 2);
        expect(throughput(s, 20, 300)).toBeGreaterThanOrEqual(0.85 * 20);
        for (const p of s.perSecond) expect(sum(p.slice(20)) / 280).toBeGreaterThan(3);
        expect(s.throttled / (s.accepted + s.throttled)).toBeLessThanOrEqual(0.05);
    });

    test("PULUMI_MODELARTS_MAX_RPS is a ceiling: the rate never exceeds it even when the API allows more", async () => {
        const s = await simulate({ perSecond: 50, shape: "sliding-window" }, 60, { adaptive: true, maxRatePerSecond: 15 });
        expect(s.throttled).toBe(0);
        expect(Math.max(...s.perSecond[0])).toBeLessThanOrEqual(16);
        expect(throughput(s, 10, 60)).toBeGreaterThanOrEqual(14);
    });

    test("the fixed mode keeps its rate (the old behaviour)", async () => {
        const s = await simulate({ perSecond: 50, shape: "sliding-window" }, 30, { ratePerSecond: 10, burst: 10 });
        expect(throughput(s, 1, 30)).toBeCloseTo(10, 0);
    });
});

describe("AdaptiveRate arithmetic", () => {
    test("starts at 10/s and grows only while callers queue", () => {
        const a = new AdaptiveRate();
        expect(a.rate).toBe(ADAPTIVE.startRate);
        a.queued(1000, 0);
        expect(a.rate).toBeCloseTo(ADAPTIVE.startRate * ADAPTIVE.slowStartGrowth);
    });
    test("a throttle cuts to 90 % of what the API accepted in the last second; the same episode does not cut twice; back to it after 12 s", () => {
        const a = new AdaptiveRate();
        const t = 1_000_000;
        a.queued(3000, t); // slow start, rate 33.75
        for (let i = 0; i < 20; i++) a.answered(t - 900 + i * 40);
        expect(a.throttled(t, t - 10, 1000)).toBe(true);
        expect(a.wMax).toBe(20);
        expect(a.rate).toBeCloseTo(18);
        expect(a.throttled(t + 5, t - 5, 1000)).toBe(false);
        expect(a.rate).toBeCloseTo(18);
        a.queued(ADAPTIVE.recoverySeconds * 1000, t + 12_000);
        expect(a.rate).toBeCloseTo(20);
        a.queued(ADAPTIVE.recoverySeconds * 1000, t + 24_000);
        expect(a.rate).toBeCloseTo(22);
    });
    test("a long Retry-After (a per-minute quota) measures what was accepted over the last minute", () => {
        const a = new AdaptiveRate();
        const t = 1_000_000;
        a.queued(5000, t);
        for (let i = 0; i < 1200; i++) a.answered(t - 10_000 + i * 8);
        a.throttled(t, t - 1, 45_000);
        expect(a.wMax).toBeCloseTo(20);
    });
    test("one cut takes at most half the rate, and never goes above the ceiling", () => {
        const a = new AdaptiveRate(8);
        expect(a.rate).toBe(8);
        a.queued(10, 1_000_000);
        a.throttled(1_000_000, 1_000_000, 1000);
        expect(a.rate).toBeCloseTo(0.9 * 4);
    });
    test("a limit learned more than a minute ago with no throttle since is forgotten: back to the start rate and slow start", () => {
        const a = new AdaptiveRate();
        a.queued(10, 1_000_000);
        a.throttled(1_000_000, 1_000_000, 1000);
        expect(a.rate).toBeLessThan(5);
        expect(a.refresh(1_030_000)).toBe(false);
        expect(a.refresh(1_061_000)).toBe(true);
        expect(a.rate).toBe(ADAPTIVE.startRate);
        expect(a.wMax).toBeUndefined();
    });
    test("a throttle while nobody queued (sparse calls: someone else's traffic, an injected answer) keeps the rate", () => {
        const a = new AdaptiveRate();
        for (let i = 0; i < 10; i++) expect(a.throttled(1_000_000 + i * 5000, 1_000_000 + i * 5000, 1000)).toBe(false);
        expect(a.rate).toBe(ADAPTIVE.startRate);
    });
});
