import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ChildProcess, spawn } from "child_process";
import { EmulatorClient, sleep, waitUntil } from "../helpers/emulatorClient";
import { SEED_CREATE_BODY, startFast } from "./fixtures";
import { parseCli, UsageError } from "../../emulator/cli";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist/emulator/cli.js");

describe("emulator: persistence", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-emu-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test("state survives a restart; a server in the middle of a transition finishes it", async () => {
        const stateFile = path.join(dir, "state.json");
        const first = await startFast({ stateFile, timings: { devServer: { create: 400, start: 40, stop: 40, delete: 40 } } });
        const done = await first.client.post("/dev-servers", { ...SEED_CREATE_BODY, name: "settled" });
        await waitUntil(() => first.client.get(`/dev-servers/${done.body.id}`), (r) => r.body.status === "RUNNING", 3000);
        await first.emu.admin.setConfig({ timings: { devServer: { create: 400 } } });
        const mid = await first.client.post("/dev-servers", { ...SEED_CREATE_BODY, name: "mid-flight" });
        const nb = await first.emu.admin.seedNotebook({ status: "RUNNING", autoStop: { enable: true, duration: 3600 } });
        const { token } = await first.emu.admin.issueToken();
        await first.emu.close();
        expect(JSON.parse(fs.readFileSync(stateFile, "utf8")).version).toBe(1);
        expect(fs.readdirSync(dir)).toEqual(["state.json"]);
        expect(fs.readFileSync(stateFile, "utf8")).not.toContain("@DevServer");

        const second = await startFast({ stateFile });
        const c = second.client;
        const list = await c.get("/dev-servers");
        expect(list.body.data.map((s: { name: string }) => s.name)).toEqual(["settled", "mid-flight"]);
        expect(list.body.data[1].status).toBe("CREATING");
        await waitUntil(() => c.get(`/dev-servers/${mid.body.id}`), (r) => r.body.status === "RUNNING", 3000);
        const notebook = await c.get(`/demanager/instances/${nb.id}`);
        expect(notebook.body.spec.auto_stop.stop_timestamp).toBe((nb.spec as { auto_stop: { stop_timestamp: number } }).auto_stop.stop_timestamp);
        expect((await c.call({ method: "GET", path: `/v1/${second.emu.projectId}/dev-servers`, authToken: token })).status).toBe(200);
        await second.emu.close();
    });

    test("without stateFile every start is clean", async () => {
        const a = await startFast();
        await a.client.post("/dev-servers", SEED_CREATE_BODY);
        await a.emu.close();
        const b = await startFast();
        expect((await b.client.get("/dev-servers")).body.total).toBe(0);
        await b.emu.close();
    });

    test("an unreadable state file is reported, not silently replaced", async () => {
        const stateFile = path.join(dir, "state.json");
        fs.writeFileSync(stateFile, "{torn");
        await expect(startFast({ stateFile })).rejects.toThrow(/not valid JSON/);
    });
});

describe("emulator: CLI", () => {
    test("flags parse; bad flags name the flag", () => {
        const p = parseCli(["--port", "0", "--fast", "--rate-limit", "5", "--not-found-404", "--admin-token", "tok-12345", "--state-file", "s.json"]);
        expect(p.options).toMatchObject({ port: 0, rateLimit: { perSecond: 5 }, notFoundAs400: false, adminToken: "tok-12345", stateFile: "s.json" });
        expect(p.options.timings?.devServer?.create).toBeLessThan(5000);
        expect(parseCli([]).options.port).toBe(8787);
        expect(parseCli(["--rate-limit", "0"]).options.rateLimit).toBeNull();
        expect(() => parseCli(["--bogus"])).toThrow(UsageError);
        expect(() => parseCli(["--port", "http"])).toThrow(/--port/);
        expect(() => parseCli(["--rate-limit", "fast"])).toThrow(/--rate-limit/);
        expect(parseCli(["--rate-limit", "20", "--rate-limit-shape", "sliding-window"]).options.rateLimit).toEqual({ perSecond: 20, shape: "sliding-window" });
        expect(parseCli(["--rate-limit-shape", "per-minute"]).options.rateLimit).toEqual({ perSecond: 50, shape: "per-minute" });
        expect(() => parseCli(["--rate-limit-shape", "leaky"])).toThrow(/--rate-limit-shape/);
    });

    // Outside CI a test run may come before any build; in CI (after `npm test`'s build) a missing bin fails.
    const built = fs.existsSync(CLI) || process.env.CI !== undefined;
    (built ? test : test.skip)("the built bin prints the endpoint and env lines, survives kill -9 with its state file, and stops on SIGTERM", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-cli-"));
        const stateFile = path.join(dir, "state.json");
        const run = async (): Promise<{ child: ChildProcess; out: () => string; url: string }> => {
            const child = spawn(process.execPath, [CLI, "--port", "0", "--fast", "--state-file", stateFile, "--admin-token", "cli-admin-token"], {
                stdio: ["ignore", "pipe", "pipe"],
            });
            let out = "";
            child.stdout!.on("data", (d) => (out += d));
            child.stderr!.on("data", (d) => (out += d));
            const deadline = Date.now() + 10000;
            while (!/export HW_MODELARTS_ENDPOINT=/.test(out)) {
                if (Date.now() > deadline || child.exitCode !== null) throw new Error(`CLI did not start: ${out}`);
                await sleep(20);
            }
            const url = /HW_MODELARTS_ENDPOINT=(\S+)/.exec(out)![1];
            return { child, out: () => out, url };
        };
        try {
            const first = await run();
            const text = first.out();
            expect(text).toContain("HW_ACCESS_KEY=EMULATORAKA0000000001");
            expect(text).toContain("HW_SECRET_KEY=emulator-secret-key-a");
            expect(text).toContain("HW_PROJECT_ID=e0000000000000000000000000000a01");
            expect(text).toContain("HW_REGION_NAME=cn-north-4");
            expect(text).toContain("cli-admin-token");
            expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
            const c = new EmulatorClient(first.url, { accessKey: "EMULATORAKA0000000001", secretKey: "emulator-secret-key-a" }, "e0000000000000000000000000000a01");
            const created = await c.post("/dev-servers", SEED_CREATE_BODY);
            expect(created.status).toBe(200);
            first.child.kill("SIGKILL");
            await new Promise((r) => first.child.once("exit", r));

            const second = await run();
            const c2 = new EmulatorClient(second.url, c.credentials, c.projectId);
            const got = await c2.get(`/dev-servers/${created.body.id}`);
            expect(got.status).toBe(200);
            second.child.kill("SIGTERM");
            const code = await new Promise((r) => second.child.once("exit", (c) => r(c)));
            expect(code).toBe(0);
            expect(second.out()).toContain("SIGTERM: stopping the emulator");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    (built ? test : test.skip)("the built bin rejects a bad flag with exit code 2 and usage", async () => {
        const child = spawn(process.execPath, [CLI, "--nope"], { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stderr!.on("data", (d) => (err += d));
        const code = await new Promise((r) => child.once("exit", (c) => r(c)));
        expect(code).toBe(2);
        expect(err.split("\n")[0]).toMatch(/^modelarts-emulator: .*'--nope'/);
        expect(err).toContain("Usage: modelarts-emulator");
    });
});
