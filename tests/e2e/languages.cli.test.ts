/**
 * The provider plugin (bin/pulumi-resource-modelarts) under the real Pulumi CLI, from the three
 * languages that reach it through its schema: YAML (examples/yaml-quickstart), Python
 * (examples/python-quickstart, the SDK in sdk/python) and Go (examples/go-quickstart, sdk/go).
 * Each creates a DevServer, stops it in place by config, and destroys it; YAML also refreshes
 * drift, and `pulumi import` writes code that the next up runs with no changes.
 */
import * as fs from "fs";
import * as path from "path";
import { E2eEmulator, EXAMPLE_NETWORK, startE2eEmulator } from "../helpers/e2eEmulator";
import { PulumiProject, changeCounts, pythonVirtualenv } from "../helpers/pulumiCli";

jest.setTimeout(600_000);

let e2e: E2eEmulator;
const projects: PulumiProject[] = [];

beforeAll(async () => {
    e2e = await startE2eEmulator();
});

afterAll(async () => {
    for (const p of projects) await p.cleanUp();
    await e2e?.close();
});

const live = (id: string) => e2e.live(id);

/** create -> a no-change preview -> powerState STOPPED in place -> destroy. */
async function lifecycle(p: PulumiProject, name: string): Promise<string> {
    const up = await p.up();
    expect(changeCounts(up.output)).toEqual({ create: 2 });
    const { serverId, status } = await p.outputs();
    expect(status).toBe("RUNNING");
    expect((await live(serverId))?.name).toBe(name);
    await p.must(["preview", "--expect-no-changes"]);

    await p.setConfig("powerState", "STOPPED");
    const diff = await p.must(["preview", "--diff"]);
    expect(diff.output).toMatch(/~ powerState\s*:\s*"RUNNING" => "STOPPED"/);
    const stop = await p.up();
    expect(changeCounts(stop.output)).toEqual({ update: 1 });
    expect(await p.outputs()).toMatchObject({ serverId, status: "STOPPED" });
    expect((await live(serverId))?.status).toBe("STOPPED");
    return serverId;
}

async function destroyed(p: PulumiProject, serverId: string, resources = 2): Promise<void> {
    const destroy = await p.must(["destroy", "--yes", "--skip-preview"]);
    expect(changeCounts(destroy.output)).toEqual({ delete: resources });
    expect(await live(serverId)).toBeUndefined();
}

it("YAML: up, stop in place, refresh shows drift, pulumi import writes code that runs unchanged, destroy", async () => {
    const p = await PulumiProject.create("examples/yaml-quickstart", { emulator: e2e.emu }, { serverName: "yaml-e2e" });
    projects.push(p);
    const serverId = await lifecycle(p, "yaml-e2e");
    // fn::invoke through the plugin: the image by name, the first GPU flavor of its architecture.
    expect(await p.outputs()).toMatchObject({ flavor: "Pi2.4xlarge.4", imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7" });

    await e2e.emu.admin.devServerAction({ id: serverId, action: "start", immediate: true });
    const refresh = await p.must(["refresh", "--yes", "--skip-preview"]);
    expect(changeCounts(refresh.output)).toEqual({ update: 1 });
    await p.up();
    expect((await live(serverId))?.status).toBe("STOPPED");

    // A server made outside Pulumi, imported through the plugin: the CLI writes its YAML.
    const madeId = await e2e.madeOutsidePulumi("console-made-yaml");
    const out = path.join(p.dir, "imported.yaml");
    const imported = await p.must(["import", "modelarts:index:DevServer", "adopted", madeId, "--yes", "--protect=false", "--out", out]);
    expect(imported.output).toMatch(/1 imported/);
    // The API does not report the security group: the provider says so, naming the field.
    expect(imported.output).toMatch(/does not report securityGroupId, so imported code cannot hold it/);
    let code = fs.readFileSync(out, "utf8");
    expect(code).toMatch(/type: modelarts:(index:)?DevServer/);
    expect(code).toContain("name: console-made-yaml");
    // What the user does with that warning: fills in the security group. Appended to the program,
    // the next preview plans nothing (no replacement for the value the API never reported).
    code = code.replace(/securityGroupId: .*$/m, `securityGroupId: ${EXAMPLE_NETWORK.securityGroupId}`);
    const manifest = path.join(p.dir, "Pulumi.yaml");
    const program = fs.readFileSync(manifest, "utf8").replace(/^resources:\n/m, code.replace(/^\s*resources:\n/m, "resources:\n"));
    fs.writeFileSync(manifest, program);
    await p.must(["preview", "--expect-no-changes"]);
    await destroyed(p, serverId, 3); // the stack, the declared server, the imported one
    expect(await live(madeId)).toBeUndefined();
});

it("Python: the generated SDK creates, stops and destroys a DevServer", async () => {
    const p = await PulumiProject.create("examples/python-quickstart", { emulator: e2e.emu, virtualenv: pythonVirtualenv() }, { serverName: "python-e2e" });
    projects.push(p);
    const serverId = await lifecycle(p, "python-e2e");
    // get_dev_server_images / get_dev_server_flavors through the plugin: the smallest GPU flavor.
    expect(await p.outputs()).toMatchObject({ flavor: "Pi2.2xlarge.4" });
    await destroyed(p, serverId);
});

it("Go: the generated SDK creates, stops and destroys a DevServer", async () => {
    const p = await PulumiProject.create("examples/go-quickstart", { emulator: e2e.emu }, { serverName: "go-e2e" });
    projects.push(p);
    await destroyed(p, await lifecycle(p, "go-e2e"));
});

it("YAML: replaceOnChanges through the plugin turns a rename into a replacement", async () => {
    const p = await PulumiProject.create("examples/yaml-quickstart", { emulator: e2e.emu, stack: "roc" }, { serverName: "yaml-roc-a" });
    projects.push(p);
    const manifest = path.join(p.dir, "Pulumi.yaml");
    fs.writeFileSync(manifest, fs.readFileSync(manifest, "utf8").replace(/^( {2}gpu-box:\n {4}type: .*\n)/m, "$1    options:\n      replaceOnChanges: [name]\n"));
    await p.up();
    const { serverId } = await p.outputs();
    await p.setConfig("serverName", "yaml-roc-b");
    const preview = await p.must(["preview", "--diff"]);
    expect(changeCounts(preview.output)).toEqual({ replace: 1 });
    await p.up();
    const after = await p.outputs();
    expect(after.serverId).not.toBe(serverId);
    expect(await live(serverId)).toBeUndefined();
    expect((await live(after.serverId))?.name).toBe("yaml-roc-b");
});
