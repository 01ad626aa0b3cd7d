import * as pulumi from "@pulumi/pulumi";
import { DevServer } from "pulumi-modelarts";

const config = new pulumi.Config();
const list = (key: string) => (config.get(key) ?? "").split(",").filter(Boolean);
const timeout = config.get("createTimeout");

const server = new DevServer(
    "box",
    {
        name: config.get("serverName") ?? "e2e-options",
        resourceFlavor: "Si2.large.4",
        imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
        vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
        subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
        adminPass: config.requireSecret("adminPass"),
        userData: config.getSecret("userData"),
        powerState: config.get("powerState") === "STOPPED" ? "STOPPED" : "RUNNING",
    },
    {
        protect: config.getBoolean("protect") ?? false,
        retainOnDelete: config.getBoolean("retainOnDelete") ?? false,
        ignoreChanges: list("ignoreChanges"),
        replaceOnChanges: list("replaceOnChanges"),
        customTimeouts: timeout ? { create: timeout } : undefined,
        import: config.get("importId"),
    },
);

export const id = server.id;
export const status = server.status;
