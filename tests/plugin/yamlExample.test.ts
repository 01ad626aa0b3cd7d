/**
 * examples/yaml-quickstart, as far as it goes without the Pulumi CLI: the program parses as YAML,
 * names the plugin of this repository, every resource `type:` is a resource of the plugin's
 * schema, every property is an input of it (the required ones present), every `fn::invoke` is a
 * function of it (its arguments inputs, its `return` an output), and the values (the config
 * defaults substituted, the functions' results as preview unknowns) pass the provider's own check.
 */
import * as fs from "fs";
import * as path from "path";
import { resourceByToken } from "../../plugin/resources";
import { REPO_ROOT, UNKNOWN } from "../harness/engine";

const yaml = require("js-yaml");
const EXAMPLE = path.join(REPO_ROOT, "examples", "yaml-quickstart");
const program = yaml.load(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8"));
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "plugin", "schema.json"), "utf8"));

const variables = Object.entries((program.variables ?? {}) as Record<string, { "fn::invoke"?: { function: string; arguments?: Record<string, unknown>; return?: string } }>);

/**
 * `${key}` of a config default -> its value, deeply; a value from a variable (a function's result)
 * -> a preview unknown, as check sees it before the function ran; other interpolations stay as they are.
 */
function substitute(value: unknown, defaults: Record<string, unknown>): unknown {
    if (typeof value === "string") {
        const m = /^\$\{([A-Za-z0-9_]+)\}$/.exec(value);
        if (m && m[1] in defaults) return defaults[m[1]];
        const v = /^\$\{([A-Za-z0-9_]+)[.[]/.exec(value);
        return v && variables.some(([name]) => name === v[1]) ? UNKNOWN : value;
    }
    if (Array.isArray(value)) return value.map((v) => substitute(v, defaults));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, defaults)]));
    return value;
}

describe("examples/yaml-quickstart", () => {
    it("is a YAML program using the plugin of this repository", () => {
        expect(program.runtime).toBe("yaml");
        const provider = program.plugins.providers.find((p: { name: string }) => p.name === "modelarts");
        const bin = path.join(EXAMPLE, provider.path, "pulumi-resource-modelarts");
        expect(fs.existsSync(bin)).toBe(true);
        expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    });

    const resources = Object.entries(program.resources as Record<string, { type: string; properties?: Record<string, unknown> }>);

    it.each(resources)("%s: its type and properties are in the plugin's schema", (_name, r) => {
        const spec = schema.resources[r.type];
        expect({ type: r.type, known: !!spec }).toEqual({ type: r.type, known: true });
        const props = Object.keys(r.properties ?? {});
        for (const p of props) expect({ property: p, input: p in spec.inputProperties }).toEqual({ property: p, input: true });
        for (const req of spec.requiredInputs) expect(props).toContain(req);
    });

    it.each(resources)("%s: its values pass the provider's check", async (_name, r) => {
        const defaults = Object.fromEntries(Object.entries(program.config ?? {}).map(([k, v]: [string, any]) => [k, v.default]));
        const inputs = substitute(r.properties ?? {}, defaults) as Record<string, unknown>;
        const { failures } = await resourceByToken(r.type)!.implementation.check({}, inputs);
        expect(failures).toEqual([]);
    });

    it.each(variables)("variable %s: its fn::invoke is a function of the plugin's schema, arguments and return included", (_name, v) => {
        const invoke = v["fn::invoke"]!;
        expect(invoke).toBeDefined();
        const token = invoke.function.replace(/^modelarts:(?!index:)/, "modelarts:index:");
        const spec = schema.functions[token];
        expect({ function: invoke.function, known: !!spec }).toEqual({ function: invoke.function, known: true });
        for (const a of Object.keys(invoke.arguments ?? {})) expect({ argument: a, input: a in spec.inputs.properties }).toEqual({ argument: a, input: true });
        if (invoke.return !== undefined) expect(Object.keys(spec.outputs.properties)).toContain(invoke.return);
    });

    it("its outputs name outputs of the resources", () => {
        for (const value of Object.values(program.outputs as Record<string, string>)) {
            const m = /^\$\{([^.}]+)\.([^.}]+)\}$/.exec(value)!;
            const r = program.resources[m[1]];
            expect(m[2] === "id" || m[2] in schema.resources[r.type].properties).toBe(true);
        }
    });
});
