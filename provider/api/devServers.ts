/**
 * DevServer API (`/v1/{project_id}/dev-servers`): zod schemas of the bodies documented in the
 * ModelArts API reference, and typed calls.
 *
 * Response schemas are loose: unknown fields are KEPT (the cloud adds fields over time), optional
 * fields accept null, and `status` accepts any string (see DEV_SERVER_STATUSES for the known ones),
 * so a new status or field never breaks `pulumi refresh`.
 */
import { z } from "zod";
import { encodePath, ModelArtsClient } from "../client";
import { isNotFound, undefinedIfNotFound, WaitFailedError } from "../errors";
import { registerSecret } from "../log";
import { waitFor, PollSchedule } from "../wait";
import type { Clock } from "../clock";
import { checkRequest, parseResponse } from "./parse";

/** Every DevServer status in the API reference. */
export const DEV_SERVER_STATUSES = [
    "CREATING",
    "CREATE_FAILED",
    "RUNNING",
    "STARTING",
    "START_FAILED",
    "STOPPING",
    "STOPPED",
    "STOP_FAILED",
    "DELETING",
    "DELETED",
    "DELETE_FAILED",
    "REBOOTING",
    "REBOOT_FAILED",
    "CHANGINGOS",
    "CHANGINGOS_FAILED",
    "REINSTALLINGOS",
    "REINSTALLINGOS_FAILED",
    "ERROR",
] as const;

export type KnownDevServerStatus = (typeof DEV_SERVER_STATUSES)[number];
/** A known status, or any other string the cloud may add later. */
export type DevServerStatus = KnownDevServerStatus | (string & {});

/** Status groups for waiters: settled, in progress, failed, gone (the API reference's status list). */
export const DEV_SERVER_SETTLED: readonly KnownDevServerStatus[] = ["RUNNING", "STOPPED"];
export const DEV_SERVER_IN_PROGRESS: readonly KnownDevServerStatus[] = [
    "CREATING",
    "STARTING",
    "STOPPING",
    "DELETING",
    "REBOOTING",
    "CHANGINGOS",
    "REINSTALLINGOS",
];
export const DEV_SERVER_FAILED: readonly KnownDevServerStatus[] = [
    "CREATE_FAILED",
    "START_FAILED",
    "STOP_FAILED",
    "DELETE_FAILED",
    "REBOOT_FAILED",
    "CHANGINGOS_FAILED",
    "REINSTALLINGOS_FAILED",
    "ERROR",
];
export const DEV_SERVER_GONE: readonly KnownDevServerStatus[] = ["DELETED"];

/**
 * The DevServer API's own "no such server" answer: HTTP 400 with ModelArts.6404 (Terraform's
 * modelarts_devserver read and delete treat exactly this code as gone). Nothing else is.
 */
export const DEV_SERVER_NOT_FOUND_CODES: readonly string[] = ["ModelArts.6404"];

// ---- request bodies -------------------------------------------------------------------------
// Bounds are the SDK's (huaweicloud-sdk-python-v3 huaweicloudsdkmodelarts/v1/model/
// server_create_request.py, evs_volume.py, server_data_volume.py, charging_info.py,
// server_network.py, allowed_address_pairs.py, server_os_request.py): a request the API would refuse
// is refused here, before it is sent, naming the field.

/** EVS disk types (EvsVolume / ServerDataVolume `type`). */
export const DEV_SERVER_VOLUME_TYPES = ["ESSD", "GPSSD", "SAS", "SATA", "SSD"] as const;
/** `server_type` of ServerCreateRequest. */
export const DEV_SERVER_TYPES = ["BMS", "ECS", "HPS"] as const;

const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const ChargingInfoSchema = z.looseObject({
    /** COMMON | POST_PAID | PRE_PAID */
    charging_mode: z.string(),
    /** ABSOLUTE | DAY | HOUR | MONTH | WEEK | YEAR */
    period_type: z.string(),
    /** 1..11 (ChargingInfo.period_num). */
    period_num: z.number().int().min(1).max(11),
    is_auto_pay: z.boolean().optional(),
    is_auto_renew: z.boolean().optional(),
});

