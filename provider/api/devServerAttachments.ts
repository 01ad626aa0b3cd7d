/**
 * What the DevServer API attaches to a server after it exists: EVS volumes (attach / detach, each an
 * operation to poll) and elastic IPs (bind, list). Bodies are loose, as in devServers.ts.
 */
import { z } from "zod";
import { encodePath, ModelArtsClient } from "../client";
import { WaitFailedError } from "../errors";
import { waitFor, PollSchedule } from "../wait";
import type { Clock } from "../clock";
import { parseResponse } from "./parse";

/** Optional in the body; `null` from the cloud is read as absent, so callers see `T | undefined`. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const str = () => opt(z.string());

/** An EIP of the server (ServerPublicIp). */
export const ServerPublicIpSchema = z.looseObject({
    id: str(),
    address: str(),
});

/** Operation statuses (AttachDevServerVolumeResponse.operation_status). */
export const DEV_SERVER_OPERATION_STATUSES = ["pending", "running", "success", "failed"] as const;

/**
 * The answer of attachvolume / detachvolume and GET .../operation/{operation_id}
 * (attach_dev_server_volume_response.py, detach_dev_server_volume_response.py,
 * get_dev_server_operation_response.py, server_operation_error.py).
 */
export const DevServerOperationSchema = z.looseObject({
    operation_id: str(),
    /** pending | running | success | failed (any other string is kept). */
    operation_status: str(),
    /** e.g. node_attach_volume */
    operation_type: str(),
    operation_error: opt(z.looseObject({ code: str(), message: str() })),
});
export type DevServerOperation = z.output<typeof DevServerOperationSchema>;

/** The answer of POST / GET .../publicips (BindDevServerPublicIPResponse, ListDevServerPublicIPResponse). */
export const DevServerPublicIpsSchema = z.looseObject({
    public_ips: opt(z.array(ServerPublicIpSchema)),
});
export type DevServerPublicIps = z.output<typeof DevServerPublicIpsSchema>;

// ---- calls ----------------------------------------------------------------------------------

/** POST .../{id}/attachvolume {volume_id}: an operation to poll (waitForDevServerOperation). */
export async function attachDevServerVolume(client: ModelArtsClient, id: string, volumeId: string): Promise<DevServerOperation> {
    const res = await client.request({ method: "POST", path: encodePath`/dev-servers/${id}/attachvolume`, body: { volume_id: volumeId } });
    return parseResponse("attachDevServerVolume", DevServerOperationSchema, res);
}

/** DELETE .../{id}/detachvolume/{volume_id}: an operation to poll (waitForDevServerOperation). */
export async function detachDevServerVolume(client: ModelArtsClient, id: string, volumeId: string): Promise<DevServerOperation> {
    const res = await client.request({ method: "DELETE", path: encodePath`/dev-servers/${id}/detachvolume/${volumeId}` });
    return parseResponse("detachDevServerVolume", DevServerOperationSchema, res);
}

/** GET .../{id}/operation/{operation_id} */
export async function getDevServerOperation(client: ModelArtsClient, id: string, operationId: string): Promise<DevServerOperation> {
    const res = await client.request({ method: "GET", path: encodePath`/dev-servers/${id}/operation/${operationId}` });
    return parseResponse("getDevServerOperation", DevServerOperationSchema, res);
}

/** POST .../{id}/publicips {public_ip_id}: binds an EIP; answers the server's EIPs. (No unbind call is documented.) */
export async function bindDevServerPublicIp(client: ModelArtsClient, id: string, publicIpId: string): Promise<DevServerPublicIps> {
    const res = await client.request({ method: "POST", path: encodePath`/dev-servers/${id}/publicips`, body: { public_ip_id: publicIpId } });
    return parseResponse("bindDevServerPublicIp", DevServerPublicIpsSchema, res);
}

/** GET .../{id}/publicips: the server's EIPs (ListDevServerPublicIP). */
export async function listDevServerPublicIps(client: ModelArtsClient, id: string): Promise<DevServerPublicIps> {
    const res = await client.request({ method: "GET", path: encodePath`/dev-servers/${id}/publicips` });
    return parseResponse("listDevServerPublicIps", DevServerPublicIpsSchema, res);
}

export interface OperationWaitOptions {
    timeoutMs: number;
    /** Names what is awaited in progress lines and errors, e.g. "volume v-1 to attach to DevServer box". */
    what: string;
    schedule?: PollSchedule;
    clock?: Clock;
    onStatus?: (status: string, elapsedMs: number) => void;
}

/**
 * An operation failed: carries the API's `operation_error` code and message (the API's own words,
 * which name no secret: operations take only volume ids).
 */
export class DevServerOperationFailedError extends WaitFailedError {
    constructor(
        what: string,
        readonly operation: DevServerOperation,
    ) {
        const e = operation.operation_error;
        super(what, "failed", operation, e ? `${e.code ?? "no code"}: ${e.message ?? "no message"}` : "the API gave no operation_error");
        this.name = "DevServerOperationFailedError";
    }
}

/**
 * Polls GET .../operation/{operation_id} with the one waiter until `success` (returned) or `failed`
 * (DevServerOperationFailedError with operation_error's code and message). Statuses are compared
 * case-insensitively (the SDK documents lower case).
 */
export async function waitForDevServerOperation(
    client: ModelArtsClient,
    id: string,
    operationId: string,
    options: OperationWaitOptions,
): Promise<DevServerOperation> {
    try {
        const result = await waitFor<DevServerOperation>({
            what: options.what,
            refresh: async () => {
                const op = await getDevServerOperation(client, id, operationId);
                return { status: (op.operation_status ?? "").toLowerCase(), value: op };
            },
            pending: ["pending", "running"],
            target: ["success"],
            failed: ["failed"],
            timeoutMs: options.timeoutMs,
            schedule: options.schedule,
            clock: options.clock,
            onStatus: options.onStatus,
        });
        return result.last!.value;
    } catch (err) {
        if (err instanceof WaitFailedError && err.status === "failed" && !(err instanceof DevServerOperationFailedError)) {
            throw new DevServerOperationFailedError(options.what, err.lastValue as DevServerOperation);
        }
        throw err;
    }
}
