/**
 * DevServer: check / diff / create / read / update / delete of a ModelArts DevServer.
 *
 * Inputs are camelCase (what users write); the API's snake_case stays in `api/devServers`.
 * The state never holds `adminPass` or `userData`, not even encrypted: outputs carry salted digests
 * so `diff` can still tell when the declared secret changed.
 */
import { z } from "zod";
import * as api from "../api/devServers";
import { getClient, ModelArtsClient } from "../client";
import {
    AmbiguousRequestError,
    describeError,
    isTransientError,
    ModelArtsApiError,
    ResourceInitError,
    ResponseShapeError,
    WaitFailedError,
    WaitTimeoutError,
} from "../errors";
import { formatDuration } from "../duration";
import { log, registerSecret } from "../log";
import { Clock, realClock } from "../clock";
import { defaultSchedule, waitFor } from "../wait";
import {
    CheckFailure,
    checkWithSchema,
    compact,
    configFor,
    locationReplaces,
    locationSchemaFields,
    containsUnknown,
    digestMatches,
    isUnknown,
    secretDigest,
    Timeouts,
    timeoutMs,
    timeoutsSchema,
} from "./common";

/** Bumped when the shape of the outputs changes; `read` and `diff` accept every older version. */
export const STATE_VERSION = 1;

const SETTLED = api.DEV_SERVER_SETTLED;
const IN_PROGRESS = api.DEV_SERVER_IN_PROGRESS as readonly string[];
const FAILED = api.DEV_SERVER_FAILED as readonly string[];
/** Statuses of a server that is gone although the API still returns it for a while. */
const GONE = api.DEV_SERVER_GONE as readonly string[];

const DEFAULT_TIMEOUTS_MS = { create: 30 * 60_000, update: 30 * 60_000, delete: 20 * 60_000 };

// ---------------------------------------------------------------------------------------------
// Inputs and their validation

const NAME = /^[-_.a-zA-Z0-9]{1,64}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PASSWORD_SPECIALS = "!@%-_=+[{}]:,./?";
const MAX_USER_DATA = 32 * 1024;

const uuid = (field: string) =>
    z.string().regex(UUID, `${field} must be a UUID such as 05982b48-a70f-43a1-a2b0-1fe36a236172`);

/** The password rules of the create API (seed 002), each failure named. */
export function passwordProblems(password: string): string[] {
    const problems: string[] = [];
    if (password.length < 8 || password.length > 26) problems.push("must be 8 to 26 characters long");
    const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, new RegExp(`[${PASSWORD_SPECIALS.replace(/[-\]\\[]/g, "\\$&")}]`)];
    if (classes.filter((re) => re.test(password)).length < 3) {
        problems.push(`must contain at least three of: uppercase letters, lowercase letters, digits, special characters ${PASSWORD_SPECIALS}`);
    }
    const allowed = new RegExp(`^[A-Za-z0-9${PASSWORD_SPECIALS.replace(/[-\]\\[]/g, "\\$&")}]*$`);
    if (!allowed.test(password)) problems.push(`may only contain letters, digits and ${PASSWORD_SPECIALS}`);
    const lower = password.toLowerCase();
    for (const word of ["root", "administrator"]) {
        const reversed = [...word].reverse().join("");
        if (lower.includes(word) || lower.includes(reversed)) {
            problems.push(`must not contain "${word}" or "${reversed}" (the username or its reverse)`);
        }
    }
    return problems;
}

const chargingInfoSchema = z
    .strictObject({
        chargingMode: z.enum(["COMMON", "POST_PAID", "PRE_PAID"], {
            error: "chargingInfo.chargingMode must be one of COMMON, POST_PAID, PRE_PAID",
        }),
        periodType: z
            .enum(["ABSOLUTE", "DAY", "HOUR", "MONTH", "WEEK", "YEAR"], {
                error: "chargingInfo.periodType must be one of ABSOLUTE, DAY, HOUR, MONTH, WEEK, YEAR",
            })
            .optional(),
        periodNum: z
            .number({ error: "chargingInfo.periodNum must be a whole number of periods" })
            .int("chargingInfo.periodNum must be a whole number of periods")
            .min(1, "chargingInfo.periodNum must be at least 1")
            .optional(),
        isAutoPay: z.boolean({ error: "chargingInfo.isAutoPay must be true or false" }).optional(),
        isAutoRenew: z.boolean({ error: "chargingInfo.isAutoRenew must be true or false" }).optional(),
    })
    .superRefine((c, ctx) => {
        // POST_PAID (pay-per-use) is the default and needs no period: it is then not sent at all.
        if (c.chargingMode === "POST_PAID" && c.periodType === undefined && c.periodNum === undefined) return;
        for (const key of ["periodType", "periodNum"] as const) {
            if (c[key] === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `chargingInfo.${key} is required when chargingInfo.chargingMode is ${c.chargingMode} (the API needs a billing period)`,
                });
            }
        }
    });

