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
import { registerSecret } from "../log";
import { parseResponse } from "./parse";

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
// Built from the DevServer's field table (provider/resources/devServer/fields.ts, each field's
// `wire`), which holds every rule of the values: `check` refuses a bad declaration before anything
// is sent, naming the field as the user wrote it. Here a body is only its type.

/** POST /v1/{project_id}/dev-servers (ServerCreateRequest). */
export type CreateDevServerRequest = Record<string, unknown>;
/** POST .../{id}/changeos and .../{id}/reinstallos (ServerOsRequest). */
export type DevServerOsRequest = Record<string, unknown>;

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
    const res = await client.request({ method: "POST", path: "/dev-servers", body });
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
    const res = await client.request({ method: "PUT", path: encodePath`/dev-servers/${id}`, body: { name } });
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
export async function changeDevServerOs(client: ModelArtsClient, id: string, body: DevServerOsRequest, hps = false): Promise<DevServer | undefined> {
    registerBodySecrets(body);
    const res = await client.request({ method: "POST", path: actionPath(id, hps, "changeos"), body });
    return actionAnswer("changeDevServerOs", res, id, hps);
}

/** POST .../{id}/reinstallos: REINSTALLINGOS, then RUNNING (same image unless `image_id`). Only from STOPPED. */
export async function reinstallDevServerOs(client: ModelArtsClient, id: string, body: DevServerOsRequest): Promise<DevServer> {
    registerBodySecrets(body);
    const res = await client.request({ method: "POST", path: encodePath`/dev-servers/${id}/reinstallos`, body });
    return parseResponse("reinstallDevServerOs", DevServerSchema, res);
}
