/**
 * THE adapter between the plugin front door and the resources' implementation and metadata.
 *
 * Everything the plugin knows about a resource comes from here: its implementation (the same
 * check / diff / create / read / update / delete the dynamic resources' shims load from
 * `provider/index.ts`) and its metadata (input schema, replace-on-change fields, secret inputs,
 * computed outputs: each from the resource's field table; and where its doc comments are declared,
 * in `sdk/*` and the table's file, read by the schema generator only).
 *
 * Arrows point down only: plugin -> provider/index (the implementations and the field tables);
 * nothing imports plugin/.
 */
import type { z } from "zod";
import * as core from "../provider";
import type { DiffResult } from "../provider";

export type Props = Record<string, unknown>;

/** The operations of one resource, exactly as the dynamic resources' shims call them. */
export interface Implementation {
    check(olds: Props, news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }>;
    diff(id: string, olds: Props, news: Props): Promise<DiffResult>;
    create(inputs: Props): Promise<{ id: string; outs: Props }>;
    read(id: string, props: Props): Promise<{ id?: string; props?: Props; inputs?: Props }>;
    update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
    delete(id: string, props: Props): Promise<void>;
}

/** Where the TypeScript declarations that document a resource live (read by the schema generator only). */
export interface Declarations {
    /** Source file (relative to the repository root) and interface whose members document the inputs. */
    args: { file: string; name: string };
    /** Source file and class whose members and doc comment document the resource and its outputs. */
    resource: { file: string; name: string };
    /** Source file and interface that types every output the implementation returns. */
    outputs: { file: string; name: string };
}

export interface ResourceMeta {
    /** Pulumi type token: `modelarts:index:<Name>`. */
    token: string;
    name: string;
    implementation: Implementation;
    /** The zod schema `check` validates with: every input property and its type. */
    inputSchema: z.ZodObject<any>;
    /** Inputs of the schema that are not part of the plugin's interface (set by the TypeScript SDK only). */
    internalInputs: readonly string[];
    /** Inputs whose change replaces the resource. */
    replaceOnChanges: readonly string[];
    /** Inputs that are always secret. */
    secretInputs: readonly string[];
    /** Outputs the resource reports besides its inputs. */
    computedOutputs: readonly string[];
    /** Inputs that never appear in the outputs (the state keeps digests instead). */
    inputsNotInOutputs: readonly string[];
    declarations: Declarations;
}


/** A resource's metadata, all from its field table except where its doc comments are declared. */
function fromFieldTable(
    name: "DevServer" | "NotebookAutoStop" | "Notebook",
    implementation: unknown,
    shape: typeof core.devServerShape | typeof core.notebookAutoStopShape | typeof core.notebookShape,
    tableFile: string,
    extraInternal: readonly string[] = [],
): ResourceMeta {
    const sdkFile = `sdk/${name[0].toLowerCase()}${name.slice(1)}.ts`;
    return {
        token: `modelarts:index:${name}`,
        name,
        implementation: implementation as Implementation,
        inputSchema: shape.inputSchema as unknown as z.ZodObject<any>,
        internalInputs: [...shape.internalInputs, ...extraInternal],
        replaceOnChanges: shape.replaceOnChange,
        secretInputs: shape.secretInputs,
        computedOutputs: shape.computedOutputs,
        inputsNotInOutputs: (shape.inputNames as readonly string[]).filter((n) => !(shape.stateInputs as readonly string[]).includes(n)),
        declarations: {
            args: { file: sdkFile, name: `${name}Args` },
            resource: { file: sdkFile, name },
            outputs: { file: tableFile, name: `${name}State` },
        },
    };
}

export const RESOURCES: readonly ResourceMeta[] = [
    // count (always 1) is not part of the plugin's interface; importId is internal in the table
    // (the TypeScript SDK's stand-in for the import option: the plugin imports through Read).
    fromFieldTable("DevServer", core.devServer, core.devServerShape, "provider/resources/devServer/fields.ts", ["count"]),
    fromFieldTable("NotebookAutoStop", core.notebookAutoStop, core.notebookAutoStopShape, "provider/resources/notebookAutoStop/fields.ts"),
    fromFieldTable("Notebook", core.notebook, core.notebookShape, "provider/resources/notebook/fields.ts"),
];

/** The input properties users declare (the schema's, less the SDK-internal ones), in schema order. */
export function publicInputs(meta: ResourceMeta): string[] {
    return Object.keys(meta.inputSchema.shape).filter((k) => !meta.internalInputs.includes(k));
}

export function resourceByToken(token: string): ResourceMeta | undefined {
    return RESOURCES.find((r) => r.token === token);
}

/** Hands the provider configuration to the implementation (same entry point as the dynamic resources). */
export const configureImplementation = core.configure;
