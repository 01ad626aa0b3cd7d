#!/usr/bin/env node
// @ts-check
/* global require, process, console, __dirname */
// `node scripts/tree-state.cjs save` at the start of `npm test`, `... check` at its end: fails when
// the test run changed the working tree (a tracked file rewritten, a new untracked file), comparing
// `git status --porcelain`, the diff against HEAD and the untracked files' contents before and after.
// Changes you had made before the run do not count. Outside a git checkout it does nothing.
"use strict";
const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const stateFile = path.join(root, "node_modules", ".cache", "pulumi-modelarts-tree-state.json");

function git(args) {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

function state() {
    const status = git(["status", "--porcelain", "--untracked-files=all"]);
    const diff = crypto.createHash("sha256").update(git(["diff", "HEAD", "--binary"])).digest("hex");
    const untracked = {};
    for (const f of git(["ls-files", "--others", "--exclude-standard", "-z"]).split("\0").filter(Boolean)) {
        const file = path.join(root, f);
        untracked[f] = fs.existsSync(file) ? crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex") : "gone";
    }
    return { status, diff, untracked };
}

try {
    git(["rev-parse", "--is-inside-work-tree"]);
} catch {
    console.log("tree-state: not a git checkout; not checked");
    process.exit(0);
}

const mode = process.argv[2];
if (mode === "save") {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    fs.writeFileSync(stateFile, JSON.stringify(state()));
} else if (mode === "check") {
    if (!fs.existsSync(stateFile)) {
        console.error("tree-state: no saved state (run `node scripts/tree-state.cjs save` first)");
        process.exit(1);
    }
    const before = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    const after = state();
    if (before.status === after.status && before.diff === after.diff && JSON.stringify(before.untracked) === JSON.stringify(after.untracked)) {
        console.log("tree-state: npm test left the working tree as it found it");
    } else {
        console.error("tree-state: npm test changed the working tree. git status --porcelain before:\n" +
            (before.status || "(clean)\n") + "after:\n" + (after.status || "(clean)\n") +
            "A test must write only into temporary directories; generated docs have their own npm run docs:* command.");
        process.exit(1);
    }
} else {
    console.error("usage: tree-state.cjs save|check");
    process.exit(2);
}
