/**
 * What the serialized shims load at call time (`require("pulumi-modelarts/provider")`): one
 * implementation per resource plus `configure`, which hands the stack configuration to `config`.
 * Keeping everything here (and nothing in the shims) keeps the state small and lets an upgrade of
 * this package take effect without replacing resources.
 */
import { setStackConfig, StackConfigSource } from "./config";
import * as devServerImpl from "./resources/devServer";
import * as notebookAutoStopImpl from "./resources/notebookAutoStop";

export interface ConfigureRequest {
    config: StackConfigSource;
}

export async function configure(req: ConfigureRequest): Promise<void> {
    setStackConfig(req.config);
}

export const devServer = {
    check: devServerImpl.check,
    diff: devServerImpl.diff,
    create: (inputs: devServerImpl.DevServerInputs) => devServerImpl.create(inputs),
    read: devServerImpl.read,
    update: (id: string, olds: devServerImpl.DevServerOutputs, news: devServerImpl.DevServerInputs) =>
        devServerImpl.update(id, olds, news),
    delete: (id: string, props: devServerImpl.DevServerOutputs) => devServerImpl.remove(id, props),
};

export const notebookAutoStop = {
    check: notebookAutoStopImpl.check,
    diff: notebookAutoStopImpl.diff,
    create: (inputs: notebookAutoStopImpl.NotebookAutoStopInputs) => notebookAutoStopImpl.create(inputs),
    read: notebookAutoStopImpl.read,
    update: (
        id: string,
        olds: notebookAutoStopImpl.NotebookAutoStopOutputs,
        news: notebookAutoStopImpl.NotebookAutoStopInputs,
    ) => notebookAutoStopImpl.update(id, olds, news),
    delete: (id: string, props: notebookAutoStopImpl.NotebookAutoStopOutputs) => notebookAutoStopImpl.remove(id, props),
};

export { devServerImpl, notebookAutoStopImpl };
