/**
 * `pulumi up` interrupted during a create, under the real CLI. A Ctrl-C lets the create finish and
 * records the server; a second Ctrl-C ends the CLI at once, leaving a pending create in the state.
 * Either way the next up must neither make a second server nor lose the first: after the hard
 * interrupt the provider refuses to create a twin and says how to adopt it, and that works.
 */
import { ChildProcess } from "child_process";
import { E2eEmulator, startE2eEmulator } from "../helpers/e2eEmulator";
import { PulumiProject, changeCounts } from "../helpers/pulumiCli";

jest.setTimeout(600_000);

let e2e: E2eEmulator;
const projects: PulumiProject[] = [];

beforeAll(async () => {
    e2e = await startE2eEmulator({ create: 6000 });
});

afterAll(async () => {
    for (const p of projects) await p.cleanUp();
    await e2e?.close();
});

const servers = (name: string) => e2e.named(name);

/** Starts `pulumi up`, waits until the create reached the API, sends SIGINT `times` times. */
async function interruptedUp(p: PulumiProject, name: string, times: 1 | 2): Promise<{ code: number | null; output: string }> {
    const child: ChildProcess = p.start(["up", "--yes", "--skip-preview"]);
    let output = "";
    child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    for (let i = 0; i < 300 && (await servers(name)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await servers(name)).map((s) => s.status)).toEqual(["CREATING"]);
    child.kill("SIGINT");
    if (times === 2) {
        await new Promise((r) => setTimeout(r, 300));
        child.kill("SIGINT");
    }
    return { code: await closed, output };
}

async function project(name: string): Promise<PulumiProject> {
    const p = await PulumiProject.create("tests/e2e/programs/options", { emulator: e2e.emu, stack: name }, { serverName: name });
    await p.setConfig("adminPass", "E2e-Secret-Pass1", true);
    projects.push(p);
    return p;
}

it("one Ctrl-C: the create finishes and is recorded; the next up changes nothing", async () => {
    const p = await project("sigint-once");
    const run = await interruptedUp(p, "sigint-once", 1);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("^C received; cancelling");
    const listed = await servers("sigint-once");
    expect(listed).toHaveLength(1);
    const recorded = (await p.exportState()).resources.find((r) => r.urn.endsWith("::box"));
    expect(recorded?.id).toBe(listed[0].id);
    await p.must(["preview", "--expect-no-changes"]);
    expect(await servers("sigint-once")).toHaveLength(1);
});

it("two Ctrl-Cs: the next up refuses to make a second server and says how to adopt the first; adopting works", async () => {
    const p = await project("sigint-twice");
    const run = await interruptedUp(p, "sigint-twice", 2);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("^C received; terminating");
    const [orphan] = await servers("sigint-twice");
    expect((await p.exportState()).resources.find((r) => r.urn.endsWith("::box"))).toBeUndefined(); // only pending

    const again = await p.run(["up", "--yes", "--skip-preview"]);
    expect(again.status).not.toBe(0);
    expect(again.output).toContain(`a server that matches this declaration already exists (${orphan.id}`);
    expect(again.output).toContain(`import set to "${orphan.id}"`);
    expect(await servers("sigint-twice")).toHaveLength(1); // no twin was made

    // What the message says: one up with the import option, then without it.
    await p.setConfig("importId", orphan.id);
    const adopt = await p.up();
    expect(adopt.output).not.toMatch(/error/i);
    await p.must(["config", "rm", "importId"]);
    await p.must(["preview", "--expect-no-changes"]);
    const recorded = (await p.exportState()).resources.find((r) => r.urn.endsWith("::box"));
    expect(recorded?.id).toBe(orphan.id);
    expect(await servers("sigint-twice")).toHaveLength(1);
    expect(changeCounts((await p.must(["destroy", "--yes", "--skip-preview"])).output)).toEqual({ delete: 2 });
    expect(await servers("sigint-twice")).toHaveLength(0);
});
