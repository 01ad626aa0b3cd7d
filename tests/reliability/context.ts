/**
 * Shared fixture of the reliability matrices: ONE emulator (with a state file on a fixed port, so it
 * can be restarted in the middle of a wait) and ONE dynamic-provider host, plus "the state": the
 * DevServer ids the rows hold, as the Pulumi engine would after each step. After every fault row
 * `audit` compares that state with the servers the emulator really has.
 *
 * Everything the host prints, every error and every response's properties are collected, so the
 * secrets matrix can scan them afterwards.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { randomBytes } from "crypto";
import { startEmulator, RunningEmulator, FaultRuleInput, InjectFailureInput } from "../../emulator";
import { HostError, ProviderHost, Props, providerTextOf, urnFor } from "../harness/engine";

export const IMAGE = "c90fb553-2cdb-4b81-b56a-ef68812c6cf7";

/** Distinctive secret values: the secrets matrix scans every output for them. */
export const ADMIN_PASS = "Zq9!secretPassX";
export const USER_DATA = "#!/bin/sh\necho SUPER-SECRET-USERDATA";

/** Transitions short enough for a fast matrix, long enough to be seen in progress. */
export const BASE_TIMINGS = {
    devServer: { create: 150, start: 100, stop: 100, delete: 100, operation: 100 },
    notebook: { create: 100, start: 100, stop: 100, delete: 100, queue: 0 },
    bss: { orderComplete: 150 },
};

export const DEV_URN = urnFor("DevServer", "rel-box");
export const NB_URN = urnFor("NotebookAutoStop", "rel-guard");
export const NOTEBOOK_URN = urnFor("Notebook", "rel-notebook");
export const NOTEBOOK_IMAGE = "e1a07296-22a8-4f05-8bc8-e936c8e54090";

/** A valid Notebook program (the Notebook resource's rows). */
export function notebookProgram(overrides: Props = {}): Props {
    return { name: "rel-notebook", flavor: "modelarts.vm.cpu.2u", imageId: NOTEBOOK_IMAGE, volume: { category: "EVS", capacity: 10 }, ...overrides };
}

/** A DevServer program; logs in with the (secret) adminPass and passes (secret) userData. */
export function program(overrides: Props = {}): Props {
    return {
        name: "rel-box",
        resourceFlavor: "Si2.large.4",
        imageId: IMAGE,
        vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
        subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
        adminPass: ADMIN_PASS,
        userData: USER_DATA,
        powerState: "RUNNING",
        ...overrides,
    };
}

export interface Collected {
    /** Every error message a host answered with (fault rows, secrets rows, ...). */
    errors: string[];
    /** Every property bag a host returned (create/read/update responses, init-failure details). */
    responses: Props[];
    /** Every check failure reason. */
    checkReasons: string[];
    /** Output of hosts that were already closed. */
    closedHostOutput: string[];
}

export class Ctx {
    emu!: RunningEmulator;
    host!: ProviderHost;
    devText = "";
    nbText = "";
    notebookText = "";
    /** The "state": DevServer id -> last properties the engine would hold. */
    readonly tracked = new Map<string, Props>();
    readonly collected: Collected = { errors: [], responses: [], checkReasons: [], closedHostOutput: [] };
    readonly extraHosts: ProviderHost[] = [];
    private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-reliability-"));
    readonly stateFile = path.join(this.dir, "emulator-state.json");
    readonly adminToken = randomBytes(16).toString("hex");
    private port = 0;

    async start(): Promise<void> {
        this.devText = providerTextOf("devServerShim");
        this.nbText = providerTextOf("notebookAutoStopShim");
        this.notebookText = providerTextOf("notebookShim");
        await this.startEmulator();
        this.host = await this.startHost();
    }

    private async startEmulator(): Promise<void> {
        this.emu = await startEmulator({
            port: this.port,
            stateFile: this.stateFile,
            adminToken: this.adminToken,
            timings: BASE_TIMINGS,
            rateLimit: null,
        });
        this.port = this.emu.port;
    }

    /** Stops the emulator (every connection dropped), waits, and starts it again on the same port and state file. */
    async restartEmulator(downMs = 300): Promise<void> {
        await this.emu.close();
        await sleep(downMs);
        await this.startEmulator();
    }

