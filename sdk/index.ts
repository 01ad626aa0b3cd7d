/**
 * pulumi-modelarts: Huawei Cloud ModelArts development environments as Pulumi resources.
 *
 * ```ts
 * import { DevServer, Notebook, NotebookAutoStop } from "pulumi-modelarts";
 * ```
 */
export { DevServer } from "./devServer";
export type { DevServerArgs, Timeouts } from "./devServer";
export type { DevServerEndpoint, DevServerVolume } from "../provider/resources/devServer/fields";
export type { DeepInput, InputArgs, OutputProperties } from "./types";
export { NotebookAutoStop } from "./notebookAutoStop";
export type { NotebookAutoStopArgs } from "./notebookAutoStop";
export type { AutoStopPolicy } from "../provider/resources/notebookAutoStop/fields";
export { Notebook } from "./notebook";
export type { NotebookArgs } from "./notebook";
export type { NotebookAutoStopSetting, NotebookDataVolume, NotebookSsh, NotebookStorageMount, NotebookVolume } from "../provider/resources/notebook/fields";
export { devServerShim, notebookAutoStopShim, notebookShim } from "./shims";
export {
    getDevServerFlavors,
    getDevServerFlavorsOutput,
    getDevServerImages,
    getDevServerImagesOutput,
    getNotebookFlavors,
    getNotebookFlavorsOutput,
    getNotebookImages,
    getNotebookImagesOutput,
    getNotebooks,
    getNotebooksOutput,
    getNotebook,
    getNotebookOutput,
} from "./functions";
export type {
    DevServerFlavor,
    DevServerImage,
    NotebookFlavor,
    NotebookImage,
    GetDevServerFlavorsArgs,
    GetDevServerFlavorsResult,
    GetDevServerImagesArgs,
    GetDevServerImagesResult,
    GetNotebookFlavorsArgs,
    GetNotebookFlavorsResult,
    GetNotebookImagesArgs,
    GetNotebookImagesResult,
    GetNotebooksArgs,
    GetNotebooksResult,
    GetNotebookArgs,
    GetNotebookResult,
} from "./functions";
