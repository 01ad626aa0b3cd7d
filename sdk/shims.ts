/**
 * The objects handed to `pulumi.dynamic.Resource`. Pulumi serializes them into every resource's
 * state as source text and runs that text later, in the dynamic-provider process. So each method
 * only loads the implementation by package name at call time: nothing is captured but the
 * resource's name in the implementation (no client, no credentials, no schema), the text stays
 * ~2.7 KB per resource, and an upgrade of this package takes effect for existing resources.
 *
 * Do not import anything into the method bodies below, and do not reference other module-level
 * values: the closure serializer would copy them into the state. (The SDK classes may import the
 * field tables at module level: only this object is serialized, and it does not reach them.)
 */
import type * as pulumi from "@pulumi/pulumi";

type Implementation = "devServer" | "notebookAutoStop" | "notebook";

function shimFor(implementation: Implementation): pulumi.dynamic.ResourceProvider {
    return {
        async configure(req) {
            return require("pulumi-modelarts/provider").configure(req);
        },
        async check(olds, news) {
            return require("pulumi-modelarts/provider")[implementation].check(olds, news);
        },
        async diff(id, olds, news) {
            return require("pulumi-modelarts/provider")[implementation].diff(id, olds, news);
        },
        async create(inputs) {
            return require("pulumi-modelarts/provider")[implementation].create(inputs);
        },
        async read(id, props) {
            return require("pulumi-modelarts/provider")[implementation].read(id, props);
        },
        async update(id, olds, news) {
            return require("pulumi-modelarts/provider")[implementation].update(id, olds, news);
        },
        async delete(id, props) {
            return require("pulumi-modelarts/provider")[implementation].delete(id, props);
        },
    };
}

export const devServerShim = shimFor("devServer");
export const notebookAutoStopShim = shimFor("notebookAutoStop");
export const notebookShim = shimFor("notebook");
