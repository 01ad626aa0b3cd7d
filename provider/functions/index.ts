/**
 * The functions (Pulumi's invokes, Terraform's data sources): what can be declared, and the
 * notebooks a NotebookAutoStop can guard. Each is declared once (./define.ts); the SDK's
 * `getX` / `getXOutput` and the plugin's Invoke both run `invokeFunction` on these.
 */
import { getDevServerFlavors, getDevServerImages } from "./devServerCatalog";
import { getNotebookFlavors, getNotebookImages } from "./notebookCatalog";
import { getNotebook, getNotebooks } from "./notebooks";
import type { AnyFunction } from "./define";

export { getDevServerFlavors, getDevServerImages, getNotebookFlavors, getNotebookImages, getNotebooks, getNotebook };
export { argumentFailures, invokeFunction, parseFunctionArgs } from "./define";
export type { AnyFunction, ArgumentFailure, FunctionArgs, FunctionResult, FunctionShape } from "./define";

/** Every function, in the order the schema lists them. */
export const FUNCTIONS: readonly AnyFunction[] = [getDevServerFlavors, getDevServerImages, getNotebookFlavors, getNotebookImages, getNotebooks, getNotebook];

export function functionNamed(name: string): AnyFunction | undefined {
    return FUNCTIONS.find((f) => f.name === name);
}
