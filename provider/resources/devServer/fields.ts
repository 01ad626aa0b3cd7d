/**
 * The DevServer's shape, stated once: every input with its validation, default and what a change
 * of it does, the secrets, and the computed outputs. The provider's types, `check`, `diff`, the
 * state and the SDK's `DevServerArgs` and output properties all come from this table.
 *
 * Inputs are camelCase (what users write); the API's snake_case stays in `api/devServers`.
 */
import { z } from "zod";
import { computed, DeclaredInputsOf, defineResource, field, InputsOf, StateOf } from "../fields";
import { locationFields, replaceOnChangesField, timeoutsField } from "../common";

/** Bumped when the shape of the state changes; `read` and `diff` accept every older version. */
export const STATE_VERSION = 2;
// 2: outputs `volumes` and `publicIps`, inputs resourceFlavor, hpsClusterId, dataVolume,
//    allowedAddressPairs, publicIpId, attachedVolumeIds, rebootTrigger, reinstallTrigger. Version 1
//    state has none of them, which reads as "not declared" (nothing to change).

const NAME = /^[-_.a-zA-Z0-9]{1,64}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PASSWORD_SPECIALS = "!@%-_=+[{}]:,./?";
const MAX_USER_DATA = 32 * 1024;

const uuid = (field: string) =>
    z.string().regex(UUID, `${field} must be a UUID such as 05982b48-a70f-43a1-a2b0-1fe36a236172`);

const required = (field: string, what: string) => ({
    error: (issue: { input: unknown }) =>
        issue.input === undefined ? `${field} is required: ${what}` : `${field} must be ${what}`,
});

/** The password rules of the create API (seed 002), each failure named. */
function passwordProblems(password: string): string[] {
    const problems: string[] = [];
    if (password.length < 8 || password.length > 26) problems.push("must be 8 to 26 characters long");
    const specials = PASSWORD_SPECIALS.replace(/[-\]\\[]/g, "\\$&");
    const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, new RegExp(`[${specials}]`)];
    if (classes.filter((re) => re.test(password)).length < 3) {
        problems.push(`must contain at least three of: uppercase letters, lowercase letters, digits, special characters ${PASSWORD_SPECIALS}`);
    }
    if (!new RegExp(`^[A-Za-z0-9${specials}]*$`).test(password)) problems.push(`may only contain letters, digits and ${PASSWORD_SPECIALS}`);
    const lower = password.toLowerCase();
    for (const word of ["root", "administrator"]) {
        const reversed = [...word].reverse().join("");
        if (lower.includes(word) || lower.includes(reversed)) {
            problems.push(`must not contain "${word}" or "${reversed}" (the username or its reverse)`);
        }
    }
    return problems;
}

const VOLUME_TYPES = ["ESSD", "GPSSD", "SAS", "SATA", "SSD"] as const;
const volumeType = (field: string) => z.enum(VOLUME_TYPES, { error: `${field} must be one of ${VOLUME_TYPES.join(", ")}` });
const wholeNumber = (field: string, unit: string, min: number, max: number) =>
    z
        .number({ error: `${field} must be a number of ${unit}` })
        .int(`${field} must be a whole number of ${unit}`)
        .min(min, `${field} must be at least ${min}${unit === "GB" ? " GB" : ""}`)
        .max(max, `${field} must be at most ${max}${unit === "GB" ? " GB" : ""}`);

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
        periodNum: wholeNumber("chargingInfo.periodNum", "periods", 1, 11).optional(),
        /** Pay the order from the account balance at once (default), as Terraform always does. */
        isAutoPay: z.boolean({ error: "chargingInfo.isAutoPay must be true or false" }).default(true),
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

/** The API's EvsVolume: 100..1024 GB (huaweicloudsdkmodelarts evs_volume.py). */
const rootVolumeSchema = z.strictObject({
    size: wholeNumber("rootVolume.size", "GB", 100, 1024).optional(),
    type: volumeType("rootVolume.type").optional(),
});

