/**
 * How long after a DevServer settles does an operation return, and how many API calls does the
 * wait cost? Our adaptive schedule against the Terraform provider's (first poll after 10 s, then
 * every 30 s), for transitions of 5 s, 60 s and 600 s.
 *
 * 1. Exact schedule arithmetic: the real `waitFor` on a virtual clock, a status that flips at T.
 *    Reported at T and as the worst case over T +/- 10 % (where T falls on the poll grid matters).
 * 2. The real thing: `create` against the emulator over HTTP, with emulator time and our poll
 *    schedule scaled by the same factor for the 60 s and 600 s cases, converted back to real time.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { setStackConfig } from "../../provider/config";
import { resetClients } from "../../provider/client";
import * as devServer from "../../provider/resources/devServer";
import { defaultSchedule, PollSchedule, waitFor } from "../../provider/wait";
import { setLogSink } from "../../provider/log";
import { stackConfigFor } from "../harness/engine";
import { table, writeSection } from "./report";

const TRANSITIONS_S = [5, 60, 600];
/**
 * Time scale of the measured runs per transition (real seconds per run: 5, 15, 30);
 * BENCH_WAITER_REAL=1 runs them in real time (about 11 minutes with one run each).
 */
const SCALES: Record<number, number> = process.env.BENCH_WAITER_REAL === "1" ? { 5: 1, 60: 1, 600: 1 } : { 5: 1, 60: 1 / 4, 600: 1 / 20 };
/** Measured runs per transition (the median is reported). */
const REPEATS = Number(process.env.BENCH_WAITER_REPEATS ?? 5);

const TERRAFORM: PollSchedule = { firstDelayMs: 10_000, minIntervalMs: 30_000, maxIntervalMs: 30_000, elapsedFraction: 0 };

async function simulate(schedule: PollSchedule, transitionMs: number): Promise<{ extraMs: number; polls: number }> {
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const result = await waitFor({
        what: "simulated transition",
        refresh: async () => ({ status: now >= transitionMs ? "RUNNING" : "CREATING", value: null }),
        pending: ["CREATING"],
        target: ["RUNNING"],
        timeoutMs: 10 * transitionMs + 600_000,
        schedule,
        clock,
        onStatus: () => undefined,
    });
    return { extraMs: now - transitionMs, polls: result.polls };
}

const targetFor = (transitionMs: number) => Math.max(2000, 0.1 * transitionMs);
/** What the schedule aims for now that waits share cheap list calls: max(1 s, 5 %). */
const aimFor = (transitionMs: number) => Math.max(1000, 0.05 * transitionMs);

