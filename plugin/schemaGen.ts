/**
 * Generates the plugin's Pulumi package schema (plugin/schema.json) from the resources' metadata,
 * as plugin/resources.ts exposes it; nothing in the schema is written by hand:
 *
 * - input properties, their types, nested object types and required inputs: the zod input schema
 *   `check` validates with (through `z.toJSONSchema`), less the SDK-internal inputs;
 * - secret inputs, replace-on-change fields and computed outputs: the lists of the adapter;
 * - output types: the TypeScript type of what the implementation returns (`DevServerState`,
 *   `NotebookAutoStopState`, declared by the field tables), read with the TypeScript compiler;
 * - descriptions: the doc comments of the TypeScript SDK's classes and Args interfaces (the ones
 *   users of the dynamic resources read), then of the outputs interface;
 * - configuration keys: the settings table (provider/config.ts `CONFIG_SETTINGS`, as plugin/config.ts lists it).
 * - functions: each function's one declaration (provider/functions: zod arguments and result, with
 *   their descriptions), through plugin/functions.ts.
 *
 * `npm run gen:schema` rewrites plugin/schema.json; tests/plugin/schema.test.ts fails when the
 * committed file differs from what this generates. Development only: it needs `typescript`, so the
 * package does not ship it (tsconfig.build.json excludes it); the plugin serves the committed file.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { z } from "zod";
import { CONFIG_KEYS, PACKAGE } from "./config";
import { publicInputs, ResourceMeta, RESOURCES } from "./resources";
import { FunctionMeta, FUNCTION_METAS } from "./functions";

type Json = Record<string, any>;

/** The repository root: the nearest folder above this file with this package's package.json. */
export function repoRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "pulumi-modelarts") return dir;
        if (path.dirname(dir) === dir) throw new Error("schemaGen: cannot find the pulumi-modelarts repository root");
    }
}

export const SCHEMA_FILE = "plugin/schema.json";

const ANY = { $ref: "pulumi.json#/Any" };
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/**
 * A named type's token. A type named like a resource (Notebook's `autoStop` input would be
 * `NotebookAutoStop`, the resource) takes the suffix `Settings`: the generated SDKs give types and
 * resources one namespace (Go structs, Python `...Args` classes).
 */
const typeToken = (name: string) => {
    const token = `${PACKAGE}:index:${name}`;
    return RESOURCES.some((r) => r.token === token) ? `${token}Settings` : token;
};

class Generator {
    readonly types: Record<string, Json> = {};
    private readonly checker: ts.TypeChecker;
    private readonly files = new Map<string, ts.SourceFile>();

    constructor(private readonly root: string) {
        const files = [...new Set(RESOURCES.flatMap((r) => Object.values(r.declarations).map((d) => path.join(root, d.file))))];
        const program = ts.createProgram(files, {
            strict: true,
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true,
            skipLibCheck: true,
            noEmit: true,
            types: ["node"],
        });
        this.checker = program.getTypeChecker();
        for (const f of files) {
            const sf = program.getSourceFile(f);
            if (!sf) throw new Error(`schemaGen: cannot read ${f}`);
            this.files.set(f, sf);
        }
    }

    /** The symbol of an interface, class or type alias declared at top level of a file. */
    private declared(d: { file: string; name: string }): ts.Symbol {
        const sf = this.files.get(path.join(this.root, d.file))!;
        for (const st of sf.statements) {
            if ((ts.isInterfaceDeclaration(st) || ts.isClassDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name?.text === d.name) {
                const sym = this.checker.getSymbolAtLocation(st.name);
                if (sym) return sym;
            }
        }
        throw new Error(`schemaGen: ${d.name} is not declared in ${d.file} (plugin/resources.ts names it)`);
    }

    private doc(sym: ts.Symbol | undefined): string {
        if (!sym) return "";
        return ts.displayPartsToString(sym.getDocumentationComment(this.checker)).trim();
    }

    /** Member docs of an interface or class, by name. */
    private memberDocs(d: { file: string; name: string }): Map<string, string> {
        const sym = this.declared(d);
        const docs = new Map<string, string>();
        for (const m of this.checker.getDeclaredTypeOfSymbol(sym).getProperties()) {
            const text = this.doc(m);
            if (text) docs.set(m.name, text);
        }
        return docs;
    }

    /** A zod-generated JSON Schema node as a Pulumi type spec; objects become named types. */
    fromJsonSchema(node: Json, hint: string): Json {
        if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) {
            const options = (node.anyOf ?? node.oneOf) as Json[];
            return { oneOf: options.map((o, i) => this.fromJsonSchema(o, `${hint}${i}`)) };
        }
        if (Array.isArray(node.type)) return { oneOf: node.type.map((t: string) => this.fromJsonSchema({ type: t }, hint)) };
        if (Array.isArray(node.enum)) return { type: "string" };
        switch (node.type) {
            case "string":
            case "integer":
            case "number":
            case "boolean":
                return { type: node.type };
            case "array":
                return { type: "array", items: node.items ? this.fromJsonSchema(node.items, `${hint}Item`) : ANY };
            case "object": {
                if (!node.properties) return { type: "object", additionalProperties: ANY };
                const properties: Json = {};
                for (const [k, v] of Object.entries(node.properties as Record<string, Json>)) {
                    properties[k] = { ...this.fromJsonSchema(v, hint + pascal(k)), ...describeConstraints(v) };
                }
                this.types[typeToken(hint)] = {
                    type: "object",
                    properties,
                    ...(node.required?.length ? { required: node.required } : {}),
                };
                return { $ref: `#/types/${typeToken(hint)}` };
            }
            default:
                if (typeof node.const === "number") return { type: Number.isInteger(node.const) ? "integer" : "number" };
                if (typeof node.const === "string") return { type: "string" };
                return ANY;
        }
    }

