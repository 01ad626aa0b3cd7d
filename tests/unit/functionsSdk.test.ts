/**
 * The SDK's functions as a TypeScript program calls them (under Pulumi's mock runtime): the promise
 * form and the output form (arguments that are Outputs), configured from the stack's
 * `huaweicloud:*` config alone, as the resources are, and failing with the resources' errors.
 */
import * as pulumi from "@pulumi/pulumi";
import { RunningEmulator, startEmulator } from "../../emulator";
import { getDevServerFlavors, getDevServerImagesOutput, getNotebookOutput, getNotebookFlavors } from "../../sdk";
import { ValidationError } from "../../provider/errors";

let emu: RunningEmulator;
const saved = { ...process.env };

beforeAll(async () => {
    emu = await startEmulator({ rateLimit: null });
    // Nothing from the environment: the stack config must be what configures the calls.
    for (const k of Object.keys(process.env)) if (/^(HW_|HUAWEICLOUD_SDK_)/.test(k)) delete process.env[k];
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) }, "fns", "dev", false);
    pulumi.runtime.setConfig("huaweicloud:region", emu.region);
    pulumi.runtime.setConfig("huaweicloud:projectId", emu.projectId);
    pulumi.runtime.setConfig("huaweicloud:accessKey", emu.accessKey);
    pulumi.runtime.setConfig("huaweicloud:secretKey", emu.secretKey);
    pulumi.runtime.setConfig("huaweicloud:modelartsEndpoint", emu.url);
});

afterAll(async () => {
    process.env = saved;
    await emu?.close();
});

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

it("the promise form reads the stack's huaweicloud:* configuration", async () => {
    const { flavors } = await getDevServerFlavors({ serverType: "BMS", flavorType: "NPU" });
    expect(flavors.map((f) => f.flavor)).toEqual(["physical.kat2ne.48xlarge.8.ei.pod101"]);
    const { flavors: nb } = await getNotebookFlavors({ category: "GPU", cardType: "A100" });
    expect(nb.map((f) => f.gpu?.count)).toEqual([8]);
});

it("the output form takes Outputs as arguments", async () => {
    const serverType = pulumi.output("HPS" as const);
    const images = await value(getDevServerImagesOutput({ serverType }));
    expect(images.images.map((i) => i.name)).toEqual(["EulerOS-2.10-arm-CANN-8.0-HPS"]);
});

it("the output form of getNotebook gives a NotebookAutoStop its instanceId", async () => {
    const id = String((await emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", name: "sdk-lab" } as any)).id);
    const nb = getNotebookOutput({ name: pulumi.output("sdk-lab") });
    expect(await value(nb.id)).toBe(id);
    expect(await value(nb.api)).toBe("notebooks");
});

it("fails with the resources' error kinds", async () => {
    await expect(getDevServerFlavors({ chargingMode: "MONTHLY" as never })).rejects.toBeInstanceOf(ValidationError);
    await expect(getDevServerFlavors({ chargingMode: "MONTHLY" as never })).rejects.toThrow(/chargingMode must be one of PRE_PAID, POST_PAID/);
});
