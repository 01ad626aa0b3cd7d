/**
 * The emulator's core, independent of HTTP: live configuration, state and its persistence, the
 * models, the authenticator, fault rules, the rate limiter and the request log.
 */
import { randomUUID } from "crypto";
import { Authenticator } from "./auth";
import { FAMILIES, FamilyName } from "./families";
import { DevServerModel } from "./model/devServers";
import { BssModel } from "./model/bss";
import { NotebookModel } from "./model/notebooks";
import { ModelContext, Timings } from "./model/context";
import { EmulatorState } from "./model/state";
import { StateStore } from "./store";
import { Tenant } from "./tenants";
import { RateLimitConfig, RateLimiter } from "./rateLimit";

export type { RateLimitConfig, RateLimitShape } from "./rateLimit";

export interface EmulatorConfig {
    timings: Timings;
    rateLimit: RateLimitConfig | null;
    notFoundAs400: boolean;
    deletedRetentionMs: number;
    /**
     * The key DevServer create reads the user data from. The sources disagree (SDK `user_data`,
     * Terraform `userdata`); the other key is ignored without an error, the worst case of a wrong
     * guess, so that a test catches a client that sends only one. Default `user_data` (the SDKs).
     */
    createUserDataKey: "user_data" | "userdata";
}

export type FaultKind = "status" | "reset" | "delay" | "reset-after";

export interface FaultRuleInput {
    /** HTTP method to match (any when absent). */
    method?: string;
    /** Regular expression source matched against the request path (without the query); any when absent. */
    path?: string;
    kind: FaultKind;
    /** kind "status": the HTTP status to answer (default 500). */
    status?: number;
    /** kind "status": error_code of the body (default ModelArts.0500). */
    errorCode?: string;
    /** kind "status": error message of the body. */
    message?: string;
    /** kind "delay": milliseconds to wait before handling the request (default 1000). */
    delayMs?: number;
    /** Fire for this many matching requests, then remove the rule (unlimited when absent). */
    count?: number;
    /** Probability (0..1) that a matching request is affected (default 1). */
    fraction?: number;
}

export interface FaultRule extends FaultRuleInput {
    id: string;
    /** How many requests the rule has affected so far. */
    fired: number;
}

export interface RequestLogEntry {
    time: string;
    method: string;
    /** Path without the query string. */
    path: string;
    /** The raw query string ("" when none). */
    query: string;
    /** HTTP status answered; 0 when the connection was reset without an answer. */
    status: number;
    projectId?: string;
    requestId: string;
    accessKey?: string;
    /** The fault kind applied, if any. */
    fault?: FaultKind;
    durationMs: number;
}

export const MAX_LOG_ENTRIES = 10000;

export class FaultRules {
    rules: FaultRule[] = [];

    add(input: FaultRuleInput): FaultRule {
        const rule: FaultRule = { ...input, id: randomUUID(), fired: 0 };
        this.rules.push(rule);
        return rule;
    }

    remove(id: string): boolean {
        const before = this.rules.length;
        this.rules = this.rules.filter((r) => r.id !== id);
        return this.rules.length !== before;
    }

    clear(): number {
        const n = this.rules.length;
        this.rules = [];
        return n;
    }

    /**
     * The rules that fire for this request, in the order they were added, up to and including the
     * first one that ends the request (status, reset); counts are consumed here.
     */
    fire(method: string, path: string, random: () => number = Math.random): FaultRule[] {
        const fired: FaultRule[] = [];
        for (const rule of [...this.rules]) {
            if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
            if (rule.path && !new RegExp(rule.path).test(path)) continue;
            if (rule.fraction !== undefined && random() >= rule.fraction) continue;
            rule.fired++;
            if (rule.count !== undefined && rule.fired >= rule.count) this.remove(rule.id);
            fired.push({ ...rule });
            if (rule.kind === "status" || rule.kind === "reset") break;
        }
        return fired;
    }
}

export interface RuntimeOptions {
    tenants: readonly Tenant[];
    config: EmulatorConfig;
    store: StateStore;
    adminToken: string;
    log: (line: string) => void;
}

export class EmulatorRuntime {
    readonly tenants: readonly Tenant[];
    readonly config: EmulatorConfig;
    readonly store: StateStore;
    readonly adminToken: string;
    readonly log: (line: string) => void;
    state: EmulatorState;
    /** One model per family of the registry (emulator/families.ts). */
    readonly models: Readonly<Record<FamilyName, unknown>>;
    /** Billing (BSS): per account, served beside the project families (emulator/bss.ts). */
    readonly bss: BssModel;
    readonly auth: Authenticator;
    readonly faults = new FaultRules();
    readonly limiter: RateLimiter;
    requestLog: RequestLogEntry[] = [];

    constructor(opts: RuntimeOptions) {
        this.tenants = opts.tenants;
        this.config = opts.config;
        this.store = opts.store;
        this.adminToken = opts.adminToken;
        this.log = opts.log;
        this.state = opts.store.load();
        this.limiter = new RateLimiter(this.config.rateLimit);
        const getState = () => this.state;
        const ctx: ModelContext = {
            get state() {
                return getState();
            },
            now: () => Date.now(),
            timings: () => this.config.timings,
            deletedRetentionMs: () => this.config.deletedRetentionMs,
            notFoundAs400: () => this.config.notFoundAs400,
            createUserDataKey: () => this.config.createUserDataKey,
            mutated: () => this.persist(),
        };
        const models: Partial<Record<FamilyName, unknown>> = {};
        for (const f of FAMILIES) if (!f.modelOf) models[f.name as FamilyName] = f.createModel(ctx);
        for (const f of FAMILIES) if (f.modelOf) models[f.name as FamilyName] = models[f.modelOf];
        this.models = models as Record<FamilyName, unknown>;
        const devServers = this.models.devServer as DevServerModel;
        this.bss = new BssModel(
            ctx,
            (projectId) => this.tenantOfProject(projectId)?.domainId,
            (projectId, id) => void devServers.outOfBand(projectId, id, "delete"),
        );
        devServers.prepaid = this.bss;
        this.notebooks.userFor = (projectId) => {
            const t = this.tenantOfProject(projectId);
            return t ? { id: t.userId, name: t.userName } : { id: "0".repeat(32), name: "unknown" };
        };
        this.auth = new Authenticator(this.tenants, () => this.state, () => Date.now());
    }

    /** The DevServer model, for the admin API's out-of-band actions. */
    get devServers(): DevServerModel {
        return this.models.devServer as DevServerModel;
    }

    /** The notebook model, for the admin API's seeding. */
    get notebooks(): NotebookModel {
        return this.models.notebook as NotebookModel;
    }

    persist(): void {
        this.store.save(this.state);
    }

    tenantOfProject(projectId: string): Tenant | undefined {
        return this.tenants.find((t) => t.projects.some((p) => p.id === projectId));
    }

    recordRequest(entry: RequestLogEntry): void {
        this.requestLog.push(entry);
        if (this.requestLog.length > MAX_LOG_ENTRIES) this.requestLog.splice(0, this.requestLog.length - MAX_LOG_ENTRIES);
    }
}
