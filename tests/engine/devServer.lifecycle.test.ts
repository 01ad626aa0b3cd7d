/**
 * The DevServer lifecycle through Pulumi's own dynamic-provider host, against the emulator:
 * create -> no-op diff -> rename -> stop -> start -> replace on image change -> refresh after
 * out-of-band stop and delete -> import by id -> delete; a failed creation that comes back as a
 * resource-init failure carrying the id; credentials through Configure only and through the
 * environment only.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { ProviderHost, providerTextOf, UNKNOWN, urnFor, Props, stackConfigFor } from "../harness/engine";

const IMAGE = "c90fb553-2cdb-4b81-b56a-ef68812c6cf7";
const OTHER_IMAGE = "0d2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b";
const OTHER_VPC = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

function program(overrides: Props = {}): Props {
    return {
        name: "team-a-gpu",
        flavor: "Si2.large.4",
        imageId: IMAGE,
        vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
        subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
        keyPairName: "team-a",
        powerState: "RUNNING",
        ...overrides,
    };
}

let emu: RunningEmulator;
let providerText: string;
const urn = urnFor("DevServer", "gpu-box");


/** What the engine sends: the program's inputs plus the serialized provider. */
function withProvider(inputs: Props): Props {
    return { ...inputs, __provider: providerText };
}

async function serversInEmulator(): Promise<Array<Record<string, any>>> {
    const dump = await emu.admin.state();
    return dump.projects[emu.projectId]?.devServers ?? [];
}

beforeAll(async () => {
    providerText = providerTextOf("devServerShim");
    emu = await startEmulator({
        timings: { devServer: { create: 300, start: 200, stop: 200, delete: 200 } },
        rateLimit: null,
    });
});

afterAll(async () => {
    await emu?.close();
});

describe("the provider text in the state (__provider)", () => {
    it("is one line that loads the implementation by package name, with no credential, endpoint or client inside", () => {
        // Every engine call carries it (state, inputs, an update's olds and news): 0.1.0's serialized closure was ~2.8 KB.
        expect(providerText.length).toBeLessThanOrEqual(128);
        expect(providerText).toContain('require("pulumi-modelarts/provider")');
        for (const secret of [emu.accessKey, emu.secretKey, emu.url, "127.0.0.1", "axios", "zod"]) {
            expect(providerText).not.toContain(secret);
        }
    });

    it("a server created under 0.1.0's serialized closure is updated and deleted with today's text, never replaced", async () => {
        const legacyText = fs.readFileSync(path.join(__dirname, "fixtures", "devServer.provider-0.x.js.txt"), "utf8");
        expect(legacyText).toContain("with({ implementation: \"devServer\"");
        const host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
        try {
            await host.configure(stackConfigFor(emu));
            const legacyUrn = urnFor("DevServer", "legacy-box");
            const inputs = program({ name: "legacy-box" });
            const created = await host.create(legacyUrn, { ...inputs, __provider: legacyText });
            expect(created.properties.status).toBe("RUNNING");
            // The upgrade: the program now sends today's text; nothing else changed.
            expect(await host.diff(legacyUrn, created.id, created.properties, withProvider(inputs))).toMatchObject({ changes: "none", replaces: [] });
            const renamed = program({ name: "legacy-box-2" });
            expect(await host.diff(legacyUrn, created.id, created.properties, withProvider(renamed))).toMatchObject({ changes: "some", replaces: [] });
            const updated = await host.update(legacyUrn, created.id, created.properties, withProvider(renamed));
            expect(updated.properties.name).toBe("legacy-box-2");
            expect(updated.properties.__provider).toBe(providerText);
            // A state still holding the old text (never updated) is deleted by it.
            await host.delete(legacyUrn, created.id, { ...updated.properties, __provider: legacyText });
            expect((await serversInEmulator()).filter((s) => s.id === created.id)).toEqual([]);
        } finally {
            await host.close();
        }
    });
});

