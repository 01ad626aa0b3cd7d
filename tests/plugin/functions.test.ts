/**
 * The functions through the provider plugin, over gRPC as the engine calls them for YAML's
 * `fn::invoke` and the Python / Go SDKs' `get_x` / `GetX`: each function token of the schema
 * answers with the same result as the TypeScript SDK, argument problems come back as Invoke
 * failures naming the argument, and API errors as short errors.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { Props } from "../harness/engine";
import { PluginHost, secret } from "../harness/plugin";

let emu: RunningEmulator;
let plugin: PluginHost;

beforeAll(async () => {
    emu = await startEmulator({ rateLimit: null });
    plugin = await PluginHost.start();
    await plugin.configure({
        region: emu.region,
        projectId: emu.projectId,
        accessKey: secret(emu.accessKey),
        secretKey: secret(emu.secretKey),
        modelartsEndpoint: emu.url,
        version: "0.1.0",
    });
});

afterAll(async () => {
    await plugin?.close();
    await emu?.close();
});

const invoke = (name: string, args: Props = {}) => plugin.invoke(`modelarts:index:${name}`, args);

describe("plugin Invoke", () => {
    it("lists every function in the schema, generated from the declarations", async () => {
        const schema = await plugin.getSchema();
        expect(Object.keys(schema.functions ?? {})).toEqual([
            "modelarts:index:getDevServerFlavors",
            "modelarts:index:getDevServerImages",
            "modelarts:index:getNotebookFlavors",
            "modelarts:index:getNotebookImages",
            "modelarts:index:getNotebooks",
            "modelarts:index:getNotebook",
        ]);
        const flavors = schema.functions["modelarts:index:getDevServerFlavors"];
        expect(flavors.inputs.properties.arch.description).toMatch(/`X86` or `ARM`/);
        expect(flavors.outputs.properties.flavors.items.$ref).toBe("#/types/modelarts:index:GetDevServerFlavorsFlavor");
        expect(schema.types["modelarts:index:GetDevServerFlavorsFlavor"].properties.flavor.description).toMatch(/resourceFlavor/);
    });

    it("getDevServerFlavors and getDevServerImages answer from the catalogue, filtered", async () => {
        const flavors = await invoke("getDevServerFlavors", { serverType: "ECS", arch: "X86", flavorType: "GPU" });
        expect(flavors.failures).toEqual([]);
        expect(flavors.outputs.flavors.map((f: Props) => f.flavor)).toEqual(["Pi2.4xlarge.4", "Pi2.2xlarge.4"]);
        const images = await invoke("getDevServerImages", { flavorName: "Pi2.2xlarge.4" });
        expect(images.outputs.images.map((i: Props) => i.name)).toEqual(["Ubuntu-22.04-x86-CUDA-12.2", "EulerOS-2.10-x86"]);
    });

    it("getNotebookFlavors and getNotebookImages answer from the catalogue, filtered", async () => {
        const flavors = await invoke("getNotebookFlavors", { category: "ASCEND" });
        expect(flavors.outputs.flavors.map((f: Props) => f.id)).toEqual(["modelarts.vm.npu.snt9b.1", "modelarts.vm.npu.snt3"]);
        const images = await invoke("getNotebookImages", { type: "DEDICATED" });
        expect(images.outputs.images.map((i: Props) => i.name)).toEqual(["team-a-pytorch-custom"]);
    });

    it("getNotebooks and getNotebook find instances of both families", async () => {
        const legacy = String((await emu.admin.seedNotebook({ status: "RUNNING", name: "plugin-legacy", autoStop: { enable: true, duration: 7200 } })).id);
        const current = String((await emu.admin.seedNotebook({ family: "notebooks", status: "STOPPED", name: "plugin-current" } as any)).id);
        const all = await invoke("getNotebooks");
        expect(all.outputs.notebooks.map((n: Props) => [n.id, n.api])).toEqual(expect.arrayContaining([[legacy, "demanager"], [current, "notebooks"]]));
        const one = await invoke("getNotebook", { name: "plugin-legacy" });
        expect(one.outputs).toMatchObject({ id: legacy, api: "demanager", status: "RUNNING", autoStop: { enabled: true, duration: 7200 } });
    });

    it("answers argument problems as failures naming the argument", async () => {
        const bad = await invoke("getDevServerFlavors", { arch: "amd64", flavour: "x" });
        expect(bad.failures).toEqual(
            expect.arrayContaining([
                { property: "arch", reason: expect.stringMatching(/arch must be one of X86, ARM \(got "amd64"\)/) },
                { property: "flavour", reason: expect.stringMatching(/flavour is not an argument of getDevServerFlavors; remove it/) },
            ]),
        );
    });

    it("answers an unknown function and a lookup that finds nothing with a short error", async () => {
        await expect(plugin.invoke("modelarts:index:getNothing", {})).rejects.toThrow(/no function modelarts:index:getNothing; it serves modelarts:index:getDevServerFlavors/);
        const err = await invoke("getNotebook", { name: "no-such-notebook" }).catch((e) => e);
        expect(err.message).toMatch(/no notebook instance named "no-such-notebook"/);
        expect(err.message).not.toMatch(/\n\s+at /);
    });
});