const required = (field: string, what: string) => ({
    error: (issue: { input: unknown }) =>
        issue.input === undefined ? `${field} is required: ${what}` : `${field} must be ${what}`,
});

export const devServerInputSchema = z
    .strictObject({
        name: z.string(required("name", "a string")).regex(NAME, 'name must be 1 to 64 letters, digits, "-", "_" or "." (^[-_.a-zA-Z0-9]{1,64}$)'),
        flavor: z.string(required("flavor", "the flavor name, e.g. Si2.large.4")).min(1, "flavor must not be empty").max(128, "flavor must be at most 128 characters"),
        imageId: z.string(required("imageId", "the image UUID")).pipe(uuid("imageId")),
        vpcId: z.string(required("vpcId", "the VPC UUID")).pipe(uuid("vpcId")),
        subnetId: z.string(required("subnetId", "the subnet UUID")).pipe(uuid("subnetId")),
        securityGroupId: z.string(required("securityGroupId", "the security group UUID")).pipe(uuid("securityGroupId")),
        ipv6Enable: z.boolean({ error: "ipv6Enable must be true or false" }).optional(),
        roceId: z.string({ error: "roceId must be a string" }).min(1, "roceId must not be empty").optional(),
        adminPass: z
            .string({ error: "adminPass must be a string" })
            .superRefine((p, ctx) => {
                for (const problem of passwordProblems(p)) ctx.addIssue({ code: "custom", message: `adminPass ${problem}` });
            })
            .optional(),
        keyPairName: z.string({ error: "keyPairName must be a string" }).regex(NAME, 'keyPairName must be 1 to 64 letters, digits, "-", "_" or "."').optional(),
        arch: z.enum(["ARM", "X86"], { error: "arch must be ARM or X86" }).optional(),
        serverType: z.enum(["BMS", "ECS"], { error: "serverType must be BMS or ECS" }).optional(),
        availabilityZone: z.string({ error: "availabilityZone must be a string such as cn-north-4a" }).min(1, "availabilityZone must not be empty").optional(),
        enterpriseProjectId: z
            .string({ error: "enterpriseProjectId must be a string" })
            .refine((v) => v === "0" || UUID.test(v), 'enterpriseProjectId must be "0" (default project) or a UUID')
            .optional(),
        rootVolume: z
            .strictObject({
                size: z.number({ error: "rootVolume.size must be a number of GB" }).int("rootVolume.size must be a whole number of GB").min(1, "rootVolume.size must be at least 1 GB").max(32768, "rootVolume.size must be at most 32768 GB").optional(),
                type: z.enum(["ESSD", "GPSSD", "SAS", "SATA", "SSD"], { error: "rootVolume.type must be one of ESSD, GPSSD, SAS, SATA, SSD" }).optional(),
            })
            .optional(),
        userData: z.string({ error: "userData must be a string" }).max(MAX_USER_DATA, `userData must be at most ${MAX_USER_DATA} characters`).optional(),
        chargingInfo: chargingInfoSchema.optional(),
        powerState: z.enum(["RUNNING", "STOPPED"], { error: "powerState must be RUNNING or STOPPED" }).optional(),
        count: z
            .literal(1, { error: "count must be 1: one DevServer resource manages exactly one server; declare several resources for several servers" })
            .optional(),
        ...locationSchemaFields,
        timeouts: timeoutsSchema.optional(),
        /** Set by the SDK from the `import` resource option: adopt this server instead of creating one. */
        importId: z.string({ error: "importId must be a string" }).pipe(uuid("the import option's id")).optional(),
    })
    .superRefine((v, ctx) => {
        const hasPass = v.adminPass !== undefined;
        const hasKey = v.keyPairName !== undefined;
        if (hasPass === hasKey) {
            ctx.addIssue({
                code: "custom",
                path: [hasPass ? "adminPass" : "keyPairName"],
                params: { related: ["adminPass", "keyPairName"] },
                message: hasPass
                    ? "set exactly one of adminPass and keyPairName, not both"
                    : "set exactly one of adminPass (a login password) or keyPairName (an SSH key pair)",
            });
        }
    });

export type DevServerInputs = z.infer<typeof devServerInputSchema>;