/** `network.allowed_address_pairs[]` (AllowedAddressPairs); 0.0.0.0/0 is not supported. */
export const AllowedAddressPairSchema = z.looseObject({
    ip_address: z
        .string()
        .min(1)
        .refine((ip) => ip.trim() !== "0.0.0.0/0", { message: "must not be 0.0.0.0/0 (not supported by the API)" }),
    mac_address: z.string().min(1).optional(),
});

export const ServerNetworkSchema = z.looseObject({
    vpc_id: z.string().min(1),
    subnet_id: z.string().min(1),
    security_group_id: z.string().min(1),
    ipv6_enable: z.boolean().optional(),
    roce_id: z.string().optional(),
    allowed_address_pairs: z.array(AllowedAddressPairSchema).optional(),
});

/** `root_volume` (EvsVolume): 100..1024 GB. */
export const EvsVolumeSchema = z.looseObject({
    size: z.number().int().min(100).max(1024).optional(),
    /** ESSD | GPSSD | SAS | SATA | SSD */
    type: z.enum(DEV_SERVER_VOLUME_TYPES).optional(),
});

/** `data_volume` (ServerDataVolume): ONE object, `count` disks of `size` GB each. */
export const DataVolumeSchema = z.looseObject({
    size: z.number().int().min(100).max(32768),
    type: z.enum(DEV_SERVER_VOLUME_TYPES).optional(),
    count: z.number().int().min(1).max(8).optional(),
});

type Ctx = z.core.$RefinementCtx;
const problem = (ctx: Ctx, path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message, input: undefined });

/** Exactly one of admin_pass / key_pair_name; HPS servers take a key pair only. */
function checkLogin(body: { admin_pass?: unknown; key_pair_name?: unknown }, hps: boolean, ctx: Ctx): void {
    const hasPass = body.admin_pass !== undefined;
    const hasKey = body.key_pair_name !== undefined;
    if (hps && hasPass) problem(ctx, "admin_pass", "is not supported for server_type HPS: use key_pair_name");
    else if (hasPass && hasKey) problem(ctx, "admin_pass", "conflicts with key_pair_name: give exactly one");
    else if (!hasPass && !hasKey) problem(ctx, "key_pair_name", "is required (or admin_pass): give exactly one");
}

/** POST /v1/{project_id}/dev-servers */
export const CreateDevServerRequestSchema = z
    .looseObject({
        name: z.string().regex(/^[-_.a-zA-Z0-9]{1,64}$/),
        /** Deprecated in favour of `resource_flavor`; exactly one of the two. */
        flavor: z.string().min(1).max(128).optional(),
        resource_flavor: z.string().min(1).max(256).optional(),
        image_id: z.string().min(1),
        network: ServerNetworkSchema,
        admin_pass: z.string().optional(),
        key_pair_name: z.string().min(1).max(64).optional(),
        /** ARM | X86 */
        arch: z.enum(["ARM", "X86"]).optional(),
        availability_zone: z.string().min(1).max(256).optional(),
        charging_info: ChargingInfoSchema.optional(),
        /** 1..10, not for HPS. */
        count: z.number().int().min(1).max(10).optional(),
        enterprise_project_id: z.string().min(1).max(36).optional(),
        root_volume: EvsVolumeSchema.optional(),
        data_volume: DataVolumeSchema.optional(),
        /** BMS | ECS | HPS */
        server_type: z.enum(DEV_SERVER_TYPES).optional(),
        /** The HPS cluster (UUID); only with server_type HPS, and then required. */
        hps_cluster_id: z.string().regex(UUID_PATTERN).optional(),
        /**
         * Base64 user data. The SDKs' ServerCreateRequest says `user_data`; Terraform, the reference
         * page (and the SDK's own HPS scale-up model) say `userdata`. Unconfirmed which the create
         * reads, so the provider sends both, equal (docs/EMULATOR-VS-REAL-API.md, "user data key").
         */
        userdata: z.string().optional(),
        user_data: z.string().optional(),
    })
    .superRefine((b, ctx) => {
        if ((b.flavor === undefined) === (b.resource_flavor === undefined)) {
            problem(ctx, "resource_flavor", "exactly one of resource_flavor and flavor (deprecated) is required");
        }
        const hps = b.server_type === "HPS";
        if (hps && b.hps_cluster_id === undefined) problem(ctx, "hps_cluster_id", "is required for server_type HPS");
        if (!hps && b.hps_cluster_id !== undefined) problem(ctx, "hps_cluster_id", "is only valid with server_type HPS");
        if (hps && b.count !== undefined) problem(ctx, "count", "is not supported for server_type HPS");
        if (b.userdata !== undefined && b.user_data !== undefined && b.userdata !== b.user_data) {
            problem(ctx, "user_data", "differs from userdata: both carry the same user data");
        }
        checkLogin(b, hps, ctx);
    });
