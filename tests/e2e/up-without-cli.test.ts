/**
 * `npm run up` / `npm run down` where the Pulumi CLI is missing: they must stop at once, exit
 * non-zero, and say what was looked for and how to install the CLI (no stack trace, no emulator
 * left running).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");

function runScript(script: string, home: string, localDir: string) {
    const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-bin-"));
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join(REPO, "scripts", script)], {
        cwd: REPO,
        encoding: "utf8",
        timeout: 10_000,
        env: { PATH: emptyBin, HOME: home, MODELARTS_LOCAL_DIR: localDir },
    });
    return { ...r, ms: Date.now() - started };
}

describe.each([
    ["up.cjs", "npm run up"],
    ["down.cjs", "npm run down"],
])("scripts/%s without a Pulumi CLI", (script, label) => {
    it("fails fast with the install instructions", () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-home-"));
        const localDir = path.join(home, "local");
        const r = runScript(script, home, localDir);
        expect(r.error).toBeUndefined();
        expect(r.status).toBe(1);
        expect(r.ms).toBeLessThan(10_000);
        expect(r.stderr).toContain(`${label}: the Pulumi CLI was not found`);
        expect(r.stderr).toContain("PATH");
        expect(r.stderr).toContain(path.join(home, ".pulumi", "bin", "pulumi"));
        expect(r.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
        expect(r.stderr).toContain("brew install pulumi/tap/pulumi");
        expect(r.stderr).toContain("https://www.pulumi.com/docs/");
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
        expect(r.stdout).toBe("");
        // Nothing was started or written.
        expect(fs.existsSync(localDir)).toBe(false);
    });
});
