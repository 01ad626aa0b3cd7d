/**
 * Pulumi's resource options on a DevServer, under the real CLI (tests/e2e/programs/options):
 * protect, retainOnDelete, ignoreChanges, replaceOnChanges and customTimeouts; and what the
 * state holds of the secrets (admin password, user data, AK/SK).
 */
import { E2eEmulator, startE2eEmulator } from "../helpers/e2eEmulator";
import { PulumiProject, changeCounts, E2E_PASSPHRASE } from "../helpers/pulumiCli";

jest.setTimeout(600_000);

const ADMIN_PASS = "E2e-Secret-Pass1";
const USER_DATA = "#!/bin/sh\necho e2e-user-data-marker > /tmp/marker\n";

let e2e: E2eEmulator;
const projects: PulumiProject[] = [];

beforeAll(async () => {
    e2e = await startE2eEmulator();
});

afterAll(async () => {
    for (const p of projects) await p.cleanUp();
    await e2e?.close();
});

async function project(config: Record<string, string>, stack = "e2e"): Promise<PulumiProject> {
    const p = await PulumiProject.create("tests/e2e/programs/options", { emulator: e2e.emu, stack }, config);
    await p.setConfig("adminPass", ADMIN_PASS, true);
    projects.push(p);
    return p;
}

const live = (id: string) => e2e.live(id);

it("secrets: the state holds no admin password, user data or AK/SK in plain text", async () => {
    const p = await project({ serverName: "e2e-secrets" });
    await p.setConfig("userData", USER_DATA, true);
    await p.up();
    const { id } = await p.outputs();
    expect(await live(id)).toBeDefined();
    const exported = await p.exportState();
    const onDisk = p.stateFiles();
    for (const text of [exported.text, onDisk]) {
        for (const secret of [ADMIN_PASS, USER_DATA, "e2e-user-data-marker", e2e.emu.accessKey, e2e.emu.secretKey, E2E_PASSPHRASE]) {
            expect(text).not.toContain(secret);
        }
        expect(text).not.toContain(Buffer.from(USER_DATA).toString("base64"));
    }
    // The inputs that were secret stay encrypted secrets in the state.
    const server = exported.resources.find((r) => r.urn.endsWith("::box"));
    expect(server.inputs.adminPass).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
});

it("protect refuses a destroy; the server stays", async () => {
    const p = await project({ serverName: "e2e-protect", protect: "true" });
    await p.up();
    const { id } = await p.outputs();
    const destroy = await p.run(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.status).not.toBe(0);
    expect(destroy.output).toMatch(/protected/i);
    expect((await live(id))?.status).toBe("RUNNING");
    await p.setConfig("protect", "false");
    await p.up();
    await p.must(["destroy", "--yes", "--skip-preview"]);
    expect(await live(id)).toBeUndefined();
});

it("retainOnDelete leaves the server running and says so", async () => {
    const p = await project({ serverName: "e2e-retain", retainOnDelete: "true" });
    await p.up();
    const { id } = await p.outputs();
    const destroy = await p.must(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.output).toMatch(/DevServer box deleted[^\n]*\[retain\]/);
    expect((await p.exportState()).resources).toHaveLength(0);
    expect((await live(id))?.status).toBe("RUNNING");
    await e2e.api.call({ method: "DELETE", path: `/v1/${e2e.emu.projectId}/dev-servers/${id}` });
});

it("ignoreChanges on powerState: a declared STOPPED is not applied", async () => {
    const p = await project({ serverName: "e2e-ignore", ignoreChanges: "powerState" });
    await p.up();
    const { id } = await p.outputs();
    await p.setConfig("powerState", "STOPPED");
    await p.must(["preview", "--expect-no-changes"]);
    await p.up();
    expect((await live(id))?.status).toBe("RUNNING");
});

it("replaceOnChanges turns an in-place rename into a replacement", async () => {
    const p = await project({ serverName: "e2e-replace-a", replaceOnChanges: "name" });
    await p.up();
    const { id } = await p.outputs();
    await p.setConfig("serverName", "e2e-replace-b");
    const preview = await p.must(["preview", "--diff"]);
    expect(changeCounts(preview.output)).toEqual({ replace: 1 });
    await p.up();
    const after = await p.outputs();
    expect(after.id).not.toBe(id);
    expect(await live(id)).toBeUndefined();
    expect((await live(after.id))?.name).toBe("e2e-replace-b");
});

it("customTimeouts bounds the create wait; the server stays in the state", async () => {
    const slow = await startE2eEmulator({ create: 15_000 });
    try {
        const p = await PulumiProject.create("tests/e2e/programs/options", { emulator: slow.emu, stack: "timeouts" }, { serverName: "e2e-timeout", createTimeout: "3s" });
        projects.push(p);
        await p.setConfig("adminPass", ADMIN_PASS, true);
        const started = Date.now();
        const up = await p.run(["up", "--yes", "--skip-preview"]);
        expect(up.status).not.toBe(0);
        expect(Date.now() - started).toBeLessThan(45_000);
        expect(up.output).toMatch(/customTimeouts resource option is applied/);
        expect(up.output).toMatch(/timed out|timeout/i);
        // Created but not settled: it is in the state (Pulumi's "failed to initialize"), never leaked.
        const server = (await p.exportState()).resources.find((r) => r.urn.endsWith("::box"));
        expect(server?.id).toBeTruthy();
        await p.cleanUp();
        projects.pop();
    } finally {
        await slow.close();
    }
});