export type CreateDevServerRequest = z.input<typeof CreateDevServerRequestSchema>;

/**
 * POST .../{id}/changeos and .../{id}/reinstallos (ServerOsRequest): exactly one of admin_pass /
 * key_pair_name, `image_id` required for changeos only, optional base64 `user_data`.
 */
const serverOsFields = {
    admin_pass: z.string().optional(),
    key_pair_name: z.string().min(1).max(64).optional(),
    user_data: z.string().optional(),
};
export const ChangeDevServerOsRequestSchema = z
    .looseObject({ image_id: z.string().min(1), ...serverOsFields })
    .superRefine((b, ctx) => checkLogin(b, false, ctx));
export const ReinstallDevServerOsRequestSchema = z
    .looseObject({ image_id: z.string().min(1).optional(), ...serverOsFields })
    .superRefine((b, ctx) => checkLogin(b, false, ctx));
export type ChangeDevServerOsRequest = z.input<typeof ChangeDevServerOsRequestSchema>;
export type ReinstallDevServerOsRequest = z.input<typeof ReinstallDevServerOsRequestSchema>;

/** POST .../{id}/attachvolume (AttachServerVolumeRequest). */
export const AttachDevServerVolumeRequestSchema = z.looseObject({ volume_id: z.string().min(1).max(64) });
/** POST .../{id}/publicips (ServerBindPublicIPRequest): the EIP's ID, 1..64 characters. */
export const BindDevServerPublicIpRequestSchema = z.looseObject({ public_ip_id: z.string().min(1).max(64) });

/** PUT /v1/{project_id}/dev-servers/{id} */
export const RenameDevServerRequestSchema = z.looseObject({ name: z.string().min(1) });

// ---- response bodies ------------------------------------------------------------------------

/** Optional in the body; `null` from the cloud is read as absent, so callers see `T | undefined`. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const str = () => opt(z.string());
const num = () => opt(z.number());
const strArray = () => opt(z.array(z.string()));

export const CloudServerSchema = z.looseObject({
    id: str(),
    /** BMS | ECS | HPS */
    type: str(),
    hps_id: str(),
    hps_ecs_id: str(),
});

/** `endpoints_response` items (Endpoints). */
export const EndpointsSchema = z.looseObject({
    allowed_access_ips: strArray(),
    /** NOTEBOOK | SSH | AI_FLOW | MA_STUDIO | TENSOR_BOARD | WEB_IDE */
    dev_service: str(),
    extensions: opt(z.record(z.string(), z.string().nullable())),
    ssh_keys: strArray(),
});

/** `endpoints` items (EndpointsRes, PY SDK endpoints_res.py: exactly these four fields). */
export const EndpointsResSchema = z.looseObject({
    dev_service: str(),
    service: str(),
    uri: str(),
    key_pair_names: strArray(),
});

export const ServerImageResponseSchema = z.looseObject({
    /** ARM | X86 */
    arch: str(),
    image_id: str(),
    name: str(),
    /** BMS | ECS | HPS */
    server_type: str(),
    /** ACTIVE | INACTIVE */
    status: str(),
});

export const ServerHpsInfoSchema = z.looseObject({
    id: str(),
    name: str(),
});

