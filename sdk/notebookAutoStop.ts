import * as pulumi from "@pulumi/pulumi";
import type { Timeouts } from "./devServer";
import { notebookAutoStopShim } from "./shims";

export interface NotebookAutoStopArgs {
    /** The development-environment (notebook) instance ID. Changing it replaces the resource. */
    instanceId: pulumi.Input<string>;
    /** Turn auto-stop on (the instance stops after `duration` seconds of running) or off. */
    enabled: pulumi.Input<boolean>;
    /** Running time before the instance stops, 3600..86400 seconds; required when enabled. */
    duration?: pulumi.Input<number>;
    /** Whether the console shows its reminder before stopping. Default true. */
    prompt?: pulumi.Input<boolean>;
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
    "durationTakesEffectAtNextStart", "stateVersion",
] as const;

/**
 * The auto-stop policy of a ModelArts notebook instance: "this notebook stops itself after N hours
 * of running", enforced on every `pulumi up`, drift shown on `refresh`.
 */
export class NotebookAutoStop extends pulumi.dynamic.Resource {
    declare public readonly instanceId: pulumi.Output<string>;
    declare public readonly enabled: pulumi.Output<boolean>;
    declare public readonly duration: pulumi.Output<number | undefined>;
    declare public readonly prompt: pulumi.Output<boolean>;
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
    declare public readonly priorPolicy: pulumi.Output<{ enabled: boolean; duration?: number; prompt?: boolean }>;
    /** True when a new duration was set on a RUNNING instance: it applies from the next start. */
    declare public readonly durationTakesEffectAtNextStart: pulumi.Output<boolean | undefined>;

    constructor(name: string, args: NotebookAutoStopArgs, opts?: pulumi.CustomResourceOptions) {
        const { import: importId, ...resourceOptions } = opts ?? {};
        const props: Record<string, unknown> = { ...args };
        // The engine cannot import through a dynamic provider (pulumi/pulumi#16175); taking over
        // the policy in create is the same thing here, so the id is only checked against instanceId.
        if (importId !== undefined) props.importId = importId;
        for (const key of COMPUTED_OUTPUTS) props[key] = undefined;
        super(notebookAutoStopShim, name, props, resourceOptions, "modelarts", "NotebookAutoStop");
    }
}
