/**
 * The examples, run for real by the Pulumi engine through the Automation API, against the local
 * emulator: file backend, passphrase secrets, the examples' own Pulumi.yaml and tsconfig.json.
 *
 * (examples/quickstart runs under the CLI itself in quickstart.cli.test.ts.)
 * - notebook-cost-guard: up on a seeded notebook -> no-change preview -> destroy restores the
 *   policy the notebook had before.
 * - import-existing: a server created outside Pulumi is adopted with the `import` option, then
 *   managed and destroyed.
 * - prepaid: a PRE_PAID server bought through BSS -> no-change preview -> destroy unsubscribes it.
 * - notebook-quickstart: a Notebook with SSH, an OBS mount and auto-stop -> no-change preview ->
 *   stopped in place -> refresh finds no drift -> destroy deletes it.
 *
 * The CLI is the installed one or the one scripts/pulumi-cli.cjs builds; these tests never skip.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack, OpMap } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import { E2eEmulator, startE2eEmulator } from "../helpers/e2eEmulator";
import { EmulatorClient } from "../helpers/emulatorClient";
import { cliEnvironment, emulatorEnvironment, pulumiCommand } from "../helpers/pulumiCli";

const REPO = path.resolve(__dirname, "..", "..");

/** Each run works on copies under .pulumi-local/ (inside the repository, so `pulumi-modelarts` resolves). */
const WORK = path.join(REPO, ".pulumi-local", `e2e-${process.pid}`);
const STACK = "e2e";
const PASSPHRASE = "e2e-only-passphrase";

function copyExample(name: string): string {
    const from = path.join(REPO, "examples", name);
    const to = path.join(WORK, name);
    fs.mkdirSync(to, { recursive: true });
    for (const file of ["index.ts", "Pulumi.yaml", "tsconfig.json"]) fs.copyFileSync(path.join(from, file), path.join(to, file));
    return to;
}

/** Only the operations that change something (not "same"). */
function changes(summary: OpMap | undefined): OpMap {
    const out: OpMap = {};
    for (const [op, n] of Object.entries(summary ?? {}) as [keyof OpMap, number][]) if (op !== "same" && n) out[op] = n;
    return out;
}

