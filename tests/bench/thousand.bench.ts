/**
 * A thousand DevServers in one stack: created, stopped and deleted through one dynamic-provider
 * host (as the engine runs every dynamic resource of a stack), against an emulator limited to 20
 * requests per second per project, with transitions drawn from a seeded spread around create 60 s,
 * stop 30 s, delete 30 s. Run twice side by side: with the shared poller (many waiting servers
 * answered by one list call) and with per-server polling (PULUMI_MODELARTS_SHARED_POLLER=off).
 *
 * Physical floor of a phase = its mutating calls pushed through the rate limit + the slowest
 * transition of the phase (the calls and the waits of different servers overlap; nothing can beat
 * sending every mutating call and then waiting for the last server to settle).
 */
import * as fs from "fs";
import { startEmulator, RunningEmulator } from "../../emulator";
import { transitionMs } from "../../emulator/model/devServers";
import { ProviderHost, providerTextOf, stackConfigFor, urnFor } from "../harness/engine";
import { table, writeSection } from "./report";

// BENCH_SERVERS / BENCH_TIME_SCALE / BENCH_SHARED_ONLY make a quick smoke run of the same code; only the full run
// (neither set) writes docs/BENCHMARKS.md.
const SMOKE = process.env.BENCH_SERVERS !== undefined || process.env.BENCH_TIME_SCALE !== undefined || process.env.BENCH_SHARED_ONLY !== undefined;
const SERVERS = Number(process.env.BENCH_SERVERS ?? 1000);
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 1);
const RATE = 20;
const NOMINAL = { create: 60_000 * TIME_SCALE, stop: 30_000 * TIME_SCALE, delete: 30_000 * TIME_SCALE };
const SPREAD = 0.2;
const SEED = 7;

