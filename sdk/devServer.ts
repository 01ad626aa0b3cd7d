import * as pulumi from "@pulumi/pulumi";
import { devServerShape, DevServerInputs, DevServerState } from "../provider/resources/devServer/fields";
import type { ArgumentsOf } from "../provider/resources/fields";
import { withCustomTimeouts } from "./customTimeouts";
import { DynamicResource, devServerShim } from "./shims";
import { InputArgs, OutputProperties, readArguments, registeredProperties } from "./types";

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

// The DevServer's output properties: the state the provider returns, property by property.
// (A line comment: a doc comment here would be merged into the class's own.) Declaration merging: the class below gets one Output per state property of the field table.
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
export class DevServer extends DynamicResource {
    /**
     * Reads an existing DevServer by its id, without managing it: its outputs are the live server's,
     * read through the provider's `read` (again on every `pulumi up` and `refresh`); nothing is
     * created, changed or deleted. The server is looked up in the stack's configured region and
     * project (`huaweicloud:region` / `huaweicloud:projectId`, or the environment); an id that does
     * not exist there fails the program. Inputs the API does not report (`securityGroupId`,
     * `rootVolume`, `adminPass`, ...) are undefined.
     *
     * ```ts
     * const shared = DevServer.get("shared-box", "62383738-e52a-450a-9f84-f9e705402be8");
     * export const sharedStatus = shared.status;
     * ```
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): DevServer {
        return new DevServer(name, readArguments<DevServerArgs>(), { ...opts, id });
    }

    constructor(name: string, args: DevServerArgs, opts?: pulumi.CustomResourceOptions) {
        const { import: importId, ...resourceOptions } = opts ?? {};
        super(
            "DevServer",
            devServerShim,
            name,
            registeredProperties(withCustomTimeouts("DevServer", args, opts?.customTimeouts), importId, devServerShape, pulumi.secret, opts?.replaceOnChanges),
            {
                ...resourceOptions,
                additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...devServerShape.secretInputs],
            },
        );
    }
}
