/**
 * The package as users get it: `npm pack` on a copy of the working tree (as on a clean clone; the
 * copy also keeps the `prepack` rebuild away from the dist/ other test files are using), then the
 * tarball installed into an empty TypeScript project with `npm install --offline` (from the npm
 * cache that `npm ci` filled), a program constructing DevServer and NotebookAutoStop type-checked
 * against the shipped declarations and run under Pulumi's mock monitor.
 *
 * Everything happens in one temporary directory, removed at the end. Without the packages in the
 * npm cache the install cannot work offline: the test then fails and says so (it never skips).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");
const NPM_CLI = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;

/** Runs npm (the npm that runs `npm test` when known) and returns its output; throws with the output on failure. */
function npm(args: string[], cwd: string): string {
    const [cmd, argv] = NPM_CLI ? [process.execPath, [NPM_CLI, ...args]] : ["npm", args];
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
    // Not inherited from `npm test`: they would redirect or reconfigure the nested npm.
    for (const k of Object.keys(env)) if (/^npm_(package|lifecycle|config_(prefix|global|local_prefix))/i.test(k)) delete env[k];
    const r = spawnSync(cmd, argv, { cwd, env, encoding: "utf8", timeout: 120_000, shell: !NPM_CLI && process.platform === "win32" });
    if (r.status !== 0) {
        throw new Error(`npm ${args.join(" ")} failed (exit ${r.status ?? r.signal}) in ${cwd}:\n${r.stdout}\n${r.stderr}`);
    }
    return r.stdout;
}

function installedVersion(name: string): string {
    return JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", name, "package.json"), "utf8")).version;
}

/** The working tree as a clean clone would have it (tracked + new, not ignored files), plus node_modules for the build. */
function copyWorkingTree(dest: string): void {
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" })
        .split("\0")
        .filter((f) => f && fs.existsSync(path.join(REPO, f)));
    for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
        fs.copyFileSync(path.join(REPO, f), path.join(dest, f));
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dest, "node_modules"), "junction");
}

type LockEntry = Record<string, unknown> & { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; link?: boolean };

/**
 * A lockfile for the temporary project, cut from this repository's lockfile: the tarball, and the
 * exact versions and places this repository installed for everything it needs. So `npm ci --offline`
 * needs only the tarballs `npm ci` put in the cache (npm does not cache the registry's package
 * documents that a lockfile-less `npm install --offline` would need to resolve versions).
 */
function appLockfile(
    manifest: { name: string; version: string; dependencies: Record<string, string> },
    tarball: { version: string; integrity: string; resolved: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; bin?: Record<string, string> },
): unknown {
    const repoPackages: Record<string, LockEntry> = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")).packages;
    /** Where Node would find `name` from the package at `from` ("" = the root), as laid out in the repository. */
    const resolve = (name: string, from: string): string => {
        for (let base = from; ; ) {
            const candidate = `${base ? base + "/" : ""}node_modules/${name}`;
            if (repoPackages[candidate] && !repoPackages[candidate].link) return candidate;
            if (!base) throw new Error(`the repository's package-lock.json has no ${name} (needed from ${from || "the root"})`);
            const i = base.lastIndexOf("/node_modules/");
            base = i < 0 ? "" : base.slice(0, i);
        }
    };
    const packages: Record<string, unknown> = {
        "": { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies },
        "node_modules/pulumi-modelarts": {
            version: tarball.version,
            resolved: tarball.resolved,
            integrity: tarball.integrity,
            dependencies: tarball.dependencies,
            peerDependencies: tarball.peerDependencies,
            // npm ci links executables from the lockfile's entry.
            bin: tarball.bin,
        },
    };
    const queue = [
        ...Object.keys(tarball.dependencies ?? {}),
        ...Object.keys(manifest.dependencies).filter((n) => n !== "pulumi-modelarts"),
    ].map((n) => resolve(n, ""));
    while (queue.length) {
        const at = queue.pop()!;
        if (packages[at]) continue;
        const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repoPackages[at];
        packages[at] = entry;
        const optional = entry.optionalDependencies ?? {};
        for (const dep of Object.keys({ ...entry.dependencies, ...optional })) {
            try {
                queue.push(resolve(dep, at));
            } catch (e) {
                if (!(dep in optional)) throw e; // optional and not installed here (another platform's binary)
            }
        }
    }
    return { name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages };
}

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DevServer, Notebook, NotebookAutoStop, DevServerArgs, NotebookArgs } from "pulumi-modelarts";

