/**
 * A prepaid (PRE_PAID, yearly/monthly) DevServer that renews automatically.
 *
 * - The order is paid from the account balance when it is placed (`isAutoPay` defaults to true);
 *   `pulumi up` waits for the order, then for the server, with progress lines.
 * - `autoRenew` (stack config, default true) changes in place through the billing API (BSS).
 * - A change of `periodMonths` replaces the server: a prepaid period cannot change in place, so the
 *   preview says so, a new server is bought and the old one is unsubscribed.
 * - `pulumi destroy` unsubscribes the server through BSS (as Terraform does) and waits until it is gone.
 *
 * The network and image IDs default to placeholders the local emulator accepts.
 */
import * as pulumi from "@pulumi/pulumi";
import { DevServer } from "pulumi-modelarts";

const config = new pulumi.Config();
const periodMonths = config.getNumber("periodMonths") ?? 1;
if (!Number.isInteger(periodMonths) || periodMonths < 1 || periodMonths > 11) {
    throw new Error(`config periodMonths must be a whole number from 1 to 11, got ${periodMonths}`);
}

const server = new DevServer("prepaid-box", {
    name: config.get("serverName") ?? "prepaid-devserver",
    resourceFlavor: config.get("flavor") ?? "Si2.large.4",
    imageId: config.get("imageId") ?? "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: config.get("vpcId") ?? "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: config.get("subnetId") ?? "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: config.get("securityGroupId") ?? "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: config.get("keyPairName") ?? "prepaid-key",
    chargingInfo: {
        chargingMode: "PRE_PAID",
        periodType: "MONTH",
        periodNum: periodMonths,
        isAutoRenew: config.getBoolean("autoRenew") ?? true,
    },
});

export const id = server.id;
export const status = server.status;
export const orderId = server.orderId;
export const chargingMode = server.chargingMode;
