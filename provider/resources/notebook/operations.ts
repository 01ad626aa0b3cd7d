/**
 * Notebook: check / diff / create / read / update / delete of a ModelArts notebook of the current
 * API (`/v1/{project_id}/notebooks`). Mirrors DevServer: a lost create answer is resolved from the
 * list (never re-sent), an unrecorded twin is refused, a failure after the notebook exists records
 * it (ResourceInitError with only what was really done), delete forgets it only on the API's own
 * not-found answer.
 */
import * as api from "../../api/notebookInstances";
import { formatDuration } from "../../duration";
import { AmbiguousRequestError, describeError, isTransientError, ModelArtsApiError, ModelArtsError, ResourceInitError, ResponseShapeError, WaitFailedError } from "../../errors";
import { log, registerSecret } from "../../log";
import { waitFor } from "../../wait";
import { beginOperation, CheckFailure, checkInputs, DefaultTimeouts, Deps, DiffResult, Operation, parseInputs } from "../common";
import { claimByNotebook } from "../leaseOwnership";
import { identityMismatches, laidOver, refreshedInputs, wiredFields } from "../wire";
import { partialEqual } from "../diff";
import { diffNotebook } from "./diff";
import { leaseDurationMs, NotebookDeclaredInputs, NotebookInputs, notebookShape, NotebookState } from "./fields";
import { DELETING, FAILED, IN_PROGRESS, label, lastSeen, NotebookContext, observe, powerTo, requestTransition, SETTLED, waitForStatus, waitSettled } from "./instance";
import { buildState, createRequest, ReportedInputs, reportedInputs, requestOf } from "./live";
import { declaredFromLive, mountedOf, syncStorages } from "./storages";
import { findNotebookFromLostCreate, findUnrecordedTwin, LOST_CREATE_SEARCHES, noteReplacement } from "./lostCreate";

/** Terraform's huaweicloud_modelarts_notebook declares no timeouts: its SDK's default, 20 min each. */
const DEFAULT_TIMEOUTS_MS: DefaultTimeouts = { create: 20 * 60_000, update: 20 * 60_000, delete: 20 * 60_000 };

function begin(location: { region?: string; projectId?: string }, timeouts: NotebookInputs["timeouts"], op: keyof DefaultTimeouts, deps: Deps): Operation {
    return beginOperation(location, timeouts, op, DEFAULT_TIMEOUTS_MS, deps);
}

/** Each hook script, registered as a secret so that no log line or error shows it. */
function registerHookScripts(hooks: unknown): void {
    if (!hooks || typeof hooks !== "object") return;
    for (const h of Object.values(hooks as Record<string, { script?: unknown } | undefined>)) registerSecret(typeof h?.script === "string" ? h.script : undefined);
}

function inputsOf(raw: NotebookDeclaredInputs): NotebookInputs {
    const inputs = parseInputs(notebookShape.inputSchema, raw);
    registerHookScripts(inputs.hooks);
    return inputs;
}

/** This Notebook declares (or no longer declares) the notebook's auto-stop policy: see leaseOwnership.ts. */
function claimLease(id: string, name: string | undefined, autoStop: unknown): void {
    claimByNotebook(id, `Notebook ${name ?? id}`, autoStop !== undefined && autoStop !== null);
}

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: NotebookInputs; failures: CheckFailure[] }> {
    registerHookScripts(news.hooks);
    return checkInputs(notebookShape, news);
}

export async function diff(id: string, olds: NotebookState, news: NotebookInputs): Promise<DiffResult> {
    claimLease(id, news.name ?? olds.name, news.autoStop);
    const { result } = diffNotebook(id, olds, news);
    if (result.replaces.length) noteReplacement(id);
    return result;
}

function initFailure(message: string, id: string, properties: NotebookState, cause: unknown): ResourceInitError {
    const next = properties.status && FAILED.includes(properties.status)
        ? `the notebook is in status ${properties.status}; the next pulumi up replaces it, pulumi destroy deletes it`
        : "the notebook is tracked in the state; the next pulumi up finishes the change, pulumi destroy deletes it";
    return new ResourceInitError(`${message}. ${next}`, id, properties as unknown as Record<string, unknown>, [describeError(cause), next]);
}

