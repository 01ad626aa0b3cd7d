#!/usr/bin/env node
// @ts-check
/* global require, module, process, __dirname, __filename, setInterval, clearInterval */
/**
 * The Pulumi CLI this project runs: `node scripts/pulumi-cli.cjs` (or `npm run pulumi:cli`).
 *
 * 1. A `pulumi` on PATH or in ~/.pulumi/bin (an ordinary installation) is used as it is.
 * 2. Otherwise the CLI is built from the Go module proxy at the versions pinned by
 *    tools/pulumi/go.mod and go.sum, into .pulumi-cli/bin (git-ignored), once; later runs reuse it
 *    while the pins and the host's sources are unchanged. Built there:
 *      pulumi                  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
 *      pulumi-language-yaml    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
 *      pulumi-language-nodejs, -python, -go
 *                              tools/pulumi/langhost: Pulumi's own hosts for these languages are
 *                              nested modules the proxy does not serve (see that file)
 *      pulumi-language-python-exec   copied from the Python SDK inside github.com/pulumi/pulumi/sdk/v3
 *      pulumi-resource-pulumi-nodejs the dynamic-provider launcher, from @pulumi/pulumi
 *
 * PULUMI_MODELARTS_BUILD_CLI=1 builds even when another CLI is installed (the tests of this
 * script use it). Exits non-zero, naming the piece that failed and why, when one cannot be built.
 *
 * Plain JavaScript on purpose: it runs before anything is built.
 */
"use strict";

