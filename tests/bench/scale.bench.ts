/**
 * Scale: 100 DevServers created, stopped and deleted concurrently through Pulumi's
 * dynamic-provider host (one process, as the engine runs it) against an emulator limited to 20
 * requests per second per project. Everything must succeed with zero 429s surfaced, within 1.5x of
 * the floor: the chain of transition times plus the mutating calls and one confirming read per
 * transition pushed through the rate limit. The host's memory is sampled throughout.
 */
import * as fs from "fs";
import { startEmulator, RunningEmulator } from "../../emulator";
import { ProviderHost, providerTextOf, stackConfigFor, urnFor } from "../harness/engine";
import { table, writeSection } from "./report";

const SERVERS = 100;
const RATE = 20;
const TIMINGS = { create: 5000, stop: 3000, delete: 3000 };

function rssMiB(pid: number | undefined): number | undefined {
    if (!pid) return undefined;
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Math.round(Number(m[1]) / 1024) : undefined;
    } catch {
        return undefined;
    }
}

describe("scale", () => {
    let emu: RunningEmulator;
    let host: ProviderHost;
    afterAll(async () => {
        await host?.close();
        await emu?.close();
    });

    it(`creates, stops and deletes ${SERVERS} DevServers at ${RATE} requests/s`, async () => {
        emu = await startEmulator({
            rateLimit: { perSecond: RATE },
            timings: { devServer: { create: TIMINGS.create, start: 3000, stop: TIMINGS.stop, delete: TIMINGS.delete } },
        });
        host = await ProviderHost.start({ env: { PULUMI_MODELARTS_MAX_RPS: String(RATE) } });
        await host.configure(stackConfigFor(emu));
        const provider = providerTextOf("devServerShim");
        const inputs = (i: number, powerState = "RUNNING") => ({
            name: `scale-${i}`,
            flavor: "Si2.large.4",
            imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
            vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
            subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
            securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
            keyPairName: "scale",
            powerState,
            __provider: provider,
        });
        const memory: number[] = [];
        const sampler = setInterval(() => {
            const m = rssMiB(host.pid);
            if (m !== undefined) memory.push(m);
        }, 500);

        const phases: Array<{ name: string; wallMs: number; calls: number; throttled: number; floorMs: number; memAfter?: number }> = [];
        async function phase(name: string, transitionMs: number, mutating: number, run: (i: number) => Promise<unknown>) {
            await emu.admin.clearRequests();
            const started = Date.now();
            const results = await Promise.allSettled(Array.from({ length: SERVERS }, (_, i) => run(i)));
            const wallMs = Date.now() - started;
            const failures = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
            expect(failures.map((f) => String(f.reason?.message ?? f.reason))).toEqual([]);
            const log = await emu.admin.requests();
            const floorMs = transitionMs + ((mutating + 1) * SERVERS * 1000) / RATE;
            phases.push({ name, wallMs, calls: log.length, throttled: log.filter((r) => r.status === 429).length, floorMs, memAfter: rssMiB(host.pid) });
        }

        const states: Array<{ id: string; properties: Record<string, unknown> }> = [];
        await phase("create", TIMINGS.create, 1, async (i) => {
            states[i] = await host.create(urnFor("DevServer", `s${i}`), inputs(i));
        });
        await phase("stop", TIMINGS.stop, 1, async (i) => {
            const r = await host.update(urnFor("DevServer", `s${i}`), states[i].id, states[i].properties, inputs(i, "STOPPED"));
            states[i].properties = r.properties;
            expect(r.properties.status).toBe("STOPPED");
        });
        await phase("delete", TIMINGS.delete, 1, async (i) => {
            await host.delete(urnFor("DevServer", `s${i}`), states[i].id, states[i].properties);
        });
        clearInterval(sampler);

        const dump = await emu.admin.state();
        expect(dump.projects[emu.projectId]?.devServers ?? []).toHaveLength(0);
        const totalWall = phases.reduce((a, p) => a + p.wallMs, 0);
        const totalFloor = phases.reduce((a, p) => a + p.floorMs, 0);
        const totalCalls = phases.reduce((a, p) => a + p.calls, 0);
        const ratio = totalWall / totalFloor;
        const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

        writeSection(
            "scale",
            [
                "## Scale: 100 DevServers through the dynamic-provider host",
                "",
                "Produced by `tests/bench/scale.bench.ts` (`npm run bench`). One host process (as the engine runs",
                `it), ${SERVERS} concurrent operations per phase, emulator limited to ${RATE} requests/s per project`,
                `(client limit set to match with PULUMI_MODELARTS_MAX_RPS=${RATE}); transitions: create ${TIMINGS.create / 1000} s,`,
                `stop ${TIMINGS.stop / 1000} s, delete ${TIMINGS.delete / 1000} s. Floor = transition + (one mutating call + one`,
                "confirming read) per server pushed through the rate limit. 429s absorbed = answers the client",
                "retried; none reached the caller (every operation succeeded). The floor adds the transition and",
                "the rate-limited calls end to end; in a run they overlap, which is how a phase can beat it.",
                "",
                table(
                    ["phase", "wall", "floor", "wall / floor", "API calls", "429s absorbed", "host RSS after"],
                    [
                        ...phases.map((p) => [p.name, s(p.wallMs), s(p.floorMs), (p.wallMs / p.floorMs).toFixed(2), p.calls, p.throttled, `${p.memAfter ?? "?"} MiB`]),
                        ["total", s(totalWall), s(totalFloor), ratio.toFixed(2), totalCalls, phases.reduce((a, p) => a + p.throttled, 0), ""],
                    ],
                ),
                "",
                `Host memory (RSS, sampled every 0.5 s): min ${Math.min(...memory)} MiB, max ${Math.max(...memory)} MiB over ${memory.length} samples.`,
                "",
                `Serialized provider stored in each resource's state (Pulumi's closure serializer): DevServer ${provider.length} bytes, ` +
                    `NotebookAutoStop ${providerTextOf("notebookAutoStopShim").length} bytes (tests keep both at most 3 KB).`,
            ].join("\n"),
        );
        expect(ratio).toBeLessThanOrEqual(1.5);
    });
});
