/**
 * Every resource family the emulator serves, registered in one place: where its API lives, the
 * model that holds its rules, its routes, how its errors look and its not-found code. The HTTP
 * layer, the admin API and the runtime read this table; adding a family means an entry here and
 * the family's own model module.
 */
import { ApiError, ERROR_CODES, ErrorStyle } from "./errors";
import { DEV_SERVER_FAILED_STATUS_FOR, DevServerModel } from "./model/devServers";
import { NOTEBOOK_FAILED_STATUS_FOR, NotebookModel } from "./model/notebooks";
import { STORAGE_FAILED_STATUS_FOR } from "./model/notebookStorage";
import { ModelContext } from "./model/context";
import { FailureKind, ProjectState } from "./model/state";

/** What a route answers: status and JSON body (the HTTP layer adds request ids and headers). */
export interface Reply {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

/** One tenant request to a family, already authenticated and rate-limited. */
export interface FamilyRequest {
    method: string;
    rawPath: string;
    projectId: string;
    /** Path segments after the family's prefix, decoded. */
    rest: string[];
    query: Record<string, string | string[]>;
    /** The JSON body, parsed on demand (a malformed one is the family's invalid-parameter error). */
    json(): unknown;
}

export interface Family<M = unknown> {
    /** Name used by the admin API (`injectFailure({family})`) and in the state dump. */
    readonly name: "devServer" | "notebook" | "notebooks";
    /** Path segments after `/v1/{project_id}`, e.g. `["dev-servers"]`. */
    readonly prefix: readonly string[];
    /** At most this many segments after the prefix are routable. */
    readonly maxDepth: number;
    /** Which key carries the error message (the legacy demanager API uses `error_message`). */
    readonly errorStyle: ErrorStyle;
    readonly notFoundCode: string;
    readonly invalidParamCode: string;
    /** The status a failed transition of each kind ends in, unless the injection names one. */
    readonly failedStatusFor: Readonly<Partial<Record<FailureKind, string>>>;
    /** The key of the family's records in each project's state. */
    readonly stateKey: keyof ProjectState;
    createModel(ctx: ModelContext): M;
    /** Served by another family's model (two APIs over the same records), instead of a model of its own. */
    readonly modelOf?: "devServer" | "notebook";
    route(model: M, r: FamilyRequest): Reply;
    dump(model: M, projectId: string): Record<string, unknown>[];
}

const ok = (body: unknown): Reply => ({ status: 200, body });

export function notRoutable(method: string, path: string): ApiError {
    return new ApiError(404, ERROR_CODES.API_NOT_FOUND, `The API does not exist or has not been published: ${method} ${path}`);
}

/** The decoded segments of a request path (a trailing slash ignored); not decodable: no such API. */
export function pathSegments(method: string, rawPath: string): string[] {
    let segments: string[];
    try {
        segments = rawPath.split("/").slice(1).map(decodeURIComponent);
    } catch {
        throw notRoutable(method, rawPath);
    }
    if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop();
    return segments;
}

const devServers: Family<DevServerModel> = {
    name: "devServer",
    prefix: ["dev-servers"],
    maxDepth: 3,
    errorStyle: "error_msg",
    notFoundCode: ERROR_CODES.DEV_SERVER_NOT_FOUND,
    invalidParamCode: ERROR_CODES.DEV_SERVER_INVALID_PARAM,
    failedStatusFor: DEV_SERVER_FAILED_STATUS_FOR,
    stateKey: "devServers",
    createModel: (ctx) => new DevServerModel(ctx),
    dump: (m, projectId) => m.dump(projectId),
    route(m, r) {
        const [id, action] = r.rest;
        if (id === "hyperinstance" && action !== undefined && r.rest.length <= 3) {
            // HPS servers: the SDK's hyperinstance endpoints (emulator/README.md, "HPS").
            const verb = r.rest[2];
            const route = `${r.method} ${verb ?? ""}`;
            if (!["GET ", "DELETE ", "PUT start", "PUT stop", "POST changeos"].includes(route)) throw notRoutable(r.method, r.rawPath);
            m.checkEndpointKind(r.projectId, action, true);
            if (verb === "start") {
                const body = r.json();
                if (body === undefined || body === null || typeof body !== "object") {
                    throw new ApiError(400, ERROR_CODES.DEV_SERVER_INVALID_PARAM, "request body is required: send a JSON object such as {}");
                }
            }
            const server =
                route === "GET " ? m.get(r.projectId, action)
                : route === "DELETE " ? m.delete(r.projectId, action)
                : verb === "start" ? m.start(r.projectId, action)
                : verb === "stop" ? m.stop(r.projectId, action)
                : m.changeOs(r.projectId, action, r.json(), false);
            return ok(m.hyperinstance(server));
        }
        const plainHpsRefused =
            id !== undefined &&
            ((action === undefined && r.method === "DELETE") ||
                (r.rest.length === 2 && ((r.method === "PUT" && (action === "start" || action === "stop")) || (r.method === "POST" && action === "changeos"))));
        if (plainHpsRefused) m.checkEndpointKind(r.projectId, id, false);
        if (id === undefined) {
            if (r.method === "GET") return ok(m.list(r.projectId, r.query));
            if (r.method === "POST") return ok(m.create(r.projectId, r.json()));
        } else if (action === undefined) {
            if (r.method === "GET") return ok(m.get(r.projectId, id));
            if (r.method === "PUT") return ok(m.rename(r.projectId, id, r.json()));
            if (r.method === "DELETE") return ok(m.delete(r.projectId, id));
        } else if (r.rest.length === 2 && r.method === "PUT" && (action === "start" || action === "stop")) {
            const body = r.json();
            // The start API takes a JSON body, `{}` at least (API reference; Terraform sends `{}`):
            // without one the real service refuses the request.
            if (action === "start" && (body === undefined || body === null || typeof body !== "object")) {
                throw new ApiError(400, ERROR_CODES.DEV_SERVER_INVALID_PARAM, "request body is required: send a JSON object such as {}");
            }
            return ok(action === "start" ? m.start(r.projectId, id) : m.stop(r.projectId, id));
        } else if (r.rest.length === 2) {
            // Reboot, change / reinstall OS, volumes and EIPs (sources: emulator/README.md).
            if (r.method === "PUT" && action === "reboot") return ok(m.reboot(r.projectId, id));
            if (r.method === "POST" && (action === "changeos" || action === "reinstallos")) return ok(m.changeOs(r.projectId, id, r.json(), action === "reinstallos"));
            if (r.method === "POST" && action === "attachvolume") return ok(m.attachVolume(r.projectId, id, r.json()));
            if (r.method === "POST" && action === "publicips") return ok(m.bindPublicIp(r.projectId, id, r.json()));
            if (r.method === "GET" && action === "publicips") return ok(m.listPublicIps(r.projectId, id));
        } else if (r.method === "DELETE" && action === "detachvolume") {
            return ok(m.detachVolume(r.projectId, id, r.rest[2]));
        } else if (r.method === "GET" && action === "operation") {
            return ok(m.getOperation(r.projectId, id, r.rest[2]));
        }
        throw notRoutable(r.method, r.rawPath);
    },
};

const notebooks: Family<NotebookModel> = {
    name: "notebook",
    prefix: ["demanager", "instances"],
    maxDepth: 2,
    errorStyle: "error_message",
    notFoundCode: ERROR_CODES.NOTEBOOK_NOT_FOUND,
    invalidParamCode: ERROR_CODES.NOTEBOOK_INVALID_PARAM,
    failedStatusFor: NOTEBOOK_FAILED_STATUS_FOR,
    stateKey: "notebooks",
    createModel: (ctx) => new NotebookModel(ctx),
    dump: (m, projectId) => m.dump(projectId),
    route(m, r) {
        const [id, action] = r.rest;
        if (id === undefined) {
            if (r.method === "GET") return ok(m.list(r.projectId, r.query));
            if (r.method === "POST") return ok(m.create(r.projectId, r.json()));
        } else if (action === undefined) {
            if (r.method === "GET") return ok(m.get(r.projectId, id));
            if (r.method === "PUT") return ok(m.update(r.projectId, id, r.json()));
            if (r.method === "DELETE") return ok(m.delete(r.projectId, id));
        } else if (action === "action" && r.method === "POST") {
            return ok(m.action(r.projectId, id, r.json()));
        }
        throw notRoutable(r.method, r.rawPath);
    },
};

/**
 * The current notebooks API (`/v1/{project_id}/notebooks`), beside the legacy demanager one and over
 * the same model (an instance belongs to one family and answers only on its paths): list/create,
 * show/update/delete, start/stop, and the auto-stop lease (GET / PATCH `.../lease`). Errors use
 * `error_msg`. Sources are listed in emulator/README.md.
 */
const currentNotebooks: Family<NotebookModel> = {
    name: "notebooks",
    prefix: ["notebooks"],
    maxDepth: 3,
    errorStyle: "error_msg",
    notFoundCode: ERROR_CODES.CURRENT_NOTEBOOK_NOT_FOUND,
    invalidParamCode: ERROR_CODES.NOTEBOOK_INVALID_PARAM,
    // Its storage mounts fail too: `injectFailure({family: "notebooks", kind: "mount" | "unmount"})`.
    failedStatusFor: { ...NOTEBOOK_FAILED_STATUS_FOR, ...STORAGE_FAILED_STATUS_FOR },
    stateKey: "notebooks",
    modelOf: "notebook",
    createModel: (ctx) => new NotebookModel(ctx),
    dump: (m, projectId) => m.dump(projectId),
    route(m, r) {
        const [id, action] = r.rest;
        if (id === undefined) {
            if (r.method === "GET") return ok(m.currentList(r.projectId, r.query));
            if (r.method === "POST") return ok(m.currentCreate(r.projectId, r.json()));
        } else if (action === undefined) {
            if (r.method === "GET") return ok(m.currentGet(r.projectId, id));
            if (r.method === "PUT") return ok(m.currentUpdate(r.projectId, id, r.json()));
            if (r.method === "DELETE") return ok(m.currentDelete(r.projectId, id));
        } else if (action === "start" && r.method === "POST" && r.rest.length === 2) {
            return ok(m.currentStart(r.projectId, id, r.query));
        } else if (action === "stop" && r.method === "POST" && r.rest.length === 2) {
            return ok(m.currentStop(r.projectId, id));
        } else if (action === "lease" && r.rest.length === 2) {
            if (r.method === "GET") return ok(m.leaseGet(r.projectId, id));
            if (r.method === "PATCH") return ok(m.leaseRenew(r.projectId, id, r.query, r.json()));
        } else if (action === "tags" && r.rest.length === 3 && ((r.method === "POST" && r.rest[2] === "create") || (r.method === "DELETE" && r.rest[2] === "delete"))) {
            // CreateNotebookTags / DeleteNotebookTags (PY SDK; Terraform's notebook tags).
            return ok(m.tags(r.projectId, id, r.json(), r.rest[2] === "delete"));
        } else if (action === "storage") {
            // Dynamically mounted storage (PY SDK attach / detach / show / list dynamic storage).
            const storageId = r.rest[2];
            if (storageId === undefined && r.method === "GET") return ok(m.storageList(r.projectId, id));
            if (storageId === undefined && r.method === "POST") return ok(m.storageMount(r.projectId, id, r.json()));
            if (storageId !== undefined && r.method === "GET") return ok(m.storageGet(r.projectId, id, storageId));
            if (storageId !== undefined && r.method === "DELETE") return ok(m.storageUnmount(r.projectId, id, storageId));
        }
        throw notRoutable(r.method, r.rawPath);
    },
};

/** The registry. BSS (billing) is per account, not per project: it is served beside these (emulator/bss.ts). */
const REGISTRY = [devServers, notebooks, currentNotebooks] as const;

export type FamilyName = (typeof REGISTRY)[number]["name"];

/** Every family, each driving its own model (`rt.models[family.name]`). */
export const FAMILIES: readonly Family<any>[] = REGISTRY;

export function familyNamed(name: string): Family | undefined {
    return FAMILIES.find((f) => f.name === name);
}

/** The family whose API `segments` (after `/v1/{project_id}`) address, with the rest of the path. */
export function familyAt(segments: readonly string[]): { family: Family<any>; rest: string[] } | undefined {
    const family = familyByPrefix(segments);
    const rest = family ? segments.slice(family.prefix.length) : [];
    return family && rest.length <= family.maxDepth ? { family, rest } : undefined;
}

function familyByPrefix(segments: readonly string[]): Family<any> | undefined {
    return FAMILIES.find(
        (f) => segments.length >= f.prefix.length && f.prefix.every((s, i) => segments[i] === s),
    );
}

/** The error style of the family a raw path `/v1/{project_id}/...` belongs to (gateway errors: `error_msg`). */
export function errorStyleOf(rawPath: string): ErrorStyle {
    return familyByPrefix(rawPath.split("/").slice(3))?.errorStyle ?? "error_msg";
}