const { spawn, spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const REPO = path.resolve(__dirname, "..");
const TOOLS = path.join(REPO, "tools", "pulumi");
const CACHE = process.env.PULUMI_MODELARTS_CLI_DIR ? path.resolve(process.env.PULUMI_MODELARTS_CLI_DIR) : path.join(REPO, ".pulumi-cli");
const BIN = path.join(CACHE, "bin");
const STAMP = path.join(CACHE, "stamp.json");
const EXE = process.platform === "win32" ? ".exe" : "";

/**
 * The pieces built from Go, in order. `dir` is the Go module (under tools/pulumi) whose go.mod and
 * go.sum pin the piece; `pkg` is a package path, or a folder of that module.
 */
const PIECES = [
    // `version` names the variable the official builds stamp with the release (`pulumi version`).
    { name: "pulumi", what: "the Pulumi CLI", dir: ".", pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", module: "github.com/pulumi/pulumi/pkg/v3", version: "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version" },
    { name: "pulumi-language-yaml", what: "the YAML language host", dir: "yaml", pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml", module: "github.com/pulumi/pulumi-yaml", version: "github.com/pulumi/pulumi-yaml/pkg/version.Version" },
    { name: "pulumi-language-nodejs", what: "the Node.js, Python and Go language host", dir: ".", pkg: "./langhost", aliases: ["pulumi-language-python", "pulumi-language-go"] },
];

/** @param {string} file */
function isExecutable(file) {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/**
 * An installed CLI: PATH first, then ~/.pulumi/bin (where Pulumi's installer puts it).
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
function installedPulumi(env = process.env) {
    for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, `pulumi${EXE}`);
        // Our own cache may be on PATH (the tests put it there): that is not an installation.
        if (path.resolve(dir) !== BIN && isExecutable(candidate)) return candidate;
    }
    const home = path.join(env.HOME ?? os.homedir(), ".pulumi", "bin", `pulumi${EXE}`);
    return isExecutable(home) ? home : undefined;
}

/** The pins and sources the cache was built from: a change to any of them rebuilds it. */
function fingerprint() {
    const hash = crypto.createHash("sha256");
    const files = ["go.mod", "go.sum", "tools.go", "yaml/go.mod", "yaml/go.sum", "yaml/tools.go", ...fs.readdirSync(path.join(TOOLS, "langhost")).map((f) => path.join("langhost", f))];
    for (const f of files.sort()) hash.update(f).update(fs.readFileSync(path.join(TOOLS, f)));
    hash.update(fs.readFileSync(__filename)); // the recipe itself (flags, pieces)
    hash.update(process.version.split(".")[0]); // the launcher copied from @pulumi/pulumi
    return hash.digest("hex").slice(0, 16);
}

function cachedBuildIsCurrent() {
    try {
        const stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
        const binaries = PIECES.flatMap((p) => [p.name, ...(p.aliases ?? [])]).map((n) => n + EXE);
        const scripts = ["pulumi-language-python-exec", "pulumi-resource-pulumi-nodejs"];
        return stamp.fingerprint === fingerprint() && [...binaries, ...scripts].every((n) => fs.existsSync(path.join(BIN, n)));
    } catch {
        return false;
    }
}

/** @param {string} msg */
function say(msg) {
    process.stderr.write(`pulumi-cli: ${msg}\n`);
}

class BuildError extends Error {}

/**
 * The pinned version of a module, from a go.mod under tools/pulumi.
 * @param {string} mod @param {string} dir
 */
function pinnedVersion(mod, dir = ".") {
    const gomod = fs.readFileSync(path.join(TOOLS, dir, "go.mod"), "utf8");
    const m = gomod.match(new RegExp(`^(?:require)?\\s*${mod.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s+(v\\S+)`, "m"));
    if (!m) throw new BuildError(`tools/pulumi/${dir}/go.mod does not pin ${mod}`);
    return m[1];
}

function goEnv() {
    // GOTOOLCHAIN=local: never try to download another Go (there is no network for it here);
    // GOFLAGS=-mod=readonly: build exactly what go.sum pins.
    return { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly" };
}

/**
 * Runs go with progress every 30 s; rejects with the piece's name and go's last lines.
 * @param {string[]} args
 * @param {string} what
 * @param {string} [dir] the module folder under tools/pulumi
 */
function runGo(args, what, dir = ".") {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn("go", args, { cwd: path.join(TOOLS, dir), env: goEnv(), stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const collect = (/** @type {Buffer} */ b) => {
            output += b.toString();
            if (output.length > 200_000) output = output.slice(-100_000);
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        const timer = setInterval(() => say(`  still building ${what} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
        child.on("error", (err) => {
            clearInterval(timer);
            reject(new BuildError(`could not start go for ${what}: ${err.message}`));
        });
        child.on("close", (code) => {
            clearInterval(timer);
            if (code === 0) return resolve(Math.round((Date.now() - started) / 1000));
            const tail = output.trim().split("\n").slice(-15).join("\n");
            const hint = /proxy|dial tcp|403|410|no such host|i\/o timeout/i.test(tail)
                ? "\n  (a module could not be had from the Go module proxy: check GOPROXY and the network)"
                : "";
            reject(new BuildError(`building ${what} failed (go ${args.join(" ")}):\n${tail}${hint}`));
        });
    });
}

/** Finds a Go toolchain new enough for the pins, or says what is missing. */
function checkGo() {
    const r = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8", env: goEnv() });
    if (r.error || r.status !== 0) {
        throw new BuildError(
            "no Pulumi CLI is installed and Go is not available to build one.\n" +
                "  Install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/), or Go 1.26 or newer, then run this again.",
        );
    }
    const have = r.stdout.trim();
    const need = (fs.readFileSync(path.join(TOOLS, "go.mod"), "utf8").match(/^go (\S+)/m) ?? [])[1] ?? "";
    const num = (/** @type {string} */ v) => v.replace(/^go/, "").split(".").map((n) => parseInt(n, 10) || 0);
    const [a, b] = [num(have), num(need)];
    for (let i = 0; i < 3; i++) {
        if ((a[i] ?? 0) > (b[i] ?? 0)) break;
        if ((a[i] ?? 0) < (b[i] ?? 0)) throw new BuildError(`the pinned Pulumi CLI needs Go ${need}; this machine has ${have}`);
    }
    return have;
}

/** Builds every piece into .pulumi-cli/bin. */
async function build() {
    const goVersion = checkGo();
    const cli = pinnedVersion("github.com/pulumi/pulumi/pkg/v3");
    const yaml = pinnedVersion("github.com/pulumi/pulumi-yaml", "yaml");
    say(`building Pulumi CLI ${cli} and language hosts (pulumi-yaml ${yaml}) with ${goVersion} into ${path.relative(REPO, BIN) || BIN}`);
    say("  the first build downloads the modules and compiles them (about 7 minutes on 2 cores); later builds reuse Go's caches");
    fs.rmSync(BIN, { recursive: true, force: true });
    fs.mkdirSync(BIN, { recursive: true });
    const started = Date.now();
    say("  downloading the pinned modules");
    for (const dir of new Set(PIECES.map((p) => p.dir))) await runGo(["mod", "download"], "the pinned modules", dir);
    for (const piece of PIECES) {
        say(`  ${piece.name}: ${piece.what} (${piece.pkg})`);
        const ldflags = piece.version && piece.module ? ["-ldflags", `-X ${piece.version}=${pinnedVersion(piece.module, piece.dir)}`] : [];
        const secs = await runGo(["build", ...ldflags, "-o", path.join(BIN, piece.name + EXE), piece.pkg], `${piece.name} (${piece.what})`, piece.dir);
        say(`  ${piece.name}: built in ${secs} s`);
        for (const alias of piece.aliases ?? []) fs.copyFileSync(path.join(BIN, piece.name + EXE), path.join(BIN, alias + EXE));
    }
    // The Python SDK's program runner ships inside the sdk/v3 module the CLI was built from.
    const sdkDir = spawnSync("go", ["list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi/sdk/v3"], { cwd: TOOLS, encoding: "utf8", env: goEnv() });
    const execScript = path.join(sdkDir.stdout.trim(), "python", "cmd", "pulumi-language-python-exec");
    if (sdkDir.status !== 0 || !fs.existsSync(execScript)) throw new BuildError(`pulumi-language-python-exec not found in the sdk/v3 module (${execScript})`);
    fs.copyFileSync(execScript, path.join(BIN, "pulumi-language-python-exec"));
    fs.chmodSync(path.join(BIN, "pulumi-language-python-exec"), 0o755);
    // The dynamic-provider launcher is a script of @pulumi/pulumi (the official CLI bundles it too).
    const launcher = require.resolve("@pulumi/pulumi/pulumi-resource-pulumi-nodejs", { paths: [REPO] });
    fs.copyFileSync(launcher, path.join(BIN, "pulumi-resource-pulumi-nodejs"));
    fs.chmodSync(path.join(BIN, "pulumi-resource-pulumi-nodejs"), 0o755);
    fs.writeFileSync(STAMP, JSON.stringify({ fingerprint: fingerprint(), cli, yaml, go: goVersion, seconds: Math.round((Date.now() - started) / 1000) }, null, 2) + "\n");
    say(`done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * The Pulumi CLI to run, building it when none is installed. `pinned` asks for the pinned build
 * even when another CLI is installed (code generation, whose output depends on the version).
 * @param {{ pinned?: boolean }} [options]
 * @returns {Promise<{ command: string, binDir: string, source: "installed" | "cached" | "built" }>}
 */
async function ensurePulumi(options = {}) {
    const forced = options.pinned || process.env.PULUMI_MODELARTS_BUILD_CLI === "1";
    const installed = forced ? undefined : installedPulumi();
    if (installed) return { command: installed, binDir: path.dirname(installed), source: "installed" };
    const command = path.join(BIN, `pulumi${EXE}`);
    if (cachedBuildIsCurrent()) return { command, binDir: BIN, source: "cached" };
    await build();
    return { command, binDir: BIN, source: "built" };
}

/**
 * The environment to run the CLI with: its folder first on PATH (the engine finds language
 * hosts and the dynamic-provider launcher there), this package's plugin folder next (bin/ holds
 * pulumi-resource-modelarts), no update checks.
 * @param {{ binDir: string }} cli
 * @param {NodeJS.ProcessEnv} [env]
 */
function cliEnv(cli, env = process.env) {
    return {
        ...env,
        PATH: [cli.binDir, path.join(REPO, "bin"), env.PATH ?? ""].join(path.delimiter),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    };
}

module.exports = { ensurePulumi, installedPulumi, cliEnv, BIN, BuildError };

if (require.main === module) {
    ensurePulumi()
        .then((cli) => {
            const v = spawnSync(cli.command, ["version"], { encoding: "utf8", env: cliEnv(cli) });
            say(`${cli.source === "installed" ? "using the installed" : cli.source === "cached" ? "using the cached" : "built"} Pulumi CLI ${v.stdout.trim()}: ${cli.command}`);
            process.stdout.write(cli.command + "\n");
        })
        .catch((err) => {
            say(err instanceof BuildError ? err.message : err?.stack ?? String(err));
            process.exit(1);
        });
}
