/**
 * The provider plugin (bin/pulumi-resource-modelarts) under the real Pulumi CLI, from the three
 * languages that reach it through its schema: YAML (examples/yaml-quickstart), Python
 * (examples/python-quickstart, the SDK in sdk/python) and Go (examples/go-quickstart, sdk/go).
 * Each creates a DevServer, stops it in place by config, and destroys it; YAML also refreshes
 * drift, and `pulumi import` writes code that the next up runs with no changes.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorClient } from "../helpers/emulatorClient";
import { PulumiProject, changeCounts, pythonVirtualenv } from "../helpers/pulumiCli";

jest.setTimeout(600_000);

let emu: RunningEmulator;
let api: EmulatorClient;
const projects: PulumiProject[] = [];

beforeAll(async () => {
    emu = await startEmulator({ timings: { devServer: { create: 800, start: 400, stop: 400, delete: 400 } }, rateLimit: null });
    api = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
});

afterAll(async () => {
    for (const p of projects) await p.cleanUp();
    await emu?.close();
});

async function live(id: string): Promise<Record<string, any> | undefined> {
    const res = await api.get(`/dev-servers/${id}`);
    return res.status === 200 ? res.body : undefined;
}

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
    const p = await PulumiProject.create("examples/yaml-quickstart", { emulator: emu }, { serverName: "yaml-e2e" });
    projects.push(p);
    const serverId = await lifecycle(p, "yaml-e2e");

    await emu.admin.devServerAction({ id: serverId, action: "start", immediate: true });
    const refresh = await p.must(["refresh", "--yes", "--skip-preview"]);
    expect(changeCounts(refresh.output)).toEqual({ update: 1 });
    await p.up();
    expect((await live(serverId))?.status).toBe("STOPPED");

    // A server made outside Pulumi, imported through the plugin: the CLI writes its YAML.
    const made = await api.post("/dev-servers", {
        name: "console-made-yaml",
        resource_flavor: "Si2.large.4",
        image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
        network: {
            vpc_id: "05982b48-a70f-43a1-a2b0-1fe36a236172",
            subnet_id: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
            security_group_id: "150a2c76-1334-45f6-b28f-419f9b1d1742",
        },
        key_pair_name: "console-key",
    });
    expect(made.status).toBeLessThan(300);
    const madeId = made.body.id as string;
    for (let i = 0; i < 100 && (await live(madeId))?.status !== "RUNNING"; i++) await new Promise((r) => setTimeout(r, 100));
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
    code = code.replace(/securityGroupId: .*$/m, "securityGroupId: 150a2c76-1334-45f6-b28f-419f9b1d1742");
    const manifest = path.join(p.dir, "Pulumi.yaml");
    const program = fs.readFileSync(manifest, "utf8").replace(/^resources:\n/m, code.replace(/^\s*resources:\n/m, "resources:\n"));
    fs.writeFileSync(manifest, program);
    await p.must(["preview", "--expect-no-changes"]);
    await destroyed(p, serverId, 3); // the stack, the declared server, the imported one
    expect(await live(madeId)).toBeUndefined();
});

it("Python: the generated SDK creates, stops and destroys a DevServer", async () => {
    const p = await PulumiProject.create("examples/python-quickstart", { emulator: emu, virtualenv: pythonVirtualenv() }, { serverName: "python-e2e" });
    projects.push(p);
    await destroyed(p, await lifecycle(p, "python-e2e"));
});

it("Go: the generated SDK creates, stops and destroys a DevServer", async () => {
    const p = await PulumiProject.create("examples/go-quickstart", { emulator: emu }, { serverName: "go-e2e" });
    projects.push(p);
    await destroyed(p, await lifecycle(p, "go-e2e"));
});
