/**
 * What the serialized shims load at call time (`require("pulumi-modelarts/provider")`): one
 * provider object per resource plus `configure`, which hands the stack configuration to `config`.
 * Keeping everything here (and nothing in the shims) keeps the state small and lets an upgrade of
 * this package take effect without replacing resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig, StackConfigSource } from "./config";
import * as devServerImpl from "./resources/devServer";
import * as notebookAutoStopImpl from "./resources/notebookAutoStop";

export interface ConfigureRequest {
    config: StackConfigSource;
}

export async function configure(req: ConfigureRequest): Promise<void> {
    setStackConfig(req.config);
}

export const devServer: pulumi.dynamic.ResourceProvider<devServerImpl.DevServerInputs, devServerImpl.DevServerState> = {
    check: devServerImpl.check,
    diff: devServerImpl.diff,
    create: (inputs) => devServerImpl.create(inputs),
    read: devServerImpl.read,
    update: (id, olds, news) => devServerImpl.update(id, olds, news),
    delete: (id, props) => devServerImpl.remove(id, props),
};

// Typed with its input and output types once NotebookAutoStop has a field table like DevServer's.
export const notebookAutoStop: pulumi.dynamic.ResourceProvider = {
    check: notebookAutoStopImpl.check,
    diff: notebookAutoStopImpl.diff,
    create: (inputs: notebookAutoStopImpl.NotebookAutoStopInputs) => notebookAutoStopImpl.create(inputs),
    read: notebookAutoStopImpl.read,
    update: (id: string, olds: notebookAutoStopImpl.NotebookAutoStopOutputs, news: notebookAutoStopImpl.NotebookAutoStopInputs) =>
        notebookAutoStopImpl.update(id, olds, news),
    delete: (id: string, props: notebookAutoStopImpl.NotebookAutoStopOutputs) => notebookAutoStopImpl.remove(id, props),
};

/** The field tables, for the SDK and for tests of the contract between them and the provider. */
export { devServerShape } from "./resources/devServer/fields";
