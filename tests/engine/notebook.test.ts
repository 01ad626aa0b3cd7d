/**
 * The Notebook resource through Pulumi's dynamic-provider host, against the emulator: check, create
 * with every argument (the request body the API receives), auto-stop at create including "off",
 * extension storage at create (dataVolumes), diff (replace vs update per the API), update in place
 * (rename on a running notebook; flavor and allowed SSH addresses on a stopped one; EVS growth),
 * powerState with drift on refresh, a lost create answer found without an orphan, the unrecorded
 * twin refused, a failed create recorded, timeouts, import by id and by the import option, delete,
 * and the one-owner rule for auto-stop.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { HostError, ProviderHost, providerTextOf, UNKNOWN, urnFor, Props, stackConfigFor } from "../harness/engine";

const IMAGE = "e1a07296-22a8-4f05-8bc8-e936c8e54090";
const OTHER_IMAGE = "0d2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b";
const H = 3600;

let emu: RunningEmulator;
let providerText: string;
let autoStopText: string;
let host: ProviderHost;
const urn = urnFor("Notebook", "team-nb");

const withProvider = (inputs: Props, text = providerText): Props => ({ ...inputs, __provider: text });

function program(overrides: Props = {}): Props {
    return {
        name: "team-nb",
        flavor: "modelarts.vm.cpu.2u",
        imageId: IMAGE,
        volume: { category: "EVS", capacity: 10 },
        ...overrides,
    };
}

async function notebooksInEmulator(): Promise<Array<Record<string, any>>> {
    const dump = await emu.admin.state();
    return (dump.projects[emu.projectId]?.notebooks ?? []) as Array<Record<string, any>>;
}
const nbInEmulator = async (id: string) => (await notebooksInEmulator()).find((n) => n.id === id);
const writes = async () => (await emu.admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ""}`);

async function failureOf<T>(p: Promise<T>): Promise<HostError> {
    const outcome = await p.then(() => undefined, (e: unknown) => e);
    if (!(outcome instanceof HostError)) throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
    return outcome;
}

/** Creates through the host and returns id and properties (inputs as check returns them). */
async function created(inputs: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
    const checked = await host.check(urn, {}, withProvider(inputs));
    expect(checked.failures).toEqual([]);
    const r = await host.create(urn, checked.inputs);
    return { ...r, inputs: checked.inputs };
}

beforeAll(async () => {
    providerText = providerTextOf("notebookShim");
    autoStopText = providerTextOf("notebookAutoStopShim");
    emu = await startEmulator({ timings: { notebook: { create: 200, start: 150, stop: 150, delete: 150, queue: 0 } }, rateLimit: null });
    host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
    await host.configure(stackConfigFor(emu));
});
afterAll(async () => {
    await host?.close();
    await emu?.close();
});
afterEach(async () => {
    await emu.admin.clearFaults();
});