const args: DevServerArgs = {
    name: "pack-test-box",
    flavor: "Si2.large.4",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: "pack-test-key",
    powerState: "STOPPED",
};
const box = new DevServer("box", args);
const guard = new NotebookAutoStop("guard", { instanceId: "nb-0001", enabled: true, duration: 3 * 3600 });
const nbArgs: NotebookArgs = { name: "pack-nb", flavor: "modelarts.vm.cpu.2u", imageId: "e1a07296-22a8-4f05-8bc8-e936c8e54090", autoStop: { enabled: false } };
const nb = new Notebook("nb", nbArgs);
export const nbUrl: pulumi.Output<string | undefined> = nb.url;
export const status: pulumi.Output<string | undefined> = box.status;
export const guardId: pulumi.Output<string> = guard.id;
`;

const RUNNER = `const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks({
    newResource: (a) => { registered.push({ type: a.type, name: a.name, inputs: a.inputs }); return { id: a.name + "-id", state: a.inputs }; },
    call: () => ({}),
}, "pack-test", "dev", false);
require("./out/index.js");
setTimeout(() => { process.stdout.write(JSON.stringify(registered)); }, 500);
`;

describe("npm pack", () => {
    let tmp: string;
    beforeAll(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-pack-"));
    });
    afterAll(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("packs a built tarball that installs offline into an empty TypeScript project, type-checks and runs", () => {
        // 1. Pack a clean copy: prepack must build dist/ itself.
        const src = path.join(tmp, "src");
        const out = path.join(tmp, "out");
        fs.mkdirSync(out, { recursive: true });
        copyWorkingTree(src);
        expect(fs.existsSync(path.join(src, "dist"))).toBe(false);
        const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", out], src));
        const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
        const tarball = path.join(out, packed[0].filename);

        expect(files).toEqual(expect.arrayContaining([
            "package.json", "README.md", "LICENSE", "CHANGELOG.md",
            "dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/provider/index.js", "dist/emulator/index.js", "dist/emulator/cli.js",
            "bin/pulumi-resource-modelarts", "dist/plugin/main.js", "dist/plugin/schema.json",
        ]));
        // The schema generator is development-only (it needs the TypeScript compiler).
        expect(files.filter((f) => f.startsWith("dist/plugin/schemaGen"))).toEqual([]);
        // No source maps and nothing under the TypeScript sources' folders or tests.
        expect(files.filter((f) => f.endsWith(".map") || /^(provider|sdk|emulator|tests|examples|scripts)\//.test(f))).toEqual([]);
        const license = fs.readFileSync(path.join(src, "LICENSE"), "utf8");
        expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
        expect(license).toMatch(/END OF TERMS AND CONDITIONS/);
        // No emitted file names a source map.
        const withMapUrl = files.filter((f) => f.endsWith(".js") && /sourceMappingURL/.test(fs.readFileSync(path.join(src, f), "utf8")));
        expect(withMapUrl).toEqual([]);
        const pkg = JSON.parse(fs.readFileSync(path.join(src, "package.json"), "utf8"));
        expect(pkg.peerDependencies["@pulumi/pulumi"]).toBeDefined();
        expect(pkg.dependencies["@pulumi/pulumi"]).toBeUndefined();

        // 2. An empty TypeScript project; everything from the npm cache, nothing from the network.
        const app = path.join(tmp, "app");
        fs.mkdirSync(app);
        const tarballSpec = `file:${path.relative(app, tarball).split(path.sep).join("/")}`;
        const dependencies: Record<string, string> = {
            "pulumi-modelarts": tarballSpec,
            "@pulumi/pulumi": installedVersion("@pulumi/pulumi"),
            typescript: installedVersion("typescript"),
            "@types/node": installedVersion("@types/node"),
        };
        const manifest = { name: "pack-test-app", version: "1.0.0", private: true, dependencies };
        fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(manifest, null, 2));
        fs.writeFileSync(
            path.join(app, "package-lock.json"),
            JSON.stringify(appLockfile(manifest, { ...pkg, integrity: packed[0].integrity, resolved: tarballSpec }), null, 2),
        );
        try {
            npm(["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
        } catch (e) {
            const message = (e as Error).message;
            const why = /ENOTCACHED/.test(message)
                ? "the npm cache does not hold every package it needs (run `npm ci` in the repository first, with access to the registry, so that the cache is filled)"
                : "npm refused the install";
            throw new Error(`could not install the packed tarball offline: ${why}.\n${message}`);
        }

        // 3. Type-check against the shipped declarations, then run under the mock monitor.
        fs.writeFileSync(path.join(app, "index.ts"), PROGRAM);
        fs.writeFileSync(
            path.join(app, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", esModuleInterop: true, types: ["node"], outDir: "out" },
                files: ["index.ts"],
            }),
        );
        const tsc = spawnSync(process.execPath, [path.join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "."], { cwd: app, encoding: "utf8" });
        expect({ status: tsc.status, out: tsc.stdout + tsc.stderr }).toEqual({ status: 0, out: "" });

        fs.writeFileSync(path.join(app, "run.js"), RUNNER);
        const run = spawnSync(process.execPath, ["run.js"], { cwd: app, encoding: "utf8", timeout: 60_000 });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
        const registered = JSON.parse(run.stdout) as Array<{ type: string; name: string; inputs: Record<string, unknown> }>;
        const byName = Object.fromEntries(registered.map((r) => [r.name, r]));
        expect(byName.box?.type).toBe("pulumi-nodejs:dynamic/modelarts:DevServer");
        expect(byName.box?.inputs.powerState).toBe("STOPPED");
        expect(byName.guard?.type).toBe("pulumi-nodejs:dynamic/modelarts:NotebookAutoStop");
        expect(byName.guard?.inputs.duration).toBe(3 * 3600);
        expect(byName.nb?.type).toBe("pulumi-nodejs:dynamic/modelarts:Notebook");
        expect(byName.nb?.inputs.autoStop).toEqual({ enabled: false });
        // The provider plugin, as installed: it starts and prints its gRPC port, as the engine expects.
        const pluginBin = path.join(app, "node_modules", ".bin", "pulumi-resource-modelarts");
        expect(fs.existsSync(pluginBin)).toBe(true);
        const served = spawnSync(pluginBin, [], { cwd: app, encoding: "utf8", timeout: 5_000, killSignal: "SIGTERM" });
        expect({ port: /^\d+\n/.test(served.stdout), stderr: served.stderr }).toEqual({ port: true, stderr: "" });
        // The package came from the tarball, not from a link to this repository.
        expect(fs.lstatSync(path.join(app, "node_modules", "pulumi-modelarts")).isSymbolicLink()).toBe(false);
    }, 180_000);
});
