#!/usr/bin/env node
/**
 * `modelarts-emulator`: runs the local ModelArts API server until SIGINT/SIGTERM.
 */
import { parseArgs } from "util";
import { DEFAULT_RATE_LIMIT, FAST_TIMINGS, startEmulator, EmulatorOptions } from "./index";
import { RATE_LIMIT_SHAPES, RateLimitShape } from "./rateLimit";

export const USAGE = `Usage: modelarts-emulator [options]

Options:
  --host <addr>         interface to listen on (default 127.0.0.1: loopback only)
  --port <n>            port (default 8787; 0 = any free port)
  --state-file <file>   persist the state in this JSON file (default: in memory, clean)
  --fast                short transitions (about 0.5-1 s instead of 3-5 s)
  --rate-limit <n>      requests per second per project (default 50; 0 = no limit)
  --rate-limit-shape <s>  how the limit counts: token-bucket (default), sliding-window
                        (n in any one second), per-minute (n * 60 per minute)
  --not-found-404       answer a missing resource with 404 instead of the real API's 400
                        (same codes: ModelArts.6404, ModelArts.6309), as the seed pages show
  --admin-token <t>     token of the admin API (default: random, printed on start)
  --quiet               do not print one line per request
  -h, --help            show this help
`;

export class UsageError extends Error {}

export function parseCli(argv: string[]): { options: EmulatorOptions; help: boolean; quiet: boolean } {
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: argv,
            strict: true,
            allowPositionals: false,
            options: {
                host: { type: "string" },
                port: { type: "string" },
                "state-file": { type: "string" },
                fast: { type: "boolean" },
                "rate-limit": { type: "string" },
                "rate-limit-shape": { type: "string" },
                "not-found-404": { type: "boolean" },
                "admin-token": { type: "string" },
                quiet: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const options: EmulatorOptions = { port: 8787 };
    if (values.host !== undefined) options.host = String(values.host);
    if (values.port !== undefined) {
        const p = String(values.port);
        if (!/^\d+$/.test(p) || Number(p) > 65535) throw new UsageError(`--port must be an integer 0..65535, got '${p}'`);
        options.port = Number(p);
    }
    if (values["state-file"] !== undefined) options.stateFile = String(values["state-file"]);
    if (values.fast) options.timings = FAST_TIMINGS;
    if (values["rate-limit"] !== undefined) {
        const r = String(values["rate-limit"]);
        if (!/^\d+(\.\d+)?$/.test(r)) throw new UsageError(`--rate-limit must be a non-negative number, got '${r}'`);
        options.rateLimit = Number(r) === 0 ? null : { perSecond: Number(r) };
    }
    if (values["rate-limit-shape"] !== undefined) {
        const shape = String(values["rate-limit-shape"]) as RateLimitShape;
        if (!RATE_LIMIT_SHAPES.includes(shape)) throw new UsageError(`--rate-limit-shape must be one of ${RATE_LIMIT_SHAPES.join(", ")}, got '${shape}'`);
        if (options.rateLimit !== null) options.rateLimit = { ...(options.rateLimit ?? DEFAULT_RATE_LIMIT), shape };
    }
    if (values["not-found-404"]) options.notFoundAs400 = false;
    if (values["admin-token"] !== undefined) {
        const t = String(values["admin-token"]);
        if (t.length < 8) throw new UsageError("--admin-token must have at least 8 characters");
        options.adminToken = t;
    }
    return { options, help: values.help === true, quiet: values.quiet === true };
}

async function main(): Promise<void> {
    let parsed: ReturnType<typeof parseCli>;
    try {
        parsed = parseCli(process.argv.slice(2));
    } catch (err) {
        if (err instanceof UsageError) {
            process.stderr.write(`modelarts-emulator: ${err.message}\n\n${USAGE}`);
            process.exit(2);
        }
        throw err;
    }
    if (parsed.help) {
        process.stdout.write(USAGE);
        return;
    }
    const emu = await startEmulator({
        ...parsed.options,
        log: parsed.quiet ? undefined : (line) => process.stdout.write(line + "\n"),
    });
    const lines = [
        `ModelArts emulator listening on ${emu.url}`,
        `  project ID:   ${emu.projectId} (region ${emu.region})`,
        `  access key:   ${emu.accessKey}`,
        `  secret key:   ${emu.secretKey}   (emulator test credentials only)`,
        `  admin token:  ${emu.adminToken}   (header X-Emulator-Admin-Token, paths /_emulator/*)`,
        `  state file:   ${parsed.options.stateFile ?? "(none: in memory)"}`,
        ``,
        `Paste into your shell:`,
        `export HW_MODELARTS_ENDPOINT=${emu.url} HW_ACCESS_KEY=${emu.accessKey} HW_SECRET_KEY=${emu.secretKey} HW_PROJECT_ID=${emu.projectId} HW_REGION_NAME=${emu.region}`,
        ``,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`\n${signal}: stopping the emulator\n`);
        emu.close().then(
            () => process.exit(0),
            () => process.exit(1),
        );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`modelarts-emulator: ${(err as Error).message}\n`);
        process.exit(1);
    });
}
