/**
 * The SDK's types, derived from the provider's field tables: every argument may be a
 * `pulumi.Input` (nested ones too), every state property is a `pulumi.Output` on the resource.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A value whose nested properties may each be an Input too. */
export type DeepInput<T> = T extends readonly (infer U)[]
    ? pulumi.Input<DeepInput<U>>[]
    : T extends object
      ? { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> }
      : T;

/** The arguments of a resource: each property, and each nested one, may be an Input. */
export type InputArgs<T> = { [K in keyof T]: pulumi.Input<DeepInput<T[K]>> };

/** The output properties of a resource: one Output per state property (undefined when optional and unset). */
export type OutputProperties<T> = {
    readonly [K in keyof T]-?: pulumi.Output<T[K]>;
};

/**
 * The properties handed to `dynamic.Resource`: the arguments, the `import` option as the
 * `importId` input (the engine cannot import through a dynamic provider, pulumi/pulumi#16175),
 * secret inputs as secrets, and every state property (so each is an Output of the resource).
 */
export function registeredProperties(
    args: object,
    importId: pulumi.ID | undefined,
    shape: { secretInputs: readonly string[]; stateNames: readonly string[] },
    secret: (value: unknown) => unknown,
    replaceOnChanges?: readonly string[],
): Record<string, unknown> {
    const props: Record<string, unknown> = {};
    for (const name of shape.stateNames) props[name] = undefined;
    Object.assign(props, args);
    if (importId !== undefined) props.importId = importId;
    // The engine cannot apply replaceOnChanges to a dynamic resource (see replaceOnChangesField).
    if (replaceOnChanges?.length) props.replaceOnChanges = replaceOnChanges;
    for (const name of shape.secretInputs) {
        if (props[name] !== undefined) props[name] = secret(props[name]);
    }
    return props;
}

/**
 * The arguments a static `get` hands to its class's constructor: none. With `opts.id` set,
 * `CustomResource` reads the existing resource instead of registering one: the engine asks the
 * provider's `read` for that id (no `check`, `create` or `diff`), so nothing validates arguments
 * and an empty bag stands for the required ones. `registeredProperties` then registers only the
 * state names (as outputs to be filled by the read) and no secret, since no argument is set.
 */
export function readArguments<A extends object>(): A {
    // The one place an empty bag passes for a class's arguments: only a read (opts.id) takes it.
    return {} as A;
}
