import * as pulumi from "@pulumi/pulumi";
import { devServerShape, DevServerInputs, DevServerState } from "../provider/resources/devServer/fields";
import type { ArgumentsOf } from "../provider/resources/fields";
import { withCustomTimeouts } from "./customTimeouts";
import { devServerShim } from "./shims";
import { InputArgs, OutputProperties, registeredProperties } from "./types";

/** Timeouts for the long operations, e.g. `{ create: "45m" }` ("1h30m", "90s" or seconds). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Timeouts extends InputArgs<NonNullable<DevServerInputs["timeouts"]>> {}

/**
 * The arguments of a {@link DevServer}, from the provider's field table
 * (provider/resources/devServer/fields.ts): each says whether a change replaces the server.
 */
// An interface, not a type alias, so that documentation lists its properties.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DevServerArgs extends InputArgs<ArgumentsOf<typeof devServerShape>> {}

/** The DevServer's output properties: the state the provider returns, property by property. */
// Declaration merging: the class below gets one Output per state property of the field table.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface DevServer extends OutputProperties<DevServerState> {}

/**
 * A ModelArts DevServer: created and awaited until RUNNING, renamed in place, started or stopped
 * to match `powerState`, replaced when an immutable field changes, deleted and awaited until gone.
 *
 * The `import` resource option adopts an existing server: it must match this declaration in every
 * immutable field the API reports; its name and power state are then brought to the declared ones.
 *
 * The `customTimeouts` option becomes the `timeouts` input when that is not given (dynamic
 * providers do not receive customTimeouts).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class DevServer extends pulumi.dynamic.Resource {
    constructor(name: string, args: DevServerArgs, opts?: pulumi.CustomResourceOptions) {
        const { import: importId, ...resourceOptions } = opts ?? {};
        super(
            devServerShim,
            name,
            registeredProperties(withCustomTimeouts("DevServer", args, opts?.customTimeouts), importId, devServerShape, pulumi.secret),
            {
                ...resourceOptions,
                additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...devServerShape.secretInputs],
            },
            "modelarts",
            "DevServer",
        );
    }
}
