/**
 * What a notebook of the current API (`/notebooks`) is made with beyond name / flavor / lease, and
 * what can change afterwards: image, storage volume, extension storage (`data_volumes`), SSH
 * endpoint, pool, workspace (CreateNotebook),
 * the stopped-only changes of UpdateNotebook (flavor, image, endpoints) and the EVS growth
 * (`storage_new_size`). The dynamically mounted storage (`/notebooks/{id}/storage`) is notebookStorage.ts.
 *
 * Sources (docs/EMULATOR-VS-REAL-API.md, "Notebook"): PY SDK notebook_create_request.py,
 * notebook_update_request.py (update docstring: the notebook must be stopped), volume_mount_request.py,
 * volume_res.py, volume_response.py, endpoints_req.py, data_volumes_req.py / _res.py;
 * Terraform resource_huaweicloud_modelarts_notebook.go
 * (name / description / storage_new_size on a running notebook; flavor / image / endpoints on a
 * stopped one).
 */
import { randomUUID } from "crypto";
import { ApiError, ERROR_CODES } from "../errors";
import { Validator } from "./validate";

const vc: Validator = new Validator(ERROR_CODES.NOTEBOOK_INVALID_PARAM, "error_msg");

/** The built-in image the emulator shows when a notebook names no other (and any UUID it is given). */
export const DEFAULT_IMAGE_ID = "e1a07296-22a8-4f05-8bc8-e936c8e54090";
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const WORKSPACE = /^(0|[0-9a-z]{32})$/;

export interface NotebookVolumeSpec {
    category: string;
    ownership: string;
    capacity?: number;
    uri?: string;
    id?: string;
    /** RESIZING while an EVS volume grows (VolumeRes.status). */
    resizingUntil?: number;
}

/** An extension storage as CreateNotebook received it (VolumeMountRequest, validated). */
export interface DataVolumeSpec {
    category: string;
    ownership: string;
    uri?: string;
    id?: string;
    mount_path?: string;
    read_only: boolean;
    dew_secret_name?: string;
    capacity?: number;
}

export interface NotebookSpecRecord {
    imageId: string;
    volume: NotebookVolumeSpec;
    /** CreateNotebook's `data_volumes`: answered as VolumeResponse (category, mount_path, url, status, mount_type). */
    dataVolumes?: DataVolumeSpec[];
    endpoints?: Array<{ service: string; key_pair_names?: string[]; allowed_access_ips?: string[] }>;
    poolId?: string;
    workspaceId: string;
    /** The notebook's access token (NotebookResp `token`): a credential the provider must never keep. */
    token: string;
    /** TMS tags (`/notebooks/{id}/tags/create|delete`). */
    tags?: Record<string, string>;
    /** CreateNotebook's create-only settings, kept as sent once validated (RunUserRequest, UserVpcRequest, NotebookCustomSpec, AffinityType). */
    runUser?: { uid: number; gid?: number };
    userVpc?: { vpc_id: string; subnet_id: string; security_group_ids?: string[]; connect_cidrs?: string[] };
    customSpec?: Record<string, unknown>;
    affinity?: Record<string, unknown>;
    /** CustomHooks as sent: NotebookResp does not report it, so only the admin dump shows it. */
    hooks?: Record<string, unknown>;
}

function volumeOf(body: Record<string, unknown>): NotebookVolumeSpec {
    const v = vc.optionalObject(body, "volume");
    if (!v) return { category: "EVS", ownership: "MANAGED", capacity: 5 };
    const category = vc.optionalEnum(v, "category", ["EVS", "EFS", "OBS", "OBSFS"] as const, "volume.category") ?? "EVS";
    const ownership = vc.optionalEnum(v, "ownership", ["MANAGED", "DEDICATED"] as const, "volume.ownership") ?? "MANAGED";
    const capacity = vc.optionalInteger(v, "capacity", "volume.capacity", 5, 4096);
    const uri = vc.optionalString(v, "uri", "volume.uri", /^.{1,1024}$/);
    const id = vc.optionalString(v, "id", "volume.id", UUID);
    if (ownership === "DEDICATED" && category !== "EFS") vc.fail("volume.ownership DEDICATED is only supported when volume.category is EFS");
    if (ownership === "DEDICATED" && (uri === undefined || id === undefined)) vc.fail("volume.uri and volume.id are required for a DEDICATED EFS volume");
    return { category, ownership, capacity: category === "EVS" ? (capacity ?? 5) : capacity, uri, id };
}

