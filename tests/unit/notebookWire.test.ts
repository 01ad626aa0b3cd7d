/**
 * The Notebook's field table on the API's wire: the create and update bodies built from the inputs
 * (by each field's `wire.sent`), the inputs read back from a notebook (`wire.reported`), the
 * identity comparisons of the lost-create search and adoption, the plan (replace vs update), and the
 * extension storage attached at create (`dataVolumes`) on each of these.
 */
import { checkInputs } from "../../provider/resources/common";
import { NotebookInputs, notebookShape, NotebookState } from "../../provider/resources/notebook/fields";
import { createRequest, reportedInputs, requestOf } from "../../provider/resources/notebook/live";
import { diffNotebook } from "../../provider/resources/notebook/diff";
import { declaredFromLive } from "../../provider/resources/notebook/storages";
import { identityMismatches, refreshedInputs } from "../../provider/resources/wire";

const IMAGE = "e1a07296-22a8-4f05-8bc8-e936c8e54090";

function checked(declared: Record<string, unknown>): NotebookInputs {
    const { inputs, failures } = checkInputs(notebookShape, declared);
    expect(failures).toEqual([]);
    return inputs;
}

const full = () =>
    checked({
        name: "nb",
        description: "team",
        flavor: "modelarts.vm.cpu.2u",
        imageId: IMAGE,
        volume: { category: "EVS", capacity: 50 },
        ssh: { keyPairName: "kp", allowedAccessIps: ["203.0.113.7"] },
        poolId: "pool-1",
        workspaceId: "0",
        autoStop: { enabled: true, duration: 7200, type: "IDLE" },
        storages: [{ category: "OBS", uri: "obs://b/d/", mountPath: "/data/d/" }],
        powerState: "STOPPED",
    });

describe("request bodies come from the table", () => {
    test("every create input lands where NotebookCreateRequest reads it; the lease twice, equal", () => {
        expect(createRequest(full())).toEqual({
            feature: "NOTEBOOK",
            name: "nb",
            description: "team",
            flavor: "modelarts.vm.cpu.2u",
            image_id: IMAGE,
            volume: { category: "EVS", capacity: 50 },
            endpoints: [{ service: "SSH", key_pair_names: ["kp"], allowed_access_ips: ["203.0.113.7"] }],
            pool_id: "pool-1",
            workspace_id: "0",
            duration: 7_200_000,
            lease: { duration: 7_200_000, type: "IDLE" },
        });
    });

    test("auto-stop off is duration -1 (Terraform's create), in both places; no declaration sends none", () => {
        const off = createRequest(checked({ name: "nb", flavor: "f", imageId: IMAGE, autoStop: { enabled: false } }));
        expect(off).toMatchObject({ duration: -1, lease: { duration: -1 } });
        expect(off.lease).not.toHaveProperty("type");
        const none = createRequest(checked({ name: "nb", flavor: "f", imageId: IMAGE }));
        expect(none).not.toHaveProperty("duration");
        expect(none).not.toHaveProperty("lease");
    });

    test("the update bodies carry only what each may change: storage growth as storage_new_size, endpoints whole", () => {
        const i = full();
        expect(requestOf("update", { name: i.name, description: i.description, volume: i.volume })).toEqual({ name: "nb", description: "team", storage_new_size: 50 });
        expect(requestOf("updateStopped", { flavor: i.flavor, imageId: i.imageId, ssh: i.ssh })).toEqual({
            flavor: "modelarts.vm.cpu.2u",
            image_id: IMAGE,
            endpoints: [{ service: "SSH", key_pair_names: ["kp"], allowed_access_ips: ["203.0.113.7"] }],
        });
        // Nothing else rides along: pool, workspace, lease and power state are never in an update body.
        expect(requestOf("update", i)).toEqual({ name: "nb", description: "team", storage_new_size: 50 });
    });
});

test("timestamps given as strings (as other notebook bodies do) read as ms", async () => {
    const { NotebookSchema } = await import("../../provider/api/notebookInstances");
    expect(NotebookSchema.parse({ id: "1", create_at: "1700000000000", update_at: 1700000000001 })).toMatchObject({ create_at: 1700000000000, update_at: 1700000000001 });
});

