/**
 * The HTTP layer: reads the request, applies fault rules, authenticates, checks the project,
 * rate-limits, routes to the models and renders JSON. Admin paths (`/_emulator/*`) go to admin.ts
 * and bypass faults and rate limiting.
 */
import { IncomingMessage, ServerResponse } from "http";
import { randomUUID } from "crypto";
import { ApiError, ERROR_CODES, ErrorStyle } from "./errors";
import { authError, parseRawQuery, Principal } from "./auth";
import { EmulatorRuntime, FaultKind, RequestLogEntry } from "./runtime";
import { handleAdmin, ADMIN_PREFIX } from "./admin";
import { bssRoute, BSS_PREFIX } from "./bss";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface Reply {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

export function send(res: ServerResponse, requestId: string, reply: Reply): void {
    if (reply.status === 204) {
        res.writeHead(204, { "X-Request-Id": requestId, ...(reply.headers ?? {}) });
        res.end();
        return;
    }
    const text = JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
        "X-Request-Id": requestId,
        ...(reply.headers ?? {}),
    });
    res.end(text);
}

export function errorReply(err: unknown, log: (line: string) => void): Reply {
    if (err instanceof ApiError) return { status: err.httpStatus, body: err.body(), headers: err.headers };
    log(`emulator: internal error: ${(err as Error)?.stack ?? String(err)}`);
    return { status: 500, body: { error_code: ERROR_CODES.INTERNAL, error_msg: "Internal error of the emulator." } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) {
                reject(new ApiError(413, ERROR_CODES.DEV_SERVER_INVALID_PARAM, `request body larger than ${MAX_BODY_BYTES} bytes`));
                req.destroy();
                return;
            }
            chunks.push(c);
        });
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

export function parseJsonBody(body: Buffer, code: string, style: ErrorStyle): unknown {
    if (body.length === 0) return undefined;
    try {
        return JSON.parse(body.toString("utf8"));
    } catch {
        throw new ApiError(400, code, "request body is not valid JSON", style);
    }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The key of the field the emulator adds to every success body (and to each object of its arrays):
 * the real API adds fields over time without notice, so a client must keep working when a body
 * carries fields it does not know.
 */
export const UNANNOUNCED_FIELD = "unannounced_field";

function withUnannouncedFields(body: unknown): unknown {
    if (!body || typeof body !== "object" || Array.isArray(body)) return body;
    const extra = { added_by: "emulator", reason: "the real API adds fields without notice" };
    const out: Record<string, unknown> = { ...(body as Record<string, unknown>), [UNANNOUNCED_FIELD]: extra };
    for (const [k, v] of Object.entries(out)) {
        if (Array.isArray(v)) out[k] = v.map((item) => (item && typeof item === "object" && !Array.isArray(item) ? { ...item, [UNANNOUNCED_FIELD]: extra } : item));
    }
    return out;
}

/** A tenant reply as the real service renders it: errors carry the request id, successes extra fields. */
function asTheServiceSendsIt(reply: Reply, requestId: string): Reply {
    if (reply.status >= 400) {
        const body = reply.body && typeof reply.body === "object" ? { ...(reply.body as object), request_id: requestId } : reply.body;
        return { ...reply, body };
    }
    return { ...reply, body: withUnannouncedFields(reply.body) };
}

/** The request listener of the emulator's HTTP server. */
export function createListener(rt: EmulatorRuntime): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
        const requestId = randomUUID();
        handle(rt, req, res, requestId).catch((err) => {
            if (!res.headersSent && !res.destroyed) send(res, requestId, errorReply(err, rt.log));
        });
    };
}

