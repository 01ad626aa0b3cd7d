/**
 * Reliability and security matrices, through Pulumi's real dynamic-provider host against the
 * emulator: faults (tests/reliability/faultMatrix.ts), bad input (badInputMatrix.ts), emulator
 * surface security (surfaceMatrix.ts) and secrets (secretsMatrix.ts). One emulator and one host
 * serve every row; the emulator is reset between rows.
 *
 * At the end, when every row ran (not on a filtered run), the report is rendered from what was
 * observed and compared with the committed docs/RELIABILITY.md: the run fails when they differ.
 * `npm run docs:reliability` (RELIABILITY_WRITE=1) writes the file instead.
 */
import * as fs from "fs";
import * as path from "path";
import { ProviderHost, REPO_ROOT } from "../harness/engine";
import { Ctx, DEV_URN, NB_URN, NOTEBOOK_URN } from "./context";
import { expectedText, FAULT_ROWS, FaultRow, faultSetupText, runFaultRow, startBackgroundRow } from "./faultMatrix";
import { BAD_INPUT_ROWS, badInputProgram } from "./badInputMatrix";
import { API_RULE_ROWS } from "./apiRulesMatrix";
import { SURFACE_ROWS, surfaceFixture, SurfaceFixture } from "./surfaceMatrix";
import { Channel, exerciseTemporaryCredentials, scan, secretValues, TemporaryRun } from "./secretsMatrix";
import { REGENERATE_COMMAND, renderReport, ReportRow, ReportSection } from "./report";

/** Rows of secretsMatrix.ts `secretValues` (tests are declared before the run exists; checked below). */
const SECRET_ROW_COUNT = 11;
const secretId = (i: number) => `K${String(i + 1).padStart(2, "0")}`;
const REPORT_FILE = path.join(REPO_ROOT, "docs", "RELIABILITY.md");

const ctx = new Ctx();
const results = {
    faults: new Map<string, ReportRow>(),
    apiRules: new Map<string, ReportRow>(),
    badInput: new Map<string, ReportRow>(),
    surface: new Map<string, ReportRow>(),
    secrets: new Map<string, ReportRow>(),
};
const notes: string[] = [];
let shortHost: ProviderHost | undefined;

async function getShortHost(): Promise<ProviderHost> {
    shortHost ??= await ctx.startHost({
        PULUMI_MODELARTS_HTTP_TIMEOUT_MS: "800",
    });
    return shortHost;
}

function sections(): ReportSection[] {
    const ordered = <T>(m: Map<string, T>, ids: string[]) => ids.filter((id) => m.has(id)).map((id) => m.get(id)!);
    return [
        {
            title: "Fault matrix",
            intro:
                "Each row injects faults into the emulator (HTTP status bursts, dropped connections, delays, failed transitions, " +
                "out-of-band actions, an emulator restart), runs one operation through the host, and checks the outcome a user sees. " +
                "After every row an audit compares the emulator's DevServers with the ids the state tracks: no orphan, no duplicate. " +
                "`init failure` = Pulumi's ErrorResourceInitFailed carrying the server's id (the resource stays in the state).",
            columns: ["operation", "fault setup"],
            rows: ordered(results.faults, FAULT_ROWS.map((r) => r.id)),
        },
        {
            title: "Huawei Cloud API rules (issue 20)",
            intro:
                "One row per rule of the issue-20 table in docs/EMULATOR-VS-REAL-API.md, run like a fault-matrix row (same executor, " +
                "same audit). The emulator enforces the real API's rule (BSS refuses a call without the account's X-Domain-Id, ShowLease " +
                "answers only a RUNNING notebook, an EIP binds only to a RUNNING server, the plain endpoints refuse an HPS server, the " +
                "create reads one user-data key and ignores the other); each row checks, through the host and the emulator's request log, " +
                "what a user would notice.",
            columns: ["operation", "setup"],
            rows: ordered(results.apiRules, API_RULE_ROWS.map((r) => r.id)),
        },
        {
            title: "Bad-input matrix",
            intro:
                "Each row gives Check (through the host) one invalid argument. Pass = a failure whose property names the argument " +
                "(and no failure about any other argument), whose reason states the rule, and an emulator request log with zero API calls.",
            columns: ["resource", "property"],
            rows: ordered(results.badInput, BAD_INPUT_ROWS.map((r) => r.id)),
        },
        {
            title: "Emulator surface security",
            intro:
                "Where the emulator listens, who may use its admin API, and project isolation between the emulator's default tenants " +
                "(A: two projects, B: one), over signed HTTP and through a provider host configured for tenant B.",
            columns: [],
            rows: ordered(results.surface, SURFACE_ROWS.map((r) => r.id)),
        },
        {
            title: "Secrets",
            intro:
                "Every secret the suite used, searched for in everything it produced: host stdout/stderr (debug log level), engine " +
                "log calls, error messages and init-failure reasons, every Create/Read/Update response's properties and inputs, " +
                "check failure reasons, the serialized providers, and the report above.",
            columns: [],
            rows: ordered(results.secrets, [...Array(SECRET_ROW_COUNT)].map((_, i) => secretId(i))),
        },
    ];
}