describe("inputs read back from a notebook", () => {
    const body = {
        id: "1",
        name: "nb",
        description: "team",
        flavor: "modelarts.vm.cpu.2u",
        status: "RUNNING",
        image: { id: IMAGE, name: "img", swr_path: "swr/x", type: "BUILD_IN" },
        volume: { category: "EVS", ownership: "MANAGED", capacity: 50, mount_path: "/home/ma-user/work/" },
        endpoints: [{ service: "NOTEBOOK", uri: "https://x" }, { service: "SSH", uri: "ssh://x", key_pair_names: ["kp"], allowed_access_ips: ["203.0.113.7"] }],
        pool: { id: "pool-1", name: "p" },
        workspace_id: "0",
        lease: { create_at: 1, duration: 7_200_000, enable: true, type: "IDLE", update_at: 1 },
        token: "tok",
    };

    test("every reported input, in the declaration's form (no token)", () => {
        expect(reportedInputs(body as never)).toEqual({
            name: "nb",
            description: "team",
            flavor: "modelarts.vm.cpu.2u",
            imageId: IMAGE,
            volume: { category: "EVS", ownership: "MANAGED", capacity: 50 },
            ssh: { keyPairName: "kp", allowedAccessIps: ["203.0.113.7"] },
            poolId: "pool-1",
            workspaceId: "0",
            autoStop: { enabled: true, duration: 7200, type: "IDLE" },
            powerState: "RUNNING",
        });
        expect(reportedInputs({ ...body, lease: { enable: false, duration: -1 } } as never).autoStop).toEqual({ enabled: false });
        expect(reportedInputs({ ...body, status: "STARTING" } as never).powerState).toBeUndefined();
    });

    test("a listed notebook of another flavor, image or volume is not the one a lost create made; a pool differs even at adoption", () => {
        const inputs = full();
        const reported = reportedInputs(body as never);
        expect(identityMismatches(notebookShape, reported, inputs, "create")).toEqual([]);
        expect(identityMismatches(notebookShape, { ...reported, flavor: "other" }, inputs, "create").map((m) => m.path)).toEqual(["flavor"]);
        expect(identityMismatches(notebookShape, { ...reported, volume: { category: "EFS" } }, inputs, "create").map((m) => m.path)).toEqual(["volume.category"]);
        expect(identityMismatches(notebookShape, { ...reported, flavor: "other" }, inputs, "adopt")).toEqual([]);
        expect(identityMismatches(notebookShape, { ...reported, poolId: "pool-2" }, inputs, "adopt").map((m) => m.path)).toEqual(["poolId"]);
    });
});

describe("mounted storage read back", () => {
    test("a refresh counts MOUNTED, MOUNTING and UNMOUNT_FAILED storages as there (an unmount that failed left it mounted); not MOUNT_FAILED, UNMOUNTING or UNMOUNTED", () => {
        const listed = ["MOUNTED", "MOUNTING", "UNMOUNT_FAILED", "MOUNT_FAILED", "UNMOUNTING", "UNMOUNTED"].map((status, i) => ({
            id: String(i),
            category: "OBS",
            uri: `obs://b/${i}/`,
            mount_path: `/data/d${i}/`,
            status,
        }));
        expect(declaredFromLive(listed as never).map((m) => m.mountPath)).toEqual(["/data/d0/", "/data/d1/", "/data/d2/"]);
    });
});

describe("the plan", () => {
    const olds = { ...full(), status: "RUNNING", stateVersion: 1, region: "cn-north-4", projectId: "0".repeat(32) } as unknown as NotebookState;
    const plan = (change: Record<string, unknown>) => diffNotebook("id", olds, { ...full(), ...change } as NotebookInputs).result;

    test("an EVS volume grows in place and a smaller one replaces, saying why", () => {
        expect(plan({ volume: { category: "EVS", capacity: 60 } })).toMatchObject({ replaces: [], updates: ["volume.capacity"] });
        const shrink = diffNotebook("id", olds, { ...full(), volume: { category: "EVS", capacity: 20 } } as NotebookInputs);
        expect(shrink.result.replaces).toEqual(["volume.capacity"]);
        expect(shrink.notes.join(" ")).toMatch(/only grows/);
    });

    test("a removed input changes nothing, except a list that changes in place (every storage unmounted)", () => {
        expect(plan({ poolId: undefined, description: undefined, autoStop: undefined })).toMatchObject({ changes: false });
        expect(plan({ storages: undefined })).toMatchObject({ replaces: [], updates: ["storages"] });
    });

    test("a failed notebook is replaced, one mid-transition waited for, a FROZEN one never replaced for it", () => {
        expect(diffNotebook("id", { ...olds, status: "START_FAILED" }, full()).result.replaces).toEqual(["status"]);
        const frozen = diffNotebook("id", { ...olds, status: "FROZEN" }, full());
        expect(frozen.result).toMatchObject({ changes: false, replaces: [] });
        expect(frozen.notes.join(" ")).toMatch(/not replaced automatically/);
        expect(diffNotebook("id", { ...olds, status: "STARTING" }, full()).result.updates).toEqual(["status"]);
    });

    test("tags are compared whole: a removed key is an in-place change", () => {
        const tagged = { ...olds, tags: { a: "1", b: "2" } } as NotebookState;
        expect(diffNotebook("id", tagged, { ...full(), tags: { a: "1" } }).result).toMatchObject({ replaces: [], updates: ["tags"] });
        expect(diffNotebook("id", tagged, { ...full(), tags: { b: "2", a: "1" } }).result.changes).toBe(false);
        expect(diffNotebook("id", tagged, full()).result.changes).toBe(false);
    });

    test("replaceOnChanges turns an in-place change into a replacement", () => {
        expect(plan({ name: "other", replaceOnChanges: ["name"] })).toMatchObject({ replaces: ["name"], updates: [] });
    });
});