const DEW_SECRET_NAME = /^[-_A-Za-z0-9]{1,64}$/;

/**
 * CreateNotebook's `data_volumes`, each a VolumeMountRequest: `category` and `ownership` required
 * (the SDK's model sets both unconditionally), DEDICATED only for EFS and then `uri` and `id` (a
 * UUID) required, `uri` up to 1024 and `mount_path` up to 256 characters, `dew_secret_name` (1..64
 * letters, digits, - _) required for OBS, `capacity` (EVS, default 5; bounded as the volume's),
 * `read_only` default false.
 */
function dataVolumesOf(body: Record<string, unknown>): DataVolumeSpec[] | undefined {
    const raw = body.data_volumes;
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) vc.fail("data_volumes must be a list");
    return raw.map((d, i) => {
        const f = `data_volumes[${i}]`;
        const o = vc.object(d, f);
        const category = vc.optionalEnum(o, "category", ["EVS", "OBS", "OBSFS", "EFS"] as const, `${f}.category`);
        const ownership = vc.optionalEnum(o, "ownership", ["MANAGED", "DEDICATED"] as const, `${f}.ownership`);
        if (category === undefined) vc.fail(`${f}.category is required`);
        if (ownership === undefined) vc.fail(`${f}.ownership is required`);
        const uri = vc.optionalString(o, "uri", `${f}.uri`, /^.{1,1024}$/);
        const id = vc.optionalString(o, "id", `${f}.id`, UUID);
        const mountPath = vc.optionalString(o, "mount_path", `${f}.mount_path`, /^.{1,256}$/);
        const readOnly = vc.optionalBoolean(o, "read_only", `${f}.read_only`) ?? false;
        const dewSecretName = vc.optionalString(o, "dew_secret_name", `${f}.dew_secret_name`, DEW_SECRET_NAME);
        const capacity = vc.optionalInteger(o, "capacity", `${f}.capacity`, 5, 4096);
        if (ownership === "DEDICATED" && category !== "EFS") vc.fail(`${f}.ownership DEDICATED is only supported when ${f}.category is EFS`);
        if (ownership === "DEDICATED" && (uri === undefined || id === undefined)) vc.fail(`${f}.uri and ${f}.id are required for a DEDICATED EFS`);
        if (category === "OBS" && dewSecretName === undefined) vc.fail(`${f}.dew_secret_name is required when ${f}.category is OBS`);
        return { category, ownership, uri, id, mount_path: mountPath, read_only: readOnly, dew_secret_name: dewSecretName, capacity: category === "EVS" ? (capacity ?? 5) : capacity };
    });
}

/** VolumeResponse: what NotebookResp's `data_volumes` shows of an extension storage attached at create. */
function renderDataVolume(d: DataVolumeSpec): Record<string, unknown> {
    const url = d.category === "OBS" || d.category === "OBSFS" ? d.uri : undefined;
    return { category: d.category, mount_path: d.mount_path, url, status: "MOUNTED", mount_type: "STATIC" };
}

function endpointsOf(body: Record<string, unknown>): NotebookSpecRecord["endpoints"] {
    const raw = body.endpoints;
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) vc.fail("endpoints must be a list");
    return raw.map((e, i) => {
        const o = vc.object(e, `endpoints[${i}]`);
        const service = vc.optionalEnum(o, "service", ["NOTEBOOK", "SSH"] as const, `endpoints[${i}].service`) ?? "NOTEBOOK";
        const strings = (key: string) => {
            const list = o[key];
            if (list === undefined || list === null) return undefined;
            if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) vc.fail(`endpoints[${i}].${key} must be a list of strings`);
            return list as string[];
        };
        const keys = strings("key_pair_names");
        if (service === "SSH" && !keys?.length) vc.fail(`endpoints[${i}].key_pair_names is required for the SSH service`);
        return { service, key_pair_names: keys, allowed_access_ips: strings("allowed_access_ips") };
    });
}

