/**
 * NotebookAutoStop: the auto-stop policy of a ModelArts notebook, declared in code. The resource's
 * id is the instance id; it does not own the instance, only its auto-stop policy, in either API
 * family:
 * - `notebooks` (the current API, `/v1/{project_id}/notebooks/{id}`): the policy is a lease
 *   (GET / PATCH `.../lease`); `duration` means "the notebook stops `duration` seconds after the
 *   policy was last applied" (RenewLease counts from now);
 * - `demanager` (the legacy development-environment API of the seeds): `spec.auto_stop`.
 * The family is detected (current API first, each by its own not-found codes) unless `api` names it.
 * On delete it restores the policy the instance had before (default) or disables auto-stop, where
 * the family allows it, and warns where it does not.
 */
import { z } from "zod";
import * as api from "../api/notebooks";
import { getClient, ModelArtsClient } from "../client";
import { describeError, isTransientError, ResourceInitError, WaitFailedError, WaitTimeoutError } from "../errors";
import { log } from "../log";
import { Clock, realClock } from "../clock";
import { waitFor } from "../wait";
import {
    CheckFailure,
    checkWithSchema,
    compact,
    configFor,
    containsUnknown,
    locationReplaces,
    locationSchemaFields,
    Timeouts,
    timeoutMs,
    timeoutsSchema,
} from "./common";

/** 2: outputs gained `api`, `type`, `leaseType`; state of version 1 (no `api`) is demanager. */
export const STATE_VERSION = 2;

const MIN_DURATION = 3600;
/** The legacy demanager API's maximum (seed 003): 24 h. */
const MAX_DURATION = 86400;
/** The lease's maximum (RenewLease: 259,200,000 ms): 72 h. */
const MAX_LEASE_DURATION = 259200;

export type ApiFamily = "notebooks" | "demanager";

const byClass = (c: string) => Object.keys(api.NOTEBOOK_STATUS_CLASSES).filter((k) => api.NOTEBOOK_STATUS_CLASSES[k] === c);
/** The instance is on its way somewhere: wait before touching its policy (see api.NOTEBOOK_STATUS_CLASSES). */
const TRANSITIONAL = byClass("transient");
const SETTLED = byClass("settled");
const FAILED = [...byClass("failed"), ...byClass("gone")];

const DEFAULT_TIMEOUTS_MS = { create: 20 * 60_000, update: 20 * 60_000, delete: 20 * 60_000 };

export const notebookAutoStopInputSchema = z
    .strictObject({
        instanceId: z
            .string({ error: (i) => (i.input === undefined ? "instanceId is required: the development-environment instance's ID" : "instanceId must be a string") })
            .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, "instanceId must be an instance ID such as 6fa459ea-ee8a-3ca4-894e-db77e160355e"),
        enabled: z.boolean({ error: (i) => (i.input === undefined ? "enabled is required: true to stop the instance after `duration`, false to turn auto-stop off" : "enabled must be true or false") }),
        duration: z
            .number({ error: "duration must be a number of seconds" })
            .int("duration must be a whole number of seconds")
            .min(MIN_DURATION, `duration must be at least ${MIN_DURATION} seconds (1 hour)`)
            .max(
                MAX_LEASE_DURATION,
                `duration must be at most ${MAX_LEASE_DURATION} seconds (72 hours, the lease limit of the current notebooks API; the legacy demanager API allows at most ${MAX_DURATION})`,
            )
            .optional(),
        prompt: z.boolean({ error: "prompt must be true or false" }).optional(),
        /** TIMING: stop `duration` after the policy is applied; IDLE (current API only): stop after `duration` idle. */
        type: z.enum(["TIMING", "IDLE"], { error: 'type must be "TIMING" or "IDLE"' }).optional(),
        /** Which API manages the instance; detected when absent. */
        api: z.enum(["notebooks", "demanager"], { error: 'api must be "notebooks" (the current API) or "demanager" (the legacy development-environment API)' }).optional(),
        onDelete: z.enum(["restore", "disable"], { error: 'onDelete must be "restore" (the policy from before) or "disable"' }).optional(),
        ...locationSchemaFields,
        timeouts: timeoutsSchema.optional(),
        /** Set by the SDK from the `import` resource option; must name the same instance. */
        importId: z.string({ error: "importId must be a string" }).optional(),
    })
    .superRefine((v, ctx) => {
        if (v.importId !== undefined && v.instanceId !== undefined && v.importId !== v.instanceId) {
            ctx.addIssue({
                code: "custom",
                path: ["importId"],
                params: { related: ["importId", "instanceId"] },
                message: "the import option's id must be the instanceId: a NotebookAutoStop is identified by its instance",
            });
        }
        if (v.enabled === true && v.duration === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["duration"],
                params: { related: ["duration", "enabled"] },
                message: `duration is required when enabled is true: seconds of running time before the instance stops, ${MIN_DURATION}..${MAX_LEASE_DURATION} (demanager: ..${MAX_DURATION})`,
            });
        }
        if (v.api !== undefined) {
            for (const p of familyProblems(v, v.api)) ctx.addIssue({ code: "custom", path: [p.property], params: { related: [p.property, "api"] }, message: p.reason });
        }
    });

