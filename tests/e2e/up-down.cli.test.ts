/**
 * The project's main job with the real Pulumi CLI, as README tells a new user: `npm run up` deploys
 * the quickstart stack to the embedded emulator (file backend), a second `npm run up` changes
 * nothing, `npm run down` destroys it and stops the emulator.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { LOCAL, pulumiCommand, REPO } from "../helpers/pulumiCli";

jest.setTimeout(300_000);

fs.mkdirSync(LOCAL, { recursive: true });
const localDir = fs.mkdtempSync(path.join(LOCAL, "e2e-up-down-"));

function npmRun(script: "up" | "down") {
    // The scripts themselves (what `npm run up|down` runs), with the test's own state folder.
    const r = spawnSync(process.execPath, [path.join(REPO, "scripts", `${script}.cjs`)], {
        cwd: REPO,
        encoding: "utf8",
        timeout: 240_000,
        env: { ...process.env, MODELARTS_LOCAL_DIR: localDir, NO_COLOR: "1", HW_ACCESS_KEY: "", HUAWEICLOUD_SDK_AK: "", PULUMI_BACKEND_URL: "" },
    });
    return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
    await pulumiCommand(); // built before the timed runs
});

afterAll(() => {
    npmRun("down");
    fs.rmSync(localDir, { recursive: true, force: true });
});

it("npm run up deploys the quickstart to the emulator, again changes nothing, npm run down destroys it", () => {
    const up = npmRun("up");
    expect(up.output).toContain("using the local ModelArts emulator");
    expect(up.status).toBe(0);
    expect(up.output).toMatch(/\+ 2 created/);
    expect(up.output).toMatch(/status\s*: "RUNNING"/);
    const info = JSON.parse(fs.readFileSync(path.join(localDir, "emulator.json"), "utf8"));

    const again = npmRun("up");
    expect(again.status).toBe(0);
    expect(again.output).toMatch(/2 unchanged/);
    expect(again.output).not.toMatch(/created|updated|deleted/);

    const down = npmRun("down");
    expect(down.status).toBe(0);
    expect(down.output).toMatch(/- 2 deleted/);
    expect(down.output).toContain("Stopped the local ModelArts emulator");
    expect(() => process.kill(info.pid, 0)).toThrow();
});
