import { clientOptionsFromEnv } from "../../provider/client";

describe("clientOptionsFromEnv", () => {
    it("reads the rate limit, response timeout and retries a user sets", () => {
        expect(
            clientOptionsFromEnv({ PULUMI_MODELARTS_MAX_RPS: "20", PULUMI_MODELARTS_HTTP_TIMEOUT_MS: "1500", PULUMI_MODELARTS_MAX_RETRIES: "0" }),
        ).toEqual({ rateLimit: { ratePerSecond: 20, burst: 20 }, timeoutMs: 1500, maxRetries: 0 });
    });

    it("ignores values that are not positive numbers, keeping the defaults", () => {
        expect(clientOptionsFromEnv({ PULUMI_MODELARTS_MAX_RPS: "-3", PULUMI_MODELARTS_HTTP_TIMEOUT_MS: "soon", PULUMI_MODELARTS_MAX_RETRIES: "1.5" })).toEqual({});
        expect(clientOptionsFromEnv({})).toEqual({});
    });
});