export async function create(raw: NotebookDeclaredInputs, deps: Deps = {}): Promise<{ id: string; outs: NotebookState }> {
    const inputs = inputsOf(raw);
    if (inputs.importId) return adopt(inputs, inputs.importId, deps);
    const op = begin(inputs, inputs.timeouts, "create", deps);
    const { client, clock } = op;
    const twin = await findUnrecordedTwin(client, inputs, op.remaining());
    if (twin) {
        throw new ModelArtsError(
            `not creating ${label(inputs.name)}: a notebook that matches this declaration already exists (${twin.id}, status ${twin.status}), ` +
                "most likely made by a pulumi up that was interrupted before it could record it; creating again would make a second, billed notebook. " +
                `To adopt it, run pulumi up once with the resource option import set to "${twin.id}" (then remove the option). ` +
                "If that notebook is not this resource's, delete it or give this resource another name.",
        );
    }
    const sentAt = clock.now();
    const sentAtWallClock = Date.now();
    let accepted: api.Notebook | undefined;
    try {
        accepted = await api.createNotebook(client, createRequest(inputs));
    } catch (err) {
        if (!(err instanceof AmbiguousRequestError) && !(err instanceof ResponseShapeError)) throw err;
        log.warn(`the answer to creating ${label(inputs.name)} was ${err instanceof AmbiguousRequestError ? "lost" : "unreadable"}; looking for the notebook it may have created`);
        accepted = await findNotebookFromLostCreate(client, inputs, sentAtWallClock, clock);
        if (!accepted) {
            throw new ModelArtsError(
                `the answer to creating ${label(inputs.name)} was lost and no matching notebook appeared in the list within ${LOST_CREATE_SEARCHES} ` +
                    "searches, so it was probably not created. Check the ModelArts console before running pulumi up again: if the notebook is there, adopt it with the 'import' resource option.",
            );
        }
        log.info(`found ${label(inputs.name, accepted.id)} created by the request whose answer was lost`);
    }
    const id = accepted.id;
    const what = label(inputs.name, id);
    claimLease(id, inputs.name, inputs.autoStop);
    // From here on the notebook exists: every failure records it in the state.
    let last: api.Notebook = accepted;
    let storages: NotebookInputs["storages"] = inputs.storages ? [] : undefined;
    let tags: NotebookInputs["tags"] = inputs.tags ? {} : undefined;
    const c: NotebookContext = { op, id, what };
    let mounted: NotebookState["mountedStorages"];
    try {
        last = await waitForStatus({ client, id, what: `${what} to be RUNNING`, target: ["RUNNING"], pending: IN_PROGRESS, timeoutMs: op.remaining(0), clock });
        if (inputs.storages?.length) {
            await syncStorages(c, last.status, [], inputs.storages, { done: (now) => (storages = now), listed: (now) => (mounted = now) });
        }
        if (inputs.tags && Object.keys(inputs.tags).length) {
            await syncTags(c, {}, inputs.tags, inputs.workspaceId);
            last = (await observe(client, id))?.value ?? last;
        }
        tags = inputs.tags;
        if (inputs.powerState === "STOPPED") last = await powerTo(c, last, "STOPPED", inputs.autoStop);
    } catch (err) {
        const seen = lastSeen(err) ?? last;
        throw initFailure(`creating ${what} did not finish: ${describeError(err)}`, id, buildState({ ...inputs, storages, tags, ...settledInputs(seen) }, op.cfg, seen, mounted), err);
    }
    log.info(`${what} is ${last.status} after ${formatDuration(clock.now() - sentAt)}`);
    return { id, outs: buildState(inputs, op.cfg, last, mounted) };
}

/** The power state the live notebook really has (what an unfinished change achieved). */
function settledInputs(nb: api.Notebook | undefined): Partial<NotebookInputs> {
    const powerState = nb ? reportedInputs(nb).powerState : undefined;
    return powerState ? { powerState } : {};
}

/**
 * The `import` resource option, done in create (the engine cannot import through a dynamic
 * provider, pulumi/pulumi#16175): the notebook must exist and match the declaration where nothing
 * can change it in place (pool, workspace); the rest is then brought to the declaration by update.
 */
