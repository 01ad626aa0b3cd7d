/**
 * Two stacks deploying at once against one project: two provider processes (hosts with the client's
 * defaults and the normal poll schedule) sharing one API limit (a sliding one-second window), each
 * creating its servers. Both must finish without an error, together within 1.3x of their combined
 * floor (issue 22); the section also says where the time went (429s, seconds the limit was not used).
 *
 * Floor = every POST of both stacks at the limit + the create transition.
 */
import { startEmulator } from "../../emulator";
import { ProviderHost, providerTextOf, stackConfigFor, urnFor } from "../harness/engine";
import { table, writeSection } from "./report";

// BENCH_STACK_SERVERS / BENCH_LIMIT / BENCH_CREATE_MS make an exploratory run that only prints.
const SMOKE = ["BENCH_STACK_SERVERS", "BENCH_LIMIT", "BENCH_CREATE_MS"].some((k) => process.env[k] !== undefined);
const SERVERS = Number(process.env.BENCH_STACK_SERVERS ?? 300);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 20);
const CREATE_MS = Number(process.env.BENCH_CREATE_MS ?? 10_000);
const TARGET = 1.3;

const inputs = (name: string, provider: string) => ({
    name,
    flavor: "Si2.large.4",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: "rates",
    __provider: provider,
});

test("two stacks at once share one API limit", async () => {
    const emu = await startEmulator({
        rateLimit: { perSecond: LIMIT, shape: "sliding-window" },
        timings: { devServer: { create: CREATE_MS, start: 500, stop: 500, delete: 500 } },
    });
    const provider = providerTextOf("devServerShim");
    const hosts: ProviderHost[] = [];
    try {
        for (let i = 0; i < 2; i++) {
            const host = await ProviderHost.start();
            await host.configure(stackConfigFor(emu));
            hosts.push(host);
        }
        await emu.admin.clearRequests();
        const started = Date.now();
        const ends = [0, 0];
        const results = await Promise.allSettled(
            hosts.flatMap((host, s) =>
                Array.from({ length: SERVERS }, (_, i) =>
                    host.create(urnFor("DevServer", `s${s}-${i}`), inputs(`s${s}-${i}`, provider)).then((r) => {
                        ends[s] = Math.max(ends[s], Date.now() - started);
                        return r;
                    }),
                ),
            ),
        );
        const wallMs = Date.now() - started;
        const failures = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
        expect(failures.slice(0, 3).map((f) => String(f.reason?.message ?? f.reason))).toEqual([]);
        const requests = await emu.admin.requests();
        const servers = (await emu.admin.state()).projects[emu.projectId]?.devServers ?? [];
        expect(servers.filter((s: { status?: string }) => s.status === "RUNNING")).toHaveLength(2 * SERVERS);

        const floorMs = (2 * SERVERS * 1000) / LIMIT + CREATE_MS;
        const perSecond = new Map<number, { all: number; throttled: number }>();
        for (const r of requests) {
            const second = Math.floor((Date.parse(r.time) - started) / 1000);
            const b = perSecond.get(second) ?? { all: 0, throttled: 0 };
            b.all++;
            if (r.status === 429) b.throttled++;
            perSecond.set(second, b);
        }
        const seconds = [...perSecond.keys()].sort((a, b) => a - b);
        const quiet = seconds.length ? seconds[seconds.length - 1] - seconds[0] + 1 - seconds.filter((s) => perSecond.get(s)!.all >= LIMIT * 0.75).length : 0;
        const throttled = requests.filter((r) => r.status === 429).length;
        const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
        const text = [
            "## Two stacks at once against one API limit",
            "",
            "Produced by `tests/bench/twoStacks.bench.ts` (`npm run bench`). Two provider hosts (client defaults, normal poll",
            `schedule), each creating ${SERVERS} DevServers at once, against one emulator whose limit is a sliding one-second`,
            `window of ${LIMIT} requests; create takes ${CREATE_MS / 1000} s. Floor = both stacks' POSTs at the limit + the create`,
            `transition. Target: within ${TARGET}x of the floor, no operation failing. The seconds below 75 % of the limit`,
            "include the create transition after the last POST, when only polls go out.",
            "",
            table(
                ["wall", "floor", "wall / floor", "stack ends", "API calls", "429s", "seconds below 75 % of the limit"],
                [[s(wallMs), s(floorMs), `**${(wallMs / floorMs).toFixed(2)}**`, ends.map(s).join(", "), requests.length, throttled, quiet]],
            ),
        ].join("\n");
        if (SMOKE) console.log(text + "\n" + seconds.map((x) => `${x}s: ${perSecond.get(x)!.all} (429: ${perSecond.get(x)!.throttled})`).join("\n"));
        else writeSection("twostacks", text);
        expect(wallMs / floorMs).toBeLessThanOrEqual(TARGET);
    } finally {
        for (const h of hosts) await h.close();
        await emu.close();
    }
});
