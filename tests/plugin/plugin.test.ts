/**
 * The provider plugin (bin/pulumi-resource-modelarts) driven over gRPC exactly as the Pulumi engine
 * drives a provider plugin, against the emulator: GetSchema, CheckConfig / Configure with the
 * `modelarts:*` configuration, check failures naming the field, the DevServer lifecycle, import of
 * a live server by id alone, Read of a missing id, NotebookAutoStop enable and restore, and no
 * secret in any response or output line.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { HostError, Props, REPO_ROOT, UNKNOWN } from "../harness/engine";
import { isSecret, PluginHost, pluginUrn, secret } from "../harness/plugin";
import { EmulatorClient } from "../helpers/emulatorClient";
import { SEED_CREATE_BODY } from "../emulator/fixtures";

const IMAGE = "c90fb553-2cdb-4b81-b56a-ef68812c6cf7";
const ADMIN_PASS = "Plugin-Test-9x";
const H = 3_600_000;

function program(overrides: Props = {}): Props {
    return {
        name: "plugin-gpu",
        flavor: "Si2.large.4",
        imageId: IMAGE,
        vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
        subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
        keyPairName: "team-a",
        powerState: "RUNNING",
        ...overrides,
    };
}

let emu: RunningEmulator;
let plugin: PluginHost;

/** The emulator's endpoint and credentials as `modelarts:*` provider configuration; keys as secrets. */
const configFor = (e: RunningEmulator): Props => ({
    region: e.region,
    projectId: e.projectId,
    accessKey: secret(e.accessKey),
    secretKey: secret(e.secretKey),
    modelartsEndpoint: e.url,
    version: "0.1.0",
});

async function failureOf<T>(p: Promise<T>): Promise<HostError> {
    const outcome = await p.then(() => undefined, (e: unknown) => e);
    if (!(outcome instanceof HostError)) throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
    return outcome;
}

async function serversInEmulator(): Promise<Array<Record<string, any>>> {
    const dump = await emu.admin.state();
    return dump.projects[emu.projectId]?.devServers ?? [];
}

beforeAll(async () => {
    emu = await startEmulator({
        timings: { devServer: { create: 300, start: 200, stop: 200, delete: 200 }, notebook: { create: 200, start: 200, stop: 150, delete: 150, queue: 0 } },
        rateLimit: null,
    });
    plugin = await PluginHost.start({ PULUMI_MODELARTS_POLL_SCALE: "0.05" });
});

afterAll(async () => {
    await plugin?.close();
    await emu?.close();
    // Nothing the plugin printed holds a credential or a secret input.
    const printed = plugin?.output.join("\n") ?? "";
    for (const s of [emu?.accessKey, emu?.secretKey, ADMIN_PASS]) if (s) expect(printed).not.toContain(s);
});

describe("GetSchema and configuration", () => {
    it("serves the committed schema and the package version", async () => {
        const schema = await plugin.getSchema();
        expect(schema).toEqual(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "plugin", "schema.json"), "utf8")));
        expect(Object.keys(schema.resources)).toEqual(["modelarts:index:DevServer", "modelarts:index:NotebookAutoStop", "modelarts:index:Notebook"]);
        expect(schema.config.variables.secretKey.secret).toBe(true);
        expect(await plugin.getPluginInfo()).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version);
    });

    it("CheckConfig accepts the modelarts:* keys (secrets included) and names unknown or mistyped keys", async () => {
        const ok = await plugin.checkConfig(configFor(emu));
        expect(ok.failures).toEqual([]);
        expect(isSecret(ok.inputs.secretKey)).toBe(true);
        const bad = await plugin.checkConfig({ region: "cn-north-4", acessKey: "x", insecure: "maybe" });
        expect(bad.failures).toEqual([
            { property: "acessKey", reason: expect.stringMatching(/modelarts:acessKey is not a configuration key .* known keys: region, projectId, accessKey, secretKey/) },
            { property: "insecure", reason: "modelarts:insecure must be true or false" },
        ]);
    });

    it("an operation before the configuration is complete fails naming what to set", async () => {
        const bare = await PluginHost.start();
        try {
            await bare.configure({ region: "cn-north-4" });
            const err = await failureOf(bare.read(pluginUrn("DevServer", "x"), "62383738-e52a-450a-9f84-f9e705402be8"));
            expect(err.message).toMatch(/configuration is incomplete/);
            expect(err.message).toMatch(/access key not set \(modelarts:accessKey, modelarts:access_key, HW_ACCESS_KEY/);
            expect(err.message).toMatch(/pulumi config set --secret modelarts:accessKey <AK>/);
            expect(err.message).not.toMatch(/huaweicloud:/);
            // A short message, no stack trace.
            expect(err.message).not.toMatch(/\n\s+at /);
        } finally {
            await bare.close();
        }
    });

    it("an API error's hint names the plugin's modelarts:* keys, never huaweicloud:", async () => {
        const wrong = await PluginHost.start();
        try {
            await wrong.configure({ ...configFor(emu), secretKey: secret("not-the-secret-key") });
            const err = await failureOf(wrong.read(pluginUrn("DevServer", "x"), "62383738-e52a-450a-9f84-f9e705402be8"));
            expect(err.message).toMatch(/check modelarts:accessKey\/secretKey/);
            expect(err.message).not.toMatch(/huaweicloud:/);
        } finally {
            await wrong.close();
        }
    });

    it("Configure accepts secrets and takes the configuration (no preview Create)", async () => {
        expect(await plugin.configure(configFor(emu))).toEqual({ acceptSecrets: true, supportsPreview: false });
    });
});