function strings(o: Record<string, unknown>, key: string, field: string): string[] | undefined {
    const list = o[key];
    if (list === undefined || list === null) return undefined;
    if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) vc.fail(`${field} must be a list of strings`);
    return list as string[];
}

function runUserOf(body: Record<string, unknown>): NotebookSpecRecord["runUser"] {
    const r = vc.optionalObject(body, "run_user");
    if (!r) return undefined;
    const uid = vc.optionalInteger(r, "uid", "run_user.uid", 0);
    if (uid === undefined) vc.fail("run_user.uid is required");
    return { uid, gid: vc.optionalInteger(r, "gid", "run_user.gid", 0) };
}

function userVpcOf(body: Record<string, unknown>): NotebookSpecRecord["userVpc"] {
    const u = vc.optionalObject(body, "user_vpc");
    if (!u) return undefined;
    return {
        vpc_id: vc.requiredString(u, "vpc_id", "user_vpc.vpc_id"),
        subnet_id: vc.requiredString(u, "subnet_id", "user_vpc.subnet_id"),
        security_group_ids: strings(u, "security_group_ids", "user_vpc.security_group_ids"),
        connect_cidrs: strings(u, "connect_cidrs", "user_vpc.connect_cidrs"),
    };
}

/** NotebookCustomSpec: cpu >= 0.4, memory a whole number >= 513, arch / category enums; gpu and gpu_type for GPU only. */
function customSpecOf(body: Record<string, unknown>, poolId: string | undefined): NotebookSpecRecord["customSpec"] {
    const c = vc.optionalObject(body, "custom_spec");
    if (!c) return undefined;
    if (poolId === undefined) vc.fail("custom_spec applies to a dedicated pool only: pool_id is required");
    const category = vc.optionalEnum(c, "category", ["CPU", "GPU"] as const, "custom_spec.category");
    const arch = vc.optionalEnum(c, "arch", ["X86_64", "AARCH64"] as const, "custom_spec.arch");
    if (category === undefined || arch === undefined) vc.fail("custom_spec.category and custom_spec.arch are required");
    const num = (key: string, min: number) => {
        const v = c[key];
        if (typeof v !== "number" || v < min) vc.fail(`custom_spec.${key} must be a number of at least ${min}`);
        return v;
    };
    const cpu = num("cpu", 0.4);
    const memory = num("memory", 513);
    if (!Number.isInteger(memory)) vc.fail("custom_spec.memory must be an integer");
    const gpuType = vc.optionalString(c, "gpu_type", "custom_spec.gpu_type");
    const gpu = c.gpu === undefined || c.gpu === null ? undefined : num("gpu", 0);
    if (category === "GPU" && (gpu === undefined || gpuType === undefined)) vc.fail("custom_spec.gpu and custom_spec.gpu_type are required for category GPU");
    if (category === "CPU" && (gpu !== undefined || gpuType !== undefined)) vc.fail("custom_spec.gpu and custom_spec.gpu_type are not allowed for category CPU");
    return { category, arch, cpu, memory, gpu, gpu_type: gpuType, resource_flavor: vc.optionalString(c, "resource_flavor", "custom_spec.resource_flavor") };
}

const AFFINITY_LISTS = ["required_during_scheduling_ignored_during_execution", "preferred_during_scheduling_ignored_during_execution"] as const;

/** AffinityType: lists of AffinityRule {key, operator, values} (required), weight 0..100 (preferred only). */
function affinityOf(body: Record<string, unknown>, poolId: string | undefined): NotebookSpecRecord["affinity"] {
    const a = vc.optionalObject(body, "affinity");
    if (!a) return undefined;
    if (poolId === undefined) vc.fail("affinity applies to a dedicated pool only: pool_id is required");
    const out: Record<string, unknown> = {};
    for (const list of AFFINITY_LISTS) {
        const raw = a[list];
        if (raw === undefined || raw === null) continue;
        if (!Array.isArray(raw)) vc.fail(`affinity.${list} must be a list`);
        out[list] = raw.map((r, i) => {
            const field = `affinity.${list}[${i}]`;
            const o = vc.object(r, field);
            const key = vc.requiredString(o, "key", `${field}.key`);
            const operator = vc.optionalEnum(o, "operator", ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] as const, `${field}.operator`);
            if (operator === undefined) vc.fail(`${field}.operator is required`);
            const values = strings(o, "values", `${field}.values`);
            if (values === undefined) vc.fail(`${field}.values is required`);
            const weight = vc.optionalInteger(o, "weight", `${field}.weight`, 0, 100);
            if (weight !== undefined && list === AFFINITY_LISTS[0]) vc.fail(`${field}.weight is only for preferred rules`);
            return { key, operator, values, weight };
        });
    }
    return out;
}