/**
 * What a family cannot honour, per input. Checked in `check` when `api` is explicit, and in
 * create/update once the family is detected: never a silent no-op.
 */
export function familyProblems(
    v: { enabled?: unknown; duration?: unknown; prompt?: unknown; type?: unknown },
    family: ApiFamily,
): Array<{ property: string; reason: string }> {
    const out: Array<{ property: string; reason: string }> = [];
    if (family === "demanager") {
        if (typeof v.duration === "number" && v.duration > MAX_DURATION) {
            out.push({ property: "duration", reason: `duration must be at most ${MAX_DURATION} seconds (24 hours) on the legacy demanager API (spec.auto_stop.duration); only the current notebooks API's lease allows up to ${MAX_LEASE_DURATION}` });
        }
        if (v.type === "IDLE") {
            out.push({ property: "type", reason: 'type "IDLE" exists only on notebooks of the current API (lease); the legacy demanager API stops after a running time (TIMING)' });
        }
    } else {
        if (v.prompt !== undefined) {
            out.push({ property: "prompt", reason: "prompt is a setting of the legacy demanager API only: the current notebooks API's lease has no reminder setting; remove prompt" });
        }
        if (v.enabled === false) {
            out.push({
                property: "enabled",
                reason:
                    "enabled: false cannot be applied to a notebook of the current API: no documented call turns its lease off (RenewLease only renews; " +
                    "only creating it with duration -1 or starting it with ?duration=-1 does). Stop the notebook and start it with duration -1, or declare a duration",
            });
        }
    }
    return out;
}

export type NotebookAutoStopInputs = z.infer<typeof notebookAutoStopInputSchema>;

export interface AutoStopPolicy {
    enabled: boolean;
    duration?: number;
    prompt?: boolean;
    /** Current API: TIMING | IDLE. */
    type?: "TIMING" | "IDLE";
    /** Current API: when the lease stopped / stops the notebook (ISO 8601), for restoring it. */
    stopAt?: string;
}

export interface NotebookAutoStopOutputs extends NotebookAutoStopInputs {
    stateVersion: number;
    /** The API family that manages the instance (detected, or as declared). Absent in version-1 state: demanager. */
    api?: ApiFamily;
    /** Current API: the lease type as the service reports it (TIMING / IDLE). */
    leaseType?: string;
    region: string;
    projectId: string;
    /** demanager only (absent for the current API, which has no reminder setting). */
    prompt?: boolean;
    onDelete: "restore" | "disable";
    /** The instance's name, status and flavor as last seen. */
    name?: string;
    status?: string;
    flavor?: string;
    /** When a RUNNING instance will stop (ISO 8601), and the seconds left, as the service reports. */
    stopTimestamp?: string;
    remainTime?: number;
    /** The policy the instance had before this resource took it over: what delete restores. */
    priorPolicy: AutoStopPolicy;
    /** True when a changed duration was applied to a RUNNING instance: it takes effect at its next start. */
    durationTakesEffectAtNextStart?: boolean;
}

export interface Deps {
    clock?: Clock;
}

function label(instanceId: string, name?: string): string {
    return `notebook instance ${name ? `${name} (${instanceId})` : instanceId}`;
}

function policyOf(nb: api.NotebookInstance): AutoStopPolicy {
    const a = nb.spec?.auto_stop;
    return compact({ enabled: a?.enable === true, duration: a?.duration ?? undefined, prompt: a?.prompt ?? undefined }) as AutoStopPolicy;
}

function failedReasons(nb: api.NotebookInstance): string {
    const r = nb.spec?.failed_reasons as { code?: string; message?: string } | undefined;
    return r ? [r.code, r.message].filter(Boolean).join(": ") : "";
}

function outputsFrom(
    declared: NotebookAutoStopInputs,
    cfg: { region: string; projectId: string },
    nb: api.NotebookInstance,
    priorPolicy: AutoStopPolicy,
    durationTakesEffectAtNextStart?: boolean,
): NotebookAutoStopOutputs {
    const a = nb.spec?.auto_stop;
    const stopMs = typeof a?.stop_timestamp === "number" && a.stop_timestamp > 0 ? a.stop_timestamp : undefined;
    const { importId: _importId, ...inputs } = declared;
    return compact({
        ...inputs,
        stateVersion: STATE_VERSION,
        api: "demanager",
        region: cfg.region,
        projectId: cfg.projectId,
        prompt: declared.prompt ?? true,
        onDelete: declared.onDelete ?? "restore",
        name: nb.name ?? undefined,
        status: nb.status ?? undefined,
        flavor: nb.flavor ?? undefined,
        stopTimestamp: stopMs ? new Date(stopMs).toISOString() : undefined,
        remainTime: a?.enable ? (a?.remain_time ?? undefined) : undefined,
        priorPolicy,
        durationTakesEffectAtNextStart: durationTakesEffectAtNextStart || undefined,
    }) as NotebookAutoStopOutputs;
}

