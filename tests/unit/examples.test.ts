/**
 * The examples users copy: each program runs (under Pulumi's mock monitor, as a Pulumi program
 * does) and what it registers passes the provider's own `check`, so an example can never drift into
 * declaring something the provider would refuse. The Pulumi CLI runs them for real in
 * tests/e2e/automation.test.ts where one is installed.
 */
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { check as checkDevServer } from "../../provider/resources/devServer";
import { check as checkNotebookAutoStop } from "../../provider/resources/notebookAutoStop";
import { check as checkNotebook } from "../../provider/resources/notebook";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

const EXAMPLES = path.resolve(__dirname, "..", "..", "examples");

/** Values as the engine hands them to the provider: secrets unwrapped, the provider text dropped. */
function asProviderSees(inputs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(inputs)) {
        if (k === "__provider") continue;
        out[k] = v && typeof v === "object" && "value" in (v as object) ? (v as { value: unknown }).value : v;
    }
    return out;
}

/** Runs an example program with the given stack config; returns what it registered. */
async function run(example: string, config: Record<string, string>): Promise<Registered[]> {
    const registered: Registered[] = [];
    await new Promise<void>((resolve, reject) => {
        jest.isolateModules(() => {
            try {
                const pulumi = require("@pulumi/pulumi");
                const project = "example";
                pulumi.runtime.setMocks(
                    {
                        newResource: (args: { type: string; name: string; inputs: Record<string, unknown>; id?: string }) => {
                            registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                            return { id: args.id ?? `${args.name}-id`, state: args.inputs };
                        },
                        call: () => ({}),
                    },
                    project,
                    "dev",
                    false,
                );
                for (const [k, v] of Object.entries(config)) pulumi.runtime.setConfig(`${project}:${k}`, v);
                require(path.join(EXAMPLES, example, "index.ts"));
                resolve();
            } catch (err) {
                reject(err);
            }
        });
    });
    // Let the registrations (asynchronous in the SDK) reach the mock monitor.
    // (The quickstart first asks the API for its flavor and image: allow it a few seconds.)
    for (let i = 0; i < 250 && registered.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    return registered;
}

type Check = (olds: Record<string, unknown>, news: Record<string, unknown>) => Promise<{ failures: Array<{ property: string; reason: string }> }>;

const CHECKS: Record<string, Check> = {
    "pulumi-nodejs:dynamic/modelarts:DevServer": checkDevServer,
    "pulumi-nodejs:dynamic/modelarts:NotebookAutoStop": checkNotebookAutoStop,
    "pulumi-nodejs:dynamic/modelarts:Notebook": checkNotebook,
};

async function expectValid(resources: Registered[]): Promise<void> {
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
        const check = CHECKS[r.type];
        expect(check).toBeDefined();
        const { failures } = await check({}, asProviderSees(r.inputs));
        expect({ resource: r.name, failures }).toEqual({ resource: r.name, failures: [] });
    }
}

describe("examples", () => {
    it("quickstart declares a valid DevServer, its power state from config, flavor and image found through the functions", async () => {
        // The functions ask the API (here the emulator, configured through the environment as in `npm run up`).
        const emu: RunningEmulator = await startEmulator({ rateLimit: null });
        const saved = { ...process.env };
        Object.assign(process.env, {
            HW_REGION_NAME: emu.region,
            HW_PROJECT_ID: emu.projectId,
            HW_ACCESS_KEY: emu.accessKey,
            HW_SECRET_KEY: emu.secretKey,
            HW_MODELARTS_ENDPOINT: emu.url,
        });
        try {
            const resources = await run("quickstart", { powerState: "STOPPED" });
            await expectValid(resources);
            // The smallest GPU flavor of the named image's architecture, and that image's id.
            expect(resources[0].inputs).toMatchObject({
                powerState: "STOPPED",
                keyPairName: "quickstart-key",
                resourceFlavor: "Pi2.2xlarge.4",
                imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
            });
            const other = await run("quickstart", { imageName: "EulerOS-2.10-x86" });
            expect(other[0].inputs).toMatchObject({ resourceFlavor: "Pi2.2xlarge.4", imageId: "3f1c2a9e-6d4b-4e8a-9b7c-1a2b3c4d5e6f" });
        } finally {
            process.env = saved;
            await emu.close();
        }
    });

    it("notebook-quickstart declares a valid Notebook: SSH, mount and auto-stop from config, 0 hours = never", async () => {
        const config = { imageId: "e1a07296-22a8-4f05-8bc8-e936c8e54090", keyPairName: "team-kp", datasetsUri: "obs://b/ds/", autoStopHours: "2", powerState: "RUNNING" };
        const resources = await run("notebook-quickstart", config);
        await expectValid(resources);
        expect(resources[0].inputs).toMatchObject({
            ssh: { keyPairName: "team-kp" },
            storages: [{ category: "OBS", uri: "obs://b/ds/", mountPath: "/data/datasets/" }],
            autoStop: { enabled: true, duration: 7200 },
            powerState: "RUNNING",
        });
        const never = await run("notebook-quickstart", { imageId: config.imageId, autoStopHours: "0", powerState: "STOPPED" });
        await expectValid(never);
        expect(never[0].inputs).toMatchObject({ autoStop: { enabled: false }, powerState: "STOPPED" });
    });

    it("notebook-cost-guard declares a valid NotebookAutoStop, duration in hours from config", async () => {
        const resources = await run("notebook-cost-guard", { instanceId: "6fa459ea-ee8a-3ca4-894e-db77e160355e", durationHours: "3" });
        await expectValid(resources);
        expect(resources[0].inputs).toMatchObject({ instanceId: "6fa459ea-ee8a-3ca4-894e-db77e160355e", enabled: true, duration: 10800 });
    });

    it("import-existing adopts the configured server id (the import option becomes importId)", async () => {
        const resources = await run("import-existing", {
            serverId: "62383738-e52a-450a-9f84-f9e705402be8",
            serverName: "console-made",
            flavor: "Si2.large.4",
            imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
            vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
            subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
            securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
            keyPairName: "console-key",
        });
        await expectValid(resources);
        expect(resources[0].inputs).toMatchObject({ importId: "62383738-e52a-450a-9f84-f9e705402be8", name: "console-made" });
    });

    it("prepaid declares a valid PRE_PAID DevServer with auto-renew, its period from config", async () => {
        const resources = await run("prepaid", { periodMonths: "3", autoRenew: "true" });
        await expectValid(resources);
        expect(resources[0].inputs).toMatchObject({ chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 3, isAutoRenew: true } });
    });

    it("data-volumes declares a valid DevServer with data disks and the configured volumes attached", async () => {
        const resources = await run("data-volumes", { volumeIds: "vol-a, vol-b", dataDiskGb: "800" });
        await expectValid(resources);
        expect(resources[0].inputs).toMatchObject({ dataVolume: { size: 800, type: "SSD", count: 2 }, attachedVolumeIds: ["vol-a", "vol-b"] });
    });
});