describe("check", () => {
    const urn = pluginUrn("DevServer", "gpu");
    it("names the field of each failure and tells what to do", async () => {
        const { failures } = await plugin.check(urn, {}, program({ name: "bad name!", imageId: "not-a-uuid", powerState: "ASLEEP", rootVolume: { size: 0 } }));
        const byField = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
        expect(byField.name).toMatch(/name must be 1 to 64 letters/);
        expect(byField.imageId).toMatch(/imageId must be a UUID/);
        expect(byField.powerState).toBe("powerState must be RUNNING or STOPPED");
        expect(byField["rootVolume.size"]).toMatch(/at least 100 GB/);
    });
    it("unknown preview values are not failures; secret inputs come back secret", async () => {
        const { failures, inputs } = await plugin.check(urn, {}, program({ subnetId: UNKNOWN, keyPairName: undefined, adminPass: secret(ADMIN_PASS) }));
        expect(failures).toEqual([]);
        expect(isSecret(inputs.adminPass)).toBe(true);
        expect(inputs.subnetId).toBe(UNKNOWN);
    });
    it("an unknown resource type is an error naming the types served", async () => {
        const err = await failureOf(plugin.check("urn:pulumi:test::p::modelarts:index:TrainingJob::x", {}, {}));
        expect(err.message).toMatch(/no resource type modelarts:index:TrainingJob; it serves modelarts:index:DevServer, modelarts:index:NotebookAutoStop, modelarts:index:Notebook/);
    });
});

