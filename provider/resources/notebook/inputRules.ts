/**
 * The rules of single Notebook inputs and their wire forms, each failure naming its field: name,
 * volume, SSH access, storages, auto-stop, and the create-only settings of a dedicated pool or the
 * container (run user, user VPC, custom spec, affinity, hooks), from the SDK's NotebookCreateRequest models.
 */
import { z } from "zod";
import { compact } from "../common";
import { snakeKeys } from "../wire";

/** Name: the SDK's rule (up to 128 letters, digits, "-" and "_"). */
export const NAME = /^[-_A-Za-z0-9]{1,128}$/;
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Workspace: "0" (the default) or 32 lowercase letters and digits (SDK workspace_id). */
export const WORKSPACE = /^(0|[0-9a-z]{32})$/;
/** Auto-stop bounds, seconds (LeaseReq / StartNotebook duration: 3,600,000..259,200,000 ms). */
export const AUTO_STOP_MIN = 3600;
export const AUTO_STOP_MAX = 259200;
/** The API's "no auto-stop" duration (Terraform creates and starts with it; outside the documented range). */
export const NO_AUTO_STOP = -1;

export const required = (field: string, what: string, mustBe: string) => ({
    error: (issue: { input: unknown }) => (issue.input === undefined ? `${field} is required: ${what}` : `${field} must be ${mustBe}`),
});

/** The notebook's own storage (VolumeMountRequest / VolumeRes). */
export interface NotebookVolume {
    /** EVS (cloud disk, the default), EFS (SFS Turbo), OBS or OBSFS (parallel file system). */
    category: "EVS" | "EFS" | "OBS" | "OBSFS";
    /** MANAGED (the service's, default) or DEDICATED (yours; EFS only). */
    ownership?: "MANAGED" | "DEDICATED";
    /** GB, EVS only (5..4096, the API's default 5). Grows in place; it cannot shrink. */
    capacity?: number;
    /** DEDICATED EFS: the share path, e.g. `...sfsturbo.internal:/`. */
    uri?: string;
    /** DEDICATED EFS: the SFS Turbo file system's ID. */
    id?: string;
}

/** Remote SSH access (the API's `endpoints[{service: "SSH", key_pair_names, allowed_access_ips}]`). */
export interface NotebookSsh {
    /** Key pair (ECS console, "Key Pairs"). Changing it replaces the notebook. */
    keyPairName: string;
    /** Addresses or CIDRs allowed to connect; all when left out. Changed in place (the notebook is stopped for it). */
    allowedAccessIps?: string[];
}

/** Auto-stop of the notebook (the API's lease). */
export interface NotebookAutoStopSetting {
    /** false: the notebook never stops by itself (created and started with duration -1). */
    enabled: boolean;
    /** Seconds of running time before it stops, 3600..259200 (1 h to 72 h); required when enabled. */
    duration?: number;
    /** TIMING (stop after `duration`, default) or IDLE (stop after `duration` without activity). */
    type?: "TIMING" | "IDLE";
}

export const volumeSchema = z
    .strictObject(
        {
            category: z.enum(["EVS", "EFS", "OBS", "OBSFS"], { error: "volume.category must be EVS, EFS, OBS or OBSFS" }),
            ownership: z.enum(["MANAGED", "DEDICATED"], { error: "volume.ownership must be MANAGED or DEDICATED" }).optional(),
            capacity: z.number({ error: "volume.capacity must be a number of GB" }).int("volume.capacity must be a whole number of GB").min(5, "volume.capacity must be at least 5 GB").max(4096, "volume.capacity must be at most 4096 GB").optional(),
            uri: z.string({ error: "volume.uri must be a string" }).min(1, "volume.uri must not be empty").max(1024, "volume.uri must be at most 1024 characters").optional(),
            id: z.string({ error: "volume.id must be a string" }).regex(UUID, "volume.id must be the SFS Turbo file system's UUID").optional(),
        },
        { error: "volume must be an object { category, ownership?, capacity?, uri?, id? }" },
    )
    .superRefine((v, ctx) => {
        const dedicated = v.ownership === "DEDICATED";
        if (dedicated && v.category !== "EFS") ctx.addIssue({ code: "custom", path: ["ownership"], message: "volume.ownership DEDICATED is only supported with category EFS (the API's VolumeMountRequest)" });
        if (v.capacity !== undefined && v.category !== "EVS") ctx.addIssue({ code: "custom", path: ["capacity"], message: "volume.capacity applies to category EVS only" });
        if (dedicated && v.category === "EFS") {
            if (v.uri === undefined) ctx.addIssue({ code: "custom", path: ["uri"], message: "volume.uri is required for a DEDICATED EFS volume: the SFS Turbo share path" });
            if (v.id === undefined) ctx.addIssue({ code: "custom", path: ["id"], message: "volume.id is required for a DEDICATED EFS volume: the SFS Turbo file system's ID" });
        } else if (v.uri !== undefined || v.id !== undefined) {
            ctx.addIssue({ code: "custom", path: [v.uri !== undefined ? "uri" : "id"], message: "volume.uri and volume.id are only for a DEDICATED EFS volume" });
        }
    });

