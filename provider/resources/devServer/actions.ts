/**
 * What a DevServer does in place beyond rename and start / stop, each awaited through the API's own
 * status or operation: change OS and reinstall OS (from STOPPED), reboot (from RUNNING), attach and
 * detach EVS volumes (operations), bind an EIP, and the billing calls of a PRE_PAID server through
 * BSS (auto-renew, unsubscribe, the order of a create).
 */
import * as api from "../../api/devServers";
import * as attachments from "../../api/devServerAttachments";
import * as bss from "../../api/bss";
import { getBssClient } from "../../client/bss";
import { ModelArtsClient } from "../../client";
import { Clock } from "../../clock";
import { ResolvedConfig } from "../../config";
import { formatDuration } from "../../duration";
import { AmbiguousRequestError, describeError, isTransientError, ModelArtsApiError, ModelArtsError } from "../../errors";
import { log } from "../../log";
import { defaultSchedule } from "../../wait";
import { DevServerInputs } from "./fields";
import { requestOf } from "./live";
import { requestTransition, waitForStatus } from "./server";

/** One server being worked on: where it lives, and the time left of the operation. */
export interface ServerContext {
    cfg: ResolvedConfig;
    client: ModelArtsClient;
    clock: Clock;
    id: string;
    /** "DevServer box (id)", for progress lines and errors. */
    what: string;
    /** Milliseconds left of the operation's timeout (at least `floorMs`). */
    remaining(floorMs?: number): number;
}

/** Brings a settled server to RUNNING or STOPPED (start / stop and wait); returns the server. */
export async function powerTo(s: ServerContext, current: api.DevServer, target: "RUNNING" | "STOPPED"): Promise<api.DevServer> {
    if (current.status === target) return current;
    const { client, id, clock } = s;
    if (target === "RUNNING") {
        log.info(`starting ${s.what}`);
        const answer = await requestTransition(client, id, () => api.startDevServer(client, id, api.isHpsServer(current)), ["STARTING", "RUNNING"]);
        return waitForStatus({
            client, id, what: `${s.what} to be RUNNING`, target: ["RUNNING"], pending: ["STARTING"], leaving: ["STOPPED"],
            requestAnswer: answer, timeoutMs: s.remaining(), clock,
        });
    }
    log.info(`stopping ${s.what}`);
    const answer = await requestTransition(client, id, () => api.stopDevServer(client, id, api.isHpsServer(current)), ["STOPPING", "STOPPED"]);
    return waitForStatus({
        client, id, what: `${s.what} to be STOPPED`, target: ["STOPPED"], pending: ["STOPPING"], leaving: ["RUNNING"],
        requestAnswer: answer, timeoutMs: s.remaining(), clock,
    });
}

/** The login an OS change needs: the declared password or key pair (never logged). */

/**
 * Change OS (a new image) or reinstall OS (the current one). Both need a STOPPED server: a running
 * one is stopped first. Ends when the server is RUNNING on the (new) image; the caller then brings
 * it to the declared power state.
 */
export async function rebuildOs(s: ServerContext, current: api.DevServer, kind: "changeos" | "reinstallos", inputs: DevServerInputs): Promise<api.DevServer> {
    const { client, id, clock } = s;
    await powerTo(s, current, "STOPPED");
    const body = requestOf(kind === "changeos" ? "changeOs" : "reinstallOs", inputs);
    const pending = kind === "changeos" ? "CHANGINGOS" : "REINSTALLINGOS";
    log.info(
        kind === "changeos"
            ? `changing the OS of ${s.what} to image ${inputs.imageId} (the system disk is rebuilt)`
            : `reinstalling the OS of ${s.what} (the system disk is rebuilt)`,
    );
    const answer = await requestTransition(
        client,
        id,
        () => (kind === "changeos" ? api.changeDevServerOs(client, id, body, api.isHpsServer(current)) : api.reinstallDevServerOs(client, id, body)),
        [pending],
    );
    return waitForStatus({
        client, id, what: `${s.what} to finish ${kind === "changeos" ? "changing its OS" : "reinstalling its OS"}`,
        target: ["RUNNING"], pending: [pending], leaving: ["STOPPED"], requestAnswer: answer, timeoutMs: s.remaining(), clock,
    });
}

/** Reboots a RUNNING server and waits until it is RUNNING again. */
export async function reboot(s: ServerContext): Promise<api.DevServer> {
    const { client, id, clock } = s;
    log.info(`rebooting ${s.what}`);
    const answer = await requestTransition(client, id, () => api.rebootDevServer(client, id), ["REBOOTING"]);
    return waitForStatus({
        client, id, what: `${s.what} to finish rebooting`, target: ["RUNNING"], pending: ["REBOOTING"], leaving: ["RUNNING"],
        requestAnswer: answer, timeoutMs: s.remaining(), clock,
    });
}

