/**
 * The legacy demanager API family (`/demanager/instances/{id}`, `spec.auto_stop`): the policy as
 * the instance reports it, the state made from the inputs and the live instance, and the family's
 * create / read / update / delete.
 */
import * as api from "../../api/notebooks/demanager";
import { describeError, isTransientError, ResourceInitError, WaitTimeoutError } from "../../errors";
import { log } from "../../log";
import { waitFor } from "../../wait";
import { compact } from "../common";
import { requestBody } from "../wire";
import { Declared, declaredOf, NotebookFamily, ReadResult, Recorded } from "./family";
import { AutoStopPolicy, familyProblems, MAX_DURATION, MIN_DURATION, NotebookAutoStopInputs, notebookAutoStopShape, NotebookAutoStopState, STATE_VERSION } from "./fields";
import { familyError, label, missingError, Observed, Operation, settle } from "./instance";

/** demanager's `prompt` when not declared (the console's reminder is on). The lease has no prompt. */
export const DEMANAGER_PROMPT_DEFAULT = true;

function policyOf(nb: api.NotebookInstance): AutoStopPolicy {
    const a = nb.spec?.auto_stop;
    return compact({ enabled: a?.enable === true, duration: a?.duration, prompt: a?.prompt });
}

function failedReasons(nb: api.NotebookInstance): string {
    const r = nb.spec?.failed_reasons;
    return r ? [r.code, r.message].filter(Boolean).join(": ") : "";
}