/** The worst extra wait for transitions within +/- 10 % of nominal, and whether each met its own target. */
async function worstAround(schedule: PollSchedule, transitionMs: number) {
    let worst = { extraMs: 0, polls: 0, allWithinTarget: true };
    for (let f = 0.9; f <= 1.1001; f += 0.002) {
        const t = Math.round(transitionMs * f);
        const r = await simulate(schedule, t);
        if (r.extraMs > targetFor(t)) worst.allWithinTarget = false;
        if (r.extraMs > worst.extraMs) worst = { ...r, allWithinTarget: worst.allWithinTarget };
    }
    return worst;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describe("waiter schedule", () => {
    let emu: RunningEmulator;
    const restoreLog = setLogSink(() => undefined);
    afterAll(async () => {
        restoreLog();
        await emu?.close();
    });

    it("reports the extra wait and API calls, ours against Terraform's", async () => {
        const ours = defaultSchedule({});
        const rows: Array<Array<string | number>> = [];
        for (const t of TRANSITIONS_S) {
            const ms = t * 1000;
            const [o, tf, ow, tfw] = await Promise.all([
                simulate(ours, ms),
                simulate(TERRAFORM, ms),
                worstAround(ours, ms),
                worstAround(TERRAFORM, ms),
            ]);
            rows.push([`${t} s`, s(o.extraMs), s(ow.extraMs), o.polls, s(tf.extraMs), s(tfw.extraMs), tf.polls, s(targetFor(ms)), ow.allWithinTarget ? "yes" : "NO", `${s(aimFor(ms))}${ow.extraMs <= aimFor(ms) ? "" : " (worst above)"}`]);
            expect(o.extraMs).toBeLessThanOrEqual(targetFor(ms));
            expect(ow.allWithinTarget).toBe(true);
        }

        // The real provider against the emulator: POST + polls until RUNNING, REPEATS times per
        // transition. Emulator time and our poll schedule are scaled alike to keep the run short;
        // the scales stay gentle (at most 1/20) because a scaled run multiplies every millisecond of
        // request latency by the inverse of its scale when converted back to real time.
        emu = await startEmulator({ rateLimit: null });
        const measured: Array<Array<string | number>> = [];
        for (const t of TRANSITIONS_S) {
            const scale = SCALES[t];
            const extras: number[] = [];
            let calls = 0;
            for (let run = 0; run < REPEATS; run++) {
                await emu.admin.setConfig({ timings: { devServer: { create: t * 1000 * scale } } });
                process.env.PULUMI_MODELARTS_POLL_SCALE = String(scale);
                const config = stackConfigFor(emu);
                setStackConfig({ get: (k: string) => config[k] });
                resetClients();
                await emu.admin.clearRequests();
                const created = await devServer.create({
                    name: `bench-${t}-${run}`,
                    flavor: "Si2.large.4",
                    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
                    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
                    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
                    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
                    keyPairName: "bench",
                });
                const returnedAt = Date.now();
                const settledAt = Date.parse(created.outs.createdAt!) + t * 1000 * scale;
                extras.push((returnedAt - settledAt) / scale);
                calls = Math.max(calls, (await emu.admin.requests()).length);
                delete process.env.PULUMI_MODELARTS_POLL_SCALE;
            }
            extras.sort((a, b) => a - b);
            const median = extras[Math.floor(extras.length / 2)];
            measured.push([`${t} s`, scale === 1 ? "1" : `1/${Math.round(1 / scale)}`, s(median), `${s(extras[0])} - ${s(extras[extras.length - 1])}`, calls, s(targetFor(t * 1000))]);
            expect(median).toBeLessThanOrEqual(targetFor(t * 1000));
        }

        writeSection(
            "waiter",
            [
                "## Waiting for a DevServer to settle",
                "",
                "Produced by `tests/bench/waiter.bench.ts` (`npm run bench`).",
                "",
                "Extra wait = time between the server reaching its target status and the operation returning.",
                "Our schedule: first poll after 1 s, then every 5 % of the time waited so far, between 1 s and 20 s.",
                "Terraform's Huawei Cloud provider: first poll after 10 s, then every 30 s.",
                "",
                "### Schedule arithmetic (virtual clock, the real `waitFor`)",
                "",
                "Worst = the largest extra wait for transitions within +/- 10 % of the nominal length; \"within target\" checks each of those against max(2 s, 10 %) of its own length.",
                "",
                table(
                    ["transition", "ours: extra", "ours: worst", "ours: polls", "Terraform: extra", "Terraform: worst", "Terraform: polls", "target max(2 s, 10 %)", "ours within target", "aim max(1 s, 5 %)"],
                    rows,
                ),
                "",
                "### Measured: `create` against the emulator over HTTP",
                "",
                `Emulator transition time and our poll schedule scaled by the same factor (shown); extra wait converted back`,
                `to real time (a millisecond of request latency at 1/20 counts as 20 ms). ${REPEATS} runs per transition: the median and`,
                "the range. API calls: the most any run made, the POST included.",
                "",
                table(["transition", "time scale", "extra wait (median)", "range", "API calls", "target"], measured),
            ].join("\n"),
        );
    });
});
