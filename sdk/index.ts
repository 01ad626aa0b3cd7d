/**
 * pulumi-modelarts: Huawei Cloud ModelArts development environments as Pulumi resources.
 *
 * ```ts
 * import { DevServer, NotebookAutoStop } from "pulumi-modelarts";
 * ```
 */
export { DevServer, DevServerArgs, Timeouts } from "./devServer";
export { NotebookAutoStop, NotebookAutoStopArgs } from "./notebookAutoStop";
export { devServerShim, notebookAutoStopShim } from "./shims";
