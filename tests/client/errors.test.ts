import {
    AmbiguousRequestError,
    gatewayCode,
    isNotFound,
    isTransientError,
    ModelArtsApiError,
    TransportError,
} from "../../provider/errors";

const base = { method: "GET", path: "/v1/p/dev-servers/x", requestId: "req-1" };

describe("ModelArtsApiError", () => {
    test.each([
        [{ status: 401, errorCode: "APIGW.0301", errorMessage: "Incorrect IAM authentication information: verify aksk signature fail" }, "check huaweicloud:accessKey/secretKey"],
        [{ status: 401, errorCode: "APIGW.0301", errorMessage: "Incorrect IAM authentication information: the X-Sdk-Date is expired" }, "check this machine's clock"],
        [{ status: 403, errorCode: "APIGW.0305", errorMessage: "The project id does not match the region" }, "check huaweicloud:projectid"],
        [{ status: 404, errorCode: "ModelArts.0001", errorMessage: "Project xyz not found" }, "check huaweicloud:projectid"],
        [{ status: 429, errorCode: "APIGW.0308", errorMessage: "The throttling threshold has been reached", attempts: 6 }, "429 Too Many Requests after 6 attempts"],
        [{ status: 404, errorCode: "ModelArts.6404", errorMessage: "DevServer not found" }, "pulumi refresh"],
        [{ status: 400, errorCode: "ModelArts.6309", errorMessage: "The instance does not exist." }, "does not exist"],
        [{ status: 400, errorCode: "ModelArts.7001", errorMessage: "Insufficient quota for flavor" }, "quota"],
        [{ status: 503, errorCode: "ModelArts.0503", errorMessage: "busy", attempts: 3 }, "try again later"],
    ])("%j says what to do", (fields, hint) => {
        const e = new ModelArtsApiError({ ...base, ...fields });
        expect(e.message.toLowerCase()).toContain((hint as string).toLowerCase());
        expect(e.message).toContain("req-1");
        expect(e.message).toContain(`HTTP ${fields.status}`);
        expect(e.message).not.toMatch(/\n/);
    });

    test("fields", () => {
        const e = new ModelArtsApiError({ ...base, status: 400, errorCode: "X", errorMessage: "m" });
        expect(e).toMatchObject({ status: 400, errorCode: "X", errorMessage: "m", requestId: "req-1", method: "GET", name: "ModelArtsApiError" });
    });
});

test("isNotFound: only the family's own codes, whatever the status; never a bare or gateway 404", () => {
    const devServer = ["ModelArts.6404"];
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 400, errorCode: "ModelArts.6404" }), devServer)).toBe(true);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 404, errorCode: "ModelArts.6404" }), devServer)).toBe(true);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 404 }), devServer)).toBe(false);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 404, errorCode: "APIGW.0101" }), devServer)).toBe(false);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 404, errorCode: "APIG.0101" }), devServer)).toBe(false);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 400, errorCode: "ModelArts.6309" }), devServer)).toBe(false);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 400, errorCode: "ModelArts.6309" }), ["ModelArts.6309"])).toBe(true);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 400, errorCode: "ModelArts.0000" }), devServer)).toBe(false);
    expect(isNotFound(new ModelArtsApiError({ ...base, status: 500, errorCode: "ModelArts.6404" }), devServer)).toBe(false);
    expect(isNotFound(new Error("404"), devServer)).toBe(false);
    expect(isNotFound(undefined, devServer)).toBe(false);
    // a copy of the class from another module instance (dist vs source)
    expect(isNotFound(Object.assign(new Error("x"), { name: "ModelArtsApiError", status: 400, errorCode: "ModelArts.6404" }), devServer)).toBe(true);
});

test.each(["APIG", "APIGW"])("gateway codes with the %s prefix: 0101 is a missing API, 0301/0307 authentication, 0308 throttling", (prefix) => {
    expect(gatewayCode(`${prefix}.0308`)).toBe("0308");
    const noApi = new ModelArtsApiError({ ...base, status: 404, errorCode: `${prefix}.0101`, errorMessage: "The API does not exist or has not been published in the environment.", endpoint: "https://modelarts.xx-north-9.myhuaweicloud.com", region: "xx-north-9" });
    expect(noApi.kind).toBe("noSuchApi");
    expect(noApi.message).toContain("https://modelarts.xx-north-9.myhuaweicloud.com");
    expect(noApi.message).toContain("now xx-north-9");
    expect(new ModelArtsApiError({ ...base, status: 401, errorCode: `${prefix}.0307`, errorMessage: "The token expires." }).kind).toBe("auth");
    expect(new ModelArtsApiError({ ...base, status: 429, errorCode: `${prefix}.0308`, errorMessage: "The throttling threshold has been reached" }).kind).toBe("throttled");
});

test("AmbiguousRequestError and TransportError", () => {
    const a = new AmbiguousRequestError("POST", "/v1/p/dev-servers", "ECONNRESET", "r9");
    expect(a.message).toMatch(/POST \/v1\/p\/dev-servers was sent but its answer was lost \(ECONNRESET\).*not retried/);
    expect(a.method).toBe("POST");
    const t = new TransportError("GET", "/v1/p/x", "ECONNREFUSED", 6, "http://127.0.0.1:1");
    expect(t.message).toContain("after 6 attempts");
    expect(t.message).toContain("huaweicloud:modelartsEndpoint");
    // The plugin's configuration namespace: the same hint, its own keys.
    const plugin = new TransportError("GET", "/v1/p/x", "ECONNREFUSED", 1, "http://127.0.0.1:1", "ModelArts", "modelarts");
    expect(plugin.message).toContain("check the network, modelarts:modelartsEndpoint (HW_MODELARTS_ENDPOINT) and modelarts:region (HW_REGION_NAME)");
    expect(new ModelArtsApiError({ ...base, status: 401, configNamespace: "modelarts" }).message).toMatch(/check modelarts:accessKey\/secretKey .* set modelarts:securityToken/);
    expect(isTransientError(t)).toBe(true);
    expect(isTransientError(new ModelArtsApiError({ ...base, status: 503 }))).toBe(true);
    expect(isTransientError(new ModelArtsApiError({ ...base, status: 400 }))).toBe(false);
    expect(isTransientError(a)).toBe(false);
});
