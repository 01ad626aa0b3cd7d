/**
 * The DevServer's Terraform-parity inputs and in-place actions through Pulumi's dynamic-provider
 * host, against the emulator: data volumes, address pairs and an EIP at create; attached volumes
 * added and removed in place; change OS on an image change; reboot and reinstall triggers; a bound
 * EIP that cannot change in place; prepaid billing (auto-renew in place, period replaces, auto-pay
 * off waits and fails naming the order); the deprecated flavor; state written by version 1.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { ProviderHost, providerTextOf, urnFor, Props, stackConfigFor } from "../harness/engine";

const IMAGE = "c90fb553-2cdb-4b81-b56a-ef68812c6cf7";
const OTHER_IMAGE = "0d2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b";

function program(overrides: Props = {}): Props {
    return {
        name: "extras-box",
        resourceFlavor: "Si2.large.4",
        imageId: IMAGE,
        vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
        subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
        keyPairName: "team-a",
        ...overrides,
    };
}

let emu: RunningEmulator;
let providerText: string;
let host: ProviderHost;
const urn = urnFor("DevServer", "extras-box");
const withProvider = (inputs: Props): Props => ({ ...inputs, __provider: providerText });

async function server(id: string): Promise<Record<string, any> | undefined> {
    return ((await emu.admin.state()).projects[emu.projectId]?.devServers ?? []).find((s) => s.id === id);
}

async function calls(): Promise<string[]> {
    return (await emu.admin.requests()).map((r) => `${r.method} ${r.path.replace(/^\/v1\/[0-9a-f]{32}/, "")}`);
}

/** check, then create, as the engine does. */
async function up(inputs: Props): Promise<{ id: string; properties: Props }> {
    const checked = await host.check(urn, {}, withProvider(inputs));
    expect(checked.failures).toEqual([]);
    return host.create(urn, withProvider(checked.inputs));
}

/** check, diff and update, as the engine does; returns the diff and the new state. */
async function change(id: string, state: Props, inputs: Props): Promise<{ diff: any; properties: Props }> {
    const checked = await host.check(urn, state, withProvider(inputs));
    expect(checked.failures).toEqual([]);
    const diff = await host.diff(urn, id, state, withProvider(checked.inputs));
    const { properties } = await host.update(urn, id, state, withProvider(checked.inputs));
    return { diff, properties };
}

beforeAll(async () => {
    providerText = providerTextOf("devServerShim");
    emu = await startEmulator({
        timings: {
            devServer: { create: 200, start: 150, stop: 150, delete: 150, reboot: 150, changeos: 200, reinstallos: 200, operation: 100 },
            bss: { orderComplete: 200 },
        },
        rateLimit: null,
    });
    host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
    await host.configure(stackConfigFor(emu));
});

afterAll(async () => {
    await host?.close();
    await emu?.close();
});

