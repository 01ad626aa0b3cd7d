/**
 * A DevServer with data disks of its own and existing EVS volumes attached.
 *
 * - `dataVolume` makes `count` disks with the server (they go with it; changing it replaces the server).
 * - `attachedVolumeIds` (stack config `volumeIds`, comma-separated) are existing EVS volumes: adding
 *   one attaches it in place, removing one detaches it, each awaited through the API's operation.
 *   They are not deleted with the server.
 * - The `volumes` output lists every disk the server has (ROOT, then DATA).
 *
 * The network and image IDs default to placeholders the local emulator accepts; the volume IDs
 * must exist (with the emulator: `EmulatorAdmin.createVolume`).
 */
import * as pulumi from "@pulumi/pulumi";
import { DevServer } from "pulumi-modelarts";

const config = new pulumi.Config();
const volumeIds = (config.get("volumeIds") ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");

const server = new DevServer("data-box", {
    name: config.get("serverName") ?? "data-devserver",
    resourceFlavor: config.get("flavor") ?? "Si2.large.4",
    imageId: config.get("imageId") ?? "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: config.get("vpcId") ?? "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: config.get("subnetId") ?? "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: config.get("securityGroupId") ?? "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: config.get("keyPairName") ?? "data-key",
    rootVolume: { size: 200, type: "SSD" },
    dataVolume: { size: config.getNumber("dataDiskGb") ?? 500, type: "SSD", count: 2 },
    attachedVolumeIds: volumeIds,
});

export const id = server.id;
export const volumes = server.volumes;
