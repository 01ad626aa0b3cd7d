import { decide, fullJitterDelay, parseRetryAfter, retryDelay, saysNothingWasDone } from "../../provider/client/retry";
import { Clock } from "../../provider/clock";
import { TokenBucket } from "../../provider/client/rateLimit";

describe("backoff", () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    test("full jitter spans [0, min(max, base*2^n))", () => {
        expect(fullJitterDelay(0, opts, () => 0)).toBe(0);
        expect(fullJitterDelay(0, opts, () => 0.999)).toBe(99);
        expect(fullJitterDelay(3, opts, () => 0.5)).toBe(400);
        expect(fullJitterDelay(10, opts, () => 0.999)).toBe(999);
        expect(fullJitterDelay(1000, opts, () => 0.5)).toBe(500);
    });
    test("Retry-After is a minimum", () => {
        expect(retryDelay(0, 2000, opts, () => 0.5)).toBe(2000);
        expect(retryDelay(4, 10, opts, () => 0.5)).toBe(500);
    });
    test("parseRetryAfter", () => {
        expect(parseRetryAfter("3")).toBe(3000);
        expect(parseRetryAfter("0.5")).toBe(500);
        expect(parseRetryAfter(undefined)).toBeUndefined();
        expect(parseRetryAfter("soon")).toBeUndefined();
        const now = Date.parse("2024-01-01T00:00:00Z");
        expect(parseRetryAfter("Mon, 01 Jan 2024 00:00:05 GMT", now)).toBe(5000);
    });
});

describe("decide", () => {
    test.each([
        ["GET", { kind: "response", status: 200 }, "return"],
        ["GET", { kind: "response", status: 404 }, "return"],
        ["GET", { kind: "response", status: 429 }, "retry"],
        ["PUT", { kind: "response", status: 502 }, "retry"],
        ["DELETE", { kind: "response", status: 504 }, "retry"],
        ["GET", { kind: "response", status: 500 }, "retry"],
        ["PUT", { kind: "response", status: 500 }, "retry"],
        ["POST", { kind: "response", status: 500 }, "return"],
        ["GET", { kind: "network", code: "ECONNRESET" }, "retry"],
        ["PUT", { kind: "network", code: "ETIMEDOUT" }, "retry"],
        ["GET", { kind: "network", code: "ENOTFOUND" }, "fail-network"],
        ["POST", { kind: "network", code: "ECONNREFUSED" }, "retry"],
        ["POST", { kind: "network", code: "ECONNECTTIMEOUT" }, "retry"],
        ["POST", { kind: "network", code: "ECONNRESET" }, "ambiguous"],
        ["POST", { kind: "network", code: "ETIMEDOUT" }, "ambiguous"],
        ["POST", { kind: "response", status: 429 }, "retry"],
        ["POST", { kind: "response", status: 503, errorCode: "APIGW.0503" }, "retry"],
        ["POST", { kind: "response", status: 503, errorCode: "APIG.0503" }, "retry"], // the gateway answers with either prefix
        ["POST", { kind: "response", status: 503, errorCode: "ModelArts.0503" }, "ambiguous"],
        ["POST", { kind: "response", status: 503, errorMessage: "request was not processed, retry later" }, "retry"],
        ["POST", { kind: "response", status: 503 }, "ambiguous"],
        ["POST", { kind: "response", status: 504 }, "ambiguous"],
        ["POST", { kind: "response", status: 400 }, "return"],
        // an answer cut short or garbled: the request was received, so a POST may have acted
        ["POST", { kind: "network", code: "ERR_BAD_RESPONSE" }, "ambiguous"],
        ["POST", { kind: "network", code: "HPE_INVALID_CONSTANT" }, "ambiguous"],
        ["GET", { kind: "network", code: "ERR_BAD_RESPONSE" }, "retry"],
        ["DELETE", { kind: "network", code: "HPE_INVALID_CONSTANT" }, "retry"],
        // a certificate that does not verify: nothing was sent, and retrying cannot help
        ["POST", { kind: "network", code: "DEPTH_ZERO_SELF_SIGNED_CERT" }, "fail-network"],
        ["GET", { kind: "network", code: "ERR_TLS_CERT_ALTNAME_INVALID" }, "fail-network"],
    ] as const)("%s %j -> %s", (method, outcome, action) => {
        expect(decide(method, outcome as never).action).toBe(action);
    });
    test("saysNothingWasDone", () => {
        expect(saysNothingWasDone(429)).toBe(true);
        expect(saysNothingWasDone(502, "APIGW.0502")).toBe(false);
    });
});

function fakeClock(): Clock & { t: number } {
    const c = {
        t: 1_000_000,
        now: () => c.t,
        sleep: async (ms: number) => {
            c.t += ms;
        },
    };
    return c;
}

describe("TokenBucket on a fake clock", () => {
    test("burst, then the sustained rate", async () => {
        const clock = fakeClock();
        const b = new TokenBucket({ ratePerSecond: 10, burst: 5 }, clock);
        const start = clock.t;
        for (let i = 0; i < 5; i++) await b.acquire();
        expect(clock.t).toBe(start);
        for (let i = 0; i < 10; i++) await b.acquire();
        expect(clock.t - start).toBe(1000);
    });
    test("concurrent acquirers are served in order at the rate", async () => {
        const clock = fakeClock();
        const b = new TokenBucket({ ratePerSecond: 4, burst: 1 }, clock);
        const order: number[] = [];
        await Promise.all([0, 1, 2, 3, 4].map((i) => b.acquire().then(() => order.push(i))));
        expect(order).toEqual([0, 1, 2, 3, 4]);
        expect(clock.t - 1_000_000).toBe(1000);
    });
    test("pause holds everyone and empties the bucket", async () => {
        const clock = fakeClock();
        const b = new TokenBucket({ ratePerSecond: 10, burst: 10 }, clock);
        expect(b.available()).toBe(10);
        b.pause(2000);
        expect(b.tryTake()).toBe(2000);
        await b.acquire();
        expect(clock.t - 1_000_000).toBe(2100);
        expect(b.available()).toBeCloseTo(0);
    });
    test("rejects nonsense", () => {
        expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow();
    });
});
