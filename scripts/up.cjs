#!/usr/bin/env node
// @ts-check
/* global require, process */
/**
 * `npm run up [-- <pulumi up flags>]`: deploys the root project (examples/quickstart) to the stack
 * `dev`. Without Huawei Cloud credentials in the environment (HW_ACCESS_KEY / HUAWEICLOUD_SDK_AK) it
 * targets the embedded ModelArts emulator, started in the background; with them, Huawei Cloud.
 * State goes to .pulumi-local/state unless PULUMI_BACKEND_URL is set.
 */
"use strict";

const local = require("./local.cjs");

async function main() {
    const extra = process.argv.slice(2);
    const pulumi = await local.requirePulumi("npm run up");
    local.ensureBuilt();

    let emulator;
    if (local.hasCloudCredentials()) {
        process.stdout.write("Huawei Cloud credentials found in the environment: deploying to Huawei Cloud.\n");
    } else {
        emulator = await local.ensureEmulator();
        process.stdout.write(
            `No Huawei Cloud credentials in the environment: using the local ModelArts emulator at ${emulator.url}\n` +
                `  (project ${emulator.projectId}, region ${emulator.region}; stop it with npm run down)\n`,
        );
    }
    const env = local.pulumiEnv(emulator);
    process.stdout.write(`Pulumi state: ${env.PULUMI_BACKEND_URL}\n`);

    const select = local.runPulumi(
        pulumi,
        ["stack", "select", local.STACK, "--create", "--secrets-provider", "passphrase", "--non-interactive"],
        env,
        true,
    );
    if (select.status !== 0) {
        process.stderr.write(`pulumi stack select ${local.STACK} failed:\n${select.stderr || select.stdout}`);
        process.exit(select.status);
    }
    const up = local.runPulumi(pulumi, ["up", "--yes", "--stack", local.STACK, "--non-interactive", ...extra], env);
    process.exit(up.status);
}

main().catch((err) => {
    process.stderr.write(`npm run up: ${err && err.message}\n`);
    process.exit(1);
});