/** Input properties, in the order they are documented. */
export const INPUT_FIELDS = Object.keys(devServerInputSchema.shape) as (keyof DevServerInputs)[];

/** Inputs whose change replaces the server: the API cannot change them in place. */
export const REPLACE_FIELDS = [
    "flavor",
    "imageId",
    "vpcId",
    "subnetId",
    "securityGroupId",
    "ipv6Enable",
    "roceId",
    "keyPairName",
    "arch",
    "serverType",
    "availabilityZone",
    "enterpriseProjectId",
    "rootVolume",
    "chargingInfo",
] as const;

// ---------------------------------------------------------------------------------------------
// Outputs

export interface DevServerOutputs extends Omit<DevServerInputs, "adminPass" | "userData" | "count"> {
    stateVersion: number;
    region: string;
    projectId: string;
    powerState: "RUNNING" | "STOPPED";
    adminPassDigest?: string;
    userDataDigest?: string;
    status?: string;
    createdAt?: string;
    updatedAt?: string;
    chargingMode?: string;
    orderId?: string;
    cloudServer?: { id?: string; type?: string; hpsId?: string; hpsEcsId?: string };
    image?: { arch?: string; imageId?: string; name?: string; serverType?: string; status?: string };
    endpoints?: Array<Record<string, unknown>>;
    category?: string;
    serverHps?: { id?: string; name?: string };
}

function isoTime(ms: unknown): string | undefined {
    return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function camelEndpoint(e: Record<string, unknown>): Record<string, unknown> {
    return compact({
        service: e.service,
        devService: e.dev_service,
        uri: e.uri,
        sshKeys: e.ssh_keys,
        allowedAccessIps: e.allowed_access_ips,
        extensions: e.extensions,
    });
}

/** The live server's fields, camelCase, as outputs. */
function liveOutputs(body: api.DevServer): Partial<DevServerOutputs> {
    const image = (body.image ?? body.server_image_response) as Record<string, unknown> | undefined;
    const endpoints = (body.endpoints ?? body.endpoints_response) as Array<Record<string, unknown>> | undefined;
    const cloud = body.cloud_server as Record<string, unknown> | undefined;
    const hps = body.server_hps as Record<string, unknown> | undefined;
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
    }) as Partial<DevServerOutputs>;
}

/** Inputs as the live server reports them: what `refresh` compares and `import` adopts. */
function liveInputs(body: api.DevServer): Partial<DevServerOutputs> {
    const image = (body.image ?? body.server_image_response) as Record<string, unknown> | undefined;
    const cloud = body.cloud_server as Record<string, unknown> | undefined;
    const chargingMode = body.charging_mode;
    return compact({
        name: body.name,
        flavor: body.flavor,
        imageId: image?.image_id,
        vpcId: body.vpc_id,
        subnetId: body.subnet_id,
        keyPairName: body.key_pair_name,
        arch: image?.arch,
        serverType: cloud?.type ?? image?.server_type,
        powerState: body.status === "STOPPED" ? "STOPPED" : body.status === "RUNNING" ? "RUNNING" : undefined,
        chargingInfo: chargingMode ? { chargingMode } : undefined,
    }) as Partial<DevServerOutputs>;
}

/** The updatable inputs as the live server has them: what an unfinished update really achieved. */
function settledState(body: api.DevServer | undefined): Partial<DevServerOutputs> {
    if (!body) return {};
    const live = liveInputs(body);
    return compact({ name: live.name, powerState: live.powerState }) as Partial<DevServerOutputs>;
}

/**
 * The digest standing in for a secret: the previous one while the secret is unchanged (so the
 * state does not churn), a new one when it changed, the recorded one when it is not declared.
 */
function digestOf(secret: string | undefined, previous: string | undefined, recorded: string | undefined): string | undefined {
    if (secret === undefined) return recorded;
    return digestMatches(secret, previous) ? previous : secretDigest(secret);
}

/** Outputs from declared inputs (secrets as digests) and, when known, the live server. */
function buildOutputs(
    declared: DevServerInputs | DevServerOutputs,
    cfg: { region: string; projectId: string },
    body: api.DevServer | undefined,
    previous?: Partial<DevServerOutputs>,
): DevServerOutputs {
    const { adminPass, userData, count: _count, importId: _importId, ...rest } = declared as DevServerInputs;
    const outs: DevServerOutputs = {
        ...(rest as DevServerOutputs),
        stateVersion: STATE_VERSION,
        region: cfg.region,
        projectId: cfg.projectId,
        powerState: declared.powerState ?? "RUNNING",
        adminPassDigest: digestOf(adminPass, previous?.adminPassDigest, (declared as DevServerOutputs).adminPassDigest),
        userDataDigest: digestOf(userData, previous?.userDataDigest, (declared as DevServerOutputs).userDataDigest),
    };
    return compact({ ...outs, ...(body ? liveOutputs(body) : {}) }) as DevServerOutputs;
}