    /** A TypeScript type (of the outputs interface) as a Pulumi type spec; object literals become named types. */
    private fromTsType(type: ts.Type, hint: string): Json {
        const c = this.checker;
        let parts = type.isUnion() ? type.types : [type];
        parts = parts.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
        if (parts.length === 0) return ANY;
        const all = (flags: ts.TypeFlags) => parts.every((t) => t.flags & flags);
        if (all(ts.TypeFlags.StringLike)) return { type: "string" };
        if (all(ts.TypeFlags.BooleanLike)) return { type: "boolean" };
        if (all(ts.TypeFlags.NumberLike)) return { type: "number" };
        if (parts.length > 1) return { oneOf: parts.map((p, i) => this.fromTsType(p, `${hint}${i}`)) };
        const t = parts[0];
        if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return ANY;
        if (c.isArrayType(t)) {
            const [item] = c.getTypeArguments(t as ts.TypeReference);
            return { type: "array", items: item ? this.fromTsType(item, `${hint}Item`) : ANY };
        }
        if (t.flags & ts.TypeFlags.Object) {
            const props = t.getProperties();
            const index = c.getIndexInfoOfType(t, ts.IndexKind.String);
            if (props.length === 0) return { type: "object", additionalProperties: index ? this.fromTsType(index.type, `${hint}Value`) : ANY };
            const properties: Json = {};
            const required: string[] = [];
            for (const p of props) {
                const description = this.doc(p);
                properties[p.name] = { ...this.fromTsType(c.getTypeOfSymbol(p), hint + pascal(p.name)), ...(description ? { description } : {}) };
                if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.name);
            }
            this.types[typeToken(hint)] = { type: "object", properties, ...(required.length ? { required } : {}) };
            return { $ref: `#/types/${typeToken(hint)}` };
        }
        return ANY;
    }

    resource(meta: ResourceMeta): Json {
        const argsDocs = this.memberDocs(meta.declarations.args);
        const classDocs = this.memberDocs(meta.declarations.resource);
        const outputDocs = this.memberDocs(meta.declarations.outputs);
        const jsonSchema = z.toJSONSchema(meta.inputSchema, { io: "input", unrepresentable: "any" }) as Json;
        const inputs = publicInputs(meta);
        const requiredInputs = ((jsonSchema.required ?? []) as string[]).filter((k) => inputs.includes(k));

        const inputProperties: Json = {};
        for (const name of inputs) {
            const node = jsonSchema.properties[name] as Json;
            const description = argsDocs.get(name) ?? outputDocs.get(name) ?? "";
            inputProperties[name] = {
                ...this.fromJsonSchema(node, meta.name + pascal(name)),
                ...describeConstraints(node, description),
                ...(meta.secretInputs.includes(name) ? { secret: true } : {}),
                ...(meta.replaceOnChanges.includes(name) ? { replaceOnChanges: true } : {}),
            };
        }

        // Outputs: every member of the outputs interface that is a public input or a computed output.
        const outputsType = this.checker.getDeclaredTypeOfSymbol(this.declared(meta.declarations.outputs));
        const members = new Map(outputsType.getProperties().map((p) => [p.name, p]));
        const properties: Json = {};
        const required: string[] = [];
        const outputNames = [...inputs.filter((k) => !meta.inputsNotInOutputs.includes(k)), ...meta.computedOutputs.filter((k) => !inputs.includes(k))];
        for (const name of outputNames) {
            const member = members.get(name);
            if (!member) throw new Error(`schemaGen: ${meta.name} output ${name} is not a member of ${meta.declarations.outputs.name}`);
            const description = classDocs.get(name) ?? outputDocs.get(name) ?? argsDocs.get(name) ?? "";
            const spec = name in inputProperties
                ? Object.fromEntries(Object.entries(inputProperties[name]).filter(([k]) => k !== "secret"))
                : { ...this.fromTsType(this.checker.getTypeOfSymbol(member), meta.name + pascal(name)), ...(description ? { description } : {}) };
            properties[name] = { ...spec, ...(description ? { description: spec.description ?? description } : {}) };
            // Always present: non-optional in the outputs interface and not a declared input (which an
            // import by id may not be able to read back).
            if (!(member.flags & ts.SymbolFlags.Optional) && !inputs.includes(name)) required.push(name);
        }
        for (const name of ["region", "projectId"]) if (name in properties && !required.includes(name)) required.push(name);

        const description = this.doc(this.declared(meta.declarations.resource));
        return {
            ...(description ? { description } : {}),
            properties,
            required,
            inputProperties,
            requiredInputs,
        };
    }

    /** A function's inputs and outputs, from its declaration's zod schemas (descriptions included). */
    function(meta: FunctionMeta): Json {
        const typeName = pascal(meta.fn.name);
        const side = (schema: z.ZodType, io: "input" | "output"): Json => {
            const node = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
            const properties: Json = {};
            for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Json>)) {
                // A list property's items are named after it, singular: getDevServerFlavors' `flavors` -> GetDevServerFlavorsFlavor.
                const spec = v.type === "array" && v.items
                    ? { type: "array", items: this.fromJsonSchema(v.items, typeName + pascal(k.replace(/s$/, ""))) }
                    : this.fromJsonSchema(v, typeName + pascal(k));
                properties[k] = { ...spec, ...describeConstraints(v) };
            }
            return { properties, ...(node.required?.length ? { required: node.required } : {}) };
        };
        return {
            description: meta.fn.description,
            inputs: side(meta.fn.argsObject, "input"),
            outputs: side(meta.fn.result, "output"),
        };
    }
}