function stopTimestampOf(nb: api.NotebookInstance): string | undefined {
    const ms = nb.spec?.auto_stop?.stop_timestamp;
    return typeof ms === "number" && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/** The state: the declared inputs (prompt defaulted for this family), the location and the live instance. */
function stateOf(
    declared: Declared,
    cfg: { region: string; projectId: string },
    nb: api.NotebookInstance,
    priorPolicy: AutoStopPolicy,
    durationTakesEffectAtNextStart?: boolean,
): NotebookAutoStopState {
    const a = nb.spec?.auto_stop;
    return compact({
        ...declared,
        stateVersion: STATE_VERSION,
        api: "demanager" as const,
        region: cfg.region,
        projectId: cfg.projectId,
        prompt: declared.prompt ?? DEMANAGER_PROMPT_DEFAULT,
        name: nb.name,
        status: nb.status,
        flavor: nb.flavor,
        stopTimestamp: stopTimestampOf(nb),
        remainTime: a?.enable ? a.remain_time : undefined,
        priorPolicy,
        durationTakesEffectAtNextStart: durationTakesEffectAtNextStart || undefined,
    });
}

async function observe(op: Operation, id: string): Promise<Observed<api.NotebookInstance> | undefined> {
    const nb = await api.findNotebookInstance(op.client, id);
    return nb ? { status: String(nb.status), value: nb } : undefined;
}

/** Fetches the instance, waiting through transitional and queuing statuses. */
async function settledInstance(op: Operation, instanceId: string, timeout: number, seen?: Observed<api.NotebookInstance>): Promise<api.NotebookInstance> {
    const first = seen ?? (await observe(op, instanceId));
    if (!first) throw missingError(instanceId, op.cfg, "demanager");
    const rank = first.value.queuing_info?.rank;
    return settle(instanceId, first, () => observe(op, instanceId), failedReasons, timeout, op.deps, rank !== undefined ? ` (queue position ${rank})` : "");
}

/** A duration the API accepts back (a disabled policy may report a leftover such as 0). */
function inRange(duration: number | undefined): number | undefined {
    return duration !== undefined && Number.isInteger(duration) && duration >= MIN_DURATION && duration <= MAX_DURATION ? duration : undefined;
}

/**
 * Whether a deferred duration recorded earlier is still pending: only while the same run goes on.
 * Once the instance stopped, or its stop time moved (a restart, or auto-stop turned off and on),
 * the current run already uses the stored duration.
 */
function stillDeferred(recorded: { durationTakesEffectAtNextStart?: boolean; stopTimestamp?: string }, nb: api.NotebookInstance): boolean {
    return recorded.durationTakesEffectAtNextStart === true && nb.status === "RUNNING" && stopTimestampOf(nb) === recorded.stopTimestamp;
}

/** The update that applies `policy`: its inputs where the table's `wire` puts them (`spec.auto_stop`). */
function requestFor(policy: AutoStopPolicy): api.UpdateNotebookRequest {
    return requestBody(notebookAutoStopShape, "demanagerUpdate", { ...policy });
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
async function applyPolicy(op: Operation, instanceId: string, want: AutoStopPolicy, timeout: number): Promise<api.NotebookInstance> {
    const answer = await api.updateNotebookInstance(op.client, instanceId, requestFor(want));
    if (reports(answer, want)) return answer;
    const result = await waitFor({
        what: `${label(instanceId, answer.name)} to report the requested auto-stop policy`,
        refresh: async () => {
            const o = await observe(op, instanceId);
            return o && { status: reports(o.value, want) ? "APPLIED" : "PENDING", value: o.value };
        },
        pending: ["PENDING"],
        target: ["APPLIED"],
        timeoutMs: timeout,
        clock: op.deps.clock,
        isTransient: isTransientError,
    });
    return result.last!.value;
}

function declaredPolicy(inputs: Declared): AutoStopPolicy {
    return compact({ enabled: inputs.enabled, duration: inputs.duration, prompt: inputs.prompt ?? DEMANAGER_PROMPT_DEFAULT });
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
        `${label(String(nb.id), nb.name)} is RUNNING: the new auto-stop duration of ${after.duration}s takes effect ` +
            `at its next start (the service keeps the current run's stop time); restart it to apply now`,
    );
    return true;
}

// ---- the family's operations ------------------------------------------------------------------

async function create(op: Operation, inputs: NotebookAutoStopInputs, first: Observed<api.NotebookInstance>): Promise<{ id: string; outs: NotebookAutoStopState }> {
    const id = inputs.instanceId;
    const problems = familyProblems(inputs, "demanager");
    if (problems.length) throw familyError(id, "demanager", problems);
    const declared = declaredOf(inputs);
    const instance = await settledInstance(op, id, op.remaining(), first);
    const prior = policyOf(instance);
    const want = declaredPolicy(declared);
    let applied: api.NotebookInstance = instance;
    try {
        // Already as declared (an import, or a re-create): nothing to write.
        if (!reports(instance, want)) applied = await applyPolicy(op, id, want, op.remaining());
    } catch (err) {
        // The PUT may have taken effect: track the resource so delete restores the prior policy.
        const lastValue = err instanceof WaitTimeoutError ? (err.lastValue as api.NotebookInstance | undefined) : undefined;
        throw new ResourceInitError(
            `applying the auto-stop policy to ${label(id, instance.name)} did not finish: ${describeError(err)}`,
            id,
            stateOf(declared, op.cfg, lastValue ?? instance, prior),
            [describeError(err)],
        );
    }
    const deferred = noticeDeferredDuration(applied, prior, want);
    log.info(`${label(id, applied.name)}: auto-stop ${want.enabled ? `on, ${want.duration}s` : "off"}`);
    return { id, outs: stateOf(declared, op.cfg, applied, prior, deferred) };
}

/**
 * The live policy as state and inputs. With no recorded state (an import by id), the policy as it
 * is becomes the prior policy: deleting the resource later restores exactly that.
 */
async function read(
    op: Operation,
    id: string,
    props: Recorded,
    seen?: Observed<api.NotebookInstance>,
): Promise<ReadResult> {
    const nb = seen?.value ?? (await api.findNotebookInstance(op.client, id));
    if (!nb || nb.status === "DELETED") {
        log.info(`${label(id, props.name)} no longer exists; removing its auto-stop policy from the state`);
        return {};
    }
    const live = policyOf(nb);
    const declared: Declared = {
        instanceId: id,
        enabled: live.enabled,
        // A disabled policy's leftover duration is not something the user declared.
        duration: live.enabled ? live.duration : props.duration,
        prompt: live.prompt ?? DEMANAGER_PROMPT_DEFAULT,
        type: props.type,
        onDelete: props.onDelete,
        region: props.region,
        projectId: props.projectId,
        timeouts: props.timeouts,
    };
    const outs = stateOf(declared, op.cfg, nb, props.priorPolicy ?? live, stillDeferred(props, nb));
    const inputs: NotebookAutoStopInputs = compact({
        instanceId: id,
        enabled: outs.enabled,
        duration: outs.duration,
        prompt: outs.prompt,
        type: outs.type,
        onDelete: props.onDelete,
        timeouts: props.timeouts,
    });
    return { id, props: outs, inputs };
}

async function update(op: Operation, id: string, olds: Recorded, news: NotebookAutoStopInputs): Promise<{ outs: NotebookAutoStopState }> {
    const problems = familyProblems(news, "demanager");
    if (problems.length) throw familyError(id, "demanager", problems);
    const declared = declaredOf(news);
    const instance = await settledInstance(op, id, op.remaining());
    const before = policyOf(instance);
    const prior = olds.priorPolicy ?? before;
    const want = declaredPolicy(declared);
    let applied = instance;
    if (!reports(instance, want)) {
        try {
            applied = await applyPolicy(op, id, want, op.remaining());
        } catch (err) {
            throw new ResourceInitError(
                `updating the auto-stop policy of ${label(id, instance.name)} did not finish: ${describeError(err)}`,
                id,
                stateOf({ ...declared, ...before }, op.cfg, instance, prior),
                [describeError(err)],
            );
        }
    }
    const deferred = noticeDeferredDuration(applied, before, want) || (want.enabled && stillDeferred(olds, applied));
    return { outs: stateOf(declared, op.cfg, applied, prior, deferred) };
}

async function remove(op: Operation, id: string, props: Recorded): Promise<void> {
    const current = await observe(op, id);
    if (!current || current.status === "DELETING" || current.status === "DELETED") {
        log.info(`${label(id, props.name)} is gone; nothing to restore`);
        return;
    }
    const prior = props.priorPolicy;
    const restore: AutoStopPolicy =
        props.onDelete === "disable" || !prior
            ? { enabled: false }
            : prior.enabled
              ? prior
              : // a disabled policy's duration is still part of it (the console shows it): restore it too
                compact({ enabled: false, duration: inRange(prior.duration), prompt: prior.prompt });
    let instance: api.NotebookInstance;
    try {
        instance = await settledInstance(op, id, op.remaining());
    } catch (err) {
        if (!(await observe(op, id))) return;
        throw err;
    }
    if (reports(instance, restore)) return;
    await applyPolicy(op, id, restore, op.remaining());
    log.info(
        `${label(id, instance.name)}: auto-stop ${props.onDelete === "disable" ? "disabled" : "restored to its prior policy"} ` +
            `(${restore.enabled ? `on, ${restore.duration}s` : "off"})`,
    );
}

/** The legacy demanager API's implementation of the family interface. */
export const demanagerFamily: NotebookFamily<api.NotebookInstance> = {
    api: "demanager",
    implicitInputs: { prompt: DEMANAGER_PROMPT_DEFAULT },
    unsupportedInputs: [],
    observe,
    create,
    read,
    update,
    remove,
};