async function handle(rt: EmulatorRuntime, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const started = Date.now();
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    const method = (req.method ?? "GET").toUpperCase();
    let body: Buffer;
    try {
        body = await readBody(req);
    } catch (err) {
        send(res, requestId, errorReply(err, rt.log));
        return;
    }

    if (rawPath === ADMIN_PREFIX || rawPath.startsWith(ADMIN_PREFIX + "/")) {
        const reply = await handleAdmin(rt, { method, rawPath, rawQuery, headers: req.headers, body });
        send(res, requestId, reply);
        return;
    }

    const entry: RequestLogEntry = {
        time: new Date(started).toISOString(),
        method,
        path: rawPath,
        query: rawQuery,
        status: 0,
        projectId: /^\/v1\/([^/]+)/.exec(rawPath)?.[1],
        requestId,
        durationMs: 0,
    };
    const finish = (status: number, fault?: FaultKind) => {
        entry.status = status;
        if (fault) entry.fault = fault;
        entry.durationMs = Date.now() - started;
        rt.recordRequest(entry);
        rt.log(`${method} ${rawPath} -> ${status === 0 ? "reset" : status}${fault ? ` [fault ${fault}]` : ""} ${requestId}`);
    };

    let resetAfter = false;
    let delayed = false;
    for (const rule of rt.faults.fire(method, rawPath)) {
        if (rule.kind === "delay") {
            delayed = true;
            await sleep(rule.delayMs ?? 1000);
        } else if (rule.kind === "status") {
            const status = rule.status ?? 500;
            const style: ErrorStyle = rawPath.includes("/demanager/") ? "error_message" : "error_msg";
            const msg = rule.message ?? `Injected fault: HTTP ${status}.`;
            const injected = { status, body: { error_code: rule.errorCode ?? ERROR_CODES.INJECTED_FAULT, [style]: msg } };
            send(res, requestId, asTheServiceSendsIt(injected, requestId));
            finish(status, "status");
            return;
        } else if (rule.kind === "reset") {
            finish(0, "reset");
            req.socket.destroy();
            return;
        } else if (rule.kind === "reset-after") {
            resetAfter = true;
        }
    }

    let reply: Reply;
    try {
        reply = route(rt, { method, rawPath, rawQuery, req, body }, (p) => {
            entry.accessKey = p.accessKey;
        });
    } catch (err) {
        reply = errorReply(err, rt.log);
    }
    if (resetAfter) {
        finish(reply.status, "reset-after");
        req.socket.destroy();
        return;
    }
    send(res, requestId, asTheServiceSendsIt(reply, requestId));
    finish(reply.status, delayed ? "delay" : undefined);
}

interface TenantRequest {
    method: string;
    rawPath: string;
    rawQuery: string;
    req: IncomingMessage;
    body: Buffer;
}

function notRoutable(method: string, path: string): ApiError {
    return new ApiError(404, ERROR_CODES.API_NOT_FOUND, `The API does not exist or has not been published: ${method} ${path}`);
}

/** Authenticates, checks the project and the rate limit, then dispatches. */
function route(rt: EmulatorRuntime, r: TenantRequest, onPrincipal: (p: Principal) => void): Reply {
    if (r.rawPath.startsWith(BSS_PREFIX)) return bssRoute(rt, r, onPrincipal);
    let segments: string[];
    try {
        segments = r.rawPath.split("/").slice(1).map(decodeURIComponent);
    } catch {
        throw notRoutable(r.method, r.rawPath);
    }
    if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop();
    const [v1, projectId, family, ...rest] = segments;
    const known =
        v1 === "v1" &&
        !!projectId &&
        ((family === "dev-servers" && rest.length <= 3) ||
            (family === "demanager" && rest[0] === "instances" && rest.length <= 3) ||
            (family === "notebooks" && rest.length <= 2));
    if (!known) throw notRoutable(r.method, r.rawPath);

    const principal = rt.auth.authenticate({ method: r.method, rawPath: r.rawPath, rawQuery: r.rawQuery, headers: r.req.headers, body: r.body });
    onPrincipal(principal);
    if (!principal.tenant.projects.some((p) => p.id === projectId)) {
        throw new ApiError(403, ERROR_CODES.PROJECT_FORBIDDEN, `Forbidden: project ${projectId} does not belong to the authenticated domain`);
    }
    const wait = rt.limiter.take(projectId, Date.now());
    if (wait > 0) {
        throw new ApiError(
            429,
            ERROR_CODES.THROTTLED,
            `The throttling threshold has been reached: project ${projectId} exceeded ${rt.config.rateLimit?.perSecond} requests per second`,
            "error_msg",
            { "Retry-After": String(wait) },
        );
    }
    let query: Record<string, string | string[]>;
    try {
        query = parseRawQuery(r.rawQuery);
    } catch {
        throw authError("the query string is not validly percent-encoded");
    }
    if (family === "dev-servers") return devServerRoute(rt, r, projectId, rest, query);
    if (family === "notebooks") return notebooksRoute(rt, r, projectId, rest, query);
    return notebookRoute(rt, r, projectId, rest.slice(1));
}

