/**
 * DevServer: check / diff / create / read / update / delete of a ModelArts DevServer.
 *
 * The state never holds `adminPass` or `userData`, not even encrypted: it carries salted digests
 * so `diff` can still tell when the declared secret changed.
 */
import * as api from "../../api/devServers";
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
    LOCATION_FIELDS,
    parseInputs,
    beginOperation,
    DefaultTimeouts,
    Deps,
    DiffResult,
    Operation,
} from "../common";
import { diffByTable, digestOutputOf } from "../diff";
import type { FieldOptions } from "../fields";
import { identityMismatches, refreshedInputs } from "../wire";
import { awaitOrder, bindPublicIp, listPublicIps, powerTo, reboot, rebuildOs, ServerContext, setAutoRenew, syncVolumes, unsubscribe } from "./actions";
import { DevServerDeclaredInputs, DevServerInputs, DevServerState, devServerShape } from "./fields";
import { buildState, createRequest, publicIpsOf, reportedInputs, settledInputs } from "./live";
import { findServerByOrder, findServerFromLostCreate, findUnrecordedTwin, LOST_CREATE_SEARCHES, noteReplacement } from "./lostCreate";
import { FAILED, GONE, IN_PROGRESS, label, observe, requestTransition, SETTLED, waitForStatus, waitSettled } from "./server";

/** Terraform's huaweicloud_modelarts_devserver: create 60 min, delete 30 min (it has no update timeout). */
const DEFAULT_TIMEOUTS_MS: DefaultTimeouts = { create: 60 * 60_000, update: 30 * 60_000, delete: 30 * 60_000 };

export type { Deps } from "../common";

/** The operation preamble with DevServer's default timeouts (see common.ts `beginOperation`). */
function begin(
    location: { region?: string; projectId?: string },
    timeouts: DevServerInputs["timeouts"],
    op: keyof DefaultTimeouts,
    deps: Deps,
): Operation {
    return beginOperation(location, timeouts, op, DEFAULT_TIMEOUTS_MS, deps);
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
    if (news.flavor !== undefined && news.flavor !== null && (news.resourceFlavor === undefined || news.resourceFlavor === null)) {
        log.warn(
            `${label(typeof news.name === "string" ? news.name : undefined)}: flavor is deprecated (as the API's flavor is): declare ` +
                "resourceFlavor with the same value instead; the server is not replaced by the rename",
        );
    }
    return checkInputs(devServerShape, news);
}

export async function diff(id: string, olds: DevServerState, news: DevServerInputs): Promise<DiffResult> {
    const what = label(olds.name, id);
    const status = olds.status ?? "";
    const planned = diffByTable(devServerShape, olds, news, {
        what,
        // The server's own status: a FAILED one cannot be repaired in place; one left mid-transition by
        // an earlier run (timeout, init failure) is waited for by update.
        adjust: (plan) => {
            if (FAILED.includes(status) && plan.replaces.length === 0) {
                log.warn(`${what} is in status ${status}: it cannot be repaired in place, so it will be replaced`);
                plan.replaces.push("status");
            } else if (IN_PROGRESS.includes(status)) plan.updates.push("status");
        },
    });
    if (planned.replaces.length) noteReplacement(id);
    return planned;
}

