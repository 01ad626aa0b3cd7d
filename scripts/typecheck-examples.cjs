#!/usr/bin/env node
// @ts-check
/* global require, process, console, __dirname */
// Type-checks every example with each TypeScript major the examples promise to work with: the
// repository's TypeScript 5 (devDependency `typescript`) and TypeScript 6, installed on first use
// into node_modules/.cache/typescript6 (ignored by git) with `npm install --prefer-offline`.
// Each example is checked with its own tsconfig.json, as a user who copies it would. Run by
// `npm test` (`npm run typecheck:examples`).
//
// Why not an alias devDependency (`"typescript6": "npm:typescript@^6"`): both packages declare the
// `tsc` bin, npm links node_modules/.bin/tsc to whichever it links last, and it picked TypeScript 6,
// which refuses this repository's own tsconfig (moduleResolution node10, TS5107): `npx tsc` and
// `npm run build` would silently change compiler.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const TS6 = "typescript@6.0.3";
const ts6Prefix = path.join(root, "node_modules", ".cache", "typescript6");

/** TypeScript 6 in node_modules/.cache (installed once; from the npm cache when it is there). */
function ensureTypeScript6() {
    const dir = path.join(ts6Prefix, "node_modules", "typescript");
    const want = TS6.split("@")[1];
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && require(pkg).version === want) return dir;
    fs.mkdirSync(ts6Prefix, { recursive: true });
    fs.writeFileSync(path.join(ts6Prefix, "package.json"), JSON.stringify({ name: "typescript6-for-examples", private: true }) + "\n");
    const npmCli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
    const args = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", TS6];
    const r = npmCli
        ? spawnSync(process.execPath, [npmCli, ...args], { cwd: ts6Prefix, encoding: "utf8" })
        : spawnSync("npm", args, { cwd: ts6Prefix, encoding: "utf8", shell: process.platform === "win32" });
    if (r.status !== 0 || !fs.existsSync(pkg)) {
        console.error(`typecheck:examples: could not install ${TS6} into ${path.relative(root, ts6Prefix)} ` +
            "(needs the npm registry, or the package in the npm cache):\n" + r.stdout + r.stderr);
        process.exit(1);
    }
    return dir;
}

const compilers = [path.join(root, "node_modules", "typescript"), ensureTypeScript6()];
const examples = fs
    .readdirSync(path.join(root, "examples"))
    .filter((d) => fs.existsSync(path.join(root, "examples", d, "tsconfig.json")))
    .sort();

let failed = 0;
for (const dir of compilers) {
    if (!fs.existsSync(path.join(dir, "package.json"))) {
        console.error(`typecheck:examples: ${path.relative(root, dir)} is not installed (run npm ci)`);
        process.exit(1);
    }
    const version = require(path.join(dir, "package.json")).version;
    for (const example of examples) {
        const r = spawnSync(process.execPath, [path.join(dir, "bin", "tsc"), "-p", path.join("examples", example), "--noEmit"], {
            cwd: root,
            encoding: "utf8",
        });
        const ok = r.status === 0;
        if (!ok) failed++;
        console.log(`${ok ? "ok  " : "FAIL"} examples/${example} with TypeScript ${version}`);
        if (!ok) process.stdout.write(r.stdout + r.stderr);
    }
}
if (failed) {
    console.error(`typecheck:examples: ${failed} failure(s)`);
    process.exit(1);
}
