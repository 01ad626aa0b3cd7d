/**
 * NotebookAutoStop through Pulumi's own dynamic-provider host, against the emulator: create on a
 * RUNNING and on a STOPPED instance; waiting through queues and STARTING; update of each field;
 * the RUNNING-instance rule (a new duration applies from the next start); out-of-band change then
 * refresh and diff; import by id; delete restoring the prior policy or disabling it; delete after
 * the instance is gone; bad input refused in check without an API call; clear errors for a
 * missing instance and for one that fails to start while we wait.
 */
import { randomUUID } from "crypto";
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { HostError, ProviderHost, providerTextOf, UNKNOWN, urnFor, Props, stackConfigFor } from "../harness/engine";

let emu: RunningEmulator;
let tenant: EmulatorClient;
let providerText: string;
let host: ProviderHost;
/** Every error message the host answered with: scanned for credentials at the end. */
const errorsSeen: string[] = [];


function withProvider(inputs: Props): Props {
    return { ...inputs, __provider: providerText };
}

/** The instance as the emulator holds it (rendered like a GET answer). */
async function notebookInEmulator(id: string): Promise<Record<string, any> | undefined> {
    const dump = await emu.admin.state();
    return (dump.projects[emu.projectId]?.notebooks ?? []).find((n) => n.id === id) as Record<string, any> | undefined;
}

async function autoStopInEmulator(id: string): Promise<Record<string, any>> {
    const nb = await notebookInEmulator(id);
    if (!nb) throw new Error(`instance ${id} is not in the emulator`);
    return nb.spec.auto_stop;
}

async function seed(input: Parameters<RunningEmulator["admin"]["seedNotebook"]>[0]): Promise<string> {
    return String((await emu.admin.seedNotebook(input)).id);
}

async function failureOf<T>(p: Promise<T>): Promise<HostError> {
    const outcome = await p.then(
        () => undefined,
        (e: unknown) => e,
    );
    if (!(outcome instanceof HostError)) throw new Error(`expected the host to answer with an error, got ${JSON.stringify(outcome)}`);
    errorsSeen.push(outcome.message, ...(outcome.initFailure?.reasons ?? []));
    return outcome;
}

async function apiCalls(): Promise<Array<{ method: string; path: string }>> {
    return (await emu.admin.requests()).map((r) => ({ method: r.method, path: r.path }));
}

/** Host output written since `mark` (an index into host.output). */
function outputSince(mark: number): string {
    return host.output.slice(mark).join("\n");
}

beforeAll(async () => {
    providerText = providerTextOf("notebookAutoStopShim");
    emu = await startEmulator({
        timings: { notebook: { create: 300, start: 300, stop: 200, delete: 150, queue: 0 } },
        rateLimit: null,
    });
    tenant = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
    host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
    await host.configure(stackConfigFor(emu));
});

afterAll(async () => {
    await host?.close();
    await emu?.close();
});

describe("serialized provider", () => {
    it("is a small shim, with no credential, endpoint or client inside", () => {
        expect(providerText.length).toBeLessThanOrEqual(3 * 1024);
        expect(providerText).toContain('require("pulumi-modelarts/provider")');
        expect(providerText).toContain("notebookAutoStop");
        for (const leak of [emu.accessKey, emu.secretKey, emu.url, "127.0.0.1", "axios", "zod", "SDK-HMAC"]) {
            expect(providerText).not.toContain(leak);
        }
    });
});

