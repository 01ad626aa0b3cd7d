/**
 * NotebookAutoStop on notebooks of the current API (the lease, `/notebooks/{id}/lease`), through
 * Pulumi's dynamic-provider host against the emulator: enabling, changing the duration, refresh
 * drift when the lease changes out of band (and none when it does not), delete restoring the prior
 * lease or warning where it cannot, family detection and its errors, inputs a family cannot
 * honour, a read with only an id (an import) in each family and for a missing id, failed
 * statuses, and state written before the lease family existed.
 */
import { randomUUID } from "crypto";
import { startEmulator, RunningEmulator } from "../../emulator";
import { classifyNotebookStatus, NOTEBOOK_STATUS_CLASSES } from "../../provider/api/notebooks";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { HostError, ProviderHost, providerTextOf, urnFor, Props, stackConfigFor } from "../harness/engine";

const H = 3_600_000;
let emu: RunningEmulator;
let providerText: string;
let host: ProviderHost;
const urn = urnFor("NotebookAutoStop", "lease-guard");

const withProvider = (inputs: Props): Props => ({ ...inputs, __provider: providerText });

async function nbInEmulator(id: string): Promise<Record<string, any> | undefined> {
    const dump = await emu.admin.state();
    return (dump.projects[emu.projectId]?.notebooks ?? []).find((n) => n.id === id) as Record<string, any> | undefined;
}
async function leaseOf(id: string): Promise<Record<string, any>> {
    return (await nbInEmulator(id))!.lease;
}
const stopOf = (l: Record<string, any>) => l.create_at + l.duration;

