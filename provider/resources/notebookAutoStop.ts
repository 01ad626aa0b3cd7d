/**
 * NotebookAutoStop: the auto-stop policy of a ModelArts development-environment (notebook)
 * instance, declared in code. The resource's id is the instance id; it does not own the instance,
 * only its `spec.auto_stop`. On delete it restores the policy the instance had before (default) or
 * disables auto-stop.
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

export const STATE_VERSION = 1;

const MIN_DURATION = 3600;
const MAX_DURATION = 86400;

/** The instance is on its way somewhere: wait before touching its policy. */
const TRANSITIONAL = ["INIT", "CREATING", "CREATE_QUEUING", "STARTING", "START_QUEUING", "STOPPING", "RESTARTING", "SNAPSHOTTING"];
const SETTLED = ["RUNNING", "STOPPED"];
const FAILED = ["CREATE_FAILED", "START_FAILED", "ERROR", "FROZEN", "DELETING", "DELETED"];

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
            .max(MAX_DURATION, `duration must be at most ${MAX_DURATION} seconds (24 hours)`)
            .optional(),
        prompt: z.boolean({ error: "prompt must be true or false" }).optional(),
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
                message: `duration is required when enabled is true: seconds of running time before the instance stops, ${MIN_DURATION}..${MAX_DURATION}`,
            });
        }
    });

export type NotebookAutoStopInputs = z.infer<typeof notebookAutoStopInputSchema>;

export interface AutoStopPolicy {
    enabled: boolean;
    duration?: number;
    prompt?: boolean;
}

export interface NotebookAutoStopOutputs extends NotebookAutoStopInputs {
    stateVersion: number;
    region: string;
    projectId: string;
    prompt: boolean;
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

/** Fetches the instance, waiting through transitional and queuing statuses. */
async function settledInstance(
    client: ModelArtsClient,
    cfg: { region: string; projectId: string },
    instanceId: string,
    timeout: number,
    deps: Deps,
): Promise<api.NotebookInstance> {
    const first = await observe(client, instanceId);
    if (!first) {
        throw new Error(
            `${label(instanceId)} does not exist in project ${cfg.projectId} (region ${cfg.region}): check instanceId, ` +
                `and that huaweicloud:region / huaweicloud:projectId point where the instance lives`,
        );
    }
    if (!TRANSITIONAL.includes(first.status)) return first.value;
    const queue = first.value.queuing_info as { rank?: number; remain_time?: number } | undefined;
    log.info(
        `${label(instanceId, first.value.name ?? undefined)} is ${first.status}` +
            (queue?.rank !== undefined ? ` (queue position ${queue.rank})` : "") +
            "; waiting for it to settle before changing its auto-stop policy",
    );
    try {
        const result = await waitFor({
            what: `${label(instanceId, first.value.name ?? undefined)} to settle`,
            refresh: () => observe(client, instanceId),
            pending: TRANSITIONAL,
            target: SETTLED,
            failed: FAILED,
            timeoutMs: timeout,
            clock: deps.clock,
            isTransient: isTransientError,
        });
        return result.last!.value;
    } catch (err) {
        if (err instanceof WaitFailedError) {
            const last = err.lastValue as api.NotebookInstance;
            const reasons = failedReasons(last);
            throw new Error(`${label(instanceId, last?.name ?? first.value.name ?? undefined)} is in status ${err.status}${reasons ? ` (${reasons})` : ""}; its auto-stop policy cannot be managed until it recovers`);
        }
        throw err;
    }
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
    const updates: string[] = [];
    const differs = (field: string, declared: unknown, live: unknown) => {
        if (containsUnknown(declared) || declared !== live) updates.push(field);
    };
    differs("enabled", news.enabled, olds.enabled);
    if (news.enabled !== false && news.duration !== undefined) differs("duration", news.duration, olds.duration);
    differs("prompt", news.prompt ?? true, olds.prompt ?? true);
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
    const instance = await settledInstance(client, cfg, inputs.instanceId, timeout, deps);
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