/** The API's ServerDataVolume: ONE object, `count` disks of `size` GB each (server_data_volume.py). */
const dataVolumeSchema = z.strictObject({
    size: z.number(required("dataVolume.size", "a number of GB (100 to 32768)")).pipe(wholeNumber("dataVolume.size", "GB", 100, 32768)),
    type: volumeType("dataVolume.type").optional(),
    count: wholeNumber("dataVolume.count", "disks", 1, 8).optional(),
});

/** The API's AllowedAddressPairs (allowed_address_pairs.py); 0.0.0.0/0 is refused by the API. */
const allowedAddressPairSchema = z.strictObject({
    ipAddress: z
        .string(required("allowedAddressPairs[].ipAddress", "an IP address or CIDR"))
        .min(1, "allowedAddressPairs[].ipAddress must not be empty")
        .refine((ip) => ip.trim() !== "0.0.0.0/0", "allowedAddressPairs[].ipAddress must not be 0.0.0.0/0 (the API does not support it)"),
    macAddress: z
        .string({ error: "allowedAddressPairs[].macAddress must be a string" })
        .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "allowedAddressPairs[].macAddress must be a MAC address such as fa:16:3e:aa:bb:cc")
        .optional(),
});

const EVS_ID = /^[-_a-zA-Z0-9]{1,64}$/;
const trigger = (field: string) =>
    z.string({ error: `${field} must be a string` }).min(1, `${field} must not be empty`).max(256, `${field} must be at most 256 characters`);

/** A disk of the server (the API's `volumes[]`). */
export interface DevServerVolume {
    size?: number;
    /** ROOT or DATA */
    type?: string;
    /** ESSD, GPSSD, SAS, SATA or SSD */
    evsType?: string;
    evsId?: string;
}

/** An access endpoint of the server, camelCase. */
export interface DevServerEndpoint {
    service?: string;
    devService?: string;
    uri?: string;
    sshKeys?: string[];
    allowedAccessIps?: string[];
    extensions?: Record<string, string | null>;
    /** Key pairs of the endpoint (EndpointsRes `key_pair_names`). */
    keyPairNames?: string[];
}