// ---------------------------------------------------------------------------------------------
// Plumbing: configuration, client, waiting

export interface Deps {
    clock?: Clock;
}

function label(name: string | undefined, id?: string): string {
    return `DevServer ${name ?? "?"}${id ? ` (${id})` : ""}`;
}

async function observe(client: ModelArtsClient, id: string) {
    const body = await api.findDevServer(client, id);
    if (!body || GONE.includes(String(body.status))) return undefined;
    return { status: String(body.status), value: body };
}

async function waitForStatus(
    client: ModelArtsClient,
    id: string,
    what: string,
    target: readonly string[],
    pending: readonly string[],
    timeout: number,
    deps: Deps,
    leaving: readonly string[] = [],
    requestAnswer?: api.DevServer,
): Promise<api.DevServer> {
    const result = await waitFor({
        what,
        refresh: () => observe(client, id),
        pending,
        leaving,
        pendingSeen: requestAnswer !== undefined && pending.includes(String(requestAnswer.status)),
        target,
        failed: FAILED,
        timeoutMs: timeout,
        clock: deps.clock,
        isTransient: isTransientError,
    });
    return result.last!.value;
}

/**
 * Sends a start, stop or delete. If the service refuses it because the server is already on its
 * way there (a retried request whose first attempt took effect, or someone in the console), that
 * is what we wanted: carry on and let the waiter follow it.
 */
async function requestTransition(
    client: ModelArtsClient,
    id: string,
    send: () => Promise<unknown>,
    alreadyUnderway: readonly string[],
): Promise<api.DevServer | undefined> {
    try {
        return (await send()) as api.DevServer | undefined;
    } catch (err) {
        if (!(err instanceof ModelArtsApiError) || err.status >= 500 || api.isDevServerNotFound(err)) throw err;
        const now = await observe(client, id);
        if (now && alreadyUnderway.includes(now.status)) {
            log.debug(`${err.method} ${err.path} was refused (HTTP ${err.status}) but the server is already ${now.status}; continuing`);
            return now.value;
        }
        throw err;
    }
}

/** Waits until no transition is in progress; returns the settled (or failed) server. */
async function waitSettled(client: ModelArtsClient, id: string, name: string, timeout: number, deps: Deps) {
    const current = await observe(client, id);
    if (!current) return undefined;
    if (!IN_PROGRESS.includes(current.status)) return current.value;
    log.info(`${label(name, id)} is ${current.status}; waiting for it to settle first`);
    const result = await waitFor({
        what: `${label(name, id)} to settle`,
        refresh: () => observe(client, id),
        pending: IN_PROGRESS,
        target: [...SETTLED, ...FAILED],
        notFoundIsTarget: true,
        timeoutMs: timeout,
        clock: deps.clock,
        isTransient: isTransientError,
    });
    return result.last?.value;
}

function toRequestBody(inputs: DevServerInputs): api.CreateDevServerRequest {
    const network = compact({
        vpc_id: inputs.vpcId,
        subnet_id: inputs.subnetId,
        security_group_id: inputs.securityGroupId,
        ipv6_enable: inputs.ipv6Enable,
        roce_id: inputs.roceId,
    });
    const c = inputs.chargingInfo;
    return compact({
        name: inputs.name,
        flavor: inputs.flavor,
        image_id: inputs.imageId,
        network,
        admin_pass: inputs.adminPass,
        key_pair_name: inputs.keyPairName,
        arch: inputs.arch,
        server_type: inputs.serverType,
        availability_zone: inputs.availabilityZone,
        enterprise_project_id: inputs.enterpriseProjectId,
        root_volume: inputs.rootVolume && compact({ size: inputs.rootVolume.size, type: inputs.rootVolume.type }),
        userdata: inputs.userData,
        // Without a period (POST_PAID, the default) charging_info is left out: the API requires one.
        charging_info:
            c && (c.periodType !== undefined || c.periodNum !== undefined)
                ? compact({
                      charging_mode: c.chargingMode,
                      period_type: c.periodType,
                      period_num: c.periodNum,
                      is_auto_pay: c.isAutoPay,
                      is_auto_renew: c.isAutoRenew,
                  })
                : undefined,
    }) as api.CreateDevServerRequest;
}