async function seedLease(input: Record<string, unknown>): Promise<string> {
    return String((await emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", ...input } as any)).id);
}

async function failureOf<T>(p: Promise<T>): Promise<HostError> {
    const outcome = await p.then(() => undefined, (e: unknown) => e);
    if (!(outcome instanceof HostError)) throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
    return outcome;
}
const writes = async () => (await emu.admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}?${r.query}`);

beforeAll(async () => {
    providerText = providerTextOf("notebookAutoStopShim");
    emu = await startEmulator({ timings: { notebook: { create: 200, start: 200, stop: 150, delete: 150, queue: 0 } }, rateLimit: null });
    host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
    await host.configure(stackConfigFor(emu));
});
afterAll(async () => {
    await host?.close();
    await emu?.close();
});

describe("status classes", () => {
    const current = ["INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "RUNNING", "STOPPED", "SNAPSHOTTING", "CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "DELETED", "FROZEN"];
    const demanagerExtra = ["CREATE_QUEUING", "START_QUEUING", "READY_TO_START", "RESTARTING", "UNAVAILABLE", "RESIZING", "RESIZE_FAILED"];
    it.each([...current, ...demanagerExtra])("classifies %s", (s) => {
        expect(["settled", "transient", "failed", "gone"]).toContain(classifyNotebookStatus(s));
    });
    it("puts each status where the design says", () => {
        expect(Object.keys(NOTEBOOK_STATUS_CLASSES).sort()).toEqual([...current, ...demanagerExtra].sort());
        for (const s of ["RUNNING", "STOPPED"]) expect(classifyNotebookStatus(s)).toBe("settled");
        for (const s of ["CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "FROZEN", "UNAVAILABLE", "RESIZE_FAILED"]) expect(classifyNotebookStatus(s)).toBe("failed");
        expect(classifyNotebookStatus("RESIZING")).toBe("transient");
        for (const s of ["DELETING", "DELETED"]) expect(classifyNotebookStatus(s)).toBe("gone");
        expect(classifyNotebookStatus("HIBERNATING")).toBe("unknown");
        expect(classifyNotebookStatus(undefined)).toBe("unknown");
    });
});

describe("NotebookAutoStop on a notebook of the current API (lease)", () => {
    it("enables auto-stop, changes the duration, shows drift only when the lease changed, and restores the prior lease on delete", async () => {
        const runningSince = Date.now() - 30 * 60_000;
        const id = await seedLease({ name: "lease-nb", runningSince, lease: { enable: true, duration: 5 * H } });
        const priorStop = runningSince + 5 * H;
        const program = { instanceId: id, enabled: true, duration: 2 * 3600 };
        const checked = await host.check(urn, {}, withProvider(program));
        expect(checked.failures).toEqual([]);
        await emu.admin.clearRequests();
        const t0 = Date.now();
        const created = await host.create(urn, withProvider(checked.inputs));
        let state = created.properties;
        expect(state).toMatchObject({ instanceId: id, api: "notebooks", enabled: true, duration: 7200, type: "TIMING", leaseType: "TIMING", status: "RUNNING", name: "lease-nb", stateVersion: 2 });
        expect(state.prompt).toBeUndefined();
        expect(state.priorPolicy).toMatchObject({ enabled: true, duration: 5 * 3600, type: "TIMING", stopAt: new Date(priorStop).toISOString() });
        expect(await writes()).toEqual([`PATCH /v1/${emu.projectId}/notebooks/${id}/lease?duration=7200000`]);
        const l1 = await leaseOf(id);
        expect(stopOf(l1)).toBeGreaterThanOrEqual(t0 + 2 * H);
        expect(stopOf(l1)).toBeLessThanOrEqual(Date.now() + 2 * H);
        expect(state.stopTimestamp).toBe(new Date(stopOf(l1)).toISOString());

        // no drift on refresh, however often; no-op diff
        for (let i = 0; i < 2; i++) {
            const again = await host.read(urn, id, state);
            expect(again.properties.duration).toBe(7200);
            expect(again.inputs).toMatchObject({ enabled: true, duration: 7200 });
            expect(await host.diff(urn, id, again.properties, withProvider(program))).toMatchObject({ changes: "none" });
            state = again.properties;
        }

        // update the duration: renewed, counted from now
        const longer = { ...program, duration: 10 * 3600 };
        expect(await host.diff(urn, id, state, withProvider(longer))).toMatchObject({ changes: "some", replaces: [] });
        const t1 = Date.now();
        state = (await host.update(urn, id, state, withProvider(longer))).properties;
        expect(state.duration).toBe(36000);
        expect(stopOf(await leaseOf(id))).toBeGreaterThanOrEqual(t1 + 10 * H);
        expect(state.priorPolicy.stopAt).toBe(new Date(priorStop).toISOString());

        // out of band: someone renews the lease for 3 h in the console; refresh shows 3 h, up re-applies
        await emu.admin.clearRequests();
        const oob = Date.now();
        await emu.admin.setLease({ id, createAt: runningSince, duration: oob - runningSince + 3 * H, updateAt: oob });
        const drifted = await host.read(urn, id, state);
        expect(drifted.properties.duration).toBe(3 * 3600);
        expect(drifted.inputs.duration).toBe(3 * 3600);
        expect(await host.diff(urn, id, drifted.properties, withProvider(longer))).toMatchObject({ changes: "some" });
        state = (await host.update(urn, id, drifted.properties, withProvider(longer))).properties;
        expect(state.duration).toBe(36000);
        expect((await writes()).filter((w) => w.startsWith("PATCH"))).toHaveLength(1);

        // the type changed to IDLE out of band is drift too
        await emu.admin.setLease({ id, type: "IDLE" });
        const idle = await host.read(urn, id, state);
        expect(idle.properties).toMatchObject({ type: "IDLE", leaseType: "IDLE" });
        expect(await host.diff(urn, id, idle.properties, withProvider(longer))).toMatchObject({ changes: "some" });
        state = (await host.update(urn, id, idle.properties, withProvider(longer))).properties;
        expect((await leaseOf(id)).type).toBe("TIMING");

        // delete restores the prior stop time
        await host.delete(urn, id, state);
        const restored = await leaseOf(id);
        expect(Math.abs(stopOf(restored) - priorStop)).toBeLessThan(3000);
        expect((await nbInEmulator(id))!.status).toBe("RUNNING");
    });

    it("enables auto-stop on a notebook created with duration -1; delete cannot turn it off again and says so", async () => {
        const id = await seedLease({ name: "never-stops", lease: { duration: -1 } });
        expect((await leaseOf(id)).enable).toBe(false);
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600, api: "notebooks" }));
        expect(created.properties).toMatchObject({ api: "notebooks", enabled: true, priorPolicy: { enabled: false } });
        expect((await leaseOf(id)).enable).toBe(true);
        const mark = host.output.length;
        await host.delete(urn, id, created.properties);
        expect(host.output.slice(mark).join("\n")).toMatch(/never-stops.*cannot be turned off.*duration -1/);
        expect((await leaseOf(id)).enable).toBe(true);
    });

    it("refuses to write a lease on a STOPPED notebook, naming the status and what to do", async () => {
        const id = await seedLease({ status: "STOPPED", name: "asleep" });
        await emu.admin.clearRequests();
        const err = await failureOf(host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 7200 })));
        expect(err.message).toMatch(/asleep.*STOPPED.*RUNNING notebook \(RenewLease\).*Start the notebook/);
        expect(await writes()).toEqual([]);
    });
});

describe("failed statuses fail fast, naming the instance (issue 20)", () => {
    it.each([
        ["demanager", "RESIZE_FAILED"],
        ["demanager", "DELETE_FAILED"],
        ["notebooks", "DELETE_FAILED"],
    ])("%s instance in %s: create fails at once with the id, nothing written", async (family, status) => {
        const id = String((await emu.admin.seedNotebook({ family, status, name: `failed-${status.toLowerCase()}` } as any)).id);
        await emu.admin.clearRequests();
        const started = Date.now();
        const err = await failureOf(host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600, timeouts: { create: "60s" } })));
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(err.message).toContain(id);
        expect(err.message).toContain(`status ${status}`);
        expect(await writes()).toEqual([]);
    });
});

describe("reading a notebook that is not RUNNING, and ambiguous answers (issue 20)", () => {
    it("refresh of a STOPPED notebook never calls ShowLease (it answers only for RUNNING): the notebook's own lease is read", async () => {
        const id = await seedLease({ name: "sleeper", lease: { enable: true, duration: 5 * H } });
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 7200 }));
        // Stop it through the tenant API, as the console would.
        const tenant = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
        expect((await tenant.post(`/notebooks/${id}/stop`, {})).status).toBe(200);
        await waitUntil(async () => (await nbInEmulator(id))?.status, (st) => st === "STOPPED");
        // The emulator refuses ShowLease now, as the real API does.
        expect((await tenant.get(`/notebooks/${id}/lease`)).status).toBe(400);
        await emu.admin.clearRequests();
        const read = await host.read(urn, id, created.properties, created.properties);
        expect(read.properties).toMatchObject({ instanceId: id, status: "STOPPED", enabled: true, duration: 7200, api: "notebooks" });
        const calls = (await emu.admin.requests()).map((r) => `${r.method} ${r.path}`);
        expect(calls.some((c) => c.endsWith("/lease"))).toBe(false);
    });

    it("one ModelArts.6357 on the notebook's GET does not drop the policy; the read asks again", async () => {
        const id = await seedLease({ name: "busy-nb", lease: { enable: true, duration: 5 * H } });
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 7200 }));
        await emu.admin.addFault({ method: "GET", path: `/notebooks/${id}$`, kind: "status", status: 400, errorCode: "ModelArts.6357", count: 1 });
        const read = await host.read(urn, id, created.properties, created.properties);
        expect(read.id).toBe(id);
        expect(read.properties).toMatchObject({ enabled: true, duration: 7200 });
    });

    it("ModelArts.6357 on every read is an error that keeps the resource, never 'gone'", async () => {
        const id = await seedLease({ name: "stuck-nb", lease: { enable: true, duration: 5 * H } });
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 7200 }));
        await emu.admin.addFault({ method: "GET", path: `/notebooks/${id}$`, kind: "status", status: 400, errorCode: "ModelArts.6357", count: 10 });
        try {
            const err = await failureOf(host.read(urn, id, created.properties, created.properties));
            expect(err.message).toMatch(/ModelArts\.6357 to 3 reads in a row.*not 'not found'.*nothing is removed from the state/);
        } finally {
            await emu.admin.clearFaults();
        }
    });
});

describe("family detection and what a family cannot honour", () => {
    it("detects a demanager instance without api, and fails clearly for an id in neither family", async () => {
        const legacy = String((await emu.admin.seedNotebook({ status: "STOPPED", name: "legacy" })).id);
        const created = await host.create(urn, withProvider({ instanceId: legacy, enabled: true, duration: 3600 }));
        expect(created.properties).toMatchObject({ api: "demanager", prompt: true, enabled: true });
        await host.delete(urn, legacy, created.properties);

        const missing = randomUUID();
        const err = await failureOf(host.create(urn, withProvider({ instanceId: missing, enabled: true, duration: 3600 })));
        for (const part of [missing, emu.projectId, emu.region, "neither the current notebooks API", "legacy demanager API"]) expect(err.message).toContain(part);

        // an explicit family that does not know the id
        const leaseId = await seedLease({});
        const wrong = await failureOf(host.create(urn, withProvider({ instanceId: leaseId, enabled: true, duration: 3600, api: "demanager" })));
        expect(wrong.message).toMatch(/does not exist .*legacy demanager API \(\/demanager\/instances\) does not know it.*api/);
        // diff: naming another family replaces
        expect(await host.diff(urn, legacy, created.properties, withProvider({ instanceId: legacy, enabled: true, duration: 3600, api: "notebooks" }))).toMatchObject({ replaces: ["api"] });
    });

    it("refuses, once detected, inputs the family cannot honour, naming the field; nothing is written", async () => {
        const leaseId = await seedLease({ name: "lease-x" });
        const legacy = String((await emu.admin.seedNotebook({ status: "RUNNING", name: "legacy-x" })).id);
        const cases: Array<[string, Props, RegExp]> = [
            [leaseId, { enabled: true, duration: 3600, prompt: false }, /current notebooks API \(lease\).*prompt: prompt is a setting of the legacy demanager API only/],
            [leaseId, { enabled: false }, /enabled: enabled: false cannot be applied/],
            [legacy, { enabled: true, duration: 90000 }, /legacy demanager API.*duration: duration must be at most 86400/],
            [legacy, { enabled: true, duration: 3600, type: "IDLE" }, /legacy demanager API.*type: type "IDLE" exists only/],
        ];
        for (const [id, inputs, reason] of cases) {
            expect((await host.check(urn, {}, withProvider({ instanceId: id, ...inputs }))).failures).toEqual([]);
            await emu.admin.clearRequests();
            const err = await failureOf(host.create(urn, withProvider({ instanceId: id, ...inputs })));
            expect(err.message).toMatch(reason);
            expect(err.message).toContain(id);
            expect(await writes()).toEqual([]);
        }
    });
});

describe("read with only an id (an import of an existing policy)", () => {
    it("detects a notebook of the current API and returns its lease as state and inputs, writing nothing", async () => {
        const id = await seedLease({ name: "found-lease", lease: { enable: true, duration: 5 * H } });
        await emu.admin.clearRequests();
        const read = await host.read(urn, id, { __provider: providerText });
        expect(read.id).toBe(id);
        expect(read.properties).toMatchObject({
            instanceId: id, api: "notebooks", enabled: true, type: "TIMING", onDelete: "restore", status: "RUNNING", name: "found-lease",
            region: emu.region, projectId: emu.projectId, stateVersion: 2, priorPolicy: { enabled: true, type: "TIMING" },
        });
        expect(read.properties.duration).toBe(read.properties.priorPolicy.duration);
        expect(read.properties.prompt).toBeUndefined();
        expect(read.properties.__provider).toBe(providerText);
        expect(read.inputs).toMatchObject({ instanceId: id, enabled: true, duration: read.properties.duration, type: "TIMING", onDelete: "restore" });
        expect(read.inputs.api).toBeUndefined();
        expect(await writes()).toEqual([]);
        // the program that declares the policy as it is plans no change; delete leaves the lease as it was
        const program = { instanceId: id, enabled: true, duration: read.properties.duration };
        expect(await host.diff(urn, id, read.properties, withProvider(program))).toMatchObject({ changes: "none", replaces: [] });
        const before = await leaseOf(id);
        await host.delete(urn, id, read.properties);
        expect(stopOf(await leaseOf(id))).toBe(stopOf(before));
    });

    it("detects a demanager instance and returns its spec.auto_stop as state and inputs", async () => {
        const id = String((await emu.admin.seedNotebook({ status: "STOPPED", name: "found-legacy", autoStop: { enable: true, duration: 7200, prompt: false } })).id);
        await emu.admin.clearRequests();
        const read = await host.read(urn, id, { __provider: providerText });
        expect(read.id).toBe(id);
        expect(read.properties).toMatchObject({
            instanceId: id, api: "demanager", enabled: true, duration: 7200, prompt: false, onDelete: "restore", status: "STOPPED", name: "found-legacy",
            region: emu.region, projectId: emu.projectId, priorPolicy: { enabled: true, duration: 7200, prompt: false },
        });
        expect(read.inputs).toMatchObject({ instanceId: id, enabled: true, duration: 7200, prompt: false });
        expect(await writes()).toEqual([]);
        const program = { instanceId: id, enabled: true, duration: 7200, prompt: false };
        expect(await host.diff(urn, id, read.properties, withProvider(program))).toMatchObject({ changes: "none", replaces: [] });
    });

    it("returns nothing for an id neither family knows, never an invented resource", async () => {
        const missing = randomUUID();
        const read = await host.read(urn, missing, { __provider: providerText });
        expect(read.id).toBe("");
        expect(read.inputs).toEqual({});
        const { __provider: _provider, ...properties } = read.properties;
        expect(properties).toEqual({});
        // both families were asked, each by its own not-found code
        const asked = (await emu.admin.requests()).map((r) => r.path);
        expect(asked.some((p) => p.endsWith(`/notebooks/${missing}`))).toBe(true);
        expect(asked.some((p) => p.endsWith(`/demanager/instances/${missing}`))).toBe(true);
    });
});

describe("failed statuses and old state", () => {
    it("surfaces ERROR and DELETE_FAILED with the notebook's id", async () => {
        const broken = await seedLease({ status: "ERROR", name: "broken" });
        const err = await failureOf(host.create(urn, withProvider({ instanceId: broken, enabled: true, duration: 3600 })));
        expect(err.message).toContain(broken);
        expect(err.message).toMatch(/status ERROR/);

        const id = await seedLease({ name: "doomed" });
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 3600 }));
        await emu.admin.injectFailure({ family: "notebook", kind: "delete", status: "DELETE_FAILED", resourceId: id });
        await emu.admin.setConfig({ timings: { notebook: { delete: 10 } } });
        // the tenant deletes the notebook out of band; the deletion fails
        const { EmulatorClient } = await import("../helpers/emulatorClient");
        const tenant = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
        expect((await tenant.del(`/notebooks/${id}`)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 100));
        const refreshed = await host.read(urn, id, created.properties);
        expect(refreshed.id).toBe(id);
        expect(refreshed.properties.status).toBe("DELETE_FAILED");
        const upd = await failureOf(host.update(urn, id, refreshed.properties, withProvider({ instanceId: id, enabled: true, duration: 7200 })));
        expect(upd.message).toContain(id);
        expect(upd.message).toMatch(/DELETE_FAILED/);
        const del = await failureOf(host.delete(urn, id, refreshed.properties));
        expect(del.message).toMatch(new RegExp(`${id}.*DELETE_FAILED|DELETE_FAILED.*${id}`));
        await emu.admin.setConfig({ timings: { notebook: { delete: 150 } } });
    });

    it("reads, diffs and deletes state of version 1 (demanager, no api field)", async () => {
        const id = String((await emu.admin.seedNotebook({ status: "RUNNING", name: "old-state", autoStop: { enable: true, duration: 7200 } })).id);
        const created = await host.create(urn, withProvider({ instanceId: id, enabled: true, duration: 7200 }));
        const { api: _api, type: _type, leaseType: _lt, ...v1 } = created.properties;
        const old = { ...v1, stateVersion: 1 };
        const program = { instanceId: id, enabled: true, duration: 7200 };
        expect(await host.diff(urn, id, old, withProvider(program))).toMatchObject({ changes: "none", replaces: [] });
        const read = await host.read(urn, id, old);
        expect(read.properties).toMatchObject({ api: "demanager", stateVersion: 2, duration: 7200 });
        await host.delete(urn, id, old);
    });
});
