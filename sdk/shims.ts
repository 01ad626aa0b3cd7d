/**
 * What each resource's state carries as `__provider`: the source text the dynamic-provider process
 * runs to find the implementation. The text only loads the implementation by package name
 * (`pulumi-modelarts/provider`), so nothing but the resource's name in the implementation is in the
 * state (no client, no credentials, no schema), and an upgrade of this package takes effect for
 * existing resources.
 *
 * The text is written here rather than produced by Pulumi's closure serializer (what
 * `pulumi.dynamic.Resource` does with a provider object): ~110 bytes instead of ~2.8 KB per
 * resource. Every engine call carries it (a state, its inputs, an update's olds and news), and in
 * the dynamic-provider process decoding and encoding it was half of the memory churned by a
 * thousand servers (docs/BENCHMARKS.md). States written by 0.1.0 keep the serialized text, which
 * still works: it calls the same exports of `pulumi-modelarts/provider`.
 */
import * as pulumi from "@pulumi/pulumi";

type Implementation = "devServer" | "notebookAutoStop" | "notebook";

/** A CommonJS module whose `handler()` returns the resource provider (Pulumi's dynamic-provider contract). */
function providerSource(implementation: Implementation): string {
    return `exports.handler = function () { return require("pulumi-modelarts/provider").dynamicProviders.${implementation}; };\n`;
}

export const devServerShim = providerSource("devServer");
export const notebookAutoStopShim = providerSource("notebookAutoStop");
export const notebookShim = providerSource("notebook");

/**
 * A resource of the Node.js dynamic provider, registered as `pulumi.dynamic.Resource` registers it
 * (type `pulumi-nodejs:dynamic/modelarts:<Type>`, the provider's source in `__provider`), with the
 * source text above instead of a serialized closure.
 */
export abstract class DynamicResource extends pulumi.CustomResource {
    protected constructor(
        type: string,
        providerSource: string,
        name: string,
        props: pulumi.Inputs,
        opts: pulumi.CustomResourceOptions | undefined,
    ) {
        super(`pulumi-nodejs:dynamic/modelarts:${type}`, name, { ...props, __provider: providerSource }, opts);
    }
}