export const IP_OR_CIDR = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$|^[0-9a-fA-F:]+(\/\d{1,3})?$/;
export const sshSchema = z.strictObject(
    {
        keyPairName: z.string(required("ssh.keyPairName", "the SSH key pair's name", "a string")).regex(/^[-_.a-zA-Z0-9]{1,64}$/, 'ssh.keyPairName must be 1 to 64 letters, digits, "-", "_" or "."'),
        allowedAccessIps: z
            .array(z.string({ error: "ssh.allowedAccessIps must hold addresses" }).regex(IP_OR_CIDR, "ssh.allowedAccessIps entries must be IP addresses or CIDRs such as 203.0.113.7 or 203.0.113.0/24"), {
                error: "ssh.allowedAccessIps must be a list of IP addresses or CIDRs",
            })
            .optional(),
    },
    { error: "ssh must be an object { keyPairName, allowedAccessIps? }" },
);

/** Storage mounted into the running notebook (AttachDynamicStorage's DataVolumesReq). */
export interface NotebookStorageMount {
    /** OBS, OBSFS (parallel file system) or EFS (SFS Turbo). */
    category: "OBS" | "OBSFS" | "EFS";
    /** `obs://bucket/dir/` (OBS, OBSFS) or the SFS Turbo share path (EFS). */
    uri: string;
    /** Where it appears in the notebook: a directory under /data/, e.g. `/data/datasets/`. */
    mountPath: string;
    /** EFS: the SFS Turbo file system's ID. */
    efsId?: string;
}

export const storageSchema = z
    .strictObject(
        {
            category: z.enum(["OBS", "OBSFS", "EFS"], { error: "storages[].category must be OBS, OBSFS or EFS" }),
            uri: z.string(required("storages[].uri", "the storage path, e.g. obs://bucket/dir/", "a string")).min(1, "storages[].uri must not be empty").max(256, "storages[].uri must be at most 256 characters"),
            mountPath: z.string(required("storages[].mountPath", "a directory under /data/, e.g. /data/datasets/", "a string")).regex(/^\/data\/[a-zA-Z0-9_-]+\/$/, "storages[].mountPath must be a directory under /data/ such as /data/datasets/ (letters, digits, - and _, ending with /)"),
            efsId: z.string({ error: "storages[].efsId must be a string" }).regex(UUID, "storages[].efsId must be the SFS Turbo file system's UUID").optional(),
        },
        { error: "storages entries must be objects { category, uri, mountPath, efsId? }" },
    )
    .superRefine((m, ctx) => {
        if (m.category === "EFS" && m.efsId === undefined) ctx.addIssue({ code: "custom", path: ["efsId"], message: "storages[].efsId is required for category EFS" });
        if (m.category !== "EFS" && m.efsId !== undefined) ctx.addIssue({ code: "custom", path: ["efsId"], message: "storages[].efsId applies to category EFS only" });
        if (m.category !== "EFS" && !m.uri.startsWith("obs://")) ctx.addIssue({ code: "custom", path: ["uri"], message: "storages[].uri must be an OBS path such as obs://bucket/dir/ for category OBS or OBSFS" });
    });