describe("NotebookAutoStop on a RUNNING instance", () => {
    const urn = urnFor("NotebookAutoStop", "cost-guard");

    it("runs the whole lifecycle: create, update each field, drift, import, delete restoring the prior policy", async () => {
        const runningSince = Date.now() - 10 * 60_000;
        const id = await seed({ name: "team-a-nb", status: "RUNNING", autoStop: { enable: true, duration: 7200, prompt: false }, runningSince });
        const currentRunStops = runningSince + 7200 * 1000;
        const program = { instanceId: id, enabled: true, duration: 3 * 3600 };

        // create: a changed duration on a RUNNING instance is applied but only counts from the next
        // start; the resource says so, and does not wait for the service to "apply" it
        const checked = await host.check(urn, {}, withProvider(program));
        expect(checked.failures).toEqual([]);
        await emu.admin.clearRequests();
        let mark = host.output.length;
        const t0 = Date.now();
        const created = await host.create(urn, withProvider(checked.inputs));
        expect(Date.now() - t0).toBeLessThan(3000);
        expect(created.id).toBe(id);
        let state = created.properties;
        expect(state).toMatchObject({
            instanceId: id,
            enabled: true,
            duration: 10800,
            prompt: true,
            onDelete: "restore",
            status: "RUNNING",
            name: "team-a-nb",
            region: emu.region,
            projectId: emu.projectId,
            priorPolicy: { enabled: true, duration: 7200, prompt: false },
            durationTakesEffectAtNextStart: true,
        });
        expect(state.stopTimestamp).toBe(new Date(currentRunStops).toISOString());
        expect(state.__provider).toBe(providerText);
        expect(outputSince(mark)).toMatch(/team-a-nb.*RUNNING.*10800s takes effect at its next start/);
        const calls = await apiCalls();
        expect(calls.filter((c) => c.method === "PUT")).toHaveLength(1);
        expect(calls.length).toBeLessThanOrEqual(3);
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 10800, prompt: true, stop_timestamp: currentRunStops });

        // no-op diff
        expect(await host.diff(urn, id, state, withProvider(program))).toMatchObject({ changes: "none", replaces: [] });
        // timeouts alone never cause a change
        expect(await host.diff(urn, id, state, withProvider({ ...program, timeouts: { update: "1h" } }))).toMatchObject({ changes: "none" });

        // update duration: still deferred to the next start, still the same stop time for this run
        const longer = { ...program, duration: 4 * 3600 };
        expect(await host.diff(urn, id, state, withProvider(longer))).toMatchObject({ changes: "some", replaces: [] });
        state = (await host.update(urn, id, state, withProvider(longer))).properties;
        expect(state).toMatchObject({ duration: 14400, durationTakesEffectAtNextStart: true, priorPolicy: { enabled: true, duration: 7200, prompt: false } });
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 14400, stop_timestamp: currentRunStops });

        // update prompt: not a duration change, the pending note stays
        const quiet = { ...longer, prompt: false };
        expect(await host.diff(urn, id, state, withProvider(quiet))).toMatchObject({ changes: "some", replaces: [] });
        state = (await host.update(urn, id, state, withProvider(quiet))).properties;
        expect(state).toMatchObject({ prompt: false, durationTakesEffectAtNextStart: true });
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 14400, prompt: false });

        // update enabled -> false: the instance no longer has a stop time
        const off = { instanceId: id, enabled: false, prompt: false };
        expect(await host.diff(urn, id, state, withProvider(off))).toMatchObject({ changes: "some", replaces: [] });
        state = (await host.update(urn, id, state, withProvider(off))).properties;
        expect(state.enabled).toBe(false);
        expect(state.durationTakesEffectAtNextStart).toBeUndefined();
        expect(state.stopTimestamp).toBeUndefined();
        expect(state.remainTime).toBeUndefined();
        const offInEmulator = await autoStopInEmulator(id);
        expect(offInEmulator.enable).toBe(false);
        expect(offInEmulator.stop_timestamp).toBeUndefined();

        // update enabled -> true on a RUNNING instance: the timer starts now, nothing is deferred
        const on = { instanceId: id, enabled: true, duration: 3600, prompt: false };
        expect(await host.diff(urn, id, state, withProvider(on))).toMatchObject({ changes: "some", replaces: [] });
        mark = host.output.length;
        state = (await host.update(urn, id, state, withProvider(on))).properties;
        expect(state).toMatchObject({ enabled: true, duration: 3600 });
        expect(state.durationTakesEffectAtNextStart).toBeUndefined();
        expect(outputSince(mark)).not.toMatch(/next start/);
        expect(state.remainTime).toBeGreaterThan(3500);
        expect(state.remainTime).toBeLessThanOrEqual(3600);
        expect((await autoStopInEmulator(id)).stop_timestamp).toBeGreaterThan(Date.now() + 3500 * 1000);

        // update onDelete: recorded, with no API call
        for (const onDelete of ["disable", "restore"] as const) {
            const next = { ...on, onDelete };
            expect(await host.diff(urn, id, state, withProvider(next))).toMatchObject({ changes: "some", replaces: [] });
            await emu.admin.clearRequests();
            state = (await host.update(urn, id, state, withProvider(next))).properties;
            expect(state.onDelete).toBe(onDelete);
            expect((await apiCalls()).filter((c) => c.method !== "GET")).toEqual([]);
        }

        // a different instance replaces, restoring this one first
        expect(await host.diff(urn, id, state, withProvider({ ...on, instanceId: randomUUID() }))).toMatchObject({
            changes: "some",
            replaces: ["instanceId"],
            deleteBeforeReplace: true,
        });

        // out-of-band: someone turns auto-stop off in the console; refresh shows it, diff reports it
        const console = await tenant.put(`/demanager/instances/${id}`, { spec: { auto_stop: { enable: false } } });
        expect(console.status).toBe(200);
        const refreshed = await host.read(urn, id, state);
        expect(refreshed.id).toBe(id);
        expect(refreshed.properties.enabled).toBe(false);
        expect(refreshed.inputs.enabled).toBe(false);
        expect(refreshed.properties.priorPolicy).toEqual({ enabled: true, duration: 7200, prompt: false });
        expect(await host.diff(urn, id, refreshed.properties, withProvider(on))).toMatchObject({ changes: "some", replaces: [] });
        state = (await host.update(urn, id, refreshed.properties, withProvider(on))).properties;
        expect(state.enabled).toBe(true);
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 3600, prompt: false });

        // a duration changed in the console is drift too
        await tenant.put(`/demanager/instances/${id}`, { spec: { auto_stop: { duration: 5400 } } });
        const drifted = await host.read(urn, id, state);
        expect(drifted.properties.duration).toBe(5400);
        expect(await host.diff(urn, id, drifted.properties, withProvider(on))).toMatchObject({ changes: "some" });
        state = (await host.update(urn, id, drifted.properties, withProvider(on))).properties;
        expect((await autoStopInEmulator(id)).duration).toBe(3600);

        // import: the SDK turns the import option into importId (the engine's import Read carries no
        // provider); create takes the policy over as it is, so the plan afterwards is empty
        const requestsBefore = (await emu.admin.requests()).length;
        const imported = await host.create(urn, withProvider({ ...on, importId: id }));
        expect(imported.id).toBe(id);
        expect(imported.properties).toMatchObject({ instanceId: id, enabled: true, duration: 3600, prompt: false, region: emu.region, projectId: emu.projectId, status: "RUNNING" });
        expect(imported.properties.priorPolicy).toMatchObject({ enabled: true, duration: 3600, prompt: false });
        expect(imported.properties.importId).toBeUndefined();
        // the policy already matched: adopting it wrote nothing
        expect((await emu.admin.requests()).slice(requestsBefore).filter((r) => r.method !== "GET")).toEqual([]);
        expect(await host.diff(urn, id, imported.properties, withProvider(on))).toMatchObject({ changes: "none", replaces: [] });
        const wrongImport = await host.check(urn, {}, withProvider({ ...on, importId: "some-other-instance" }));
        expect(wrongImport.failures.map((f) => f.property)).toEqual(["importId"]);

        // delete restores the policy the instance had before this resource took it over
        await host.delete(urn, id, state);
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 7200, prompt: false });
        expect((await notebookInEmulator(id))!.status).toBe("RUNNING");
    });

    it("forgets the next-start note once the run that kept the old stop time is over", async () => {
        const id = await seed({ name: "restarted", status: "RUNNING", autoStop: { enable: true, duration: 7200 } });
        const program = { instanceId: id, enabled: true, duration: 3600 };
        const created = await host.create(urn, withProvider(program));
        expect(created.properties.durationTakesEffectAtNextStart).toBe(true);

        // the user restarts it: the new run uses the declared duration
        expect((await tenant.post(`/demanager/instances/${id}/action`, { action: "stop" })).status).toBe(200);
        await waitUntil(() => notebookInEmulator(id), (nb) => nb?.status === "STOPPED");
        const whileStopped = await host.read(urn, id, created.properties);
        expect(whileStopped.properties.status).toBe("STOPPED");
        expect(whileStopped.properties.durationTakesEffectAtNextStart).toBeUndefined();
        expect((await tenant.post(`/demanager/instances/${id}/action`, { action: "start" })).status).toBe(200);
        await waitUntil(() => notebookInEmulator(id), (nb) => nb?.status === "RUNNING");
        const afterRestart = await host.read(urn, id, created.properties);
        expect(afterRestart.properties.status).toBe("RUNNING");
        expect(afterRestart.properties.remainTime).toBeLessThanOrEqual(3600);
        expect(afterRestart.properties.durationTakesEffectAtNextStart).toBeUndefined();
        await host.delete(urn, id, afterRestart.properties);
    });
});

