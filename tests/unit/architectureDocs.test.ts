/**
 * docs/ARCHITECTURE.md against the code: a newcomer reads it first, so a name it gives that the code
 * no longer has, a path that moved, or a field whose replace / update rule it states wrongly is a
 * defect. Checked: every exported-looking identifier in its inline code, every path it names, and
 * the fields of its field-table examples against the tables.
 */
import * as fs from "fs";
import * as path from "path";
import { devServerShape, notebookAutoStopShape } from "../../provider";

const ROOT = path.resolve(__dirname, "..", "..");
const DOC = fs.readFileSync(path.join(ROOT, "docs", "ARCHITECTURE.md"), "utf8");
/** Generated or installed, never part of a checkout's source: the doc may name them, the walk skips them. */
const GENERATED = ["node_modules", "dist", ".git", ".pulumi-cli", "coverage", "docs/api"];

function walk(dir: string, out: { files: string[]; dirs: string[] }): { files: string[]; dirs: string[] } {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (GENERATED.includes(rel)) continue;
        if (entry.isDirectory()) {
            out.dirs.push(rel);
            walk(rel, out);
        } else out.files.push(rel);
    }
    return out;
}
const TREE = walk("", { files: [], dirs: [] });

/** The code of the provider, plugin, SDK (not the generated Python / Go), emulator, scripts and tools, comments removed. */
const SOURCE = TREE.files
    .filter((f) => /^(provider|plugin|emulator|scripts)\/.*\.(ts|cjs)$|^sdk\/[^/]+\.ts$|^tools\/.*\.go$/.test(f))
    .map((f) =>
        fs
            .readFileSync(path.join(ROOT, f), "utf8")
            .replace(/\/\*[\s\S]*?\*\//g, "")
            .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1"),
    )
    .join("\n");

function inCode(name: string): boolean {
    return new RegExp(`(^|[^\\w$])${name.replace(/\$/g, "\\$")}($|[^\\w$])`, "m").test(SOURCE);
}

/** Inline code spans (they may wrap a line), fenced blocks removed; string literals inside them dropped. */
const FENCED = [...DOC.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
const SPANS = [...DOC.replace(/```[\s\S]*?```/g, "").matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/"[^"]*"/g, '""'));

/**
 * The identifiers a text names as code: PascalCase of two words or more (`DevServerInputs`),
 * UPPER_SNAKE_CASE (`CONFIG_SETTINGS`), a called name (`waitForStatus(...)`); and a span that is
 * exactly a camelCase name or path (`checkInputs`, `api.findDevServer`). Plain words (`check`, `TIMING`)
 * are values or too common to tell anything.
 */
function identifiers(text: string, wholeSpan: boolean): string[] {
    const names = [
        ...[...text.matchAll(/\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b/g)].map((m) => m[0]),
        ...[...text.matchAll(/(?<![\w*])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0]),
        ...[...text.matchAll(/(?<![\w.])([a-z][A-Za-z0-9]*)\(/g)].map((m) => m[1]),
    ];
    if (wholeSpan && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\(.*\))?$/s.test(text)) {
        names.push(...text.replace(/\(.*$/s, "").split(".").filter((n) => /^[a-z]+[A-Z]/.test(n)));
    }
    return names;
}

describe("docs/ARCHITECTURE.md matches the code", () => {
    it("every identifier it names in code exists in the source", () => {
        const named = new Set<string>();
        for (const span of SPANS) for (const n of identifiers(span, true)) named.add(n);
        // The diagrams and the example too.
        for (const block of FENCED) for (const n of identifiers(block.text.replace(/"[^"]*"/g, '""'), false)) named.add(n);
        expect(named.size).toBeGreaterThan(40);
        const NOT_OURS = new Set([
            // Pulumi's: the class the SDK's resources extend, the engine's RPCs the plugin serves (as checkConfig, diffConfig).
            "CustomResource",
            "CheckConfig",
            "DiffConfig",
            // Environment variables the proxy-from-env dependency reads for the client (provider/client/agent.ts).
            "HTTPS_PROXY",
            "HTTP_PROXY",
            "NO_PROXY",
        ]);
        expect([...named].filter((n) => !NOT_OURS.has(n) && !inCode(n)).sort()).toEqual([]);
    });

    it("every path it names exists", () => {
        const tokens = new Set(
            [...DOC.matchAll(/(?<![\w@/.:-])[\w.*-]*(?:\/[\w.*{}-]*)+|(?<![\w/.-])[\w-]+\.(?:ts|md|json|mjs|cjs|yaml)\b/g)].map((m) => m[0]),
        );
        // Not paths of this repository: the package's own module name, Pulumi's repository and Go packages, `npm run up/down`.
        const NOT_PATHS = new Set(["pulumi-modelarts/provider", "pulumi/pulumi", "pkg/v3", "pkg/v3/codegen", "up/down"]);
        const checked = [...tokens].filter(
            (t) =>
                /[\w]/.test(t) &&
                !t.startsWith("/") && // an API path (`/v1/{project_id}`, `/_emulator/*`)
                !NOT_PATHS.has(t) &&
                !GENERATED.some((g) => t === `${g}/` || t.startsWith(`${g}/`)),
        );
        expect(checked.length).toBeGreaterThan(40);
        const exists = (token: string): boolean => {
            const dir = token.endsWith("/");
            const pattern = new RegExp(
                `(^|/)${token.replace(/\/$/, "").replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]+")}${dir ? "" : "(\\.ts)?"}$`,
            );
            return (dir ? TREE.dirs : [...TREE.files, ...TREE.dirs]).some((p) => pattern.test(p));
        };
        expect(checked.filter((t) => !exists(t)).sort()).toEqual([]);
    });

    it("the DevServer field-table example states each field's rule as the table has it", () => {
        const example = FENCED.find((b) => b.text.includes("defineResource("));
        expect(example).toBeDefined();
        const lines = example!.text.split("\n");
        let checked = 0;
        lines.forEach((line, i) => {
            const m = /^\s*(\w+): field\(.*\{([^}]*)\}\),/.exec(line);
            if (!m) return;
            const [, name, options] = m;
            const onChange = /onChange: "(\w+)"/.exec(options)?.[1];
            const doc = /\/\*\*(.*)\*\//.exec(lines[i - 1] ?? "")?.[1] ?? "";
            const rule = (devServerShape.replaceOnChange as readonly string[]).includes(name)
                ? "replace"
                : (devServerShape.updateInPlace as readonly string[]).includes(name)
                  ? "update"
                  : "none";
            expect({ name, onChange }).toEqual({ name, onChange: rule });
            if (/\breplaces\b/i.test(doc)) expect({ name, rule }).toEqual({ name, rule: "replace" });
            if (/\bin place\b/i.test(doc)) expect({ name, rule }).toEqual({ name, rule: "update" });
            expect({ name, secret: /secret: true/.test(options) }).toEqual({ name, secret: (devServerShape.secretInputs as readonly string[]).includes(name) });
            expect({ name, internal: /internal: true/.test(options) }).toEqual({
                name,
                internal: (devServerShape.internalInputs as readonly string[]).includes(name),
            });
            checked++;
        });
        expect(checked).toBeGreaterThanOrEqual(4);
    });

    it("the NotebookAutoStop paragraph lists the fields that replace and update as the table does", () => {
        const paragraph = DOC.slice(DOC.indexOf("is NotebookAutoStop's table"));
        const replaceClause = paragraph.slice(0, paragraph.indexOf(" replace ("));
        const updateClause = paragraph.slice(paragraph.indexOf("family);"), paragraph.indexOf(" update;"));
        const names = (clause: string) => [...clause.matchAll(/`(\w+)`/g)].map((m) => m[1]).filter((n) => n !== "TIMING" && n !== "restore");
        const location = ["region", "projectId"]; // "the location"
        expect([...names(replaceClause), ...(replaceClause.includes("the location") ? location : [])].sort()).toEqual(
            [...notebookAutoStopShape.replaceOnChange].sort(),
        );
        expect(names(updateClause).sort()).toEqual([...notebookAutoStopShape.updateInPlace].sort());
    });
});