    stackConfig(extra: Record<string, string> = {}): Record<string, string> {
        return {
            "huaweicloud:region": this.emu.region,
            "huaweicloud:projectId": this.emu.projectId,
            "huaweicloud:accessKey": this.emu.accessKey,
            "huaweicloud:secretKey": this.emu.secretKey,
            "huaweicloud:modelartsEndpoint": this.emu.url,
            ...extra,
        };
    }

    /** A host configured with the first tenant (unless `config` says otherwise), at debug log level. */
    async startHost(env: Record<string, string> = {}, config?: Record<string, string>): Promise<ProviderHost> {
        const host = await ProviderHost.start({
            env: { PULUMI_MODELARTS_POLL_SCALE: "0.05", PULUMI_MODELARTS_LOG_LEVEL: "debug", ...env },
        });
        await host.configure(config ?? this.stackConfig());
        if (this.host) this.extraHosts.push(host);
        return host;
    }

    /** Closes a host started by `startHost`, keeping what it printed for the secrets scan. */
    async closeHost(host: ProviderHost): Promise<void> {
        const i = this.extraHosts.indexOf(host);
        if (i < 0) return;
        this.extraHosts.splice(i, 1);
        await host.close();
        this.collected.closedHostOutput.push(...host.output, ...host.engineLogs.map((l) => l.message));
    }

    dev(inputs: Props): Props {
        return { ...inputs, __provider: this.devText };
    }

    nb(inputs: Props): Props {
        return { ...inputs, __provider: this.nbText };
    }

    /** Inputs of the Notebook resource, with its serialized provider. */
    notebookInputs(inputs: Props): Props {
        return { ...inputs, __provider: this.notebookText };
    }

    /** The notebooks of the first project named `name`, as the emulator holds them. */
    async notebooksNamed(name: string): Promise<Array<Record<string, any>>> {
        const dump = await this.emu.admin.state();
        return (dump.projects[this.emu.projectId]?.notebooks ?? []).filter((n) => n.name === name);
    }

    /** The servers of the first project, as the emulator holds them (deleted ones excluded). */
    async servers(projectId = this.emu.projectId): Promise<Array<Record<string, any>>> {
        const dump = await this.emu.admin.state();
        return (dump.projects[projectId]?.devServers ?? []).filter((s) => s.status !== "DELETED");
    }

    async server(id: string): Promise<Record<string, any> | undefined> {
        return (await this.servers()).find((s) => s.id === id);
    }

    /** A signed tenant DELETE (relative to /v1/{project}), as another tool would send it. */
    async tenantDelete(path: string): Promise<void> {
        const { EmulatorClient } = await import("../helpers/emulatorClient");
        const c = new EmulatorClient(this.emu.url, { accessKey: this.emu.accessKey, secretKey: this.emu.secretKey }, this.emu.projectId);
        const r = await c.del(path);
        if (r.status !== 200) throw new Error(`tenant DELETE ${path} answered ${r.status}`);
    }

    /** A current-API notebook's mounted storages, as the tenant API lists them (`[{id, mount_path, uri, status, ...}]`). */
    async notebookStorages(id: string): Promise<Array<Record<string, any>>> {
        const { EmulatorClient } = await import("../helpers/emulatorClient");
        const c = new EmulatorClient(this.emu.url, { accessKey: this.emu.accessKey, secretKey: this.emu.secretKey }, this.emu.projectId);
        const r = await c.get(`/notebooks/${id}/storage`);
        if (r.status !== 200) throw new Error(`tenant GET /notebooks/${id}/storage answered ${r.status}`);
        return r.body.data;
    }

    async notebook(id: string): Promise<Record<string, any> | undefined> {
        const dump = await this.emu.admin.state();
        return (dump.projects[this.emu.projectId]?.notebooks ?? []).find((n) => n.id === id);
    }

