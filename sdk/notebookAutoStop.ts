import * as pulumi from "@pulumi/pulumi";
import type { ArgumentsOf } from "../provider/resources/fields";
import { notebookAutoStopShape, NotebookAutoStopState } from "../provider/resources/notebookAutoStop/fields";
import { withCustomTimeouts } from "./customTimeouts";
import { DynamicResource, notebookAutoStopShim } from "./shims";
import { InputArgs, OutputProperties, readArguments, registeredProperties } from "./types";

/**
 * The arguments of a {@link NotebookAutoStop}, from the provider's field table
 * (provider/resources/notebookAutoStop/fields.ts): each says what a change of it does.
 */
// An interface, not a type alias, so that documentation lists its properties.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NotebookAutoStopArgs extends InputArgs<ArgumentsOf<typeof notebookAutoStopShape>> {}

// The NotebookAutoStop's output properties: the state the provider returns, property by property.
// (A line comment: a doc comment here would be merged into the class's own.) Declaration merging: the class below gets one Output per state property of the field table.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface NotebookAutoStop extends OutputProperties<NotebookAutoStopState> {}

/**
 * The auto-stop policy of a ModelArts notebook: "this notebook stops itself N hours after the policy
 * is applied", enforced on every `pulumi up`, drift shown on `refresh`. Works on notebooks of the
 * current API (`/notebooks`, the lease) and of the legacy demanager API (`spec.auto_stop`).
 *
 * The `import` resource option takes over the current policy (its id must be the `instanceId`):
 * the engine cannot import through a dynamic provider (pulumi/pulumi#16175), and taking over the
 * policy in create is the same thing here.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class NotebookAutoStop extends DynamicResource {
    /**
     * Reads the auto-stop policy of an existing notebook by its id (the instance id), without
     * managing it: the provider detects the notebook's API family (current API first, then
     * demanager) and its outputs are the live policy; nothing is written. The notebook is looked up
     * in the stack's configured region and project (`huaweicloud:region` /
     * `huaweicloud:projectId`, or the environment); an id neither family knows there fails the
     * program.
     *
     * ```ts
     * const policy = NotebookAutoStop.get("team-nb-policy", "6fa459ea-ee8a-3ca4-894e-db77e160355e");
     * export const stopsAt = policy.stopTimestamp;
     * ```
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): NotebookAutoStop {
        return new NotebookAutoStop(name, readArguments<NotebookAutoStopArgs>(), { ...opts, id });
    }

    constructor(name: string, args: NotebookAutoStopArgs, opts?: pulumi.CustomResourceOptions) {
        const { import: importId, ...resourceOptions } = opts ?? {};
        super(
            "NotebookAutoStop",
            notebookAutoStopShim,
            name,
            registeredProperties(withCustomTimeouts("NotebookAutoStop", args, opts?.customTimeouts), importId, notebookAutoStopShape, pulumi.secret, opts?.replaceOnChanges),
            resourceOptions,
        );
    }
}
