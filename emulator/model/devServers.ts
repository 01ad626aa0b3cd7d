/**
 * DevServer model: state, validation rules and the status machines, no HTTP.
 * Seeds 000 (delete), 001 (stop), 002 (create) plus details, list, rename, start, reboot, change /
 * reinstall OS, volume attach / detach operations and EIP binding. Sources: emulator/README.md.
 */
import { createHash, randomBytes, randomUUID } from "crypto";
import { ApiError, ERROR_CODES } from "../errors";
import { ModelContext } from "./context";
import { Validator } from "./validate";
import {
    DevServerRecord,
    EvsVolumeRecord,
    FailureKind,
    StorageOperationKind,
    GONE,
    OperationKind,
    OperationRecord,
    projectState,
    ProjectState,
    PublicIpRecord,
    takeFailure,
    Transition,
    TransitionKind,
    viewTransition,
} from "./state";

const DEV_SERVER_IN_PROGRESS = ["CREATING", "STARTING", "STOPPING", "DELETING", "REBOOTING", "CHANGINGOS", "REINSTALLINGOS"];

const NAME = /^[-_.a-zA-Z0-9]{1,64}$/;
const FLAVOR = /^.{1,128}$/;
const RESOURCE_FLAVOR = /^.{1,256}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ID_LIKE = /^.{1,64}$/;
const PASSWORD_SPECIALS = "!@%-_=+[{}]:,./?";
const CHARGING_MODES = ["COMMON", "POST_PAID", "PRE_PAID"] as const;
const PERIOD_TYPES = ["ABSOLUTE", "DAY", "HOUR", "MONTH", "WEEK", "YEAR"] as const;
const ARCHS = ["ARM", "X86"] as const;
const SERVER_TYPES = ["BMS", "ECS", "HPS"] as const;
export const VOLUME_TYPES = ["ESSD", "GPSSD", "SAS", "SATA", "SSD"] as const;
/** Root disk when the create names none (the emulator's choice: the API reference gives no default). */
const DEFAULT_ROOT_VOLUME = { size: 100, type: "ESSD" };
/** operation_type of attach (AttachDevServerVolumeResponse); the detach name is the emulator's choice. */
const OPERATION_TYPE: Record<OperationKind, string> = { attach: "node_attach_volume", detach: "node_detach_volume" };
/** operation_error of a failed operation when the injection gives no reason (code: the emulator's choice). */
const DEFAULT_OPERATION_ERROR = { code: "ModelArts.6460", message: "The EVS volume operation failed." };

/** A few image IDs with the names the real image service would report; others get a generated name. */
const KNOWN_IMAGES: Record<string, string> = {
    "c90fb553-2cdb-4b81-b56a-ef68812c6cf7": "Ubuntu18.04_x86_64_CPU",
};

/** The status an injected failure ends in, per kind; attach / detach end as a `failed` operation. */
export const DEV_SERVER_FAILED_STATUS_FOR: Record<Exclude<FailureKind, StorageOperationKind>, string> = {
    create: "CREATE_FAILED",
    start: "START_FAILED",
    stop: "STOP_FAILED",
    delete: "DELETE_FAILED",
    reboot: "REBOOT_FAILED",
    changeos: "CHANGINGOS_FAILED",
    reinstallos: "REINSTALLINGOS_FAILED",
    attach: "FAILED",
    detach: "FAILED",
};

const v: Validator = new Validator(ERROR_CODES.DEV_SERVER_INVALID_PARAM, "error_msg");

export type DevServerBody = Record<string, unknown>;

/** Checks the admin_pass rules of seed 002; returns the problem, or undefined when acceptable. */
export function adminPassProblem(pass: string): string | undefined {
    if (pass.length < 8 || pass.length > 26) return "admin_pass must contain 8 to 26 characters";
    let types = 0;
    if (/[A-Z]/.test(pass)) types++;
    if (/[a-z]/.test(pass)) types++;
    if (/[0-9]/.test(pass)) types++;
    if ([...pass].some((c) => PASSWORD_SPECIALS.includes(c))) types++;
    for (const c of pass) {
        if (!/[A-Za-z0-9]/.test(c) && !PASSWORD_SPECIALS.includes(c)) {
            return `admin_pass contains a character that is not allowed (allowed specials: ${PASSWORD_SPECIALS})`;
        }
    }
    if (types < 3) {
        return "admin_pass must contain at least three of: uppercase letters, lowercase letters, digits, special characters";
    }
    const lower = pass.toLowerCase();
    for (const word of ["root", "administrator"]) {
        const reversed = [...word].reverse().join("");
        if (lower.includes(word) || lower.includes(reversed)) return `admin_pass cannot contain ${word} or its reverse`;
    }
    return undefined;
}

/** What BSS does for a PRE_PAID create (emulator/model/bss.ts); set by the runtime. */
export interface PrepaidOrders {
    place(record: DevServerRecord, charging: { periodType: string; periodNum: number; isAutoPay: boolean; isAutoRenew: boolean }): void;
    /** Delivers the servers of orders completed by `now`. */
    deliver(now: number): void;
}

