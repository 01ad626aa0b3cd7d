/**
 * The contract between each SDK class and its provider: the SDK declares exactly the state the
 * provider's field table describes, and the provider returns nothing else. Both sides come from the
 * field table, so this fails when an implementation returns a property the table lacks, or the SDK
 * registers one the provider never returns.
 *
 * Every resource with a field table has an entry in CONTRACTS.
 */
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, RunningEmulator } from "../../emulator";
import { stackConfigFor } from "../harness/engine";

pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) },
    "project",
    "stack",
    false,
);

// Loaded after setMocks, as Pulumi's testing guide requires.
const sdk = require("../../sdk") as typeof import("../../sdk");
const provider = require("../../provider") as typeof import("../../provider");
const { setStackConfig } = require("../../provider/config") as typeof import("../../provider/config");

interface Shape {
    stateNames: readonly string[];
    secretInputs: readonly string[];
    internalInputs: readonly string[];
}

interface Contract {
    resource: string;
    shape: Shape;
    /** A resource of the SDK class, declared with `args`. */
    declare(args: Record<string, unknown>): pulumi.CustomResource;
    args: Record<string, unknown>;
    /** Every state the provider returns in a short life of the resource (create, update, read). */
    lifecycle(emu: RunningEmulator, args: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
}

const CONTRACTS: Contract[] = [
    {
        resource: "DevServer",
        shape: provider.devServerShape,
        declare: (args) => new sdk.DevServer("contract-box", args as unknown as import("../../sdk").DevServerArgs),
        args: {
            name: "contract-box",
            flavor: "Si2.large.4",
            imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
            vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
            subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
            securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
            adminPass: "Zq9!secretPassX",
            userData: "#!/bin/sh",
            rootVolume: { size: 100, type: "SSD" },
            timeouts: { create: "5m" },
        },
        lifecycle: async (_emu, args) => {
            const p = provider.devServer;
            // What the engine hands over is untyped: the provider checks it.
            const { inputs } = await p.check!({} as never, args as never);
            const created = await p.create(inputs!);
            const renamed = await p.update!(created.id, created.outs!, { ...inputs!, name: "contract-box-2", powerState: "STOPPED" });
            const read = await p.read!(created.id, renamed.outs);
            await p.delete!(created.id, read.props!);
            return [created.outs!, renamed.outs!, read.props!, read.inputs!];
        },
    },
    {
        resource: "NotebookAutoStop",
        shape: provider.notebookAutoStopShape,
        declare: (args) => new sdk.NotebookAutoStop("contract-guard", args as unknown as import("../../sdk").NotebookAutoStopArgs),
        args: { instanceId: "6fa459ea-ee8a-3ca4-894e-db77e160355e", enabled: true, duration: 7200, timeouts: { create: "5m" } },
        lifecycle: async (emu, args) => {
            const p = provider.notebookAutoStop;
            const states: Array<Record<string, unknown>> = [];
            // Both API families: a notebook of the current API (lease) and a legacy demanager instance.
            const lease = await emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", name: "contract-lease", lease: { enable: true, duration: 5 * 3_600_000 } });
            const legacy = await emu.admin.seedNotebook({ status: "RUNNING", name: "contract-legacy", autoStop: { enable: true, duration: 7200 } });
            for (const id of [String(lease.id), String(legacy.id)]) {
                const { inputs } = await p.check!({} as never, { ...args, instanceId: id } as never);
                const created = await p.create(inputs!);
                const updated = await p.update!(created.id, created.outs!, { ...inputs!, duration: 3 * 3600, onDelete: "disable" });
                const read = await p.read!(created.id, updated.outs);
                // An import: a read by id alone.
                const imported = await p.read!(created.id, {} as never);
                await p.delete!(created.id, read.props!);
                states.push(created.outs!, updated.outs!, read.props!, read.inputs!, imported.props!, imported.inputs!);
            }
            return states;
        },
    },
    {
        resource: "Notebook",
        shape: provider.notebookShape,
        declare: (args) => new sdk.Notebook("contract-nb", args as unknown as import("../../sdk").NotebookArgs),
        args: {
            name: "contract-nb",
            flavor: "modelarts.vm.cpu.2u",
            imageId: "e1a07296-22a8-4f05-8bc8-e936c8e54090",
            volume: { category: "EVS", capacity: 10 },
            ssh: { keyPairName: "kp", allowedAccessIps: ["203.0.113.7"] },
            autoStop: { enabled: true, duration: 7200 },
            storages: [{ category: "OBS", uri: "obs://bucket/data/", mountPath: "/data/data/" }],
            dataVolumes: [{ category: "EVS", capacity: 20, mountPath: "/home/ma-user/work/scratch/" }],
            tags: { team: "contract" },
            timeouts: { create: "5m" },
        },
        lifecycle: async (_emu, args) => {
            const p = provider.notebook;
            const { inputs } = await p.check!({} as never, args as never);
            const created = await p.create(inputs!);
            const updated = await p.update!(created.id, created.outs!, { ...inputs!, name: "contract-nb-2", powerState: "STOPPED", storages: [] });
            const read = await p.read!(created.id, updated.outs);
            const imported = await p.read!(created.id, {} as never);
            await p.delete!(created.id, read.props!);
            return [created.outs!, updated.outs!, read.props!, read.inputs!, imported.props!, imported.inputs!];
        },
    },
];

/** The Output properties a resource object has (what a program can read), less the engine's own. */
function outputPropertiesOf(resource: pulumi.CustomResource): string[] {
    return Object.keys(resource)
        .filter((k) => pulumi.Output.isInstance((resource as unknown as Record<string, unknown>)[k]))
        .filter((k) => k !== "id" && k !== "urn" && !k.startsWith("__"));
}

let emu: RunningEmulator;

beforeAll(async () => {
    process.env.PULUMI_MODELARTS_POLL_SCALE = "0.01";
    emu = await startEmulator({ timings: { devServer: { create: 50, start: 50, stop: 50, delete: 50 } }, rateLimit: null });
    const config = stackConfigFor(emu);
    setStackConfig({ get: (key) => config[key] });
});

afterAll(async () => {
    setStackConfig(undefined);
    await emu?.close();
});

describe.each(CONTRACTS)("$resource: SDK and provider agree on the outputs", (c) => {
    it("the SDK class has an output for every state property, and no other", () => {
        const declared = outputPropertiesOf(c.declare(c.args));
        // Secret arguments are registered (as secrets) so the engine can pass them to the provider,
        // but the state never returns them: they are not outputs a program can rely on.
        const outputs = declared.filter((k) => !c.shape.secretInputs.includes(k));
        expect(outputs.sort()).toEqual([...c.shape.stateNames].sort());
    });

    it("the provider returns only properties the SDK declares", async () => {
        const states = await c.lifecycle(emu, c.args);
        const returned = new Set(states.flatMap((s) => Object.keys(s)));
        const undeclared = [...returned].filter((k) => !c.shape.stateNames.includes(k));
        expect(undeclared).toEqual([]);
        for (const internal of [...c.shape.secretInputs, ...c.shape.internalInputs]) expect(returned.has(internal)).toBe(false);
    });
});