describe("NotebookAutoStop on a STOPPED instance", () => {
    const urn = urnFor("NotebookAutoStop", "stopped-guard");

    it("applies at once (no next-start note) and, with onDelete disable, turns auto-stop off on delete", async () => {
        const id = await seed({ name: "idle", status: "STOPPED", autoStop: { enable: true, duration: 7200 } });
        const program = { instanceId: id, enabled: true, duration: 3600, onDelete: "disable" };
        const created = await host.create(urn, withProvider((await host.check(urn, {}, withProvider(program))).inputs));
        expect(created.properties).toMatchObject({ status: "STOPPED", enabled: true, duration: 3600, onDelete: "disable" });
        expect(created.properties.durationTakesEffectAtNextStart).toBeUndefined();
        expect(created.properties.stopTimestamp).toBeUndefined();
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 3600 });
        expect((await notebookInEmulator(id))!.status).toBe("STOPPED");

        await host.delete(urn, id, created.properties);
        expect((await autoStopInEmulator(id)).enable).toBe(false);
    });

    it("restores a prior policy that was off, its duration included", async () => {
        const id = await seed({ name: "was-off", status: "STOPPED", autoStop: { enable: false, duration: 5400, prompt: false } });
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600 }));
        expect(created.properties.priorPolicy).toEqual({ enabled: false, duration: 5400, prompt: false });
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 3600, prompt: true });

        await host.delete(urn, id, created.properties);
        expect(await autoStopInEmulator(id)).toMatchObject({ enable: false, duration: 5400, prompt: false });
    });
});

