/**
 * The Notebook's shape, stated once: every input with its validation, default, what a change of it
 * does and where the API carries it (`wire`, read by ../wire.ts), and the computed outputs. The
 * provider's types, `check`, `diff`, the request bodies, refresh, import, and the SDK's
 * `NotebookArgs` and output properties all come from this table.
 *
 * Request bodies (the keys of `wire.sent`): `create` (CreateNotebook), `update` (UpdateNotebook with
 * what changes on a settled notebook: name, description, the EVS volume's growth) and `updateStopped`
 * (UpdateNotebook with what Terraform changes only on a STOPPED notebook: flavor, image, SSH
 * endpoint). Sources: PY SDK notebook_create_request.py / notebook_update_request.py /
 * notebook_resp.py, Terraform resource_huaweicloud_modelarts_notebook.go.
 */
import { z } from "zod";
import { computed, DeclaredInputsOf, defineResource, field, InputsOf, StateOf } from "../fields";
import { locationFields, replaceOnChangesField, timeoutsField } from "../common";
import { snakeKeys } from "../wire";
import {
    NAME,
    TAG_KEY,
    TAG_VALUE,
    UUID,
    WORKSPACE,
    affinityFromWire,
    affinityOnWire,
    affinitySchema,
    autoStopFromWire,
    autoStopOnWire,
    autoStopSchema,
    customSpecFromWire,
    customSpecSchema,
    hooksSchema,
    required,
    runUserFromWire,
    runUserSchema,
    sshFromWire,
    sshOnWire,
    sshSchema,
    storageSchema,
    tagsFromWire,
    userVpcFromWire,
    userVpcSchema,
    volumeFromWire,
    volumeSchema,
} from "./inputRules";
import type {
    NotebookHooks,
    NotebookVolume,
} from "./inputRules";
import { dataVolumesFromWire, dataVolumesOnWire, dataVolumesSchema, refineMountPaths } from "./dataVolumes";
export type { NotebookDataVolume } from "./dataVolumes";
export { AUTO_STOP_MIN, AUTO_STOP_MAX, NO_AUTO_STOP, leaseDurationMs } from "./inputRules";
export type { NotebookVolume, NotebookSsh, NotebookAutoStopSetting, NotebookStorageMount, NotebookRunUser, NotebookUserVpc, NotebookCustomSpec, NotebookAffinityRule, NotebookAffinity, NotebookHookScript, NotebookHooks } from "./inputRules";

/** Bumped when the shape of the state changes. */
export const STATE_VERSION = 1;

