/**
 * `pulumi preview` without credentials: check and diff (all a preview of a dynamic resource calls)
 * need no credentials and make no API call; diff says once that it did not reach the cloud.
 */
import { check as checkDevServer, diff as diffDevServer } from "../../provider/resources/devServer";
import { check as checkNotebook, diff as diffNotebook } from "../../provider/resources/notebookAutoStop";
import { setStackConfig } from "../../provider/config";
import { setLogSink } from "../../provider/log";

const CREDENTIAL_VARS = [
    "HW_ACCESS_KEY", "HW_SECRET_KEY", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HW_SECURITY_TOKEN",
    "HW_REGION_NAME", "HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID", "HW_MODELARTS_ENDPOINT",
];
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
    for (const k of CREDENTIAL_VARS) {
        saved[k] = process.env[k];
        delete process.env[k];
    }
    setStackConfig(undefined);
});
afterAll(() => {
    for (const k of CREDENTIAL_VARS) if (saved[k] !== undefined) process.env[k] = saved[k];
});

const server = {
    name: "no-creds-box",
    flavor: "Si2.large.4",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: "k1",
    powerState: "RUNNING" as const,
};

test("check and diff succeed with no credentials anywhere, and diff warns once that it did not reach the cloud", async () => {
    const lines: string[] = [];
    const restore = setLogSink((level, message) => lines.push(`${level} ${message}`));
    try {
        expect((await checkDevServer({}, server)).failures).toEqual([]);
        expect((await checkNotebook({}, { instanceId: "nb-1", enabled: true, duration: 7200 })).failures).toEqual([]);

        const olds = { ...server, id: "s1", status: "RUNNING", region: "cn-north-4", projectId: "e0000000000000000000000000000a01" };
        const same = await diffDevServer("s1", olds as never, server);
        expect(same).toEqual({ changes: false, replaces: [], updates: [], deleteBeforeReplace: false });
        const stop = await diffDevServer("s1", olds as never, { ...server, powerState: "STOPPED" });
        expect(stop.changes).toBe(true);
        expect((await diffDevServer("s1", olds as never, { ...server, flavor: "other" })).replaces).toEqual(["flavor"]);

        const nbOlds = { instanceId: "nb-1", enabled: true, duration: 7200, region: "cn-north-4", projectId: "e0000000000000000000000000000a01" };
        expect((await diffNotebook("nb-1", nbOlds as never, { instanceId: "nb-1", enabled: true, duration: 3600 })).changes).toBe(true);
    } finally {
        restore();
    }
    const warnings = lines.filter((l) => l.startsWith("warn") && /did not reach the cloud/.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/HW_ACCESS_KEY/);
});
