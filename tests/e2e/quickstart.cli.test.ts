/**
 * examples/quickstart under the real Pulumi CLI, against the emulator, as a user runs it:
 * up -> a no-change preview -> powerState STOPPED is an in-place update whose `preview --diff`
 * names the property -> a start out of band is drift on refresh and the next up undoes it ->
 * destroy leaves nothing.
 */
import { E2eEmulator, startE2eEmulator } from "../helpers/e2eEmulator";
import { PulumiProject, changeCounts } from "../helpers/pulumiCli";

jest.setTimeout(600_000);

let e2e: E2eEmulator;
let project: PulumiProject;

beforeAll(async () => {
    e2e = await startE2eEmulator();
    project = await PulumiProject.create("examples/quickstart", { emulator: e2e.emu }, { powerState: "RUNNING" });
});

afterAll(async () => {
    await project?.cleanUp();
    await e2e?.close();
});

const live = (id: string) => e2e.live(id);

it("up, no-change preview, stop in place, drift on refresh, destroy", async () => {
    const up = await project.up();
    expect(changeCounts(up.output)).toEqual({ create: 2 }); // the stack and the server
    expect(up.output).toMatch(/is RUNNING after/); // progress of the wait reached the user
    const { id, status, flavor, imageId } = await project.outputs();
    expect(status).toBe("RUNNING");
    // Found through getDevServerImagesOutput / getDevServerFlavorsOutput: the image by name, the smallest GPU flavor.
    expect({ flavor, imageId }).toEqual({ flavor: "Pi2.2xlarge.4", imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7" });
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
    await e2e.emu.admin.devServerAction({ id, action: "start", immediate: true });
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
