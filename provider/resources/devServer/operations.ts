/**
 * DevServer: check / diff / create / read / update / delete of a ModelArts DevServer.
 *
 * The state never holds `adminPass` or `userData`, not even encrypted: it carries salted digests
 * so `diff` can still tell when the declared secret changed.
 */
import * as api from "../../api/devServers";
import { getClient, ModelArtsClient } from "../../client";
import { Clock, realClock } from "../../clock";
import { ResolvedConfig } from "../../config";
import { formatDuration } from "../../duration";
import {
    AmbiguousRequestError,
    describeError,
    isTransientError,
    ModelArtsError,
    ResourceInitError,
    ResponseShapeError,
    WaitFailedError,
    WaitTimeoutError,
} from "../../errors";
import { log, registerSecret } from "../../log";
import { waitFor } from "../../wait";
import {
    CheckFailure,
    checkInputs,
    configFor,
    containsUnknown,
    digestMatches,
    isUnknown,
    LOCATION_FIELDS,
    locationReplaces,
    parseInputs,
    timeoutMs,
} from "../common";
import { ADOPT_COMPARED, DevServerDeclaredInputs, DevServerInputs, DevServerState, devServerShape } from "./fields";
import { buildState, createRequest, reportedInputs, settledInputs } from "./live";
import { findServerByOrder, findServerFromLostCreate, LOST_CREATE_SEARCHES } from "./lostCreate";
import { FAILED, GONE, IN_PROGRESS, label, observe, requestTransition, SETTLED, waitForStatus, waitSettled } from "./server";

const DEFAULT_TIMEOUTS_MS = { create: 30 * 60_000, update: 30 * 60_000, delete: 20 * 60_000 };

export interface Deps {
    clock?: Clock;
}

/**
 * What every operation starts with: the configuration and client for where the server lives, the
 * clock, and the time left of the operation's timeout.
 */
interface Operation {
    cfg: ResolvedConfig;
    client: ModelArtsClient;
    clock: Clock;
    /** Milliseconds left of the operation's timeout (at least `floorMs`). */
    remaining(floorMs?: number): number;
}

function begin(
    location: { region?: string; projectId?: string },
    timeouts: DevServerInputs["timeouts"],
    op: keyof typeof DEFAULT_TIMEOUTS_MS,
    deps: Deps,
): Operation {
    const cfg = configFor(location);
    const clock = deps.clock ?? realClock;
    const started = clock.now();
    const timeout = timeoutMs(timeouts, op, DEFAULT_TIMEOUTS_MS[op]);
    return {
        cfg,
        client: getClient(cfg),
        clock,
        remaining: (floorMs = 1000) => Math.max(timeout - (clock.now() - started), floorMs),
    };
}

/** The inputs the engine hands over, as the table defines them (check has already passed them). */
function inputsOf(raw: DevServerDeclaredInputs): DevServerInputs {
    const inputs = parseInputs(devServerShape.inputSchema, raw);
    registerSecret(inputs.adminPass);
    registerSecret(inputs.userData);
    return inputs;
}

// ---------------------------------------------------------------------------------------------

export async function check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
): Promise<{ inputs: DevServerInputs; failures: CheckFailure[] }> {
    // In case the service ever echoes them in an error message.
    for (const secret of devServerShape.secretInputs) registerSecret(typeof news[secret] === "string" ? news[secret] : undefined);
    return checkInputs(devServerShape, news);
}