/** The description (default: the node's own), plus the allowed values of an enum when the description does not list them. */
function describeConstraints(node: Json, description: string = node.description ?? ""): Json {
    let text = description;
    if (Array.isArray(node.enum)) {
        const values = node.enum.map((v: unknown) => `\`${String(v)}\``);
        if (!node.enum.every((v: unknown) => text.includes(String(v)))) text = `${text}${text ? " " : ""}One of ${values.join(", ")}.`;
    }
    return text ? { description: text } : {};
}

export function generateSchema(root: string = repoRoot()): Json {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; license: string };
    const gen = new Generator(root);
    const resources: Json = {};
    for (const meta of RESOURCES) resources[meta.token] = gen.resource(meta);
    const functions: Json = {};
    for (const meta of FUNCTION_METAS) functions[meta.token] = gen.function(meta);
    const variables: Json = {};
    for (const key of CONFIG_KEYS) {
        const env = key.env.length ? ` Environment: ${key.env.map((e) => `\`${e}\``).join(", ")}.` : "";
        variables[key.name] = { type: key.type, description: `${key.description}${env}`, ...(key.secret ? { secret: true } : {}) };
    }
    const types: Json = {};
    for (const token of Object.keys(gen.types).sort()) types[token] = gen.types[token];
    return {
        name: PACKAGE,
        displayName: "Huawei Cloud ModelArts",
        version: pkg.version,
        description:
            "Huawei Cloud ModelArts development environments: DevServer (a GPU/NPU development machine with a declared power state) " +
            "and NotebookAutoStop (the auto-stop policy of a notebook).",
        keywords: ["pulumi", "huaweicloud", "modelarts", "category/cloud"],
        license: pkg.license,
        config: { variables },
        provider: {
            description: "The modelarts provider. Every value may also come from the environment (HW_*), as for the dynamic resources.",
            inputProperties: variables,
        },
        types,
        resources,
        functions,
        language: {
            python: { packageName: "pulumi_modelarts" },
            // sdk/go.mod declares this module (`npm run gen:sdks` writes sdk/go and sdk/python).
            go: { importBasePath: `${GO_MODULE}/go/modelarts` },
        },
    };
}

/** The Go module of the generated Go SDK (sdk/go.mod). */
export const GO_MODULE = "github.com/pulumi-modelarts/pulumi-modelarts/sdk";

export function schemaFileText(root: string = repoRoot()): string {
    return JSON.stringify(generateSchema(root), null, 2) + "\n";
}

if (require.main === module) {
    const root = repoRoot();
    const file = path.join(root, SCHEMA_FILE);
    const text = schemaFileText(root);
    if (process.argv.includes("--check")) {
        const same = fs.existsSync(file) && fs.readFileSync(file, "utf8") === text;
        if (!same) {
            process.stderr.write(`${SCHEMA_FILE} is not what the resources' metadata generates: run \`npm run gen:schema\` and commit it\n`);
            process.exit(1);
        }
    } else {
        fs.writeFileSync(file, text);
        process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
    }
}