async function observe(client: ModelArtsClient, id: string) {
    const nb = await api.findNotebookInstance(client, id);
    return nb ? { status: String(nb.status), value: nb } : undefined;
}

function missingError(instanceId: string, cfg: { region: string; projectId: string }, family?: ApiFamily): Error {
    const where =
        family === "notebooks"
            ? "the current notebooks API (/notebooks) does not know it"
            : family === "demanager"
              ? "the legacy demanager API (/demanager/instances) does not know it"
              : "neither the current notebooks API (/notebooks) nor the legacy demanager API (/demanager/instances) knows it";
    return new Error(
        `${label(instanceId)} does not exist in project ${cfg.projectId} (region ${cfg.region}): ${where}. Check instanceId` +
            (family ? ` and api (or leave api out to detect the family)` : "") +
            `, and that huaweicloud:region / huaweicloud:projectId point where the instance lives`,
    );
}

/**
 * Waits until `observe` reports a settled status (RUNNING / STOPPED), through transient and queuing
 * statuses; a failed status (or a gone one) is an error naming the instance. A status in no class
 * (a future one) is waited through with a warning, bounded by the timeout.
 */
async function settle<T extends { name?: string }>(
    instanceId: string,
    first: { status: string; value: T },
    observe: () => Promise<{ status: string; value: T } | undefined>,
    reasonsOf: (v: T) => string,
    timeout: number,
    deps: Deps,
    queueNote = "",
): Promise<T> {
    const failedError = (status: string, v: T | undefined) => {
        const reasons = v ? reasonsOf(v) : "";
        return new Error(
            `${label(instanceId, v?.name ?? first.value.name ?? undefined)} is in status ${status}${reasons ? ` (${reasons})` : ""}; ` +
                `its auto-stop policy cannot be managed until it recovers (see the ModelArts console for ${instanceId})`,
        );
    };
    const cls = api.classifyNotebookStatus(first.status);
    if (cls === "settled") return first.value;
    if (cls === "failed" || cls === "gone") throw failedError(first.status, first.value);
    const pending = [...TRANSITIONAL];
    const noteUnknown = (status: string) => {
        if (api.classifyNotebookStatus(status) === "unknown" && !pending.includes(status)) {
            pending.push(status);
            log.warn(`${label(instanceId, first.value.name ?? undefined)} reports status ${status}, which this provider does not know; waiting for RUNNING or STOPPED (bounded by the timeout)`);
        }
    };
    noteUnknown(first.status);
    log.info(
        `${label(instanceId, first.value.name ?? undefined)} is ${first.status}${queueNote}; waiting for it to settle before changing its auto-stop policy`,
    );
    try {
        const result = await waitFor({
            what: `${label(instanceId, first.value.name ?? undefined)} to settle (RUNNING or STOPPED)`,
            refresh: async () => {
                const o = await observe();
                if (o) noteUnknown(o.status);
                return o;
            },
            pending,
            target: SETTLED,
            failed: FAILED,
            timeoutMs: timeout,
            clock: deps.clock,
            isTransient: isTransientError,
        });
        return result.last!.value;
    } catch (err) {
        if (err instanceof WaitFailedError) throw failedError(err.status, err.lastValue as T | undefined);
        throw err;
    }
}

/** Fetches the instance, waiting through transitional and queuing statuses. */
async function settledInstance(
    client: ModelArtsClient,
    cfg: { region: string; projectId: string },
    instanceId: string,
    timeout: number,
    deps: Deps,
    seen?: { status: string; value: api.NotebookInstance },
): Promise<api.NotebookInstance> {
    const first = seen ?? (await observe(client, instanceId));
    if (!first) throw missingError(instanceId, cfg, "demanager");
    const queue = first.value.queuing_info as { rank?: number; remain_time?: number } | undefined;
    return settle(
        instanceId,
        first,
        () => observe(client, instanceId),
        failedReasons,
        timeout,
        deps,
        queue?.rank !== undefined ? ` (queue position ${queue.rank})` : "",
    );
}

/** A duration the API accepts back (a disabled policy may report a leftover such as 0). */
function inRange(duration: number | undefined): number | undefined {
    return duration !== undefined && Number.isInteger(duration) && duration >= MIN_DURATION && duration <= MAX_DURATION ? duration : undefined;
}

