/**
 * A local ModelArts API server: DevServers and development-environment (notebook) instances with
 * AK/SK authentication, per-project isolation, status machines, rate limiting, fault injection
 * and persistence. See emulator/README.md.
 *
 *     const emu = await startEmulator({ timings: FAST_TIMINGS });
 *     // emu.url, emu.projectId, emu.accessKey, emu.secretKey ... emu.admin.addFault({...})
 *     await emu.close();
 */
import { createServer, Server } from "http";
import { AddressInfo, Socket } from "net";
import { randomBytes } from "crypto";
import { BssTimings, DevServerTimings, NotebookTimings, Timings } from "./model/context";
import { EmulatorAdmin } from "./admin";
import { createListener } from "./http";
import { EmulatorConfig, EmulatorRuntime, RateLimitConfig } from "./runtime";
import { StateStore } from "./store";
import { DEFAULT_TENANTS, Tenant, TenantProject, validateTenants } from "./tenants";

export { DEFAULT_TENANTS, validateTenants } from "./tenants";
export type { Tenant, TenantProject } from "./tenants";
export { ERROR_CODES, ApiError } from "./errors";
export { EmulatorAdmin, EmulatorAdminError, ADMIN_TOKEN_HEADER, ADMIN_PREFIX } from "./admin";
export type {
    StateDump,
    InjectFailureInput,
    DevServerActionInput,
    SeedNotebookInput,
    ConfigPatch,
    IssuedTokenInfo,
    TemporaryCredentialInfo,
} from "./admin";
export type { EmulatorConfig, RateLimitConfig, RateLimitShape, FaultRule, FaultRuleInput, FaultKind, RequestLogEntry } from "./runtime";
export type { Timings, DevServerTimings, NotebookTimings, BssTimings } from "./model/context";
export type { FailureInjection, FailedReasons, TransitionKind, FailureKind, OperationKind, StorageOperationKind } from "./model/state";
export type { NotebookSeed, NotebookSeedStatus, LeasePatch } from "./model/notebooks";

/** Transition times close to the real service's (a few seconds). */
export const DEFAULT_TIMINGS: Timings = Object.freeze({
    devServer: Object.freeze({ create: 5000, start: 3000, stop: 3000, delete: 3000, reboot: 3000, changeos: 5000, reinstallos: 5000, operation: 1000 }),
    notebook: Object.freeze({ create: 3000, start: 3000, stop: 2000, delete: 2000, queue: 0 }),
    bss: Object.freeze({ orderComplete: 2000 }),
}) as Timings;

/** Short transitions for demos (`--fast`). */
export const FAST_TIMINGS: Timings = Object.freeze({
    devServer: Object.freeze({ create: 1000, start: 500, stop: 500, delete: 500, reboot: 500, changeos: 500, reinstallos: 500, operation: 200 }),
    notebook: Object.freeze({ create: 500, start: 500, stop: 500, delete: 500, queue: 0 }),
    bss: Object.freeze({ orderComplete: 300 }),
}) as Timings;

export const DEFAULT_RATE_LIMIT: RateLimitConfig = Object.freeze({ perSecond: 50 });

export interface EmulatorOptions {
    /** Interface to listen on; default 127.0.0.1 (loopback only). */
    host?: string;
    /** Port; default 0 (any free port). */
    port?: number;
    /** Persist the state in this JSON file (loaded on start); absent = clean, in memory. */
    stateFile?: string;
    /** Transition durations in ms; missing ones take DEFAULT_TIMINGS. */
    timings?: { devServer?: Partial<DevServerTimings>; notebook?: Partial<NotebookTimings>; bss?: Partial<BssTimings> };
    /** Per-project token bucket; null disables rate limiting. Default {perSecond: 50}. */
    rateLimit?: RateLimitConfig | null;
    /**
     * Answer a missing DevServer (ModelArts.6404) or instance (ModelArts.6309) with HTTP 400, as the
     * real API does (Terraform's not-found handling; the API reference's error-code appendix).
     * Default true; false answers 404 with the same codes, as the seed pages' examples show.
     */
    notFoundAs400?: boolean;
    /** The key DevServer create reads user data from; the other is ignored silently. Default `user_data`. */
    createUserDataKey?: "user_data" | "userdata";
    /** Tenants (domains, AK/SK, projects); default DEFAULT_TENANTS. */
    tenants?: readonly Tenant[];
    /** Token of the admin API (header X-Emulator-Admin-Token); default random. */
    adminToken?: string;
    /** How long a deleted DevServer is still returned with status DELETED before it is not found; default 0. */
    deletedRetentionMs?: number;
    /** Receives one line per request and internal errors; never secrets or bodies. Default: silent. */
    log?: (line: string) => void;
}

export interface RunningEmulator {
    /** Base URL, e.g. http://127.0.0.1:38211 (use as the ModelArts endpoint). */
    url: string;
    port: number;
    /** First tenant's first project: the defaults to hand to a client. */
    projectId: string;
    region: string;
    accessKey: string;
    secretKey: string;
    adminToken: string;
    tenants: readonly Tenant[];
    /** HTTP client of the admin API. */
    admin: EmulatorAdmin;
    /** Stops listening and closes every connection, keep-alive ones included. */
    close(): Promise<void>;
}

export function resolveConfig(options: EmulatorOptions): EmulatorConfig {
    return {
        timings: {
            devServer: { ...DEFAULT_TIMINGS.devServer, ...(options.timings?.devServer ?? {}) },
            notebook: { ...DEFAULT_TIMINGS.notebook, ...(options.timings?.notebook ?? {}) },
            bss: { ...DEFAULT_TIMINGS.bss!, ...(options.timings?.bss ?? {}) },
        },
        rateLimit: options.rateLimit === undefined ? { ...DEFAULT_RATE_LIMIT } : options.rateLimit,
        notFoundAs400: options.notFoundAs400 ?? true,
        deletedRetentionMs: options.deletedRetentionMs ?? 0,
        createUserDataKey: options.createUserDataKey ?? "user_data",
    };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
    const tenants = options.tenants ?? DEFAULT_TENANTS;
    validateTenants(tenants);
    const adminToken = options.adminToken ?? randomBytes(16).toString("hex");
    const runtime = new EmulatorRuntime({
        tenants,
        config: resolveConfig(options),
        store: new StateStore(options.stateFile),
        adminToken,
        log: options.log ?? (() => undefined),
    });
    const server: Server = createServer(createListener(runtime));
    server.keepAliveTimeout = 5000;
    const sockets = new Set<Socket>();
    server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, host, () => {
            server.off("error", reject);
            resolve();
        });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
    const url = `http://${urlHost}:${port}`;
    const first: Tenant = tenants[0];
    const project: TenantProject = first.projects[0];
    let closed: Promise<void> | undefined;
    return {
        url,
        port,
        projectId: project.id,
        region: project.region,
        accessKey: first.accessKey,
        secretKey: first.secretKey,
        adminToken,
        tenants,
        admin: new EmulatorAdmin(url, adminToken),
        close: () => {
            closed ??= new Promise<void>((resolve, reject) => {
                server.close((err) => (err ? reject(err) : resolve()));
                server.closeAllConnections();
                for (const s of sockets) s.destroy();
            });
            return closed;
        },
    };
}