/** `volumes[]` (ServerVolume): the ROOT disk and the DATA disks attached to the server. */
export const ServerVolumeSchema = z.looseObject({
    size: num(),
    /** ROOT | DATA */
    type: str(),
    /** ESSD | GPSSD | SAS | SATA | SSD */
    evs_type: str(),
    evs_id: str(),
});

/** An EIP of the server (ServerPublicIp). */
export const ServerPublicIpSchema = z.looseObject({
    id: str(),
    address: str(),
});

/** The DevServer body returned by create, get, list, stop, start, rename and delete. */
export const DevServerSchema = z.looseObject({
    /** Absent from the answer to a PRE_PAID create, which carries only the `order_id`. */
    id: str(),
    name: str(),
    status: str() as z.ZodType<DevServerStatus | undefined, unknown>,
    create_at: num(),
    update_at: num(),
    /** COMMON | POST_PAID | PRE_PAID */
    charging_mode: str(),
    cloud_server: opt(CloudServerSchema),
    endpoints_response: opt(z.array(EndpointsSchema)),
    endpoints: opt(z.array(EndpointsResSchema)),
    flavor: str(),
    /** Not in the SDK's ShowDevServerResponse; kept when a service version sends it. */
    resource_flavor: str(),
    key_pair_name: str(),
    order_id: str(),
    volumes: opt(z.array(ServerVolumeSchema)),
    server_image_response: opt(ServerImageResponseSchema),
    image: opt(ServerImageResponseSchema),
    vpc_id: str(),
    subnet_id: str(),
    /** HPS | SPOD | SERVER */
    category: str(),
    server_hps: opt(ServerHpsInfoSchema),
});
export type DevServer = z.output<typeof DevServerSchema>;

/** GET /v1/{project_id}/dev-servers?limit=&offset= */
export const DevServerListSchema = z.looseObject({
    data: opt(z.array(DevServerSchema)),
    total: opt(z.number().int()),
});
export type DevServerList = z.output<typeof DevServerListSchema>;

/** Operation statuses (AttachDevServerVolumeResponse.operation_status). */
export const DEV_SERVER_OPERATION_STATUSES = ["pending", "running", "success", "failed"] as const;

/**
 * The answer of attachvolume / detachvolume and GET .../operation/{operation_id}
 * (attach_dev_server_volume_response.py, detach_dev_server_volume_response.py,
 * get_dev_server_operation_response.py, server_operation_error.py).
 */
export const DevServerOperationSchema = z.looseObject({
    operation_id: str(),
    /** pending | running | success | failed (any other string is kept). */
    operation_status: str(),
    /** e.g. node_attach_volume */
    operation_type: str(),
    operation_error: opt(z.looseObject({ code: str(), message: str() })),
});
export type DevServerOperation = z.output<typeof DevServerOperationSchema>;

/** The answer of POST / GET .../publicips (BindDevServerPublicIPResponse, ListDevServerPublicIPResponse). */
export const DevServerPublicIpsSchema = z.looseObject({
    public_ips: opt(z.array(ServerPublicIpSchema)),
});
export type DevServerPublicIps = z.output<typeof DevServerPublicIpsSchema>;

// ---- calls ----------------------------------------------------------------------------------

/** Masks a request's secrets (passwords, user data) in every log line, before anything can log them. */
function registerBodySecrets(body: unknown): void {
    if (!body || typeof body !== "object") return;
    const b = body as Record<string, unknown>;
    for (const key of ["admin_pass", "userdata", "user_data"]) {
        if (typeof b[key] === "string") registerSecret(b[key] as string);
    }
}

export async function createDevServer(client: ModelArtsClient, body: CreateDevServerRequest): Promise<DevServer> {
    registerBodySecrets(body);
    const checked = checkRequest("createDevServer", CreateDevServerRequestSchema, body);
    const res = await client.request({ method: "POST", path: "/dev-servers", body: checked });
    return parseResponse("createDevServer", DevServerSchema, res);
}

export async function getDevServer(client: ModelArtsClient, id: string): Promise<DevServer> {
    const res = await client.request({ method: "GET", path: encodePath`/dev-servers/${id}` });
    return parseResponse("getDevServer", DevServerSchema, res);
}

