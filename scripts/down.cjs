#!/usr/bin/env node
// @ts-check
/* global require, process */
/**
 * `npm run down [-- <pulumi destroy flags>]`: destroys the stack `dev` of the root project and
 * stops the background emulator that `npm run up` started.
 */
"use strict";

const local = require("./local.cjs");

async function main() {
    const extra = process.argv.slice(2);
    const pulumi = await local.requirePulumi("npm run down");
    local.ensureBuilt();

    let emulator;
    if (!local.hasCloudCredentials()) emulator = await local.ensureEmulator();
    const env = local.pulumiEnv(emulator);

    const select = local.runPulumi(pulumi, ["stack", "select", local.STACK, "--non-interactive"], env, true);
    if (select.status !== 0) {
        process.stdout.write(`No stack ${local.STACK} in ${env.PULUMI_BACKEND_URL}: nothing to destroy.\n`);
    } else {
        const destroy = local.runPulumi(pulumi, ["destroy", "--yes", "--stack", local.STACK, "--non-interactive", ...extra], env);
        if (destroy.status !== 0) {
            process.stderr.write(
                "pulumi destroy failed; the emulator keeps running so that you can look and retry (npm run down).\n",
            );
            process.exit(destroy.status);
        }
    }
    if (emulator && (await local.stopEmulator())) process.stdout.write("Stopped the local ModelArts emulator.\n");
}

main().catch((err) => {
    process.stderr.write(`npm run down: ${err && err.message}\n`);
    process.exit(1);
});