describe("NotebookAutoStop waits for an instance on its way", () => {
    const urn = urnFor("NotebookAutoStop", "waiting-guard");

    for (const queued of ["START_QUEUING", "CREATE_QUEUING"] as const) {
        it(`waits through ${queued} and ${queued === "START_QUEUING" ? "STARTING" : "CREATING"} before changing the policy`, async () => {
            const seededAt = Date.now();
            const id = await seed({ name: `q-${queued.toLowerCase()}`, status: queued, queueMs: 400 });
            await emu.admin.clearRequests();
            const mark = host.output.length;
            const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600 }));
            expect(created.properties.status).toBe("RUNNING");
            expect(created.properties.durationTakesEffectAtNextStart).toBeUndefined();
            const said = outputSince(mark);
            expect(said).toContain(`is ${queued} (queue position 1)`);
            expect(said).toMatch(/waiting for .*RUNNING/);

            // the policy was sent only after the instance had settled
            const log = await emu.admin.requests();
            const putAt = Date.parse(log.find((r) => r.method === "PUT")!.time);
            expect(putAt).toBeGreaterThanOrEqual(seededAt + 400 + 300);
            const calls = await apiCalls();
            const put = calls.findIndex((c) => c.method === "PUT");
            expect(put).toBeGreaterThan(1);
            expect(calls.slice(0, put).every((c) => c.method === "GET")).toBe(true);
            expect(calls.filter((c) => c.method === "PUT")).toHaveLength(1);
            expect(await autoStopInEmulator(id)).toMatchObject({ enable: true, duration: 3600 });
            expect((await autoStopInEmulator(id)).remain_time).toBeGreaterThan(3500);
            await host.delete(urn, id, created.properties);
        });
    }

    it("fails with the instance's failed_reasons when it lands in START_FAILED, changing nothing", async () => {
        const id = await seed({ name: "unlucky", status: "STOPPED", autoStop: { enable: false, duration: 3600 } });
        await emu.admin.injectFailure({
            family: "notebook",
            kind: "start",
            status: "START_FAILED",
            resourceId: id,
            reason: { code: "ModelArts.6543", message: "Insufficient GPU resources in the pool" },
        });
        // a start long enough that the provider surely finds it STARTING, and waits
        await emu.admin.setConfig({ timings: { notebook: { start: 1000 } } });
        expect((await tenant.post(`/demanager/instances/${id}/action`, { action: "start" })).status).toBe(200);
        await emu.admin.setConfig({ timings: { notebook: { start: 300 } } });
        await emu.admin.clearRequests();
        const mark = host.output.length;
        const err = await failureOf(host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600 })));
        expect(outputSince(mark)).toMatch(/unlucky.* is STARTING/);
        expect(err.message).toContain("START_FAILED");
        expect(err.message).toContain("ModelArts.6543");
        expect(err.message).toContain("Insufficient GPU resources in the pool");
        expect(err.message).toContain("unlucky");
        expect(err.initFailure).toBeUndefined();
        expect((await apiCalls()).filter((c) => c.method !== "GET")).toEqual([]);
        expect((await autoStopInEmulator(id)).enable).toBe(false);
    });
});

