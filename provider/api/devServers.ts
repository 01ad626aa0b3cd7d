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
import { isNotFound, undefinedIfNotFound } from "../errors";
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

export const ChargingInfoSchema = z.looseObject({
    /** COMMON | POST_PAID | PRE_PAID */
    charging_mode: z.string(),
    /** ABSOLUTE | DAY | HOUR | MONTH | WEEK | YEAR */
    period_type: z.string(),
    period_num: z.number().int(),
    is_auto_pay: z.boolean().optional(),
    is_auto_renew: z.boolean().optional(),
});

export const ServerNetworkSchema = z.looseObject({
    vpc_id: z.string().min(1),
    subnet_id: z.string().min(1),
    security_group_id: z.string().min(1),
    ipv6_enable: z.boolean().optional(),
    roce_id: z.string().optional(),
});

export const EvsVolumeSchema = z.looseObject({
    size: z.number().int().optional(),
    /** ESSD | GPSSD | SAS | SATA | SSD */
    type: z.string().optional(),
});

/** POST /v1/{project_id}/dev-servers */
export const CreateDevServerRequestSchema = z.looseObject({
    name: z.string().min(1),
    flavor: z.string().min(1),
    image_id: z.string().min(1),
    network: ServerNetworkSchema,
    admin_pass: z.string().optional(),
    key_pair_name: z.string().optional(),
    /** ARM | X86 */
    arch: z.string().optional(),
    availability_zone: z.string().optional(),
    charging_info: ChargingInfoSchema.optional(),
    count: z.number().int().positive().optional(),
    enterprise_project_id: z.string().optional(),
    root_volume: EvsVolumeSchema.optional(),
    /** BMS | ECS */
    server_type: z.string().optional(),
    userdata: z.string().optional(),
});
export type CreateDevServerRequest = z.input<typeof CreateDevServerRequestSchema>;

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

/** `endpoints` items (EndpointsRes). */
export const EndpointsResSchema = z.looseObject({
    allowed_access_ips: strArray(),
    dev_service: str(),
    ssh_keys: strArray(),
    service: str(),
    uri: str(),
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
    key_pair_name: str(),
    order_id: str(),
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

// ---- calls ----------------------------------------------------------------------------------

export async function createDevServer(client: ModelArtsClient, body: CreateDevServerRequest): Promise<DevServer> {
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

export const DEV_SERVER_PAGE_SIZE = 50;
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

export async function startDevServer(client: ModelArtsClient, id: string): Promise<DevServer> {
    const res = await client.request({ method: "PUT", path: encodePath`/dev-servers/${id}/start`, body: {} });
    return parseResponse("startDevServer", DevServerSchema, res);
}

export async function stopDevServer(client: ModelArtsClient, id: string): Promise<DevServer> {
    const res = await client.request({ method: "PUT", path: encodePath`/dev-servers/${id}/stop` });
    return parseResponse("stopDevServer", DevServerSchema, res);
}

/** Returns the body the API answers (status DELETING), or undefined when it answers with none. */
export async function deleteDevServer(client: ModelArtsClient, id: string): Promise<DevServer | undefined> {
    const res = await client.request({ method: "DELETE", path: encodePath`/dev-servers/${id}` });
    if (res === undefined || res === null || (typeof res === "object" && Object.keys(res).length === 0)) {
        return undefined;
    }
    return parseResponse("deleteDevServer", DevServerSchema, res);
}