function stopTimestampOf(nb: api.NotebookInstance): string | undefined {
    const ms = nb.spec?.auto_stop?.stop_timestamp;
    return typeof ms === "number" && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/**
 * Whether a deferred duration recorded earlier is still pending: only while the same run goes on.
 * Once the instance stopped, or its stop time moved (a restart, or auto-stop turned off and on),
 * the current run already uses the stored duration.
 */
function stillDeferred(recorded: { durationTakesEffectAtNextStart?: boolean; stopTimestamp?: string }, nb: api.NotebookInstance): boolean {
    return recorded.durationTakesEffectAtNextStart === true && nb.status === "RUNNING" && stopTimestampOf(nb) === recorded.stopTimestamp;
}

function requestFor(policy: AutoStopPolicy): api.UpdateNotebookRequest {
    return { spec: { auto_stop: compact({ enable: policy.enabled, duration: policy.duration, prompt: policy.prompt }) } };
}

function reports(nb: api.NotebookInstance, want: AutoStopPolicy): boolean {
    const live = policyOf(nb);
    return (
        live.enabled === want.enabled &&
        (want.duration === undefined || live.duration === want.duration) &&
        (want.prompt === undefined || live.prompt === want.prompt)
    );
}

/** PUTs the policy, then reads back until the instance reports it. */
async function applyPolicy(
    client: ModelArtsClient,
    instanceId: string,
    want: AutoStopPolicy,
    timeout: number,
    deps: Deps,
): Promise<api.NotebookInstance> {
    const answer = await api.updateNotebookInstance(client, instanceId, requestFor(want));
    if (reports(answer, want)) return answer;
    const result = await waitFor({
        what: `${label(instanceId, answer.name ?? undefined)} to report the requested auto-stop policy`,
        refresh: async () => {
            const o = await observe(client, instanceId);
            return o && { status: reports(o.value, want) ? "APPLIED" : "PENDING", value: o.value };
        },
        pending: ["PENDING"],
        target: ["APPLIED"],
        timeoutMs: timeout,
        clock: deps.clock,
        isTransient: isTransientError,
    });
    return result.last!.value;
}

function declaredPolicy(inputs: NotebookAutoStopInputs): AutoStopPolicy {
    return compact({ enabled: inputs.enabled, duration: inputs.duration, prompt: inputs.prompt ?? true }) as AutoStopPolicy;
}

/**
 * The documented rule: a new duration on a RUNNING instance applies from its next start. Only a
 * changed duration of an enabled policy is deferred: turning auto-stop on for a RUNNING instance
 * starts its timer at once (the service reports the new stop time), so nothing waits for a start.
 */
function noticeDeferredDuration(nb: api.NotebookInstance, before: AutoStopPolicy, after: AutoStopPolicy): boolean {
    if (nb.status !== "RUNNING" || !after.enabled || after.duration === undefined) return false;
    if (!before.enabled || before.duration === after.duration) return false;
    log.warn(
        `${label(String(nb.id), nb.name ?? undefined)} is RUNNING: the new auto-stop duration of ${after.duration}s takes effect ` +
            `at its next start (the service keeps the current run's stop time); restart it to apply now`,
    );
    return true;
}


// ---- current notebooks API: the lease ---------------------------------------------------------

/** A notebook of the current API with its lease, as one observation. */
interface LeaseNotebook {
    id: string;
    name?: string;
    status: string;
    flavor?: string;
    failReason?: string;
    lease: api.Lease;
}

async function observeLease(client: ModelArtsClient, id: string): Promise<{ status: string; value: LeaseNotebook } | undefined> {
    const nb = await api.findCurrentNotebook(client, id);
    if (!nb) return undefined;
    // ShowLease is the lease's own call; the notebook body's `lease` is the fallback.
    const lease = (await api.findLease(client, id)) ?? nb.lease;
    if (!lease && !nb.lease) return undefined;
    const status = String(nb.status ?? "UNKNOWN");
    return { status, value: { id, name: nb.name, status, flavor: nb.flavor, failReason: nb.fail_reason, lease: lease ?? nb.lease! } };
}

function leaseTypeOf(l: api.Lease): "TIMING" | "IDLE" {
    return String(l.type ?? "TIMING").toUpperCase() === "IDLE" ? "IDLE" : "TIMING";
}

/** When the lease stops the notebook (ms): create_at + duration (ShowLease), for an enabled lease. */
function leaseStopMs(l: api.Lease): number | undefined {
    if (!l.enable || typeof l.duration !== "number" || l.duration <= 0 || typeof l.create_at !== "number") return undefined;
    return l.create_at + l.duration;
}

/**
 * The declared-equivalent duration of a live lease, in seconds: the span from the lease's last
 * update (update_at: when it was last renewed or started) to its stop time (create_at + duration).
 * It does not depend on the current time, so repeated refreshes agree (see `leaseDuration`).
 */
function leaseSpanSeconds(l: api.Lease): number | undefined {
    const stop = leaseStopMs(l);
    if (stop === undefined) return undefined;
    const from = typeof l.update_at === "number" ? l.update_at : l.create_at!;
    return Math.round((stop - from) / 1000);
}

function leasePolicy(l: api.Lease): AutoStopPolicy {
    const stop = leaseStopMs(l);
    return compact({
        enabled: l.enable === true,
        duration: l.enable ? leaseSpanSeconds(l) : undefined,
        type: leaseTypeOf(l),
        stopAt: stop !== undefined ? new Date(stop).toISOString() : undefined,
    }) as AutoStopPolicy;
}

/** Two stop times are the same lease when within this of each other (server clocks, rounding). */
const SAME_STOP_MS = 2000;

/**
 * The rule that keeps refresh from flapping: while the live stop time is the one recorded when the
 * policy was applied, the declared duration stands; once it moved (renewed in the console, a
 * restart with a new duration), the duration becomes the live lease's span (`leaseSpanSeconds`).
 */
function leaseDuration(live: api.Lease, recorded: { duration?: number; stopTimestamp?: string }): number | undefined {
    if (!live.enable) return recorded.duration;
    const stop = leaseStopMs(live);
    const was = recorded.stopTimestamp ? Date.parse(recorded.stopTimestamp) : NaN;
    if (recorded.duration !== undefined && stop !== undefined && Math.abs(stop - was) <= SAME_STOP_MS) return recorded.duration;
    return leaseSpanSeconds(live);
}

function leaseOutputs(
    declared: NotebookAutoStopInputs,
    cfg: { region: string; projectId: string },
    nb: LeaseNotebook,
    priorPolicy: AutoStopPolicy,
    now: number,
): NotebookAutoStopOutputs {
    const { importId: _importId, ...inputs } = declared;
    const stop = leaseStopMs(nb.lease);
    return compact({
        ...inputs,
        type: declared.type ?? "TIMING",
        api: "notebooks",
        stateVersion: STATE_VERSION,
        region: cfg.region,
        projectId: cfg.projectId,
        onDelete: declared.onDelete ?? "restore",
        name: nb.name,
        status: nb.status,
        flavor: nb.flavor,
        leaseType: nb.lease.type ?? undefined,
        stopTimestamp: stop !== undefined ? new Date(stop).toISOString() : undefined,
        remainTime: stop !== undefined && nb.status === "RUNNING" ? Math.max(0, Math.floor((stop - now) / 1000)) : undefined,
        priorPolicy,
    }) as NotebookAutoStopOutputs;
}

function familyError(instanceId: string, family: ApiFamily, problems: Array<{ property: string; reason: string }>): Error {
    return new Error(
        `${label(instanceId)} is managed by the ${family === "notebooks" ? "current notebooks API (lease)" : "legacy demanager API"}, which cannot honour ` +
            problems.map((p) => `${p.property}: ${p.reason}`).join("; "),
    );
}

async function settledLeaseNotebook(client: ModelArtsClient, cfg: { region: string; projectId: string }, id: string, first: { status: string; value: LeaseNotebook } | undefined, timeout: number, deps: Deps) {
    if (!first) throw missingError(id, cfg, "notebooks");
    return settle(id, first, () => observeLease(client, id), (v) => v.failReason ?? "", timeout, deps);
}

/** Whether the live lease already is the declared policy (nothing to write). */
function leaseReports(nb: LeaseNotebook, want: { enabled: boolean; duration?: number; type: "TIMING" | "IDLE" }, recorded: { duration?: number; stopTimestamp?: string }): boolean {
    if (nb.lease.enable !== want.enabled) return false;
    if (!want.enabled) return true;
    return leaseTypeOf(nb.lease) === want.type && leaseDuration(nb.lease, recorded) === want.duration;
}

/** Applies the declared policy to a lease notebook (create and update share it). */
async function applyLease(
    client: ModelArtsClient,
    cfg: { region: string; projectId: string },
    id: string,
    inputs: NotebookAutoStopInputs,
    recorded: { duration?: number; stopTimestamp?: string },
    first: { status: string; value: LeaseNotebook } | undefined,
    timeout: number,
    deps: Deps,
): Promise<{ before: LeaseNotebook; after: LeaseNotebook }> {
    const problems = familyProblems(inputs, "notebooks");
    if (problems.length) throw familyError(id, "notebooks", problems);
    const nb = await settledLeaseNotebook(client, cfg, id, first, timeout, deps);
    const want = { enabled: inputs.enabled, duration: inputs.duration, type: inputs.type ?? ("TIMING" as const) };
    if (leaseReports(nb, want, recorded)) return { before: nb, after: nb };
    if (nb.status !== "RUNNING") {
        throw new Error(
            `${label(id, nb.name)} is ${nb.status}: the current notebooks API renews a lease only on a RUNNING notebook (RenewLease), ` +
                `so its auto-stop policy cannot be applied now. Start the notebook (its start call sets the lease of the new run: ?duration=<ms>&type=), then run pulumi up again`,
        );
    }
    const lease = await api.renewLease(client, id, inputs.duration! * 1000, want.type);
    log.info(`${label(id, nb.name)}: lease renewed, auto-stop ${want.type} in ${inputs.duration}s`);
    return { before: nb, after: { ...nb, lease } };
}

async function createLease(inputs: NotebookAutoStopInputs, first: { status: string; value: LeaseNotebook }, deps: Deps) {
    const cfg = configFor(inputs);
    const client = getClient(cfg);
    const timeout = timeoutMs(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUTS_MS.create);
    const { before, after } = await applyLease(client, cfg, inputs.instanceId, inputs, {}, first, timeout, deps);
    return { id: inputs.instanceId, outs: leaseOutputs(inputs, cfg, after, leasePolicy(before.lease), Date.now()) };
}

async function readLease(id: string, props: Partial<NotebookAutoStopOutputs>) {
    const cfg = configFor(props);
    const client = getClient(cfg);
    const o = await observeLease(client, id);
    if (!o || api.classifyNotebookStatus(o.status) === "gone" && o.status === "DELETED") {
        log.info(`${label(id, props.name)} no longer exists; removing its auto-stop policy from the state`);
        return {};
    }
    const nb = o.value;
    const declared: NotebookAutoStopInputs = compact({
        instanceId: id,
        enabled: nb.lease.enable === true,
        duration: leaseDuration(nb.lease, props),
        type: nb.lease.enable ? leaseTypeOf(nb.lease) : (props.type ?? "TIMING"),
        api: props.api,
        onDelete: props.onDelete,
        region: props.region,
        projectId: props.projectId,
        timeouts: props.timeouts,
    }) as NotebookAutoStopInputs;
    const outs = leaseOutputs(declared, cfg, nb, props.priorPolicy ?? leasePolicy(nb.lease), Date.now());
    const inputs = compact({
        instanceId: id,
        enabled: outs.enabled,
        duration: outs.duration,
        type: props.type !== undefined || outs.type !== "TIMING" ? outs.type : undefined,
        onDelete: props.onDelete,
        timeouts: props.timeouts,
    });
    return { id, props: outs, inputs };
}

async function updateLease(id: string, olds: NotebookAutoStopOutputs, news: NotebookAutoStopInputs, deps: Deps) {
    const cfg = configFor(olds);
    const client = getClient(cfg);
    const timeout = timeoutMs(news.timeouts as Timeouts | undefined, "update", DEFAULT_TIMEOUTS_MS.update);
    const { before, after } = await applyLease(client, cfg, id, news, olds, await observeLease(client, id), timeout, deps);
    return { outs: leaseOutputs(news, cfg, after, olds.priorPolicy ?? leasePolicy(before.lease), Date.now()) };
}

async function removeLease(id: string, props: Partial<NotebookAutoStopOutputs>, deps: Deps): Promise<void> {
    const cfg = configFor(props);
    const client = getClient(cfg);
    const timeout = timeoutMs(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUTS_MS.delete);
    const first = await observeLease(client, id);
    if (!first || api.classifyNotebookStatus(first.status) === "gone") {
        log.info(`${label(id, props.name)} is gone; nothing to restore`);
        return;
    }
    const nb = await settledLeaseNotebook(client, cfg, id, first, timeout, deps);
    const prior = props.priorPolicy;
    const disable = props.onDelete === "disable" || !prior || !prior.enabled;
    if (disable) {
        if (nb.lease.enable) {
            log.warn(
                `${label(id, nb.name)}: auto-stop cannot be turned off on a notebook of the current API (no documented call does; only starting it ` +
                    `with duration -1 does), so its lease stays as it is (stops at ${leaseStopMs(nb.lease) ? new Date(leaseStopMs(nb.lease)!).toISOString() : "?"}). ` +
                    `To turn it off, stop the notebook and start it with ?duration=-1 (the provider does not restart notebooks)`,
            );
        }
        return;
    }
    if (nb.status !== "RUNNING") {
        log.warn(
            `${label(id, nb.name)} is ${nb.status}: its prior lease cannot be restored (RenewLease needs a RUNNING notebook); ` +
                `the lease of its next run is whatever its start sets`,
        );
        return;
    }
    const type = prior.type ?? "TIMING";
    const liveStop = leaseStopMs(nb.lease);
    const priorStop = prior.stopAt ? Date.parse(prior.stopAt) : undefined;
    if (priorStop !== undefined && liveStop !== undefined && Math.abs(liveStop - priorStop) <= SAME_STOP_MS && leaseTypeOf(nb.lease) === type) return;
    // Restore the prior stop time (RenewLease counts from now), within the lease's bounds.
    let ms = priorStop !== undefined ? priorStop - Date.now() : (prior.duration ?? MIN_DURATION) * 1000;
    if (ms < api.LEASE_MIN_MS || ms > api.LEASE_MAX_MS) {
        const clamped = Math.min(Math.max(ms, api.LEASE_MIN_MS), api.LEASE_MAX_MS);
        log.warn(
            `${label(id, nb.name)}: its prior lease would stop it at ${prior.stopAt}; the lease API only accepts 1 h..72 h from now, so it now stops in ${Math.round(clamped / 60000)} min`,
        );
        ms = clamped;
    }
    await api.renewLease(client, id, Math.round(ms), type);
    log.info(`${label(id, nb.name)}: auto-stop restored to its prior lease (${type}, stops ${new Date(Date.now() + ms).toISOString()})`);
}

/**
 * Which family manages `id`: the declared one, or the current API first, then demanager, each
 * decided by its own not-found codes (a bare or gateway 404 is an error, never "absent").
 */
async function detect(
    client: ModelArtsClient,
    cfg: { region: string; projectId: string },
    id: string,
    declared: ApiFamily | undefined,
): Promise<{ family: "notebooks"; first: { status: string; value: LeaseNotebook } } | { family: "demanager"; first: { status: string; value: api.NotebookInstance } }> {
    if (declared !== "demanager") {
        const first = await observeLease(client, id);
        if (first) return { family: "notebooks", first };
        if (declared === "notebooks") throw missingError(id, cfg, "notebooks");
    }
    const first = await observe(client, id);
    if (!first) throw missingError(id, cfg, declared);
    return { family: "demanager", first };
}

// ---------------------------------------------------------------------------------------------

export async function check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { __provider, ...inputs } = news;
    const failures = checkWithSchema(notebookAutoStopInputSchema, compact(inputs));
    return { inputs: { ...compact(inputs), __provider }, failures };
}