/** The server, or undefined when the API answers that it does not exist. */
export function findDevServer(client: ModelArtsClient, id: string): Promise<DevServer | undefined> {
    return undefinedIfNotFound(() => getDevServer(client, id), DEV_SERVER_NOT_FOUND_CODES);
}

/** True for the DevServer API's own not-found answer. */
export function isDevServerNotFound(err: unknown): boolean {
    return isNotFound(err, DEV_SERVER_NOT_FOUND_CODES);
}

/**
 * The page size of every list search (lost create answer, PRE_PAID order, shared poller): the
 * API's maximum (ListDevServers: limit 0..1024, huaweicloud-sdk-python-v3 list_dev_servers_request.py).
 */
export const DEV_SERVER_PAGE_SIZE = 1024;
const MAX_PAGES = 10_000;

/** One page of the list. */
export async function listDevServersPage(
    client: ModelArtsClient,
    offset: number,
    limit: number = DEV_SERVER_PAGE_SIZE,
): Promise<DevServerList> {
    const res = await client.request({ method: "GET", path: "/dev-servers", query: { limit, offset } });
    return parseResponse("listDevServers", DevServerListSchema, res);
}

/** The envelope of a list page, its servers still unparsed: for callers that parse only some. */
const DevServerListEnvelopeSchema = z.looseObject({
    data: opt(z.array(z.unknown())),
    total: opt(z.number().int()),
});

/** One page of the list with its servers as the wire has them (see `parseDevServer`). */
export async function listDevServersPageUnparsed(
    client: ModelArtsClient,
    offset: number,
    limit: number = DEV_SERVER_PAGE_SIZE,
): Promise<{ data?: unknown[]; total?: number }> {
    const res = await client.request({ method: "GET", path: "/dev-servers", query: { limit, offset } });
    return parseResponse("listDevServers", DevServerListEnvelopeSchema, res);
}

/** One server of an unparsed list page, checked against the server's schema. */
export function parseDevServer(item: unknown): DevServer {
    return parseResponse("listDevServers", DevServerSchema, item);
}

/** Every DevServer of the project, all pages. */
export async function listDevServers(
    client: ModelArtsClient,
    pageSize: number = DEV_SERVER_PAGE_SIZE,
): Promise<DevServer[]> {
    const all: DevServer[] = [];
    const seen = new Set<string>();
    for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
        const { data, total } = await listDevServersPage(client, offset, pageSize);
        const items = data ?? [];
        for (const item of items) {
            // Pages can shift while servers are created/deleted between calls: de-duplicate by id.
            if (item.id === undefined || !seen.has(item.id)) {
                if (item.id !== undefined) seen.add(item.id);
                all.push(item);
            }
        }
        offset += items.length;
        if (items.length === 0) break;
        // The service may cap `limit` below what was asked: trust `total` when it is given.
        if (typeof total === "number" ? offset >= total : items.length < pageSize) break;
    }
    return all;
}

export async function renameDevServer(client: ModelArtsClient, id: string, name: string): Promise<DevServer> {
    const body = checkRequest("renameDevServer", RenameDevServerRequestSchema, { name });
    const res = await client.request({ method: "PUT", path: encodePath`/dev-servers/${id}`, body });
    return parseResponse("renameDevServer", DevServerSchema, res);
}

/**
 * An HPS server (`category` HPS, a `server_hps`, or a cloud server of type HPS). The SDK gives such
 * servers endpoints of their own: start, stop, changeos and delete go to
 * `/dev-servers/hyperinstance/{id}[/...]` (PY SDK modelarts_client.py, *_hyperinstance). Show stays
 * `/dev-servers/{id}`: GetHyperinstance answers the super-node (statuses PROVISIONING, ACTIVE, ERROR,
 * REIMAGING, TERMINATING, TERMINATED) with its servers, while waits need the server's own status.
 */
export function isHpsServer(body: DevServer | undefined): boolean {
    if (!body) return false;
    return body.category === "HPS" || body.server_hps?.id !== undefined || body.cloud_server?.type === "HPS";
}