export const autoStopSchema = z
    .strictObject(
        {
            enabled: z.boolean(required("autoStop.enabled", "true or false", "true or false")),
            duration: z
                .number({ error: "autoStop.duration must be a number of seconds" })
                .int("autoStop.duration must be a whole number of seconds")
                .min(AUTO_STOP_MIN, `autoStop.duration must be at least ${AUTO_STOP_MIN} seconds (1 hour)`)
                .max(AUTO_STOP_MAX, `autoStop.duration must be at most ${AUTO_STOP_MAX} seconds (72 hours)`)
                .optional(),
            type: z.enum(["TIMING", "IDLE"], { error: "autoStop.type must be TIMING or IDLE" }).optional(),
        },
        { error: "autoStop must be an object { enabled, duration?, type? }" },
    )
    .superRefine((a, ctx) => {
        if (a.enabled && a.duration === undefined) ctx.addIssue({ code: "custom", path: ["duration"], message: "autoStop.duration is required when autoStop.enabled is true (seconds, 3600..259200)" });
        if (!a.enabled && (a.duration !== undefined || a.type !== undefined)) ctx.addIssue({ code: "custom", path: ["enabled"], message: "autoStop.duration and autoStop.type apply only when autoStop.enabled is true" });
    });

// ---- create-only settings of a dedicated pool / the container (SDK NotebookCreateRequest) ---------

/** The container's user (RunUserRequest). */
export interface NotebookRunUser {
    /** User ID the container runs as. */
    uid: number;
    /** Group ID the container runs as. */
    gid?: number;
}

/** A network interface in your own VPC (UserVpcRequest). */
export interface NotebookUserVpc {
    /** VPC ID. */
    vpcId: string;
    /** Subnet ID in that VPC. */
    subnetId: string;
    /** Security group IDs of the interface. */
    securityGroupIds?: string[];
    /** Other CIDRs the notebook reaches through the interface. */
    connectCidrs?: string[];
}

/** A custom size on a dedicated pool instead of a catalog flavor (NotebookCustomSpec). */
export interface NotebookCustomSpec {
    /** CPU or GPU. */
    category: "CPU" | "GPU";
    /** X86_64 or AARCH64. */
    arch: "X86_64" | "AARCH64";
    /** CPU cores, at least 0.4, up to 2 decimals. */
    cpu: number;
    /** Memory, a whole number of at least 513 (MB). */
    memory: number;
    /** GPU cards; category GPU only (required there). */
    gpu?: number;
    /** GPU card type; category GPU only (required there). */
    gpuType?: string;
    /** The pool's node flavor to place the notebook on. */
    resourceFlavor?: string;
}

/** One node-affinity rule (AffinityRule). */
export interface NotebookAffinityRule {
    /** Node label key. */
    key: string;
    /** In, NotIn, Exists, DoesNotExist, Gt or Lt. */
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
    /** Label values the operator compares with. */
    values: string[];
    /** 0..100; preferred rules only. */
    weight?: number;
}

/** Node affinity on a dedicated pool (AffinityType). */
export interface NotebookAffinity {
    /** Rules a node must meet (the API's required_during_scheduling_ignored_during_execution). */
    required?: NotebookAffinityRule[];
    /** Rules a node should meet, by weight (preferred_during_scheduling_ignored_during_execution). */
    preferred?: NotebookAffinityRule[];
}

export const ID = /^[-_.a-zA-Z0-9]{1,64}$/;
export const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
/** Kubernetes label key (optional DNS prefix and "/", then up to 63 characters) and value (up to 63, may be empty). */
export const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export const runUserSchema = z.strictObject(
    {
        uid: z.number(required("runUser.uid", "the user ID the container runs as, e.g. 1000", "a number")).int("runUser.uid must be a whole number").min(0, "runUser.uid must be 0 or more"),
        gid: z.number({ error: "runUser.gid must be a number" }).int("runUser.gid must be a whole number").min(0, "runUser.gid must be 0 or more").optional(),
    },
    { error: "runUser must be an object { uid, gid? }" },
);