describe("extension storage at create (dataVolumes)", () => {
    const obs = { category: "OBS", uri: "obs://team/data/", mountPath: "/home/ma-user/work/data/", readOnly: true, dewSecretName: "obs-aksk" };
    const evs = { category: "EVS", capacity: 100, mountPath: "/home/ma-user/work/scratch/" };
    const withVolumes = () => checked({ name: "nb", flavor: "f", imageId: IMAGE, dataVolumes: [obs, evs] });
    // What ShowNotebook answers (VolumeResponse: no readOnly, dewSecretName, capacity, ownership), and a storage mounted while it runs.
    const answered = [
        { category: "OBS", mount_path: "/home/ma-user/work/data/", url: "obs://team/data/", status: "MOUNTED", mount_type: "STATIC" },
        { category: "EVS", mount_path: "/home/ma-user/work/scratch/", status: "MOUNTED", mount_type: "STATIC" },
        { category: "OBS", mount_path: "/data/datasets/", url: "obs://team/datasets/", status: "MOUNTED", mount_type: "DYNAMIC" },
    ];

    test("CreateNotebook carries them as data_volumes in VolumeMountRequest's keys, ownership MANAGED when not declared", () => {
        expect(createRequest(withVolumes()).data_volumes).toEqual([
            { category: "OBS", uri: "obs://team/data/", mount_path: "/home/ma-user/work/data/", read_only: true, dew_secret_name: "obs-aksk", ownership: "MANAGED" },
            { category: "EVS", capacity: 100, mount_path: "/home/ma-user/work/scratch/", ownership: "MANAGED" },
        ]);
        const efs = { category: "EFS", ownership: "DEDICATED", uri: "x.sfsturbo.internal:/", id: "9048456e-4e9a-11f1-ba0c-fa16520f410a" };
        expect(createRequest(checked({ name: "nb", flavor: "f", imageId: IMAGE, dataVolumes: [efs] })).data_volumes).toEqual([efs]);
        // Never in an update body: a change replaces the notebook.
        expect(requestOf("update", withVolumes())).not.toHaveProperty("data_volumes");
        expect(requestOf("updateStopped", withVolumes())).not.toHaveProperty("data_volumes");
    });

    test("read back from data_volumes without the storage mounted while the notebook runs (mount_type DYNAMIC)", () => {
        expect(reportedInputs({ id: "1", data_volumes: answered } as never).dataVolumes).toEqual([
            { category: "OBS", uri: "obs://team/data/", mountPath: "/home/ma-user/work/data/" },
            { category: "EVS", mountPath: "/home/ma-user/work/scratch/" },
        ]);
        // Only dynamic mounts, or none: not reported, so a refresh keeps the record.
        expect(reportedInputs({ id: "1", data_volumes: [answered[2]] } as never)).not.toHaveProperty("dataVolumes");
        expect(reportedInputs({ id: "1", data_volumes: [] } as never)).not.toHaveProperty("dataVolumes");
    });

    test("a refresh keeps what the answer does not report, so an unchanged notebook plans nothing", () => {
        const inputs = withVolumes();
        const olds = { ...inputs, status: "RUNNING", stateVersion: 1, region: "cn-north-4", projectId: "0".repeat(32) } as unknown as NotebookState;
        const refreshed = refreshedInputs(notebookShape, olds, reportedInputs({ id: "1", data_volumes: answered } as never));
        expect(refreshed.dataVolumes).toEqual([obs, evs]);
        expect(diffNotebook("id", refreshed, inputs).result.changes).toBe(false);
        // One of them gone (detached outside Pulumi): the record follows the answer, and the plan replaces.
        const gone = refreshedInputs(notebookShape, olds, reportedInputs({ id: "1", data_volumes: [answered[1]] } as never));
        expect(gone.dataVolumes).toEqual([{ category: "EVS", mountPath: "/home/ma-user/work/scratch/" }]);
        expect(diffNotebook("id", gone, inputs).result.replaces).toEqual(["dataVolumes"]);
    });

    test("a change, an addition or an emptied list replaces the notebook, saying why; leaving the input out changes nothing", () => {
        const olds = { ...withVolumes(), status: "RUNNING", stateVersion: 1, region: "cn-north-4", projectId: "0".repeat(32) } as unknown as NotebookState;
        const plan = (dataVolumes: unknown) => diffNotebook("id", olds, { ...withVolumes(), dataVolumes } as NotebookInputs).result;
        expect(plan([{ ...obs, readOnly: false }, evs])).toMatchObject({ replaces: ["dataVolumes"], updates: [] });
        expect(plan([obs, evs, { category: "EVS" }]).replaces).toEqual(["dataVolumes"]);
        expect(plan([]).replaces).toEqual(["dataVolumes"]);
        expect(plan(undefined).changes).toBe(false);
        expect(notebookShape.inputs.dataVolumes.options.replaceNote).toMatch(/attached at create only/);
    });

    test("they do not tell notebooks apart in the lost-create search (the answer's forms are unconfirmed)", () => {
        const reported = reportedInputs({ id: "1", name: "nb", flavor: "f", image: { id: IMAGE }, data_volumes: [answered[1]] } as never);
        expect(identityMismatches(notebookShape, reported, withVolumes(), "create")).toEqual([]);
    });
});