export async function diff(
    _id: string,
    olds: NotebookAutoStopOutputs,
    news: Record<string, unknown>,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    const replaces: string[] = [];
    if (news.instanceId !== undefined && news.instanceId !== olds.instanceId) replaces.push("instanceId");
    replaces.push(...locationReplaces(olds, news));
    // The family of an instance does not change: naming another one means another resource.
    if (news.api !== undefined && news.api !== (olds.api ?? "demanager")) replaces.push("api");
    const updates: string[] = [];
    const differs = (field: string, declared: unknown, live: unknown) => {
        if (containsUnknown(declared) || declared !== live) updates.push(field);
    };
    differs("enabled", news.enabled, olds.enabled);
    if (news.enabled !== false && news.duration !== undefined) differs("duration", news.duration, olds.duration);
    if ((olds.api ?? "demanager") === "demanager") differs("prompt", news.prompt ?? true, olds.prompt ?? true);
    else if (news.prompt !== undefined) updates.push("prompt"); // refused in update, with the reason
    if (news.enabled !== false) differs("type", news.type ?? "TIMING", olds.type ?? "TIMING");
    differs("onDelete", news.onDelete ?? "restore", olds.onDelete ?? "restore");
    // Replacing a policy resource is just re-applying it; deleting first restores the prior policy
    // before the new resource captures it, so the capture stays right.
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
}

