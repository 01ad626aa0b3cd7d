import { inspect } from "util";
import { ConfigError, resolveConfig, setStackConfig, getStackConfig, StackConfigSource } from "../../provider/config";
import { locationSchemaFields } from "../../provider/resources/common";

const stack = (values: Record<string, string>): StackConfigSource => ({ get: (k) => values[k] });
const ENV = {
    HW_REGION_NAME: "cn-north-4",
    HW_ACCESS_KEY: "ENVACCESSKEY0001",
    HW_SECRET_KEY: "envSecretKeyValue0001",
    HW_PROJECT_ID: "envproject",
};

describe("resolveConfig", () => {
    test("environment alone, default endpoint", () => {
        const c = resolveConfig({}, undefined, ENV);
        expect(c.region).toBe("cn-north-4");
        expect(c.endpoint).toBe("https://modelarts.cn-north-4.myhuaweicloud.com");
        expect(c.secretKey).toBe("envSecretKeyValue0001");
        expect(c.sources).toMatchObject({ region: "env HW_REGION_NAME", secretKey: "env HW_SECRET_KEY" });
    });

    // The official SDKs' ModelArts region table (22 regions) and Terraform's Europe rule.
    test.each([
        ["cn-north-4", "https://modelarts.cn-north-4.myhuaweicloud.com"],
        ["cn-southwest-2", "https://modelarts.cn-southwest-2.myhuaweicloud.com"],
        ["la-south-2", "https://modelarts.la-south-2.myhuaweicloud.com"],
        ["ap-southeast-1", "https://modelarts.ap-southeast-1.myhuaweicloud.cn"],
        ["eu-west-101", "https://modelarts.eu-west-101.myhuaweicloud.eu"],
    ])("default endpoint of %s is %s", (region, endpoint) => {
        expect(resolveConfig({}, undefined, { ...ENV, HW_REGION_NAME: region }).endpoint).toBe(endpoint);
    });

    test("huaweicloud:cloud / HW_CLOUD changes the domain (Terraform's cloud argument); an endpoint override still wins", () => {
        const c = resolveConfig({}, stack({ "huaweicloud:cloud": "example-cloud.test" }), ENV);
        expect(c.endpoint).toBe("https://modelarts.cn-north-4.example-cloud.test");
        expect(c.sources.endpoint).toContain("stack config huaweicloud:cloud");
        expect(resolveConfig({}, undefined, { ...ENV, HW_REGION_NAME: "ap-southeast-1", HW_CLOUD: "example-cloud.test" }).endpoint)
            .toBe("https://modelarts.ap-southeast-1.example-cloud.test");
        expect(resolveConfig({}, undefined, { ...ENV, HW_CLOUD: "example-cloud.test", HW_MODELARTS_ENDPOINT: "http://127.0.0.1:1" }).endpoint)
            .toBe("http://127.0.0.1:1");
    });

    test("resource argument > stack config > environment", () => {
        const s = stack({
            "huaweicloud:region": "ap-southeast-1",
            "huaweicloud:projectId": "stackproject",
            "huaweicloud:access_key": "STACKACCESSKEY01",
            "huaweicloud:modelartsEndpoint": "http://127.0.0.1:9999/",
        });
        const c = resolveConfig({ region: "la-south-2" }, s, ENV);
        expect(c.region).toBe("la-south-2");
        expect(c.sources.region).toBe('resource argument "region"');
        expect(c.projectId).toBe("stackproject");
        expect(c.sources.projectId).toBe("stack config huaweicloud:projectId");
        expect(c.accessKey).toBe("STACKACCESSKEY01");
        expect(c.sources.accessKey).toBe("stack config huaweicloud:access_key");
        expect(c.secretKey).toBe("envSecretKeyValue0001");
        expect(c.endpoint).toBe("http://127.0.0.1:9999");
    });

    test("SDK env names and snake_case stack keys are honoured", () => {
        const c = resolveConfig(
            {},
            stack({ "huaweicloud:security_token": "tokenvalue123", "huaweicloud:secret_key": "stackSecret0001" }),
            { HW_REGION_NAME: "cn-north-4", HUAWEICLOUD_SDK_AK: "SDKAK0000001", HUAWEICLOUD_SDK_SK: "sdkSk", HUAWEICLOUD_SDK_PROJECT_ID: "sdkproj" },
        );
        expect(c.accessKey).toBe("SDKAK0000001");
        expect(c.secretKey).toBe("stackSecret0001");
        expect(c.projectId).toBe("sdkproj");
        expect(c.securityToken).toBe("tokenvalue123");
    });

    test("secret key and token never appear in JSON, inspect, String or keys", () => {
        const c = resolveConfig({}, stack({ "huaweicloud:securityToken": "tokenvalue123" }), ENV);
        for (const text of [JSON.stringify(c), inspect(c), String(c), `${c}`, Object.keys(c).join(","), inspect({ ...c })]) {
            expect(text).not.toContain("envSecretKeyValue0001");
            expect(text).not.toContain("tokenvalue123");
            expect(text).not.toContain("ENVACCESSKEY0001");
        }
    });

    test("one short ConfigError lists every missing item, the keys and variables it is read from, and how to set it", () => {
        let err: unknown;
        try {
            resolveConfig({}, stack({}), {});
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        const e = err as ConfigError;
        expect(e.problems).toHaveLength(4);
        for (const s of [
            "region not set",
            "access key not set",
            "secret key not set",
            "project ID not set",
            "huaweicloud:secretKey",
            "huaweicloud:secret_key",
            "HW_SECRET_KEY",
            "HUAWEICLOUD_SDK_SK",
            "resource argument region",
            "pulumi config set --secret huaweicloud:secretKey",
            "export HW_SECRET_KEY=",
            "export HW_REGION_NAME=",
        ]) {
            expect(e.message).toContain(s);
        }
        // A few short lines, not one long one.
        const lines = e.message.split("\n");
        expect(lines.length).toBeLessThanOrEqual(12);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(160);
        expect(e.message.length).toBeLessThan(1000);
        expect(lines[0]).toBe("pulumi-modelarts configuration is incomplete:");
    });

    test("only the credentials missing: two problem lines and two commands", () => {
        const env = { HW_REGION_NAME: "cn-north-4", HW_PROJECT_ID: "p1" };
        const e = (() => {
            try {
                resolveConfig({}, undefined, env);
            } catch (err) {
                return err as ConfigError;
            }
            throw new Error("expected a ConfigError");
        })();
        expect(e.message.split("\n")).toEqual([
            "pulumi-modelarts configuration is incomplete:",
            "  - access key not set (huaweicloud:accessKey, huaweicloud:access_key, HW_ACCESS_KEY, HUAWEICLOUD_SDK_AK)",
            "  - secret key not set (huaweicloud:secretKey, huaweicloud:secret_key, HW_SECRET_KEY, HUAWEICLOUD_SDK_SK)",
            "Set it with:",
            "  pulumi config set --secret huaweicloud:accessKey <AK>   or   export HW_ACCESS_KEY=<AK>",
            "  pulumi config set --secret huaweicloud:secretKey <SK>   or   export HW_SECRET_KEY=<SK>",
        ]);
    });

    test("insecure: stack config huaweicloud:insecure > env HW_INSECURE, default off, a non-boolean is a problem", () => {
        expect(resolveConfig({}, undefined, ENV).insecure).toBe(false);
        expect(resolveConfig({}, undefined, { ...ENV, HW_INSECURE: "true" }).insecure).toBe(true);
        expect(resolveConfig({}, stack({ "huaweicloud:insecure": "false" }), { ...ENV, HW_INSECURE: "true" }).insecure).toBe(false);
        expect(resolveConfig({}, undefined, { ...ENV, HW_INSECURE: "1" }).sources.insecure).toBe("env HW_INSECURE");
        expect(() => resolveConfig({}, undefined, { ...ENV, HW_INSECURE: "maybe" })).toThrow(/insecure "maybe" from env HW_INSECURE is not true or false/);
    });

    test("invalid region and endpoint are reported", () => {
        expect(() => resolveConfig({ region: "North China", endpoint: "ftp://x" }, undefined, ENV)).toThrow(
            /does not look like a region[\s\S]*must be an http\(s\) URL/,
        );
        expect(() => resolveConfig({ endpoint: "not a url" }, undefined, ENV)).toThrow(/is not a URL/);
    });

    test("the stack config holder", () => {
        const s = stack({ "huaweicloud:region": "cn-east-3" });
        setStackConfig(s);
        expect(getStackConfig()).toBe(s);
        expect(resolveConfig({}, getStackConfig(), ENV).region).toBe("cn-east-3");
        setStackConfig(undefined);
    });

    test("a source's namespace names the keys read and every message: the plugin's modelarts:* never says huaweicloud:", () => {
        const plugin = (values: Record<string, string>): StackConfigSource => ({ namespace: "modelarts", get: (k) => values[k] });
        const c = resolveConfig({}, plugin({ "modelarts:project_id": "pluginproject", "huaweicloud:region": "ap-southeast-1" }), ENV);
        expect(c.projectId).toBe("pluginproject");
        expect(c.sources.projectId).toBe("stack config modelarts:project_id");
        // Another namespace's key is not this source's.
        expect(c.region).toBe("cn-north-4");
        expect(c.setting("bssEndpoint")).toBe("modelarts:bssEndpoint (HW_BSS_ENDPOINT)");
        expect(resolveConfig({}, undefined, ENV).setting("bssEndpoint")).toBe("huaweicloud:bssEndpoint (HW_BSS_ENDPOINT)");

        const e = (() => {
            try {
                resolveConfig({}, plugin({}), { HW_REGION_NAME: "cn-north-4", HW_PROJECT_ID: "p1", HW_ACCESS_KEY: "AK0000000001" });
            } catch (err) {
                return err as ConfigError;
            }
            throw new Error("expected a ConfigError");
        })();
        expect(e.message.split("\n")).toEqual([
            "pulumi-modelarts configuration is incomplete:",
            "  - secret key not set (modelarts:secretKey, modelarts:secret_key, HW_SECRET_KEY, HUAWEICLOUD_SDK_SK)",
            "Set it with:",
            "  pulumi config set --secret modelarts:secretKey <SK>   or   export HW_SECRET_KEY=<SK>",
        ]);
    });

    // One region rule: a region the configuration refuses is refused as a resource's region input, and the other way round.
    test.each(["cn-north-4", "eu-west-101", "my-kualalumpur-1", "cn-north", "North China", "cn_north_4", "4-north-cn"])(
        "region %p: the configuration and a resource's region input agree",
        (region) => {
            const configAccepts = (() => {
                try {
                    resolveConfig({}, undefined, { ...ENV, HW_REGION_NAME: region });
                    return true;
                } catch (err) {
                    expect((err as Error).message).toMatch(/does not look like a region/);
                    return false;
                }
            })();
            expect(locationSchemaFields.region.safeParse(region).success).toBe(configAccepts);
            expect(configAccepts).toBe(/^[a-z]+(-[a-z]+)+-\d+$/.test(region));
        },
    );
});