export interface DiffResult {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

/** Declared values (objects: only the keys declared) equal what the state recorded. */
function partialEqual(declared: unknown, recorded: unknown): boolean {
    if (declared && typeof declared === "object" && !Array.isArray(declared)) {
        if (!recorded || typeof recorded !== "object") return false;
        return Object.entries(declared).every(
            ([k, v]) => v === undefined || v === null || partialEqual(v, (recorded as Record<string, unknown>)[k]),
        );
    }
    return declared === recorded;
}

const DIGEST_OF: Partial<Record<string, keyof DevServerState>> = { adminPass: "adminPassDigest", userData: "userDataDigest" };

export async function diff(id: string, olds: DevServerState, news: DevServerInputs): Promise<DiffResult> {
    const declared: Record<string, unknown> = news;
    const recorded: Record<string, unknown> = olds;
    const changed = (field: string) =>
        declared[field] !== undefined && declared[field] !== null && (containsUnknown(declared[field]) || !partialEqual(declared[field], recorded[field]));
    const replaces: string[] = [];
    for (const field of devServerShape.replaceOnChange) {
        if (LOCATION_FIELDS.includes(field)) continue; // compared where it resolves to, below
        const digest = DIGEST_OF[field];
        if (digest === undefined) {
            if (changed(field)) replaces.push(field);
        } else if (declared[field] !== undefined && declared[field] !== null) {
            const secret = declared[field];
            if (isUnknown(secret) || !digestMatches(String(secret), olds[digest] as string | undefined)) replaces.push(field);
        }
    }
    replaces.push(...locationReplaces(olds, news));
    const updates: string[] = devServerShape.updateInPlace.filter(changed);

    const status = olds.status ?? "";
    if (FAILED.includes(status) && replaces.length === 0) {
        log.warn(`${label(olds.name, id)} is in status ${status}: it cannot be repaired in place, so it will be replaced`);
        replaces.push("status");
    } else if (IN_PROGRESS.includes(status)) {
        // Left mid-transition by an earlier run (timeout, init failure): let update wait for it.
        updates.push("status");
    }
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(raw: DevServerDeclaredInputs, deps: Deps = {}): Promise<{ id: string; outs: DevServerState }> {
    const inputs = inputsOf(raw);
    if (inputs.importId) return adopt(inputs, inputs.importId, deps);
    const op = begin(inputs, inputs.timeouts, "create", deps);
    const { client, clock } = op;
    const body = createRequest(inputs);
    const sentAt = clock.now();
    const sentAtWallClock = Date.now();

    let accepted: api.DevServer | undefined;
    try {
        accepted = await api.createDevServer(client, body);
    } catch (err) {
        // A lost answer, or one we could not read: the server may exist all the same.
        if (!(err instanceof AmbiguousRequestError) && !(err instanceof ResponseShapeError)) throw err;
        log.warn(`the answer to creating ${label(inputs.name)} was ${err instanceof AmbiguousRequestError ? "lost" : "unreadable"}; looking for the server it may have created`);
        accepted = await findServerFromLostCreate(client, body, sentAt, sentAtWallClock, clock);
        if (!accepted) {
            throw new ModelArtsError(
                `the answer to creating ${label(inputs.name)} was lost and no matching server appeared in the list ` +
                    `within ${LOST_CREATE_SEARCHES} searches, so it was probably not created. Check the ModelArts console ` +
                    `before running pulumi up again: if the server is there, adopt it with the 'import' resource option.`,
            );
        }
        log.info(`found ${label(inputs.name, accepted.id)} created by the request whose answer was lost`);
    }
    if (!accepted.id && accepted.order_id) {
        log.info(`${label(inputs.name)}: PRE_PAID order ${accepted.order_id} placed; waiting for the server to appear`);
        accepted = await findServerByOrder(client, accepted.order_id, inputs.name, op.remaining(), clock);
    }
    const id = accepted.id;
    if (!id) throw new ModelArtsError(`the API accepted ${label(inputs.name)} but returned neither an id nor an order id; check the ModelArts console`);

    // From here on the server exists: every failure must still record it in the state.
    const what = label(inputs.name, id);
    let last: api.DevServer = accepted;
    try {
        last = await waitForStatus({ client, id, what: `${what} to be RUNNING`, target: ["RUNNING"], pending: ["CREATING", "STARTING"], timeoutMs: op.remaining(0), clock });
        if (inputs.powerState === "STOPPED") {
            const answer = await requestTransition(client, id, () => api.stopDevServer(client, id), ["STOPPING", "STOPPED"]);
            last = await waitForStatus({
                client, id, what: `${what} to be STOPPED`, target: ["STOPPED"], pending: ["STOPPING"], leaving: ["RUNNING"],
                requestAnswer: answer, timeoutMs: op.remaining(60_000), clock,
            });
        }
    } catch (err) {
        const seen = lastSeen(err) ?? last;
        throw initFailure(`creating ${what} did not finish: ${describeError(err)}`, id, buildState({ ...inputs, ...settledInputs(seen) }, op.cfg, seen), err);
    }
    log.info(`${what} is ${last.status} after ${formatDuration(clock.now() - sentAt)}`);
    return { id, outs: buildState(inputs, op.cfg, last) };
}

/** The last server body a wait saw, when it ended in failure or timeout. */
function lastSeen(err: unknown): api.DevServer | undefined {
    return err instanceof WaitFailedError || err instanceof WaitTimeoutError ? (err.lastValue as api.DevServer | undefined) : undefined;
}

/**
 * The `import` resource option, done in create: Pulumi's engine cannot import through a dynamic
 * provider (its import Read carries no serialized provider; pulumi/pulumi#16175), so the SDK turns
 * the option into `importId`. The server must exist and match the declaration in every immutable
 * field the API reports; name and power state are then brought to what is declared.
 */
async function adopt(inputs: DevServerInputs, id: string, deps: Deps): Promise<{ id: string; outs: DevServerState }> {
    const op = begin(inputs, inputs.timeouts, "create", deps);
    const existing = await waitSettled(op.client, id, inputs.name, op.remaining(), op.clock);
    if (!existing) {
        throw new ModelArtsError(
            `cannot import ${label(inputs.name, id)}: no such server in project ${op.cfg.projectId} (region ${op.cfg.region}); check the id given to the import option`,
        );
    }
    const what = label(existing.name ?? inputs.name, id);
    if (FAILED.includes(String(existing.status))) {
        throw new ModelArtsError(`cannot import ${what}: it is in status ${existing.status}; delete it in the console or repair it first`);
    }
    const live: Record<string, unknown> = { ...reportedInputs(existing) };
    const declared: Record<string, unknown> = { ...inputs, chargingMode: inputs.chargingInfo?.chargingMode };
    const mismatches = [...ADOPT_COMPARED, "chargingMode"]
        .filter((f) => declared[f] !== undefined && live[f] !== undefined && declared[f] !== live[f])
        .map((f) => `${f === "chargingMode" ? "chargingInfo.chargingMode" : f} (existing ${JSON.stringify(live[f])}, declared ${JSON.stringify(declared[f])})`);
    if (mismatches.length > 0) {
        throw new ModelArtsError(
            `cannot import ${what}: it differs from the declaration in ${mismatches.join(", ")}. ` +
                `These cannot change in place: make the program match the server, or remove the import option to create a new one.`,
        );
    }
    log.info(`adopting ${what} (${existing.status}) instead of creating a server`);
    const { outs } = await update(id, buildState({ ...inputs, ...settledInputs(existing) }, op.cfg, existing), inputs, deps);
    return { id, outs };
}

function initFailure(message: string, id: string, properties: DevServerState, cause: unknown): ResourceInitError {
    const failedReason = properties.status && FAILED.includes(properties.status)
        ? `the server is in status ${properties.status}; the next pulumi up replaces it, pulumi destroy deletes it`
        : "the server is tracked in the state; the next pulumi up waits for it, pulumi destroy deletes it";
    return new ResourceInitError(`${message}. ${failedReason}`, id, properties, [describeError(cause), failedReason]);
}

export async function read(
    id: string,
    props: DevServerState = {} as DevServerState,
): Promise<{ id?: string; props?: DevServerState; inputs?: DevServerState }> {
    const op = begin(props, props.timeouts, "update", {});
    const body = (await observe(op.client, id))?.value;
    if (!body) {
        log.info(`${label(props.name, id)} no longer exists; removing it from the state`);
        return {};
    }
    const { chargingMode, powerState, ...live } = reportedInputs(body);
    const refreshed: DevServerState = {
        ...props,
        ...(live as Partial<DevServerState>),
        powerState: powerState ?? props.powerState,
        // The API reports only the charging mode: keep the declared period and payment settings.
        chargingInfo: chargingMode
            ? ({ ...props.chargingInfo, chargingMode } as DevServerState["chargingInfo"])
            : props.chargingInfo,
    };
    const outs = buildState(refreshed, op.cfg, body, props);
    return { id, props: outs, inputs: inputsFromState(outs) };
}

/** The inputs a refreshed state stands for: the declared fields it keeps, less the location. */
function inputsFromState(state: DevServerState): DevServerState {
    const inputs: Record<string, unknown> = {};
    for (const field of devServerShape.stateInputs) {
        const value = (state as Record<string, unknown>)[field];
        if (!LOCATION_FIELDS.includes(field) && value !== undefined) inputs[field] = value;
    }
    return inputs as DevServerState;
}

export async function update(
    id: string,
    olds: DevServerState,
    raw: DevServerDeclaredInputs,
    deps: Deps = {},
): Promise<{ outs: DevServerState }> {
    const news = inputsOf(raw);
    const op = begin(olds, news.timeouts, "update", deps);
    const { client, clock } = op;
    const what = label(news.name, id);
    let current: api.DevServer | undefined = undefined;
    const progress = () => buildState({ ...olds, ...news, ...settledInputs(current) }, op.cfg, current, olds);
    try {
        current = await waitSettled(client, id, news.name, op.remaining(), clock);
        if (!current) throw new ModelArtsError(`${what} no longer exists; run pulumi refresh, then pulumi up to create it again`);
        if (FAILED.includes(String(current.status))) {
            throw new ModelArtsError(`${what} is in status ${current.status} and cannot be changed in place; replace it with pulumi up --replace`);
        }
        if (current.name !== news.name) {
            log.info(`renaming ${label(current.name, id)} to ${news.name}`);
            current = await api.renameDevServer(client, id, news.name);
        }
        if (news.powerState === "RUNNING" && current.status === "STOPPED") {
            log.info(`starting ${what}`);
            const answer = await requestTransition(client, id, () => api.startDevServer(client, id), ["STARTING", "RUNNING"]);
            current = await waitForStatus({
                client, id, what: `${what} to be RUNNING`, target: ["RUNNING"], pending: ["STARTING"], leaving: ["STOPPED"],
                requestAnswer: answer, timeoutMs: op.remaining(), clock,
            });
        } else if (news.powerState === "STOPPED" && current.status === "RUNNING") {
            log.info(`stopping ${what}`);
            const answer = await requestTransition(client, id, () => api.stopDevServer(client, id), ["STOPPING", "STOPPED"]);
            current = await waitForStatus({
                client, id, what: `${what} to be STOPPED`, target: ["STOPPED"], pending: ["STOPPING"], leaving: ["RUNNING"],
                requestAnswer: answer, timeoutMs: op.remaining(), clock,
            });
        }
    } catch (err) {
        current = lastSeen(err) ?? current;
        throw initFailure(`updating ${what} did not finish: ${describeError(err)}`, id, progress(), err);
    }
    return { outs: progress() };
}

export async function remove(id: string, props: DevServerState, deps: Deps = {}): Promise<void> {
    const op = begin(props, props.timeouts, "delete", deps);
    const { client, clock } = op;
    const started = clock.now();
    const what = label(props.name, id);
    const settled = await waitSettled(client, id, props.name, op.remaining(), clock);
    if (!settled) {
        log.info(`${what} is already gone`);
        return;
    }
    try {
        await requestTransition(client, id, () => api.deleteDevServer(client, id), ["DELETING", ...GONE]);
    } catch (err) {
        if (!api.isDevServerNotFound(err)) throw err;
        log.info(`${what} is already gone`);
        return;
    }
    await waitFor({
        what: `${what} to be deleted`,
        refresh: () => observe(client, id),
        // A failed server may still show its old status for a moment after DELETE is accepted.
        pending: ["DELETING", ...SETTLED, ...IN_PROGRESS, ...FAILED.filter((s) => s !== "DELETE_FAILED")],
        target: [],
        failed: ["DELETE_FAILED"],
        notFoundIsTarget: true,
        timeoutMs: op.remaining(),
        clock,
        isTransient: isTransientError,
    }).catch((err) => {
        if (err instanceof WaitFailedError) {
            throw new ModelArtsError(
                `deleting ${what} failed: the server reached status ${err.status} and still exists in your account. ` +
                    `Check it in the ModelArts console, then run pulumi destroy again.`,
            );
        }
        throw err;
    });
    log.info(`${what} deleted after ${formatDuration(clock.now() - started)}`);
}
