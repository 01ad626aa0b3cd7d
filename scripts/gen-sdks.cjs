#!/usr/bin/env node
// @ts-check
/* global require, module, process, __dirname */
/**
 * `npm run gen:sdks`: the Python and Go SDKs of the provider plugin, generated from
 * plugin/schema.json by `pulumi package gen-sdk` into sdk/python and sdk/go (the layout of Pulumi's
 * own providers; sdk/go.mod declares the Go module). `--check` generates into a temporary folder
 * and exits 1, naming the files, when the committed SDKs differ from what the schema gives.
 */
"use strict";

const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { ensurePulumi, cliEnv } = require("./pulumi-cli.cjs");

const REPO = path.resolve(__dirname, "..");
const LANGUAGES = ["python", "go"];

/** @param {string} dir @returns {Map<string, string>} relative path -> contents */
function readTree(dir) {
    /** @type {Map<string, string>} */
    const files = new Map();
    const walk = (/** @type {string} */ d) => {
        if (!fs.existsSync(d)) return;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                if (e.name !== "__pycache__" && !e.name.endsWith(".egg-info")) walk(p);
            } else files.set(path.relative(dir, p), fs.readFileSync(p, "utf8"));
        }
    };
    walk(dir);
    return files;
}

/** Generates every language into `out` (out/python, out/go). @param {string} out */
async function generate(out) {
    // The pinned CLI, whatever else is installed: generated code differs between versions.
    const cli = await ensurePulumi({ pinned: true });
    for (const language of LANGUAGES) {
        const r = spawnSync(cli.command, ["package", "gen-sdk", path.join(REPO, "plugin", "schema.json"), "--language", language, "--out", out], {
            cwd: REPO,
            env: cliEnv(cli),
            encoding: "utf8",
        });
        if (r.status !== 0) throw new Error(`pulumi package gen-sdk --language ${language} failed:\n${r.stdout}${r.stderr}`);
    }
}

/** The generated files that differ between the committed SDKs and a fresh generation. */
async function staleFiles() {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-sdks-"));
    try {
        await generate(tmp);
        const stale = [];
        for (const language of LANGUAGES) {
            const fresh = readTree(path.join(tmp, language));
            const committed = readTree(path.join(REPO, "sdk", language));
            for (const f of new Set([...fresh.keys(), ...committed.keys()])) {
                if (fresh.get(f) !== committed.get(f)) stale.push(path.join("sdk", language, f));
            }
        }
        return stale.sort();
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

module.exports = { staleFiles };

if (require.main === module) {
    const check = process.argv.includes("--check");
    (check ? staleFiles() : generate(path.join(REPO, "sdk")).then(() => []))
        .then((stale) => {
            if (stale.length) {
                process.stderr.write(`gen-sdks: these generated files are stale; run npm run gen:sdks:\n  ${stale.join("\n  ")}\n`);
                process.exit(1);
            }
            if (!check) process.stdout.write(`wrote ${LANGUAGES.map((l) => `sdk/${l}`).join(", ")}\n`);
        })
        .catch((err) => {
            process.stderr.write(`gen-sdks: ${err.message}\n`);
            process.exit(1);
        });
}
