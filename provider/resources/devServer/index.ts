/** The DevServer resource: its field table and its operations. */
export * from "./fields";
export { check, diff, create, read, update, remove } from "./operations";
export type { Deps } from "./operations";
export type { DiffResult } from "../common";