/** EVS ids of the server's disks, or undefined when the API did not report them. */
function liveVolumeIds(body: api.DevServer): Set<string> | undefined {
    return body.volumes ? new Set(body.volumes.map((v) => v.evs_id).filter((v): v is string => v !== undefined)) : undefined;
}

/**
 * Attaches the declared volumes the server does not have and detaches the ones removed from the
 * declaration, one at a time, each awaited through its operation. `onProgress` is told the attached
 * set after every step, so a failure half-way records exactly what is attached.
 */
export async function syncVolumes(
    s: ServerContext,
    current: api.DevServer,
    recorded: readonly string[],
    declared: readonly string[],
    onProgress: (attached: string[]) => void,
): Promise<boolean> {
    const live = liveVolumeIds(current);
    const attached = new Set(recorded);
    const toDetach = recorded.filter((v) => !declared.includes(v) && (live === undefined || live.has(v)));
    const toAttach = declared.filter((v) => (live === undefined ? !recorded.includes(v) : !live.has(v)));
    for (const v of recorded) if (!declared.includes(v) && !toDetach.includes(v)) attached.delete(v); // already gone
    for (const v of declared) if (live?.has(v)) attached.add(v); // already there
    onProgress([...attached]);
    for (const volumeId of toDetach) {
        log.info(`detaching volume ${volumeId} from ${s.what}`);
        const op = await attachments.detachDevServerVolume(s.client, s.id, volumeId);
        await awaitOperation(s, op, `volume ${volumeId} to detach from ${s.what}`);
        attached.delete(volumeId);
        onProgress([...attached]);
    }
    for (const volumeId of toAttach) {
        log.info(`attaching volume ${volumeId} to ${s.what}`);
        const op = await attachments.attachDevServerVolume(s.client, s.id, volumeId);
        await awaitOperation(s, op, `volume ${volumeId} to attach to ${s.what}`);
        attached.add(volumeId);
        onProgress([...attached]);
    }
    return toDetach.length + toAttach.length > 0;
}

async function awaitOperation(s: ServerContext, op: attachments.DevServerOperation, what: string): Promise<void> {
    if (!op.operation_id) {
        // No operation to follow: the answer said it is done (or said nothing more).
        if ((op.operation_status ?? "").toLowerCase() === "failed") throw new attachments.DevServerOperationFailedError(what, op);
        return;
    }
    await attachments.waitForDevServerOperation(s.client, s.id, op.operation_id, { what, timeoutMs: s.remaining(), clock: s.clock });
}

/**
 * The server's EIPs, or undefined when the API does not list them (an older service version, a
 * gateway 404) or the list fails: the output is informative, never a reason to fail an operation.
 */
export async function listPublicIps(client: ModelArtsClient, id: string): Promise<attachments.DevServerPublicIps | undefined> {
    try {
        return await attachments.listDevServerPublicIps(client, id);
    } catch (err) {
        log.debug(`the EIPs of DevServer ${id} could not be listed (${describeError(err)}); publicIps is left as it was`);
        return undefined;
    }
}

/** Binds the EIP unless the server already has it. */
export async function bindPublicIp(s: ServerContext, publicIpId: string): Promise<attachments.DevServerPublicIps | undefined> {
    const before = await listPublicIps(s.client, s.id);
    if (before?.public_ips?.some((ip) => ip.id === publicIpId)) return before;
    log.info(`binding EIP ${publicIpId} to ${s.what}`);
    return attachments.bindDevServerPublicIp(s.client, s.id, publicIpId);
}

// ---- billing (BSS) -----------------------------------------------------------------------------

/** How often the (read-only) subscription query is asked when its answer is lost. */
const SUBSCRIPTION_QUERY_ATTEMPTS = 3;

/** A BSS failure, said with what it was for and what to do. */
function bssFailure(doing: string, err: unknown, after: string): ModelArtsError {
    return new ModelArtsError(`${doing} through BSS (billing) failed: ${describeError(err)}. ${after}`);
}

/** Turns automatic renewal of a PRE_PAID server on or off (BSS auto-renew, 204). */
export async function setAutoRenew(s: ServerContext, enabled: boolean): Promise<void> {
    log.info(`turning automatic renewal of ${s.what} ${enabled ? "on" : "off"}`);
    try {
        await bss.setAutoRenew(getBssClient(s.cfg), s.id, enabled);
    } catch (err) {
        throw bssFailure(
            `turning automatic renewal of ${s.what} ${enabled ? "on" : "off"}`,
            err,
            "Nothing else was changed; run pulumi up again, or change it in the Billing Center (Renewals).",
        );
    }
}

