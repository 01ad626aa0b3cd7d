/**
 * The objects handed to `pulumi.dynamic.Resource`. Pulumi serializes them into every resource's
 * state as source text and runs that text later, in the dynamic-provider process. So each method
 * only loads the implementation by package name at call time: nothing is captured (no client, no
 * credentials, no schema), the text stays ~2 KB per resource, and an upgrade of this package takes
 * effect for existing resources.
 *
 * Do not import anything into the method bodies below, and do not reference module-level values:
 * the closure serializer would copy them into the state.
 */
import type * as pulumi from "@pulumi/pulumi";

export const devServerShim: pulumi.dynamic.ResourceProvider = {
    async configure(req) {
        return require("pulumi-modelarts/provider").configure(req);
    },
    async check(olds, news) {
        return require("pulumi-modelarts/provider").devServer.check(olds, news);
    },
    async diff(id, olds, news) {
        return require("pulumi-modelarts/provider").devServer.diff(id, olds, news);
    },
    async create(inputs) {
        return require("pulumi-modelarts/provider").devServer.create(inputs);
    },
    async read(id, props) {
        return require("pulumi-modelarts/provider").devServer.read(id, props);
    },
    async update(id, olds, news) {
        return require("pulumi-modelarts/provider").devServer.update(id, olds, news);
    },
    async delete(id, props) {
        return require("pulumi-modelarts/provider").devServer.delete(id, props);
    },
};

export const notebookAutoStopShim: pulumi.dynamic.ResourceProvider = {
    async configure(req) {
        return require("pulumi-modelarts/provider").configure(req);
    },
    async check(olds, news) {
        return require("pulumi-modelarts/provider").notebookAutoStop.check(olds, news);
    },
    async diff(id, olds, news) {
        return require("pulumi-modelarts/provider").notebookAutoStop.diff(id, olds, news);
    },
    async create(inputs) {
        return require("pulumi-modelarts/provider").notebookAutoStop.create(inputs);
    },
    async read(id, props) {
        return require("pulumi-modelarts/provider").notebookAutoStop.read(id, props);
    },
    async update(id, olds, news) {
        return require("pulumi-modelarts/provider").notebookAutoStop.update(id, olds, news);
    },
    async delete(id, props) {
        return require("pulumi-modelarts/provider").notebookAutoStop.delete(id, props);
    },
};