describe("examples through the Automation API", () => {
    jest.setTimeout(300_000);
    let e2e: E2eEmulator;
    let emu: RunningEmulator;
    let command: PulumiCommand;
    let cliPath: string;
    let api: EmulatorClient;
    const stacks: Stack[] = [];

    beforeAll(async () => {
        e2e = await startE2eEmulator({ create: 1000, start: 500, stop: 500, delete: 500 });
        emu = e2e.emu;
        api = e2e.api;
        // <root>/bin/pulumi -> root; skip the SDK/CLI version pairing check (any recent CLI runs these).
        const cli = await pulumiCommand();
        cliPath = cliEnvironment(cli).PATH!;
        command = await PulumiCommand.get({ root: path.dirname(path.dirname(cli.command)), skipVersionCheck: true });
        fs.mkdirSync(path.join(WORK, "state"), { recursive: true });
    });

    afterAll(async () => {
        for (const stack of stacks) {
            await stack.destroy().catch(() => undefined);
            await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
        }
        await emu?.close();
        fs.rmSync(WORK, { recursive: true, force: true });
    });

    async function stackFor(example: string, config: Record<string, string>): Promise<Stack> {
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: STACK, workDir: copyExample(example) },
            {
                pulumiCommand: command,
                secretsProvider: "passphrase",
                envVars: {
                    PULUMI_BACKEND_URL: `file://${path.join(WORK, "state")}`,
                    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                    PATH: cliPath,
                    ...emulatorEnvironment(emu),
                },
            },
        );
        stacks.push(stack);
        for (const [key, value] of Object.entries(config)) await stack.setConfig(key, { value });
        return stack;
    }

    const liveServer = (id: string) => e2e.live(id);

    it("notebook-cost-guard: sets the auto-stop policy and restores the prior one on destroy", async () => {
        const seeded = await emu.admin.seedNotebook({ name: "nb-e2e", status: "RUNNING", autoStop: { enable: false } });
        const instanceId = seeded.id as string;
        const stack = await stackFor("notebook-cost-guard", { instanceId, durationHours: "2" });

        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(up.outputs.notebookName.value).toBe("nb-e2e");
        expect(up.outputs.priorPolicy.value).toMatchObject({ enabled: false });
        const live = await api.get(`/demanager/instances/${instanceId}`);
        expect(live.body.spec.auto_stop).toMatchObject({ enable: true, duration: 7200 });

        expect(changes((await stack.preview()).changeSummary)).toEqual({});

        await stack.destroy();
        const after = await api.get(`/demanager/instances/${instanceId}`);
        expect(after.body.spec.auto_stop.enable).toBe(false);
    });

    it("import-existing: adopts a server created outside Pulumi", async () => {
        const serverId = await e2e.madeOutsidePulumi("console-made");

        const stack = await stackFor("import-existing", {
            serverId,
            serverName: "console-made",
            flavor: "Si2.large.4",
            imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
            vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
            subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
            securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
            keyPairName: "console-key",
            protect: "false",
        });
        const up = await stack.up();
        // The SDK turns the import option into an adoption in create (the engine cannot import
        // dynamic resources): the plan says create, and no second server is made.
        expect(changes(up.summary.resourceChanges)).toEqual({ create: 2 }); // the stack, the adopted server
        expect(up.outputs.id.value).toBe(serverId);
        expect((await api.get("/dev-servers", { limit: "100", offset: "0" })).body.data.filter((s: { name: string }) => s.name === "console-made")).toHaveLength(1);
        expect(changes((await stack.preview()).changeSummary)).toEqual({});

        await stack.destroy();
        expect(await liveServer(serverId)).toBeUndefined();
    });

    it("notebook-quickstart: created with SSH, a mount and auto-stop; no-change preview; stopped in place; destroyed", async () => {
        const stack = await stackFor("notebook-quickstart", {
            imageId: "e1a07296-22a8-4f05-8bc8-e936c8e54090",
            keyPairName: "team-kp",
            datasetsUri: "obs://team-bucket/datasets/",
            autoStopHours: "2",
        });
        const up = await stack.up();
        expect(changes(up.summary.resourceChanges)).toEqual({ create: 2 });
        const id = up.outputs.notebookId.value as string;
        expect(up.outputs.status.value).toBe("RUNNING");
        expect(up.outputs.url.value).toContain(id);
        expect(up.outputs.sshUri.value).toMatch(/^ssh:\/\//);
        expect(up.outputs.mounted.value).toEqual([expect.objectContaining({ mountPath: "/data/datasets/", status: "MOUNTED" })]);
        expect(Date.parse(up.outputs.stopsAt.value as string)).toBeGreaterThan(Date.now() + 3_600_000);
        const live = await api.get(`/notebooks/${id}`);
        expect(live.body.lease).toMatchObject({ enable: true, duration: 7_200_000 });
        expect(changes((await stack.preview()).changeSummary)).toEqual({});

        await stack.setConfig("powerState", { value: "STOPPED" });
        const stopped = await stack.up();
        expect(changes(stopped.summary.resourceChanges)).toEqual({ update: 1 });
        expect((await api.get(`/notebooks/${id}`)).body.status).toBe("STOPPED");
        const refresh = await stack.refresh();
        expect(changes(refresh.summary.resourceChanges)).toEqual({});
        expect(changes((await stack.preview()).changeSummary)).toEqual({});

        await stack.destroy();
        expect((await api.get(`/notebooks/${id}`)).body.error_code).toBe("ModelArts.6404");
    });

    it("prepaid: bought through BSS, no-change preview, destroy unsubscribes it", async () => {
        const stack = await stackFor("prepaid", { periodMonths: "1" });
        const up = await stack.up();
        expect(up.summary.result).toBe("succeeded");
        expect(changes(up.summary.resourceChanges)).toEqual({ create: 2 });
        const id = up.outputs.id.value as string;
        expect(up.outputs.chargingMode.value).toBe("PRE_PAID");
        expect(up.outputs.orderId.value).toBeTruthy();
        expect((await liveServer(id))?.status).toBe("RUNNING");
        expect(changes((await stack.preview()).changeSummary)).toEqual({});
        const destroy = await stack.destroy();
        expect(destroy.summary.result).toBe("succeeded");
        expect(await liveServer(id)).toBeUndefined();
    });
});