const LOST_CREATE_SEARCHES = 6;

/** How far the API's clock may trail ours when matching a server to a POST whose answer was lost. */
const CREATE_TIME_TOLERANCE_MS = 5 * 60_000;
/** The `Date` header's 1 s resolution plus a round trip. */
const SERVER_CLOCK_MARGIN_MS = 2_000;

/**
 * After a POST whose answer was lost, looks for the server it may have created: same name, flavor
 * and image, created after the request was sent, not on its way out. Several reads, because a new
 * server can take a moment to show in the list. Never guesses between two candidates.
 */
/**
 * The identifying inputs a listed server reports, against what the lost request asked for. A
 * server that differs in any reported one (e.g. the old server of a replace, on another subnet)
 * is not the one the request made.
 */
function differsFromRequest(s: api.DevServer, body: api.CreateDevServerRequest): boolean {
    const image = (s.image ?? s.server_image_response) as { image_id?: string } | undefined;
    const live = s as Record<string, unknown>;
    const pairs: Array<[unknown, unknown]> = [
        [s.name, body.name],
        [s.flavor, body.flavor],
        [image?.image_id, body.image_id],
        [s.vpc_id, body.network.vpc_id],
        [s.subnet_id, body.network.subnet_id],
        [live.security_group_id, body.network.security_group_id],
        [s.key_pair_name, body.key_pair_name],
    ];
    return pairs.some(([reported, requested]) => reported !== undefined && requested !== undefined && reported !== requested);
}

/**
 * After a create whose answer was lost: the server it made, found in the list by every identifying
 * input the API reports and by the request time. The time is placed on the service's own clock
 * (the `Date` header of its answers), so a server of identical inputs created before the request
 * (the old one of a replace) is told apart too; only servers indistinguishable by all of these
 * make it refuse to guess.
 */
async function findServerFromLostCreate(
    client: ModelArtsClient,
    body: api.CreateDevServerRequest,
    sentAt: number,
    sentAtWallClock: number,
    deps: Deps,
): Promise<api.DevServer | undefined> {
    const clock = deps.clock ?? realClock;
    // About 30 s in all (at the default poll scale): a new server can take a while to show in the list.
    const step = 2 * defaultSchedule().minIntervalMs;
    for (let attempt = 0; attempt < LOST_CREATE_SEARCHES; attempt++) {
        if (attempt > 0) await clock.sleep(step * attempt);
        const listed = await api.listDevServers(client);
        let candidates = listed.filter(
            (s) =>
                !differsFromRequest(s, body) &&
                (typeof s.create_at !== "number" || s.create_at >= sentAt - CREATE_TIME_TOLERANCE_MS) &&
                !["DELETING", ...GONE].includes(String(s.status)),
        );
        if (candidates.length > 1 && client.serverClockOffsetMs !== undefined) {
            // The request left at this moment of the service's clock; the Date header has 1 s resolution.
            const sentOnServerClock = sentAtWallClock + client.serverClockOffsetMs;
            const newer = candidates.filter((s) => typeof s.create_at !== "number" || s.create_at >= sentOnServerClock - SERVER_CLOCK_MARGIN_MS);
            if (newer.length > 0) candidates = newer;
        }
        if (candidates.length === 1) return candidates[0];
        if (candidates.length > 1) {
            throw new Error(
                `the answer to creating DevServer ${body.name} was lost, and ${candidates.length} servers match it ` +
                    `in every identifying input and in creation time (${candidates.map((c) => c.id).join(", ")}); not guessing ` +
                    `which one is ours. Delete the extra one in the console, then adopt the other with the 'import' resource option.`,
            );
        }
    }
    return undefined;
}

/** PRE_PAID creation answers with an order; the server shows up in the list once the order is processed. */
async function findServerByOrder(
    client: ModelArtsClient,
    orderId: string,
    name: string,
    timeout: number,
    deps: Deps,
): Promise<api.DevServer> {
    const result = await waitFor({
        what: `order ${orderId} to produce DevServer ${name}`,
        refresh: async () => {
            const match = (await api.listDevServers(client)).find((s) => s.order_id === orderId);
            return match ? { status: "ORDERED", value: match } : { status: "ORDER_PENDING", value: undefined };
        },
        pending: ["ORDER_PENDING"],
        target: ["ORDERED"],
        timeoutMs: timeout,
        clock: deps.clock,
        isTransient: isTransientError,
    }).catch((err) => {
        if (err instanceof WaitTimeoutError) {
            throw new Error(
                `PRE_PAID order ${orderId} for DevServer ${name} was placed but no server appeared within ` +
                    `${formatDuration(err.elapsedMs)}. If chargingInfo.isAutoPay is false, pay the order in the ` +
                    `Huawei Cloud console, then import the server with the 'import' resource option.`,
            );
        }
        throw err;
    });
    return result.last!.value as api.DevServer;
}