function expectedRowCount(): number {
    return FAULT_ROWS.length + API_RULE_ROWS.length + BAD_INPUT_ROWS.length + SURFACE_ROWS.length + SECRET_ROW_COUNT;
}

function recordedRowCount(): number {
    return results.faults.size + results.apiRules.size + results.badInput.size + results.surface.size + results.secrets.size;
}

beforeAll(async () => {
    await ctx.start();
}, 60_000);

afterAll(async () => {
    await ctx.close();
}, 30_000);

test("every row of every matrix has its own id (the report and -t filters key on it)", () => {
    const ids = [...FAULT_ROWS, ...API_RULE_ROWS, ...BAD_INPUT_ROWS, ...SURFACE_ROWS].map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
});

describe("fault matrix", () => {
    // Long self-contained rows run in another project while the others run; checked at the end.
    const background = new Map<string, Promise<() => Promise<string>>>();
    beforeAll(async () => {
        await ctx.reset();
        for (const row of FAULT_ROWS.filter((r) => r.background)) {
            const started = startBackgroundRow(ctx, row);
            started.catch(() => undefined);
            background.set(row.id, started);
            await started.catch(() => undefined);
        }
    }, 30_000);
    const run = async (row: FaultRow): Promise<string> => {
        if (row.background) return (await background.get(row.id)!)();
        await ctx.reset();
        return runFaultRow(ctx, row, getShortHost);
    };
    for (const row of [...FAULT_ROWS.filter((r) => !r.background), ...FAULT_ROWS.filter((r) => r.background)]) faultRowTest(row, run, results.faults);
});

describe("Huawei Cloud API rules (issue 20)", () => {
    const run = async (row: FaultRow): Promise<string> => {
        await ctx.reset();
        return runFaultRow(ctx, row, getShortHost);
    };
    for (const row of API_RULE_ROWS) faultRowTest(row, run, results.apiRules);
});

/** One fault-style row as a test; what it observed goes to `into` for the report. */
function faultRowTest(row: FaultRow, run: (row: FaultRow) => Promise<string>, into: Map<string, ReportRow>): void {
    const test = row.knownBug ? it.failing : it;
    test(`${row.id} ${row.op}: ${row.scenario}${row.knownBug ? " [known provider bug]" : ""}`, async () => {
        let observed = "";
        let verdict = "FAIL";
        try {
            observed = await run(row);
            verdict = row.knownBug ? "FAIL (known-bug row now passes: remove its mark)" : "pass";
        } catch (e) {
            observed = `${(e as Error).message}`;
            if (row.knownBug && !row.knownBugSignature?.test(observed)) {
                // Failed, but not the way the known bug does: return normally so it.failing reports it.
                verdict = "FAIL (failed differently from the known bug)";
                return;
            }
            if (row.knownBug) {
                verdict = "known bug";
                observed = `${observed} — KNOWN BUG: ${row.knownBug}`;
            }
            throw e;
        } finally {
            // RELIABILITY_VERBOSE=1 prints each row's observation (handy with -t).
            if (process.env.RELIABILITY_VERBOSE) console.log(`${row.id}: ${observed}`);
            into.set(row.id, {
                id: row.id,
                scenario: row.scenario,
                extra: [row.op, faultSetupText(row)],
                expected: expectedText(row),
                observed,
                verdict,
            });
        }
    }, 45_000);
}

