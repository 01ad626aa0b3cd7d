/**
 * Quickstart: one ModelArts DevServer, logged into with an SSH key pair, whose power state is
 * declared in stack config. `pulumi config set powerState STOPPED && pulumi up` stops it;
 * `RUNNING` starts it again. Nothing else changes and the server is not replaced.
 *
 * The network and image IDs default to placeholders the local emulator accepts (`npm run up`
 * without cloud credentials). Against Huawei Cloud set them to your own:
 *     pulumi config set vpcId <uuid>   (and subnetId, securityGroupId, imageId, flavor, keyPairName)
 */
import * as pulumi from "@pulumi/pulumi";
import { DevServer } from "pulumi-modelarts";

const config = new pulumi.Config();

const powerState = config.get("powerState") ?? "RUNNING";
if (powerState !== "RUNNING" && powerState !== "STOPPED") {
    throw new Error(`config powerState must be RUNNING or STOPPED, got ${JSON.stringify(powerState)}`);
}

const server = new DevServer("gpu-box", {
    name: config.get("serverName") ?? "quickstart-devserver",
    resourceFlavor: config.get("flavor") ?? "Si2.large.4",
    imageId: config.get("imageId") ?? "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
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