export const devServerShape = defineResource({
    inputs: {
        /** Server name, `^[-_.a-zA-Z0-9]{1,64}$`. Changed in place. */
        name: field(
            z.string(required("name", "a string")).regex(NAME, 'name must be 1 to 64 letters, digits, "-", "_" or "." (^[-_.a-zA-Z0-9]{1,64}$)'),
            { onChange: "update" },
        ),
        /**
         * Resource flavor name, e.g. `Si2.large.4` (the API's `resource_flavor`, Terraform's
         * `resource_flavor`); set exactly one of `resourceFlavor` and the deprecated `flavor`. Replaces.
         */
        resourceFlavor: field(
            z
                .string({ error: "resourceFlavor must be a string such as Si2.large.4" })
                .min(1, "resourceFlavor must not be empty")
                .max(256, "resourceFlavor must be at most 256 characters")
                .optional(),
            { onChange: "replace" },
        ),
        /**
         * @deprecated Use `resourceFlavor`. Flavor name (the API's deprecated `flavor`); still accepted,
         * with a warning. Changing it to the same value under `resourceFlavor` changes nothing. Replaces.
         */
        flavor: field(
            z.string({ error: "flavor must be a string such as Si2.large.4" }).min(1, "flavor must not be empty").max(128, "flavor must be at most 128 characters").optional(),
            { onChange: "replace", sameAs: "resourceFlavor" },
        ),
        /**
         * Image UUID. Changed in place through the API's change-OS: the server, its address and data
         * volumes are kept, the system disk is rebuilt (its data is lost). The server is stopped for
         * it, then brought back to `powerState`.
         */
        imageId: field(z.string(required("imageId", "the image UUID")).pipe(uuid("imageId")), {
            onChange: "update",
            updateNote: "changes in place through change-OS: the server is stopped, its SYSTEM DISK IS REBUILT (data on it is lost); its address and data volumes are kept",
        }),
        /** VPC UUID (the API's `network.vpc_id`). Replaces. */
        vpcId: field(z.string(required("vpcId", "the VPC UUID")).pipe(uuid("vpcId")), { onChange: "replace" }),
        /** Subnet UUID (`network.subnet_id`). Replaces. */
        subnetId: field(z.string(required("subnetId", "the subnet UUID")).pipe(uuid("subnetId")), { onChange: "replace" }),
        /** Security group UUID (`network.security_group_id`). Replaces. */
        securityGroupId: field(z.string(required("securityGroupId", "the security group UUID")).pipe(uuid("securityGroupId")), { onChange: "replace" }),
        /** Enable IPv6 (`network.ipv6_enable`). Replaces. */
        ipv6Enable: field(z.boolean({ error: "ipv6Enable must be true or false" }).optional(), { onChange: "replace" }),
        /** RoCE network ID (`network.roce_id`). Replaces. */
        roceId: field(z.string({ error: "roceId must be a string" }).min(1, "roceId must not be empty").optional(), { onChange: "replace" }),
        /**
         * Login password; set exactly one of `adminPass` and `keyPairName`. 8 to 26 characters, three of
         * upper, lower, digits and `!@%-_=+[{}]:,./?`, not containing root/administrator or their reverse.
         * Always stored as a secret; the provider's state keeps only a salted digest. Replaces.
         */
        adminPass: field(
            z
                .string({ error: "adminPass must be a string" })
                .superRefine((p, ctx) => {
                    for (const problem of passwordProblems(p)) ctx.addIssue({ code: "custom", message: `adminPass ${problem}` });
                })
                .optional(),
            { onChange: "replace", secret: true },
        ),
        /** SSH key pair name; set exactly one of `adminPass` and `keyPairName`. Replaces. */
        keyPairName: field(
            z.string({ error: "keyPairName must be a string" }).regex(NAME, 'keyPairName must be 1 to 64 letters, digits, "-", "_" or "."').optional(),
            { onChange: "replace" },
        ),
        /** `ARM` or `X86`. Replaces. */
        arch: field(z.enum(["ARM", "X86"], { error: "arch must be ARM or X86" }).optional(), { onChange: "replace" }),
        /** `BMS`, `ECS` or `HPS` (Terraform's `type`). HPS needs `hpsClusterId` and a key pair. Replaces. */
        serverType: field(z.enum(["BMS", "ECS", "HPS"], { error: "serverType must be BMS, ECS or HPS" }).optional(), { onChange: "replace" }),
        /** The HPS cluster (UUID) of a `serverType: "HPS"` server; only with HPS. Replaces. */
        hpsClusterId: field(z.string({ error: "hpsClusterId must be a string" }).pipe(uuid("hpsClusterId")).optional(), { onChange: "replace" }),
        /** Availability zone, e.g. `cn-north-4a`. Replaces. */
        availabilityZone: field(
            z.string({ error: "availabilityZone must be a string such as cn-north-4a" }).min(1, "availabilityZone must not be empty").optional(),
            { onChange: "replace" },
        ),
        /** Enterprise project ID (`"0"` is the default project). Replaces. */
        enterpriseProjectId: field(
            z
                .string({ error: "enterpriseProjectId must be a string" })
                .refine((v) => v === "0" || UUID.test(v), 'enterpriseProjectId must be "0" (default project) or a UUID')
                .optional(),
            { onChange: "replace" },
        ),
        /** System disk: `size` 100..1024 GB, `type` ESSD / GPSSD / SAS / SATA / SSD. Replaces. */
        rootVolume: field(rootVolumeSchema.optional(), { onChange: "replace" }),
        /**
         * Data disks made with the server: `count` (1..8, default 1) disks of `size` GB (100..32768),
         * `type` ESSD / GPSSD / SAS / SATA / SSD. They belong to the server and go with it. Replaces.
         */
        dataVolume: field(dataVolumeSchema.optional(), { onChange: "replace" }),
        /** `network.allowed_address_pairs`: `[{ ipAddress, macAddress? }]` (not 0.0.0.0/0). Replaces. */
        allowedAddressPairs: field(
            z.array(allowedAddressPairSchema, { error: "allowedAddressPairs must be a list of { ipAddress, macAddress? }" }).optional(),
            { onChange: "replace" },
        ),
        /**
         * An elastic IP (EIP) ID to bind. Bound at creation, or in place when added to an existing
         * server. The API has no unbind call: changing or removing a bound one replaces the server.
         */
        publicIpId: field(
            z.string({ error: "publicIpId must be a string" }).min(1, "publicIpId must not be empty").max(64, "publicIpId must be at most 64 characters").optional(),
            {
                onChange: "update",
                onceSet: "replace",
                replaceNote: "a bound EIP cannot be unbound (the DevServer API has no unbind call): changing or removing publicIpId replaces the server",
            },
        ),
        /**
         * Existing EVS volume IDs to attach. Added IDs are attached and removed ones detached, in
         * place, each awaited through the API's operation (removing the list detaches them all). The
         * volumes are not deleted with the server.
         */
        attachedVolumeIds: field(
            z
                .array(z.string({ error: "attachedVolumeIds must hold volume ID strings" }).regex(EVS_ID, "attachedVolumeIds entries must be EVS volume IDs (1 to 64 letters, digits, - or _)"), {
                    error: "attachedVolumeIds must be a list of EVS volume IDs",
                })
                .refine((ids) => new Set(ids).size === ids.length, "attachedVolumeIds must not list a volume twice")
                .optional(),
            { onChange: "update" },
        ),
        /**
         * Any string; changing it reboots the server once (like Kubernetes' restartedAt annotation).
         * Needs `powerState: "RUNNING"` (a stopped server is not rebooted).
         */
        rebootTrigger: field(trigger("rebootTrigger").optional(), { onChange: "update" }),
        /**
         * Any string; changing it reinstalls the OS once on the current image (the system disk is
         * rebuilt): the server is stopped, reinstalled, then brought back to `powerState`.
         */
        reinstallTrigger: field(trigger("reinstallTrigger").optional(), {
            onChange: "update",
            updateNote: "reinstalls the OS in place: the server is stopped and its SYSTEM DISK IS REBUILT (data on it is lost); its address and data volumes are kept",
        }),
        /** User data passed to the server at creation. Always a secret; state keeps only a digest. Replaces. */
        userData: field(
            z.string({ error: "userData must be a string" }).max(MAX_USER_DATA, `userData must be at most ${MAX_USER_DATA} characters`).optional(),
            { onChange: "replace", secret: true },
        ),
        /**
         * Billing. `PRE_PAID` needs `periodType` and `periodNum` (1..11); the order is paid at once
         * unless `isAutoPay: false`. `isAutoRenew` changes in place (through BSS); a change of the mode
         * or period replaces the server (a prepaid one is unsubscribed); `isAutoPay` only matters at purchase.
         */
        chargingInfo: field(chargingInfoSchema.optional(), {
            onChange: "replace",
            keys: { isAutoRenew: "update", isAutoPay: "none" },
            replaceNote: "billing mode and prepaid period cannot change in place: replacing buys a new server and unsubscribes the old one (a PRE_PAID server is refunded by BSS per its rules)",
        }),
        /** Declared power state, `RUNNING` (default) or `STOPPED`: the provider starts or stops the server to match. */
        powerState: field(z.enum(["RUNNING", "STOPPED"], { error: "powerState must be RUNNING or STOPPED" }).default("RUNNING"), {
            onChange: "update",
        }),
        /** Always 1 when set: one DevServer resource manages exactly one server. */
        count: field(
            z.literal(1, { error: "count must be 1: one DevServer resource manages exactly one server; declare several resources for several servers" }).optional(),
            { onChange: "none", inState: false },
        ),
        ...locationFields,
        /**
         * Operation timeouts, e.g. `{ create: "45m" }` (defaults: create 60 min, update 30 min, delete
         * 30 min, as Terraform's). Pulumi's `customTimeouts` does not reach dynamic providers; the SDK
         * maps it onto this when this is not given.
         */
        timeouts: timeoutsField,
        /** Set by the SDK from the `import` resource option: adopt this server instead of creating one. */
        importId: field(z.string({ error: "importId must be a string" }).pipe(uuid("the import option's id")).optional(), {
            onChange: "none",
            inState: false,
            internal: true,
        }),
        /** Set by the SDK from the `replaceOnChanges` resource option (see common.ts). */
        replaceOnChanges: replaceOnChangesField,
    },
    outputs: {
        /** Version of the state's shape, for upgrades. */
        stateVersion: computed<number>(),
        /**
         * After an import by id alone (`pulumi import`, the plugin's Read): the inputs the API does
         * not report (the security group, volumes, secrets, ...), so that the program's declaration
         * of them is taken as it is instead of planning a replacement. Cleared by the next update.
         */
        unreportedSinceImport: computed<string[] | undefined>(),
        /** Salted digest of `adminPass`: lets a change be noticed without the state holding it. */
        adminPassDigest: computed<string | undefined>(),
        /** Salted digest of `userData`. */
        userDataDigest: computed<string | undefined>(),
        /** Live status: RUNNING, STOPPED, CREATING, ... */
        status: computed<string | undefined>(),
        /** ISO 8601 creation time. */
        createdAt: computed<string | undefined>(),
        /** ISO 8601 time of the last change. */
        updatedAt: computed<string | undefined>(),
        /** COMMON, POST_PAID or PRE_PAID, as the server reports it. */
        chargingMode: computed<string | undefined>(),
        /** Order ID of a PRE_PAID server. */
        orderId: computed<string | undefined>(),
        /** The cloud server behind the DevServer. */
        cloudServer: computed<{ id?: string; type?: string; hpsId?: string; hpsEcsId?: string } | undefined>(),
        /** The image as the server reports it. */
        image: computed<{ arch?: string; imageId?: string; name?: string; serverType?: string; status?: string } | undefined>(),
        /** Access endpoints, e.g. `[{ service: "SSH", uri: "192.168.0.12" }]`. */
        endpoints: computed<DevServerEndpoint[] | undefined>(),
        /** HPS, SPOD or SERVER. */
        category: computed<string | undefined>(),
        /** The HPS cluster of an HPS server. */
        serverHps: computed<{ id?: string; name?: string } | undefined>(),
        /** The server's disks as the API reports them: the ROOT disk, then DATA disks (made or attached). */
        volumes: computed<DevServerVolume[] | undefined>(),
        /** The server's elastic IPs `[{ id, address }]` (absent when the API does not list them). */
        publicIps: computed<Array<{ id?: string; address?: string }> | undefined>(),
    },
    refine: (v, ctx) => {
        const issue = (path: string, message: string, related: string[] = [path]) =>
            ctx.addIssue({ code: "custom", path: [path], params: { related }, message });
        if ((v.resourceFlavor === undefined) === (v.flavor === undefined)) {
            issue(
                "resourceFlavor",
                v.flavor === undefined
                    ? "resourceFlavor is required: the flavor name, e.g. Si2.large.4 (set exactly one of resourceFlavor and the deprecated flavor)"
                    : "set exactly one of resourceFlavor and the deprecated flavor, not both",
                ["resourceFlavor", "flavor"],
            );
        }
        const hps = v.serverType === "HPS";
        if (hps && v.hpsClusterId === undefined) issue("hpsClusterId", 'hpsClusterId is required when serverType is "HPS"', ["hpsClusterId", "serverType"]);
        if (!hps && v.hpsClusterId !== undefined) issue("hpsClusterId", 'hpsClusterId is only valid with serverType "HPS"', ["hpsClusterId", "serverType"]);
        if (hps && v.adminPass !== undefined) {
            issue("adminPass", 'adminPass is not supported with serverType "HPS": an HPS server takes a key pair only (keyPairName)', ["adminPass", "serverType"]);
            return;
        }
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
    },
});

/** Inputs as declared, before `check` applies the defaults. */
export type DevServerDeclaredInputs = DeclaredInputsOf<typeof devServerShape>;

/** Inputs after `check`: validated, `powerState` defaulted. */
export type DevServerInputs = InputsOf<typeof devServerShape>;

/** What the state holds: inputs (less secrets, `count` and `importId`), the location, computed outputs. */
export type DevServerState = StateOf<typeof devServerShape>;

/** Inputs the API reports back, compared when adopting: they must match the declaration. */
export const ADOPT_COMPARED = ["flavor", "imageId", "vpcId", "subnetId", "keyPairName", "arch", "serverType"] as const satisfies readonly (keyof DevServerInputs)[];
