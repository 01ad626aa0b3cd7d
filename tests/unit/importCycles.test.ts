/**
 * No import circle in provider/ or emulator/: a circle makes load order decide what a module sees
 * (an `undefined` import at start-up) and hides which layer depends on which. `import type`,
 * `export ... from` and `import("./x")` types count as imports too: a type-only circle is still two
 * modules that cannot be read apart.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const SCANNED = ["provider", "emulator"];

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : tsFiles(full);
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
    });
}

/** The .ts file a relative specifier names (`./x` -> x.ts or x/index.ts), or undefined. */
function resolve(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith(".")) return undefined;
    const base = path.resolve(path.dirname(from), specifier);
    return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
}

/** Relative imports of each file, as a graph of absolute paths. */
function importGraph(files: readonly string[]): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of files) {
        // TypeScript's own scanner: every `import` / `export ... from` / `import("x")`, none in comments or strings.
        const specifiers = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
        const targets = specifiers.map((s) => resolve(file, s)).filter((t): t is string => t !== undefined);
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** Each circle once, as the path that closes it (a -> b -> a), found by depth-first search. */
function circles(graph: Map<string, string[]>): string[][] {
    const found: string[][] = [];
    const seen = new Set<string>();
    const keys = new Set<string>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const visit = (node: string) => {
        seen.add(node);
        stack.push(node);
        onStack.add(node);
        for (const next of graph.get(node) ?? []) {
            if (onStack.has(next)) {
                const loop = stack.slice(stack.indexOf(next));
                const key = [...loop].sort().join("|");
                if (!keys.has(key)) {
                    keys.add(key);
                    found.push([...loop, next]);
                }
            } else if (!seen.has(next)) {
                visit(next);
            }
        }
        stack.pop();
        onStack.delete(node);
    };
    for (const node of graph.keys()) if (!seen.has(node)) visit(node);
    return found;
}

const rel = (f: string) => path.relative(ROOT, f);

describe("import circles", () => {
    it.each(SCANNED)("%s/ has none (import type and import() types included)", (dir) => {
        const graph = importGraph(tsFiles(path.join(ROOT, dir)));
        expect(circles(graph).map((loop) => loop.map(rel).join(" -> "))).toEqual([]);
    });

    it("finds a type-only circle and an import() type circle (the check can fail)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cycles-"));
        try {
            fs.writeFileSync(path.join(dir, "a.ts"), 'import type { B } from "./b";\nexport type A = B;\n');
            fs.writeFileSync(path.join(dir, "b.ts"), 'export type B = import("./a").A | string;\n');
            fs.writeFileSync(path.join(dir, "c.ts"), '// import { A } from "./a"\nexport * from "./a";\n');
            const found = circles(importGraph(tsFiles(dir)));
            expect(found.map((loop) => loop.map((f) => path.basename(f)))).toEqual([["a.ts", "b.ts", "a.ts"]]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