/** CustomHooks `{container_hooks: {pre_start?, post_start?}}`, each Config `{script, type SCRIPT|COMMAND, mode ASYNC|BLOCK}`. */
function hooksOf(body: Record<string, unknown>): NotebookSpecRecord["hooks"] {
    const h = vc.optionalObject(body, "hooks");
    if (!h) return undefined;
    const container = vc.optionalObject(h, "container_hooks", "hooks.container_hooks");
    if (!container) vc.fail("hooks.container_hooks is required");
    const out: Record<string, unknown> = {};
    for (const at of ["pre_start", "post_start"]) {
        const c = vc.optionalObject(container, at, `hooks.container_hooks.${at}`);
        if (!c) continue;
        // Messages never quote the script (it may hold commands).
        const script = c.script;
        if (typeof script !== "string" || script === "") vc.fail(`hooks.container_hooks.${at}.script is required`);
        const type = vc.optionalEnum(c, "type", ["SCRIPT", "COMMAND"] as const, `hooks.container_hooks.${at}.type`) ?? "SCRIPT";
        const mode = vc.optionalEnum(c, "mode", ["ASYNC", "BLOCK"] as const, `hooks.container_hooks.${at}.mode`) ?? "ASYNC";
        out[at] = { script, type, mode };
    }
    if (Object.keys(out).length === 0) vc.fail("hooks.container_hooks needs pre_start or post_start");
    return { container_hooks: out };
}

/** CreateNotebook's fields beyond name / flavor / description / lease. */
export function specFromCreate(body: Record<string, unknown>): NotebookSpecRecord {
    const imageId = vc.requiredString(body, "image_id", "image_id", UUID);
    const poolId = vc.optionalString(body, "pool_id", "pool_id", /^.{1,64}$/);
    return {
        imageId,
        volume: volumeOf(body),
        dataVolumes: dataVolumesOf(body),
        endpoints: endpointsOf(body),
        poolId,
        workspaceId: vc.optionalString(body, "workspace_id", "workspace_id", WORKSPACE) ?? "0",
        token: randomUUID().replace(/-/g, ""),
        runUser: runUserOf(body),
        userVpc: userVpcOf(body),
        customSpec: customSpecOf(body, poolId),
        affinity: affinityOf(body, poolId),
        hooks: hooksOf(body),
    };
}

/** A spec for notebooks made before the emulator kept one (seeded, or older state). */
export function defaultSpec(): NotebookSpecRecord {
    return { imageId: DEFAULT_IMAGE_ID, volume: { category: "EVS", ownership: "MANAGED", capacity: 5 }, workspaceId: "0", token: randomUUID().replace(/-/g, "") };
}

/**
 * UpdateNotebook's fields beyond name / description: flavor, image_id and endpoints only on a
 * STOPPED notebook (SDK docstring; Terraform stops it for them), storage_new_size only growing an EVS volume.
 * Returns the new flavor when one is given.
 */