/**
 * Deletes a PRE_PAID server the way Terraform does: its subscription is looked up and unsubscribed
 * (CBC.30000067, already unsubscribed, counts as done). Returns false when it has no subscription
 * (then a plain DELETE is what deletes it). The caller waits until the server is gone.
 */
export async function unsubscribe(s: ServerContext): Promise<boolean> {
    const client = getBssClient(s.cfg);
    const after = `The server still exists and stays in the state: run pulumi destroy again once BSS answers, or unsubscribe it in the Billing Center (Orders > Unsubscriptions).`;
    let subscription: bss.BssSubscription | undefined;
    for (let attempt = 1; ; attempt++) {
        try {
            subscription = await bss.findSubscription(client, s.id);
            break;
        } catch (err) {
            // The query is a POST that changes nothing: an answer lost on the way is simply asked again.
            if (err instanceof AmbiguousRequestError && attempt < SUBSCRIPTION_QUERY_ATTEMPTS) {
                await s.clock.sleep(defaultSchedule().minIntervalMs * attempt);
                continue;
            }
            const why =
                err instanceof AmbiguousRequestError
                    ? `BSS did not answer the subscription query (${err.cause_}${err.requestId ? `, request id ${err.requestId}` : ""}) in ${attempt} attempts`
                    : describeError(err);
            throw new ModelArtsError(`looking up the subscription of PRE_PAID ${s.what} through BSS (billing) failed: ${why}. ${after}`);
        }
    }
    if (!subscription) {
        log.info(`${s.what} has no subscription left in BSS; deleting it directly`);
        return false;
    }
    log.info(`unsubscribing PRE_PAID ${s.what} through BSS (the unused period is refunded per BSS's rules)`);
    let result: bss.UnsubscribeResult;
    try {
        result = await bss.unsubscribeResources(client, [s.id]);
    } catch (err) {
        throw bssFailure(`unsubscribing PRE_PAID ${s.what}`, err, after);
    }
    log.info(
        result.alreadyUnsubscribed
            ? `${s.what} was already unsubscribed; waiting for it to be gone`
            : `${s.what} unsubscribed${result.orderIds.length ? ` (BSS order ${result.orderIds.join(", ")})` : ""}; waiting for it to be gone`,
    );
    return true;
}

/**
 * Waits for the order of a PRE_PAID create to complete (with progress lines), as Terraform does.
 * An order that will not complete (cancelled, or unpaid with auto-pay off) ends with a message naming
 * the order and what to do; nothing exists in the state yet.
 */
export async function awaitOrder(
    cfg: ResolvedConfig,
    orderId: string,
    name: string,
    isAutoPay: boolean,
    timeoutMs: number,
    clock: Clock,
): Promise<void> {
    const started = clock.now();
    log.info(
        `DevServer ${name}: PRE_PAID order ${orderId} placed; ` +
            (isAutoPay ? "it is paid from the account balance (isAutoPay)" : "chargingInfo.isAutoPay is false: pay it in the Billing Center (Orders > My Orders)"),
    );
    try {
        await bss.waitForOrder(getBssClient(cfg), orderId, { isAutoPay, timeoutMs, what: `DevServer ${name}`, clock });
    } catch (err) {
        if (err instanceof bss.BssOrderError && err.reason === "cancelled") {
            throw new ModelArtsError(`BSS order ${orderId} for DevServer ${name} was cancelled, so no server was created and nothing is in the state; pulumi up places a new order.`);
        }
        if (err instanceof bss.BssOrderError) {
            throw new ModelArtsError(
                `BSS order ${orderId} for DevServer ${name} was not paid after ${formatDuration(clock.now() - started)}` +
                    `${isAutoPay ? " although auto-pay is on (is the account balance sufficient?)" : " (chargingInfo.isAutoPay is false)"}. ` +
                    `No server is in the state yet. Either pay order ${orderId} in the Billing Center (Orders > My Orders): the server then ` +
                    `appears in ModelArts, and you adopt it with the 'import' resource option and its id (running pulumi up unchanged would ` +
                    `place a second order); or cancel order ${orderId} there. To pay automatically, set chargingInfo.isAutoPay to true.`,
            );
        }
        if (err instanceof ModelArtsApiError || isTransientError(err)) {
            throw bssFailure(
                `waiting for order ${orderId} of DevServer ${name}`,
                err,
                `Look the order up in the Billing Center: once it is completed, adopt the server with the 'import' resource option rather than placing a second order.`,
            );
        }
        throw err;
    }
}