// ---------------------------------------------------------------------------------------------
// The provider

export async function check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { __provider, ...inputs } = news;
    // In case the service ever echoes them in an error message.
    registerSecret(typeof inputs.adminPass === "string" ? inputs.adminPass : undefined);
    registerSecret(typeof inputs.userData === "string" ? inputs.userData : undefined);
    const failures = checkWithSchema(devServerInputSchema, compact(inputs));
    return { inputs: { ...compact(inputs), __provider }, failures };
}

export interface DiffResult {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

function partialEqual(declared: unknown, live: unknown): boolean {
    if (declared && typeof declared === "object" && !Array.isArray(declared)) {
        if (!live || typeof live !== "object") return false;
        return Object.entries(declared as Record<string, unknown>).every(
            ([k, v]) => v === undefined || v === null || partialEqual(v, (live as Record<string, unknown>)[k]),
        );
    }
    return declared === live;
}

export async function diff(id: string, olds: DevServerOutputs, news: Record<string, unknown>): Promise<DiffResult> {
    const replaces: string[] = [];
    const updates: string[] = [];
    const changed = (field: string, declared: unknown, live: unknown) =>
        declared !== undefined && declared !== null && (containsUnknown(declared) || !partialEqual(declared, live));

    for (const field of REPLACE_FIELDS) {
        if (changed(field, news[field], (olds as unknown as Record<string, unknown>)[field])) replaces.push(field);
    }
    for (const [field, digestField] of [["adminPass", "adminPassDigest"], ["userData", "userDataDigest"]] as const) {
        const declared = news[field];
        if (declared === undefined || declared === null) continue;
        if (isUnknown(declared) || !digestMatches(String(declared), olds[digestField])) replaces.push(field);
    }
    replaces.push(...locationReplaces(olds, news));
    if (changed("name", news.name, olds.name)) updates.push("name");
    const desiredPower = (news.powerState as string | undefined) ?? "RUNNING";
    if (isUnknown(desiredPower) || desiredPower !== (olds.powerState ?? "RUNNING")) updates.push("powerState");

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

export async function create(inputs: DevServerInputs, deps: Deps = {}): Promise<{ id: string; outs: DevServerOutputs }> {
    registerSecret(inputs.adminPass);
    registerSecret(inputs.userData);
    if (inputs.importId) return adopt(inputs, inputs.importId, deps);
    const cfg = configFor(inputs);
    const client = getClient(cfg);
    const body = toRequestBody(inputs);
    const timeout = timeoutMs(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUTS_MS.create);
    const clock = deps.clock ?? realClock;
    const started = clock.now();
    const startedWallClock = Date.now();

    let accepted: api.DevServer | undefined;
    try {
        accepted = await api.createDevServer(client, body);
    } catch (err) {
        // A lost answer, or one we could not read: the server may exist all the same.
        if (!(err instanceof AmbiguousRequestError) && !(err instanceof ResponseShapeError)) throw err;
        log.warn(`the answer to creating ${label(inputs.name)} was ${err instanceof AmbiguousRequestError ? "lost" : "unreadable"}; looking for the server it may have created`);
        accepted = await findServerFromLostCreate(client, body, started, startedWallClock, deps);
        if (!accepted) {
            throw new Error(
                `the answer to creating ${label(inputs.name)} was lost and no matching server appeared in the list ` +
                    `within ${LOST_CREATE_SEARCHES} searches, so it was probably not created. Check the ModelArts console ` +
                    `before running pulumi up again: if the server is there, adopt it with the 'import' resource option.`,
            );
        }
        log.info(`found ${label(inputs.name, accepted.id)} created by the request whose answer was lost`);
    }
    if (!accepted.id && accepted.order_id) {
        log.info(`${label(inputs.name)}: PRE_PAID order ${accepted.order_id} placed; waiting for the server to appear`);
        accepted = await findServerByOrder(client, accepted.order_id, inputs.name, timeout, deps);
    }
    const id = accepted.id;
    if (!id) throw new Error(`the API accepted ${label(inputs.name)} but returned neither an id nor an order id`);

    // From here on the server exists: every failure must still record it in the state.
    let last: api.DevServer = accepted;
    try {
        last = await waitForStatus(client, id, `${label(inputs.name, id)} to be RUNNING`, ["RUNNING"], ["CREATING", "STARTING"], timeout - (clock.now() - started), deps);
        if (inputs.powerState === "STOPPED") {
            const answer = await requestTransition(client, id, () => api.stopDevServer(client, id), ["STOPPING", "STOPPED"]);
            last = await waitForStatus(client, id, `${label(inputs.name, id)} to be STOPPED`, ["STOPPED"], ["STOPPING"], Math.max(timeout - (clock.now() - started), 60_000), deps, ["RUNNING"], answer);
        }
    } catch (err) {
        const lastValue = err instanceof WaitFailedError || err instanceof WaitTimeoutError ? (err.lastValue as api.DevServer | undefined) : undefined;
        const seen = lastValue ?? last;
        throw initFailure(`creating ${label(inputs.name, id)} did not finish: ${describeError(err)}`, id, buildOutputs({ ...inputs, ...settledState(seen) } as DevServerInputs, cfg, seen), err);
    }
    log.info(`${label(inputs.name, id)} is ${last.status} after ${formatDuration(clock.now() - started)}`);
    return { id, outs: buildOutputs(inputs, cfg, last) };
}

/** Immutable inputs the API reports, compared when adopting: they must match the declaration. */
const ADOPT_COMPARED = ["flavor", "imageId", "vpcId", "subnetId", "keyPairName", "arch", "serverType"] as const;

/**
 * The `import` resource option, done in create: Pulumi's engine cannot import through a dynamic
 * provider (its import Read carries no serialized provider; pulumi/pulumi#16175), so the SDK turns
 * the option into `importId`. The server must exist and match the declaration in every immutable
 * field the API reports; name and power state are then brought to what is declared.
 */
async function adopt(inputs: DevServerInputs, id: string, deps: Deps): Promise<{ id: string; outs: DevServerOutputs }> {
    const cfg = configFor(inputs);
    const client = getClient(cfg);
    const timeout = timeoutMs(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUTS_MS.create);
    const existing = await waitSettled(client, id, inputs.name, timeout, deps);
    if (!existing) {
        throw new Error(`cannot import ${label(inputs.name, id)}: no such server in project ${cfg.projectId} (region ${cfg.region}); check the id given to the import option`);
    }
    if (FAILED.includes(String(existing.status))) {
        throw new Error(`cannot import ${label(existing.name ?? inputs.name, id)}: it is in status ${existing.status}; delete it in the console or repair it first`);
    }
    const live = liveInputs(existing) as Record<string, unknown>;
    const declared = { ...inputs, chargingMode: inputs.chargingInfo?.chargingMode } as Record<string, unknown>;
    live.chargingMode = existing.charging_mode;
    const mismatches = [...ADOPT_COMPARED, "chargingMode"]
        .filter((f) => declared[f] !== undefined && live[f] !== undefined && declared[f] !== live[f])
        .map((f) => `${f === "chargingMode" ? "chargingInfo.chargingMode" : f} (existing ${JSON.stringify(live[f])}, declared ${JSON.stringify(declared[f])})`);
    if (mismatches.length > 0) {
        throw new Error(
            `cannot import ${label(existing.name ?? inputs.name, id)}: it differs from the declaration in ${mismatches.join(", ")}. ` +
                `These cannot change in place: make the program match the server, or remove the import option to create a new one.`,
        );
    }
    log.info(`adopting ${label(existing.name ?? inputs.name, id)} (${existing.status}) instead of creating a server`);
    const { outs } = await update(id, buildOutputs({ ...inputs, ...settledState(existing) } as DevServerInputs, cfg, existing), inputs, deps);
    return { id, outs };
}

function initFailure(message: string, id: string, properties: DevServerOutputs, cause: unknown): ResourceInitError {
    const reasons = [describeError(cause)];
    const failedReason = (properties.status && FAILED.includes(properties.status))
        ? `the server is in status ${properties.status}; the next pulumi up replaces it, pulumi destroy deletes it`
        : "the server is tracked in the state; the next pulumi up waits for it, pulumi destroy deletes it";
    reasons.push(failedReason);
    return new ResourceInitError(`${message}. ${failedReason}`, id, properties as unknown as Record<string, unknown>, reasons);
}

export async function read(
    id: string,
    props: Partial<DevServerOutputs> = {},
): Promise<{ id?: string; props?: DevServerOutputs; inputs?: Record<string, unknown> }> {
    const cfg = configFor(props);
    const client = getClient(cfg);
    const body = (await observe(client, id))?.value;
    if (!body) {
        log.info(`${label(props.name, id)} no longer exists; removing it from the state`);
        return {};
    }
    const live = liveInputs(body);
    const base = { ...props, ...live } as DevServerOutputs;
    if (live.powerState === undefined) base.powerState = props.powerState ?? "RUNNING";
    // The API reports only the charging mode: keep the declared period and payment settings.
    if (live.chargingInfo && props.chargingInfo) base.chargingInfo = { ...props.chargingInfo, ...live.chargingInfo };
    const outs = buildOutputs(base, cfg, body);
    return { id, props: outs, inputs: inputsFromOutputs(outs) };
}

function inputsFromOutputs(outs: DevServerOutputs): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const field of INPUT_FIELDS) {
        if (field === "region" || field === "projectId") continue;
        const value = (outs as unknown as Record<string, unknown>)[field];
        if (value !== undefined) inputs[field] = value;
    }
    return inputs;
}