export async function create(inputs: NotebookAutoStopInputs, deps: Deps = {}): Promise<{ id: string; outs: NotebookAutoStopOutputs }> {
    const cfg = configFor(inputs);
    const client = getClient(cfg);
    const clock = deps.clock ?? realClock;
    const started = clock.now();
    const timeout = timeoutMs(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUTS_MS.create);
    const family = await detect(client, cfg, inputs.instanceId, inputs.api);
    if (family.family === "notebooks") return createLease(inputs, family.first, deps);
    const problems = familyProblems(inputs, "demanager");
    if (problems.length) throw familyError(inputs.instanceId, "demanager", problems);
    const instance = await settledInstance(client, cfg, inputs.instanceId, timeout, deps, family.first);
    const prior = policyOf(instance);
    const want = declaredPolicy(inputs);
    let applied: api.NotebookInstance = instance;
    try {
        // Already as declared (an import, or a re-create): nothing to write.
        if (!reports(instance, want)) {
            applied = await applyPolicy(client, inputs.instanceId, want, Math.max(timeout - (clock.now() - started), 1000), deps);
        }
    } catch (err) {
        // The PUT may have taken effect: track the resource so delete restores the prior policy.
        const lastValue = err instanceof WaitTimeoutError ? (err.lastValue as api.NotebookInstance | undefined) : undefined;
        throw new ResourceInitError(
            `applying the auto-stop policy to ${label(inputs.instanceId, instance.name ?? undefined)} did not finish: ${describeError(err)}`,
            inputs.instanceId,
            outputsFrom(inputs, cfg, lastValue ?? instance, prior) as unknown as Record<string, unknown>,
            [describeError(err)],
        );
    }
    const deferred = noticeDeferredDuration(applied, prior, want);
    log.info(`${label(inputs.instanceId, applied.name ?? undefined)}: auto-stop ${want.enabled ? `on, ${want.duration}s` : "off"}`);
    return { id: inputs.instanceId, outs: outputsFrom(inputs, cfg, applied, prior, deferred) };
}