export const userVpcSchema = z.strictObject(
    {
        vpcId: z.string(required("userVpc.vpcId", "the VPC's ID", "a string")).regex(ID, "userVpc.vpcId must be the VPC's ID (letters, digits, - _ .)"),
        subnetId: z.string(required("userVpc.subnetId", "the subnet's ID in that VPC", "a string")).regex(ID, "userVpc.subnetId must be the subnet's ID (letters, digits, - _ .)"),
        securityGroupIds: z
            .array(z.string({ error: "userVpc.securityGroupIds must hold IDs" }).regex(ID, "userVpc.securityGroupIds entries must be security group IDs"), { error: "userVpc.securityGroupIds must be a list of security group IDs" })
            .optional(),
        connectCidrs: z
            .array(z.string({ error: "userVpc.connectCidrs must hold CIDRs" }).regex(CIDR, "userVpc.connectCidrs entries must be CIDRs such as 10.0.0.0/16"), { error: "userVpc.connectCidrs must be a list of CIDRs" })
            .optional(),
    },
    { error: "userVpc must be an object { vpcId, subnetId, securityGroupIds?, connectCidrs? }" },
);

export const customSpecSchema = z
    .strictObject(
        {
            category: z.enum(["CPU", "GPU"], { error: "customSpec.category must be CPU or GPU" }),
            arch: z.enum(["X86_64", "AARCH64"], { error: "customSpec.arch must be X86_64 or AARCH64" }),
            cpu: z
                .number(required("customSpec.cpu", "CPU cores, e.g. 4", "a number"))
                .min(0.4, "customSpec.cpu must be at least 0.4 cores")
                .refine((n) => Math.round(n * 100) === n * 100 && n < 1e10, "customSpec.cpu must have at most 2 decimals and 10 integer digits"),
            memory: z.number(required("customSpec.memory", "memory in MB, e.g. 8192", "a number")).int("customSpec.memory must be a whole number (MB)").min(513, "customSpec.memory must be at least 513 (MB)").max(9999999999, "customSpec.memory must have at most 10 digits"),
            gpu: z.number({ error: "customSpec.gpu must be a number of GPU cards" }).positive("customSpec.gpu must be more than 0").optional(),
            gpuType: z.string({ error: "customSpec.gpuType must be a string" }).min(1, "customSpec.gpuType must not be empty").max(64, "customSpec.gpuType must be at most 64 characters").optional(),
            resourceFlavor: z.string({ error: "customSpec.resourceFlavor must be a string" }).min(1, "customSpec.resourceFlavor must not be empty").max(128, "customSpec.resourceFlavor must be at most 128 characters").optional(),
        },
        { error: "customSpec must be an object { category, arch, cpu, memory, gpu?, gpuType?, resourceFlavor? }" },
    )
    .superRefine((c, ctx) => {
        for (const key of ["gpu", "gpuType"] as const) {
            if (c.category === "GPU" && c[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: `customSpec.${key} is required when customSpec.category is GPU` });
            if (c.category === "CPU" && c[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `customSpec.${key} applies to category GPU only: remove it, or set category GPU` });
        }
    });

export const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] as const;
export const affinityRules = (kind: "required" | "preferred") =>
    z
        .array(
            z
                .strictObject(
                    {
                        key: z.string(required(`affinity.${kind}[].key`, "a node label key, e.g. os.modelarts.node/pool", "a string")).regex(LABEL_KEY, `affinity.${kind}[].key must be a node label key (an optional DNS prefix and "/", then up to 63 letters, digits, - _ .)`),
                        operator: z.enum(OPERATORS, { error: `affinity.${kind}[].operator must be one of ${OPERATORS.join(", ")}` }),
                        values: z.array(z.string({ error: `affinity.${kind}[].values must hold strings` }).regex(LABEL_VALUE, `affinity.${kind}[].values entries must be label values (up to 63 letters, digits, - _ ., starting and ending with a letter or digit)`), {
                            error: `affinity.${kind}[].values is required: a list of label values (empty for Exists / DoesNotExist)`,
                        }),
                        weight: z.number({ error: `affinity.${kind}[].weight must be a number` }).int(`affinity.${kind}[].weight must be a whole number`).min(0, `affinity.${kind}[].weight must be 0..100`).max(100, `affinity.${kind}[].weight must be 0..100`).optional(),
                    },
                    { error: `affinity.${kind} entries must be objects { key, operator, values${kind === "preferred" ? ", weight?" : ""} }` },
                )
                .superRefine((r, ctx) => {
                    if (kind === "required" && r.weight !== undefined) ctx.addIssue({ code: "custom", path: ["weight"], message: "affinity.required[].weight is not allowed: a required rule has no weight (move the rule to affinity.preferred)" });
                }),
            { error: `affinity.${kind} must be a list of rules { key, operator, values }` },
        )
        .optional();