export async function create(raw: DevServerDeclaredInputs, deps: Deps = {}): Promise<{ id: string; outs: DevServerState }> {
    const inputs = inputsOf(raw);
    if (inputs.importId) return adopt(inputs, inputs.importId, deps);
    const op = begin(inputs, inputs.timeouts, "create", deps);
    const { client, clock } = op;
    const twin = await findUnrecordedTwin(client, inputs, op.remaining(), clock);
    if (twin) {
        throw new ModelArtsError(
            `not creating ${label(inputs.name)}: a server that matches this declaration already exists (${twin.id}, ` +
                `status ${twin.status}), most likely made by a pulumi up that was interrupted before it could record it; ` +
                "creating again would make a second, billed server. To adopt it, run pulumi up once with the resource option " +
                `import set to "${twin.id}" (then remove the option), or run pulumi refresh interactively and import the pending create ` +
                "with that id. If that server is not this resource's, delete it or give this resource another name.",
        );
    }
    const sentAt = clock.now();
    const sentAtWallClock = Date.now();

    let accepted: api.DevServer | undefined;
    try {
        accepted = await api.createDevServer(client, createRequest(inputs));
    } catch (err) {
        // A lost answer, or one we could not read: the server may exist all the same.
        if (!(err instanceof AmbiguousRequestError) && !(err instanceof ResponseShapeError)) throw err;
        log.warn(`the answer to creating ${label(inputs.name)} was ${err instanceof AmbiguousRequestError ? "lost" : "unreadable"}; looking for the server it may have created`);
        accepted = await findServerFromLostCreate(client, inputs, sentAt, sentAtWallClock, clock);
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
        await awaitOrder(op.cfg, accepted.order_id, inputs.name, inputs.chargingInfo?.isAutoPay ?? true, op.remaining(), clock);
        accepted = await findServerByOrder(client, accepted.order_id, inputs.name, op.remaining(), clock);
    }
    const id = accepted.id;
    if (!id) throw new ModelArtsError(`the API accepted ${label(inputs.name)} but returned neither an id nor an order id; check the ModelArts console`);

    // From here on the server exists: every failure must still record it in the state, with only
    // what was really done (volumes attached, EIP bound) so the next up finishes the rest.
    const what = label(inputs.name, id);
    const s: ServerContext = { cfg: op.cfg, client, clock, id, what, remaining: op.remaining };
    const achieved: Partial<DevServerInputs> = { attachedVolumeIds: [], publicIpId: undefined };
    let last: api.DevServer = accepted;
    let publicIps: DevServerState["publicIps"];
    try {
        last = await waitForStatus({ client, id, what: `${what} to be RUNNING`, target: ["RUNNING"], pending: ["CREATING", "STARTING"], timeoutMs: op.remaining(0), clock });
        if (await syncVolumes(s, last, [], inputs.attachedVolumeIds ?? [], (ids) => (achieved.attachedVolumeIds = ids))) {
            last = (await observe(client, id))?.value ?? last;
        }
        if (inputs.publicIpId !== undefined) {
            publicIps = publicIpsOf(await bindPublicIp(s, inputs.publicIpId));
            achieved.publicIpId = inputs.publicIpId;
        } else {
            // A server just created has no EIP unless this create bound one: no call needed (a
            // thousand creates would otherwise cost a thousand more calls); refresh reads them.
            publicIps = [];
        }
        if (inputs.powerState === "STOPPED") last = await powerTo({ ...s, remaining: (floor) => op.remaining(Math.max(floor ?? 0, 60_000)) }, last, "STOPPED");
    } catch (err) {
        const seen = lastSeen(err) ?? last;
        throw initFailure(
            `creating ${what} did not finish: ${describeError(err)}`,
            id,
            buildState({ ...inputs, ...achieved, ...settledInputs(seen) }, op.cfg, seen, {}, publicIps),
            err,
        );
    }
    log.info(`${what} is ${last.status} after ${formatDuration(clock.now() - sentAt)}`);
    return { id, outs: buildState(inputs, op.cfg, last, {}, publicIps) };
}

