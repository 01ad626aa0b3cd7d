/**
 * The Notebook resource (`modelarts:index:Notebook`) through the provider plugin under the real
 * Pulumi CLI, from YAML (tests/e2e/programs/notebook-yaml), Python (notebook-python, the SDK in
 * sdk/python) and Go (notebook-go, the SDK in sdk/go): create awaited until RUNNING, stop in place
 * through `powerState`, YAML's refresh showing a start made outside Pulumi as drift, Go's flavor
 * from getNotebookFlavors with a mounted storage, destroy. The notebook's token and its (secret)
 * hook scripts never reach the state.
 */
import { E2eEmulator, startE2eEmulator } from "../helpers/e2eEmulator";
import { PulumiProject, changeCounts, pythonVirtualenv } from "../helpers/pulumiCli";

jest.setTimeout(600_000);

let e2e: E2eEmulator;
const projects: PulumiProject[] = [];

beforeAll(async () => {
    e2e = await startE2eEmulator({}, { timings: { notebook: { create: 600, start: 300, stop: 300, delete: 300 } }, rateLimit: null });
});

afterAll(async () => {
    for (const p of projects) await p.cleanUp();
    await e2e?.close();
});

/** The notebook as the API shows it, or undefined when it does not exist. */
async function liveNotebook(id: string): Promise<Record<string, any> | undefined> {
    const res = await e2e.api.get(`/notebooks/${id}`);
    return res.status === 200 ? (res.body as Record<string, any>) : undefined;
}

/** create -> a no-change preview -> powerState STOPPED in place; returns the notebook's id. */
async function createdThenStopped(p: PulumiProject, name: string): Promise<string> {
    const up = await p.up();
    expect(changeCounts(up.output)).toEqual({ create: 2 });
    const { notebookId, status } = await p.outputs();
    expect(status).toBe("RUNNING");
    const nb = await liveNotebook(notebookId);
    expect(nb).toMatchObject({ name, status: "RUNNING", flavor: "modelarts.vm.cpu.2u" });
    // The notebook's access token is a credential: never in the state.
    expect((await p.exportState()).text).not.toContain(nb!.token);
    await p.must(["preview", "--expect-no-changes"]);

    await p.setConfig("powerState", "STOPPED");
    const diff = await p.must(["preview", "--diff"]);
    expect(diff.output).toMatch(/~ powerState\s*:\s*"RUNNING" => "STOPPED"/);
    const stop = await p.up();
    expect(changeCounts(stop.output)).toEqual({ update: 1 });
    expect(await p.outputs()).toMatchObject({ notebookId, status: "STOPPED" });
    expect((await liveNotebook(notebookId))?.status).toBe("STOPPED");
    return notebookId;
}

async function destroyed(p: PulumiProject, notebookId: string): Promise<void> {
    const destroy = await p.must(["destroy", "--yes", "--skip-preview"]);
    expect(changeCounts(destroy.output)).toEqual({ delete: 2 });
    expect(await liveNotebook(notebookId)).toBeUndefined();
}