describe("DevServer", () => {
    const urn = pluginUrn("DevServer", "gpu-box");

    it("create -> read -> rename -> stop -> no-op diff -> delete", async () => {
        const { inputs, failures } = await plugin.check(urn, {}, program());
        expect(failures).toEqual([]);
        const created = await plugin.create(urn, inputs);
        const id = created.id;
        expect(created.properties).toMatchObject({ name: "plugin-gpu", status: "RUNNING", powerState: "RUNNING", region: emu.region, projectId: emu.projectId, stateVersion: 2 });
        expect((await serversInEmulator()).map((s) => s.id)).toContain(id);

        const read = await plugin.read(urn, id, created.properties, inputs);
        expect(read.id).toBe(id);
        expect(read.properties).toMatchObject({ name: "plugin-gpu", status: "RUNNING" });

        const renamed = program({ name: "plugin-gpu-2" });
        // The changed property is named (the engine applies replaceOnChanges and shows the plan by it).
        expect(await plugin.diff(urn, id, read.properties, renamed)).toEqual({ changes: "some", replaces: [], diffs: ["name"] });
        let state = (await plugin.update(urn, id, read.properties, renamed)).properties;
        expect(state).toMatchObject({ name: "plugin-gpu-2", status: "RUNNING" });

        const stopped = program({ name: "plugin-gpu-2", powerState: "STOPPED" });
        state = (await plugin.update(urn, id, state, stopped)).properties;
        expect(state).toMatchObject({ powerState: "STOPPED", status: "STOPPED" });
        expect((await serversInEmulator()).find((s) => s.id === id)).toMatchObject({ name: "plugin-gpu-2", status: "STOPPED" });
        expect(await plugin.diff(urn, id, state, stopped)).toEqual({ changes: "none", replaces: [], diffs: [] });
        expect((await plugin.diff(urn, id, state, program({ name: "plugin-gpu-2", powerState: "STOPPED", vpcId: "0d2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b" }))).replaces).toEqual(["vpcId"]);

        await plugin.delete(urn, id, state);
        expect((await serversInEmulator()).find((s) => s.id === id && s.status !== "DELETED")).toBeUndefined();
    });

    it("a secret adminPass reaches the server and never comes back: the state holds a digest", async () => {
        const declared = program({ name: "plugin-pass", keyPairName: undefined, adminPass: secret(ADMIN_PASS) });
        const { inputs, failures } = await plugin.check(urn, {}, declared);
        expect(failures).toEqual([]);
        const created = await plugin.create(urn, inputs);
        expect(created.properties.adminPass).toBeUndefined();
        expect(created.properties.adminPassDigest).toMatch(/^scrypt1:/);
        expect(JSON.stringify(created.properties)).not.toContain(ADMIN_PASS);
        expect(await plugin.diff(urn, created.id, created.properties, declared)).toEqual({ changes: "none", replaces: [], diffs: [] });
        await plugin.delete(urn, created.id, created.properties);
    });

    it("imports a live server by id alone (Read with no properties) without touching it", async () => {
        // A server made outside Pulumi ("in the console").
        const console = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
        const made = await console.post("/dev-servers", { ...SEED_CREATE_BODY, name: "console-made" });
        expect(made.status).toBeLessThan(300);
        const id = String(made.body.id);
        // Let it settle, as a console user would.
        for (let i = 0; i < 100 && (await serversInEmulator()).find((s) => s.id === id)?.status !== "RUNNING"; i++) await new Promise((r) => setTimeout(r, 20));
        await emu.admin.clearRequests();

        const imported = await plugin.read(urn, id);
        expect(imported.id).toBe(id);
        expect(imported.properties).toMatchObject({ name: "console-made", status: "RUNNING", region: emu.region, projectId: emu.projectId, resourceFlavor: SEED_CREATE_BODY.flavor });
        // The inputs `pulumi import` writes into the generated program: what the API reports (the
        // flavor under its current name, resourceFlavor).
        expect(imported.inputs).toMatchObject({ name: "console-made", resourceFlavor: SEED_CREATE_BODY.flavor, imageId: SEED_CREATE_BODY.image_id, vpcId: SEED_CREATE_BODY.network.vpc_id, powerState: "RUNNING" });
        // Read only: nothing was written.
        expect((await emu.admin.requests()).filter((r) => r.method !== "GET")).toEqual([]);
        // Every imported input is an input of the schema.
        const schema = await plugin.getSchema();
        for (const k of Object.keys(imported.inputs)) expect(Object.keys(schema.resources["modelarts:index:DevServer"].inputProperties)).toContain(k);
        // The API does not report the security group: `pulumi import` warns that the check of the
        // imported inputs fails on it (the user adds it to the generated program).
        const checked = await plugin.check(urn, {}, imported.inputs);
        expect(checked.failures.map((f) => f.property)).toEqual(["securityGroupId"]);

        // The state records which inputs the API could not report, so that the program's declaration
        // of them (the security group the user adds) is taken as it is: no replacement is planned,
        // and the `import` resource option's "inputs to import" match.
        expect(imported.properties.unreportedSinceImport).toEqual(expect.arrayContaining(["securityGroupId", "adminPass", "rootVolume"]));
        const declared = program({ name: "console-made", keyPairName: undefined, flavor: undefined, resourceFlavor: SEED_CREATE_BODY.flavor });
        expect(await plugin.diff(urn, id, imported.properties, declared)).toEqual({ changes: "none", replaces: [], diffs: [] });
        // A field the API does report still counts: another image is a change (change OS, in place).
        expect((await plugin.diff(urn, id, imported.properties, { ...declared, imageId: "0d2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b" })).changes).toBe("some");
    });

    it("Read of an id that does not exist returns an empty id", async () => {
        const missing = await plugin.read(urn, "62383738-e52a-450a-9f84-f9e705402be8");
        expect(missing).toEqual({ id: "", properties: {}, inputs: {} });
    });
});

