/**
 * What a resource's `__provider` text loads at call time (`require("pulumi-modelarts/provider")`,
 * see sdk/shims.ts): `dynamicProviders`, one complete provider per resource (its operations and
 * `configure`, which hands the stack configuration to `config`). Keeping everything here (and
 * nothing in the state's text) keeps the state small and lets an upgrade of this package take
 * effect without replacing resources. `configure` and the per-resource objects are what the closures
 * serialized into states by 0.1.0 call: they stay for those states.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig, StackConfigSource } from "./config";
import { ResourceInitError } from "./errors";
import * as devServerImpl from "./resources/devServer";
import * as notebookAutoStopImpl from "./resources/notebookAutoStop";
import * as notebookImpl from "./resources/notebook";

export interface ConfigureRequest {
    config: StackConfigSource;
}

export async function configure(req: ConfigureRequest): Promise<void> {
    setStackConfig(req.config);
}

/** The key under which the engine carries a dynamic resource's serialized provider. */
const PROVIDER_KEY = "__provider";

/**
 * A create or update that fails after the cloud accepted the resource records its properties in
 * the state (Pulumi's "created but failed to initialize"). Pulumi's dynamic-provider host adds the
 * serialized provider to the outputs of a success only: without it here, the next `destroy` of that
 * resource could not load its provider. So a failure's properties carry it too.
 */
function keepingProvider<A extends unknown[], R>(call: (...args: A) => Promise<R>, inputsAt: number): (...args: A) => Promise<R> {
    return async (...args: A) => {
        try {
            return await call(...args);
        } catch (err) {
            const provider = (args[inputsAt] as Record<string, unknown> | undefined)?.[PROVIDER_KEY];
            if (err instanceof ResourceInitError && provider !== undefined && err.properties[PROVIDER_KEY] === undefined) {
                err.properties[PROVIDER_KEY] = provider;
            }
            throw err;
        }
    };
}

export const devServer: pulumi.dynamic.ResourceProvider<devServerImpl.DevServerInputs, devServerImpl.DevServerState> = {
    check: devServerImpl.check,
    diff: devServerImpl.diff,
    create: keepingProvider((inputs: devServerImpl.DevServerInputs) => devServerImpl.create(inputs), 0),
    read: devServerImpl.read,
    update: keepingProvider((id: string, olds: devServerImpl.DevServerState, news: devServerImpl.DevServerInputs) => devServerImpl.update(id, olds, news), 2),
    delete: (id, props) => devServerImpl.remove(id, props),
};

export const notebookAutoStop: pulumi.dynamic.ResourceProvider<notebookAutoStopImpl.NotebookAutoStopInputs, notebookAutoStopImpl.NotebookAutoStopState> = {
    check: notebookAutoStopImpl.check,
    diff: notebookAutoStopImpl.diff,
    create: keepingProvider((inputs: notebookAutoStopImpl.NotebookAutoStopInputs) => notebookAutoStopImpl.create(inputs), 0),
    read: async (id, props) => {
        const { inputs, ...result } = await notebookAutoStopImpl.read(id, props);
        // Pulumi types a read's inputs as the outputs type; they are inputs (what refresh and an
        // import record as declared), typed as such by the implementation.
        return { ...result, inputs: inputs as unknown as notebookAutoStopImpl.NotebookAutoStopState | undefined };
    },
    update: keepingProvider(
        (id: string, olds: notebookAutoStopImpl.NotebookAutoStopState, news: notebookAutoStopImpl.NotebookAutoStopInputs) =>
            notebookAutoStopImpl.update(id, olds, news),
        2,
    ),
    delete: (id, props) => notebookAutoStopImpl.remove(id, props),
};

export const notebook: pulumi.dynamic.ResourceProvider<notebookImpl.NotebookInputs, notebookImpl.NotebookState> = {
    check: notebookImpl.check,
    diff: notebookImpl.diff,
    create: keepingProvider((inputs: notebookImpl.NotebookInputs) => notebookImpl.create(inputs), 0),
    read: notebookImpl.read,
    update: keepingProvider((id: string, olds: notebookImpl.NotebookState, news: notebookImpl.NotebookInputs) => notebookImpl.update(id, olds, news), 2),
    delete: (id, props) => notebookImpl.remove(id, props),
};
/** The providers the `__provider` texts of sdk/shims.ts return: each resource's operations with `configure`. */
export const dynamicProviders = {
    devServer: { configure, ...devServer },
    notebookAutoStop: { configure, ...notebookAutoStop },
    notebook: { configure, ...notebook },
};

/** The field tables, for the SDK and for tests of the contract between them and the provider. */
export { devServerShape } from "./resources/devServer/fields";
export { notebookAutoStopShape } from "./resources/notebookAutoStop/fields";
export { notebookShape } from "./resources/notebook/fields";

/** What a resource's diff plans (the plugin answers Diff with it). */
export type { DiffResult } from "./resources/common";

/** The functions (getDevServerFlavors ...): their declarations and the one call, for the plugin's Invoke. */
export { argumentFailures, FUNCTIONS, invokeFunction } from "./functions";
export type { AnyFunction } from "./functions";
