/**
 * The current notebooks API family (`/notebooks/{id}`): the policy is the notebook's lease (GET /
 * PATCH `.../lease`). The lease as a policy and a declared-equivalent duration, the state made from
 * the inputs and the live lease, and the family's create / read / update / delete.
 */
import * as api from "../../api/notebooks/current";
import { classifyNotebookStatus } from "../../api/notebooks/shared";
import { ModelArtsError } from "../../errors";
import { log } from "../../log";
import { compact } from "../common";
import { Declared, declaredOf, NotebookFamily, ReadResult, Recorded } from "./family";
import { AutoStopPolicy, familyProblems, MIN_DURATION, NotebookAutoStopInputs, NotebookAutoStopState, PolicyType, STATE_VERSION } from "./fields";
import { familyError, label, missingError, Observed, Operation, settle } from "./instance";

/** A notebook of the current API with its lease, as one observation. */
export interface LeaseNotebook {
    id: string;
    name?: string;
    status: string;
    flavor?: string;
    failReason?: string;
    lease: api.Lease;
    /**
     * False when neither ShowLease (asked only while RUNNING) nor the notebook's body gave a lease:
     * `lease` is then empty, and read keeps the recorded policy.
     */
    leaseReported: boolean;
}

/** Two stop times are the same lease when within this of each other (server clocks, rounding). */
const SAME_STOP_MS = 2000;

const NO_LEASE: api.Lease = { create_at: undefined, duration: undefined, enable: undefined, type: undefined, update_at: undefined };

async function observe(op: Operation, id: string): Promise<Observed<LeaseNotebook> | undefined> {
    const nb = await api.findCurrentNotebook(op.client, id);
    if (!nb) return undefined;
    const status = String(nb.status ?? "UNKNOWN");
    // ShowLease answers only for a RUNNING notebook (PY SDK show_lease docstring, REF ShowLease):
    // in any other status the lease the notebook itself reports is the only one there is.
    const lease = (status === "RUNNING" ? await api.findLease(op.client, id) : undefined) ?? nb.lease;
    return {
        status,
        value: { id, name: nb.name, status, flavor: nb.flavor, failReason: nb.fail_reason, lease: lease ?? NO_LEASE, leaseReported: lease !== undefined },
    };
}

function leaseTypeOf(l: api.Lease): PolicyType {
    return String(l.type ?? "TIMING").toUpperCase() === "IDLE" ? "IDLE" : "TIMING";
}

/** When the lease stops the notebook (ms): create_at + duration (ShowLease), for an enabled lease. */
function leaseStopMs(l: api.Lease): number | undefined {
    if (!l.enable || typeof l.duration !== "number" || l.duration <= 0 || typeof l.create_at !== "number") return undefined;
    return l.create_at + l.duration;
}

const isoOf = (ms: number | undefined) => (ms !== undefined ? new Date(ms).toISOString() : undefined);

/**
 * The declared-equivalent duration of a live lease, in seconds: the span from the lease's last
 * update (update_at: when it was last renewed or started) to its stop time (create_at + duration).
 * It does not depend on the current time, so repeated refreshes agree (see `leaseDuration`).
 */
function leaseSpanSeconds(l: api.Lease): number | undefined {
    const stop = leaseStopMs(l);
    if (stop === undefined) return undefined;
    const from = l.update_at ?? l.create_at ?? stop;
    return Math.round((stop - from) / 1000);
}

function leasePolicy(l: api.Lease): AutoStopPolicy {
    return compact({
        enabled: l.enable === true,
        duration: l.enable ? leaseSpanSeconds(l) : undefined,
        type: leaseTypeOf(l),
        stopAt: isoOf(leaseStopMs(l)),
    });
}

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

/** The state: the declared inputs, the location and the live lease. */
function stateOf(
    declared: Declared,
    cfg: { region: string; projectId: string },
    nb: LeaseNotebook,
    priorPolicy: AutoStopPolicy,
    now: number,
    recorded?: { leaseType?: string; stopTimestamp?: string },
): NotebookAutoStopState {
    const stop = leaseStopMs(nb.lease);
    // No lease reported (a notebook that is not RUNNING and whose body has none): what was recorded stands.
    const kept = nb.leaseReported ? undefined : recorded;
    return compact({
        ...declared,
        api: "notebooks" as const,
        stateVersion: STATE_VERSION,
        region: cfg.region,
        projectId: cfg.projectId,
        name: nb.name,
        status: nb.status,
        flavor: nb.flavor,
        leaseType: kept ? kept.leaseType : nb.lease.type,
        stopTimestamp: kept ? kept.stopTimestamp : isoOf(stop),
        remainTime: stop !== undefined && nb.status === "RUNNING" ? Math.max(0, Math.floor((stop - now) / 1000)) : undefined,
        priorPolicy,
    });
}

async function settledLeaseNotebook(op: Operation, id: string, first: Observed<LeaseNotebook> | undefined): Promise<LeaseNotebook> {
    if (!first) throw missingError(id, op.cfg, "notebooks");
    return settle(id, first, () => observe(op, id), (v) => v.failReason ?? "", op.remaining(), op.deps);
}

/** Whether the live lease already is the declared policy (nothing to write). */
function leaseReports(nb: LeaseNotebook, want: { enabled: boolean; duration?: number; type: PolicyType }, recorded: { duration?: number; stopTimestamp?: string }): boolean {
    if (nb.lease.enable !== want.enabled) return false;
    if (!want.enabled) return true;
    return leaseTypeOf(nb.lease) === want.type && leaseDuration(nb.lease, recorded) === want.duration;
}