export async function read(
    id: string,
    props: Partial<NotebookAutoStopOutputs> = {},
): Promise<{ id?: string; props?: NotebookAutoStopOutputs; inputs?: Record<string, unknown> }> {
    if ((props.api ?? "demanager") === "notebooks") return readLease(id, props);
    const cfg = configFor(props);
    const client = getClient(cfg);
    const nb = await api.findNotebookInstance(client, id);
    if (!nb || nb.status === "DELETED") {
        log.info(`${label(id, props.name)} no longer exists; removing its auto-stop policy from the state`);
        return {};
    }
    const live = policyOf(nb);
    const declared: NotebookAutoStopInputs = compact({
        instanceId: id,
        enabled: live.enabled,
        // A disabled policy's leftover duration is not something the user declared.
        duration: live.enabled ? live.duration : props.duration,
        prompt: live.prompt ?? true,
        onDelete: props.onDelete,
        region: props.region,
        projectId: props.projectId,
        timeouts: props.timeouts,
    }) as NotebookAutoStopInputs;
    // An import adopts the policy as it is: deleting the resource later restores exactly that.
    const outs = outputsFrom(declared, cfg, nb, props.priorPolicy ?? live, stillDeferred(props, nb));
    const inputs = compact({
        instanceId: id,
        enabled: outs.enabled,
        duration: outs.duration,
        prompt: outs.prompt,
        onDelete: props.onDelete,
        timeouts: props.timeouts,
    });
    return { id, props: outs, inputs };
}

