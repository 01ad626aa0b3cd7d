import { defaultSchedule, nextDelay, Observation, waitFor } from "../../provider/wait";
import { WaitFailedError, WaitNotFoundError, WaitTimeoutError } from "../../provider/errors";

/** A virtual clock and a resource whose status follows a script of (from ms, status) steps. */
function scripted(steps: Array<[number, string | undefined]>) {
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    let polls = 0;
    const refresh = async (): Promise<Observation<number>> => {
        polls++;
        let status: string | undefined;
        for (const [from, s] of steps) if (now >= from) status = s;
        return status === undefined ? undefined : { status, value: now };
    };
    return { clock, refresh, polls: () => polls, now: () => now };
}

const quiet = { onStatus: () => undefined, schedule: defaultSchedule({}) };

describe("waitFor", () => {
    it("returns soon after the target status appears, polling less often as time goes by", async () => {
        const r = scripted([[0, "CREATING"], [60_000, "RUNNING"]]);
        const result = await waitFor({ ...quiet, what: "x", refresh: r.refresh, clock: r.clock, pending: ["CREATING"], target: ["RUNNING"], timeoutMs: 600_000 });
        expect(result.last?.status).toBe("RUNNING");
        expect(r.now() - 60_000).toBeLessThanOrEqual(3_000);
        expect(r.polls()).toBeLessThan(50);
    });

    it("fails at once on a failed status, naming it", async () => {
        const r = scripted([[0, "CREATING"], [3_000, "CREATE_FAILED"]]);
        const err = await waitFor({ ...quiet, what: "server x to be RUNNING", refresh: r.refresh, clock: r.clock, pending: ["CREATING"], target: ["RUNNING"], failed: ["CREATE_FAILED"], timeoutMs: 600_000 }).catch((e) => e);
        expect(err).toBeInstanceOf(WaitFailedError);
        expect(err.message).toMatch(/server x to be RUNNING: it reached status CREATE_FAILED/);
        expect(r.now()).toBeLessThan(6_000);
    });

    it("fails on a status that is neither pending nor target", async () => {
        const r = scripted([[0, "REBOOTING"]]);
        const err = await waitFor({ ...quiet, what: "x", refresh: r.refresh, clock: r.clock, pending: ["CREATING"], target: ["RUNNING"], timeoutMs: 60_000 }).catch((e) => e);
        expect(err.message).toMatch(/REBOOTING .*unexpected status/);
    });

    it("times out with the last status seen", async () => {
        const r = scripted([[0, "CREATING"]]);
        const err = await waitFor({ ...quiet, what: "x", refresh: r.refresh, clock: r.clock, pending: ["CREATING"], target: ["RUNNING"], timeoutMs: 30_000 }).catch((e) => e);
        expect(err).toBeInstanceOf(WaitTimeoutError);
        expect(err.message).toMatch(/timed out after 30s waiting for x \(last status CREATING\)/);
        expect(r.now()).toBe(30_000);
    });

    it("takes gone as the target when deleting, and tolerates a few not-found answers otherwise", async () => {
        const del = scripted([[0, "DELETING"], [2_500, undefined]]);
        await expect(waitFor({ ...quiet, what: "x", refresh: del.refresh, clock: del.clock, pending: ["DELETING"], target: [], notFoundIsTarget: true, timeoutMs: 60_000 })).resolves.toMatchObject({ last: undefined });
        const lagging = scripted([[0, undefined], [2_500, "RUNNING"]]);
        await expect(waitFor({ ...quiet, what: "x", refresh: lagging.refresh, clock: lagging.clock, pending: [], target: ["RUNNING"], timeoutMs: 60_000 })).resolves.toMatchObject({ last: { status: "RUNNING" } });
        const gone = scripted([[0, undefined]]);
        await expect(waitFor({ ...quiet, what: "x", refresh: gone.refresh, clock: gone.clock, pending: [], target: ["RUNNING"], timeoutMs: 60_000 })).rejects.toBeInstanceOf(WaitNotFoundError);
    });

    it("polls through transient errors until the deadline", async () => {
        const r = scripted([[0, "CREATING"], [5_000, "RUNNING"]]);
        let failures = 0;
        const flaky = async () => {
            if (failures++ < 3) throw Object.assign(new Error("503"), { status: 503 });
            return r.refresh();
        };
        const result = await waitFor({ ...quiet, what: "x", refresh: flaky, clock: r.clock, pending: ["CREATING"], target: ["RUNNING"], timeoutMs: 60_000, isTransient: (e) => (e as { status?: number }).status === 503 });
        expect(result.last?.status).toBe("RUNNING");
    });

    describe("a status the request moves the server out of (STOPPED for a start)", () => {
        const start = (r: ReturnType<typeof scripted>, extra = {}) =>
            waitFor({ ...quiet, what: "x to be RUNNING", refresh: r.refresh, clock: r.clock, pending: ["STARTING"], leaving: ["STOPPED"], target: ["RUNNING"], timeoutMs: 1_800_000, ...extra });

        it("is pending while the service has not picked the request up yet", async () => {
            const r = scripted([[0, "STOPPED"], [2_000, "STARTING"], [8_000, "RUNNING"]]);
            await expect(start(r)).resolves.toMatchObject({ last: { status: "RUNNING" } });
        });

        it("fails at once when it comes back after the transition began: changed outside Pulumi", async () => {
            const r = scripted([[0, "STARTING"], [3_000, "STOPPED"]]);
            const err = await start(r).catch((e) => e);
            expect(err.message).toMatch(/it reached status STOPPED \(it went back to STOPPED, so it was probably changed outside Pulumi\)/);
            expect(r.now()).toBeLessThan(6_000);
        });

        it("fails after the grace period when the request never takes effect", async () => {
            const r = scripted([[0, "STOPPED"]]);
            const err = await start(r, { leavingGraceMs: 20_000 }).catch((e) => e);
            expect(err.message).toMatch(/it was still STOPPED 2\ds after the request/);
        });
    });
});