describe("NotebookAutoStop", () => {
    const urn = pluginUrn("NotebookAutoStop", "nb-guard");
    const seed = async (input: Record<string, unknown>) => String((await emu.admin.seedNotebook({ status: "RUNNING", ...input } as any)).id);
    const nb = async (id: string) => ((await emu.admin.state()).projects[emu.projectId]?.notebooks ?? []).find((n: any) => n.id === id) as Record<string, any>;

    it("enables auto-stop on a legacy (demanager) instance and restores the prior policy on delete", async () => {
        const id = await seed({ family: "demanager", name: "legacy-nb", autoStop: { enable: false } });
        const program = { instanceId: id, enabled: true, duration: 3 * 3600 };
        const { inputs, failures } = await plugin.check(urn, {}, program);
        expect(failures).toEqual([]);
        const created = await plugin.create(urn, inputs);
        expect(created.id).toBe(id);
        expect(created.properties).toMatchObject({ api: "demanager", enabled: true, duration: 10800, priorPolicy: { enabled: false } });
        expect((await nb(id)).spec.auto_stop).toMatchObject({ enable: true, duration: 10800 });
        const read = await plugin.read(urn, id, created.properties, inputs);
        expect(await plugin.diff(urn, id, read.properties, program)).toEqual({ changes: "none", replaces: [], diffs: [] });
        await plugin.delete(urn, id, read.properties);
        expect((await nb(id)).spec.auto_stop.enable).toBe(false);
    });

    it("enables auto-stop on a notebook of the current API (lease), imports it by id, and restores the lease on delete", async () => {
        const runningSince = Date.now() - 30 * 60_000;
        const id = await seed({ family: "notebooks", name: "lease-nb", runningSince, lease: { enable: true, duration: 5 * H } });
        const { inputs } = await plugin.check(urn, {}, { instanceId: id, enabled: true, duration: 2 * 3600 });
        const created = await plugin.create(urn, inputs);
        expect(created.properties).toMatchObject({ api: "notebooks", enabled: true, duration: 7200 });
        const lease = (await nb(id)).lease;
        expect(Math.abs(lease.create_at + lease.duration - (Date.now() + 2 * H))).toBeLessThan(10_000);

        // Import by id alone finds the current-API notebook.
        const imported = await plugin.read(urn, id);
        expect(imported.id).toBe(id);
        expect(imported.properties).toMatchObject({ api: "notebooks", enabled: true, name: "lease-nb" });
        expect(imported.inputs).toMatchObject({ instanceId: id, enabled: true });

        await plugin.delete(urn, id, created.properties);
        const restored = (await nb(id)).lease;
        expect(Math.abs(restored.create_at + restored.duration - (runningSince + 5 * H))).toBeLessThan(10_000);
    });

    it("a notebook that does not exist: the error names the plugin's modelarts:* keys, never huaweicloud:", async () => {
        const { inputs } = await plugin.check(urn, {}, { instanceId: "6fa459ea-ee8a-3ca4-894e-db77e160355e", enabled: true, duration: 3600 });
        const err = await failureOf(plugin.create(urn, inputs));
        expect(err.message).toMatch(/does not exist in project .* modelarts:region \/ modelarts:projectId point where the instance lives/);
        expect(err.message).not.toContain("huaweicloud:");
    });

    it("Read of a notebook that does not exist returns an empty id", async () => {
        expect((await plugin.read(urn, "6fa459ea-ee8a-3ca4-894e-db77e160355e")).id).toBe("");
    });
});

describe("Notebook", () => {
    const urn = pluginUrn("Notebook", "team-nb");
    const nbProgram = { name: "plugin-nb", flavor: "modelarts.vm.cpu.2u", imageId: "e1a07296-22a8-4f05-8bc8-e936c8e54090", volume: { category: "EVS", capacity: 10 }, autoStop: { enabled: false } };

    it("creates, plans a rename in place and a pool change as a replacement, imports by id, and deletes", async () => {
        const { inputs, failures } = await plugin.check(urn, {}, nbProgram);
        expect(failures).toEqual([]);
        const created = await plugin.create(urn, inputs);
        expect(created.properties).toMatchObject({ name: "plugin-nb", status: "RUNNING", autoStop: { enabled: false }, lease: { enabled: false } });
        expect((await plugin.diff(urn, created.id, created.properties, { ...nbProgram, name: "plugin-nb-2" })).replaces).toEqual([]);
        expect((await plugin.diff(urn, created.id, created.properties, { ...nbProgram, poolId: "pool-1" })).replaces).toEqual(["poolId"]);
        const imported = await plugin.read(urn, created.id);
        expect(imported.inputs).toMatchObject({ name: "plugin-nb", flavor: "modelarts.vm.cpu.2u", volume: { category: "EVS", capacity: 10 } });
        await plugin.delete(urn, created.id, created.properties);
        expect((await plugin.read(urn, created.id)).id).toBe("");
    });

    it("check names the field of a bad input", async () => {
        const { failures } = await plugin.check(urn, {}, { ...nbProgram, autoStop: { enabled: true } });
        expect(failures).toEqual([expect.objectContaining({ property: "autoStop.duration" })]);
    });
});
