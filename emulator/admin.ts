/**
 * The admin API (`/_emulator/*`): how tests, demos and people drive the emulator from outside.
 * Authorised only by the `X-Emulator-Admin-Token` header; tenant credentials (AK/SK signature,
 * X-Auth-Token) are refused with 403. Faults and rate limiting never apply here.
 *
 * `EmulatorAdmin` is the typed client of this API; it always goes over HTTP.
 */
import { IncomingHttpHeaders } from "http";
import { randomBytes, timingSafeEqual } from "crypto";
import { ApiError, ERROR_CODES } from "./errors";
import { EmulatorConfig, EmulatorRuntime, FaultRule, FaultRuleInput, RequestLogEntry } from "./runtime";
import { RATE_LIMIT_SHAPES, RateLimitConfig, RateLimitShape } from "./rateLimit";
import { BssTimings, Timings } from "./model/context";
import { EvsVolumeRecord, FailedReasons, FailureInjection, FailureKind, ProjectState, PublicIpRecord } from "./model/state";
import { LeasePatch, NotebookSeed } from "./model/notebooks";
import { DEFAULT_BSS_TIMINGS } from "./model/bss";
import { FAMILIES, FamilyName, familyNamed, Reply } from "./families";
import { bssAdminRoute } from "./bss";

export const ADMIN_PREFIX = "/_emulator";
export const ADMIN_TOKEN_HEADER = "X-Emulator-Admin-Token";

export interface AdminRequest {
    method: string;
    rawPath: string;
    rawQuery: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
}

function bad(message: string): never {
    throw new ApiError(400, ERROR_CODES.ADMIN_BAD_REQUEST, message);
}

function safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}

function checkAdminAuth(rt: EmulatorRuntime, headers: IncomingHttpHeaders): void {
    const raw = headers[ADMIN_TOKEN_HEADER.toLowerCase()];
    const token = Array.isArray(raw) ? raw[0] : raw;
    if (token && safeEqual(token, rt.adminToken)) return;
    if (headers["authorization"] !== undefined || headers["x-auth-token"] !== undefined) {
        throw new ApiError(
            403,
            ERROR_CODES.ADMIN_FORBIDDEN,
            `The admin API does not accept tenant credentials (AK/SK signature or X-Auth-Token); send the ${ADMIN_TOKEN_HEADER} header`,
        );
    }
    throw new ApiError(
        401,
        ERROR_CODES.ADMIN_UNAUTHORIZED,
        token ? `Wrong ${ADMIN_TOKEN_HEADER}` : `The admin API requires the ${ADMIN_TOKEN_HEADER} header`,
    );
}

function asObject(body: Buffer): Record<string, unknown> {
    if (body.length === 0) return {};
    let v: unknown;
    try {
        v = JSON.parse(body.toString("utf8"));
    } catch {
        bad("request body is not valid JSON");
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) bad("request body must be a JSON object");
    return v as Record<string, unknown>;
}

function nonNegative(v: unknown, field: string): number {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) bad(`${field} must be a non-negative number`);
    return v;
}

function mergeTimings(current: Timings, patch: unknown): Timings {
    if (patch === undefined) return current;
    if (typeof patch !== "object" || patch === null) bad("timings must be an object");
    const out: Timings = { devServer: { ...current.devServer }, notebook: { ...current.notebook }, bss: { ...DEFAULT_BSS_TIMINGS, ...current.bss } };
    for (const family of Object.keys(out) as (keyof Timings)[]) {
        const p = (patch as Record<string, unknown>)[family];
        if (p === undefined) continue;
        if (typeof p !== "object" || p === null) bad(`timings.${family} must be an object`);
        for (const [k, val] of Object.entries(p)) {
            if (!(k in out[family]!)) bad(`timings.${family}.${k} is not a known timing`);
            (out[family] as unknown as Record<string, number>)[k] = nonNegative(val, `timings.${family}.${k}`);
        }
    }
    return out;
}