/** A number in [-1, 1] fixed by `key` (the first 32 bits of its SHA-256). */
function seededUnit(key: string): number {
    return (createHash("sha256").update(key).digest().readUInt32BE(0) / 0xffffffff) * 2 - 1;
}

/** How long a transition of `kind` takes for the server `name`: the nominal time, spread by a seeded draw. */
export function transitionMs(nominalMs: number, spread: number, seed: number, name: string, kind: string): number {
    return spread > 0 ? Math.max(0, Math.round(nominalMs * (1 + spread * seededUnit(`${seed}:${name}:${kind}`)))) : nominalMs;
}

export class DevServerModel {
    /** Without it, a PRE_PAID create makes the server at once, as if its order were paid. */
    prepaid?: PrepaidOrders;

    constructor(private readonly ctx: ModelContext) {}

    // ----- queries -----------------------------------------------------------------------------

    list(projectId: string, query: Record<string, string | string[]>): { data: DevServerBody[]; total: number } {
        // ListDevServers: limit 0..1024, default 10 (huaweicloud-sdk-python-v3 list_dev_servers_request.py).
        const limit = parseQueryInt(query, "limit", 10, 0, 1024);
        const offset = parseQueryInt(query, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
        const all = this.settleProject(projectId);
        const now = this.ctx.now();
        return { data: all.slice(offset, offset + limit).map((r) => this.render(r, now)), total: all.length };
    }

    get(projectId: string, id: string): DevServerBody {
        return this.render(this.find(projectId, id, true), this.ctx.now());
    }

    /**
     * HPS servers have endpoints of their own in the SDK (PY SDK modelarts_client.py: Get / Delete /
     * Start / Stop / ChangeOS Hyperinstance at `/dev-servers/hyperinstance/{id}[/start|/stop|/changeos]`);
     * the plain start / stop / changeos / delete refuse them here, and the hyperinstance ones refuse
     * other servers. **unconfirmed**: whether the real plain endpoints refuse an HPS server, and with
     * which code (the emulator's choice: 400 ModelArts.6401), so that a client using the wrong one is seen.
     */
    checkEndpointKind(projectId: string, id: string, viaHyperinstance: boolean): void {
        const record = this.find(projectId, id, viaHyperinstance);
        const hps = record.serverType === "HPS";
        if (viaHyperinstance && !hps) v.fail(`DevServer ${id} is not an HPS server: use /dev-servers/${id}`);
        if (!viaHyperinstance && hps) {
            v.fail(`DevServer ${id} is an HPS server: its start, stop, changeos and delete go through /dev-servers/hyperinstance/${id}`);
        }
    }

    /**
     * The hyperinstance answer (PY SDK get_hyperinstance_response.py): `{id, name, status, hps_cluster_id,
     * hps_id, order_id, servers: [ServerResponse], create_at, update_at}`; its status is the
     * super-node's (PROVISIONING, ACTIVE, ERROR, REIMAGING, TERMINATING, TERMINATED), the server's own
     * status is in `servers`.
     */
    hyperinstance(server: DevServerBody): DevServerBody {
        const st = String(server.status ?? "");
        const status =
            st === "CREATING"
                ? "PROVISIONING"
                : st === "CHANGINGOS" || st === "REINSTALLINGOS"
                  ? "REIMAGING"
                  : st === "DELETING"
                    ? "TERMINATING"
                    : st === "DELETED"
                      ? "TERMINATED"
                      : /FAILED$|^ERROR$/.test(st)
                        ? "ERROR"
                        : "ACTIVE";
        return {
            id: server.id,
            name: server.name,
            status,
            hps_cluster_id: (server as { hps_cluster_id?: unknown }).hps_cluster_id,
            order_id: server.order_id,
            servers: [server],
            create_at: server.create_at,
            update_at: server.update_at,
        };
    }

    // ----- tenant mutations --------------------------------------------------------------------

    create(projectId: string, input: unknown): DevServerBody {
        const body = v.object(input, "request body");
        const name = v.requiredString(body, "name", "name", NAME);
        // Exactly one of `flavor` (deprecated) and `resource_flavor` (SDK server_create_request.py; Terraform ExactlyOneOf).
        const legacyFlavor = v.optionalString(body, "flavor", "flavor", FLAVOR);
        const resourceFlavor = v.optionalString(body, "resource_flavor", "resource_flavor", RESOURCE_FLAVOR);
        if (legacyFlavor === undefined && resourceFlavor === undefined) v.fail("resource_flavor (or the deprecated flavor) is required");
        if (legacyFlavor !== undefined && resourceFlavor !== undefined) v.fail("only one of resource_flavor and flavor (deprecated) may be specified");
        const flavor = (resourceFlavor ?? legacyFlavor)!;
        const imageId = v.requiredString(body, "image_id", "image_id", ID_LIKE);
        if (body.network === undefined || body.network === null) v.fail("network is required");
        const network = v.object(body.network, "network");
        const vpcId = v.requiredString(network, "vpc_id", "network.vpc_id", ID_LIKE);
        const subnetId = v.requiredString(network, "subnet_id", "network.subnet_id", ID_LIKE);
        const securityGroupId = v.requiredString(network, "security_group_id", "network.security_group_id", ID_LIKE);
        v.optionalBoolean(network, "ipv6_enable", "network.ipv6_enable");
        v.optionalString(network, "roce_id", "network.roce_id");
        const allowedAddressPairs = checkAddressPairs(network.allowed_address_pairs);
        // ServerNetworkHyperCluster {id, hyper_cluster_subnet_id} (PY SDK server_network_hyper_cluster.py): kept, not reported by GET.
        const hyper = v.optionalObject(network, "hyper_cluster", "network.hyper_cluster");
        const hyperCluster = hyper && {
            id: v.requiredString(hyper, "id", "network.hyper_cluster.id"),
            hyper_cluster_subnet_id: v.optionalString(hyper, "hyper_cluster_subnet_id", "network.hyper_cluster.hyper_cluster_subnet_id"),
        };
        const serverType = v.optionalEnum(body, "server_type", SERVER_TYPES);
        const hps = serverType === "HPS";
        const hpsClusterId = v.optionalString(body, "hps_cluster_id", "hps_cluster_id", UUID);
        if (hps && hpsClusterId === undefined) v.fail("hps_cluster_id is required when server_type is HPS");
        if (!hps && hpsClusterId !== undefined) v.fail("hps_cluster_id is only valid when server_type is HPS");
        const { keyPairName } = checkLogin(body, hps);
        const arch = v.optionalEnum(body, "arch", ARCHS);
        const availabilityZone = v.optionalString(body, "availability_zone", "availability_zone", ID_LIKE);
        const enterpriseProjectId = v.optionalString(body, "enterprise_project_id");
        // Terraform and the reference page send `userdata`, the SDKs `user_data`: which one the real
        // create reads is unconfirmed. The emulator reads the configured one and ignores the other
        // silently (the worst case of a wrong guess); two different values are refused.
        const userdata = v.optionalString(body, "userdata");
        const userData = v.optionalString(body, "user_data");
        if (userdata !== undefined && userData !== undefined && userdata !== userData) v.fail("userdata and user_data differ: give one user data");
        const readUserData = this.ctx.createUserDataKey() === "userdata" ? userdata : userData;
        const count = v.optionalInteger(body, "count", "count", 1, 10);
        if (hps && count !== undefined) v.fail("count is not supported when server_type is HPS");
        if (count !== undefined && count !== 1) v.fail(`count must be 1 (the emulator creates one server per request), got ${count}`);
        let chargingMode: string = "POST_PAID";
        let prepaid: Parameters<PrepaidOrders["place"]>[1] | undefined;
        const charging = v.optionalObject(body, "charging_info");
        if (charging) {
            const mode = v.optionalEnum(charging, "charging_mode", CHARGING_MODES, "charging_info.charging_mode");
            if (mode === undefined) v.fail("charging_info.charging_mode is required");
            chargingMode = mode;
            const isAutoPay = v.optionalBoolean(charging, "is_auto_pay", "charging_info.is_auto_pay");
            const isAutoRenew = v.optionalBoolean(charging, "is_auto_renew", "charging_info.is_auto_renew");
            const periodType = v.optionalEnum(charging, "period_type", PERIOD_TYPES, "charging_info.period_type");
            // ChargingInfo.period_num: 1..11 (SDK charging_info.py).
            const periodNum = v.optionalInteger(charging, "period_num", "charging_info.period_num", 1, 11);
            // The API reference marks both as mandatory whenever charging_info is sent.
            if (periodType === undefined) v.fail("charging_info.period_type is required");
            if (periodNum === undefined) v.fail("charging_info.period_num is required");
            prepaid = { periodType, periodNum, isAutoPay: isAutoPay === true, isAutoRenew: isAutoRenew === true };
        }
        let rootVolume: DevServerRecord["rootVolume"];
        const rv = v.optionalObject(body, "root_volume");
        if (rv) {
            // EvsVolume: size 100..1024 GB (SDK evs_volume.py).
            rootVolume = {
                type: v.optionalEnum(rv, "type", VOLUME_TYPES, "root_volume.type"),
                size: v.optionalInteger(rv, "size", "root_volume.size", 100, 1024),
            };
        }
        // ServerDataVolume: one object, size 100..32768 GB, count 1..8 (SDK server_data_volume.py).
        let dataVolume: { size: number; type: string; count: number } | undefined;
        if (Array.isArray(body.data_volume)) v.fail("data_volume must be a JSON object (one {size, type, count}), not a list");
        const dv = v.optionalObject(body, "data_volume");
        if (dv) {
            const size = v.optionalInteger(dv, "size", "data_volume.size", 100, 32768);
            if (size === undefined) v.fail("data_volume.size is required");
            dataVolume = {
                size,
                type: v.optionalEnum(dv, "type", VOLUME_TYPES, "data_volume.type") ?? DEFAULT_ROOT_VOLUME.type,
                count: v.optionalInteger(dv, "count", "data_volume.count", 1, 8) ?? 1,
            };
        }

        const now = this.ctx.now();
        const state = this.ctx.state;
        const seq = ++state.seq;
        const record: DevServerRecord = {
            seq,
            id: randomUUID(),
            projectId,
            name,
            flavor,
            resourceFlavor,
            chargingMode,
            orderId: chargingMode === "PRE_PAID" ? `CS${now}${randomBytes(5).toString("hex").toUpperCase()}` : undefined,
            createAt: now,
            updateAt: now,
            cloudServerId: randomUUID(),
            serverType: serverType ?? "ECS",
            arch: arch ?? "X86",
            imageId,
            imageName: KNOWN_IMAGES[imageId] ?? `EmulatorImage-${imageId.slice(0, 8)}`,
            keyPairName,
            vpcId,
            subnetId,
            securityGroupId,
            availabilityZone,
            enterpriseProjectId,
            rootVolume,
            hpsClusterId,
            userDataSha256: readUserData === undefined ? undefined : createHash("sha256").update(readUserData).digest("hex"),
            allowedAddressPairs,
            hyperCluster,
            privateIp: `192.168.${Math.floor(seq / 250) % 250}.${(seq % 250) + 2}`,
            status: "CREATING",
        };
        // The disks the create asks for: one ROOT, `count` DATA disks, each an EVS volume with its id.
        const p = projectState(state, projectId);
        const disks: EvsVolumeRecord[] = [
            { id: randomUUID(), size: rootVolume?.size ?? DEFAULT_ROOT_VOLUME.size, type: rootVolume?.type ?? DEFAULT_ROOT_VOLUME.type, role: "ROOT" },
        ];
        for (let i = 0; dataVolume && i < dataVolume.count; i++) {
            disks.push({ id: randomUUID(), size: dataVolume.size, type: dataVolume.type, role: "DATA" });
        }
        for (const d of disks) {
            d.attachedTo = record.id;
            d.deleteWithServer = true;
        }
        (p.evsVolumes ??= []).push(...disks);
        record.volumeIds = disks.map((d) => d.id);
        if (record.orderId && prepaid && this.prepaid) {
            // BSS delivers the server when its order completes (auto-pay, or paid through the admin API).
            this.prepaid.place(record, prepaid);
        } else {
            record.transition = this.newTransition(record, "create", "CREATING", "RUNNING", this.ctx.timings().devServer.create, now, true);
            projectState(state, projectId).devServers.push(record);
        }
        this.ctx.mutated();
        const out = this.render(record, now);
        // A yearly/monthly purchase answers with the order only: the server is found through the list.
        if (record.orderId) delete out.id;
        return out;
    }

    rename(projectId: string, id: string, input: unknown): DevServerBody {
        const body = v.object(input, "request body");
        const name = v.requiredString(body, "name", "name", NAME);
        const record = this.find(projectId, id);
        this.refuseIfBusy(record, "renamed");
        const now = this.ctx.now();
        record.name = name;
        record.updateAt = now;
        this.ctx.mutated();
        return this.render(record, now);
    }

    start(projectId: string, id: string): DevServerBody {
        const record = this.find(projectId, id);
        this.refuseIfBusy(record, "started");
        if (record.status !== "STOPPED") {
            throw new ApiError(
                400,
                ERROR_CODES.DEV_SERVER_WRONG_STATUS,
                `DevServer ${id} cannot be started: its status is ${record.status} (start requires STOPPED)`,
            );
        }
        return this.begin(record, "start", "STARTING", "RUNNING", this.ctx.timings().devServer.start, true);
    }

    stop(projectId: string, id: string): DevServerBody {
        const record = this.find(projectId, id);
        this.refuseIfBusy(record, "stopped");
        if (record.status !== "RUNNING") {
            throw new ApiError(
                400,
                ERROR_CODES.DEV_SERVER_WRONG_STATUS,
                `DevServer ${id} cannot be stopped: its status is ${record.status} (stop requires RUNNING)`,
            );
        }
        return this.begin(record, "stop", "STOPPING", "STOPPED", this.ctx.timings().devServer.stop, true);
    }

    /** PUT .../reboot: REBOOTING → RUNNING, only from RUNNING (Terraform devserver_action preconditions). */
    reboot(projectId: string, id: string): DevServerBody {
        const record = this.find(projectId, id);
        this.refuseIfBusy(record, "rebooted");
        this.requireStatus(record, "rebooted", "RUNNING");
        return this.begin(record, "reboot", "REBOOTING", "RUNNING", this.ctx.timings().devServer.reboot ?? 3000, true);
    }

    /**
     * POST .../changeos (image_id required) and .../reinstallos (image_id optional): ServerOsRequest
     * `{admin_pass | key_pair_name, image_id, user_data}`; only from STOPPED; CHANGINGOS /
     * REINSTALLINGOS → RUNNING, on the new image once it succeeds.
     */
    changeOs(projectId: string, id: string, input: unknown, reinstall: boolean): DevServerBody {
        const body = v.object(input, "request body");
        const record = this.find(projectId, id);
        const imageId = reinstall
            ? (v.optionalString(body, "image_id", "image_id", ID_LIKE) ?? record.imageId)
            : v.requiredString(body, "image_id", "image_id", ID_LIKE);
        const { keyPairName } = checkLogin(body, record.serverType === "HPS");
        v.optionalString(body, "user_data");
        const what = reinstall ? "reinstalled" : "given a new OS";
        this.refuseIfBusy(record, what);
        this.requireStatus(record, what, "STOPPED");
        const timings = this.ctx.timings().devServer;
        const out = reinstall
            ? this.begin(record, "reinstallos", "REINSTALLINGOS", "RUNNING", timings.reinstallos ?? 5000, true, { imageId, keyPairName })
            : this.begin(record, "changeos", "CHANGINGOS", "RUNNING", timings.changeos ?? 5000, true, { imageId, keyPairName });
        return out;
    }

    /**
     * POST .../attachvolume {volume_id}: an operation (pending → running → success | failed). The
     * server must be RUNNING or STOPPED and the volume must exist in the project and be free
     * (AttachDevServerVolume reference); otherwise the request is refused with 400.
     */
    attachVolume(projectId: string, id: string, input: unknown): DevServerBody {
        const body = v.object(input, "request body");
        const volumeId = v.requiredString(body, "volume_id", "volume_id", ID_LIKE);
        const record = this.find(projectId, id);
        this.refuseIfBusy(record, "given a volume");
        this.requireStatus(record, "given a volume", "RUNNING", "STOPPED");
        const volume = this.volumes(projectId).find((x) => x.id === volumeId);
        if (!volume) v.fail(`volume_id ${volumeId} is not an EVS volume of this project`);
        if (volume.attachedTo !== undefined) {
            v.fail(`volume_id ${volumeId} is in use: it is attached${volume.attachedTo === id ? " to this server" : " to another server"}`);
        }
        // Reserved at once, so that a second attach is refused while this one runs.
        volume.attachedTo = id;
        volume.role = "DATA";
        return this.renderOperation(this.newOperation(record, "attach", volumeId), this.ctx.now());
    }

    /** DELETE .../detachvolume/{volume_id}: an operation; only a DATA volume attached to this server. */
    detachVolume(projectId: string, id: string, volumeId: string): DevServerBody {
        const record = this.find(projectId, id);
        this.refuseIfBusy(record, "stripped of a volume");
        this.requireStatus(record, "stripped of a volume", "RUNNING", "STOPPED");
        const volume = this.volumes(projectId).find((x) => x.id === volumeId);
        if (!volume || !(record.volumeIds ?? []).includes(volumeId)) v.fail(`volume_id ${volumeId} is not attached to DevServer ${id}`);
        if (volume.role === "ROOT") v.fail(`volume_id ${volumeId} is the server's ROOT volume: it cannot be detached`);
        if ((record.operations ?? []).some((o) => o.volumeId === volumeId && !o.applied)) {
            throw new ApiError(409, ERROR_CODES.DEV_SERVER_BUSY, `volume ${volumeId} has an operation in progress; retry when it has finished`);
        }
        return this.renderOperation(this.newOperation(record, "detach", volumeId), this.ctx.now());
    }

    /** GET .../operation/{operation_id} */
    getOperation(projectId: string, id: string, operationId: string): DevServerBody {
        const record = this.find(projectId, id, true);
        const op = (record.operations ?? []).find((o) => o.id === operationId);
        if (!op) v.fail(`operation_id ${operationId} is not an operation of DevServer ${id}`);
        return this.renderOperation(op, this.ctx.now());
    }

    /**
     * POST .../publicips {public_ip_id}: binds a free EIP of the project to a RUNNING server (PY SDK
     * bind_dev_server_public_ip docstring: the server must be running); answers the server's EIPs.
     * The refusal's code is the emulator's choice (ModelArts.6405, as for other wrong-status actions).
     */
    bindPublicIp(projectId: string, id: string, input: unknown): DevServerBody {
        const body = v.object(input, "request body");
        const publicIpId = v.requiredString(body, "public_ip_id", "public_ip_id", ID_LIKE);
        const record = this.find(projectId, id);
        this.refuseIfBusy(record, "given a public IP");
        const status = this.currentStatus(record, this.ctx.now());
        if (status !== "RUNNING") {
            throw new ApiError(400, ERROR_CODES.DEV_SERVER_WRONG_STATUS, `DevServer ${id} cannot be given a public IP while its status is ${status} (requires RUNNING)`);
        }
        const eip = this.publicIps(projectId).find((x) => x.id === publicIpId);
        if (!eip) v.fail(`public_ip_id ${publicIpId} is not an EIP of this project`);
        if (eip.boundTo !== undefined && eip.boundTo !== id) v.fail(`public_ip_id ${publicIpId} is in use: it is bound to another server`);
        eip.boundTo = id;
        record.updateAt = this.ctx.now();
        this.ctx.mutated();
        return this.listPublicIps(projectId, id);
    }

    /** GET .../publicips (ListDevServerPublicIP). */
    listPublicIps(projectId: string, id: string): DevServerBody {
        this.find(projectId, id);
        return { public_ips: this.publicIps(projectId).filter((x) => x.boundTo === id).map((x) => ({ id: x.id, address: x.address })) };
    }

    delete(projectId: string, id: string): DevServerBody {
        const record = this.find(projectId, id);
        const status = this.currentStatus(record, this.ctx.now());
        if (record.chargingMode === "PRE_PAID" && this.prepaid && status !== "CREATE_FAILED" && status !== "ERROR") {
            throw new ApiError(
                400,
                ERROR_CODES.DEV_SERVER_PREPAID,
                `DevServer ${id} is a yearly/monthly (PRE_PAID) server: it must be unsubscribed through BSS ` +
                    "(POST /v2/orders/subscriptions/resources/unsubscribe), not deleted",
            );
        }
        this.refuseIfBusy(record, "deleted");
        return this.begin(record, "delete", "DELETING", GONE, this.ctx.timings().devServer.delete, true);
    }

    // ----- out-of-band (admin) -----------------------------------------------------------------

    /**
     * What a person in the console would do: bypasses the tenant API's refusals where that makes
     * sense (stop a server that is still starting, delete one in any state), never consumes
     * injected failures. `immediate` skips the transition and lands on the final status at once.
     */
    outOfBand(projectId: string, id: string, action: "start" | "stop" | "delete", immediate = false): DevServerBody {
        const record = this.find(projectId, id);
        const now = this.ctx.now();
        const current = this.currentStatus(record, now);
        if (current === "DELETING" && action !== "delete") {
            throw new ApiError(400, ERROR_CODES.ADMIN_BAD_REQUEST, `DevServer ${id} is being deleted; it cannot be ${action}ed`);
        }
        const timings = this.ctx.timings().devServer;
        const plan = {
            start: { noop: "RUNNING", during: "STARTING", final: "RUNNING", ms: timings.start },
            stop: { noop: "STOPPED", during: "STOPPING", final: "STOPPED", ms: timings.stop },
            delete: { noop: "", during: "DELETING", final: GONE, ms: timings.delete },
        }[action];
        if (current === plan.noop && !record.transition) return this.render(record, now);
        return this.begin(record, action, plan.during, plan.final, immediate ? 0 : plan.ms, false);
    }

    /** Admin: a free EVS volume in the project (what the EVS console would make), to attach. */
    adminCreateVolume(projectId: string, input: Record<string, unknown>): EvsVolumeRecord {
        const admin = new Validator(ERROR_CODES.ADMIN_BAD_REQUEST, "error_msg");
        const size = admin.optionalInteger(input, "size", "size", 10, 32768) ?? 100;
        const type = admin.optionalEnum(input, "type", VOLUME_TYPES) ?? "SSD";
        const volume: EvsVolumeRecord = { id: randomUUID(), size, type };
        this.volumes(projectId).push(volume);
        this.ctx.mutated();
        return { ...volume };
    }

    /** Admin: a free EIP in the project (what the EIP console would make), to bind. */
    adminCreatePublicIp(projectId: string): PublicIpRecord {
        const ips = this.publicIps(projectId);
        const n = ++this.ctx.state.seq;
        const eip: PublicIpRecord = { id: randomUUID(), address: `198.51.${Math.floor(n / 250) % 250}.${(n % 250) + 1}` };
        ips.push(eip);
        this.ctx.mutated();
        return { ...eip };
    }

    /** Every EVS volume and EIP of a project (admin state dump). */
    dumpResources(projectId: string): { volumes: EvsVolumeRecord[]; publicIps: PublicIpRecord[] } {
        this.settleProject(projectId);
        return { volumes: this.volumes(projectId).map((x) => ({ ...x })), publicIps: this.publicIps(projectId).map((x) => ({ ...x })) };
    }

    // ----- internals ---------------------------------------------------------------------------

    private project(projectId: string): ProjectState {
        return projectState(this.ctx.state, projectId);
    }

    private volumes(projectId: string): EvsVolumeRecord[] {
        return (this.project(projectId).evsVolumes ??= []);
    }

    private publicIps(projectId: string): PublicIpRecord[] {
        return (this.project(projectId).publicIps ??= []);
    }

    private requireStatus(record: DevServerRecord, what: string, ...allowed: string[]): void {
        const status = this.currentStatus(record, this.ctx.now());
        if (!allowed.includes(status)) {
            throw new ApiError(
                400,
                ERROR_CODES.DEV_SERVER_WRONG_STATUS,
                `DevServer ${record.id} cannot be ${what}: its status is ${status} (it must be ${allowed.join(" or ")})`,
            );
        }
    }

    private newOperation(record: DevServerRecord, kind: OperationKind, volumeId: string): OperationRecord {
        const now = this.ctx.now();
        const failure = takeFailure(this.ctx.state, "devServer", kind, record.projectId, record.id);
        const ms = this.ctx.timings().devServer.operation ?? 1000;
        const op: OperationRecord = {
            id: randomUUID(),
            kind,
            type: OPERATION_TYPE[kind],
            volumeId,
            startedAt: now,
            pendingMs: ms,
            runningMs: ms,
            outcome: failure ? "failed" : "success",
            error: failure ? (failure.reason ?? DEFAULT_OPERATION_ERROR) : undefined,
        };
        (record.operations ??= []).push(op);
        // Only the latest operations are kept (the real API's retention is not documented).
        if (record.operations.length > 50) record.operations.splice(0, record.operations.length - 50);
        record.updateAt = now;
        this.ctx.mutated();
        return op;
    }

    private operationStatus(op: OperationRecord, now: number): string {
        if (now < op.startedAt + op.pendingMs) return "pending";
        if (now < op.startedAt + op.pendingMs + op.runningMs) return "running";
        return op.outcome;
    }

    /** Moves the volume of every operation that has ended. */
    private settleOperations(record: DevServerRecord, now: number): void {
        for (const op of record.operations ?? []) {
            if (op.applied || now < op.startedAt + op.pendingMs + op.runningMs) continue;
            op.applied = true;
            const volume = this.volumes(record.projectId).find((x) => x.id === op.volumeId);
            if (op.kind === "attach") {
                if (op.outcome === "success" && volume) (record.volumeIds ??= []).push(volume.id);
                else if (volume && volume.attachedTo === record.id && !(record.volumeIds ?? []).includes(volume.id)) {
                    volume.attachedTo = undefined;
                    volume.role = undefined;
                }
            } else if (op.outcome === "success") {
                record.volumeIds = (record.volumeIds ?? []).filter((x) => x !== op.volumeId);
                if (volume) {
                    volume.attachedTo = undefined;
                    volume.role = undefined;
                }
            }
            this.ctx.mutated();
        }
    }

    private renderOperation(op: OperationRecord, now: number): DevServerBody {
        const status = this.operationStatus(op, now);
        const out: DevServerBody = { operation_id: op.id, operation_status: status, operation_type: op.type };
        if (status === "failed" && op.error) out.operation_error = { code: op.error.code, message: op.error.message };
        return out;
    }

    /** A deleted server's own disks go with it; attached volumes and bound EIPs become free. */
    private releaseResources(record: DevServerRecord): void {
        const p = this.project(record.projectId);
        p.evsVolumes = (p.evsVolumes ?? []).filter((x) => !(x.attachedTo === record.id && x.deleteWithServer));
        for (const x of p.evsVolumes) {
            if (x.attachedTo === record.id) {
                x.attachedTo = undefined;
                x.role = undefined;
            }
        }
        for (const x of p.publicIps ?? []) if (x.boundTo === record.id) x.boundTo = undefined;
        record.volumeIds = [];
    }

    private begin(
        record: DevServerRecord,
        kind: TransitionKind,
        during: string,
        final: string,
        ms: number,
        injectable: boolean,
        os?: Transition["os"],
    ): DevServerBody {
        const now = this.ctx.now();
        record.transition = this.newTransition(record, kind, during, final, ms, now, injectable);
        if (os) record.transition.os = os;
        record.updateAt = now;
        this.ctx.mutated();
        this.settle(record, now);
        if (record.deletedAt !== undefined) this.settleProject(record.projectId);
        return this.render(record, now);
    }

    private newTransition(
        record: DevServerRecord,
        kind: TransitionKind,
        during: string,
        final: string,
        ms: number,
        now: number,
        injectable: boolean,
    ): Transition {
        const failure = injectable ? takeFailure(this.ctx.state, "devServer", kind, record.projectId, record.id) : undefined;
        const { spread = 0, spreadSeed = 1 } = this.ctx.timings().devServer;
        ms = transitionMs(ms, spread, spreadSeed, record.name, kind);
        return {
            kind,
            startedAt: now,
            steps: [{ status: during, durationMs: ms }],
            final: failure ? failure.status : final,
            failedReasons: failure?.reason,
        };
    }

    private refuseIfBusy(record: DevServerRecord, what: string): void {
        const status = this.currentStatus(record, this.ctx.now());
        if (record.transition || DEV_SERVER_IN_PROGRESS.includes(status)) {
            throw new ApiError(
                409,
                ERROR_CODES.DEV_SERVER_BUSY,
                `DevServer ${record.id} cannot be ${what} while its status is ${status}; retry when the transition has finished`,
            );
        }
    }

    private currentStatus(record: DevServerRecord, now: number): string {
        return record.transition ? viewTransition(record.transition, now).status : record.status;
    }

    /** Advances a finished transition into the record. */
    private settle(record: DevServerRecord, now: number): void {
        const t = record.transition;
        if (!t) return;
        const view = viewTransition(t, now);
        if (!view.done) return;
        record.transition = undefined;
        record.updateAt = view.endsAt;
        if (t.final === GONE) {
            record.status = "DELETED";
            record.deletedAt = view.endsAt;
            this.releaseResources(record);
        } else {
            record.status = t.final;
            if (t.os && t.final === "RUNNING") {
                record.imageId = t.os.imageId;
                record.imageName = KNOWN_IMAGES[t.os.imageId] ?? `EmulatorImage-${t.os.imageId.slice(0, 8)}`;
                record.keyPairName = t.os.keyPairName;
            }
        }
    }

    /** Settles every server of the project, drops deleted ones past retention; returns them in creation order. */
    private settleProject(projectId: string): DevServerRecord[] {
        const now = this.ctx.now();
        this.prepaid?.deliver(now);
        const p = projectState(this.ctx.state, projectId);
        const retention = this.ctx.deletedRetentionMs();
        for (const r of p.devServers) {
            this.settleOperations(r, now);
            this.settle(r, now);
        }
        p.devServers = p.devServers.filter((r) => r.deletedAt === undefined || now < r.deletedAt + retention);
        return p.devServers;
    }

    /** `allowDeleted`: GET still shows a DELETED server during retention; actions treat it as not found. */
    private find(projectId: string, id: string, allowDeleted = false): DevServerRecord {
        const record = this.settleProject(projectId).find((r) => r.id === id);
        if (!record || (record.deletedAt !== undefined && !allowDeleted)) throw this.notFound(id);
        return record;
    }

    notFound(id: string): ApiError {
        return new ApiError(this.ctx.notFoundAs400() ? 400 : 404, ERROR_CODES.DEV_SERVER_NOT_FOUND, `DevServer ${id} does not exist`);
    }

    render(record: DevServerRecord, now: number): DevServerBody {
        const status = this.currentStatus(record, now);
        const out: DevServerBody = {
            id: record.id,
            name: record.name,
            flavor: record.flavor,
            status,
            charging_mode: record.chargingMode,
            create_at: record.createAt,
            update_at: record.updateAt,
            cloud_server: { id: record.cloudServerId, type: record.serverType },
            image: {
                arch: record.arch,
                image_id: record.imageId,
                name: record.imageName,
                server_type: record.serverType,
                status: "ACTIVE",
            },
            vpc_id: record.vpcId,
            subnet_id: record.subnetId,
            endpoints: status === "RUNNING" ? [{ service: "SSH", uri: record.privateIp }] : [],
            category: "SERVER",
        };
        if (record.resourceFlavor) out.resource_flavor = record.resourceFlavor;
        // ServerVolume: {size, type ROOT|DATA, evs_type, evs_id} (SDK show_dev_server_response.py, server_volume.py).
        if (record.volumeIds) {
            const volumes = this.volumes(record.projectId);
            out.volumes = record.volumeIds.flatMap((vid) => {
                const x = volumes.find((y) => y.id === vid);
                return x ? [{ size: x.size, type: x.role ?? "DATA", evs_type: x.type, evs_id: x.id }] : [];
            });
        }
        if (record.hpsClusterId) out.category = "HPS";
        if (record.orderId) out.order_id = record.orderId;
        if (record.keyPairName) out.key_pair_name = record.keyPairName;
        if (record.availabilityZone) out.availability_zone = record.availabilityZone;
        return out;
    }

    /** Every server of a project as stored (for the admin state dump), settled first. */
    dump(projectId: string): DevServerBody[] {
        const now = this.ctx.now();
        return this.settleProject(projectId).map((r) => ({ ...this.render(r, now), security_group_id: r.securityGroupId, hyper_cluster: r.hyperCluster, user_data_sha256: r.userDataSha256 }));
    }
}

/** ServerOsRequest / ServerCreateRequest login: exactly one of admin_pass / key_pair_name; HPS takes a key pair only. */
function checkLogin(body: Record<string, unknown>, hps: boolean): { keyPairName?: string } {
    const adminPass = v.optionalString(body, "admin_pass");
    const keyPairName = v.optionalString(body, "key_pair_name", "key_pair_name", NAME);
    if (hps && adminPass !== undefined) v.fail("admin_pass is not supported when server_type is HPS: use key_pair_name");
    if (adminPass === undefined && keyPairName === undefined) v.fail("either admin_pass or key_pair_name must be specified");
    if (adminPass !== undefined && keyPairName !== undefined) v.fail("only one of admin_pass and key_pair_name may be specified");
    if (adminPass !== undefined) {
        const problem = adminPassProblem(adminPass);
        if (problem) v.fail(problem);
    }
    return { keyPairName };
}

/** `network.allowed_address_pairs` (AllowedAddressPairs): [{ip_address, mac_address?}], 0.0.0.0/0 not supported. */
function checkAddressPairs(raw: unknown): Array<{ ip_address: string; mac_address?: string }> | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) v.fail("network.allowed_address_pairs must be a list");
    return raw.map((item, i) => {
        const field = `network.allowed_address_pairs[${i}]`;
        const pair = v.object(item, field);
        const ip = v.requiredString(pair, "ip_address", `${field}.ip_address`);
        if (ip.trim() === "0.0.0.0/0") v.fail(`${field}.ip_address 0.0.0.0/0 is not supported`);
        const mac = v.optionalString(pair, "mac_address", `${field}.mac_address`);
        return mac === undefined ? { ip_address: ip } : { ip_address: ip, mac_address: mac };
    });
}

function parseQueryInt(query: Record<string, string | string[]>, key: string, dflt: number, min: number, max: number): number {
    const raw = query[key];
    if (raw === undefined) return dflt;
    const s = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (!/^\d+$/.test(s)) v.fail(`${key} must be a non-negative integer`);
    const n = Number(s);
    if (n < min || n > max) v.fail(`${key} must be between ${min} and ${max}, got ${n}`);
    return n;
}
