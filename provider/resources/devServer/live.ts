/**
 * Between the field table and the API's bodies: the create request made from the inputs, and the
 * state made from the inputs and the live server (secrets as digests).
 */
import * as api from "../../api/devServers";
import { compact, digestMatches, secretDigest } from "../common";
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
export function publicIpsOf(answer: api.DevServerPublicIps | undefined): DevServerState["publicIps"] {
    return answer?.public_ips?.map((ip) => compact({ id: ip.id, address: ip.address }));
}

function powerStateOf(status: string | undefined): DevServerState["powerState"] | undefined {
    return status === "STOPPED" || status === "RUNNING" ? status : undefined;
}

/** The inputs the API reports back: loose strings, compared with the declared ones as they are. */
export interface ReportedInputs {
    name?: string;
    flavor?: string;
    imageId?: string;
    vpcId?: string;
    subnetId?: string;
    keyPairName?: string;
    arch?: string;
    serverType?: string;
    powerState?: DevServerState["powerState"];
    chargingMode?: string;
}

/** Inputs as the live server reports them: what `refresh` compares and `import` adopts. */
export function reportedInputs(body: api.DevServer): ReportedInputs {
    const image = imageOf(body);
    return compact({
        name: body.name,
        flavor: body.resource_flavor ?? body.flavor,
        imageId: image?.image_id,
        vpcId: body.vpc_id,
        subnetId: body.subnet_id,
        keyPairName: body.key_pair_name,
        arch: image?.arch,
        serverType: body.cloud_server?.type ?? image?.server_type,
        powerState: powerStateOf(body.status),
        chargingMode: body.charging_mode,
    });
}

/** The updatable inputs as the live server has them: what an unfinished update really achieved. */
export function settledInputs(body: api.DevServer | undefined): { name?: string; powerState?: DevServerState["powerState"] } {
    if (!body) return {};
    return compact({ name: body.name, powerState: powerStateOf(body.status) });
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

/** The create request: camelCase inputs to the API's snake_case body. */
export function createRequest(inputs: DevServerInputs): api.CreateDevServerRequest {
    const c = inputs.chargingInfo;
    return compact({
        name: inputs.name,
        resource_flavor: inputs.resourceFlavor,
        flavor: inputs.flavor,
        image_id: inputs.imageId,
        network: compact({
            vpc_id: inputs.vpcId,
            subnet_id: inputs.subnetId,
            security_group_id: inputs.securityGroupId,
            ipv6_enable: inputs.ipv6Enable,
            roce_id: inputs.roceId,
            allowed_address_pairs: inputs.allowedAddressPairs?.map((p) => compact({ ip_address: p.ipAddress, mac_address: p.macAddress })),
        }),
        admin_pass: inputs.adminPass,
        key_pair_name: inputs.keyPairName,
        arch: inputs.arch,
        server_type: inputs.serverType,
        hps_cluster_id: inputs.hpsClusterId,
        availability_zone: inputs.availabilityZone,
        enterprise_project_id: inputs.enterpriseProjectId,
        root_volume: inputs.rootVolume && compact({ size: inputs.rootVolume.size, type: inputs.rootVolume.type }),
        data_volume: inputs.dataVolume && compact({ size: inputs.dataVolume.size, type: inputs.dataVolume.type, count: inputs.dataVolume.count }),
        // Which key the create reads is unconfirmed (SDKs: `user_data`; Terraform and the reference
        // page: `userdata`): both are sent, equal, so a wrong guess cannot drop the script silently.
        // Change / reinstall OS send `user_data` (Terraform's action and the SDKs agree).
        userdata: inputs.userData,
        user_data: inputs.userData,
        // Without a period (POST_PAID, the default) charging_info is left out: the API requires one.
        charging_info:
            c && c.periodType !== undefined && c.periodNum !== undefined
                ? compact({
                      charging_mode: c.chargingMode,
                      period_type: c.periodType,
                      period_num: c.periodNum,
                      is_auto_pay: c.isAutoPay ?? true,
                      is_auto_renew: c.isAutoRenew,
                  })
                : undefined,
    });
}