function devServerRoute(rt: EmulatorRuntime, r: TenantRequest, projectId: string, rest: string[], query: Record<string, string | string[]>): Reply {
    const m = rt.devServers;
    const json = () => parseJsonBody(r.body, ERROR_CODES.DEV_SERVER_INVALID_PARAM, "error_msg");
    const ok = (body: unknown): Reply => ({ status: 200, body });
    const [id, action] = rest;
    if (id === undefined) {
        if (r.method === "GET") return ok(m.list(projectId, query));
        if (r.method === "POST") return ok(m.create(projectId, json()));
    } else if (action === undefined) {
        if (r.method === "GET") return ok(m.get(projectId, id));
        if (r.method === "PUT") return ok(m.rename(projectId, id, json()));
        if (r.method === "DELETE") return ok(m.delete(projectId, id));
    } else if (rest.length === 2 && r.method === "PUT" && (action === "start" || action === "stop")) {
        const body = json();
        // The start API takes a JSON body, `{}` at least (API reference; Terraform sends `{}`):
        // without one the real service refuses the request.
        if (action === "start" && (body === undefined || body === null || typeof body !== "object")) {
            throw new ApiError(400, ERROR_CODES.DEV_SERVER_INVALID_PARAM, "request body is required: send a JSON object such as {}");
        }
        return ok(action === "start" ? m.start(projectId, id) : m.stop(projectId, id));
    } else if (rest.length === 2) {
        // Reboot, change / reinstall OS, volumes and EIPs (sources: emulator/README.md).
        if (r.method === "PUT" && action === "reboot") return ok(m.reboot(projectId, id));
        if (r.method === "POST" && (action === "changeos" || action === "reinstallos")) return ok(m.changeOs(projectId, id, json(), action === "reinstallos"));
        if (r.method === "POST" && action === "attachvolume") return ok(m.attachVolume(projectId, id, json()));
        if (r.method === "POST" && action === "publicips") return ok(m.bindPublicIp(projectId, id, json()));
        if (r.method === "GET" && action === "publicips") return ok(m.listPublicIps(projectId, id));
    } else if (r.method === "DELETE" && action === "detachvolume") {
        return ok(m.detachVolume(projectId, id, rest[2]));
    } else if (r.method === "GET" && action === "operation") {
        return ok(m.getOperation(projectId, id, rest[2]));
    }
    throw notRoutable(r.method, r.rawPath);
}

function notebookRoute(rt: EmulatorRuntime, r: TenantRequest, projectId: string, rest: string[]): Reply {
    const m = rt.notebooks;
    const json = () => parseJsonBody(r.body, ERROR_CODES.NOTEBOOK_INVALID_PARAM, "error_message");
    const ok = (body: unknown): Reply => ({ status: 200, body });
    const [id, action] = rest;
    if (id === undefined) {
        if (r.method === "GET") return ok(m.list(projectId));
        if (r.method === "POST") return ok(m.create(projectId, json()));
    } else if (action === undefined) {
        if (r.method === "GET") return ok(m.get(projectId, id));
        if (r.method === "PUT") return ok(m.update(projectId, id, json()));
        if (r.method === "DELETE") return ok(m.delete(projectId, id));
    } else if (action === "action" && r.method === "POST") {
        return ok(m.action(projectId, id, json()));
    }
    throw notRoutable(r.method, r.rawPath);
}

/**
 * The current notebooks API (`/v1/{project_id}/notebooks`), beside the legacy demanager one:
 * list/create, show/update/delete, start/stop, and the auto-stop lease (GET / PATCH `.../lease`).
 * Errors use `error_msg`. Sources are listed in emulator/README.md.
 */
function notebooksRoute(rt: EmulatorRuntime, r: TenantRequest, projectId: string, rest: string[], query: Record<string, string | string[]>): Reply {
    const m = rt.notebooks;
    const json = () => parseJsonBody(r.body, ERROR_CODES.NOTEBOOK_INVALID_PARAM, "error_msg");
    const ok = (body: unknown): Reply => ({ status: 200, body });
    const [id, action] = rest;
    if (id === undefined) {
        if (r.method === "GET") return ok(m.currentList(projectId, query));
        if (r.method === "POST") return ok(m.currentCreate(projectId, json()));
    } else if (action === undefined) {
        if (r.method === "GET") return ok(m.currentGet(projectId, id));
        if (r.method === "PUT") return ok(m.currentUpdate(projectId, id, json()));
        if (r.method === "DELETE") return ok(m.currentDelete(projectId, id));
    } else if (action === "start" && r.method === "POST") {
        return ok(m.currentStart(projectId, id, query));
    } else if (action === "stop" && r.method === "POST") {
        return ok(m.currentStop(projectId, id));
    } else if (action === "lease") {
        if (r.method === "GET") return ok(m.leaseGet(projectId, id));
        if (r.method === "PATCH") return ok(m.leaseRenew(projectId, id, query, json()));
    }
    throw notRoutable(r.method, r.rawPath);
}
