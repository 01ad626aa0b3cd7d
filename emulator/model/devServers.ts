/**
 * DevServer model: state, validation rules and the status machine, no HTTP.
 * Seeds 000 (delete), 001 (stop), 002 (create) plus details, list, rename and start.
 */
import { randomBytes, randomUUID } from "crypto";
import { ApiError, ERROR_CODES } from "../errors";
import { ModelContext } from "./context";
import { Validator } from "./validate";
import { DevServerRecord, GONE, projectState, takeFailure, Transition, TransitionKind, viewTransition } from "./state";

const DEV_SERVER_IN_PROGRESS = ["CREATING", "STARTING", "STOPPING", "DELETING", "REBOOTING", "CHANGINGOS", "REINSTALLINGOS"];

const NAME = /^[-_.a-zA-Z0-9]{1,64}$/;
const FLAVOR = /^.{1,128}$/;
const ID_LIKE = /^.{1,64}$/;
const PASSWORD_SPECIALS = "!@%-_=+[{}]:,./?";
const CHARGING_MODES = ["COMMON", "POST_PAID", "PRE_PAID"] as const;
const PERIOD_TYPES = ["ABSOLUTE", "DAY", "HOUR", "MONTH", "WEEK", "YEAR"] as const;
const ARCHS = ["ARM", "X86"] as const;
const SERVER_TYPES = ["BMS", "ECS"] as const;
const VOLUME_TYPES = ["ESSD", "GPSSD", "SAS", "SATA", "SSD"] as const;

/** A few image IDs with the names the real image service would report; others get a generated name. */
const KNOWN_IMAGES: Record<string, string> = {
    "c90fb553-2cdb-4b81-b56a-ef68812c6cf7": "Ubuntu18.04_x86_64_CPU",
};

export const DEV_SERVER_FAILED_STATUS_FOR: Record<TransitionKind, string> = {
    create: "CREATE_FAILED",
    start: "START_FAILED",
    stop: "STOP_FAILED",
    delete: "DELETE_FAILED",
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

    // ----- tenant mutations --------------------------------------------------------------------

    create(projectId: string, input: unknown): DevServerBody {
        const body = v.object(input, "request body");
        const name = v.requiredString(body, "name", "name", NAME);
        const flavor = v.requiredString(body, "flavor", "flavor", FLAVOR);
        const imageId = v.requiredString(body, "image_id", "image_id", ID_LIKE);
        if (body.network === undefined || body.network === null) v.fail("network is required");
        const network = v.object(body.network, "network");
        const vpcId = v.requiredString(network, "vpc_id", "network.vpc_id", ID_LIKE);
        const subnetId = v.requiredString(network, "subnet_id", "network.subnet_id", ID_LIKE);
        const securityGroupId = v.requiredString(network, "security_group_id", "network.security_group_id", ID_LIKE);
        v.optionalBoolean(network, "ipv6_enable", "network.ipv6_enable");
        v.optionalString(network, "roce_id", "network.roce_id");
        const adminPass = v.optionalString(body, "admin_pass");
        const keyPairName = v.optionalString(body, "key_pair_name", "key_pair_name", NAME);
        if (adminPass === undefined && keyPairName === undefined) v.fail("either admin_pass or key_pair_name must be specified");
        if (adminPass !== undefined && keyPairName !== undefined) v.fail("only one of admin_pass and key_pair_name may be specified");
        if (adminPass !== undefined) {
            const problem = adminPassProblem(adminPass);
            if (problem) v.fail(problem);
        }
        const arch = v.optionalEnum(body, "arch", ARCHS);
        const serverType = v.optionalEnum(body, "server_type", SERVER_TYPES);
        const availabilityZone = v.optionalString(body, "availability_zone", "availability_zone", ID_LIKE);
        const enterpriseProjectId = v.optionalString(body, "enterprise_project_id");
        v.optionalString(body, "userdata");
        const count = v.optionalInteger(body, "count");
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
            const periodNum = v.optionalInteger(charging, "period_num", "charging_info.period_num", 1, 9999);
            // The API reference marks both as mandatory whenever charging_info is sent.
            if (periodType === undefined) v.fail("charging_info.period_type is required");
            if (periodNum === undefined) v.fail("charging_info.period_num is required");
            prepaid = { periodType, periodNum, isAutoPay: isAutoPay === true, isAutoRenew: isAutoRenew === true };
        }
        let rootVolume: DevServerRecord["rootVolume"];
        const rv = v.optionalObject(body, "root_volume");
        if (rv) {
            rootVolume = {
                type: v.optionalEnum(rv, "type", VOLUME_TYPES, "root_volume.type"),
                size: v.optionalInteger(rv, "size", "root_volume.size", 1, 32768),
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
            privateIp: `192.168.${Math.floor(seq / 250) % 250}.${(seq % 250) + 2}`,
            status: "CREATING",
        };
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

    // ----- internals ---------------------------------------------------------------------------

    private begin(record: DevServerRecord, kind: TransitionKind, during: string, final: string, ms: number, injectable: boolean): DevServerBody {
        const now = this.ctx.now();
        record.transition = this.newTransition(record, kind, during, final, ms, now, injectable);
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
        } else {
            record.status = t.final;
        }
    }

    /** Settles every server of the project, drops deleted ones past retention; returns them in creation order. */
    private settleProject(projectId: string): DevServerRecord[] {
        const now = this.ctx.now();
        this.prepaid?.deliver(now);
        const p = projectState(this.ctx.state, projectId);
        const retention = this.ctx.deletedRetentionMs();
        for (const r of p.devServers) this.settle(r, now);
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
        if (record.orderId) out.order_id = record.orderId;
        if (record.keyPairName) out.key_pair_name = record.keyPairName;
        if (record.availabilityZone) out.availability_zone = record.availabilityZone;
        return out;
    }

    /** Every server of a project as stored (for the admin state dump), settled first. */
    dump(projectId: string): DevServerBody[] {
        const now = this.ctx.now();
        return this.settleProject(projectId).map((r) => ({ ...this.render(r, now), security_group_id: r.securityGroupId }));
    }
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
