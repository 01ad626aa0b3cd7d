/**
 * examples/quickstart under the real Pulumi CLI, against the emulator, as a user runs it:
 * up -> a no-change preview -> powerState STOPPED is an in-place update whose `preview --diff`
 * names the property -> a start out of band is drift on refresh and the next up undoes it ->
 * destroy leaves nothing.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorClient } from "../helpers/emulatorClient";
import { PulumiProject, changeCounts } from "../helpers/pulumiCli";

jest.setTimeout(600_000);

let emu: RunningEmulator;
let api: EmulatorClient;
let project: PulumiProject;

beforeAll(async () => {
    emu = await startEmulator({
        timings: { devServer: { create: 1000, start: 500, stop: 500, delete: 500 } },
        rateLimit: null,
    });
    api = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
    project = await PulumiProject.create("examples/quickstart", { emulator: emu }, { powerState: "RUNNING" });
});

afterAll(async () => {
    await project?.cleanUp();
    await emu?.close();
});

async function live(id: string): Promise<Record<string, any> | undefined> {
    const res = await api.get(`/dev-servers/${id}`);
    return res.status === 200 ? res.body : undefined;
}

it("up, no-change preview, stop in place, drift on refresh, destroy", async () => {
    const up = await project.up();
    expect(changeCounts(up.output)).toEqual({ create: 2 }); // the stack and the server
    expect(up.output).toMatch(/is RUNNING after/); // progress of the wait reached the user
    const { id, status } = await project.outputs();
    expect(status).toBe("RUNNING");
    expect((await live(id))?.status).toBe("RUNNING");

    // A second run plans nothing: --expect-no-changes makes the CLI fail otherwise.
    await project.must(["preview", "--expect-no-changes"]);

    // powerState STOPPED: the diff names the property with old and new value, nothing internal.
    await project.setConfig("powerState", "STOPPED");
    const diff = await project.must(["preview", "--diff"]);
    expect(diff.output).toMatch(/~ powerState\s*:\s*"RUNNING" => "STOPPED"/);
    expect(diff.output).not.toMatch(/__provider|__inputs|__state|unreportedSinceImport|schemaVersion/);
    expect(changeCounts(diff.output)).toEqual({ update: 1 });

    const stop = await project.up();
    expect(changeCounts(stop.output)).toEqual({ update: 1 });
    expect(await project.outputs()).toMatchObject({ id, status: "STOPPED" }); // same server, not replaced
    expect((await live(id))?.status).toBe("STOPPED");

    // Started in the console: refresh records the drift, preview plans to undo it, up does.
    await emu.admin.devServerAction({ id, action: "start", immediate: true });
    const refresh = await project.must(["refresh", "--yes", "--skip-preview"]);
    expect(changeCounts(refresh.output)).toEqual({ update: 1 });
    // The resource's state holds the live status (stack outputs wait for the next up).
    const server = (await project.exportState()).resources.find((r) => r.urn.endsWith("::gpu-box"));
    expect(server.outputs).toMatchObject({ status: "RUNNING", powerState: "RUNNING" });
    const drift = await project.must(["preview", "--diff"]);
    expect(drift.output).toMatch(/~ powerState\s*:\s*"RUNNING" => "STOPPED"/);
    const back = await project.up();
    expect(changeCounts(back.output)).toEqual({ update: 1 });
    expect((await live(id))?.status).toBe("STOPPED");
    await project.must(["preview", "--expect-no-changes"]);

    const destroy = await project.must(["destroy", "--yes", "--skip-preview"]);
    expect(changeCounts(destroy.output)).toEqual({ delete: 2 });
    expect(await live(id)).toBeUndefined();
    expect((await project.exportState()).resources).toHaveLength(0);
});
