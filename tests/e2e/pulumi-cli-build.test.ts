/**
 * scripts/pulumi-cli.cjs, the project's way to a Pulumi CLI: it reuses its build, says which piece
 * failed and why, and tells a machine with neither a CLI nor Go what to install. (`npm test`
 * builds the CLI before jest, so the cache exists when this runs.)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(REPO, "scripts", "pulumi-cli.cjs");

function run(env: Record<string, string>, timeout = 120_000) {
    const started = Date.now();
    const r = spawnSync(process.execPath, [SCRIPT], { cwd: REPO, encoding: "utf8", timeout, env: { ...process.env, ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

it("reuses the build it made: the CLI it names runs and reports the pinned version", () => {
    const r = run({ PULUMI_MODELARTS_BUILD_CLI: "1" });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/using the cached Pulumi CLI v3\.\d+\.\d+/);
    expect(r.ms).toBeLessThan(10_000);
    const cli = r.stdout.trim();
    expect(cli).toBe(path.join(REPO, ".pulumi-cli", "bin", "pulumi"));
    const gomod = fs.readFileSync(path.join(REPO, "tools", "pulumi", "go.mod"), "utf8");
    const pinned = gomod.match(/github\.com\/pulumi\/pulumi\/pkg\/v3 (v\S+)/)![1];
    expect(spawnSync(cli, ["version"], { encoding: "utf8" }).stdout.trim()).toBe(pinned);
    for (const host of ["nodejs", "python", "go", "yaml"]) expect(fs.existsSync(path.join(path.dirname(cli), `pulumi-language-${host}`))).toBe(true);
});

it("names the piece that could not be had, and why", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-nomods-"));
    const r = run({ PULUMI_MODELARTS_BUILD_CLI: "1", PULUMI_MODELARTS_CLI_DIR: path.join(empty, "cli"), GOMODCACHE: path.join(empty, "mod"), GOPROXY: "off" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("building the pinned modules failed");
    expect(r.stderr).toMatch(/GOPROXY=off/);
    expect(r.stderr).toContain("Go module proxy");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    fs.rmSync(empty, { recursive: true, force: true });
});

describe.each([
    ["pulumi-cli.cjs", "pulumi-cli"],
    ["up.cjs", "npm run up"],
    ["down.cjs", "npm run down"],
])("scripts/%s with neither a Pulumi CLI nor Go", (script, label) => {
    it("fails fast and says what to install", () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-home-"));
        const localDir = path.join(home, "local");
        const r = spawnSync(process.execPath, [path.join(REPO, "scripts", script)], {
            cwd: REPO,
            encoding: "utf8",
            timeout: 10_000,
            env: { PATH: fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-bin-")), HOME: home, MODELARTS_LOCAL_DIR: localDir, PULUMI_MODELARTS_CLI_DIR: path.join(home, "cli") },
        });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(`${label}: no Pulumi CLI is installed and Go is not available to build one`);
        expect(r.stderr).toContain("https://www.pulumi.com/docs/iac/download-install/");
        expect(r.stderr).toContain("Go 1.26");
        expect(r.stderr).not.toMatch(/\n\s+at /);
        // Nothing was started or written.
        expect(fs.existsSync(localDir)).toBe(false);
        expect(fs.existsSync(path.join(home, "cli"))).toBe(false);
    });
});