describe("check", () => {
    it("passes a full declaration and defaults powerState; preview unknowns are not failures", async () => {
        const full = program({
            description: "team notebook",
            ssh: { keyPairName: "team-kp", allowedAccessIps: ["203.0.113.7", "198.51.100.0/24"] },
            poolId: "pool-123",
            workspaceId: "0",
            autoStop: { enabled: true, duration: 2 * H, type: "IDLE" },
        });
        const checked = await host.check(urn, {}, withProvider(full));
        expect(checked.failures).toEqual([]);
        expect(checked.inputs.powerState).toBe("RUNNING");
        const preview = await host.check(urn, {}, withProvider(program({ imageId: UNKNOWN, name: UNKNOWN })));
        expect(preview.failures).toEqual([]);
    });

    it.each([
        ["name", { name: "bad name!" }, 'letters, digits, "-" or "_"'],
        ["imageId", { imageId: "not-a-uuid" }, "imageId must be the image's UUID"],
        ["description", { description: "a<b" }, "must not contain"],
        ["volume.capacity", { volume: { category: "EVS", capacity: 2 } }, "at least 5 GB"],
        ["volume.ownership", { volume: { category: "EVS", ownership: "DEDICATED" } }, "only supported with category EFS"],
        ["volume.uri", { volume: { category: "EFS", ownership: "DEDICATED", id: "9048456e-4e9a-11f1-ba0c-fa16520f410a" } }, "volume.uri is required"],
        ["autoStop.duration", { autoStop: { enabled: true } }, "autoStop.duration is required"],
        ["autoStop.duration", { autoStop: { enabled: true, duration: 10 } }, "at least 3600"],
        ["autoStop.duration", { autoStop: { enabled: true, duration: 300 * H } }, "at most 259200"],
        ["autoStop.enabled", { autoStop: { enabled: false, duration: H } }, "apply only when autoStop.enabled is true"],
        ["ssh.allowedAccessIps.0", { ssh: { keyPairName: "kp", allowedAccessIps: ["everyone"] } }, "IP addresses or CIDRs"],
        ["workspaceId", { workspaceId: "ws" }, "workspaceId must be"],
        ["powerState", { powerState: "PAUSED" }, "powerState must be RUNNING or STOPPED"],
        ["flavor", { flavor: undefined }, "flavor is required"],
        ["bogus", { bogus: 1 }, "not a property of this resource"],
        ["runUser.uid", { runUser: { gid: 100 } }, "runUser.uid is required"],
        ["userVpc.subnetId", { userVpc: { vpcId: "vpc-1" } }, "userVpc.subnetId is required"],
        ["userVpc.connectCidrs.0", { userVpc: { vpcId: "vpc-1", subnetId: "subnet-1", connectCidrs: ["10.0.0.1"] } }, "CIDRs such as 10.0.0.0/16"],
        ["customSpec", { customSpec: { category: "CPU", arch: "X86_64", cpu: 2, memory: 4096 } }, "set poolId too"],
        ["customSpec.gpuType", { poolId: "pool-1", customSpec: { category: "GPU", arch: "X86_64", cpu: 8, memory: 32768, gpu: 1 } }, "customSpec.gpuType is required when customSpec.category is GPU"],
        ["customSpec.memory", { poolId: "pool-1", customSpec: { category: "CPU", arch: "X86_64", cpu: 2, memory: 512 } }, "at least 513"],
        ["affinity", { affinity: { required: [{ key: "zone", operator: "In", values: ["a"] }] } }, "set poolId too"],
        ["affinity.required.0.weight", { poolId: "pool-1", affinity: { required: [{ key: "zone", operator: "In", values: ["a"], weight: 5 }] } }, "move the rule to affinity.preferred"],
        ["hooks.postStart.script", { hooks: { postStart: { script: "init.sh" } } }, "must be an absolute path for type SCRIPT"],
        ["hooks.preStart.script", { hooks: { preStart: { script: "echo hi", type: "COMMAND" } } }, "must be base64 for type COMMAND"],
        ["hooks", { hooks: {} }, "hooks must declare preStart or postStart"],
        ["affinity.preferred.0.operator", { poolId: "pool-1", affinity: { preferred: [{ key: "zone", operator: "Near", values: [] }] } }, "operator must be one of"],
        ["dataVolumes.0.category", { dataVolumes: [{ category: "NAS" }] }, "must be EVS, OBS, OBSFS or EFS"],
        ["dataVolumes.0.dewSecretName", { dataVolumes: [{ category: "OBS", uri: "obs://b/d/" }] }, "dewSecretName is required for category OBS"],
        ["dataVolumes.0.uri", { dataVolumes: [{ category: "OBSFS", dewSecretName: "s" }] }, "uri is required for category OBSFS"],
        ["dataVolumes.0.ownership", { dataVolumes: [{ category: "EVS", ownership: "DEDICATED" }] }, "DEDICATED is only supported with category EFS"],
        ["dataVolumes.0.id", { dataVolumes: [{ category: "EFS", ownership: "DEDICATED", uri: "x.sfsturbo.internal:/" }] }, "id is required for a DEDICATED EFS"],
        ["dataVolumes.0.capacity", { dataVolumes: [{ category: "OBS", uri: "obs://b/d/", dewSecretName: "s", capacity: 10 }] }, "capacity applies to category EVS only"],
        ["dataVolumes.1.mountPath", { dataVolumes: [{ category: "EVS", mountPath: "/home/ma-user/work/a/" }, { category: "EVS", mountPath: "/home/ma-user/work/a" }] }, "give each extension storage its own mount path"],
        ["dataVolumes.0.mountPath", { dataVolumes: [{ category: "EVS", mountPath: "/home/ma-user/work/" }] }, "where the notebook's own volume is mounted"],
        [
            "dataVolumes.0.mountPath",
            { dataVolumes: [{ category: "EVS", mountPath: "/data/datasets/" }], storages: [{ category: "OBS", uri: "obs://b/d/", mountPath: "/data/datasets/" }] },
            "storages[0]'s mount path too",
        ],
    ])("refuses a bad %s", async (property, overrides, reason) => {
        const { failures } = await host.check(urn, {}, withProvider(program(overrides as Props)));
        expect(failures).toEqual(expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringContaining(reason) })]));
    });
});