describe("bad-input matrix", () => {
    beforeAll(async () => {
        await ctx.reset();
    });

    it.each(BAD_INPUT_ROWS.map((r) => [`${r.id} ${r.resource}.${r.property}: ${r.scenario}`, r] as const))("%s", async (_title, row) => {
        const urn = row.resource === "DevServer" ? DEV_URN : row.resource === "Notebook" ? NOTEBOOK_URN : NB_URN;
        const news = row.resource === "DevServer" ? ctx.dev(badInputProgram(row)) : row.resource === "Notebook" ? ctx.notebookInputs(badInputProgram(row)) : ctx.nb(badInputProgram(row));
        let observed = "";
        let passed = false;
        try {
            const { failures } = await ctx.host.check(urn, {}, news);
            ctx.collected.checkReasons.push(...failures.map((f) => f.reason));
            const calls = (await ctx.emu.admin.requests()).length;
            const mine = failures.find((f) => f.property === row.property);
            observed =
                failures.map((f) => `${f.property}: ${f.reason}`).join(" / ") + `; ${calls} API calls`;
            if (!mine) throw new Error(`no failure names ${row.property}: ${observed || "check passed"}`);
            if (!row.reason.test(mine.reason)) throw new Error(`reason does not state the rule ${row.reason}: ${mine.reason}`);
            const top = row.property.split(".")[0];
            const others = failures.filter((f) => f.property.split(".")[0] !== top);
            if (others.length) throw new Error(`unrelated failures: ${others.map((f) => f.property).join(", ")}`);
            if (calls !== 0) throw new Error(`${calls} API calls were made during check`);
            passed = true;
        } catch (e) {
            if (!observed) observed = (e as Error).message;
            else observed = `${(e as Error).message} — ${observed}`;
            throw e;
        } finally {
            results.badInput.set(row.id, {
                id: row.id,
                scenario: row.scenario,
                extra: [row.resource, row.property],
                expected: `failure on ${row.property} stating ${row.reason.source.replace(/\\/g, "")}; 0 API calls`,
                observed,
                verdict: passed ? "pass" : "FAIL",
            });
        }
    });
});

describe("emulator surface security", () => {
    let fixture: SurfaceFixture;
    beforeAll(async () => {
        await ctx.reset();
        fixture = await surfaceFixture(ctx);
    }, 30_000);

    it.each(SURFACE_ROWS.map((r) => [`${r.id} ${r.scenario}`, r] as const))("%s", async (_title, row) => {
        let observed = "";
        let passed = false;
        try {
            observed = await row.run(fixture);
            passed = true;
        } catch (e) {
            observed = (e as Error).message;
            throw e;
        } finally {
            results.surface.set(row.id, { id: row.id, scenario: row.scenario, extra: [], expected: row.expected, observed, verdict: passed ? "pass" : "FAIL" });
        }
    }, 30_000);
});

