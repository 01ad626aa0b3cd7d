/**
 * Zero-configuration throughput: a thousand DevServers created, stopped and deleted through one
 * dynamic-provider host with the client's defaults (the adaptive rate limit, no
 * PULUMI_MODELARTS_MAX_RPS), against each of the emulator's limiter shapes at 20 requests/s, against
 * a sliding one-second window at 5 and at 50 requests/s, and, side by side in the same run, the old
 * fixed 10/s client (PULUMI_MODELARTS_RATE_MODE=fixed) against the sliding window at 20.
 *
 * The runs go concurrently, each with its own emulator and host (they are paced by their rate limits,
 * not by the CPU: a host spends a few CPU seconds per minute), so the whole matrix takes as long as
 * its slowest run (the 5/s one).
 *
 * Physical floor of a phase = its necessary calls pushed through the limit (create: the POSTs; stop:
 * the PUTs; delete: the DELETEs and the GET that proves each server gone) + the slowest transition
 * of the phase.
 */
import * as fs from "fs";
import { startEmulator, RunningEmulator, RateLimitShape } from "../../emulator";
import { transitionMs } from "../../emulator/model/devServers";
import { ProviderHost, providerTextOf, stackConfigFor, urnFor } from "../harness/engine";
import { table, writeSection } from "./report";

// BENCH_SERVERS / BENCH_TIME_SCALE / BENCH_RUNS make a quick smoke run of the same code; only the full run writes docs/BENCHMARKS.md.
const SMOKE = process.env.BENCH_SERVERS !== undefined || process.env.BENCH_TIME_SCALE !== undefined || process.env.BENCH_RUNS !== undefined;
const SERVERS = Number(process.env.BENCH_SERVERS ?? 1000);
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 1);
const NOMINAL = { create: 60_000 * TIME_SCALE, stop: 30_000 * TIME_SCALE, delete: 30_000 * TIME_SCALE };
const SPREAD = 0.2;
const SEED = 7;

interface Scenario {
    label: string;
    shape: RateLimitShape;
    perSecond: number;
    client: "adaptive (default)" | "fixed 10/s (before)";
    /** Held to the targets (the adaptive runs). */
    target: boolean;
}

const SCENARIOS: Scenario[] = [
    { label: "token bucket 20/s", shape: "token-bucket", perSecond: 20, client: "adaptive (default)", target: true },
    { label: "sliding window 20/s", shape: "sliding-window", perSecond: 20, client: "adaptive (default)", target: true },
    { label: "per-minute 1200/min", shape: "per-minute", perSecond: 20, client: "adaptive (default)", target: true },
    { label: "sliding window 5/s", shape: "sliding-window", perSecond: 5, client: "adaptive (default)", target: true },
    { label: "sliding window 50/s", shape: "sliding-window", perSecond: 50, client: "adaptive (default)", target: true },
    { label: "sliding window 20/s", shape: "sliding-window", perSecond: 20, client: "fixed 10/s (before)", target: false },
];

function rssMiB(pid: number | undefined): number | undefined {
    if (!pid) return undefined;
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Math.round(Number(m[1]) / 1024) : undefined;
    } catch {
        return undefined;
    }
}

interface Phase {
    name: "create" | "stop" | "delete";
    wallMs: number;
    floorMs: number;
    calls: number;
    throttled: number;
}

interface Run {
    scenario: Scenario;
    phases: Phase[];
    maxRssMiB: number;
}

const inputs = (i: number, provider: string, powerState = "RUNNING") => ({
    name: `r-${i}`,
    flavor: "Si2.large.4",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: "rates",
    powerState,
    __provider: provider,
});

function slowest(kind: "create" | "stop" | "delete"): number {
    let max = 0;
    for (let i = 0; i < SERVERS; i++) max = Math.max(max, transitionMs(NOMINAL[kind], SPREAD, SEED, `r-${i}`, kind));
    return max;
}

