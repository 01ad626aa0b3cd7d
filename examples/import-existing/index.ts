/**
 * Import existing: adopt a DevServer that was created in the ModelArts console, so Pulumi manages
 * it from now on (power state, name, deletion) without re-creating it.
 *
 *     pulumi config set serverId <DevServer id from the console>
 *     pulumi up        # shows "import"; nothing is created
 *
 * The declared arguments must match the live server (name, flavor, image, VPC, subnet, key pair),
 * otherwise the import stops with a diff and names the differing fields. The API does not report
 * every input (securityGroupId, rootVolume, ...): those are adopted as declared here. After the
 * first successful `up`, remove the `import` option (or leave it: it is ignored once the resource
 * is in the state).
 */
import * as pulumi from "@pulumi/pulumi";
import { DevServer } from "pulumi-modelarts";

const config = new pulumi.Config();
const serverId = config.require("serverId");

const powerState = config.get("powerState") ?? "RUNNING";
if (powerState !== "RUNNING" && powerState !== "STOPPED") {
    throw new Error(`config powerState must be RUNNING or STOPPED, got ${JSON.stringify(powerState)}`);
}

const adopted = new DevServer(
    "console-box",
    {
        name: config.require("serverName"),
        resourceFlavor: config.require("flavor"),
        imageId: config.require("imageId"),
        vpcId: config.require("vpcId"),
        subnetId: config.require("subnetId"),
        securityGroupId: config.require("securityGroupId"),
        keyPairName: config.require("keyPairName"),
        powerState,
    },
    {
        import: serverId,
        // A server adopted from the console is usually precious: refuse `pulumi destroy` on it
        // until this line is removed deliberately.
        protect: config.getBoolean("protect") ?? true,
    },
);

export const id = adopted.id;
export const status = adopted.status;
export const endpoints = adopted.endpoints;
