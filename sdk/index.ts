/**
 * pulumi-modelarts: Huawei Cloud ModelArts development environments as Pulumi resources.
 *
 * ```ts
 * import { DevServer, NotebookAutoStop } from "pulumi-modelarts";
 * ```
 */
export { DevServer } from "./devServer";
export type { DevServerArgs, Timeouts } from "./devServer";
export { NotebookAutoStop } from "./notebookAutoStop";
export type { NotebookAutoStopArgs } from "./notebookAutoStop";
export { devServerShim, notebookAutoStopShim } from "./shims";
