/**
 * The DevServer's shape, stated once: every input with its validation, default and what a change
 * of it does, the secrets, and the computed outputs. The provider's types, `check`, `diff`, the
 * state and the SDK's `DevServerArgs` and output properties all come from this table.
 *
 * Inputs are camelCase (what users write); the API's snake_case stays in `api/devServers`.
 */
import { z } from "zod";
import { computed, DeclaredInputsOf, defineResource, field, InputsOf, StateOf } from "../fields";
import { locationFields, timeoutsField } from "../common";

/** Bumped when the shape of the state changes; `read` and `diff` accept every older version. */
export const STATE_VERSION = 1;

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

const rootVolumeSchema = z.strictObject({
    size: z
        .number({ error: "rootVolume.size must be a number of GB" })
        .int("rootVolume.size must be a whole number of GB")
        .min(1, "rootVolume.size must be at least 1 GB")
        .max(32768, "rootVolume.size must be at most 32768 GB")
        .optional(),
    type: z.enum(["ESSD", "GPSSD", "SAS", "SATA", "SSD"], { error: "rootVolume.type must be one of ESSD, GPSSD, SAS, SATA, SSD" }).optional(),
});

/** An access endpoint of the server, camelCase. */
export interface DevServerEndpoint {
    service?: string;
    devService?: string;
    uri?: string;
    sshKeys?: string[];
    allowedAccessIps?: string[];
    extensions?: Record<string, string | null>;
}

export const devServerShape = defineResource({
    inputs: {
        /** Server name, `^[-_.a-zA-Z0-9]{1,64}$`. Changed in place. */
        name: field(
            z.string(required("name", "a string")).regex(NAME, 'name must be 1 to 64 letters, digits, "-", "_" or "." (^[-_.a-zA-Z0-9]{1,64}$)'),
            { onChange: "update" },
        ),
        /** Flavor name, e.g. `Si2.large.4`. Changing it replaces the server. */
        flavor: field(
            z.string(required("flavor", "the flavor name, e.g. Si2.large.4")).min(1, "flavor must not be empty").max(128, "flavor must be at most 128 characters"),
            { onChange: "replace" },
        ),
        /** Image UUID. Changing it replaces the server. */
        imageId: field(z.string(required("imageId", "the image UUID")).pipe(uuid("imageId")), { onChange: "replace" }),
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
        /** `BMS` or `ECS`. Replaces. */
        serverType: field(z.enum(["BMS", "ECS"], { error: "serverType must be BMS or ECS" }).optional(), { onChange: "replace" }),
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
        /** System disk. Replaces. */
        rootVolume: field(rootVolumeSchema.optional(), { onChange: "replace" }),
        /** User data passed to the server at creation. Always a secret; state keeps only a digest. Replaces. */
        userData: field(
            z.string({ error: "userData must be a string" }).max(MAX_USER_DATA, `userData must be at most ${MAX_USER_DATA} characters`).optional(),
            { onChange: "replace", secret: true },
        ),
        /** Billing. `PRE_PAID` needs `periodType` and `periodNum`. Replaces. */
        chargingInfo: field(chargingInfoSchema.optional(), { onChange: "replace" }),
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
        /** Operation timeouts, e.g. `{ create: "45m" }`. Pulumi's `customTimeouts` does not reach dynamic providers; this does. */
        timeouts: timeoutsField,
        /** Set by the SDK from the `import` resource option: adopt this server instead of creating one. */
        importId: field(z.string({ error: "importId must be a string" }).pipe(uuid("the import option's id")).optional(), {
            onChange: "none",
            inState: false,
            internal: true,
        }),
    },
    outputs: {
        /** Version of the state's shape, for upgrades. */
        stateVersion: computed<number>(),
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
    },
    refine: (v, ctx) => {
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
