/**
 * Notebook cost guard: an existing ModelArts notebook (development-environment) instance stops
 * itself after `durationHours` of running. The policy is enforced on every `pulumi up` and drift
 * (someone switching auto-stop off in the console) shows on `pulumi refresh`. Destroying the stack
 * restores the policy the instance had before (set `onDelete` to "disable" to turn it off instead).
 *
 *     pulumi config set instanceId <notebook instance id>
 *     pulumi config set durationHours 3        # 1..24, default 3
 */
import * as pulumi from "@pulumi/pulumi";
import { NotebookAutoStop } from "pulumi-modelarts";

const config = new pulumi.Config();

const instanceId = config.require("instanceId");
const durationHours = config.getNumber("durationHours") ?? 3;
if (!Number.isInteger(durationHours) || durationHours < 1 || durationHours > 24) {
    throw new Error(`config durationHours must be a whole number of hours from 1 to 24, got ${durationHours}`);
}

const guard = new NotebookAutoStop("nb-cost-guard", {
    instanceId,
    enabled: config.getBoolean("enabled") ?? true,
    duration: durationHours * 3600,
    prompt: true,
    onDelete: "restore",
});

export const notebookName = guard.name;
export const notebookStatus = guard.status;
/** When the running notebook will stop (ISO 8601), as the service reports it. */
export const stopsAt = guard.stopTimestamp;
/** True when the new duration only applies from the notebook's next start (it was RUNNING). */
export const takesEffectAtNextStart = guard.durationTakesEffectAtNextStart;
/** What `pulumi destroy` puts back. */
export const priorPolicy = guard.priorPolicy;
