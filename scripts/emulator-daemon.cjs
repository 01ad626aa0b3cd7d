// @ts-check
/* global require, process, __dirname */
/**
 * The background emulator of `npm run up`: listens on a free loopback port, keeps its state in
 * .pulumi-local/emulator-state.json, and writes how to reach it to .pulumi-local/emulator.json
 * (removed again on SIGTERM/SIGINT, which `npm run down` sends).
 */
"use strict";

const fs = require("fs");
const path = require("path");

async function main() {
    const infoFile = process.env.MODELARTS_EMULATOR_INFO;
    const stateFile = process.env.MODELARTS_EMULATOR_STATE;
    if (!infoFile || !stateFile) throw new Error("MODELARTS_EMULATOR_INFO and MODELARTS_EMULATOR_STATE must be set");
    const { startEmulator } = require(path.join(__dirname, "..", "dist", "emulator"));
    const emu = await startEmulator({
        port: Number(process.env.MODELARTS_EMULATOR_PORT ?? 0),
        stateFile,
        log: (/** @type {string} */ line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
    const info = {
        pid: process.pid,
        url: emu.url,
        projectId: emu.projectId,
        region: emu.region,
        accessKey: emu.accessKey,
        secretKey: emu.secretKey,
        adminToken: emu.adminToken,
    };
    fs.writeFileSync(infoFile + ".tmp", JSON.stringify(info, null, 2) + "\n", { mode: 0o600 });
    fs.renameSync(infoFile + ".tmp", infoFile);
    process.stdout.write(`${new Date().toISOString()} emulator pid ${process.pid} listening on ${emu.url}\n`);
    const stop = () => {
        fs.rmSync(infoFile, { force: true });
        emu.close().then(() => process.exit(0), () => process.exit(1));
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
}

main().catch((err) => {
    process.stderr.write(`emulator-daemon: ${err && err.message}\n`);
    process.exit(1);
});