describe("DevServer extras through the dynamic-provider host", () => {
    it("creates with a data volume, address pairs, an attached volume and an EIP; changes volumes, image and triggers in place", async () => {
        const v1 = await emu.admin.createVolume({ size: 200, type: "SSD" });
        const v2 = await emu.admin.createVolume({ size: 300, type: "SSD" });
        const eip = await emu.admin.createPublicIp();
        const declared = program({
            dataVolume: { size: 200, type: "SSD", count: 2 },
            allowedAddressPairs: [{ ipAddress: "10.0.0.8/32" }],
            attachedVolumeIds: [v1.id],
            publicIpId: eip.id,
        });
        const created = await up(declared);
        const id = created.id;
        let state = created.properties;
        expect(state).toMatchObject({ status: "RUNNING", resourceFlavor: "Si2.large.4", attachedVolumeIds: [v1.id], publicIpId: eip.id, stateVersion: 2 });
        expect(state.publicIps).toEqual([{ id: eip.id, address: eip.address }]);
        const volumes = state.volumes as Array<Record<string, unknown>>;
        expect(volumes.map((v) => v.type)).toEqual(["ROOT", "DATA", "DATA", "DATA"]);
        expect(volumes.some((v) => v.evsId === v1.id)).toBe(true);
        expect(await host.diff(urn, id, state, withProvider(declared))).toMatchObject({ changes: "none" });

        // attach v2 and detach v1, in place, each through its operation
        await emu.admin.clearRequests();
        const swapped = { ...declared, attachedVolumeIds: [v2.id] };
        let r = await change(id, state, swapped);
        expect(r.diff).toMatchObject({ changes: "some", replaces: [] });
        state = r.properties;
        expect(state.attachedVolumeIds).toEqual([v2.id]);
        const evs = (state.volumes as Array<Record<string, unknown>>).map((v) => v.evsId);
        expect(evs).toContain(v2.id);
        expect(evs).not.toContain(v1.id);
        const sent = await calls();
        expect(sent).toContain(`DELETE /dev-servers/${id}/detachvolume/${v1.id}`);
        expect(sent).toContain(`POST /dev-servers/${id}/attachvolume`);
        expect(sent.some((c) => c.startsWith(`GET /dev-servers/${id}/operation/`))).toBe(true);
        expect(host.output.some((l) => /waiting for volume .* to attach to DevServer extras-box/.test(l))).toBe(true);

        // removing the list detaches them all
        const { attachedVolumeIds: _dropped, ...withoutVolumes } = swapped;
        r = await change(id, state, withoutVolumes);
        expect(r.diff).toMatchObject({ changes: "some", replaces: [] });
        state = r.properties;
        expect((state.volumes as Array<Record<string, unknown>>).map((v) => v.evsId)).not.toContain(v2.id);
        expect(await host.diff(urn, id, state, withProvider(withoutVolumes))).toMatchObject({ changes: "none" });

        // an image change is applied in place through change-OS, and the preview says what it does
        await emu.admin.clearRequests();
        const reimaged = { ...withoutVolumes, imageId: OTHER_IMAGE };
        const before = host.output.length;
        r = await change(id, state, reimaged);
        expect(r.diff).toMatchObject({ changes: "some", replaces: [] });
        expect(host.output.slice(before).some((l) => /imageId changes in place through change-OS: .*SYSTEM DISK IS REBUILT/.test(l))).toBe(true);
        state = r.properties;
        expect(state).toMatchObject({ status: "RUNNING", imageId: OTHER_IMAGE, image: { imageId: OTHER_IMAGE } });
        expect(await calls()).toEqual(expect.arrayContaining([`PUT /dev-servers/${id}/stop`, `POST /dev-servers/${id}/changeos`]));
        expect((await server(id))?.status).toBe("RUNNING");

        // a changed reboot trigger reboots once; the same value again does nothing
        await emu.admin.clearRequests();
        const rebooted = { ...reimaged, rebootTrigger: "2024-06-01T10:00" };
        r = await change(id, state, rebooted);
        state = r.properties;
        expect(await calls()).toContain(`PUT /dev-servers/${id}/reboot`);
        expect(state).toMatchObject({ status: "RUNNING", rebootTrigger: "2024-06-01T10:00" });
        expect(await host.diff(urn, id, state, withProvider(rebooted))).toMatchObject({ changes: "none" });

        // a reinstall trigger on a STOPPED declaration: stop, reinstall, back to STOPPED
        await emu.admin.clearRequests();
        const reinstalled: Props = { ...rebooted, reinstallTrigger: "1", powerState: "STOPPED" };
        r = await change(id, state, reinstalled);
        state = r.properties;
        expect(await calls()).toEqual(expect.arrayContaining([`PUT /dev-servers/${id}/stop`, `POST /dev-servers/${id}/reinstallos`]));
        expect(state).toMatchObject({ status: "STOPPED", reinstallTrigger: "1" });

        // a bound EIP cannot be unbound: changing or removing it replaces, and the preview says why
        const other = await emu.admin.createPublicIp();
        const moved = host.output.length;
        expect(await host.diff(urn, id, state, withProvider({ ...reinstalled, publicIpId: other.id }))).toMatchObject({ replaces: ["publicIpId"] });
        expect(host.output.slice(moved).some((l) => /replaced because publicIpId changed: a bound EIP cannot be unbound/.test(l))).toBe(true);
        const { publicIpId: _ip, ...withoutIp } = reinstalled;
        expect(await host.diff(urn, id, state, withProvider(withoutIp))).toMatchObject({ replaces: ["publicIpId"] });

        await host.delete(urn, id, state);
        expect(await server(id)).toBeUndefined();
    });

    it("keeps a server whose volume attach fails in the state, recording only what is attached", async () => {
        const vol = await emu.admin.createVolume();
        await emu.admin.injectFailure({ family: "devServer", kind: "attach" });
        const err = await up(program({ name: "attach-fails", attachedVolumeIds: [vol.id] })).then(() => undefined, (e) => e);
        expect(err?.initFailure?.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(err.message).toMatch(/volume .* to attach to DevServer attach-fails/);
        expect(err.initFailure.properties.attachedVolumeIds).toEqual([]);
        // the next up attaches it in place
        const id = err.initFailure.id;
        const r = await change(id, err.initFailure.properties, program({ name: "attach-fails", attachedVolumeIds: [vol.id] }));
        expect(r.diff.replaces).toEqual([]);
        expect(r.properties.attachedVolumeIds).toEqual([vol.id]);
        await host.delete(urn, id, r.properties);
    });

    it("prepaid: auto-renew changes in place through BSS; a period change replaces and says why; delete unsubscribes", async () => {
        const declared = program({ name: "prepaid-extras", chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1 } });
        const created = await up(declared);
        expect(created.properties.chargingInfo).toMatchObject({ isAutoPay: true });
        expect(host.output.some((l) => /waiting for order .* \(DevServer prepaid-extras\) to complete/.test(l))).toBe(true);
        const id = created.id;

        await emu.admin.clearRequests();
        const renewing = { ...declared, chargingInfo: { ...(declared.chargingInfo as Props), isAutoRenew: true } };
        const r = await change(id, created.properties, renewing);
        expect(r.diff).toMatchObject({ changes: "some", replaces: [] });
        expect(await calls()).toContain(`POST /v2/orders/subscriptions/resources/autorenew/${id}`);
        const subscription = (await emu.admin.orders()).subscriptions.find((s: any) => s.resource_id === id);
        expect(subscription?.expire_policy).toBe(3);

        const longer = host.output.length;
        const diff = await host.diff(urn, id, r.properties, withProvider({ ...renewing, chargingInfo: { ...(renewing.chargingInfo as Props), periodNum: 3 } }));
        expect(diff.replaces).toEqual(["chargingInfo.periodNum"]);
        expect(host.output.slice(longer).some((l) => /replaced because chargingInfo.periodNum changed: billing mode and prepaid period cannot change in place/.test(l))).toBe(true);

        await host.delete(urn, id, r.properties);
        expect(await server(id)).toBeUndefined();
    });

    it("prepaid with isAutoPay false: waits with progress lines, then fails naming the order and what to do", async () => {
        const declared = program({ name: "unpaid", chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1, isAutoPay: false } });
        const err = await up(declared).then(() => undefined, (e) => e);
        const order = (await emu.admin.orders()).orders.find((o) => o.status === 6) as { orderId: string } | undefined;
        if (!order) throw new Error("no order pending payment");
        expect(err?.message).toContain(`BSS order ${order.orderId} for DevServer unpaid was not paid`);
        expect(err.message).toMatch(/pay order .* in the Billing Center.*'import' resource option.*or cancel order/);
        expect(err.initFailure).toBeUndefined();
        expect(host.output.some((l) => /waiting for order .* status 6 \(pending payment\)/.test(l))).toBe(true);
        await emu.admin.cancelOrder(order.orderId);
    });

    it("accepts the deprecated flavor with a warning; declaring the same value as resourceFlavor changes nothing", async () => {
        const { resourceFlavor: _rf, ...rest } = program({ name: "old-flavor" });
        const legacy = { ...rest, flavor: "Si2.large.4" };
        const before = host.output.length;
        const created = await up(legacy);
        expect(host.output.slice(before).some((l) => /flavor is deprecated .*declare resourceFlavor/.test(l))).toBe(true);
        expect(await host.diff(urn, created.id, created.properties, withProvider(program({ name: "old-flavor" })))).toMatchObject({ changes: "none" });
        expect(await host.diff(urn, created.id, created.properties, withProvider(program({ name: "old-flavor", resourceFlavor: "Other.x" })))).toMatchObject({
            replaces: ["resourceFlavor"],
        });

        // state written by version 1 (no new inputs or outputs) still reads, diffs and deletes
        const { volumes: _v, publicIps: _p, attachedVolumeIds: _a, ...v1 } = created.properties;
        const oldState = { ...v1, stateVersion: 1 };
        expect(await host.diff(urn, created.id, oldState, withProvider(legacy))).toMatchObject({ changes: "none" });
        const refreshed = await host.read(urn, created.id, oldState);
        expect(refreshed.properties).toMatchObject({ stateVersion: 2, flavor: "Si2.large.4", status: "RUNNING" });
        expect(refreshed.properties.resourceFlavor).toBeUndefined();
        await host.delete(urn, created.id, oldState);
        expect(await server(created.id)).toBeUndefined();
    });
});