async function run(scenario: Scenario, provider: string): Promise<Run> {
    let emu: RunningEmulator | undefined;
    let host: ProviderHost | undefined;
    try {
        emu = await startEmulator({
            rateLimit: { perSecond: scenario.perSecond, shape: scenario.shape },
            timings: { devServer: { ...NOMINAL, start: 30_000, spread: SPREAD, spreadSeed: SEED } },
        });
        host = await ProviderHost.start({
            env: scenario.client === "adaptive (default)" ? {} : { PULUMI_MODELARTS_RATE_MODE: "fixed" },
        });
        await host.configure(stackConfigFor(emu));
        let maxRssMiB = 0;
        const sampler = setInterval(() => {
            const rss = rssMiB(host!.pid);
            if (rss !== undefined) maxRssMiB = Math.max(maxRssMiB, rss);
        }, 1000);
        const phases: Phase[] = [];
        const states: Array<{ id: string; properties: Record<string, unknown> }> = [];
        const necessary = { create: SERVERS, stop: SERVERS, delete: 2 * SERVERS };
        const phase = async (name: Phase["name"], op: (i: number) => Promise<unknown>) => {
            await emu!.admin.clearRequests();
            const started = Date.now();
            const results = await Promise.allSettled(Array.from({ length: SERVERS }, (_, i) => op(i)));
            const wallMs = Date.now() - started;
            const failures = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
            // No 429 (nor anything else) reaches an operation.
            expect(failures.slice(0, 3).map((f) => `${scenario.label}, ${scenario.client}: ${String(f.reason?.message ?? f.reason)}`)).toEqual([]);
            const log = await emu!.admin.requests();
            phases.push({
                name,
                wallMs,
                floorMs: (necessary[name] * 1000) / scenario.perSecond + slowest(name),
                calls: log.length,
                throttled: log.filter((r) => r.status === 429).length,
            });
        };
        await phase("create", async (i) => {
            states[i] = await host!.create(urnFor("DevServer", `r${i}`), inputs(i, provider));
        });
        await phase("stop", async (i) => {
            const r = await host!.update(urnFor("DevServer", `r${i}`), states[i].id, states[i].properties, inputs(i, provider, "STOPPED"));
            states[i].properties = r.properties;
        });
        await phase("delete", async (i) => {
            await host!.delete(urnFor("DevServer", `r${i}`), states[i].id, states[i].properties);
        });
        clearInterval(sampler);
        const dump = await emu.admin.state();
        expect(dump.projects[emu.projectId]?.devServers ?? []).toHaveLength(0);
        return { scenario, phases, maxRssMiB };
    } finally {
        await host?.close();
        await emu?.close();
    }
}

/** Which adaptive runs missed which target (the operations' failures fail the run before this). */
function verdict(totals: Array<{ run: Run; wall: number; floor: number; calls: number; throttled: number }>): string {
    const missed = totals
        .filter((t) => t.run.scenario.target)
        .flatMap((t) => [
            ...(t.wall / t.floor > 1.15 ? [`${t.run.scenario.label}: ${(t.wall / t.floor).toFixed(2)}x`] : []),
            ...(t.throttled / t.calls > 0.05 ? [`${t.run.scenario.label}: ${((100 * t.throttled) / t.calls).toFixed(1)} % 429s`] : []),
            ...(t.run.maxRssMiB >= 300 ? [`${t.run.scenario.label}: ${t.run.maxRssMiB} MiB`] : []),
        ]);
    return missed.length === 0 ? "Met by every adaptive run." : `**Not met**: ${missed.join("; ")}.`;
}