it("YAML: creates a Notebook, stops it in place, shows a start outside Pulumi as drift on refresh, destroys it", async () => {
    const p = await PulumiProject.create("tests/e2e/programs/notebook-yaml", { emulator: e2e.emu }, { notebookName: "yaml-nb-e2e" });
    projects.push(p);
    const id = await createdThenStopped(p, "yaml-nb-e2e");
    const nb = await liveNotebook(id);
    expect(nb).toMatchObject({
        volume: { category: "EVS", capacity: 10 },
        lease: { enable: true, duration: 7200 * 1000 },
        tags: [{ key: "team", value: "vision" }],
        endpoints: expect.arrayContaining([expect.objectContaining({ service: "SSH", key_pair_names: ["e2e-key"], allowed_access_ips: ["203.0.113.0/24"] })]),
    });

    // hooks is secret through the plugin: the API got the script, the state keeps only its digest.
    const dumped = ((await e2e.emu.admin.state()).projects[e2e.emu.projectId]?.notebooks ?? []).find((n: Record<string, any>) => n.id === id);
    expect(dumped?.hooks).toMatchObject({ container_hooks: { post_start: { script: "/home/ma-user/e2e-init.sh" } } });
    // dataVolumes, a list of objects, through the plugin: sent as CreateNotebook's data_volumes.
    expect(dumped?.data_volumes_as_sent).toEqual([
        { category: "OBS", ownership: "MANAGED", uri: "obs://e2e-bucket/data/", mount_path: "/home/ma-user/work/data/", read_only: true, dew_secret_name: "e2e-obs-aksk" },
    ]);
    const state = await p.exportState();
    expect(state.text).not.toContain("e2e-init.sh");
    expect(state.resources.find((r) => r.type === "modelarts:index:Notebook")?.outputs?.hooksDigest).toMatch(/^scrypt1:/);

    const started = await e2e.api.post(`/notebooks/${id}/start`, undefined);
    expect(started.status).toBeLessThan(300);
    for (let i = 0; i < 100 && (await liveNotebook(id))?.status !== "RUNNING"; i++) await new Promise((r) => setTimeout(r, 100));
    const refresh = await p.must(["refresh", "--yes", "--skip-preview", "--diff"]);
    expect(changeCounts(refresh.output)).toEqual({ update: 1 });
    expect(refresh.output).toMatch(/powerState\s*:\s*"STOPPED" => "RUNNING"/);
    // What the answer's data_volumes lacks (readOnly, dewSecretName) is kept: no drift of dataVolumes.
    expect(refresh.output).toMatch(/ dataVolumes\s*: \[/);
    expect(refresh.output).not.toMatch(/[~+-] dataVolumes/);
    await p.up();
    expect((await liveNotebook(id))?.status).toBe("STOPPED");
    await destroyed(p, id);
});

it("Python: the generated SDK creates a Notebook with auto-stop off, stops it in place and destroys it", async () => {
    const p = await PulumiProject.create("tests/e2e/programs/notebook-python", { emulator: e2e.emu, virtualenv: pythonVirtualenv() }, { notebookName: "python-nb-e2e" });
    projects.push(p);
    const id = await createdThenStopped(p, "python-nb-e2e");
    expect((await liveNotebook(id))?.lease).toMatchObject({ enable: false });
    await destroyed(p, id);
});

it("Go: the generated SDK picks a flavor with getNotebookFlavors, creates a Notebook with a mount and its own auto-stop, destroys it", async () => {
    // `go build` runs in the language host with the Go caches of the machine (the languages test's too).
    const p = await PulumiProject.create("tests/e2e/programs/notebook-go", { emulator: e2e.emu }, { notebookName: "go-nb-e2e" });
    projects.push(p);
    const up = await p.up();
    expect(changeCounts(up.output)).toEqual({ create: 2 });
    const { notebookId, flavor, status, mountedStorages } = await p.outputs();
    // The smallest billed CPU flavor with at least 8 vCPUs the catalogue lists (modelarts.vm.cpu.2u has 2).
    expect([flavor, status]).toEqual(["modelarts.vm.cpu.8u", "RUNNING"]);
    expect(mountedStorages).toEqual([expect.objectContaining({ mountPath: "/data/datasets/", uri: "obs://team-bucket/datasets/", status: "MOUNTED" })]);
    expect(await liveNotebook(notebookId)).toMatchObject({ name: "go-nb-e2e", status: "RUNNING", flavor: "modelarts.vm.cpu.8u", lease: { enable: true, duration: 3600 * 1000 } });
    const storages = await e2e.api.get(`/notebooks/${notebookId}/storage`);
    expect((storages.body as { data: unknown[] }).data).toEqual([expect.objectContaining({ mount_path: "/data/datasets/", uri: "obs://team-bucket/datasets/", status: "MOUNTED" })]);
    expect(await e2e.emu.admin.requests()).toEqual(expect.arrayContaining([expect.objectContaining({ method: "GET", path: `/v1/${e2e.emu.projectId}/notebooks/flavors` })]));
    await p.must(["preview", "--expect-no-changes"]);
    await destroyed(p, notebookId);
});