    /**
     * Orphans (a server in the emulator that no state tracks, minus `acknowledged` ones the user was
     * told about by id) and duplicates (two live servers of one name).
     */
    async audit(acknowledged: string[] = []): Promise<{ orphans: string[]; duplicates: string[]; servers: number; tracked: number }> {
        const servers = await this.servers();
        const orphans = servers.filter((s) => !this.tracked.has(s.id) && !acknowledged.includes(s.id)).map((s) => `${s.name}/${s.id}/${s.status}`);
        // Two servers of one name are a duplicate unless the state tracks both (a replace holds the old and the new).
        const byName = new Map<string, { n: number; untracked: number }>();
        for (const s of servers) {
            if (acknowledged.includes(s.id)) continue;
            const e = byName.get(s.name) ?? { n: 0, untracked: 0 };
            byName.set(s.name, { n: e.n + 1, untracked: e.untracked + (this.tracked.has(s.id) ? 0 : 1) });
        }
        const duplicates = [...byName].filter(([, e]) => e.n > 1 && e.untracked > 0).map(([name, e]) => `${name} x${e.n}`);
        return { orphans, duplicates, servers: servers.length, tracked: this.tracked.size };
    }

    /** Back to a clean emulator between rows: no servers, notebooks, faults, failures, config changes, requests. */
    async reset(): Promise<void> {
        const admin = this.emu.admin;
        await admin.clearFaults();
        await admin.setConfig({ timings: BASE_TIMINGS, rateLimit: null, notFoundAs400: true, createUserDataKey: "user_data" });
        await admin.reset();
        await admin.clearRequests();
        this.tracked.clear();
    }

    async addFaults(faults: FaultRuleInput[] = []): Promise<void> {
        for (const f of faults) await this.emu.admin.addFault(f);
    }

    async injectFailures(failures: InjectFailureInput[] = []): Promise<void> {
        for (const f of failures) await this.emu.admin.injectFailure(f);
    }

    /** Polls the emulator until a server named `name` is in `status` (for mid-wait actions). */
    async untilStatus(name: string, statuses: string[], timeoutMs = 5000): Promise<Record<string, any>> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const s = (await this.servers()).find((x) => x.name === name && statuses.includes(x.status));
            if (s) return s;
            if (Date.now() > deadline) throw new Error(`server ${name} never reached ${statuses.join("/")}`);
            await sleep(15);
        }
    }

    /** Every text this suite's hosts showed: stdout/stderr lines and engine Log calls. */
    hostText(): string {
        const hosts = [this.host, ...this.extraHosts].filter(Boolean);
        return [
            ...this.collected.closedHostOutput,
            ...hosts.flatMap((h) => h.output),
            ...hosts.flatMap((h) => h.engineLogs.map((l) => l.message)),
        ].join("\n");
    }

    engineLogText(): string {
        return [this.host, ...this.extraHosts].filter(Boolean).flatMap((h) => h.engineLogs.map((l) => l.message)).join("\n");
    }

    async close(): Promise<void> {
        for (const h of [this.host, ...this.extraHosts]) await h?.close().catch(() => undefined);
        await this.emu?.close().catch(() => undefined);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

export type Attempt<T> = { ok: true; value: T; ms: number } | { ok: false; error: HostError; ms: number };

/** Runs a host call, recording its error message or response properties for the secrets scan. */
export async function attempt<T>(ctx: Ctx, fn: () => Promise<T>): Promise<Attempt<T>> {
    const started = Date.now();
    try {
        const value = await fn();
        const props = (value as { properties?: Props } | undefined)?.properties;
        if (props) ctx.collected.responses.push(props);
        const inputs = (value as { inputs?: Props } | undefined)?.inputs;
        if (inputs) ctx.collected.responses.push(inputs);
        return { ok: true, value, ms: Date.now() - started };
    } catch (e) {
        const error = e instanceof HostError ? e : new HostError(String((e as Error)?.message ?? e), -1);
        ctx.collected.errors.push(error.message);
        if (error.initFailure) {
            ctx.collected.responses.push(error.initFailure.properties);
            ctx.collected.errors.push(...error.initFailure.reasons);
        }
        return { ok: false, error, ms: Date.now() - started };
    }
}

/** One line, no table-breaking characters, bounded length: for the report. */
export function oneLine(text: string, max = 220): string {
    const flat = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "/").replace(/\s+/g, " ").trim();
    return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}

export function seconds(ms: number): string {
    return `${(ms / 1000).toFixed(1)}s`;
}