describe("EIPs are bound only while the server is RUNNING (BindDevServerPublicIp; issue 20)", () => {
    it("emulator: binding to a STOPPED server is refused", async () => {
        const created = await up(program({ name: "eip-rule-emu", powerState: "STOPPED" }));
        const eip = await emu.admin.createPublicIp();
        const { EmulatorClient } = await import("../helpers/emulatorClient");
        const tenant = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
        const r = await tenant.post(`/dev-servers/${created.id}/publicips`, { public_ip_id: eip.id });
        expect(r.status).toBe(400);
        expect(r.body.error_msg).toMatch(/requires RUNNING/);
    });

    it("create with powerState STOPPED binds while RUNNING, then stops", async () => {
        const eip = await emu.admin.createPublicIp();
        const created = await up(program({ name: "eip-then-stop", powerState: "STOPPED", publicIpId: eip.id }));
        expect(created.properties).toMatchObject({ status: "STOPPED", publicIpId: eip.id });
        expect(created.properties.publicIps).toEqual([{ id: eip.id, address: eip.address }]);
    });

    it("update of a STOPPED server: with powerState RUNNING the EIP is bound after the start; kept STOPPED, a clear error and nothing bound", async () => {
        const created = await up(program({ name: "eip-stopped", powerState: "STOPPED" }));
        const id = created.id;
        const eip = await emu.admin.createPublicIp();
        const stayStopped = program({ name: "eip-stopped", powerState: "STOPPED", publicIpId: eip.id });
        const checked = await host.check(urn, created.properties, withProvider(stayStopped));
        const err = await host.update(urn, id, created.properties, withProvider(checked.inputs)).then(() => undefined, (e: Error) => e);
        expect(err?.message).toMatch(/is STOPPED and powerState STOPPED keeps it so, but EIP .* can be bound only to a RUNNING server.*Set powerState to RUNNING/);
        expect((await server(id))?.status).toBe("STOPPED");
        const dump = await emu.admin.state();
        expect(JSON.stringify(dump.projects[emu.projectId])).not.toMatch(new RegExp(`"boundTo":"${id}"`));

        await emu.admin.clearRequests();
        const started = await change(id, created.properties, program({ name: "eip-stopped", powerState: "RUNNING", publicIpId: eip.id }));
        expect(started.properties).toMatchObject({ status: "RUNNING", publicIpId: eip.id });
        expect(started.properties.publicIps).toEqual([{ id: eip.id, address: eip.address }]);
        const order = (await calls()).filter((c) => /\/start$|\/publicips$/.test(c) && !c.startsWith("GET"));
        expect(order).toEqual([`PUT /dev-servers/${id}/start`, `POST /dev-servers/${id}/publicips`]);
    });
});