describe("Notebook lifecycle", () => {
    it("creates with every argument, auto-stop off, awaited until RUNNING, with the API's outputs and no token", async () => {
        await emu.admin.clearRequests();
        const full = program({
            description: "team notebook",
            ssh: { keyPairName: "team-kp", allowedAccessIps: ["203.0.113.7"] },
            poolId: "pool-123",
            workspaceId: "0",
            autoStop: { enabled: false },
        });
        const { id, properties } = await created(full);
        expect(properties).toMatchObject({
            name: "team-nb",
            status: "RUNNING",
            powerState: "RUNNING",
            autoStop: { enabled: false },
            image: { id: IMAGE },
            pool: { id: "pool-123" },
            sshUri: expect.stringMatching(/^ssh:\/\//),
            url: expect.stringContaining(id),
            lease: { enabled: false },
            stateVersion: 1,
        });
        const nb = await nbInEmulator(id);
        expect(nb).toMatchObject({
            status: "RUNNING",
            lease: { enable: false, duration: -1 },
            volume: { category: "EVS", capacity: 10 },
            endpoints: expect.arrayContaining([expect.objectContaining({ service: "SSH", key_pair_names: ["team-kp"], allowed_access_ips: ["203.0.113.7"] })]),
        });
        // The notebook's token is a credential: never in the state.
        expect(JSON.stringify(properties)).not.toContain(nb!.token);
        expect(await writes()).toEqual(["POST /v1/" + emu.projectId + "/notebooks"]);
        await host.delete(urn, id, properties);
        expect(await nbInEmulator(id)).toBeUndefined();
    });

    it("sends the create-only settings (run user, user VPC, custom spec, affinity), reads them back, and replaces on their change", async () => {
        const createOnly = {
            poolId: "pool-123",
            runUser: { uid: 1000, gid: 100 },
            userVpc: { vpcId: "vpc-1", subnetId: "subnet-1", securityGroupIds: ["sg-1"], connectCidrs: ["10.8.0.0/16"] },
            customSpec: { category: "GPU", arch: "X86_64", cpu: 8, memory: 32768, gpu: 1, gpuType: "nvidia-t4" },
            affinity: { required: [{ key: "zone", operator: "In", values: ["az1"] }], preferred: [{ key: "rack", operator: "NotIn", values: ["r9"], weight: 40 }] },
        };
        const { id, properties, inputs } = await created(program({ name: "nb-create-only", ...createOnly }));
        // What the API received, as the emulator's admin dump shows it (UserVpcResponse: connect_cidrs a string).
        expect(await nbInEmulator(id)).toMatchObject({
            run_user: { uid: 1000, gid: 100 },
            user_vpc: { vpc_id: "vpc-1", subnet_id: "subnet-1", security_group_ids: ["sg-1"], connect_cidrs: "10.8.0.0/16" },
            custom_spec: { category: "GPU", arch: "X86_64", cpu: 8, memory: 32768, gpu: 1, gpu_type: "nvidia-t4" },
            affinity: {
                required_during_scheduling_ignored_during_execution: [{ key: "zone", operator: "In", values: ["az1"] }],
                preferred_during_scheduling_ignored_during_execution: [{ key: "rack", operator: "NotIn", values: ["r9"], weight: 40 }],
            },
        });
        expect(properties).toMatchObject(createOnly);
        // A refresh reads them back unchanged: no drift.
        const read = await host.read(urn, id, properties, inputs);
        expect((await host.diff(urn, id, read.properties, inputs)).changes).toBe("none");
        for (const [change, replaces] of [
            [{ runUser: { uid: 1001, gid: 100 } }, ["runUser.uid"]],
            [{ userVpc: { ...createOnly.userVpc, subnetId: "subnet-2" } }, ["userVpc.subnetId"]],
            [{ customSpec: { ...createOnly.customSpec, cpu: 4 } }, ["customSpec.cpu"]],
            [{ affinity: { required: [{ key: "zone", operator: "In", values: ["az2"] }] } }, ["affinity"]],
        ] as Array<[Props, string[]]>) {
            const d = await host.diff(urn, id, properties, (await host.check(urn, properties, withProvider({ ...inputs, ...change }))).inputs);
            expect([JSON.stringify(change), d.replaces]).toEqual([JSON.stringify(change), expect.arrayContaining(replaces.map((r) => expect.stringMatching(new RegExp(`^${r.split(".")[0]}`))))]);
            expect(d.replaces?.length).toBeGreaterThan(0);
        }
        await host.delete(urn, id, properties);
    });

    it("attaches extension storage at create (data_volumes), reads it back without drift, and replaces on its change", async () => {
        const dataVolumes = [
            { category: "OBS", uri: "obs://team/data/", mountPath: "/home/ma-user/work/data/", readOnly: true, dewSecretName: "obs-aksk" },
            { category: "EVS", capacity: 20, mountPath: "/home/ma-user/work/scratch/" },
        ];
        const { id, properties, inputs } = await created(program({ name: "nb-data-volumes", dataVolumes }));
        // What the API received (VolumeMountRequest: ownership MANAGED when not declared) and what it answers (VolumeResponse).
        const nb = await nbInEmulator(id);
        expect(nb?.data_volumes_as_sent).toEqual([
            { category: "OBS", ownership: "MANAGED", uri: "obs://team/data/", mount_path: "/home/ma-user/work/data/", read_only: true, dew_secret_name: "obs-aksk" },
            { category: "EVS", ownership: "MANAGED", mount_path: "/home/ma-user/work/scratch/", read_only: false, capacity: 20 },
        ]);
        expect(properties.dataVolumes).toEqual(dataVolumes);
        expect(properties.dataVolumeStatus).toEqual([
            { category: "OBS", mountPath: "/home/ma-user/work/data/", uri: "obs://team/data/", status: "MOUNTED", mountType: "STATIC" },
            { category: "EVS", mountPath: "/home/ma-user/work/scratch/", status: "MOUNTED", mountType: "STATIC" },
        ]);
        // A refresh keeps what the answer does not report (readOnly, dewSecretName, capacity): no drift, no replacement.
        const read = await host.read(urn, id, properties, inputs);
        expect(read.inputs.dataVolumes).toEqual(dataVolumes);
        expect((await host.diff(urn, id, read.properties, inputs)).changes).toBe("none");
        // Read by id alone (an import): what the answer reports.
        expect((await host.read(urn, id, { __provider: providerText })).inputs.dataVolumes).toEqual([
            { category: "OBS", uri: "obs://team/data/", mountPath: "/home/ma-user/work/data/" },
            { category: "EVS", mountPath: "/home/ma-user/work/scratch/" },
        ]);
        // Adopted through the import option with the same declaration: the state keeps the declared items, the next plan is empty.
        const adopted = await host.create(urn, (await host.check(urn, {}, withProvider({ ...inputs, importId: id }))).inputs);
        expect(adopted.properties.dataVolumes).toEqual(dataVolumes);
        expect((await host.diff(urn, id, adopted.properties, inputs)).changes).toBe("none");
        for (const changed of [[{ ...dataVolumes[0], readOnly: false }, dataVolumes[1]], [dataVolumes[0]], [...dataVolumes, { category: "EVS" }]]) {
            const d = await host.diff(urn, id, properties, (await host.check(urn, properties, withProvider({ ...inputs, dataVolumes: changed }))).inputs);
            expect([JSON.stringify(changed), d.replaces.filter((r) => r !== "__provider")]).toEqual([JSON.stringify(changed), ["dataVolumes"]]);
        }
        await host.delete(urn, id, properties);
    });

    it("sends hooks at create, keeps only their digest, and replaces when they change", async () => {
        const command = Buffer.from("pip install -r /home/ma-user/work/requirements.txt").toString("base64");
        const hooks = { preStart: { script: command, type: "COMMAND", mode: "BLOCK" }, postStart: { script: "/home/ma-user/init.sh" } };
        const { id, properties, inputs } = await created(program({ name: "nb-hooks", hooks }));
        expect((await nbInEmulator(id))?.hooks).toEqual({
            container_hooks: { pre_start: { script: command, type: "COMMAND", mode: "BLOCK" }, post_start: { script: "/home/ma-user/init.sh", type: "SCRIPT", mode: "ASYNC" } },
        });
        // The scripts are secret: the state holds a digest, never them.
        expect(properties.hooksDigest).toMatch(/^scrypt1:/);
        expect(JSON.stringify(properties)).not.toContain(command);
        expect(JSON.stringify(properties)).not.toContain("init.sh");
        expect((await host.diff(urn, id, properties, inputs)).changes).toBe("none");
        const changed = await host.check(urn, properties, withProvider({ ...inputs, hooks: { postStart: { script: "/home/ma-user/other.sh" } } }));
        expect((await host.diff(urn, id, properties, changed.inputs)).replaces).toEqual(["hooks"]);
        // A refresh keeps the digest (the API does not report hooks): no change planned afterwards.
        const read = await host.read(urn, id, properties, inputs);
        expect(read.properties.hooksDigest).toBe(properties.hooksDigest);
        expect((await host.diff(urn, id, read.properties, inputs)).changes).toBe("none");
        await host.delete(urn, id, properties);
    });

    it("creates with an auto-stop lease and powerState STOPPED", async () => {
        const { id, properties } = await created(program({ name: "nb-stopped", autoStop: { enabled: true, duration: 2 * H }, powerState: "STOPPED" }));
        expect(properties.status).toBe("STOPPED");
        const nb = await nbInEmulator(id);
        expect(nb).toMatchObject({ status: "STOPPED" });
        expect(nb!.lease).toMatchObject({ duration: 2 * H * 1000, type: "TIMING" });
        await host.delete(urn, id, properties);
    });

    it("plans replace vs update per the API and applies updates in place", async () => {
        const { id, properties, inputs } = await created(program({ name: "nb-life", ssh: { keyPairName: "kp", allowedAccessIps: ["203.0.113.7"] } }));
        const diffOf = async (news: Props, olds: Props = properties) => host.diff(urn, id, olds, (await host.check(urn, olds, withProvider(news))).inputs);
        expect((await diffOf(inputs)).changes).toBe("none");
        for (const [change, replaces] of [
            [{ name: "nb-renamed" }, []],
            [{ description: "now described" }, []],
            [{ flavor: "modelarts.vm.cpu.8u" }, []],
            [{ imageId: OTHER_IMAGE }, []],
            [{ volume: { category: "EVS", capacity: 20 } }, []],
            [{ volume: { category: "EVS", capacity: 5 } }, ["volume.capacity"]],
            [{ volume: { category: "EFS", ownership: "DEDICATED", uri: "x.sfsturbo.internal:/", id: "9048456e-4e9a-11f1-ba0c-fa16520f410a" } }, ["volume.category", "volume.ownership", "volume.uri", "volume.id"]],
            [{ ssh: { keyPairName: "kp", allowedAccessIps: ["198.51.100.1"] } }, []],
            [{ ssh: { keyPairName: "other-kp" } }, ["ssh.keyPairName"]],
            [{ poolId: "pool-9" }, ["poolId"]],
            [{ workspaceId: "0123456789abcdef0123456789abcdef" }, ["workspaceId"]],
            [{ powerState: "STOPPED" }, []],
            [{ autoStop: { enabled: true, duration: H } }, []],
        ] as Array<[Props, string[]]>) {
            const d = await diffOf({ ...inputs, ...change });
            expect([JSON.stringify(change), d.changes]).toEqual([JSON.stringify(change), "some"]);
            expect([JSON.stringify(change), d.replaces.filter((r) => r !== "__provider").sort()]).toEqual([JSON.stringify(change), [...replaces].sort()]);
        }

        // Rename and description on the RUNNING notebook: one PUT with just those, no stop.
        await emu.admin.clearRequests();
        const renamedInputs = (await host.check(urn, inputs, withProvider({ ...inputs, name: "nb-renamed", description: "now described" }))).inputs;
        const renamed = await host.update(urn, id, properties, renamedInputs);
        expect(renamed.properties).toMatchObject({ name: "nb-renamed", description: "now described", status: "RUNNING" });
        expect(await writes()).toEqual([`PUT /v1/${emu.projectId}/notebooks/${id}`]);

        // Flavor, image and allowed addresses: stopped for the change, started again (powerState RUNNING).
        await emu.admin.clearRequests();
        const bigger = (await host.check(urn, renamedInputs, withProvider({ ...renamedInputs, flavor: "modelarts.vm.cpu.8u", imageId: OTHER_IMAGE, ssh: { keyPairName: "kp", allowedAccessIps: ["198.51.100.1"] } }))).inputs;
        const resized = await host.update(urn, id, renamed.properties, bigger);
        expect(resized.properties).toMatchObject({ flavor: "modelarts.vm.cpu.8u", imageId: OTHER_IMAGE, status: "RUNNING", image: { id: OTHER_IMAGE } });
        expect((await writes()).map((w) => w.replace(/\?.*/, ""))).toEqual([
            `POST /v1/${emu.projectId}/notebooks/${id}/stop`,
            `PUT /v1/${emu.projectId}/notebooks/${id}`,
            `POST /v1/${emu.projectId}/notebooks/${id}/start`,
        ]);
        expect((await nbInEmulator(id))!.endpoints).toEqual(expect.arrayContaining([expect.objectContaining({ allowed_access_ips: ["198.51.100.1"] })]));

        // EVS growth in place (storage_new_size).
        const grown = (await host.check(urn, bigger, withProvider({ ...bigger, volume: { category: "EVS", capacity: 20 } }))).inputs;
        const afterGrow = await host.update(urn, id, resized.properties, grown);
        expect((await nbInEmulator(id))!.volume.capacity).toBe(20);

        // powerState STOPPED, then drift on refresh after an out-of-band start.
        const stoppedInputs = (await host.check(urn, grown, withProvider({ ...grown, powerState: "STOPPED" }))).inputs;
        const stopped = await host.update(urn, id, afterGrow.properties, stoppedInputs);
        expect(stopped.properties).toMatchObject({ status: "STOPPED", powerState: "STOPPED" });
        const noDrift = await host.read(urn, id, stopped.properties, stoppedInputs);
        expect(noDrift.inputs.powerState).toBe("STOPPED");
        await startOutOfBand(id);
        const drift = await host.read(urn, id, stopped.properties, stoppedInputs);
        expect(drift.properties.status).toBe("RUNNING");
        expect(drift.inputs.powerState).toBe("RUNNING");
        const back = await host.diff(urn, id, drift.properties, stoppedInputs);
        expect(back.changes).toBe("some");
        expect(back.replaces).toEqual([]);

        // Deleted outside Pulumi: refresh forgets it, delete is a no-op.
        await host.delete(urn, id, drift.properties);
        expect(await host.read(urn, id, drift.properties, stoppedInputs)).toMatchObject({ id: "" });
        await host.delete(urn, id, drift.properties);
    });
});

/** A signed request of the tenant, as the console or another tool would send it. */
async function tenant(method: string, path: string, query?: Record<string, string>): Promise<void> {
    const c = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey });
    const r = await c.call({ method, path: `/v1/${emu.projectId}${path}`, query });
    if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status}`);
}

/** Starts a notebook as the console would. */
async function startOutOfBand(id: string): Promise<void> {
    await tenant("POST", `/notebooks/${id}/start`, { duration: "3600000" });
    await waitUntil(() => nbInEmulator(id), (nb) => nb?.status === "RUNNING", 5000);
}

describe("failures, lost answers and twins", () => {
    it("finds the notebook a create with a lost answer made, without a second POST or an orphan", async () => {
        await emu.admin.addFault({ method: "POST", path: "/notebooks$", kind: "reset-after", count: 1 });
        await emu.admin.clearRequests();
        const before = (await notebooksInEmulator()).length;
        const { id, properties } = await created(program({ name: "nb-lost", ssh: { keyPairName: "kp", allowedAccessIps: ["203.0.113.7", "198.51.100.0/24"] } }));
        expect(properties.status).toBe("RUNNING");
        const posts = (await emu.admin.requests()).filter((r) => r.method === "POST" && /\/notebooks$/.test(r.path));
        expect(posts).toHaveLength(1);
        expect((await notebooksInEmulator()).length).toBe(before + 1);
        expect((await nbInEmulator(id))!.name).toBe("nb-lost");
        await host.delete(urn, id, properties);
    });

    it("refuses to create a twin of a live notebook no state recorded, naming it", async () => {
        const first = await created(program({ name: "nb-twin" }));
        const err = await failureOf(host.create(urn, first.inputs));
        expect(err.message).toContain(first.id);
        expect(err.message).toContain("import");
        expect((await notebooksInEmulator()).filter((n) => n.name === "nb-twin")).toHaveLength(1);
        await host.delete(urn, first.id, first.properties);
    });

    it("records a notebook whose creation failed (resource-init failure with its id), and plans its replacement", async () => {
        await emu.admin.injectFailure({ family: "notebooks", kind: "create" } as any);
        const checked = await host.check(urn, {}, withProvider(program({ name: "nb-doomed" })));
        const err = await failureOf(host.create(urn, checked.inputs));
        expect(err.initFailure?.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(err.initFailure!.properties.status).toBe("CREATE_FAILED");
        const d = await host.diff(urn, err.initFailure!.id, err.initFailure!.properties, checked.inputs);
        expect(d.replaces).toContain("status");
        await host.delete(urn, err.initFailure!.id, err.initFailure!.properties);
        expect(await nbInEmulator(err.initFailure!.id)).toBeUndefined();
    });

    it("ends a create at its timeout with the notebook recorded", async () => {
        await emu.admin.setConfig({ timings: { notebook: { create: 20_000 } } });
        try {
            const checked = await host.check(urn, {}, withProvider(program({ name: "nb-slow", timeouts: { create: "1s" } })));
            const err = await failureOf(host.create(urn, checked.inputs));
            expect(err.initFailure?.id).toMatch(/^[0-9a-f-]{36}$/);
            expect(err.message).toMatch(/did not finish/);
        } finally {
            await emu.admin.setConfig({ timings: { notebook: { create: 200 } } });
        }
    });

    it("keeps the state on an error that is not the API's not-found (a gateway 404)", async () => {
        const { id, properties, inputs } = await created(program({ name: "nb-gw" }));
        await emu.admin.addFault({ method: "GET", path: `/notebooks/${id}$`, kind: "status", status: 404, errorCode: "APIGW.0101", count: 20 });
        await expect(host.read(urn, id, properties, inputs)).rejects.toThrow(/APIGW.0101|does not exist or has not been published|endpoint/i);
        await emu.admin.clearFaults();
        await host.delete(urn, id, properties);
    });
});

describe("tags", () => {
    it("tags at create, changes them in place (a removed key is deleted), shows a tag removed outside as drift", async () => {
        const { id, properties, inputs } = await created(program({ name: "nb-tags", tags: { team: "vision", env: "dev" } }));
        const tagsOf = async () => Object.fromEntries(((await nbInEmulator(id))!.tags as Array<{ key: string; value: string }>).map((t) => [t.key, t.value]));
        expect(await tagsOf()).toEqual({ team: "vision", env: "dev" });
        expect(properties.tags).toEqual({ team: "vision", env: "dev" });
        expect((await host.diff(urn, id, properties, inputs)).changes).toBe("none");

        const retagged = (await host.check(urn, inputs, withProvider({ ...inputs, tags: { team: "nlp" } }))).inputs;
        expect(await host.diff(urn, id, properties, retagged)).toMatchObject({ changes: "some", replaces: [] });
        await emu.admin.clearRequests();
        const after = await host.update(urn, id, properties, retagged);
        expect(await tagsOf()).toEqual({ team: "nlp" });
        expect((await writes()).map((w) => w.replace(/\?.*/, ""))).toEqual([
            `DELETE /v1/${emu.projectId}/notebooks/${id}/tags/delete`,
            `POST /v1/${emu.projectId}/notebooks/${id}/tags/create`,
        ]);

        const c = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
        await c.call({ method: "DELETE", path: `/v1/${emu.projectId}/notebooks/${id}/tags/delete`, body: { tags: [{ key: "team", value: "nlp" }] } });
        const refreshed = await host.read(urn, id, after.properties, retagged);
        expect(refreshed.inputs.tags).toEqual({});
        expect((await host.diff(urn, id, refreshed.properties, retagged)).changes).toBe("some");
        await host.delete(urn, id, refreshed.properties);
    });
});

describe("delete", () => {
    it("stops a RUNNING notebook whose delete the service refuses (the SDK's rule), then deletes it; a gateway 404 is an error", async () => {
        const { id, properties } = await created(program({ name: "nb-del" }));
        await emu.admin.addFault({ method: "DELETE", path: `/notebooks/${id}$`, kind: "status", status: 404, errorCode: "APIGW.0101", count: 1 });
        await expect(host.delete(urn, id, properties)).rejects.toThrow(/APIGW.0101|not a missing resource/);
        expect((await nbInEmulator(id))?.status).toBe("RUNNING");
        await emu.admin.addFault({ method: "DELETE", path: `/notebooks/${id}$`, kind: "status", status: 400, errorCode: "ModelArts.6310", message: "The notebook must be stopped", count: 1 });
        await emu.admin.clearRequests();
        await host.delete(urn, id, properties);
        expect((await writes()).map((w) => w.replace(/\?.*/, ""))).toEqual([
            `DELETE /v1/${emu.projectId}/notebooks/${id}`,
            `POST /v1/${emu.projectId}/notebooks/${id}/stop`,
            `DELETE /v1/${emu.projectId}/notebooks/${id}`,
        ]);
        expect(await nbInEmulator(id)).toBeUndefined();
    });
});

describe("mounted storage", () => {
    const datasets = { category: "OBS", uri: "obs://team-bucket/datasets/", mountPath: "/data/datasets/" };
    const models = { category: "OBSFS", uri: "obs://team-pfs/models/", mountPath: "/data/models/" };
    it("mounts at create, changes mounts in place, shows an unmount outside Pulumi as drift, and refuses changes on a stopped notebook", async () => {
        const { id, properties, inputs } = await created(program({ name: "nb-mounts", storages: [datasets] }));
        expect(properties.mountedStorages).toEqual([expect.objectContaining({ mountPath: "/data/datasets/", uri: datasets.uri, status: "MOUNTED" })]);

        // Swap datasets for models: one unmount, one mount, in place.
        const swapped = (await host.check(urn, inputs, withProvider({ ...inputs, storages: [models] }))).inputs;
        const d = await host.diff(urn, id, properties, swapped);
        expect(d).toMatchObject({ changes: "some", replaces: [] });
        await emu.admin.clearRequests();
        const after = await host.update(urn, id, properties, swapped);
        expect((await writes()).map((w) => w.replace(/storage\/[0-9a-f-]+/, "storage/<id>"))).toEqual([
            `DELETE /v1/${emu.projectId}/notebooks/${id}/storage/<id>`,
            `POST /v1/${emu.projectId}/notebooks/${id}/storage`,
        ]);
        expect(after.properties.mountedStorages).toEqual([expect.objectContaining({ mountPath: "/data/models/", status: "MOUNTED" })]);

        // Unmounted outside Pulumi: refresh drops it from the record, so the next up mounts it again.
        const listed = (after.properties.mountedStorages as Array<{ id: string }>)[0];
        await tenant("DELETE", `/notebooks/${id}/storage/${listed.id}`);
        await new Promise((r) => setTimeout(r, 400));
        const refreshed = await host.read(urn, id, after.properties, swapped);
        expect(refreshed.inputs.storages ?? []).toEqual([]);
        expect((await host.diff(urn, id, refreshed.properties, swapped)).changes).toBe("some");

        // A stopped notebook cannot mount: said before anything is sent.
        const stoppedInputs = (await host.check(urn, swapped, withProvider({ ...swapped, storages: [models], powerState: "STOPPED" }))).inputs;
        const stoppedFirst = await host.update(urn, id, { ...refreshed.properties, storages: [models] }, { ...stoppedInputs, storages: [models] });
        expect(stoppedFirst.properties.status).toBe("STOPPED");
        const err = await failureOf(host.update(urn, id, stoppedFirst.properties, { ...stoppedInputs, storages: [models, datasets] }));
        expect(err.message).toMatch(/only on a RUNNING notebook/);
        expect(err.initFailure?.properties.storages).toEqual([models]);
        await host.delete(urn, id, stoppedFirst.properties);
    });

    /** The notebook's storages as the API lists them. */
    const storagesOf = async (id: string): Promise<Array<{ mount_path: string; uri: string; status: string }>> => {
        const c = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
        return (await c.get(`/notebooks/${id}/storage`)).body.data;
    };
    const storageWrites = async () => (await writes()).filter((w) => /\/storage/.test(w)).map((w) => w.replace(/storage\/[0-9a-f-]+/, "storage/<id>").replace(/ \/v1\/[0-9a-f]+\/notebooks\/[^/]+\//, " "));

    it("a mount that fails is an error naming the notebook, mount path, uri and the API's reason; not recorded as mounted; the next up detaches it and mounts again", async () => {
        const { id, properties, inputs } = await created(program({ name: "nb-mount-fails" }));
        await emu.admin.injectFailure({ family: "notebooks", kind: "mount", resourceId: id, reason: { code: "ModelArts.7003", message: "no access to bucket team-bucket" } });
        const declared = (await host.check(urn, inputs, withProvider({ ...inputs, storages: [datasets] }))).inputs;
        const err = await failureOf(host.update(urn, id, properties, declared));
        expect(err.message).toMatch(new RegExp(`Notebook nb-mount-fails \\(${id}\\).*obs://team-bucket/datasets/.*/data/datasets/.*MOUNT_FAILED.*no access to bucket team-bucket`, "s"));
        const recorded = err.initFailure!.properties;
        expect(recorded.storages ?? []).toEqual([]);
        expect(recorded.mountedStorages).toEqual([expect.objectContaining({ mountPath: "/data/datasets/", status: "MOUNT_FAILED" })]);
        expect(await storagesOf(id)).toEqual([expect.objectContaining({ mount_path: "/data/datasets/", status: "MOUNT_FAILED" })]);

        // The next up: the failed storage is detached, the path mounted again, and the state tells the truth.
        expect((await host.diff(urn, id, recorded, declared)).changes).toBe("some");
        await emu.admin.clearRequests();
        const next = await host.update(urn, id, recorded, declared);
        expect(await storageWrites()).toEqual(["DELETE storage/<id>", "POST storage"]);
        expect(await storagesOf(id)).toEqual([expect.objectContaining({ mount_path: "/data/datasets/", uri: datasets.uri, status: "MOUNTED" })]);
        expect(next.properties.storages).toEqual([datasets]);
        expect(next.properties.mountedStorages).toEqual([expect.objectContaining({ mountPath: "/data/datasets/", status: "MOUNTED" })]);
        expect(host.output.some((l) => /storage at \/data\/datasets\/ .*is MOUNT_FAILED \(no access to bucket team-bucket\); unmounting it, then mounting .* there again/.test(l))).toBe(true);
        await host.delete(urn, id, next.properties);
    });

    it("a mount that fails at create records the notebook without it; the next up mounts it", async () => {
        await emu.admin.injectFailure({ family: "notebooks", kind: "mount" });
        const checked = await host.check(urn, {}, withProvider(program({ name: "nb-mount-fails-create", storages: [datasets, models] })));
        const err = await failureOf(host.create(urn, checked.inputs));
        expect(err.message).toMatch(/creating Notebook nb-mount-fails-create .*obs:\/\/team-bucket\/datasets\/.*\/data\/datasets\/.*MOUNT_FAILED/s);
        const { id, properties } = err.initFailure!;
        expect(properties.storages ?? []).toEqual([]);
        const next = await host.update(urn, id, properties, checked.inputs);
        expect((await storagesOf(id)).map((s) => [s.mount_path, s.status])).toEqual([["/data/datasets/", "MOUNTED"], ["/data/models/", "MOUNTED"]]);
        expect(next.properties.storages).toEqual([datasets, models]);
        await host.delete(urn, id, next.properties);
    });

    it("an unmount that fails is an error naming the mount and stays recorded, through a refresh too; the next up unmounts it", async () => {
        const { id, properties, inputs } = await created(program({ name: "nb-unmount-fails", storages: [datasets] }));
        await emu.admin.injectFailure({ family: "notebooks", kind: "unmount", resourceId: id });
        const undeclared = (await host.check(urn, inputs, withProvider({ ...inputs, storages: [] }))).inputs;
        const err = await failureOf(host.update(urn, id, properties, undeclared));
        expect(err.message).toMatch(new RegExp(`Notebook nb-unmount-fails \\(${id}\\).*obs://team-bucket/datasets/.*/data/datasets/.*UNMOUNT_FAILED`, "s"));
        const recorded = err.initFailure!.properties;
        expect(recorded.storages).toEqual([datasets]);
        expect(recorded.mountedStorages).toEqual([expect.objectContaining({ mountPath: "/data/datasets/", status: "UNMOUNT_FAILED" })]);

        // A refresh keeps it: the storage is still there.
        const refreshed = await host.read(urn, id, recorded, undeclared);
        expect(refreshed.properties.storages).toEqual([datasets]);
        expect((await host.diff(urn, id, refreshed.properties, undeclared)).changes).toBe("some");

        await emu.admin.clearRequests();
        const next = await host.update(urn, id, refreshed.properties, undeclared);
        expect(await storageWrites()).toEqual(["DELETE storage/<id>"]);
        expect(await storagesOf(id)).toEqual([]);
        expect(next.properties.storages ?? []).toEqual([]);
        await host.delete(urn, id, next.properties);
    });
});