describe("DevServer through the dynamic-provider host", () => {
    let host: ProviderHost;
    beforeAll(async () => {
        host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
        await host.configure(stackConfigFor(emu));
    });
    afterAll(async () => {
        await host?.close();
    });

    it("runs the whole lifecycle", async () => {
        // check: valid inputs, and preview unknowns are not failures
        const checked = await host.check(urn, {}, withProvider(program()));
        expect(checked.failures).toEqual([]);
        const preview = await host.check(urn, {}, withProvider(program({ subnetId: UNKNOWN, name: UNKNOWN })));
        expect(preview.failures).toEqual([]);

        // create: waits until RUNNING
        const created = await host.create(urn, withProvider(checked.inputs));
        expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(created.properties.status).toBe("RUNNING");
        expect(created.properties.powerState).toBe("RUNNING");
        expect(created.properties.__provider).toBe(providerText);
        // progress a person watching `pulumi up` sees: the host's output lines are shown by the engine
        expect(host.output.some((l) => /waiting for DevServer team-a-gpu \(.+\) to be RUNNING: CREATING after/.test(l))).toBe(true);
        expect(host.output.some((l) => /DevServer team-a-gpu \(.+\) is RUNNING after \d/.test(l))).toBe(true);
        expect(await serversInEmulator()).toHaveLength(1);
        let state = created.properties;
        const id = created.id;

        // no-op diff: server-filled fields the user did not set cause nothing
        expect(await host.diff(urn, id, state, withProvider(program()))).toMatchObject({ changes: "none", replaces: [] });

        // rename in place
        const renamed = program({ name: "team-a-gpu-2" });
        expect(await host.diff(urn, id, state, withProvider(renamed))).toMatchObject({ changes: "some", replaces: [] });
        state = (await host.update(urn, id, state, withProvider(renamed))).properties;
        expect(state.name).toBe("team-a-gpu-2");
        expect((await serversInEmulator())[0].name).toBe("team-a-gpu-2");

        // stop, then start, by declaring the power state
        const stopped = program({ name: "team-a-gpu-2", powerState: "STOPPED" });
        expect(await host.diff(urn, id, state, withProvider(stopped))).toMatchObject({ changes: "some", replaces: [] });
        state = (await host.update(urn, id, state, withProvider(stopped))).properties;
        expect(state.status).toBe("STOPPED");
        expect((await serversInEmulator())[0].status).toBe("STOPPED");
        state = (await host.update(urn, id, state, withProvider(renamed))).properties;
        expect(state.status).toBe("RUNNING");

        // timeouts alone never cause a change
        expect(await host.diff(urn, id, state, withProvider({ ...renamed, timeouts: { create: "1h" } }))).toMatchObject({ changes: "none" });

        // an immutable field replaces: create the new one, then delete the old one
        const reimaged = { ...renamed, imageId: OTHER_IMAGE, vpcId: OTHER_VPC };
        const replaceDiff = await host.diff(urn, id, state, withProvider(reimaged));
        expect(replaceDiff).toMatchObject({ changes: "some", replaces: ["vpcId"], deleteBeforeReplace: false });
        const replacement = await host.create(urn, withProvider(reimaged));
        expect(replacement.id).not.toBe(id);
        await host.delete(urn, id, state);
        const servers = await serversInEmulator();
        expect(servers.map((s) => s.id)).toEqual([replacement.id]);
        state = replacement.properties;
        const newId = replacement.id;

        // refresh after an out-of-band stop shows the drift, and the next diff starts it again
        await emu.admin.devServerAction({ projectId: emu.projectId, id: newId, action: "stop" });
        await new Promise((r) => setTimeout(r, 400));
        const refreshed = await host.read(urn, newId, state);
        expect(refreshed.id).toBe(newId);
        expect(refreshed.properties.status).toBe("STOPPED");
        expect(refreshed.properties.powerState).toBe("STOPPED");
        expect(refreshed.inputs.powerState).toBe("STOPPED");
        expect(await host.diff(urn, newId, refreshed.properties, withProvider(reimaged))).toMatchObject({ changes: "some", replaces: [] });
        state = (await host.update(urn, newId, refreshed.properties, withProvider(reimaged))).properties;
        expect(state.status).toBe("RUNNING");

        // import: the engine's import Read carries no serialized provider, which Pulumi's host cannot
        // serve (pulumi/pulumi#16175)...
        const engineImport = await host.read(urn, newId, {}).then(() => undefined, (e) => e);
        expect(engineImport?.message).toMatch(/code must be a string/);
        // ...so the SDK turns the import option into importId, and create adopts the server
        await emu.admin.clearRequests();
        const adopted = await host.create(urn, withProvider({ ...reimaged, importId: newId }));
        expect(adopted.id).toBe(newId);
        expect(adopted.properties).toMatchObject({ name: "team-a-gpu-2", imageId: OTHER_IMAGE, status: "RUNNING", powerState: "RUNNING" });
        expect(adopted.properties.importId).toBeUndefined();
        expect((await emu.admin.requests()).filter((r) => r.method === "POST")).toHaveLength(0);
        expect(await serversInEmulator()).toHaveLength(1);
        expect(await host.diff(urn, newId, adopted.properties, withProvider(reimaged))).toMatchObject({ changes: "none", replaces: [] });
        // an import that does not match the server's immutable fields is refused, and creates nothing
        const mismatch = await host.create(urn, withProvider({ ...reimaged, flavor: "Other.flavor.8", importId: newId })).then(() => undefined, (e) => e);
        expect(mismatch?.message).toMatch(/cannot import DevServer .* differs from the declaration in flavor \(existing "Si2.large.4", declared "Other.flavor.8"\)/);
        expect(mismatch.initFailure).toBeUndefined();
        expect(await serversInEmulator()).toHaveLength(1);
        state = adopted.properties;

        // refresh after an out-of-band delete removes it from the state
        await emu.admin.devServerAction({ projectId: emu.projectId, id: newId, action: "delete" });
        await new Promise((r) => setTimeout(r, 400));
        const gone = await host.read(urn, newId, state);
        expect(gone.id).toBe("");

        // deleting what is already gone succeeds
        await host.delete(urn, newId, state);
        expect(await serversInEmulator()).toHaveLength(0);
    });

    it("keeps a server that failed to create in the state, as a resource-init failure with its id", async () => {
        await emu.admin.injectFailure({ family: "devServer", kind: "create", status: "CREATE_FAILED" });
        const err = await host.create(urn, withProvider(program({ name: "doomed" }))).then(
            () => undefined,
            (e) => e,
        );
        expect(err?.initFailure?.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(err.initFailure.properties.status).toBe("CREATE_FAILED");
        expect(err.message).toContain("CREATE_FAILED");
        const [server] = (await serversInEmulator()).filter((s) => s.name === "doomed");
        expect(server.id).toBe(err.initFailure.id);

        // the next up replaces it; destroy deletes it
        const diff = await host.diff(urn, server.id, err.initFailure.properties, withProvider(program({ name: "doomed" })));
        expect(diff.replaces.length).toBeGreaterThan(0);
        await host.delete(urn, server.id, err.initFailure.properties);
        expect((await serversInEmulator()).filter((s) => s.name === "doomed")).toHaveLength(0);
    });

    it("creates a PRE_PAID server through its order, and refresh keeps the declared billing period", async () => {
        const prepaid = program({
            name: "prepaid-box",
            chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1, isAutoPay: true },
        });
        const created = await host.create(urn, withProvider(prepaid));
        expect(created.properties.orderId).toEqual(expect.any(String));
        expect(created.properties.status).toBe("RUNNING");
        const [server] = (await serversInEmulator()).filter((s) => s.name === "prepaid-box");
        expect(server.id).toBe(created.id);
        expect(server.order_id).toBe(created.properties.orderId);
        const refreshed = await host.read(urn, created.id, created.properties);
        expect(await host.diff(urn, created.id, refreshed.properties, withProvider(prepaid))).toMatchObject({ changes: "none", replaces: [] });
        // Like the real API, the emulator refuses a plain DELETE of a prepaid server (ModelArts.6433):
        // delete unsubscribes it through BSS, as Terraform does, then waits until it is gone.
        await emu.admin.clearRequests();
        await host.delete(urn, created.id, refreshed.properties);
        expect((await serversInEmulator()).filter((s) => s.name === "prepaid-box")).toHaveLength(0);
        const calls = (await emu.admin.requests()).map((r) => `${r.method} ${r.path}`);
        expect(calls).toEqual(expect.arrayContaining(["POST /v2/orders/suscriptions/resources/query", "POST /v2/orders/subscriptions/resources/unsubscribe"]));
        expect(calls.some((c) => /^DELETE .*\/dev-servers\//.test(c))).toBe(false);
        expect(host.output.some((l) => /unsubscribing PRE_PAID DevServer prepaid-box/.test(l))).toBe(true);
        expect(host.output.some((l) => /waiting for DevServer prepaid-box \(.+\) to be deleted/.test(l))).toBe(true);
        // deleting it again (already unsubscribed and gone) is fine
        await host.delete(urn, created.id, refreshed.properties);
    });

    it("creates a POST_PAID server declared without a period (charging_info is then left out), and asks for one for COMMON", async () => {
        const postPaid = program({ name: "postpaid-box", chargingInfo: { chargingMode: "POST_PAID" } });
        expect((await host.check(urn, {}, withProvider(postPaid))).failures).toEqual([]);
        const created = await host.create(urn, withProvider(postPaid));
        expect(created.properties).toMatchObject({ status: "RUNNING", chargingMode: "POST_PAID" });
        expect(await host.diff(urn, created.id, created.properties, withProvider(postPaid))).toMatchObject({ changes: "none" });
        await host.delete(urn, created.id, created.properties);
        const common = await host.check(urn, {}, withProvider(program({ chargingInfo: { chargingMode: "COMMON" } })));
        expect(common.failures.map((f) => f.property).sort()).toEqual(["chargingInfo.periodNum", "chargingInfo.periodType"]);
    });

    it("rejects bad input in check, naming the field, without calling the API", async () => {
        await emu.admin.clearRequests();
        const { failures } = await host.check(urn, {}, withProvider(program({ name: "bad name!", adminPass: "x", count: 2 })));
        const properties = failures.map((f) => f.property).sort();
        expect(properties).toEqual(expect.arrayContaining(["name", "adminPass", "count"]));
        expect(failures.find((f) => f.property === "name")!.reason).toMatch(/name must be/);
        expect(await emu.admin.requests()).toHaveLength(0);
    });
});

describe("credentials", () => {
    it("work when given only through the environment", async () => {
        const host = await ProviderHost.start({
            env: {
                PULUMI_MODELARTS_POLL_SCALE: "0.05",
                HW_REGION_NAME: emu.region,
                HW_PROJECT_ID: emu.projectId,
                HW_ACCESS_KEY: emu.accessKey,
                HW_SECRET_KEY: emu.secretKey,
                HW_MODELARTS_ENDPOINT: emu.url,
            },
        });
        try {
            await host.configure({});
            // With a password and user data: the state keeps digests, never the values.
            const secretInputs = program({ name: "env-only", keyPairName: undefined, adminPass: "Zq9!secretPassX", userData: "#!/bin/sh\necho SUPER-SECRET-USERDATA" });
            const created = await host.create(urn, withProvider(secretInputs));
            expect(created.properties.status).toBe("RUNNING");
            expect(created.properties.adminPassDigest).toMatch(/^scrypt1:/);
            expect(created.properties.userDataDigest).toMatch(/^scrypt1:/);
            expect(JSON.stringify(created.properties)).not.toMatch(/Zq9!secretPassX|SUPER-SECRET-USERDATA/);
            // the same password is no change; another one replaces the server
            expect(await host.diff(urn, created.id, created.properties, withProvider(secretInputs))).toMatchObject({ changes: "none" });
            expect(await host.diff(urn, created.id, created.properties, withProvider({ ...secretInputs, adminPass: "Other!Pass9x" }))).toMatchObject({ replaces: ["adminPass"] });
            await host.delete(urn, created.id, created.properties);
        } finally {
            await host.close();
        }
    });

    it("fail with a message naming every place looked in when absent", async () => {
        const host = await ProviderHost.start();
        try {
            await host.configure({});
            const err = await host.create(urn, withProvider(program({ name: "no-creds" }))).catch((e) => e);
            expect(err.message).toMatch(/huaweicloud:accessKey/);
            expect(err.message).toMatch(/HW_ACCESS_KEY/);
            expect(err.initFailure).toBeUndefined();
        } finally {
            await host.close();
        }
    });
});