async function adopt(inputs: NotebookInputs, id: string, deps: Deps): Promise<{ id: string; outs: NotebookState }> {
    const op = begin(inputs, inputs.timeouts, "create", deps);
    const existing = await waitSettled(op.client, id, inputs.name, op.remaining(), op.clock);
    if (!existing) {
        throw new ModelArtsError(`cannot import ${label(inputs.name, id)}: no such notebook in project ${op.cfg.projectId} (region ${op.cfg.region}); check the id given to the import option`);
    }
    const what = label(existing.name ?? inputs.name, id);
    if (FAILED.includes(String(existing.status)) || existing.status === DELETING) {
        throw new ModelArtsError(`cannot import ${what}: it is in status ${existing.status}; delete it in the console or repair it first`);
    }
    const reported = reportedInputs(existing);
    const mismatches = identityMismatches(notebookShape, reported, inputs, "adopt").map(
        (m) => `${m.path} (existing ${JSON.stringify(m.reported)}, declared ${JSON.stringify(m.declared)})`,
    );
    // The API reports a pool only when the notebook has one: a declared pool it lacks differs too.
    if (inputs.poolId !== undefined && reported.poolId === undefined) mismatches.push(`poolId (existing none, declared ${JSON.stringify(inputs.poolId)})`);
    if (mismatches.length > 0) {
        throw new ModelArtsError(`cannot import ${what}: it differs from the declaration in ${mismatches.join(", ")}. These cannot change in place: make the program match the notebook, or remove the import option to create a new one.`);
    }
    log.info(`adopting ${what} (${existing.status}) instead of creating a notebook`);
    // A reported list's items lack what the API does not report (dataVolumes' readOnly, ...): laid over the declared ones.
    const found = { ...inputs, ...Object.fromEntries(Object.entries(reported).map(([k, v]) => [k, Array.isArray(v) ? laidOver((inputs as Record<string, unknown>)[k], v) : v])) } as NotebookInputs;
    // A notebook's lease is taken as it is unless the declaration owns it.
    if (inputs.autoStop === undefined) delete (found as Partial<NotebookInputs>).autoStop;
    const { outs } = await update(id, buildState(found, op.cfg, existing), inputs, deps);
    return { id, outs };
}

export async function read(id: string, props: NotebookState = {} as NotebookState): Promise<{ id?: string; props?: NotebookState; inputs?: NotebookState }> {
    const op = begin(props, props.timeouts, "update", {});
    const nb = (await observe(op.client, id))?.value;
    if (!nb) {
        log.info(`${label(props.name, id)} no longer exists; removing it from the state`);
        return {};
    }
    const reported = reportedInputs(nb);
    const imported = props.stateVersion === undefined;
    // A refresh lays over the record only what it declares (an undeclared lease is not this resource's);
    // an import by id takes everything the notebook reports.
    const relevant: ReportedInputs = imported ? reported : Object.fromEntries(Object.entries(reported).filter(([k]) => (props as Record<string, unknown>)[k] !== undefined));
    if (!imported && props.autoStop !== undefined && reported.autoStop !== undefined && !partialEqual(props.autoStop, reported.autoStop)) {
        log.warn(
            `${label(props.name, id)}: its auto-stop lease (${JSON.stringify(reported.autoStop)}) differs from the declared autoStop (${JSON.stringify(props.autoStop)}): ` +
                "it was changed outside this resource (a NotebookAutoStop on this notebook in another stack, the console, or a restart with another duration). " +
                "The next pulumi up applies the declared autoStop again; if another resource should own the policy, remove autoStop from this Notebook.",
        );
    }
    if (!imported) claimLease(id, props.name, props.autoStop);
    const listed = await api.listStorages(op.client, id).catch((err) => {
        log.warn(`${label(nb.name, id)}: could not list its mounted storage (${describeError(err)}); keeping what the state recorded`);
        return undefined;
    });
    const live = listed && declaredFromLive(listed);
    const refreshed = refreshedInputs(notebookShape, props, relevant);
    // Tags are a map the API reports whole: one removed outside Pulumi is gone from the record too.
    if (relevant.tags !== undefined) refreshed.tags = relevant.tags;
    if (live) {
        // Drift: a declared mount that is no longer there is no longer recorded, so the next up mounts it again.
        if (imported) refreshed.storages = live.length ? live : undefined;
        else if (props.storages) refreshed.storages = props.storages.filter((m) => live.some((l) => l.mountPath === m.mountPath && partialEqual(m, l)));
    }
    const outs = buildState(refreshed, op.cfg, nb, listed ? mountedOf(listed) : props.mountedStorages);
    return { id, props: outs, inputs: inputsFromState(outs) };
}

/** The inputs a refreshed state stands for: the declared fields it keeps, less the location. */
function inputsFromState(state: NotebookState): NotebookState {
    const inputs: Record<string, unknown> = {};
    for (const name of notebookShape.stateInputs) {
        const value = (state as Record<string, unknown>)[name];
        if (name !== "region" && name !== "projectId" && value !== undefined) inputs[name] = value;
    }
    return inputs as NotebookState;
}