describe("NotebookAutoStop errors and gone instances", () => {
    const urn = urnFor("NotebookAutoStop", "edge-guard");

    it("says which instance, project and region when the instance does not exist", async () => {
        const missing = randomUUID();
        const err = await failureOf(host.create(urn, withProvider({ instanceId: missing, enabled: true, duration: 3600 })));
        expect(err.message).toContain(missing);
        expect(err.message).toContain(emu.projectId);
        expect(err.message).toContain(emu.region);
        expect(err.message).toMatch(/does not exist/);
        expect(err.initFailure).toBeUndefined();
    });

    it("fails with wrong credentials without echoing the access key or secret key", async () => {
        const id = await seed({ name: "locked", status: "STOPPED" });
        const wrongSecret = "Wr0ngSecretKeyWr0ngSecretKeyWr0ngSecretK";
        const other = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
        try {
            await other.configure({ ...stackConfigFor(emu), "huaweicloud:secretKey": wrongSecret });
            const err = await failureOf(other.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600 })));
            expect(err.message).toMatch(/signature|credential|access key/i);
            for (const line of [err.message, ...other.output, ...other.engineLogs.map((l) => l.message)]) {
                expect(line).not.toContain(wrongSecret);
                expect(line).not.toContain(emu.accessKey);
                expect(line).not.toContain(emu.secretKey);
            }
        } finally {
            await other.close();
        }
        expect((await autoStopInEmulator(id)).enable).toBe(false);
    });

    it("deletes a resource whose instance was deleted (and refresh drops it)", async () => {
        const id = await seed({ name: "short-lived", status: "RUNNING", autoStop: { enable: false, duration: 3600 } });
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600 }));

        expect((await tenant.del(`/demanager/instances/${id}`)).status).toBe(200);
        // while DELETING: nothing to restore, delete succeeds at once
        await host.delete(urn, id, created.properties);
        await waitUntil(() => notebookInEmulator(id), (nb) => nb === undefined);
        // once gone: refresh removes it from the state, and delete still succeeds
        const gone = await host.read(urn, id, created.properties);
        expect(gone.id).toBe("");
        await emu.admin.clearRequests();
        await host.delete(urn, id, created.properties);
        expect((await apiCalls()).filter((c) => c.method !== "GET")).toEqual([]);
    });
});

