/**
 * The HTTP layer: reads the request, applies fault rules, authenticates, checks the project,
 * rate-limits, hands the request to the family registered for its path (families.ts) and renders
 * JSON. Admin paths (`/_emulator/*`) go to admin.ts
 * and bypass faults and rate limiting.
 */
import { IncomingMessage, ServerResponse } from "http";
import { randomUUID } from "crypto";
import { ApiError, ERROR_CODES, ErrorStyle } from "./errors";
import { authError, parseRawQuery, Principal } from "./auth";
import { EmulatorRuntime, FaultKind, RequestLogEntry } from "./runtime";
import { handleAdmin, ADMIN_PREFIX } from "./admin";
import { bssRoute, BSS_PREFIX } from "./bss";
import { iamRoute, IAM_PREFIX } from "./iam";
import { errorStyleOf, familyAt, notRoutable, pathSegments, Reply } from "./families";
import { catalogAt } from "./catalog";

export const MAX_BODY_BYTES = 1024 * 1024;

export type { Reply };

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
            const style = errorStyleOf(rawPath);
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

/** Authenticates, checks the project and the rate limit, then dispatches to the family's routes. */
function route(rt: EmulatorRuntime, r: TenantRequest, onPrincipal: (p: Principal) => void): Reply {
    if (r.rawPath.startsWith(BSS_PREFIX)) return bssRoute(rt, r, onPrincipal);
    if (r.rawPath.startsWith(IAM_PREFIX)) return iamRoute(rt, r, onPrincipal);
    const segments = pathSegments(r.method, r.rawPath);
    const [v1, projectId, ...path] = segments;
    const list = v1 === "v1" && projectId ? catalogAt(r.method, path) : undefined;
    const target = v1 === "v1" && projectId && !list ? familyAt(path) : undefined;
    if (!target && !list) throw notRoutable(r.method, r.rawPath);

    const principal = rt.auth.authenticate({ method: r.method, rawPath: r.rawPath, rawQuery: r.rawQuery, headers: r.req.headers, body: r.body });
    onPrincipal(principal);
    if (!principal.tenant.projects.some((p) => p.id === projectId)) {
        throw new ApiError(403, ERROR_CODES.PROJECT_FORBIDDEN, `Forbidden: project ${projectId} does not belong to the authenticated domain`);
    }
    const throttled = rt.limiter.check(projectId, Date.now());
    if (throttled) {
        throw new ApiError(429, ERROR_CODES.THROTTLED, throttled.message, "error_msg", { "Retry-After": String(throttled.retryAfterSeconds) });
    }
    let query: Record<string, string | string[]>;
    try {
        query = parseRawQuery(r.rawQuery);
    } catch {
        throw authError("the query string is not validly percent-encoded");
    }
    if (list) return { status: 200, body: list(query) };
    const { family, rest } = target!;
    return family.route(rt.models[family.name], {
        method: r.method,
        rawPath: r.rawPath,
        projectId,
        rest,
        query,
        json: () => parseJsonBody(r.body, family.invalidParamCode, family.errorStyle),
    });
}
