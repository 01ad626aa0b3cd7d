import * as pulumi from "@pulumi/pulumi";
import type { ArgumentsOf } from "../provider/resources/fields";
import { notebookShape, NotebookState } from "../provider/resources/notebook/fields";
import { withCustomTimeouts } from "./customTimeouts";
import { DynamicResource, notebookShim } from "./shims";
import { InputArgs, OutputProperties, readArguments, registeredProperties } from "./types";

/**
 * The arguments of a {@link Notebook}, from the provider's field table
 * (provider/resources/notebook/fields.ts): each says what a change of it does.
 */
// An interface, not a type alias, so that documentation lists its properties.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NotebookArgs extends InputArgs<ArgumentsOf<typeof notebookShape>> {}

// The Notebook's output properties: the state the provider returns, property by property.
// (A line comment: a doc comment here would be merged into the class's own.) Declaration merging: the class below gets one Output per state property of the field table.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Notebook extends OutputProperties<NotebookState> {}

/**
 * A ModelArts notebook (development environment) of the current API (`/v1/{project_id}/notebooks`):
 * created with its flavor, image, storage, SSH access, pool, workspace and auto-stop, awaited until
 * RUNNING, started or stopped to match `powerState`, changed in place where the API allows (name,
 * description, EVS growth; flavor, image and allowed SSH addresses on a stopped notebook), replaced
 * otherwise, deleted and awaited until gone.
 *
 * `autoStop`, when declared, is owned by this resource; a {@link NotebookAutoStop} can guard a
 * Notebook that leaves it out (`instanceId: nb.id`), never one that declares it.
 *
 * The `import` resource option adopts an existing notebook (pool and workspace must match); the
 * `customTimeouts` option becomes the `timeouts` input when that is not given.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Notebook extends DynamicResource {
    /**
     * Reads an existing notebook by its id, without managing it: its outputs are the live notebook's,
     * read through the provider's `read`; nothing is created, changed or deleted. The notebook is
     * looked up in the stack's configured region and project; an id that does not exist there fails
     * the program.
     *
     * ```ts
     * const shared = Notebook.get("shared-nb", "6fa459ea-ee8a-3ca4-894e-db77e160355e");
     * export const sharedUrl = shared.url;
     * ```
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Notebook {
        return new Notebook(name, readArguments<NotebookArgs>(), { ...opts, id });
    }

    constructor(name: string, args: NotebookArgs, opts?: pulumi.CustomResourceOptions) {
        const { import: importId, ...resourceOptions } = opts ?? {};
        super(
            "Notebook",
            notebookShim,
            name,
            registeredProperties(withCustomTimeouts("Notebook", args, opts?.customTimeouts), importId, notebookShape, pulumi.secret, opts?.replaceOnChanges),
            // As DevServer: a secret input (hooks) stays secret as an output too.
            { ...resourceOptions, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...notebookShape.secretInputs] },
        );
    }
}