/** Applies the declared policy to a lease notebook (create and update share it). */
async function applyLease(
    op: Operation,
    id: string,
    inputs: Declared,
    recorded: { duration?: number; stopTimestamp?: string },
    first: Observed<LeaseNotebook> | undefined,
): Promise<{ before: LeaseNotebook; after: LeaseNotebook }> {
    const problems = familyProblems(inputs, "notebooks");
    if (problems.length) throw familyError(id, "notebooks", problems);
    const nb = await settledLeaseNotebook(op, id, first);
    const want = { enabled: inputs.enabled, duration: inputs.duration, type: inputs.type };
    if (leaseReports(nb, want, recorded)) return { before: nb, after: nb };
    if (nb.status !== "RUNNING") {
        throw new ModelArtsError(
            `${label(id, nb.name)} is ${nb.status}: the current notebooks API renews a lease only on a RUNNING notebook (RenewLease), ` +
                `so its auto-stop policy cannot be applied now. Start the notebook (its start call sets the lease of the new run: ?duration=<ms>&type=), then run pulumi up again`,
        );
    }
    // Not reached: check and parseInputs require a duration when enabled (familyProblems refused `enabled: false`).
    const seconds = want.duration;
    if (seconds === undefined) throw new ModelArtsError(`${label(id, nb.name)}: duration is required to renew its lease`);
    const lease = await api.renewLease(op.client, id, seconds * 1000, want.type);
    log.info(`${label(id, nb.name)}: lease renewed, auto-stop ${want.type} in ${seconds}s`);
    return { before: nb, after: { ...nb, lease } };
}

// ---- the family's operations ------------------------------------------------------------------

async function create(op: Operation, inputs: NotebookAutoStopInputs, first: Observed<LeaseNotebook>): Promise<{ id: string; outs: NotebookAutoStopState }> {
    const declared = declaredOf(inputs);
    const { before, after } = await applyLease(op, inputs.instanceId, declared, {}, first);
    return { id: inputs.instanceId, outs: stateOf(declared, op.cfg, after, leasePolicy(before.lease), Date.now()) };
}

/**
 * The live lease as state and inputs. With no recorded state (an import by id), the lease as it
 * is becomes the prior policy: deleting the resource later restores it.
 */
async function read(
    op: Operation,
    id: string,
    props: Recorded,
    seen?: Observed<LeaseNotebook>,
): Promise<ReadResult> {
    const o = seen ?? (await observe(op, id));
    if (!o || o.status === "DELETED") {
        log.info(`${label(id, props.name)} no longer exists; removing its auto-stop policy from the state`);
        return {};
    }
    const nb = o.value;
    if (!nb.leaseReported) {
        log.info(
            `${label(id, nb.name)} is ${nb.status} and its body reports no lease (ShowLease answers only for a RUNNING notebook): ` +
                "the recorded auto-stop policy is kept as it is",
        );
    }
    const declared: Declared = nb.leaseReported
        ? {
              instanceId: id,
              enabled: nb.lease.enable === true,
              duration: leaseDuration(nb.lease, props),
              type: nb.lease.enable ? leaseTypeOf(nb.lease) : props.type,
        onDelete: props.onDelete,
              region: props.region,
              projectId: props.projectId,
              timeouts: props.timeouts,
          }
        : {
              instanceId: id,
              enabled: props.enabled ?? false,
              duration: props.duration,
              type: props.type,
              onDelete: props.onDelete,
              region: props.region,
              projectId: props.projectId,
              timeouts: props.timeouts,
          };
    const outs = stateOf(declared, op.cfg, nb, props.priorPolicy ?? leasePolicy(nb.lease), Date.now(), props);
    const inputs: NotebookAutoStopInputs = compact({
        instanceId: id,
        enabled: outs.enabled,
        duration: outs.duration,
        type: outs.type,
        onDelete: props.onDelete,
        timeouts: props.timeouts,
    });
    return { id, props: outs, inputs };
}

async function update(op: Operation, id: string, olds: Recorded, news: NotebookAutoStopInputs): Promise<{ outs: NotebookAutoStopState }> {
    const declared = declaredOf(news);
    const { before, after } = await applyLease(op, id, declared, olds, await observe(op, id));
    return { outs: stateOf(declared, op.cfg, after, olds.priorPolicy ?? leasePolicy(before.lease), Date.now()) };
}

async function remove(op: Operation, id: string, props: Recorded): Promise<void> {
    const first = await observe(op, id);
    if (!first || classifyNotebookStatus(first.status) === "gone") {
        log.info(`${label(id, props.name)} is gone; nothing to restore`);
        return;
    }
    const nb = await settledLeaseNotebook(op, id, first);
    const prior = props.priorPolicy;
    const disable = props.onDelete === "disable" || !prior || !prior.enabled;
    if (disable) {
        if (nb.lease.enable) {
            log.warn(
                `${label(id, nb.name)}: auto-stop cannot be turned off on a notebook of the current API (no documented call does; only starting it ` +
                    `with duration -1 does), so its lease stays as it is (stops at ${isoOf(leaseStopMs(nb.lease)) ?? "?"}). ` +
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
    await api.renewLease(op.client, id, Math.round(ms), type);
    log.info(`${label(id, nb.name)}: auto-stop restored to its prior lease (${type}, stops ${new Date(Date.now() + ms).toISOString()})`);
}

/** The current notebooks API's implementation of the family interface. */
export const leaseFamily: NotebookFamily<LeaseNotebook> = {
    api: "notebooks",
    implicitInputs: {},
    unsupportedInputs: ["prompt"],
    observe,
    create,
    read,
    update,
    remove,
};