/** The last server body a wait saw, when it ended in failure or timeout. */
function lastSeen(err: unknown): api.DevServer | undefined {
    const value = err instanceof WaitFailedError || err instanceof WaitTimeoutError ? (err.lastValue as Record<string, unknown> | undefined) : undefined;
    // A wait for a volume operation saw the operation, not the server.
    return value && !("operation_status" in value) && !("operation_id" in value) ? (value as api.DevServer) : undefined;
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
    const mismatches = identityMismatches(devServerShape, reportedInputs(existing), inputs, "adopt").map(
        (m) => `${m.path} (existing ${JSON.stringify(m.reported)}, declared ${JSON.stringify(m.declared)})`,
    );
    if (mismatches.length > 0) {
        throw new ModelArtsError(
            `cannot import ${what}: it differs from the declaration in ${mismatches.join(", ")}. ` +
                `These cannot change in place: make the program match the server, or remove the import option to create a new one.`,
        );
    }
    log.info(`adopting ${what} (${existing.status}) instead of creating a server`);
    // As found: update then attaches the declared volumes it lacks and binds the declared EIP
    // (both checked against the live server); triggers fire only on a later change.
    const found = { ...inputs, ...settledInputs(existing), attachedVolumeIds: [], publicIpId: undefined };
    const { outs } = await update(id, buildState(found, op.cfg, existing), inputs, deps);
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
    const ips = await listPublicIps(op.client, id);
    const publicIps = ips ? publicIpsOf(ips) : props.publicIps;
    const liveVolumes = body.volumes ? new Set(body.volumes.map((v) => v.evs_id)) : undefined;
    const refreshed: DevServerState = {
        ...refreshedInputs(devServerShape, props, reportedInputs(body)),
        // Drift: a volume detached or an EIP unbound outside Pulumi is no longer recorded, so the next up restores it.
        attachedVolumeIds: liveVolumes ? props.attachedVolumeIds?.filter((v) => liveVolumes.has(v)) : props.attachedVolumeIds,
        publicIpId: ips && props.publicIpId !== undefined && !publicIps?.some((ip) => ip.id === props.publicIpId) ? undefined : props.publicIpId,
    };
    const outs = buildState(refreshed, op.cfg, body, props, publicIps);
    // No recorded state: an import by id. What the API does not report is unknown, not absent.
    const imported = props.stateVersion === undefined;
    const unreported = imported ? unreportedInputs(outs) : props.unreportedSinceImport;
    if (unreported?.length) outs.unreportedSinceImport = unreported;
    const mustDeclare = imported ? (unreported ?? []).filter((name) => (devServerShape.requiredInputs as readonly string[]).includes(name)) : [];
    if (mustDeclare.length) {
        // `pulumi import` writes code from this read: say what it cannot hold, before the user runs it.
        log.warn(
            `${label(outs.name, id)}: the ModelArts API does not report ${mustDeclare.join(", ")}, so imported code cannot hold ` +
                `${mustDeclare.length > 1 ? "them" : "it"}: set ${mustDeclare.join(", ")} to the server's own value (the console shows it) ` +
                "before the next pulumi up; the declared value is taken as it is, and the server is not replaced",
        );
    }
    return { id, props: outs, inputs: inputsFromState(outs) };
}

