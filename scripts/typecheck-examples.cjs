#!/usr/bin/env node
// @ts-check
/* global require, process, console, __dirname */
// Type-checks every example with each TypeScript major the examples promise to work with: the
// repository's TypeScript 5 (`typescript`) and TypeScript 6 (the `typescript6` alias
// devDependency, `npm:typescript@^6`). Each example is checked with its own tsconfig.json, as a
// user who copies it would. Run by `npm test` (`npm run typecheck:examples`).
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const compilers = ["typescript", "typescript6"];
const examples = fs
    .readdirSync(path.join(root, "examples"))
    .filter((d) => fs.existsSync(path.join(root, "examples", d, "tsconfig.json")))
    .sort();

let failed = 0;
for (const name of compilers) {
    const dir = path.join(root, "node_modules", name);
    if (!fs.existsSync(path.join(dir, "package.json"))) {
        console.error(`typecheck:examples: ${name} is not installed (run npm ci)`);
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