export async function update(
    id: string,
    olds: NotebookAutoStopOutputs,
    news: NotebookAutoStopInputs,
    deps: Deps = {},
): Promise<{ outs: NotebookAutoStopOutputs }> {
    const cfg = configFor(olds);
    const client = getClient(cfg);
    const clock = deps.clock ?? realClock;
    const started = clock.now();
    if ((olds.api ?? "demanager") === "notebooks") return updateLease(id, olds, news, deps);
    const problems = familyProblems(news, "demanager");
    if (problems.length) throw familyError(id, "demanager", problems);
    const timeout = timeoutMs(news.timeouts as Timeouts | undefined, "update", DEFAULT_TIMEOUTS_MS.update);
    const instance = await settledInstance(client, cfg, id, timeout, deps);
    const before = policyOf(instance);
    const want = declaredPolicy(news);
    let applied = instance;
    if (!reports(instance, want)) {
        try {
            applied = await applyPolicy(client, id, want, Math.max(timeout - (clock.now() - started), 1000), deps);
        } catch (err) {
            throw new ResourceInitError(
                `updating the auto-stop policy of ${label(id, instance.name ?? undefined)} did not finish: ${describeError(err)}`,
                id,
                outputsFrom({ ...news, ...before, enabled: before.enabled } as NotebookAutoStopInputs, cfg, instance, olds.priorPolicy) as unknown as Record<string, unknown>,
                [describeError(err)],
            );
        }
    }
    const deferred = noticeDeferredDuration(applied, before, want) || (want.enabled && stillDeferred(olds, applied));
    return { outs: outputsFrom(news, cfg, applied, olds.priorPolicy ?? before, deferred) };
}

export async function remove(id: string, props: Partial<NotebookAutoStopOutputs>, deps: Deps = {}): Promise<void> {
    if ((props.api ?? "demanager") === "notebooks") return removeLease(id, props, deps);
    const cfg = configFor(props);
    const client = getClient(cfg);
    const timeout = timeoutMs(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUTS_MS.delete);
    const current = await observe(client, id);
    if (!current || current.status === "DELETING" || current.status === "DELETED") {
        log.info(`${label(id, props.name)} is gone; nothing to restore`);
        return;
    }
    const restore: AutoStopPolicy =
        props.onDelete === "disable" || !props.priorPolicy
            ? { enabled: false }
            : props.priorPolicy.enabled
              ? props.priorPolicy
              : // a disabled policy's duration is still part of it (the console shows it): restore it too
                compact({ enabled: false, duration: inRange(props.priorPolicy.duration), prompt: props.priorPolicy.prompt }) as AutoStopPolicy;
    let instance: api.NotebookInstance;
    try {
        instance = await settledInstance(client, cfg, id, timeout, deps);
    } catch (err) {
        if (!(await observe(client, id))) return;
        throw err;
    }
    if (reports(instance, restore)) return;
    await applyPolicy(client, id, restore, timeout, deps);
    log.info(
        `${label(id, instance.name ?? undefined)}: auto-stop ${props.onDelete === "disable" ? "disabled" : "restored to its prior policy"} ` +
            `(${restore.enabled ? `on, ${restore.duration}s` : "off"})`,
    );
}