/** The path of a power / OS / delete action: the hyperinstance one for HPS servers. */
function actionPath(id: string, hps: boolean, action?: string): string {
    const base = hps ? encodePath`/dev-servers/hyperinstance/${id}` : encodePath`/dev-servers/${id}`;
    return action ? `${base}/${action}` : base;
}

/** A hyperinstance answer carries the server in `servers` (GetHyperinstanceResponse); a plain one is the server. */
function actionAnswer(call: string, res: unknown, id: string, hps: boolean): DevServer | undefined {
    if (!hps) return parseResponse(call, DevServerSchema, res);
    const servers = (res as { servers?: unknown } | null | undefined)?.servers;
    const mine = Array.isArray(servers) ? servers.find((s) => (s as { id?: unknown } | null)?.id === id) : undefined;
    return mine === undefined ? undefined : parseResponse(call, DevServerSchema, mine);
}

export async function startDevServer(client: ModelArtsClient, id: string, hps = false): Promise<DevServer | undefined> {
    const res = await client.request({ method: "PUT", path: actionPath(id, hps, "start"), body: {} });
    return actionAnswer("startDevServer", res, id, hps);
}

export async function stopDevServer(client: ModelArtsClient, id: string, hps = false): Promise<DevServer | undefined> {
    const res = await client.request({ method: "PUT", path: actionPath(id, hps, "stop") });
    return actionAnswer("stopDevServer", res, id, hps);
}

/** Returns the body the API answers (status DELETING), or undefined when it answers with none. */
export async function deleteDevServer(client: ModelArtsClient, id: string, hps = false): Promise<DevServer | undefined> {
    const res = await client.request({ method: "DELETE", path: actionPath(id, hps) });
    if (hps) return res ? actionAnswer("deleteDevServer", res, id, hps) : undefined;
    if (res === undefined || res === null || (typeof res === "object" && Object.keys(res).length === 0)) {
        return undefined;
    }
    return parseResponse("deleteDevServer", DevServerSchema, res);
}

/** PUT .../{id}/reboot (no body): REBOOTING, then RUNNING. Only from RUNNING. */
export async function rebootDevServer(client: ModelArtsClient, id: string): Promise<DevServer> {
    const res = await client.request({ method: "PUT", path: encodePath`/dev-servers/${id}/reboot` });
    return parseResponse("rebootDevServer", DevServerSchema, res);
}

/** POST .../{id}/changeos: CHANGINGOS, then RUNNING on the new image. Only from STOPPED. */
export async function changeDevServerOs(client: ModelArtsClient, id: string, body: ChangeDevServerOsRequest, hps = false): Promise<DevServer | undefined> {
    registerBodySecrets(body);
    const checked = checkRequest("changeDevServerOs", ChangeDevServerOsRequestSchema, body);
    const res = await client.request({ method: "POST", path: actionPath(id, hps, "changeos"), body: checked });
    return actionAnswer("changeDevServerOs", res, id, hps);
}

/** POST .../{id}/reinstallos: REINSTALLINGOS, then RUNNING (same image unless `image_id`). Only from STOPPED. */
export async function reinstallDevServerOs(client: ModelArtsClient, id: string, body: ReinstallDevServerOsRequest): Promise<DevServer> {
    registerBodySecrets(body);
    const checked = checkRequest("reinstallDevServerOs", ReinstallDevServerOsRequestSchema, body);
    const res = await client.request({ method: "POST", path: encodePath`/dev-servers/${id}/reinstallos`, body: checked });
    return parseResponse("reinstallDevServerOs", DevServerSchema, res);
}

/** POST .../{id}/attachvolume {volume_id}: an operation to poll (waitForDevServerOperation). */
export async function attachDevServerVolume(client: ModelArtsClient, id: string, volumeId: string): Promise<DevServerOperation> {
    const body = checkRequest("attachDevServerVolume", AttachDevServerVolumeRequestSchema, { volume_id: volumeId });
    const res = await client.request({ method: "POST", path: encodePath`/dev-servers/${id}/attachvolume`, body });
    return parseResponse("attachDevServerVolume", DevServerOperationSchema, res);
}