describe("NotebookAutoStop check", () => {
    const urn = urnFor("NotebookAutoStop", "checked-guard");
    const valid = { instanceId: "6fa459ea-ee8a-3ca4-894e-db77e160355e", enabled: true, duration: 3600 };
    const cases: Array<[string, Props, string, RegExp]> = [
        ["enabled missing", { instanceId: valid.instanceId, duration: 3600 }, "enabled", /enabled is required/],
        ["duration below range", { ...valid, duration: 3599 }, "duration", /at least 3600/],
        ["duration above range", { ...valid, duration: 259201 }, "duration", /at most 259200 seconds \(72 hours/],
        ["duration over 24 h on demanager", { ...valid, duration: 86401, api: "demanager" }, "duration", /at most 86400 seconds \(24 hours\) on the legacy demanager API/],
        ["IDLE on demanager", { ...valid, type: "IDLE", api: "demanager" }, "type", /IDLE.*only on notebooks of the current API/],
        ["prompt on the lease family", { ...valid, prompt: false, api: "notebooks" }, "prompt", /prompt is a setting of the legacy demanager API only/],
        ["enabled false on the lease family", { instanceId: valid.instanceId, enabled: false, api: "notebooks" }, "enabled", /enabled: false cannot be applied.*duration -1/],
        ["unknown api", { ...valid, api: "v2" }, "api", /api must be "notebooks"/],
        ["bad type", { ...valid, type: "timed" }, "type", /type must be "TIMING" or "IDLE"/],
        ["duration not an integer", { ...valid, duration: 3600.5 }, "duration", /whole number/],
        ["duration a string", { ...valid, duration: "1h" }, "duration", /number of seconds/],
        ["duration missing while enabled", { instanceId: valid.instanceId, enabled: true }, "duration", /required when enabled/],
        ["bad instanceId", { ...valid, instanceId: "../../etc" }, "instanceId", /instanceId must be an instance ID/],
        ["instanceId missing", { enabled: false }, "instanceId", /instanceId is required/],
        ["bad onDelete", { ...valid, onDelete: "keep" }, "onDelete", /onDelete must be "restore".*"disable"/],
        ["unknown property", { ...valid, autoStart: true }, "autoStart", /autoStart is not a property/],
        ["bad region", { ...valid, region: "Mars" }, "region", /region must be a Huawei Cloud region/],
        ["bad projectId", { ...valid, projectId: "my-project" }, "projectId", /projectId must be 32 lowercase hexadecimal/],
        ["bad timeouts value", { ...valid, timeouts: { create: "soon" } }, "timeouts.create", /timeouts.create must be a duration/],
        ["unknown timeouts key", { ...valid, timeouts: { forever: "1h" } }, "timeouts.forever", /not a property/],
    ];

    it("accepts valid inputs, including a disabled policy without a duration", async () => {
        expect((await host.check(urn, {}, withProvider(valid))).failures).toEqual([]);
        expect((await host.check(urn, {}, withProvider({ instanceId: valid.instanceId, enabled: false }))).failures).toEqual([]);
    });

    for (const [what, inputs, property, reason] of cases) {
        it(`refuses ${what}, naming ${property}, without calling the API`, async () => {
            await emu.admin.clearRequests();
            const { failures } = await host.check(urn, {}, withProvider(inputs));
            expect(failures.map((f) => f.property)).toEqual([property]);
            expect(failures[0].reason).toMatch(reason);
            expect(await emu.admin.requests()).toHaveLength(0);
        });
    }

    it("treats preview unknowns as not failures, and as changes in diff", async () => {
        await emu.admin.clearRequests();
        for (const inputs of [
            { instanceId: UNKNOWN, enabled: UNKNOWN, duration: UNKNOWN },
            { ...valid, duration: UNKNOWN },
            { instanceId: valid.instanceId, enabled: UNKNOWN },
            { ...valid, onDelete: UNKNOWN, prompt: UNKNOWN, region: UNKNOWN },
        ]) {
            expect((await host.check(urn, {}, withProvider(inputs))).failures).toEqual([]);
        }
        // a visible mistake next to an unknown is still reported
        const mixed = await host.check(urn, {}, withProvider({ instanceId: UNKNOWN, enabled: true, duration: 10 }));
        expect(mixed.failures.map((f) => f.property)).toEqual(["duration"]);

        const olds = { ...valid, prompt: true, onDelete: "restore", region: emu.region, projectId: emu.projectId, __provider: providerText };
        expect(await host.diff(urn, valid.instanceId, olds, withProvider({ ...valid, duration: UNKNOWN }))).toMatchObject({ changes: "some", replaces: [] });
        expect(await host.diff(urn, valid.instanceId, olds, withProvider({ ...valid, instanceId: UNKNOWN }))).toMatchObject({
            changes: "some",
            replaces: ["instanceId"],
        });
        expect(await emu.admin.requests()).toHaveLength(0);
    });
});

describe("secrets", () => {
    it("never shows the access key or secret key in host output or errors", () => {
        expect(errorsSeen.length).toBeGreaterThanOrEqual(3);
        expect(errorsSeen.some((m) => /signature|credential|access key/i.test(m))).toBe(true);
        expect(host.output.length).toBeGreaterThan(0);
        const everything = [...host.output, ...host.engineLogs.map((l) => l.message), ...errorsSeen];
        for (const line of everything) {
            expect(line).not.toContain(emu.accessKey);
            expect(line).not.toContain(emu.secretKey);
        }
    });
});