/** Fields of a request (`update`, `updateStopped`) whose declared value differs from the recorded one. */
function changedFor(request: "update" | "updateStopped", olds: NotebookState, news: NotebookInputs): Partial<NotebookInputs> {
    const changed: Record<string, unknown> = {};
    for (const [name, wire] of wiredFields(notebookShape)) {
        const value = (news as Record<string, unknown>)[name];
        if (wire.sent?.[request] === undefined || value === undefined || partialEqual(value, (olds as Record<string, unknown>)[name])) continue;
        changed[name] = value;
    }
    // The volume goes in `update` only as a growth of its capacity (storage_new_size).
    const grow = news.volume?.capacity;
    if (changed.volume !== undefined && !(typeof grow === "number" && grow > (olds.volume?.capacity ?? 0))) delete changed.volume;
    return changed as Partial<NotebookInputs>;
}

/** Brings the notebook's tags from `had` to `want`: removed or changed keys deleted, new or changed ones created. */
async function syncTags(c: NotebookContext, had: Record<string, string>, want: Record<string, string>, workspaceId: string | undefined): Promise<void> {
    const { client } = c.op;
    const drop = Object.entries(had).filter(([k, v]) => want[k] !== v).map(([key, value]) => ({ key, value }));
    const add = Object.entries(want).filter(([k, v]) => had[k] !== v).map(([key, value]) => ({ key, value }));
    if (drop.length) await api.deleteNotebookTags(client, c.id, drop, workspaceId);
    if (add.length) await api.createNotebookTags(client, c.id, add, workspaceId);
    if (drop.length + add.length) log.info(`${c.what}: tags ${[...add.map((t) => `+${t.key}`), ...drop.filter((t) => want[t.key] === undefined).map((t) => `-${t.key}`)].join(" ")}`);
}

export async function update(id: string, olds: NotebookState, raw: NotebookDeclaredInputs, deps: Deps = {}): Promise<{ outs: NotebookState }> {
    const news = inputsOf(raw);
    const op = begin(olds, news.timeouts, "update", deps);
    const { client, clock } = op;
    const what = label(news.name, id);
    const c: NotebookContext = { op, id, what };
    claimLease(id, news.name, news.autoStop);
    // What is recorded as done, field by field: a failure half-way records only that.
    const achieved: Partial<NotebookState> = {};
    for (const name of notebookShape.updateInPlace) (achieved as Record<string, unknown>)[name] = (olds as Record<string, unknown>)[name];
    (achieved as Record<string, unknown>).volume = olds.volume;
    (achieved as Record<string, unknown>).ssh = olds.ssh;
    let current: api.Notebook | undefined;
    let mounted = olds.mountedStorages;
    const progress = () => buildState({ ...olds, ...news, ...achieved, ...settledInputs(current) }, op.cfg, current, mounted);
    const done = (fields: Partial<NotebookInputs>) => Object.assign(achieved, fields);
    try {
        current = await waitSettled(client, id, news.name, op.remaining(), clock);
        if (!current) throw new ModelArtsError(`${what} no longer exists; run pulumi refresh, then pulumi up to create it again`);
        if (current.status === "FROZEN") throw new ModelArtsError(`${what} is FROZEN (usually the account is in arrears or frozen) and cannot be changed until it is unfrozen; nothing was changed`);
        if (FAILED.includes(String(current.status))) throw new ModelArtsError(`${what} is in status ${current.status} and cannot be changed in place; replace it with pulumi up --replace`);

        const running = requestOf("update", changedFor("update", olds, news));
        if (Object.keys(running).length > 0) {
            log.info(`updating ${what}: ${Object.keys(running).join(", ")}`);
            current = await api.updateNotebook(client, id, running);
            current = await waitForStatus({ client, id, what: `${what} to settle after the update`, target: [...SETTLED], pending: IN_PROGRESS, timeoutMs: op.remaining(), clock });
        }
        done({ name: news.name, description: news.description ?? olds.description, volume: news.volume ?? olds.volume });
        if (news.tags !== undefined) {
            await syncTags(c, olds.tags ?? {}, news.tags, news.workspaceId);
            done({ tags: news.tags });
        }

        const stoppedChanges = changedFor("updateStopped", olds, news);
        if (Object.keys(stoppedChanges).length > 0) {
            if (current.status === "RUNNING") log.warn(`${what}: stopping it to change ${Object.keys(stoppedChanges).join(", ")} (the API changes these on a stopped notebook only)`);
            current = await powerTo(c, current, "STOPPED", news.autoStop);
            current = await api.updateNotebook(client, id, requestOf("updateStopped", stoppedChanges));
            current = await waitForStatus({ client, id, what: `${what} to settle after the update`, target: [...SETTLED], pending: IN_PROGRESS, timeoutMs: op.remaining(), clock });
        }
        done({ flavor: news.flavor, imageId: news.imageId, ssh: news.ssh ?? olds.ssh });

        if (news.autoStop !== undefined && !partialEqual(news.autoStop, olds.autoStop)) {
            if (current.status === "RUNNING" && news.powerState === "RUNNING" && news.autoStop.enabled) {
                log.info(`${what}: renewing its auto-stop lease to ${news.autoStop.duration} s from now`);
                await api.renewLease(client, id, leaseDurationMs(news.autoStop), news.autoStop.type ?? "TIMING");
            } else if (current.status === "RUNNING" && news.powerState === "RUNNING") {
                log.warn(`${what}: autoStop is now off, but the API cannot switch off the lease of a running notebook; it takes effect at the notebook's next start (stop and start it, or set powerState to STOPPED and back)`);
            }
        }
        done({ autoStop: news.autoStop });

        // Storage is mounted / unmounted on a RUNNING notebook: before a declared stop, after a declared start.
        const syncMounts = () =>
            syncStorages(c, current?.status, olds.storages ?? [], news.storages ?? [], {
                done: (now) => done({ storages: now.length || news.storages ? now : undefined }),
                listed: (now) => (mounted = now),
            });
        const mountsFirst = current.status === "RUNNING";
        if (mountsFirst) await syncMounts();
        current = await powerTo(c, current, news.powerState, news.autoStop);
        done({ powerState: news.powerState });
        if (!mountsFirst) await syncMounts();
        current = (await observe(client, id))?.value ?? current;
    } catch (err) {
        current = lastSeen(err) ?? current;
        throw initFailure(`updating ${what} did not finish: ${describeError(err)}`, id, progress(), err);
    }
    return { outs: progress() };
}