describe("import", () => {
    it("reads a notebook by id alone, and adopts one through the import option", async () => {
        const { id, properties } = await created(program({ name: "nb-imp", description: "kept" }));
        const byId = await host.read(urn, id, { __provider: providerText });
        expect(byId.inputs).toMatchObject({ name: "nb-imp", description: "kept", flavor: "modelarts.vm.cpu.2u", imageId: IMAGE, powerState: "RUNNING", volume: { category: "EVS", capacity: 10 } });
        // The import option: adopted (renamed to the declaration), not created.
        await emu.admin.clearRequests();
        const adopted = await host.create(urn, (await host.check(urn, {}, withProvider(program({ name: "nb-adopted", importId: id })))).inputs);
        expect(adopted.id).toBe(id);
        expect(await writes()).toEqual([`PUT /v1/${emu.projectId}/notebooks/${id}`]);
        const mismatch = await failureOf(host.create(urn, (await host.check(urn, {}, withProvider(program({ name: "nb-adopted", poolId: "other-pool", importId: id })))).inputs));
        expect(mismatch.message).toContain("poolId");
        await host.delete(urn, id, properties);
        expect(await host.read(urn, id, { __provider: providerText })).toMatchObject({ id: "" });
    });
});

describe("auto-stop has one owner", () => {
    it("refuses a NotebookAutoStop on a Notebook that declares autoStop, and allows it on one that does not", async () => {
        const owned = await created(program({ name: "nb-owned", autoStop: { enabled: true, duration: 3 * H } }));
        const guardUrn = urnFor("NotebookAutoStop", "guard");
        const guard = { instanceId: owned.id, enabled: true, duration: 2 * H };
        const checked = await host.check(guardUrn, {}, withProvider(guard, autoStopText));
        const err = await failureOf(host.create(guardUrn, checked.inputs));
        expect(err.message).toMatch(/declared twice.*Notebook nb-owned.*NotebookAutoStop/);

        const free = await created(program({ name: "nb-free" }));
        const ok = await host.create(guardUrn, (await host.check(guardUrn, {}, withProvider({ ...guard, instanceId: free.id }, autoStopText))).inputs);
        expect(ok.properties).toMatchObject({ enabled: true, duration: 2 * H });
        // The Notebook now declaring autoStop too: refused at its diff, naming both.
        const both = await failureOf(host.diff(urn, free.id, free.properties, { ...free.inputs, autoStop: { enabled: true, duration: H } }));
        expect(both.message).toMatch(/declared twice/);
        await host.delete(guardUrn, ok.id, ok.properties);
        await host.delete(urn, free.id, free.properties);
        await host.delete(urn, owned.id, owned.properties);
    });

    it("shows a lease changed outside the Notebook as drift of autoStop on refresh", async () => {
        const { id, properties, inputs } = await created(program({ name: "nb-lease", autoStop: { enabled: true, duration: 3 * H } }));
        await tenant("PATCH", `/notebooks/${id}/lease`, { duration: String(10 * H * 1000) });
        const refreshed = await host.read(urn, id, properties, inputs);
        expect(refreshed.inputs.autoStop.duration).not.toBe(3 * H);
        expect(host.output.join("\n")).toMatch(/differs from the declared autoStop/);
        const d = await host.diff(urn, id, refreshed.properties, inputs);
        expect(d.changes).toBe("some");
        await host.delete(urn, id, refreshed.properties);
    });
});
