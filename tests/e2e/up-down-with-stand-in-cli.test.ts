/**
 * `npm run up` / `npm run down` with a stand-in `pulumi` on PATH that records how it is called:
 * without cloud credentials, up starts the emulator in the background, hands its endpoint and
 * default-tenant credentials to the CLI with a file backend and a passphrase, selects/creates the
 * stack `dev` and runs `up --yes` (plus the flags given after `--`); down runs `destroy --yes` and
 * stops the emulator. The real CLI is exercised by automation.test.ts where one is installed.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");

interface Call {
    args: string[];
    cwd: string;
    env: Record<string, string | undefined>;
    emulatorHealthy?: boolean;
}

const STAND_IN = `#!${process.execPath}
const fs = require("fs");
const http = require("http");
const pick = ["HW_MODELARTS_ENDPOINT", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_PROJECT_ID", "HW_REGION_NAME",
  "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"];
const env = {};
for (const k of pick) env[k] = process.env[k];
const call = { args: process.argv.slice(2), cwd: process.cwd(), env };
const done = () => { fs.appendFileSync(process.env.STAND_IN_LOG, JSON.stringify(call) + "\\n"); };
if ((call.args[0] === "up" || call.args[0] === "destroy") && process.env.HW_MODELARTS_ENDPOINT) {
  http.get(process.env.HW_MODELARTS_ENDPOINT + "/v1/" + process.env.HW_PROJECT_ID + "/dev-servers", (res) => {
    // Unsigned: the emulator answers 401, which proves it is up and checking signatures.
    call.emulatorHealthy = res.statusCode === 401; res.resume(); done();
  }).on("error", () => { call.emulatorHealthy = false; done(); });
} else done();
`;

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

describe("npm run up / down against the emulator (stand-in pulumi CLI)", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-up-"));
    const bin = path.join(work, "bin");
    const localDir = path.join(work, "local");
    const log = path.join(work, "calls.jsonl");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "pulumi"), STAND_IN, { mode: 0o755 });
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}`, HOME: work, MODELARTS_LOCAL_DIR: localDir, STAND_IN_LOG: log };
    const calls = (): Call[] => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : []);
    let emulatorPid: number | undefined;

    afterAll(() => {
        if (emulatorPid && isAlive(emulatorPid)) process.kill(emulatorPid, "SIGTERM");
    });

    it("up: starts the emulator and runs pulumi up on stack dev with its endpoint", () => {
        const r = spawnSync(process.execPath, [path.join(REPO, "scripts", "up.cjs"), "--config", "powerState=STOPPED"], {
            cwd: REPO,
            encoding: "utf8",
            timeout: 30_000,
            env,
        });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("using the local ModelArts emulator at http://127.0.0.1:");
        const info = JSON.parse(fs.readFileSync(path.join(localDir, "emulator.json"), "utf8"));
        emulatorPid = info.pid;
        expect(isAlive(info.pid)).toBe(true);

        const [select, up] = calls();
        expect(select.args).toEqual(["stack", "select", "dev", "--create", "--secrets-provider", "passphrase", "--non-interactive"]);
        expect(up.args).toEqual(["up", "--yes", "--stack", "dev", "--non-interactive", "--config", "powerState=STOPPED"]);
        expect(up.cwd).toBe(REPO);
        expect(up.env).toEqual({
            HW_MODELARTS_ENDPOINT: info.url,
            HW_ACCESS_KEY: "EMULATORAKA0000000001",
            HW_SECRET_KEY: "emulator-secret-key-a",
            HW_PROJECT_ID: "e0000000000000000000000000000a01",
            HW_REGION_NAME: "cn-north-4",
            PULUMI_BACKEND_URL: `file://${path.join(localDir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: expect.any(String),
        });
        expect(up.emulatorHealthy).toBe(true);
        expect(fs.existsSync(path.join(localDir, "state"))).toBe(true);
    });

    it("up again: reuses the running emulator", () => {
        const before = JSON.parse(fs.readFileSync(path.join(localDir, "emulator.json"), "utf8"));
        const r = spawnSync(process.execPath, [path.join(REPO, "scripts", "up.cjs")], { cwd: REPO, encoding: "utf8", timeout: 30_000, env });
        expect(r.status).toBe(0);
        const after = JSON.parse(fs.readFileSync(path.join(localDir, "emulator.json"), "utf8"));
        expect(after.pid).toBe(before.pid);
        expect(after.url).toBe(before.url);
    });

    it("down: destroys the stack and stops the emulator", () => {
        const pid = emulatorPid!;
        const r = spawnSync(process.execPath, [path.join(REPO, "scripts", "down.cjs")], { cwd: REPO, encoding: "utf8", timeout: 30_000, env });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("Stopped the local ModelArts emulator.");
        const destroy = calls().at(-1)!;
        expect(destroy.args).toEqual(["destroy", "--yes", "--stack", "dev", "--non-interactive"]);
        expect(destroy.emulatorHealthy).toBe(true);
        expect(isAlive(pid)).toBe(false);
        expect(fs.existsSync(path.join(localDir, "emulator.json"))).toBe(false);
    });

    it("with cloud credentials in the environment: no emulator, the user's environment is passed on", () => {
        fs.rmSync(log, { force: true });
        const r = spawnSync(process.execPath, [path.join(REPO, "scripts", "up.cjs")], {
            cwd: REPO,
            encoding: "utf8",
            timeout: 30_000,
            env: { ...env, HW_ACCESS_KEY: "AKFROMUSER", HW_SECRET_KEY: "sk", HW_PROJECT_ID: "p", HW_REGION_NAME: "cn-north-4" },
        });
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("deploying to Huawei Cloud");
        const up = calls().at(-1)!;
        expect(up.env.HW_ACCESS_KEY).toBe("AKFROMUSER");
        expect(up.env.HW_MODELARTS_ENDPOINT).toBeUndefined();
        expect(fs.existsSync(path.join(localDir, "emulator.json"))).toBe(false);
    });
});