/** DELETE .../{id}/detachvolume/{volume_id}: an operation to poll (waitForDevServerOperation). */
export async function detachDevServerVolume(client: ModelArtsClient, id: string, volumeId: string): Promise<DevServerOperation> {
    checkRequest("detachDevServerVolume", AttachDevServerVolumeRequestSchema, { volume_id: volumeId });
    const res = await client.request({ method: "DELETE", path: encodePath`/dev-servers/${id}/detachvolume/${volumeId}` });
    return parseResponse("detachDevServerVolume", DevServerOperationSchema, res);
}

/** GET .../{id}/operation/{operation_id} */
export async function getDevServerOperation(client: ModelArtsClient, id: string, operationId: string): Promise<DevServerOperation> {
    const res = await client.request({ method: "GET", path: encodePath`/dev-servers/${id}/operation/${operationId}` });
    return parseResponse("getDevServerOperation", DevServerOperationSchema, res);
}

/** POST .../{id}/publicips {public_ip_id}: binds an EIP; answers the server's EIPs. (No unbind call is documented.) */
export async function bindDevServerPublicIp(client: ModelArtsClient, id: string, publicIpId: string): Promise<DevServerPublicIps> {
    const body = checkRequest("bindDevServerPublicIp", BindDevServerPublicIpRequestSchema, { public_ip_id: publicIpId });
    const res = await client.request({ method: "POST", path: encodePath`/dev-servers/${id}/publicips`, body });
    return parseResponse("bindDevServerPublicIp", DevServerPublicIpsSchema, res);
}

/** GET .../{id}/publicips: the server's EIPs (ListDevServerPublicIP). */
export async function listDevServerPublicIps(client: ModelArtsClient, id: string): Promise<DevServerPublicIps> {
    const res = await client.request({ method: "GET", path: encodePath`/dev-servers/${id}/publicips` });
    return parseResponse("listDevServerPublicIps", DevServerPublicIpsSchema, res);
}

export interface OperationWaitOptions {
    timeoutMs: number;
    /** Names what is awaited in progress lines and errors, e.g. "volume v-1 to attach to DevServer box". */
    what: string;
    schedule?: PollSchedule;
    clock?: Clock;
    onStatus?: (status: string, elapsedMs: number) => void;
}

/**
 * An operation failed: carries the API's `operation_error` code and message (the API's own words,
 * which name no secret: operations take only volume ids).
 */
export class DevServerOperationFailedError extends WaitFailedError {
    constructor(
        what: string,
        readonly operation: DevServerOperation,
    ) {
        const e = operation.operation_error;
        super(what, "failed", operation, e ? `${e.code ?? "no code"}: ${e.message ?? "no message"}` : "the API gave no operation_error");
        this.name = "DevServerOperationFailedError";
    }
}

/**
 * Polls GET .../operation/{operation_id} with the one waiter until `success` (returned) or `failed`
 * (DevServerOperationFailedError with operation_error's code and message). Statuses are compared
 * case-insensitively (the SDK documents lower case).
 */
export async function waitForDevServerOperation(
    client: ModelArtsClient,
    id: string,
    operationId: string,
    options: OperationWaitOptions,
): Promise<DevServerOperation> {
    try {
        const result = await waitFor<DevServerOperation>({
            what: options.what,
            refresh: async () => {
                const op = await getDevServerOperation(client, id, operationId);
                return { status: (op.operation_status ?? "").toLowerCase(), value: op };
            },
            pending: ["pending", "running"],
            target: ["success"],
            failed: ["failed"],
            timeoutMs: options.timeoutMs,
            schedule: options.schedule,
            clock: options.clock,
            onStatus: options.onStatus,
        });
        return result.last!.value;
    } catch (err) {
        if (err instanceof WaitFailedError && err.status === "failed" && !(err instanceof DevServerOperationFailedError)) {
            throw new DevServerOperationFailedError(options.what, err.lastValue as DevServerOperation);
        }
        throw err;
    }
}