export function checkRateLimit(v: unknown): RateLimitConfig | null {
    if (v === null) return null;
    if (typeof v !== "object") bad("rateLimit must be an object {perSecond, burst?, shape?} or null");
    const r = v as Record<string, unknown>;
    if (typeof r.perSecond !== "number" || !(r.perSecond > 0)) bad("rateLimit.perSecond must be a positive number");
    if (r.burst !== undefined && (typeof r.burst !== "number" || !(r.burst >= 1))) bad("rateLimit.burst must be a number >= 1");
    if (r.shape !== undefined && !RATE_LIMIT_SHAPES.includes(r.shape as RateLimitShape)) bad(`rateLimit.shape must be one of ${RATE_LIMIT_SHAPES.join(", ")}`);
    const out: RateLimitConfig = { perSecond: r.perSecond, burst: r.burst as number | undefined };
    if (r.shape !== undefined) out.shape = r.shape as RateLimitShape;
    return out;
}

function checkFault(b: Record<string, unknown>): FaultRuleInput {
    const kinds = ["status", "reset", "delay", "reset-after"];
    if (typeof b.kind !== "string" || !kinds.includes(b.kind)) bad(`kind must be one of ${kinds.join(", ")}`);
    if (b.method !== undefined && typeof b.method !== "string") bad("method must be a string");
    if (b.path !== undefined) {
        if (typeof b.path !== "string") bad("path must be a regular expression source string");
        try {
            new RegExp(b.path);
        } catch {
            bad("path is not a valid regular expression");
        }
    }
    if (b.status !== undefined && (typeof b.status !== "number" || !Number.isInteger(b.status) || b.status < 400 || b.status > 599)) {
        bad("status must be an integer HTTP status 400..599");
    }
    if (b.count !== undefined && (typeof b.count !== "number" || !Number.isInteger(b.count) || b.count < 1)) bad("count must be a positive integer");
    if (b.fraction !== undefined && (typeof b.fraction !== "number" || b.fraction < 0 || b.fraction > 1)) bad("fraction must be between 0 and 1");
    if (b.delayMs !== undefined) nonNegative(b.delayMs, "delayMs");
    if (b.errorCode !== undefined && typeof b.errorCode !== "string") bad("errorCode must be a string");
    if (b.message !== undefined && typeof b.message !== "string") bad("message must be a string");
    const out: FaultRuleInput = { kind: b.kind as FaultRuleInput["kind"] };
    for (const k of ["method", "path", "status", "errorCode", "message", "delayMs", "count", "fraction"] as const) {
        if (b[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = b[k];
    }
    return out;
}

function projectOf(rt: EmulatorRuntime, b: Record<string, unknown>): string {
    const pid = b.projectId ?? rt.tenants[0].projects[0].id;
    if (typeof pid !== "string" || !rt.tenantOfProject(pid)) bad(`projectId ${String(pid)} is not a project of any tenant`);
    return pid;
}

function domainOfAccessKey(rt: EmulatorRuntime, b: Record<string, unknown>): { domainId: string; accessKey: string } {
    const ak = b.accessKey ?? rt.tenants[0].accessKey;
    const t = rt.tenants.find((x) => x.accessKey === ak);
    if (!t) bad(`accessKey ${String(ak)} is not the access key of any tenant`);
    return { domainId: t.domainId, accessKey: t.accessKey };
}

function ttlMs(b: Record<string, unknown>): number {
    if (b.ttlSeconds === undefined) return 24 * 3600 * 1000;
    return nonNegative(b.ttlSeconds, "ttlSeconds") * 1000;
}

export function stateDump(rt: EmulatorRuntime): StateDump {
    const projects: StateDump["projects"] = {};
    for (const t of rt.tenants) {
        for (const p of t.projects) {
            const records = Object.fromEntries(FAMILIES.map((f) => [f.stateKey, f.dump(rt.models[f.name], p.id)]));
            projects[p.id] = { domainName: t.domainName, region: p.region, ...(records as Record<keyof ProjectState, Record<string, unknown>[]>) };
        }
    }
    return { time: Date.now(), projects, failures: rt.state.failures, bss: rt.bss.dump() };
}

/** Dispatches one admin request. Never throws: errors become replies. */
export async function handleAdmin(rt: EmulatorRuntime, req: AdminRequest): Promise<Reply> {
    try {
        checkAdminAuth(rt, req.headers);
        return adminRoute(rt, req);
    } catch (err) {
        if (err instanceof ApiError) return { status: err.httpStatus, body: err.body() };
        rt.log(`emulator: admin internal error: ${(err as Error)?.stack ?? String(err)}`);
        return { status: 500, body: { error_code: ERROR_CODES.INTERNAL, error_msg: "Internal error of the emulator." } };
    }
}

interface AdminCall {
    rt: EmulatorRuntime;
    /** The request body as a JSON object ({} when empty). */
    body(): Record<string, unknown>;
    /** The capture groups of a path given as a regular expression. */
    params: string[];
}

interface AdminRoute {
    method: "GET" | "POST" | "PUT" | "DELETE";
    /** The path after ADMIN_PREFIX: exact, or a pattern whose groups become `params`. */
    path: string | RegExp;
    handle(call: AdminCall): unknown;
}

function cleared(count: number): { cleared: number } {
    return { cleared: count };
}

/** The admin API, one entry per endpoint (documented in emulator/README.md). */
const ADMIN_ROUTES: readonly AdminRoute[] = [
    { method: "GET", path: "/health", handle: () => ({ ok: true }) },

    { method: "GET", path: "/requests", handle: ({ rt }) => ({ requests: rt.requestLog }) },
    {
        method: "DELETE",
        path: "/requests",
        handle: ({ rt }) => {
            const count = rt.requestLog.length;
            rt.requestLog = [];
            return cleared(count);
        },
    },

    { method: "GET", path: "/faults", handle: ({ rt }) => ({ faults: rt.faults.rules }) },
    { method: "POST", path: "/faults", handle: ({ rt, body }) => rt.faults.add(checkFault(body())) },
    { method: "DELETE", path: "/faults", handle: ({ rt }) => cleared(rt.faults.clear()) },
    {
        method: "DELETE",
        path: /^\/faults\/([^/]+)$/,
        handle: ({ rt, params: [id] }) => {
            if (!rt.faults.remove(decodeURIComponent(id))) throw new ApiError(404, ERROR_CODES.ADMIN_NOT_FOUND, `no fault rule ${id}`);
            return { removed: id };
        },
    },

    { method: "GET", path: "/config", handle: ({ rt }) => rt.config },
    { method: "PUT", path: "/config", handle: ({ rt, body }) => patchConfig(rt, body()) },

    { method: "GET", path: "/failures", handle: ({ rt }) => ({ failures: rt.state.failures }) },
    { method: "POST", path: "/failures", handle: ({ rt, body }) => injectFailure(rt, body()) },
    {
        method: "DELETE",
        path: "/failures",
        handle: ({ rt }) => {
            const count = rt.state.failures.length;
            rt.state.failures = [];
            rt.persist();
            return cleared(count);
        },
    },

    {
        method: "POST",
        path: "/dev-servers/action",
        handle: ({ rt, body }) => {
            const b = body();
            const projectId = projectOf(rt, b);
            if (typeof b.id !== "string") bad("id (the DevServer ID) is required");
            const action = b.action;
            if (action !== "start" && action !== "stop" && action !== "delete") bad("action must be start, stop or delete");
            if (b.immediate !== undefined && typeof b.immediate !== "boolean") bad("immediate must be a boolean");
            return rt.devServers.outOfBand(projectId, b.id, action, b.immediate === true);
        },
    },
    {
        method: "POST",
        path: "/notebooks",
        // The model validates the seed itself (NotebookModel.seed).
        handle: ({ rt, body }) => rt.notebooks.seed(projectOf(rt, body()), body() as unknown as NotebookSeed),
    },

    {
        method: "POST",
        path: /^\/dev-servers\/(volumes|public-ips)$/,
        // Free EVS volumes and EIPs of a project, for DevServer attachvolume / publicips.
        handle: ({ rt, body, params: [what] }) => {
            const b = body();
            const projectId = projectOf(rt, b);
            return what === "volumes" ? rt.devServers.adminCreateVolume(projectId, b) : rt.devServers.adminCreatePublicIp(projectId);
        },
    },
    {
        method: "POST",
        path: "/notebooks/lease",
        handle: ({ rt, body }) => {
            const b = body();
            if (typeof b.id !== "string") bad("id (the notebook ID) is required");
            const { id, projectId: _p, ...patch } = b;
            return rt.notebooks.leaseOutOfBand(projectOf(rt, b), id as string, patch as LeasePatch);
        },
    },
    { method: "GET", path: "/state", handle: ({ rt }) => stateDump(rt) },
    {
        method: "DELETE",
        path: "/state",
        handle: ({ rt }) => {
            for (const p of Object.values(rt.state.projects)) {
                for (const family of FAMILIES) p[family.stateKey] = [];
                p.evsVolumes = [];
                p.publicIps = [];
            }
            rt.state.failures = [];
            rt.bss.reset();
            rt.persist();
            return { reset: true };
        },
    },

    {
        method: "POST",
        path: "/tokens",
        handle: ({ rt, body }) => {
            const b = body();
            const { domainId, accessKey } = domainOfAccessKey(rt, b);
            const issued = { token: "MIIE" + randomBytes(48).toString("base64url"), domainId, accessKey, expiresAt: Date.now() + ttlMs(b) };
            rt.state.tokens.push(issued);
            rt.persist();
            return { token: issued.token, accessKey, expiresAt: issued.expiresAt };
        },
    },
    {
        method: "POST",
        path: "/temporary-credentials",
        handle: ({ rt, body }) => {
            const b = body();
            const { domainId } = domainOfAccessKey(rt, b);
            const cred = {
                access: "EMUTMP" + randomBytes(7).toString("hex").toUpperCase(),
                secret: randomBytes(20).toString("hex"),
                securitytoken: "gQpzZWN1cml0eS10b2tlbi" + randomBytes(48).toString("base64url"),
                domainId,
                expiresAt: Date.now() + ttlMs(b),
            };
            rt.state.temporaryCredentials.push(cred);
            rt.persist();
            return { access: cred.access, secret: cred.secret, securitytoken: cred.securitytoken, expiresAt: cred.expiresAt };
        },
    },
];

function patchConfig(rt: EmulatorRuntime, body: Record<string, unknown>): EmulatorConfig {
    const next: EmulatorConfig = { ...rt.config };
    next.timings = mergeTimings(rt.config.timings, body.timings);
    if (body.rateLimit !== undefined) next.rateLimit = checkRateLimit(body.rateLimit);
    if (body.notFoundAs400 !== undefined) {
        if (typeof body.notFoundAs400 !== "boolean") bad("notFoundAs400 must be a boolean");
        next.notFoundAs400 = body.notFoundAs400;
    }
    if (body.createUserDataKey !== undefined) {
        if (body.createUserDataKey !== "user_data" && body.createUserDataKey !== "userdata") bad("createUserDataKey must be user_data or userdata");
        next.createUserDataKey = body.createUserDataKey;
    }
    if (body.deletedRetentionMs !== undefined) next.deletedRetentionMs = nonNegative(body.deletedRetentionMs, "deletedRetentionMs");
    Object.assign(rt.config, next);
    if (body.rateLimit !== undefined) rt.limiter.reconfigure(rt.config.rateLimit);
    return rt.config;
}

function injectFailure(rt: EmulatorRuntime, body: Record<string, unknown>): FailureInjection {
    const family = familyNamed(String(body.family ?? "devServer"));
    if (!family) bad(`family must be one of ${FAMILIES.map((f) => f.name).join(", ")}`);
    // DevServers also fail reboot / changeos / reinstallos transitions and attach / detach operations.
    const kinds = Object.keys(family.failedStatusFor) as FailureKind[];
    if (!kinds.includes(body.kind as FailureKind)) bad(`kind must be one of ${kinds.join(", ")}`);
    const kind = body.kind as FailureKind;
    const count = body.count ?? 1;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) bad("count must be a positive integer");
    const status = body.status ?? family.failedStatusFor[kind];
    if (typeof status !== "string" || !/^[A-Z_]+$/.test(status)) bad("status must be an upper-case status name such as CREATE_FAILED or ERROR");
    for (const k of ["projectId", "resourceId"] as const) {
        if (body[k] !== undefined && typeof body[k] !== "string") bad(`${k} must be a string`);
    }
    let reason: FailedReasons | undefined;
    if (body.reason !== undefined) {
        const r = body.reason as Record<string, unknown>;
        if (typeof r !== "object" || r === null || typeof r.code !== "string" || typeof r.message !== "string") {
            bad("reason must be {code, message}");
        }
        reason = { code: r.code as string, message: r.message as string };
    }
    const injection: FailureInjection = {
        id: randomBytes(8).toString("hex"),
        family: family.modelOf ?? (family.name as FailureInjection["family"]),
        kind,
        status,
        remaining: count,
        projectId: body.projectId as string | undefined,
        resourceId: body.resourceId as string | undefined,
        reason,
    };
    rt.state.failures.push(injection);
    rt.persist();
    return injection;
}

function adminRoute(rt: EmulatorRuntime, req: AdminRequest): Reply {
    const path = req.rawPath.slice(ADMIN_PREFIX.length).replace(/\/+$/, "") || "/";
    let parsed: Record<string, unknown> | undefined;
    const body = () => (parsed ??= asObject(req.body));
    for (const route of ADMIN_ROUTES) {
        if (route.method !== req.method) continue;
        const match = typeof route.path === "string" ? (route.path === path ? [path] : null) : route.path.exec(path);
        if (match) return { status: 200, body: route.handle({ rt, body, params: match.slice(1) }) };
    }
    const bssReply = bssAdminRoute(rt, req.method, path);
    if (bssReply) return bssReply;
    throw new ApiError(404, ERROR_CODES.ADMIN_NOT_FOUND, `Unknown admin endpoint ${req.method} ${req.rawPath}`);
}

// ----- typed client ------------------------------------------------------------------------------

export interface StateDump {
    time: number;
    /** Per project: its tenant's domain, its region and each family's records (keyed as in the state). */
    projects: Record<string, { domainName: string; region: string } & Record<keyof ProjectState, Record<string, unknown>[]>>;
    failures: FailureInjection[];
    /** BSS orders (with their current status) and subscriptions, every account. */
    bss?: ReturnType<EmulatorRuntime["bss"]["dump"]>;
}

export interface InjectFailureInput {
    family?: FamilyName;
    /** DevServers also: reboot, changeos, reinstallos, attach, detach; "notebooks" also: mount, unmount (failed storage). */
    kind: FailureKind;
    /**
     * Failed status to end in; default CREATE_FAILED / START_FAILED / STOP_FAILED / DELETE_FAILED /
     * REBOOT_FAILED / CHANGINGOS_FAILED / REINSTALLINGOS_FAILED (notebook stop: ERROR). For attach /
     * detach, `reason` becomes the operation's `operation_error`.
     */
    status?: string;
    /** How many matching transitions fail (default 1). */
    count?: number;
    projectId?: string;
    resourceId?: string;
    /** Notebooks: `spec.failed_reasons` shown after the failure; a failed mount: its `failure_reason` (the message). */
    reason?: FailedReasons;
}

export interface DevServerActionInput {
    projectId?: string;
    id: string;
    action: "start" | "stop" | "delete";
    /** Land on the final status at once instead of going through the transition. */
    immediate?: boolean;
}

export interface SeedNotebookInput extends NotebookSeed {
    projectId?: string;
}

export interface ConfigPatch {
    timings?: { devServer?: Partial<Timings["devServer"]>; notebook?: Partial<Timings["notebook"]>; bss?: Partial<BssTimings> };
    rateLimit?: RateLimitConfig | null;
    notFoundAs400?: boolean;
    deletedRetentionMs?: number;
    createUserDataKey?: "user_data" | "userdata";
}

export interface IssuedTokenInfo {
    token: string;
    accessKey: string;
    expiresAt: number;
}

export interface TemporaryCredentialInfo {
    access: string;
    secret: string;
    securitytoken: string;
    expiresAt: number;
}

/** Error thrown by EmulatorAdmin when the admin API answers with a non-2xx status. */
export class EmulatorAdminError extends Error {
    constructor(
        readonly status: number,
        readonly body: unknown,
    ) {
        super(`emulator admin API answered ${status}: ${JSON.stringify(body)}`);
        this.name = "EmulatorAdminError";
    }
}

/** Typed HTTP client of the admin API. */
export class EmulatorAdmin {
    constructor(
        readonly url: string,
        private readonly adminToken: string,
    ) {}

    private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
        const res = await fetch(this.url + ADMIN_PREFIX + path, {
            method,
            headers: { [ADMIN_TOKEN_HEADER]: this.adminToken, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
            body: body !== undefined ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        const parsed: unknown = text ? JSON.parse(text) : undefined;
        if (!res.ok) throw new EmulatorAdminError(res.status, parsed);
        return parsed as T;
    }

    health(): Promise<{ ok: boolean }> {
        return this.call("GET", "/health");
    }
    async requests(): Promise<RequestLogEntry[]> {
        return (await this.call<{ requests: RequestLogEntry[] }>("GET", "/requests")).requests;
    }
    async clearRequests(): Promise<number> {
        return (await this.call<{ cleared: number }>("DELETE", "/requests")).cleared;
    }
    addFault(rule: FaultRuleInput): Promise<FaultRule> {
        return this.call("POST", "/faults", rule);
    }
    async faults(): Promise<FaultRule[]> {
        return (await this.call<{ faults: FaultRule[] }>("GET", "/faults")).faults;
    }
    async removeFault(id: string): Promise<void> {
        await this.call("DELETE", `/faults/${encodeURIComponent(id)}`);
    }
    async clearFaults(): Promise<number> {
        return (await this.call<{ cleared: number }>("DELETE", "/faults")).cleared;
    }
    config(): Promise<EmulatorConfig> {
        return this.call("GET", "/config");
    }
    setConfig(patch: ConfigPatch): Promise<EmulatorConfig> {
        return this.call("PUT", "/config", patch);
    }
    injectFailure(input: InjectFailureInput): Promise<FailureInjection> {
        return this.call("POST", "/failures", input);
    }
    async failures(): Promise<FailureInjection[]> {
        return (await this.call<{ failures: FailureInjection[] }>("GET", "/failures")).failures;
    }
    async clearFailures(): Promise<number> {
        return (await this.call<{ cleared: number }>("DELETE", "/failures")).cleared;
    }
    devServerAction(input: DevServerActionInput): Promise<Record<string, unknown>> {
        return this.call("POST", "/dev-servers/action", input);
    }
    /** A free EVS volume (size 10..32768 GB, default 100; type default SSD) to attach to a DevServer. */
    createVolume(input: { projectId?: string; size?: number; type?: string } = {}): Promise<EvsVolumeRecord> {
        return this.call("POST", "/dev-servers/volumes", input);
    }
    /** A free EIP to bind to a DevServer. */
    createPublicIp(input: { projectId?: string } = {}): Promise<PublicIpRecord> {
        return this.call("POST", "/dev-servers/public-ips", input);
    }
    seedNotebook(input: SeedNotebookInput): Promise<Record<string, unknown>> {
        return this.call("POST", "/notebooks", input);
    }
    /** Changes a current-API notebook's lease out of band (durations and times in ms). */
    setLease(input: LeasePatch & { id: string; projectId?: string }): Promise<Record<string, unknown>> {
        return this.call("POST", "/notebooks/lease", input);
    }
    /** Pays a BSS order pending payment (status 6), as the user would in the billing center: it completes. */
    payOrder(orderId: string): Promise<Record<string, unknown>> {
        return this.call("POST", `/orders/${encodeURIComponent(orderId)}/pay`);
    }
    /** Cancels a BSS order that has not completed (status 4): its server never appears. */
    cancelOrder(orderId: string): Promise<Record<string, unknown>> {
        return this.call("POST", `/orders/${encodeURIComponent(orderId)}/cancel`);
    }
    /** Every BSS order (current status) and subscription. */
    orders(): Promise<NonNullable<StateDump["bss"]>> {
        return this.call("GET", "/orders");
    }
    state(): Promise<StateDump> {
        return this.call("GET", "/state");
    }
    async reset(): Promise<void> {
        await this.call("DELETE", "/state");
    }
    issueToken(input: { accessKey?: string; ttlSeconds?: number } = {}): Promise<IssuedTokenInfo> {
        return this.call("POST", "/tokens", input);
    }
    issueTemporaryCredentials(input: { accessKey?: string; ttlSeconds?: number } = {}): Promise<TemporaryCredentialInfo> {
        return this.call("POST", "/temporary-credentials", input);
    }
}