/** Inputs that would replace the server and that a state read from the API alone cannot hold. */
function unreportedInputs(state: DevServerState): string[] {
    const inputs = devServerShape.inputs as Record<string, { options: FieldOptions }>;
    const recorded = state as Record<string, unknown>;
    return [...new Set([...devServerShape.replaceOnChange, ...devServerShape.secretInputs])].filter((name) => {
        const o = inputs[name].options;
        if (LOCATION_FIELDS.includes(name) || o.internal || o.sameAs !== undefined) return false;
        const digest = digestOutputOf(devServerShape, name);
        return digest !== undefined ? recorded[digest] === undefined : recorded[name] === undefined;
    });
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

/** The declared `isAutoRenew` differs from the recorded one (a PRE_PAID server's renewal, through BSS). */
function autoRenewChange(olds: DevServerState, news: DevServerInputs): boolean | undefined {
    const want = news.chargingInfo?.isAutoRenew;
    return want !== undefined && want !== (olds.chargingInfo?.isAutoRenew ?? false) ? want : undefined;
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
    const s: ServerContext = { cfg: op.cfg, client, clock, id, what, remaining: op.remaining };
    let current: api.DevServer | undefined = undefined;
    let publicIps = olds.publicIps;
    // The in-place actions, as recorded until each is done: a failure half-way records what was really
    // done, so the next up does the rest (and a trigger not yet acted on is still pending).
    const achieved: Partial<DevServerState> = {
        imageId: olds.imageId ?? news.imageId,
        attachedVolumeIds: olds.attachedVolumeIds ?? [],
        publicIpId: olds.publicIpId,
        chargingInfo: olds.chargingInfo,
        rebootTrigger: olds.rebootTrigger,
        reinstallTrigger: olds.reinstallTrigger,
    };
    const progress = () => buildState({ ...olds, ...news, ...achieved, ...settledInputs(current) }, op.cfg, current, olds, publicIps);
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

        const renew = autoRenewChange(olds, news);
        if (renew !== undefined) {
            const mode = current.charging_mode ?? news.chargingInfo?.chargingMode;
            if (mode === "PRE_PAID") await setAutoRenew(s, renew);
            else log.info(`${what} is ${mode ?? "not PRE_PAID"}: chargingInfo.isAutoRenew applies to PRE_PAID servers only; nothing to renew`);
        }
        achieved.chargingInfo = news.chargingInfo;

        // Change OS (a new image) or reinstall (a changed trigger): from STOPPED, ends RUNNING.
        const liveImage = (current.image ?? current.server_image_response)?.image_id ?? olds.imageId;
        const changeImage = liveImage !== undefined && liveImage !== news.imageId;
        const reinstall = news.reinstallTrigger !== undefined && news.reinstallTrigger !== olds.reinstallTrigger;
        let freshlyBooted = false;
        if (changeImage || reinstall) {
            if (changeImage && reinstall) log.info(`${what}: changing the OS also reinstalls it; reinstallTrigger needs no second rebuild`);
            current = await rebuildOs(s, current, changeImage ? "changeos" : "reinstallos", news);
            freshlyBooted = true;
        }
        achieved.imageId = news.imageId;
        achieved.reinstallTrigger = news.reinstallTrigger;

        if (await syncVolumes(s, current, olds.attachedVolumeIds ?? [], news.attachedVolumeIds ?? [], (ids) => (achieved.attachedVolumeIds = ids))) {
            current = (await observe(client, id))?.value ?? current;
        }
        achieved.attachedVolumeIds = news.attachedVolumeIds ?? [];

        // An EIP is bound only to a RUNNING server (BindDevServerPublicIp, PY SDK docstring): now
        // when it runs (before a declared stop), after the declared start when it is stopped.
        const bindEip = news.publicIpId !== undefined && news.publicIpId !== olds.publicIpId ? news.publicIpId : undefined;
        let bindAfterStart = false;
        if (bindEip !== undefined) {
            if (current.status === "RUNNING") {
                publicIps = publicIpsOf(await bindPublicIp(s, bindEip)) ?? publicIps;
                achieved.publicIpId = news.publicIpId;
            } else if (news.powerState === "RUNNING") {
                bindAfterStart = true;
            } else {
                throw new ModelArtsError(
                    `${what} is ${current.status} and powerState ${news.powerState} keeps it so, but EIP ${bindEip} can be bound only to a ` +
                        "RUNNING server; the provider does not start a server declared stopped. Set powerState to RUNNING for one " +
                        "pulumi up (the EIP is bound after the start; set it back to STOPPED afterwards), or leave publicIpId out until then.",
                );
            }
        } else {
            achieved.publicIpId = news.publicIpId;
        }

        if (news.rebootTrigger !== undefined && news.rebootTrigger !== olds.rebootTrigger) {
            if (freshlyBooted) log.info(`${what} has just booted on its rebuilt OS; rebootTrigger needs no second boot`);
            else if (news.powerState !== "RUNNING" || current.status !== "RUNNING") {
                log.info(`${what}: rebootTrigger changed, but a reboot needs a RUNNING server and powerState ${news.powerState} ${current.status === "RUNNING" ? "stops it" : "keeps it stopped; a start is a fresh boot"}`);
            } else {
                current = await reboot(s);
            }
        }
        achieved.rebootTrigger = news.rebootTrigger;

        current = await powerTo(s, current, news.powerState);
        if (bindAfterStart && bindEip !== undefined) {
            publicIps = publicIpsOf(await bindPublicIp(s, bindEip)) ?? publicIps;
            achieved.publicIpId = news.publicIpId;
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
    // A PRE_PAID server is unsubscribed through BSS, as Terraform does; a plain DELETE deletes a
    // pay-per-use one, and a prepaid one that failed to create (CREATE_FAILED / ERROR) or has no subscription left.
    const prepaid = (settled.charging_mode ?? props.chargingMode ?? props.chargingInfo?.chargingMode) === "PRE_PAID";
    const s: ServerContext = { cfg: op.cfg, client, clock, id, what, remaining: op.remaining };
    const unsubscribed = prepaid && !["CREATE_FAILED", "ERROR"].includes(String(settled.status)) && (await unsubscribe(s));
    if (!unsubscribed) {
        try {
            await requestTransition(client, id, () => api.deleteDevServer(client, id, api.isHpsServer(settled) || props.serverType === "HPS"), ["DELETING", ...GONE]);
        } catch (err) {
            if (!api.isDevServerNotFound(err)) throw err;
            log.info(`${what} is already gone`);
            return;
        }
    }
    await waitFor({        what: `${what} to be deleted`,
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