export async function update(
    id: string,
    olds: DevServerOutputs,
    news: DevServerInputs,
    deps: Deps = {},
): Promise<{ outs: DevServerOutputs }> {
    const cfg = configFor(olds);
    const client = getClient(cfg);
    const timeout = timeoutMs(news.timeouts as Timeouts | undefined, "update", DEFAULT_TIMEOUTS_MS.update);
    const clock = deps.clock ?? realClock;
    const started = clock.now();
    const remaining = () => Math.max(timeout - (clock.now() - started), 1000);
    const declared = { ...news, powerState: news.powerState ?? "RUNNING" } as DevServerInputs;
    let current: api.DevServer | undefined = undefined;
    const progress = () => {
        return buildOutputs({ ...olds, ...declared, ...settledState(current) } as DevServerInputs, cfg, current, olds);
    };
    try {
        current = await waitSettled(client, id, news.name, remaining(), deps);
        if (!current) throw new Error(`${label(news.name, id)} no longer exists; run pulumi refresh, then pulumi up to create it again`);
        if (FAILED.includes(String(current.status))) {
            throw new Error(`${label(news.name, id)} is in status ${current.status} and cannot be changed in place; replace it with pulumi up --replace`);
        }
        if (current.name !== news.name) {
            log.info(`renaming ${label(current.name ?? undefined, id)} to ${news.name}`);
            current = await api.renameDevServer(client, id, news.name);
        }
        if (declared.powerState === "RUNNING" && current.status === "STOPPED") {
            log.info(`starting ${label(news.name, id)}`);
            const answer = await requestTransition(client, id, () => api.startDevServer(client, id), ["STARTING", "RUNNING"]);
            current = await waitForStatus(client, id, `${label(news.name, id)} to be RUNNING`, ["RUNNING"], ["STARTING"], remaining(), deps, ["STOPPED"], answer);
        } else if (declared.powerState === "STOPPED" && current.status === "RUNNING") {
            log.info(`stopping ${label(news.name, id)}`);
            const answer = await requestTransition(client, id, () => api.stopDevServer(client, id), ["STOPPING", "STOPPED"]);
            current = await waitForStatus(client, id, `${label(news.name, id)} to be STOPPED`, ["STOPPED"], ["STOPPING"], remaining(), deps, ["RUNNING"], answer);
        }
    } catch (err) {
        if (err instanceof WaitFailedError || err instanceof WaitTimeoutError) current = (err.lastValue as api.DevServer | undefined) ?? current;
        throw initFailure(`updating ${label(news.name, id)} did not finish: ${describeError(err)}`, id, progress(), err);
    }
    return { outs: progress() };
}

export async function remove(id: string, props: Partial<DevServerOutputs>, deps: Deps = {}): Promise<void> {
    const cfg = configFor(props);
    const client = getClient(cfg);
    const timeout = timeoutMs(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUTS_MS.delete);
    const clock = deps.clock ?? realClock;
    const started = clock.now();
    const what = label(props.name, id);
    const settled = await waitSettled(client, id, props.name ?? "?", timeout, deps);
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
        timeoutMs: Math.max(timeout - (clock.now() - started), 1000),
        clock: deps.clock,
        isTransient: isTransientError,
    }).catch((err) => {
        if (err instanceof WaitFailedError) {
            throw new Error(
                `deleting ${what} failed: the server reached status ${err.status} and still exists in your account. ` +
                    `Check it in the ModelArts console, then run pulumi destroy again.`,
            );
        }
        throw err;
    });
    log.info(`${what} deleted after ${formatDuration(clock.now() - started)}`);
}
