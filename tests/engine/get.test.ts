/**
 * The static `get` of the SDK classes, from the engine's side: a read of an existing resource is a
 * Read carrying only the id and the serialized provider (what `get` registers). Through Pulumi's
 * dynamic-provider host against the emulator, each provider answers such a read with the live
 * state (and nothing for an id that does not exist, which the engine reports as missing).
 */
import { randomUUID } from "crypto";
import { startEmulator, RunningEmulator } from "../../emulator";
import { ProviderHost, providerTextOf, stackConfigFor, urnFor } from "../harness/engine";

let emu: RunningEmulator;
let host: ProviderHost;
const shim: Record<"DevServer" | "NotebookAutoStop" | "Notebook", string> = { DevServer: "", NotebookAutoStop: "", Notebook: "" };

beforeAll(async () => {
    shim.DevServer = providerTextOf("devServerShim");
    shim.NotebookAutoStop = providerTextOf("notebookAutoStopShim");
    shim.Notebook = providerTextOf("notebookShim");
    emu = await startEmulator({ timings: { devServer: { create: 100, start: 100, stop: 100, delete: 100 } }, rateLimit: null });
    host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
    await host.configure(stackConfigFor(emu));
});

afterAll(async () => {
    await host?.close();
    await emu?.close();
});

const writes = async () => (await emu.admin.requests()).filter((r) => r.method !== "GET");

describe("DevServer.get: a read with only the id", () => {
    const urn = urnFor("DevServer", "shared-box");

    it("answers with the live server as state, in the configured region and project, writing nothing", async () => {
        const program = {
            name: "made-elsewhere",
            flavor: "Si2.large.4",
            imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
            vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
            subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
            securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
            keyPairName: "team-key",
        };
        const made = await host.create(urnFor("DevServer", "elsewhere"), { ...program, __provider: shim.DevServer });
        await emu.admin.clearRequests();

        const read = await host.read(urn, made.id, { __provider: shim.DevServer });
        expect(read.id).toBe(made.id);
        // Fields the API does not report (the security group, the root volume, ...) a read cannot know.
        const { securityGroupId: _unreported, flavor, ...reported } = program;
        expect(read.properties.securityGroupId).toBeUndefined();
        expect(read.properties).toMatchObject({
            ...reported,
            resourceFlavor: flavor,
            status: "RUNNING",
            powerState: "RUNNING",
            region: emu.region,
            projectId: emu.projectId,
        });
        expect(read.properties.__provider).toBe(shim.DevServer);
        expect(read.inputs).toMatchObject({ name: "made-elsewhere", resourceFlavor: "Si2.large.4", keyPairName: "team-key" });
        expect(await writes()).toEqual([]);
    });

    it("answers with nothing for an id that does not exist", async () => {
        const read = await host.read(urn, randomUUID(), { __provider: shim.DevServer });
        expect(read.id).toBe("");
        expect(read.inputs).toEqual({});
    });
});

describe("NotebookAutoStop.get: a read with only the id", () => {
    const urn = urnFor("NotebookAutoStop", "shared-policy");

    it("answers with the live policy of a notebook of either family, writing nothing", async () => {
        const lease = String((await emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", name: "nb-current" })).id);
        const legacy = String((await emu.admin.seedNotebook({ status: "RUNNING", name: "nb-legacy", autoStop: { enable: true, duration: 3600 } })).id);
        await emu.admin.clearRequests();
        for (const [id, api] of [[lease, "notebooks"], [legacy, "demanager"]] as const) {
            const read = await host.read(urn, id, { __provider: shim.NotebookAutoStop });
            expect(read.id).toBe(id);
            expect(read.properties).toMatchObject({ instanceId: id, api, enabled: true, status: "RUNNING", region: emu.region, projectId: emu.projectId });
            expect(read.inputs).toMatchObject({ instanceId: id, enabled: true });
        }
        expect(await writes()).toEqual([]);
    });

    it("answers with nothing for an id neither family knows", async () => {
        const read = await host.read(urn, randomUUID(), { __provider: shim.NotebookAutoStop });
        expect(read.id).toBe("");
    });
});

describe("Notebook.get: a read with only the id", () => {
    const urn = urnFor("Notebook", "shared-nb");

    it("answers with the live notebook as state and inputs, writing nothing; nothing for an unknown id", async () => {
        const id = String((await emu.admin.seedNotebook({ family: "notebooks", status: "STOPPED", name: "nb-elsewhere" })).id);
        await emu.admin.clearRequests();
        const read = await host.read(urn, id, { __provider: shim.Notebook });
        expect(read.id).toBe(id);
        expect(read.properties).toMatchObject({ name: "nb-elsewhere", status: "STOPPED", powerState: "STOPPED", region: emu.region, projectId: emu.projectId });
        expect(read.inputs).toMatchObject({ name: "nb-elsewhere", flavor: "modelarts.vm.cpu.2u", powerState: "STOPPED" });
        expect(read.properties.token).toBeUndefined();
        expect(await writes()).toEqual([]);
        expect((await host.read(urn, randomUUID(), { __provider: shim.Notebook })).id).toBe("");
    });
});
