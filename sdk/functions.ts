/**
 * The functions: what a DevServer or a notebook can be declared with, and the notebooks a
 * NotebookAutoStop can guard. Each has a promise form (`getX(args)`) and an output form
 * (`getXOutput(args)`, whose arguments may be Outputs), as Pulumi's providers have.
 *
 * They run in the program's own process (not through a provider): configuration as the resources
 * take it (the argument `region` / `projectId`, then the stack's `huaweicloud:*` config, then the
 * `HW_*` environment), the same errors (ModelArtsError and its kinds), every page read. `opts` is
 * accepted for the familiar signature; no provider is involved, so nothing in it applies.
 *
 * ```ts
 * const { flavors } = await getDevServerFlavors({ serverType: "ECS", arch: "X86", flavorType: "GPU" });
 * ```
 */
import * as pulumi from "@pulumi/pulumi";
import * as fns from "../provider/functions";
import type { AnyFunction, FunctionArgs, FunctionResult } from "../provider/functions";
import type { InputArgs } from "./types";

/** The stack configuration of the running program, read as the dynamic provider's configure hands it over. */
const programConfig = { get: (key: string): string | undefined => pulumi.runtime.getConfig(key) };

function call<F extends AnyFunction>(fn: F, args: FunctionArgs<F> | undefined): Promise<FunctionResult<F>> {
    return fns.invokeFunction(fn, args ?? {}, programConfig);
}

function output<F extends AnyFunction>(fn: F, args: InputArgs<FunctionArgs<F>> | undefined): pulumi.Output<FunctionResult<F>> {
    return pulumi.output(args ?? {}).apply((plain) => call(fn, plain as FunctionArgs<F>)) as pulumi.Output<FunctionResult<F>>;
}

export type GetDevServerFlavorsArgs = FunctionArgs<typeof fns.getDevServerFlavors>;
export type GetDevServerFlavorsResult = FunctionResult<typeof fns.getDevServerFlavors>;
export type DevServerFlavor = GetDevServerFlavorsResult["flavors"][number];
export type GetDevServerImagesArgs = FunctionArgs<typeof fns.getDevServerImages>;
export type GetDevServerImagesResult = FunctionResult<typeof fns.getDevServerImages>;
export type DevServerImage = GetDevServerImagesResult["images"][number];
export type GetNotebookFlavorsArgs = FunctionArgs<typeof fns.getNotebookFlavors>;
export type GetNotebookFlavorsResult = FunctionResult<typeof fns.getNotebookFlavors>;
export type NotebookFlavor = GetNotebookFlavorsResult["flavors"][number];
export type GetNotebookImagesArgs = FunctionArgs<typeof fns.getNotebookImages>;
export type GetNotebookImagesResult = FunctionResult<typeof fns.getNotebookImages>;
export type NotebookImage = GetNotebookImagesResult["images"][number];
export type GetNotebooksArgs = FunctionArgs<typeof fns.getNotebooks>;
export type GetNotebooksResult = FunctionResult<typeof fns.getNotebooks>;
export type GetNotebookArgs = FunctionArgs<typeof fns.getNotebook>;
export type GetNotebookResult = FunctionResult<typeof fns.getNotebook>;

/**
 * The flavors a DevServer can be created with, filtered by `serverType`, `arch`, `chargingMode` and
 * `flavorType` (the computing card type, e.g. `GPU` or `NPU`); sold-out ones only with
 * `includeSoldOut`. A flavor's `flavor` is what `resourceFlavor` takes.
 */
export function getDevServerFlavors(args?: GetDevServerFlavorsArgs, _opts?: pulumi.InvokeOptions): Promise<GetDevServerFlavorsResult> {
    return call(fns.getDevServerFlavors, args);
}

/** {@link getDevServerFlavors} with arguments that may be Outputs. */
export function getDevServerFlavorsOutput(args?: InputArgs<GetDevServerFlavorsArgs>, _opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDevServerFlavorsResult> {
    return output(fns.getDevServerFlavors, args);
}

/**
 * The images a DevServer can be created with, filtered by `serverType`, `flavorName` (images that
 * run on that flavor), `arch` and exact `name`; inactive ones only with `includeInactive`. An
 * image's `id` is what `imageId` takes.
 */
export function getDevServerImages(args?: GetDevServerImagesArgs, _opts?: pulumi.InvokeOptions): Promise<GetDevServerImagesResult> {
    return call(fns.getDevServerImages, args);
}

/** {@link getDevServerImages} with arguments that may be Outputs. */
export function getDevServerImagesOutput(args?: InputArgs<GetDevServerImagesArgs>, _opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDevServerImagesResult> {
    return output(fns.getDevServerImages, args);
}

/** The flavors a notebook can be created with, filtered by `category`, `type`, `flavorType`, `arch` and `cardType`. */
export function getNotebookFlavors(args?: GetNotebookFlavorsArgs, _opts?: pulumi.InvokeOptions): Promise<GetNotebookFlavorsResult> {
    return call(fns.getNotebookFlavors, args);
}

/** {@link getNotebookFlavors} with arguments that may be Outputs. */
export function getNotebookFlavorsOutput(args?: InputArgs<GetNotebookFlavorsArgs>, _opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetNotebookFlavorsResult> {
    return output(fns.getNotebookFlavors, args);
}

/** The images a notebook can be created with, filtered by `type`, `name`, `namespace`, `workspaceId`, `serviceType`, `arch` and `resourceCategory`. */
export function getNotebookImages(args?: GetNotebookImagesArgs, _opts?: pulumi.InvokeOptions): Promise<GetNotebookImagesResult> {
    return call(fns.getNotebookImages, args);
}

/** {@link getNotebookImages} with arguments that may be Outputs. */
export function getNotebookImagesOutput(args?: InputArgs<GetNotebookImagesArgs>, _opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetNotebookImagesResult> {
    return output(fns.getNotebookImages, args);
}

/** The notebook instances of both API families, each with its id, status, family and auto-stop policy. */
export function getNotebooks(args?: GetNotebooksArgs, _opts?: pulumi.InvokeOptions): Promise<GetNotebooksResult> {
    return call(fns.getNotebooks, args);
}

/** {@link getNotebooks} with arguments that may be Outputs. */
export function getNotebooksOutput(args?: InputArgs<GetNotebooksArgs>, _opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetNotebooksResult> {
    return output(fns.getNotebooks, args);
}

/**
 * One notebook instance by its exact `name` (or `id`), in either API family: its id (a
 * NotebookAutoStop's `instanceId`), status, family (its `api`) and current auto-stop policy.
 * Fails when no instance, or more than one, has that name.
 */
export function getNotebook(args: GetNotebookArgs, _opts?: pulumi.InvokeOptions): Promise<GetNotebookResult> {
    return call(fns.getNotebook, args);
}

/** {@link getNotebook} with arguments that may be Outputs. */
export function getNotebookOutput(args: InputArgs<GetNotebookArgs>, _opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetNotebookResult> {
    return output(fns.getNotebook, args);
}