export const affinitySchema = z
    .strictObject({ required: affinityRules("required"), preferred: affinityRules("preferred") }, { error: "affinity must be an object { required?, preferred? }" })
    .refine((a) => (a.required?.length ?? 0) + (a.preferred?.length ?? 0) > 0, "affinity must have at least one rule in required or preferred");

/** A container hook's script (Config): a base64 command or the path of a script in the image. */
export interface NotebookHookScript {
    /** SCRIPT: the absolute path of a script in the image; COMMAND: the commands, base64-encoded. */
    script: string;
    /** SCRIPT (the API's default) or COMMAND. */
    type?: "SCRIPT" | "COMMAND";
    /** ASYNC (the API's default) or BLOCK (the container waits for it). */
    mode?: "ASYNC" | "BLOCK";
}

/** Scripts run around the container's start (CustomHooks.container_hooks). */
export interface NotebookHooks {
    /** Run before the container starts. */
    preStart?: NotebookHookScript;
    /** Run after the container starts. */
    postStart?: NotebookHookScript;
}

export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const hookScript = (at: "preStart" | "postStart") =>
    z
        .strictObject(
            {
                script: z.string(required(`hooks.${at}.script`, "a script path such as /home/ma-user/init.sh, or base64 commands with type COMMAND", "a string")).min(1, `hooks.${at}.script must not be empty`),
                type: z.enum(["SCRIPT", "COMMAND"], { error: `hooks.${at}.type must be SCRIPT or COMMAND` }).optional(),
                mode: z.enum(["ASYNC", "BLOCK"], { error: `hooks.${at}.mode must be ASYNC or BLOCK` }).optional(),
            },
            { error: `hooks.${at} must be an object { script, type?, mode? }` },
        )
        .superRefine((h, ctx) => {
            // Messages never quote the script: it is secret.
            if ((h.type ?? "SCRIPT") === "SCRIPT" && !h.script.startsWith("/")) ctx.addIssue({ code: "custom", path: ["script"], message: `hooks.${at}.script must be an absolute path for type SCRIPT (the default); for commands, base64-encode them and set type COMMAND` });
            if (h.type === "COMMAND" && !BASE64.test(h.script)) ctx.addIssue({ code: "custom", path: ["script"], message: `hooks.${at}.script must be base64 for type COMMAND (e.g. Buffer.from(commands).toString("base64"))` });
        })
        .optional();

export const hooksSchema = z
    .strictObject({ preStart: hookScript("preStart"), postStart: hookScript("postStart") }, { error: "hooks must be an object { preStart?, postStart? }" })
    .refine((h) => h.preStart !== undefined || h.postStart !== undefined, "hooks must declare preStart or postStart");

export const REQUIRED_AFFINITY = "required_during_scheduling_ignored_during_execution";
export const PREFERRED_AFFINITY = "preferred_during_scheduling_ignored_during_execution";
export const affinityOnWire = (a: NotebookAffinity) => compact({ [REQUIRED_AFFINITY]: a.required && snakeKeys(a.required), [PREFERRED_AFFINITY]: a.preferred && snakeKeys(a.preferred) });

export function affinityFromWire(v: unknown): NotebookAffinity | undefined {
    if (!v || typeof v !== "object") return undefined;
    const r = v as Record<string, unknown>;
    const rules = (l: unknown) => (Array.isArray(l) && l.length > 0 ? (l as NotebookAffinityRule[]).map((x) => compact({ key: x.key, operator: x.operator, values: x.values, weight: x.weight ?? undefined })) : undefined);
    const out = compact({ required: rules(r[REQUIRED_AFFINITY]), preferred: rules(r[PREFERRED_AFFINITY]) });
    return Object.keys(out).length ? (out as NotebookAffinity) : undefined;
}

export function runUserFromWire(v: unknown): Partial<NotebookRunUser> | undefined {
    if (!v || typeof v !== "object") return undefined;
    const r = v as Record<string, unknown>;
    return typeof r.uid === "number" ? compact({ uid: r.uid, gid: typeof r.gid === "number" ? r.gid : undefined }) : undefined;
}

