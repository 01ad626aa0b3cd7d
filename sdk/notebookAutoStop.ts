import * as pulumi from "@pulumi/pulumi";
import type { Timeouts } from "./devServer";
import { withCustomTimeouts } from "./customTimeouts";
import { notebookAutoStopShim } from "./shims";

export interface NotebookAutoStopArgs {
    /** The notebook (instance) ID, of either API family. Changing it replaces the resource. */
    instanceId: pulumi.Input<string>;
    /**
     * Turn auto-stop on (the notebook stops `duration` seconds after the policy is applied) or off.
     * `false` is refused on notebooks of the current API: no documented call turns a lease off.
     */
    enabled: pulumi.Input<boolean>;
    /**
     * Seconds before the notebook stops; required when enabled. 3600..259200 (72 h) on the current
     * notebooks API (a lease renewed from the moment it is applied), 3600..86400 (24 h, the running
     * time of the next run if changed while RUNNING) on the legacy demanager API.
     */
    duration?: pulumi.Input<number>;
    /** Legacy demanager API only: whether the console shows its reminder before stopping. Default true. */
    prompt?: pulumi.Input<boolean>;
    /** Current API only for `IDLE`: `TIMING` (default) stops after `duration`; `IDLE` after `duration` idle. */
    type?: pulumi.Input<"TIMING" | "IDLE">;
    /**
     * Which API manages the notebook: `notebooks` (current, lease) or `demanager` (legacy). Detected
     * when absent (current API first). Set it to get family-specific input errors at preview time.
     * Changing it replaces the resource.
     */
    api?: pulumi.Input<"notebooks" | "demanager">;
    /**
     * On delete, `restore` the policy the instance had before this resource took it over (default)
     * or `disable` auto-stop.
     */
    onDelete?: pulumi.Input<"restore" | "disable">;
    /** Region override. Replaces. */
    region?: pulumi.Input<string>;
    /** Project ID override. Replaces. */
    projectId?: pulumi.Input<string>;
    /** Timeouts for waiting on a queued or starting instance. */
    timeouts?: pulumi.Input<Timeouts>;
}

const COMPUTED_OUTPUTS = [
    "name", "status", "flavor", "stopTimestamp", "remainTime", "priorPolicy",
    "durationTakesEffectAtNextStart", "stateVersion", "leaseType",
] as const;

/**
 * The auto-stop policy of a ModelArts notebook: "this notebook stops itself N hours after the policy
 * is applied", enforced on every `pulumi up`, drift shown on `refresh`. Works on notebooks of the
 * current API (`/notebooks`, the lease) and of the legacy demanager API (`spec.auto_stop`).
 */
export class NotebookAutoStop extends pulumi.dynamic.Resource {
    declare public readonly instanceId: pulumi.Output<string>;
    declare public readonly enabled: pulumi.Output<boolean>;
    declare public readonly duration: pulumi.Output<number | undefined>;
    /** demanager only (undefined on the current API). */
    declare public readonly prompt: pulumi.Output<boolean | undefined>;
    declare public readonly type: pulumi.Output<"TIMING" | "IDLE" | undefined>;
    /** The API family managing the notebook, as declared or detected. */
    declare public readonly api: pulumi.Output<"notebooks" | "demanager">;
    /** Current API: the lease type the service reports. */
    declare public readonly leaseType: pulumi.Output<string | undefined>;
    declare public readonly onDelete: pulumi.Output<"restore" | "disable">;
    declare public readonly region: pulumi.Output<string>;
    declare public readonly projectId: pulumi.Output<string>;
    /** The instance's name. */
    declare public readonly name: pulumi.Output<string>;
    /** The instance's status as last seen. */
    declare public readonly status: pulumi.Output<string>;
    declare public readonly flavor: pulumi.Output<string>;
    /** When the RUNNING instance will stop (ISO 8601). */
    declare public readonly stopTimestamp: pulumi.Output<string | undefined>;
    /** Seconds left before it stops. */
    declare public readonly remainTime: pulumi.Output<number | undefined>;
    /** The policy captured when this resource took over: what delete restores. */
    declare public readonly priorPolicy: pulumi.Output<{ enabled: boolean; duration?: number; prompt?: boolean; type?: string; stopAt?: string }>;
    /** True when a new duration was set on a RUNNING instance: it applies from the next start. */
    declare public readonly durationTakesEffectAtNextStart: pulumi.Output<boolean | undefined>;

    constructor(name: string, args: NotebookAutoStopArgs, opts?: pulumi.CustomResourceOptions) {
        const { import: importId, ...resourceOptions } = opts ?? {};
        const props: Record<string, unknown> = { ...withCustomTimeouts("NotebookAutoStop", args, opts?.customTimeouts) };
        // The engine cannot import through a dynamic provider (pulumi/pulumi#16175); taking over
        // the policy in create is the same thing here, so the id is only checked against instanceId.
        if (importId !== undefined) props.importId = importId;
        for (const key of COMPUTED_OUTPUTS) props[key] = undefined;
        // Inputs that are also outputs when left out (detected family, default type, no prompt on the lease).
        for (const key of ["api", "type", "prompt", "duration"]) if (!(key in props)) props[key] = undefined;
        super(notebookAutoStopShim, name, props, resourceOptions, "modelarts", "NotebookAutoStop");
    }
}