function procStat(pid: number | undefined): { rssMiB?: number; cpuSeconds?: number } {
    if (!pid) return {};
    try {
        const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        // utime and stime (fields 14 and 15 of /proc/<pid>/stat), in clock ticks (100 per second on Linux).
        const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return { rssMiB: rss ? Math.round(Number(rss[1]) / 1024) : undefined, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
    } catch {
        return {};
    }
}

interface Phase {
    name: string;
    wallMs: number;
    floorMs: number;
    calls: number;
    mutating: number;
    throttled: number;
    cpuSeconds: number;
}

interface Run {
    mode: string;
    phases: Phase[];
    maxRssMiB: number;
}

const inputs = (i: number, provider: string, powerState = "RUNNING") => ({
    name: `k-${i}`,
    flavor: "Si2.large.4",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: "thousand",
    powerState,
    __provider: provider,
});

/** The slowest transition of a phase, from the same seeded draws the emulator makes. */
function slowest(kind: "create" | "stop" | "delete"): number {
    let max = 0;
    for (let i = 0; i < SERVERS; i++) max = Math.max(max, transitionMs(NOMINAL[kind], SPREAD, SEED, `k-${i}`, kind));
    return max;
}

async function run(mode: "shared poller" | "per-server polling"): Promise<Run> {
    let emu: RunningEmulator | undefined;
    let host: ProviderHost | undefined;
    try {
        emu = await startEmulator({
            rateLimit: { perSecond: RATE },
            timings: { devServer: { ...NOMINAL, start: 30_000, spread: SPREAD, spreadSeed: SEED } },
        });
        host = await ProviderHost.start({
            env: { PULUMI_MODELARTS_MAX_RPS: String(RATE), PULUMI_MODELARTS_SHARED_POLLER: mode === "shared poller" ? "on" : "off" },
        });
        await host.configure(stackConfigFor(emu));
        const provider = providerTextOf("devServerShim");
        let maxRssMiB = 0;
        const sampler = setInterval(() => {
            const rss = procStat(host!.pid).rssMiB;
            if (rss !== undefined) maxRssMiB = Math.max(maxRssMiB, rss);
        }, 1000);
        const phases: Phase[] = [];
        const states: Array<{ id: string; properties: Record<string, unknown> }> = [];
        const phase = async (name: "create" | "stop" | "delete", mutatingCall: RegExp, op: (i: number) => Promise<unknown>) => {
            await emu!.admin.clearRequests();
            const cpuBefore = procStat(host!.pid).cpuSeconds ?? 0;
            const started = Date.now();
            const results = await Promise.allSettled(Array.from({ length: SERVERS }, (_, i) => op(i)));
            const wallMs = Date.now() - started;
            const failures = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
            expect(failures.slice(0, 3).map((f) => String(f.reason?.message ?? f.reason))).toEqual([]);
            const log = await emu!.admin.requests();
            phases.push({
                name,
                wallMs,
                floorMs: (SERVERS * 1000) / RATE + slowest(name),
                calls: log.length,
                mutating: log.filter((r) => mutatingCall.test(`${r.method} ${r.path}`)).length,
                throttled: log.filter((r) => r.status === 429).length,
                cpuSeconds: (procStat(host!.pid).cpuSeconds ?? 0) - cpuBefore,
            });
        };
        await phase("create", /^POST .*\/dev-servers$/, async (i) => {
            states[i] = await host!.create(urnFor("DevServer", `k${i}`), inputs(i, provider));
        });
        await phase("stop", /^PUT .*\/stop$/, async (i) => {
            const r = await host!.update(urnFor("DevServer", `k${i}`), states[i].id, states[i].properties, inputs(i, provider, "STOPPED"));
            states[i].properties = r.properties;
        });
        await phase("delete", /^DELETE /, async (i) => {
            await host!.delete(urnFor("DevServer", `k${i}`), states[i].id, states[i].properties);
        });
        clearInterval(sampler);
        const dump = await emu.admin.state();
        expect(dump.projects[emu.projectId]?.devServers ?? []).toHaveLength(0);
        return { mode, phases, maxRssMiB };
    } finally {
        await host?.close();
        await emu?.close();
    }
}

describe("a thousand DevServers", () => {
    it("shared poller against per-server polling, side by side", async () => {
        const runs = [await run("shared poller")];
        if (!process.env.BENCH_SHARED_ONLY) runs.push(await run("per-server polling"));
        const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
        const rows: Array<Array<string | number>> = [];
        for (const r of runs) {
            for (const p of r.phases) {
                rows.push([r.mode, p.name, s(p.wallMs), s(p.floorMs), (p.wallMs / p.floorMs).toFixed(2), (p.calls / SERVERS).toFixed(2), p.throttled, p.cpuSeconds.toFixed(0)]);
            }
            const wall = r.phases.reduce((a, p) => a + p.wallMs, 0);
            const floor = r.phases.reduce((a, p) => a + p.floorMs, 0);
            const calls = r.phases.reduce((a, p) => a + p.calls, 0);
            rows.push([r.mode, "**total**", s(wall), s(floor), (wall / floor).toFixed(2), (calls / (SERVERS * r.phases.length)).toFixed(2), r.phases.reduce((a, p) => a + p.throttled, 0), r.phases.reduce((a, p) => a + p.cpuSeconds, 0).toFixed(0)]);
        }
        if (SMOKE) console.log(rows.map((r) => r.join(" | ")).join("\n") + "\n" + runs.map((r) => `${r.mode}: max RSS ${r.maxRssMiB} MiB`).join("; "));
        else writeSection(
            "thousand",
            [
                `## A thousand DevServers: shared poller against per-server polling`,
                "",
                "Produced by `tests/bench/thousand.bench.ts` (`npm run bench`). One host process, " +
                    `${SERVERS} concurrent operations per phase, emulator limited to ${RATE} requests/s per project (client limit`,
                `the same, PULUMI_MODELARTS_MAX_RPS=${RATE}); transitions drawn per server from a seeded spread of +/- ${SPREAD * 100} % around`,
                `create ${NOMINAL.create / 1000} s, stop ${NOMINAL.stop / 1000} s, delete ${NOMINAL.delete / 1000} s (seed ${SEED}, the same draws in both runs).`,
                "",
                "**Physical floor** of a phase = its mutating calls at the rate limit " +
                    `(${SERVERS} / ${RATE} per s = ${SERVERS / RATE} s) + the slowest transition of the phase. Calls per server per`,
                "transition include the mutating call. 429s absorbed: answers the client retried; none reached the",
                "caller (every operation succeeded). Host CPU: user + system seconds of the host process in the phase.",
                "",
                table(["mode", "phase", "wall", "physical floor", "wall / floor", "API calls per server", "429s absorbed", "host CPU s"], rows),
                "",
                runs.map((r) => `Host RSS (sampled every second), ${r.mode}: max ${r.maxRssMiB} MiB.`).join(" "),
                "",
                "Targets (the shared poller): within 1.2x of the physical floor, at most 1.5 API calls per server per",
                "transition, RSS under 300 MiB.",
            ].join("\n"),
        );
        const shared = runs[0];
        const wall = shared.phases.reduce((a, p) => a + p.wallMs, 0);
        const floor = shared.phases.reduce((a, p) => a + p.floorMs, 0);
        const calls = shared.phases.reduce((a, p) => a + p.calls, 0);
        expect(wall / floor).toBeLessThanOrEqual(1.2);
        expect(calls / (SERVERS * shared.phases.length)).toBeLessThanOrEqual(1.5);
        expect(shared.maxRssMiB).toBeLessThan(300);
    });
});