/** The reported VPC as declared; `connect_cidrs` is a string in UserVpcResponse (a list when sent), in an unstated form, so it is not read back. */
export function userVpcFromWire(v: unknown): Partial<NotebookUserVpc> | undefined {
    if (!v || typeof v !== "object") return undefined;
    const r = v as Record<string, unknown>;
    return typeof r.vpc_id === "string" ? compact({ vpcId: r.vpc_id, subnetId: r.subnet_id as string | undefined, securityGroupIds: Array.isArray(r.security_group_ids) ? (r.security_group_ids as string[]) : undefined }) : undefined;
}

export function customSpecFromWire(v: unknown): Partial<NotebookCustomSpec> | undefined {
    if (!v || typeof v !== "object") return undefined;
    const r = v as Record<string, unknown>;
    const out = compact({ category: r.category, arch: r.arch, cpu: r.cpu, memory: r.memory, gpu: r.gpu, gpuType: r.gpu_type, resourceFlavor: r.resource_flavor }) as Partial<NotebookCustomSpec>;
    return Object.keys(out).length ? out : undefined;
}

// ---- where the API carries each input (see ../wire.ts) ------------------------------------------

/** The lease in ms, or -1 (off). The create body carries it twice (top-level `duration` and `lease`): see `autoStopOnWire`. */
export function leaseDurationMs(a: NotebookAutoStopSetting): number {
    return a.enabled && a.duration !== undefined ? a.duration * 1000 : NO_AUTO_STOP;
}

/**
 * CreateNotebook has both a top-level `duration` (ms; Terraform sends -1 there for "no auto-stop")
 * and `lease {duration, type}` (SDK LeaseReq); which one the service reads when both are given is
 * unconfirmed, so both are sent, equal (docs/EMULATOR-VS-REAL-API.md, "notebook auto-stop at create").
 */
export function autoStopOnWire(a: NotebookAutoStopSetting, path: string): unknown {
    const duration = leaseDurationMs(a);
    return path === "duration" ? duration : compact({ duration, type: a.enabled ? (a.type ?? "TIMING") : undefined });
}

/** The lease a notebook reports, as the declaration states it (duration only while it counts from the run's start). */
export function autoStopFromWire(lease: unknown): NotebookAutoStopSetting | undefined {
    if (!lease || typeof lease !== "object") return undefined;
    const l = lease as { enable?: boolean; duration?: number; type?: string };
    if (l.enable === undefined) return undefined;
    if (!l.enable) return { enabled: false };
    const type: "TIMING" | "IDLE" = String(l.type ?? "TIMING").toUpperCase() === "IDLE" ? "IDLE" : "TIMING";
    return compact({ enabled: true, duration: typeof l.duration === "number" && l.duration > 0 ? Math.round(l.duration / 1000) : undefined, type });
}

/** TMS tag rules (PY SDK tms_tag.py). */
export const TAG_KEY = /^(?!_sys_)(?! )[\p{L}\p{N} _.:=+\-@]{1,128}(?<! )$/u;
export const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]{0,255}$/u;

export function tagsFromWire(tags: unknown): Record<string, string> | undefined {
    if (!Array.isArray(tags)) return undefined;
    return Object.fromEntries(tags.filter((t) => t && typeof t.key === "string").map((t) => [t.key, String(t.value ?? "")]));
}

export const sshOnWire = (s: NotebookSsh) => [compact({ service: "SSH", key_pair_names: [s.keyPairName], allowed_access_ips: s.allowedAccessIps })];

export function sshFromWire(endpoints: unknown): NotebookSsh | undefined {
    if (!Array.isArray(endpoints)) return undefined;
    const e = endpoints.find((x) => x && (x.service === "SSH" || x.dev_service === "SSH")) as { key_pair_names?: string[]; allowed_access_ips?: string[] } | undefined;
    const key = e?.key_pair_names?.[0];
    return key === undefined ? undefined : compact({ keyPairName: key, allowedAccessIps: e?.allowed_access_ips ?? undefined });
}

/** The volume as declared: the API's VolumeRes also carries mount_path / status, which are outputs. */
export function volumeFromWire(v: unknown): Partial<NotebookVolume> | undefined {
    if (!v || typeof v !== "object") return undefined;
    const r = v as Record<string, unknown>;
    return compact({ category: r.category, ownership: r.ownership, capacity: r.capacity, uri: r.uri, id: r.id }) as Partial<NotebookVolume>;
}