describe("secrets", () => {
    let tmp: TemporaryRun;
    let channels: Channel[];
    beforeAll(async () => {
        await ctx.reset();
        tmp = await exerciseTemporaryCredentials(ctx);
        notes.push(`Secrets: temporary credentials run — ${tmp.notes.join("; ")}`);
        const draft = renderReport(sections(), { notes });
        channels = [
            { name: "host output", text: ctx.hostText() },
            { name: "engine log calls", text: ctx.engineLogText() },
            { name: "error messages", text: ctx.collected.errors.join("\n") },
            { name: "response properties", text: JSON.stringify(ctx.collected.responses) },
            { name: "check failure reasons", text: ctx.collected.checkReasons.join("\n") },
            { name: "serialized providers", text: ctx.devText + ctx.nbText + ctx.notebookText },
            { name: "report", text: draft },
        ];
    }, 60_000);

    it("the channels scanned are not empty (the scan can find something)", () => {
        for (const c of channels) if (c.name !== "engine log calls") expect(c.text.length).toBeGreaterThan(0);
        expect(ctx.hostText()).toMatch(/\[modelarts\]/);
        expect(ctx.collected.errors.length).toBeGreaterThan(0);
        expect(secretValues(ctx, tmp)).toHaveLength(SECRET_ROW_COUNT);
        // The scanner itself finds a planted value.
        expect(scan({ id: "x", label: "planted", values: ["Zq9!secretPassX"] }, [{ name: "planted", text: "a Zq9!secretPassX b" }]).hits).toHaveLength(1);
    });

    for (let i = 0; i < SECRET_ROW_COUNT; i++) {
        it(`${secretId(i)} never appears`, () => {
            const secret = secretValues(ctx, tmp)[i];
            const result = scan(secret, channels);
            results.secrets.set(secret.id, {
                id: secret.id,
                scenario: secret.label,
                extra: [],
                expected: "0 occurrences in every channel",
                observed: result.observed,
                verdict: result.hits.length === 0 ? "pass" : "FAIL",
            });
            expect(result.hits).toEqual([]);
        });
    }
});

/** The report with the "observed" cell of every table row left out. */
function claimsOf(report: string): string {
    return report
        .split("\n")
        .map((line) => {
            if (!/^\| [A-Z]+\d/.test(line)) return line;
            const cells = line.split(" | ");
            if (cells.length >= 4) cells[cells.length - 2] = "(observed)";
            return cells.join(" | ");
        })
        .join("\n");
}

describe("docs/RELIABILITY.md", () => {
    // Declared last, so it runs after every row above (jest runs a file's tests in order).
    it("is what this run observed", () => {
        const relative = path.relative(REPO_ROOT, REPORT_FILE);
        if (recordedRowCount() !== expectedRowCount()) {
            // A filtered run (jest -t ...): the report would not be the whole evidence.
            console.warn(`reliability: ${recordedRowCount()} of ${expectedRowCount()} rows ran; ${relative} not compared`);
            return;
        }
        const text = renderReport(sections(), { notes }) + "\n";
        if (process.env.RELIABILITY_WRITE === "1") {
            fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
            fs.writeFileSync(REPORT_FILE, text);
            return;
        }
        const committed = fs.existsSync(REPORT_FILE) ? fs.readFileSync(REPORT_FILE, "utf8") : "";
        // The claims must match: every row, its scenario, faults, expected outcome and verdict. The
        // "observed" cell is the evidence of the run that wrote the file; races between concurrent
        // waits (which of four servers fails first, DELETING or gone) may word it differently.
        if (claimsOf(committed) === claimsOf(text)) return;
        const a = claimsOf(committed).split("\n");
        const b = claimsOf(text).split("\n");
        const diffs: string[] = [];
        for (let i = 0; i < Math.max(a.length, b.length) && diffs.length < 6; i++) {
            if (a[i] !== b[i]) diffs.push(`  line ${i + 1}\n    committed: ${a[i] ?? "(none)"}\n    observed:  ${b[i] ?? "(none)"}`);
        }
        throw new Error(
            `${relative} is out of date: it differs from what the reliability matrix observed in this run. ` +
                `Run \`${REGENERATE_COMMAND}\` to regenerate it, review the change and commit it.\n${diffs.join("\n")}`,
        );
    });
});