describe("nextDelay", () => {
    it("starts at a second, grows with 5 % of the elapsed time, and stays within 1 s..20 s", () => {
        const s = defaultSchedule({});
        expect(nextDelay(s, 0, 0)).toBe(1000);
        expect(nextDelay(s, 5_000, 3)).toBe(1000);
        expect(nextDelay(s, 60_000, 20)).toBe(3000);
        expect(nextDelay(s, 3_600_000, 80)).toBe(20_000);
        expect(defaultSchedule({ PULUMI_MODELARTS_POLL_SCALE: "0.05" }).minIntervalMs).toBe(50);
        expect(defaultSchedule({ PULUMI_MODELARTS_POLL_SCALE: "7" }).minIntervalMs).toBe(1000);
    });
});

describe("waitFor with the request's answer already showing the transition", () => {
    it("fails at once when the first poll already shows the status the request moved it out of", async () => {
        let now = 0;
        const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
        const err = await waitFor({
            onStatus: () => undefined, schedule: defaultSchedule({}), what: "x", clock,
            refresh: async () => ({ status: "STOPPED", value: 0 }),
            pending: ["STARTING"], leaving: ["STOPPED"], target: ["RUNNING"], pendingSeen: true, timeoutMs: 1_800_000,
        }).catch((e) => e);
        expect(err.message).toMatch(/went back to STOPPED/);
        expect(now).toBeLessThan(2_000);
    });
});

describe("progress lines", () => {
    it("a long wait repeats its status at least every 30 s; a short one prints only its changes", async () => {
        const lines: number[] = [];
        const r = scripted([[0, "CREATING"], [300_000, "RUNNING"]]);
        await waitFor({ what: "x", refresh: r.refresh, clock: r.clock, pending: ["CREATING"], target: ["RUNNING"], timeoutMs: 600_000,
            schedule: defaultSchedule({}), onStatus: (_s, at) => void lines.push(at) });
        const gaps = lines.slice(1).map((t, i) => t - lines[i]);
        expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000);
        expect(lines.length).toBeLessThan(300_000 / 10_000 + 3);

        const short: string[] = [];
        const s = scripted([[0, "STOPPING"], [6_000, "STOPPED"]]);
        await waitFor({ what: "y", refresh: s.refresh, clock: s.clock, pending: ["STOPPING"], target: ["STOPPED"], timeoutMs: 60_000,
            schedule: defaultSchedule({}), onStatus: (status) => void short.push(status) });
        expect(short).toEqual(["STOPPING", "STOPPED"]);
    });
});