export const notebookShape = defineResource({
    inputs: {
        /** Notebook name: up to 128 letters, digits, "-" and "_" (names may repeat in the API). Changed in place. */
        name: field(z.string(required("name", "the notebook's name", "a string")).regex(NAME, 'name must be 1 to 128 letters, digits, "-" or "_"'), {
            onChange: "update",
            wire: { sent: { create: "name", update: "name" }, reported: "name", identifies: "create" },
        }),
        /** Description, up to 512 characters, without `&<>"'/`. Changed in place. */
        description: field(
            z
                .string({ error: "description must be a string" })
                .max(512, "description must be at most 512 characters")
                .refine((s) => !/[&<>"'/]/.test(s), "description must not contain any of & < > \" ' /")
                .optional(),
            { onChange: "update", wire: { sent: { create: "description", update: "description" }, reported: "description" } },
        ),
        /**
         * Flavor, e.g. `modelarts.vm.cpu.2u`. Changed in place: the notebook is stopped for the change
         * and started again when `powerState` is RUNNING (its running session ends).
         */
        flavor: field(z.string(required("flavor", "the flavor, e.g. modelarts.vm.cpu.2u", "a string")).min(1, "flavor must not be empty").max(128, "flavor must be at most 128 characters"), {
            onChange: "update",
            updateNote: "is changed on a STOPPED notebook: a running one is stopped for it (its session ends) and started again when powerState is RUNNING",
            wire: { sent: { create: "flavor", updateStopped: "flavor" }, reported: "flavor", identifies: "create" },
        }),
        /** Image UUID (ListImage). Changed in place like `flavor`: the notebook is stopped for it. */
        imageId: field(z.string(required("imageId", "the image UUID", "a string")).regex(UUID, "imageId must be the image's UUID"), {
            onChange: "update",
            updateNote: "is changed on a STOPPED notebook: a running one is stopped for it (its session ends) and started again when powerState is RUNNING",
            wire: { sent: { create: "image_id", updateStopped: "image_id" }, reported: "image.id", identifies: "create" },
        }),
        /**
         * The notebook's own storage: `{ category: "EVS", capacity: 50 }` (default: the API's, EVS 5 GB),
         * or a DEDICATED SFS Turbo `{ category: "EFS", ownership: "DEDICATED", uri, id }`. `capacity`
         * grows in place (the API cannot shrink it: a smaller one replaces); the rest replaces.
         */
        volume: field(volumeSchema.optional(), {
            onChange: "replace",
            keys: { capacity: "update" },
            replaceNote: "the notebook's storage cannot change in place (only an EVS capacity can grow): replacing makes a new notebook, and the data on the old storage is deleted with it",
            wire: {
                sent: { create: "volume", update: "storage_new_size" },
                toWire: (v: NotebookVolume, path) => (path === "storage_new_size" ? v.capacity : snakeKeys(v)),
                reported: "volume",
                fromWire: volumeFromWire,
                identifies: "create",
            },
        }),
        /**
         * Extension storage attached at create (the API's `data_volumes`), e.g. a bucket
         * `{ category: "OBS", uri: "obs://bucket/data/", mountPath: "/home/ma-user/work/data/", dewSecretName: "obs-aksk" }`
         * or a disk `{ category: "EVS", capacity: 100, mountPath: "/home/ma-user/work/scratch/" }`. Set at
         * create only: a change replaces the notebook. Storage mounted while it runs is `storages`.
         */
        dataVolumes: field(dataVolumesSchema.optional(), {
            onChange: "replace",
            replaceNote: "extension storage is attached at create only: replacing makes a new notebook, and what the old one kept on its own volume and on MANAGED extension storage is deleted with it",
            wire: { sent: { create: "data_volumes" }, toWire: dataVolumesOnWire, reported: "data_volumes", fromWire: dataVolumesFromWire },
        }),
        /**
         * Remote SSH access: `{ keyPairName, allowedAccessIps? }`. The key pair replaces the notebook
         * (Terraform: NonUpdatable); the allowed addresses change in place (the notebook is stopped for it).
         */
        ssh: field(sshSchema.optional(), {
            onChange: "replace",
            keys: { allowedAccessIps: "update" },
            updateNote: "is changed on a STOPPED notebook: a running one is stopped for it and started again when powerState is RUNNING",
            wire: { sent: { create: "endpoints", updateStopped: "endpoints" }, toWire: sshOnWire, reported: "endpoints", fromWire: sshFromWire, identifies: "create" },
        }),
        /** Dedicated resource pool ID (`pool_id`). Replaces. */
        poolId: field(z.string({ error: "poolId must be a string" }).min(1, "poolId must not be empty").max(64, "poolId must be at most 64 characters").optional(), {
            onChange: "replace",
            wire: { sent: { create: "pool_id" }, reported: "pool.id", identifies: "always" },
        }),
        /** Workspace ID: "0" (the default workspace) or 32 lowercase letters and digits. Replaces. */
        workspaceId: field(z.string({ error: "workspaceId must be a string" }).regex(WORKSPACE, 'workspaceId must be "0" (the default workspace) or 32 lowercase letters and digits').optional(), {
            onChange: "replace",
            wire: { sent: { create: "workspace_id" }, reported: "workspace_id", identifies: "always" },
        }),
        /**
         * The container's user, `{ uid: 1000, gid: 100 }` (the API's `run_user`). Set at create only:
         * a change replaces the notebook.
         */
        runUser: field(runUserSchema.optional(), { onChange: "replace", wire: { sent: { create: "run_user" }, reported: "run_user", fromWire: runUserFromWire } }),
        /**
         * A network interface in your own VPC, `{ vpcId, subnetId, securityGroupIds?, connectCidrs? }`
         * (the API's `user_vpc`). Set at create only: a change replaces the notebook.
         */
        userVpc: field(userVpcSchema.optional(), { onChange: "replace", wire: { sent: { create: "user_vpc" }, reported: "user_vpc", fromWire: userVpcFromWire } }),
        /**
         * A custom size on the dedicated pool (`poolId` required), `{ category: "GPU", arch: "X86_64",
         * cpu: 8, memory: 32768, gpu: 1, gpuType: "..." }` (the API's `custom_spec`). Set at create
         * only: a change replaces the notebook.
         */
        customSpec: field(customSpecSchema.optional(), { onChange: "replace", wire: { sent: { create: "custom_spec" }, reported: "custom_spec", fromWire: customSpecFromWire } }),
        /**
         * Node affinity on the dedicated pool (`poolId` required): `{ required: [{ key, operator: "In",
         * values: [...] }], preferred: [{ key, operator, values, weight }] }` (the API's `affinity`).
         * Set at create only: a change replaces the notebook.
         */
        affinity: field(affinitySchema.optional(), { onChange: "replace", wire: { sent: { create: "affinity" }, toWire: affinityOnWire, reported: "affinity", fromWire: affinityFromWire } }),
        /**
         * Scripts run around the container's start: `{ postStart: { script: "/home/ma-user/init.sh" } }`,
         * or `{ type: "COMMAND", script: <base64 commands> }`; `mode` BLOCK makes the start wait for it
         * (the API's `hooks.container_hooks`). Secret: the state keeps only a digest (`hooksDigest`), and
         * the API does not report hooks, so refresh cannot show a change. Set at create only: a change replaces.
         */
        hooks: field(hooksSchema.optional(), {
            onChange: "replace",
            secret: true,
            wire: { sent: { create: "hooks" }, toWire: (h: NotebookHooks) => snakeKeys({ containerHooks: h }) },
        }),
        /**
         * Auto-stop (the API's lease), owned by this resource when declared: `{ enabled: true,
         * duration: 7200 }` stops the notebook 2 h after each start; `{ enabled: false }` never.
         * Applied at create and at every start the provider makes; a change on a RUNNING notebook renews
         * the lease at once (enabled) or takes effect at its next start (disabled: the API cannot switch
         * a running lease off). Left out, the API's default applies (1 h, SDK LeaseReq) and a
         * NotebookAutoStop may own the policy instead; declaring both is refused.
         */
        autoStop: field(autoStopSchema.optional(), {
            onChange: "update",
            wire: { sent: { create: ["duration", "lease"] }, toWire: autoStopOnWire, reported: "lease", fromWire: autoStopFromWire },
        }),
        /**
         * Storage mounted into the notebook, by mount path: `[{ category: "OBS", uri: "obs://bucket/data/",
         * mountPath: "/data/datasets/" }]`. Mounted and unmounted in place, on a RUNNING notebook only;
         * removing the list unmounts them all. Mounts made outside this resource are left alone.
         */
        storages: field(
            z
                .array(storageSchema, { error: "storages must be a list of { category, uri, mountPath, efsId? }" })
                .refine((l) => new Set(l.map((m) => m.mountPath)).size === l.length, "storages must not use a mountPath twice")
                .optional(),
            { onChange: "update", updateNote: "mounts or unmounts storage in place (the notebook must be RUNNING)" },
        ),
        /**
         * Tags (TMS): `{ team: "vision" }`. Keys up to 128 and values up to 255 characters (letters of
         * any language, digits, spaces, `_ . : = + - @`, values also `/`). Changed in place; `{}`
         * removes them all, leaving the input out leaves the notebook's tags alone.
         */
        tags: field(
            z
                .record(z.string(), z.string({ error: "tags values must be strings" }).regex(TAG_VALUE, "tags values must be up to 255 letters, digits, spaces or _ . : / = + - @"), {
                    error: "tags must be an object of strings, e.g. { team: \"vision\" }",
                })
                .superRefine((tags, ctx) => {
                    for (const key of Object.keys(tags)) {
                        if (!TAG_KEY.test(key)) {
                            ctx.addIssue({ code: "custom", path: [key], message: `tags key ${JSON.stringify(key.slice(0, 40))} must be 1 to 128 letters, digits, spaces or _ . : = + - @, not starting or ending with a space, nor starting with _sys_` });
                        }
                    }
                })
                .optional(),
            { onChange: "update", wire: { reported: "tags", fromWire: tagsFromWire } },
        ),
        /** Declared power state, `RUNNING` (default) or `STOPPED`: the provider starts or stops the notebook to match. */
        powerState: field(z.enum(["RUNNING", "STOPPED"], { error: "powerState must be RUNNING or STOPPED" }).default("RUNNING"), {
            onChange: "update",
            wire: { reported: "status", fromWire: (status) => (status === "RUNNING" || status === "STOPPED" ? status : undefined) },
        }),
        ...locationFields,
        /**
         * Operation timeouts, e.g. `{ create: "30m" }` (defaults 20 min each, Terraform's for
         * huaweicloud_modelarts_notebook). The SDK maps Pulumi's `customTimeouts` onto this.
         */
        timeouts: timeoutsField,
        /** Set by the SDK from the `import` resource option: adopt this notebook instead of creating one. */
        importId: field(z.string({ error: "importId must be a string" }).regex(UUID, "the import option's id must be the notebook's UUID").optional(), {
            onChange: "none",
            inState: false,
            internal: true,
        }),
        /** Set by the SDK from the `replaceOnChanges` resource option (see common.ts). */
        replaceOnChanges: replaceOnChangesField,
    },
    outputs: {
        /** Version of the state's shape, for upgrades. */
        stateVersion: computed<number>(),
        /** Live status: RUNNING, STOPPED, CREATING, ... */
        status: computed<string | undefined>(),
        /** The notebook's web address (JupyterLab). */
        url: computed<string | undefined>(),
        /** The SSH endpoint's address, when SSH is declared. */
        sshUri: computed<string | undefined>(),
        /** Access endpoints as the API reports them. */
        endpoints: computed<Array<{ service?: string; uri?: string; keyPairNames?: string[]; allowedAccessIps?: string[] }> | undefined>(),
        /** The image as the notebook reports it. */
        image: computed<{ id?: string; name?: string; swrPath?: string; type?: string } | undefined>(),
        /** The live lease: `stopsAt` is when it stops the notebook (ISO 8601), absent when it never does. */
        lease: computed<{ enabled?: boolean; type?: string; durationMs?: number; createdAt?: string; stopsAt?: string } | undefined>(),
        /** The dedicated pool as reported. */
        pool: computed<{ id?: string; name?: string } | undefined>(),
        /** The storage as reported (with its mount path and, while an EVS grows, its status). */
        volumeStatus: computed<{ category?: string; capacity?: number; mountPath?: string; status?: string } | undefined>(),
        /** Extension storage as the notebook reports it (`mountType` STATIC: attached at create; DYNAMIC: mounted while it runs), with each one's status. */
        dataVolumeStatus: computed<Array<{ category?: string; mountPath?: string; uri?: string; status?: string; mountType?: string }> | undefined>(),
        /** Storage mounted in the notebook as the API lists it (declared or not), with each mount's status. */
        mountedStorages: computed<Array<{ id: string; category?: string; mountPath?: string; uri?: string; status?: string }> | undefined>(),
        /** Salted digest of `hooks` (the scripts are secret: the state never holds them). */
        hooksDigest: computed<string | undefined>(),
        /** Why the notebook failed, when it did. */
        failReason: computed<string | undefined>(),
        /** ISO 8601 creation time. */
        createdAt: computed<string | undefined>(),
        /** ISO 8601 time of the last change. */
        updatedAt: computed<string | undefined>(),
    },
    refine: (v, ctx) => {
        refineMountPaths(v.dataVolumes, v.storages, ctx);
        // custom_spec and affinity are the SDK's "dedicated pool" settings (notebook_custom_spec.py, affinity_type.py).
        for (const name of ["customSpec", "affinity"] as const) {
            if (v[name] !== undefined && v.poolId === undefined) {
                ctx.addIssue({ code: "custom", path: [name], params: { related: [name, "poolId"] }, message: `${name} applies on a dedicated pool only: set poolId too, or remove ${name}` });
            }
        }
    },
});

/** Inputs as declared, before `check` applies the defaults. */
export type NotebookDeclaredInputs = DeclaredInputsOf<typeof notebookShape>;
/** Inputs after `check`: validated, `powerState` defaulted. */
export type NotebookInputs = InputsOf<typeof notebookShape>;
/** What the state holds. */
export type NotebookState = StateOf<typeof notebookShape>;
