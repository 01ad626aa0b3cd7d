#!/usr/bin/env node
// @ts-check
/* global require, process, __dirname */
// `npm run docs:reliability`: runs the reliability matrix (tests/reliability) and writes what it
// observed to docs/RELIABILITY.md. `npm test` runs the same matrix and fails when the committed
// file differs, naming this command.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const r = spawnSync(process.execPath, [require.resolve("jest/bin/jest", { paths: [root] }), "tests/reliability", ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, RELIABILITY_WRITE: "1" },
});
process.exit(r.status ?? 1);