describe("zero-configuration throughput against each limiter shape", () => {
    it("a thousand DevServers per run, every shape side by side with the fixed 10/s client", async () => {
        const provider = providerTextOf("devServerShim");
        const only = process.env.BENCH_RUNS?.split(",").map(Number);
        const scenarios = SCENARIOS.filter((_, i) => !only || only.includes(i));
        const started = Date.now();
        // Every run ends (its host and emulator closed) before the test does, even when one fails.
        const settled = await Promise.allSettled(scenarios.map((s) => run(s, provider)));
        const failed = settled.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
        expect(failed.map((f) => String(f.reason?.message ?? f.reason))).toEqual([]);
        const runs = settled.map((r) => (r as PromiseFulfilledResult<Run>).value);
        const totalS = Math.round((Date.now() - started) / 1000);
        const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
        const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
        const rows: Array<Array<string | number>> = [];
        const totals = runs.map((r) => {
            const wall = r.phases.reduce((a, p) => a + p.wallMs, 0);
            const floor = r.phases.reduce((a, p) => a + p.floorMs, 0);
            const calls = r.phases.reduce((a, p) => a + p.calls, 0);
            const throttled = r.phases.reduce((a, p) => a + p.throttled, 0);
            return { run: r, wall, floor, calls, throttled, worst: Math.max(...r.phases.map((p) => p.wallMs / p.floorMs)) };
        });
        for (const t of totals) {
            const r = t.run;
            const phases = r.phases.map((p) => `${p.name} ${(p.wallMs / p.floorMs).toFixed(2)}`).join(", ");
            rows.push([
                r.scenario.label, r.scenario.client, s(t.wall), s(t.floor), `**${(t.wall / t.floor).toFixed(2)}**`, phases,
                t.calls, `${t.throttled} (${pct(t.throttled, t.calls)})`, `${r.maxRssMiB} MiB`,
            ]);
        }
        const text = [
            `## Zero configuration: the adaptive rate limit against each limiter shape`,
            "",
            "Produced by `tests/bench/rateLimit.bench.ts` (`npm run bench`). Per run: one emulator and one host process,",
            `${SERVERS} DevServers created, stopped and deleted (${SERVERS} concurrent operations per phase), client defaults`,
            "(no `PULUMI_MODELARTS_MAX_RPS`) unless the client column says fixed (`PULUMI_MODELARTS_RATE_MODE=fixed`: 10/s, burst 10,",
            "the behaviour before the adaptive limiter). Transitions drawn per server from a seeded spread of",
            `+/- ${SPREAD * 100} % around create ${NOMINAL.create / 1000} s, stop ${NOMINAL.stop / 1000} s, delete ${NOMINAL.delete / 1000} s (seed ${SEED}).`,
            `The ${runs.length} runs went concurrently, each with its own emulator and host (they are paced by their rate limits; the`,
            `matrix took ${totalS} s).`,
            "",
            "**Physical floor** of a phase = its necessary calls at the limit (create: the POSTs, stop: the PUTs, delete: the",
            "DELETEs and the GET proving each server gone) + the slowest transition of the phase. Per-minute 1200/min is",
            "counted as 20/s. 429s: answers the emulator throttled (the client retried them; no operation failed). RSS:",
            "the host's maximum, sampled every second.",
            "",
            table(["emulator limit", "client", "wall", "floor", "wall / floor", "per phase", "API calls", "429s", "host RSS"], rows),
            "",
            "Targets (adaptive runs): each within 1.15x of its floor, at most 5 % of calls answered 429, none reaching an",
            `operation, host RSS under 300 MiB. ${verdict(totals)}`,
            "A per-minute quota can finish below its \"floor\": it lets a minute's calls go in a burst.",
        ].join("\n");
        if (SMOKE) console.log(text);
        else writeSection("rates", text);
        for (const t of totals.filter((x) => x.run.scenario.target)) {
            const what = `${t.run.scenario.label}`;
            expect([what, t.wall / t.floor <= 1.15]).toEqual([what, true]);
            expect([what, t.throttled / t.calls <= 0.05]).toEqual([what, true]);
            expect([what, t.run.maxRssMiB < 300]).toEqual([what, true]);
        }
    });
});