export function applyUpdate(spec: NotebookSpecRecord, body: Record<string, unknown>, status: string, now: number, notebookId: string): { flavor?: string } {
    const flavor = vc.optionalString(body, "flavor", "flavor", /^.{1,128}$/);
    const imageId = vc.optionalString(body, "image_id", "image_id", UUID);
    const endpoints = body.endpoints === undefined || body.endpoints === null ? undefined : endpointsOf(body);
    const grow = vc.optionalInteger(body, "storage_new_size", "storage_new_size", 5, 4096);
    if ((flavor !== undefined || imageId !== undefined || endpoints !== undefined) && status !== "STOPPED") {
        throw new ApiError(400, ERROR_CODES.NOTEBOOK_WRONG_STATUS, `Notebook ${notebookId} must be STOPPED to change its flavor, image or endpoints (its status is ${status})`, "error_msg");
    }
    if (grow !== undefined) {
        if (spec.volume.category !== "EVS") vc.fail("storage_new_size applies to an EVS volume only");
        if (grow <= (spec.volume.capacity ?? 5)) vc.fail(`storage_new_size must be larger than the current capacity (${spec.volume.capacity ?? 5} GB): a volume only grows`);
    }
    if (imageId !== undefined) spec.imageId = imageId;
    if (endpoints !== undefined) spec.endpoints = endpoints;
    if (grow !== undefined) spec.volume = { ...spec.volume, capacity: grow, resizingUntil: now + 1000 };
    return { flavor };
}

/** The fields NotebookResp carries for the spec. */
export function renderSpec(spec: NotebookSpecRecord, notebookId: string, now: number): Record<string, unknown> {
    const v = spec.volume;
    return {
        image: {
            id: spec.imageId,
            name: spec.imageId === DEFAULT_IMAGE_ID ? "notebook2.0-mul-kernel-cpu-cp36" : `image-${spec.imageId.slice(0, 8)}`,
            swr_path: `swr.cn-north-4.myhuaweicloud.com/atelier/image-${spec.imageId.slice(0, 8)}:latest`,
            type: spec.imageId === DEFAULT_IMAGE_ID ? "BUILD_IN" : "DEDICATED",
        },
        volume: {
            category: v.category,
            ownership: v.ownership,
            capacity: v.capacity,
            uri: v.uri,
            id: v.id,
            mount_path: "/home/ma-user/work/",
            status: v.resizingUntil !== undefined && now < v.resizingUntil ? "RESIZING" : undefined,
        },
        data_volumes: spec.dataVolumes?.map(renderDataVolume),
        endpoints: [
            { service: "NOTEBOOK", uri: `https://modelarts.emulator.local/modelarts/hubv100/notebook/user/${notebookId}` },
            ...(spec.endpoints ?? [])
                .filter((e) => e.service === "SSH")
                .map((e) => ({ service: "SSH", dev_service: "SSH", uri: "ssh://192.0.2.10:31000", key_pair_names: e.key_pair_names, allowed_access_ips: e.allowed_access_ips })),
        ],
        pool: spec.poolId ? { id: spec.poolId, name: `pool-${spec.poolId.slice(0, 8)}` } : undefined,
        workspace_id: spec.workspaceId,
        run_user: spec.runUser,
        // UserVpcResponse carries connect_cidrs as a string: the emulator joins the list with commas (the form is unstated).
        user_vpc: spec.userVpc && { ...spec.userVpc, connect_cidrs: spec.userVpc.connect_cidrs?.join(",") },
        custom_spec: spec.customSpec,
        affinity: spec.affinity,
        token: spec.token,
        tags: Object.entries(spec.tags ?? {}).map(([key, value]) => ({ key, value })),
    };
}

const TAG_KEY = /^(?!_sys_)(?! )[\p{L}\p{N} _.:=+\-@]{1,128}(?<! )$/u;
const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]{0,255}$/u;

/** CreateNotebookTags / DeleteNotebookTags `{tags: [{key, value}]}` (PY SDK create_tms_tags_request.py, tms_tag.py). */
export function changeTags(spec: NotebookSpecRecord, input: unknown, remove: boolean): void {
    const body = vc.object(input, "request body");
    const list = body.tags;
    if (!Array.isArray(list) || list.length === 0) vc.fail("tags is required: a non-empty list of {key, value}");
    const tags = { ...(spec.tags ?? {}) };
    for (const [i, t] of list.entries()) {
        const o = vc.object(t, `tags[${i}]`);
        const key = vc.requiredString(o, "key", `tags[${i}].key`, TAG_KEY);
        const value = vc.optionalString(o, "value", `tags[${i}].value`, TAG_VALUE) ?? "";
        if (remove) delete tags[key];
        else tags[key] = value;
    }
    if (!remove && Object.keys(tags).length > 20) vc.fail("a notebook has at most 20 tags");
    spec.tags = tags;
}
