/**
 * Quickstart: one ModelArts DevServer, logged into with an SSH key pair, whose power state is
 * declared in stack config. `pulumi config set powerState STOPPED && pulumi up` stops it;
 * `RUNNING` starts it again. Nothing else changes and the server is not replaced.
 *
 * The image is found by name and the flavor is the smallest GPU flavor that runs it, both through
 * the package's functions (getDevServerImagesOutput, getDevServerFlavorsOutput): nothing here names
 * an image or flavor id. `pulumi config set imageName <name>` picks another image; `flavor` and
 * `imageId` in config skip the lookup. The network IDs default to placeholders the local emulator
 * accepts (`npm run up` without cloud credentials). Against Huawei Cloud set them to your own:
 *     pulumi config set vpcId <uuid>   (and subnetId, securityGroupId, keyPairName)
 */
import * as pulumi from "@pulumi/pulumi";
import { DevServer, DevServerFlavor, getDevServerFlavorsOutput, getDevServerImagesOutput } from "pulumi-modelarts";

const config = new pulumi.Config();

const powerState = config.get("powerState") ?? "RUNNING";
if (powerState !== "RUNNING" && powerState !== "STOPPED") {
    throw new Error(`config powerState must be RUNNING or STOPPED, got ${JSON.stringify(powerState)}`);
}

const serverType = "ECS";
const imageName = config.get("imageName") ?? "Ubuntu-22.04-x86-CUDA-12.2";

/** Fewest cards, then fewest vCPUs, as the flavor's `specification` states them (e.g. "1*NVIDIA T4 (16 GiB) | 8 vCPUs | 32 GiB"). */
function size(f: DevServerFlavor): [number, number] {
    const spec = f.specification ?? "";
    return [Number(/^(\d+)\*/.exec(spec)?.[1] ?? Infinity), Number(/(\d+) vCPUs/.exec(spec)?.[1] ?? Infinity)];
}

/** The image named `imageName`, and the smallest GPU flavor of its architecture that it runs on. */
const choice = pulumi
    .all([getDevServerImagesOutput({ serverType, name: imageName }), getDevServerFlavorsOutput({ serverType, flavorType: "GPU" })])
    .apply(([{ images }, { flavors }]) => {
        const image = images[0];
        if (!image) throw new Error(`no active ${serverType} image is named ${JSON.stringify(imageName)}: set config imageName to one that getDevServerImages lists`);
        const fitting = flavors.filter((f) => f.arch === image.arch).sort((a, b) => size(a)[0] - size(b)[0] || size(a)[1] - size(b)[1]);
        if (fitting.length === 0) throw new Error(`no ${image.arch} GPU flavor of ${serverType} servers is available now (getDevServerFlavors)`);
        return { imageId: image.id, flavor: fitting[0].flavor };
    });

const server = new DevServer("gpu-box", {
    name: config.get("serverName") ?? "quickstart-devserver",
    resourceFlavor: config.get("flavor") ?? choice.flavor,
    imageId: config.get("imageId") ?? choice.imageId,
    vpcId: config.get("vpcId") ?? "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: config.get("subnetId") ?? "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: config.get("securityGroupId") ?? "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: config.get("keyPairName") ?? "quickstart-key",
    powerState,
    timeouts: { create: "45m" },
});

export const id = server.id;
export const status = server.status;
export const endpoints = server.endpoints;
export const flavor = server.resourceFlavor;
export const imageId = server.imageId;