describe("user data reaches the server whichever key the create reads (issue 20)", () => {
    afterAll(() => emu.admin.setConfig({ createUserDataKey: "user_data" }));
    it.each(["user_data", "userdata"] as const)("an API that reads only %s and ignores the other key gets the script", async (key) => {
        await emu.admin.setConfig({ createUserDataKey: key });
        const script = "IyEvYmluL3NoCmVjaG8gaGVsbG8=";
        const created = await up(program({ name: `ud-${key.replace("_", "-")}`, userData: script }));
        const { createHash } = await import("crypto");
        expect((await server(created.id))?.user_data_sha256).toBe(createHash("sha256").update(script).digest("hex"));
    });
});

describe("an input added by its table entry alone reaches the API (issue 21)", () => {
    it("hyperClusterId / hyperClusterSubnetId travel as network.hyper_cluster; a change replaces the server", async () => {
        const declared = program({ name: "hyper-box", hyperClusterId: "hc-1", hyperClusterSubnetId: "hc-subnet-1" });
        const created = await up(declared);
        expect((await server(created.id))?.hyper_cluster).toEqual({ id: "hc-1", hyper_cluster_subnet_id: "hc-subnet-1" });
        expect(created.properties).toMatchObject({ hyperClusterId: "hc-1", hyperClusterSubnetId: "hc-subnet-1" });
        const checked = await host.check(urn, created.properties, withProvider({ ...declared, hyperClusterId: "hc-2" }));
        const diff = await host.diff(urn, created.id, created.properties, withProvider(checked.inputs));
        expect(diff.replaces).toEqual(["hyperClusterId"]);
        await host.delete(urn, created.id, created.properties);
    });
});

