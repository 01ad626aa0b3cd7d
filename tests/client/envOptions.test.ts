import { clientOptionsFromEnv } from "../../provider/client";

describe("clientOptionsFromEnv", () => {
    it("reads the rate limit, response timeout and retries a user sets", () => {
        expect(
            clientOptionsFromEnv({ PULUMI_MODELARTS_MAX_RPS: "20", PULUMI_MODELARTS_HTTP_TIMEOUT_MS: "1500", PULUMI_MODELARTS_MAX_RETRIES: "0" }),
        ).toEqual({ rateLimit: { adaptive: true, maxRatePerSecond: 20 }, timeoutMs: 1500, maxRetries: 0 });
    });

    it("PULUMI_MODELARTS_RATE_MODE=fixed sends at exactly the set rate (10/s without PULUMI_MODELARTS_MAX_RPS), as before the adaptive limiter", () => {
        expect(clientOptionsFromEnv({ PULUMI_MODELARTS_RATE_MODE: "fixed" })).toEqual({ rateLimit: { ratePerSecond: 10, burst: 10 } });
        expect(clientOptionsFromEnv({ PULUMI_MODELARTS_RATE_MODE: "fixed", PULUMI_MODELARTS_MAX_RPS: "4" })).toEqual({ rateLimit: { ratePerSecond: 4, burst: 4 } });
        expect(clientOptionsFromEnv({ PULUMI_MODELARTS_RATE_MODE: "adaptive" })).toEqual({});
    });

    it("ignores values that are not positive numbers, keeping the defaults", () => {
        expect(clientOptionsFromEnv({ PULUMI_MODELARTS_MAX_RPS: "-3", PULUMI_MODELARTS_HTTP_TIMEOUT_MS: "soon", PULUMI_MODELARTS_MAX_RETRIES: "1.5" })).toEqual({});
        expect(clientOptionsFromEnv({})).toEqual({});
    });
});
