// @ts-check
/* global require, module, process, __dirname, setTimeout */
/**
 * Shared by `npm run up` and `npm run down`: finding the Pulumi CLI, building, the local emulator
 * running in the background, and the environment a local stack runs with.
 *
 * Plain JavaScript on purpose: it must run before anything is built and without ts-node.
 */
"use strict";

const { spawnSync, spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const http = require("http");

const pulumiCli = require("./pulumi-cli.cjs");

const REPO = path.resolve(__dirname, "..");
/**
 * Everything local runs leave behind (git-ignored): emulator state, Pulumi state, logs.
 * MODELARTS_LOCAL_DIR moves it (the tests use a temporary folder).
 */
const LOCAL_DIR = process.env.MODELARTS_LOCAL_DIR ? path.resolve(process.env.MODELARTS_LOCAL_DIR) : path.join(REPO, ".pulumi-local");
const EMULATOR_INFO = path.join(LOCAL_DIR, "emulator.json");
const EMULATOR_STATE = path.join(LOCAL_DIR, "emulator-state.json");
const EMULATOR_LOG = path.join(LOCAL_DIR, "emulator.log");
const STACK = "dev";
/** Only protects the local demo stack's secrets; set PULUMI_CONFIG_PASSPHRASE to use your own. */
const LOCAL_PASSPHRASE = "pulumi-modelarts-local-only";

/**
 * The Pulumi CLI: an installed one, or the one scripts/pulumi-cli.cjs builds (once) from the
 * pinned Go modules. Exits with the build's own explanation when neither can be had.
 * @param {string} what e.g. "npm run up"
 */
async function requirePulumi(what) {
    try {
        const cli = await pulumiCli.ensurePulumi();
        if (cli.source === "built") process.stdout.write(`${what}: built the Pulumi CLI into ${path.relative(REPO, cli.binDir)}\n`);
        return cli;
    } catch (err) {
        process.stderr.write(`${what}: ${err instanceof pulumiCli.BuildError ? err.message : String(err)}\n`);
        process.exit(1);
    }
}

/** Builds dist/ when it is missing (a fresh clone after `npm ci`). */
function ensureBuilt() {
    const needed = ["dist/sdk/index.js", "dist/provider/index.js", "dist/emulator/index.js"];
    if (needed.every((f) => fs.existsSync(path.join(REPO, f)))) return;
    process.stdout.write("dist/ is missing: running npm run build\n");
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(npm, ["run", "build", "--silent"], { cwd: REPO, stdio: "inherit" });
    if (r.status !== 0) {
        process.stderr.write("npm run build failed; fix the errors above and try again.\n");
        process.exit(1);
    }
}

/** True when Huawei Cloud credentials are set in the environment: then the cloud is the target. */
function hasCloudCredentials(env = process.env) {
    return !!(env.HW_ACCESS_KEY || env.HUAWEICLOUD_SDK_AK);
}

/** @param {number} pid */
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/**
 * @typedef {{ pid: number, url: string, projectId: string, region: string, accessKey: string,
 *   secretKey: string, adminToken: string }} EmulatorInfo
 */

/** @returns {EmulatorInfo | undefined} */
function readEmulatorInfo() {
    try {
        return JSON.parse(fs.readFileSync(EMULATOR_INFO, "utf8"));
    } catch {
        return undefined;
    }
}

/** @param {EmulatorInfo} info */
function healthy(info) {
    return new Promise((resolve) => {
        const req = http.get(
            `${info.url}/_emulator/health`,
            { headers: { "X-Emulator-Admin-Token": info.adminToken }, timeout: 2000 },
            (res) => {
                res.resume();
                resolve(res.statusCode === 200);
            },
        );
        req.on("error", () => resolve(false));
        req.on("timeout", () => {
            req.destroy();
            resolve(false);
        });
    });
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The emulator of this checkout, started in the background if it is not running. Its state lives
 * in .pulumi-local/emulator-state.json, so servers survive a restart just as the Pulumi state does.
 * @returns {Promise<EmulatorInfo>}
 */
async function ensureEmulator() {
    const existing = readEmulatorInfo();
    if (existing && isAlive(existing.pid) && (await healthy(existing))) return existing;
    fs.mkdirSync(LOCAL_DIR, { recursive: true });
    fs.rmSync(EMULATOR_INFO, { force: true });
    const log = fs.openSync(EMULATOR_LOG, "a");
    const child = spawn(process.execPath, [path.join(__dirname, "emulator-daemon.cjs")], {
        cwd: REPO,
        detached: true,
        stdio: ["ignore", log, log],
        env: { ...process.env, MODELARTS_EMULATOR_INFO: EMULATOR_INFO, MODELARTS_EMULATOR_STATE: EMULATOR_STATE },
    });
    child.unref();
    fs.closeSync(log);
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
        const info = readEmulatorInfo();
        if (info && info.pid === child.pid) return info;
        if (child.exitCode !== null || !isAlive(/** @type {number} */ (child.pid))) break;
        await sleep(100);
    }
    process.stderr.write(`the local ModelArts emulator did not start; see ${path.relative(REPO, EMULATOR_LOG)}\n`);
    process.exit(1);
}

/** Stops the background emulator if it runs. */
async function stopEmulator() {
    const info = readEmulatorInfo();
    if (!info || !isAlive(info.pid)) {
        fs.rmSync(EMULATOR_INFO, { force: true });
        return false;
    }
    process.kill(info.pid, "SIGTERM");
    const deadline = Date.now() + 10000;
    while (isAlive(info.pid) && Date.now() < deadline) await sleep(100);
    fs.rmSync(EMULATOR_INFO, { force: true });
    return true;
}

/**
 * The environment of the Pulumi CLI: a file state backend and a passphrase unless the user set
 * their own, and in emulator mode the emulator's endpoint and default tenant credentials.
 * @param {EmulatorInfo | undefined} emulator
 */
function pulumiEnv(emulator) {
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" };
    if (!env.PULUMI_BACKEND_URL) {
        const stateDir = path.join(LOCAL_DIR, "state");
        fs.mkdirSync(stateDir, { recursive: true });
        env.PULUMI_BACKEND_URL = `file://${stateDir}`;
    }
    if (!env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) env.PULUMI_CONFIG_PASSPHRASE = LOCAL_PASSPHRASE;
    if (emulator) {
        env.HW_MODELARTS_ENDPOINT = emulator.url;
        env.HW_ACCESS_KEY = emulator.accessKey;
        env.HW_SECRET_KEY = emulator.secretKey;
        env.HW_PROJECT_ID = emulator.projectId;
        env.HW_REGION_NAME = emulator.region;
        delete env.HW_SECURITY_TOKEN;
    }
    return env;
}

/**
 * Runs the Pulumi CLI in the repository root (whose Pulumi.yaml runs examples/quickstart).
 * @param {{ command: string, binDir: string }} cli @param {string[]} args @param {NodeJS.ProcessEnv} env
 */
function runPulumi(cli, args, env, quiet = false) {
    const r = spawnSync(cli.command, args, {
        cwd: REPO,
        env: pulumiCli.cliEnv(cli, env),
        stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
        encoding: "utf8",
    });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

module.exports = {
    REPO,
    LOCAL_DIR,
    STACK,
    requirePulumi,
    ensureBuilt,
    hasCloudCredentials,
    ensureEmulator,
    stopEmulator,
    readEmulatorInfo,
    pulumiEnv,
    runPulumi,
};