describe("HPS servers go through the SDK's hyperinstance endpoints (issue 20)", () => {
    it("create, stop, start, change OS and delete an HPS server: every action on /dev-servers/hyperinstance/{id}", async () => {
        const declared = program({ name: "hps-box", serverType: "HPS", hpsClusterId: "5b2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a01" });
        const created = await up(declared);
        const id = created.id;
        expect(created.properties).toMatchObject({ status: "RUNNING", serverType: "HPS" });
        await emu.admin.clearRequests();
        let r = await change(id, created.properties, { ...declared, powerState: "STOPPED" });
        expect(r.properties.status).toBe("STOPPED");
        r = await change(id, r.properties, { ...declared, powerState: "RUNNING", imageId: OTHER_IMAGE });
        expect(r.properties).toMatchObject({ status: "RUNNING", imageId: OTHER_IMAGE });
        await host.delete(urn, id, r.properties);
        expect(await server(id)).toBeUndefined();
        const actions = (await calls()).filter((c) => !c.startsWith("GET"));
        expect(actions).toEqual([
            `PUT /dev-servers/hyperinstance/${id}/stop`,
            `POST /dev-servers/hyperinstance/${id}/changeos`,
            `DELETE /dev-servers/hyperinstance/${id}`,
        ]);
        // The emulator refuses the plain endpoints for an HPS server, and the hyperinstance ones for others.
        const { EmulatorClient } = await import("../helpers/emulatorClient");
        const tenant = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
        const other = await up(declared);
        expect((await tenant.put(`/dev-servers/${other.id}/stop`, {})).body.error_msg).toMatch(/is an HPS server.*hyperinstance/);
        const hyper = await tenant.get(`/dev-servers/hyperinstance/${other.id}`);
        expect(hyper.body).toMatchObject({ id: other.id, status: "ACTIVE", servers: [{ id: other.id, status: "RUNNING" }] });
        await host.delete(urn, other.id, other.properties);
        const plain = await up(program({ name: "plain-box" }));
        expect((await tenant.get(`/dev-servers/hyperinstance/${plain.id}`)).status).toBe(400);
        await host.delete(urn, plain.id, plain.properties);
    });
});
