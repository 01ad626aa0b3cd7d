/**
 * Between the field table and the API's bodies: the create request made from the inputs, and the
 * state made from the inputs and the live server (secrets as digests).
 */
import * as api from "../../api/devServers";
import * as attachments from "../../api/devServerAttachments";
import { compact, digestMatches, secretDigest } from "../common";
import { reportedInputs as reportedBy, requestBody } from "../wire";
import { DevServerEndpoint, DevServerInputs, DevServerState, devServerShape, STATE_VERSION } from "./fields";

type Location = { region: string; projectId: string };
type Record_ = Record<string, unknown>;

function isoTime(ms: number | undefined): string | undefined {
    return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function imageOf(body: api.DevServer) {
    return body.image ?? body.server_image_response;
}

function camelEndpoint(e: Record_): DevServerEndpoint {
    // Both endpoint shapes (EndpointsRes, Endpoints) are loose objects: read the fields we know.
    const pick = <T>(v: unknown) => v as T | undefined;
    return compact({
        service: pick<string>(e.service),
        devService: pick<string>(e.dev_service),
        uri: pick<string>(e.uri),
        sshKeys: pick<string[]>(e.ssh_keys),
        allowedAccessIps: pick<string[]>(e.allowed_access_ips),
        extensions: pick<Record<string, string | null>>(e.extensions),
        keyPairNames: pick<string[]>(e.key_pair_names),
    });
}

/** The computed outputs the live server reports. */
function liveOutputs(body: api.DevServer): Partial<DevServerState> {
    const image = imageOf(body);
    const endpoints: Record_[] | undefined = body.endpoints ?? body.endpoints_response;
    const cloud = body.cloud_server;
    const hps = body.server_hps;
    return compact({
        status: body.status,
        createdAt: isoTime(body.create_at),
        updatedAt: isoTime(body.update_at),
        chargingMode: body.charging_mode,
        orderId: body.order_id,
        cloudServer: cloud && compact({ id: cloud.id, type: cloud.type, hpsId: cloud.hps_id, hpsEcsId: cloud.hps_ecs_id }),
        image: image && compact({ arch: image.arch, imageId: image.image_id, name: image.name, serverType: image.server_type, status: image.status }),
        endpoints: endpoints?.map(camelEndpoint),
        category: body.category,
        serverHps: hps && compact({ id: hps.id, name: hps.name }),
        volumes: body.volumes?.map((v) => compact({ size: v.size, type: v.type, evsType: v.evs_type, evsId: v.evs_id })),
    });
}

/** The server's EIPs as the state shows them (from GET .../publicips). */
export function publicIpsOf(answer: attachments.DevServerPublicIps | undefined): DevServerState["publicIps"] {
    return answer?.public_ips?.map((ip) => compact({ id: ip.id, address: ip.address }));
}

/** The inputs the API reports back (the table's `wire.reported`): compared with the declared ones as they are. */
export type ReportedInputs = Partial<DevServerInputs>;

/** Inputs as the live server reports them: what `refresh` compares and `import` adopts. */
export function reportedInputs(body: api.DevServer): ReportedInputs {
    return reportedBy(devServerShape, body) as ReportedInputs;
}

/** The updatable inputs as the live server has them: what an unfinished update really achieved. */
export function settledInputs(body: api.DevServer | undefined): Pick<ReportedInputs, "name" | "powerState"> {
    if (!body) return {};
    const { name, powerState } = reportedInputs(body);
    return compact({ name, powerState });
}

/**
 * The digest standing in for a secret: the previous one while the secret is unchanged (so the
 * state does not churn), a new one when it changed, the recorded one when it is not declared.
 */
function digestOf(secret: string | undefined, previous: string | undefined): string | undefined {
    if (secret === undefined) return previous;
    return digestMatches(secret, previous) ? previous : secretDigest(secret);
}

/** What the state keeps of the declared inputs (the table's `inState` fields). */
function keptInputs(declared: DevServerInputs | DevServerState): Partial<DevServerState> {
    const kept: Record_ = {};
    for (const name of devServerShape.stateInputs) kept[name] = (declared as Record_)[name];
    return kept;
}

/**
 * The state: the declared inputs (secrets as digests, kept from `previous` while unchanged), the
 * resolved location and, when known, what the live server reports.
 */
export function buildState(
    declared: DevServerInputs | DevServerState,
    location: Location,
    body: api.DevServer | undefined,
    previous: Partial<DevServerState> = {},
    publicIps: DevServerState["publicIps"] = previous.publicIps,
): DevServerState {
    const secrets = declared as Partial<Pick<DevServerInputs, "adminPass" | "userData">>;
    const state: DevServerState = {
        ...(keptInputs(declared) as DevServerState),
        stateVersion: STATE_VERSION,
        region: location.region,
        projectId: location.projectId,
        powerState: declared.powerState,
        adminPassDigest: digestOf(secrets.adminPass, previous.adminPassDigest),
        userDataDigest: digestOf(secrets.userData, previous.userDataDigest),
        publicIps,
    };
    return compact({ ...state, ...(body ? liveOutputs(body) : {}) });
}

/** The body of a request (`create`, `changeOs`, `reinstallOs`): the inputs it carries, by the table's `wire.sent`. */
export function requestOf(request: "create" | "changeOs" | "reinstallOs", inputs: DevServerInputs): Record<string, unknown> {
    return requestBody(devServerShape, request, inputs);
}

/** The create request: the inputs where the API's create reads them. */
export function createRequest(inputs: DevServerInputs): api.CreateDevServerRequest {
    return requestOf("create", inputs) as api.CreateDevServerRequest;
}