export async function remove(id: string, props: NotebookState, deps: Deps = {}): Promise<void> {
    const op = begin(props, props.timeouts, "delete", deps);
    const { client, clock } = op;
    const started = clock.now();
    const what = label(props.name, id);
    claimLease(id, props.name, undefined);
    let settled = await waitSettled(client, id, props.name, op.remaining(), clock);
    if (!settled) {
        log.info(`${what} is already gone`);
        return;
    }
    const sendDelete = () => requestTransition(client, id, () => api.deleteNotebook(client, id), [DELETING]);
    try {
        try {
            await sendDelete();
        } catch (err) {
            // The SDK's DeleteNotebook docstring refuses a notebook that is not stopped (Terraform deletes
            // running ones): when refused while RUNNING, stop it and ask again.
            // Only the service's own refusal (a ModelArts code): a gateway error (a wrong endpoint) is not "stop it first".
            const refusedByService = err instanceof ModelArtsApiError && err.status < 500 && /^ModelArts\./.test(err.errorCode ?? "");
            if (!refusedByService || api.isNotebookNotFound(err) || settled.status !== "RUNNING") throw err;
            log.info(`${what}: the delete was refused while RUNNING (${describeError(err)}); stopping it first`);
            settled = await powerTo({ op, id, what }, settled, "STOPPED", undefined);
            await sendDelete();
        }
    } catch (err) {
        if (!api.isNotebookNotFound(err)) throw err;
        log.info(`${what} is already gone`);
        return;
    }
    await waitFor({
        what: `${what} to be deleted`,
        refresh: () => observe(client, id),
        pending: [DELETING, ...SETTLED, ...IN_PROGRESS, ...FAILED.filter((s) => s !== "DELETE_FAILED")],
        target: [],
        failed: ["DELETE_FAILED"],
        notFoundIsTarget: true,
        timeoutMs: op.remaining(),
        clock,
        isTransient: isTransientError,
    }).catch((err) => {
        if (err instanceof WaitFailedError) {
            throw new ModelArtsError(`deleting ${what} failed: the notebook reached status ${err.status} and still exists in your account. Check it in the ModelArts console, then run pulumi destroy again.`);
        }
        throw err;
    });
    log.info(`${what} deleted after ${formatDuration(clock.now() - started)}`);
}
