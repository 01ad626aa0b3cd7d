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
import { snakeKeys } from "../wire";
import {
    EVS_ID,
    MAX_USER_DATA,
    NAME,
    UUID,
    allowedAddressPairSchema,
    chargingInfoSchema,
    dataVolumeSchema,
    passwordProblems,
    required,
    rootVolumeSchema,
    trigger,
    uuid,
} from "./inputRules";

/** Bumped when the shape of the state changes; `read` and `diff` accept every older version. */
export const STATE_VERSION = 2;
// 2: outputs `volumes` and `publicIps`, inputs resourceFlavor, hpsClusterId, dataVolume,
//    allowedAddressPairs, publicIpId, attachedVolumeIds, rebootTrigger, reinstallTrigger. Version 1
//    state has none of them, which reads as "not declared" (nothing to change).


// ---- where the API carries each input (the table's `wire` options, see ../wire.ts) ----
const onCreate = (path: string) => ({ sent: { create: path } });
/** The OS rebuild calls (changeos, reinstallos: ServerOsRequest) carry the login and user data too. */
const OS_CALLS = (path: string) => ({ changeOs: path, reinstallOs: path });
/** The server reports its image under `image` or `server_image_response` (SDK ShowDevServerResponse). */
const IMAGE = (key: string) => [`image.${key}`, `server_image_response.${key}`];
/**
 * Which key the create reads is unconfirmed (SDKs: `user_data`; Terraform and the reference page:
 * `userdata`): both are sent, equal, so a wrong guess cannot drop the script silently
 * (docs/EMULATOR-VS-REAL-API.md, "user data key"). The OS calls send `user_data` (SDK and Terraform agree).
 */
const USER_DATA_KEYS = ["userdata", "user_data"];
/** Without a period (POST_PAID, the default) charging_info is left out: the API requires one when it is sent. */
const chargingInfoOnWire = (c: { periodType?: string; periodNum?: number }) =>
    c.periodType !== undefined && c.periodNum !== undefined ? snakeKeys(c) : undefined;

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
            { onChange: "update", wire: { ...onCreate("name"), reported: "name", identifies: "create" } },
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
            { onChange: "replace", wire: { ...onCreate("resource_flavor"), reported: ["resource_flavor", "flavor"], identifies: "always" } },
        ),
        /**
         * @deprecated Use `resourceFlavor`. Flavor name (the API's deprecated `flavor`); still accepted,
         * with a warning. Changing it to the same value under `resourceFlavor` changes nothing. Replaces.
         */
        flavor: field(
            z.string({ error: "flavor must be a string such as Si2.large.4" }).min(1, "flavor must not be empty").max(128, "flavor must be at most 128 characters").optional(),
            { onChange: "replace", sameAs: "resourceFlavor", wire: onCreate("flavor") },
        ),
        /**
         * Image UUID. Changed in place through the API's change-OS: the server, its address and data
         * volumes are kept, the system disk is rebuilt (its data is lost). The server is stopped for
         * it, then brought back to `powerState`.
         */
        imageId: field(z.string(required("imageId", "the image UUID")).pipe(uuid("imageId")), {
            onChange: "update",
            updateNote: "changes in place through change-OS: the server is stopped, its SYSTEM DISK IS REBUILT (data on it is lost); its address and data volumes are kept",
            wire: { sent: { create: "image_id", changeOs: "image_id" }, reported: IMAGE("image_id"), identifies: "always" },
        }),
        /** VPC UUID (the API's `network.vpc_id`). Replaces. */
        vpcId: field(z.string(required("vpcId", "the VPC UUID")).pipe(uuid("vpcId")), {
            onChange: "replace",
            wire: { ...onCreate("network.vpc_id"), reported: "vpc_id", identifies: "always" },
        }),
        /** Subnet UUID (`network.subnet_id`). Replaces. */
        subnetId: field(z.string(required("subnetId", "the subnet UUID")).pipe(uuid("subnetId")), {
            onChange: "replace",
            wire: { ...onCreate("network.subnet_id"), reported: "subnet_id", identifies: "always" },
        }),
        /** Security group UUID (`network.security_group_id`). Replaces. */
        securityGroupId: field(z.string(required("securityGroupId", "the security group UUID")).pipe(uuid("securityGroupId")), {
            onChange: "replace",
            wire: onCreate("network.security_group_id"),
        }),
        /** Enable IPv6 (`network.ipv6_enable`). Replaces. */
        ipv6Enable: field(z.boolean({ error: "ipv6Enable must be true or false" }).optional(), {
            onChange: "replace",
            wire: { sent: { create: "network.ipv6_enable" } },
        }),
        /** RoCE network ID (`network.roce_id`). Replaces. */
        roceId: field(z.string({ error: "roceId must be a string" }).min(1, "roceId must not be empty").optional(), {
            onChange: "replace",
            wire: onCreate("network.roce_id"),
        }),
        /** HyperCluster ID (`network.hyper_cluster.id`, the SDK's ServerNetworkHyperCluster). Replaces. */
        hyperClusterId: field(z.string({ error: "hyperClusterId must be a string" }).min(1, "hyperClusterId must not be empty").max(64, "hyperClusterId must be at most 64 characters").optional(), {
            onChange: "replace",
            wire: onCreate("network.hyper_cluster.id"),
        }),
        /** Subnet of the HyperCluster (`network.hyper_cluster.hyper_cluster_subnet_id`); only with `hyperClusterId`. Replaces. */
        hyperClusterSubnetId: field(z.string({ error: "hyperClusterSubnetId must be a string" }).min(1, "hyperClusterSubnetId must not be empty").max(64, "hyperClusterSubnetId must be at most 64 characters").optional(), {
            onChange: "replace",
            wire: onCreate("network.hyper_cluster.hyper_cluster_subnet_id"),
        }),
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
            { onChange: "replace", secret: true, wire: { sent: { create: "admin_pass", ...OS_CALLS("admin_pass") } } },
        ),
        /** SSH key pair name; set exactly one of `adminPass` and `keyPairName`. Replaces. */
        keyPairName: field(
            z.string({ error: "keyPairName must be a string" }).regex(NAME, 'keyPairName must be 1 to 64 letters, digits, "-", "_" or "."').optional(),
            {
                onChange: "replace",
                wire: { sent: { create: "key_pair_name", ...OS_CALLS("key_pair_name") }, reported: "key_pair_name", identifies: "always" },
            },
        ),
        /** `ARM` or `X86`. Replaces. */
        arch: field(z.enum(["ARM", "X86"], { error: "arch must be ARM or X86" }).optional(), {
            onChange: "replace",
            wire: { ...onCreate("arch"), reported: IMAGE("arch"), identifies: "always" },
        }),
        /** `BMS`, `ECS` or `HPS` (Terraform's `type`). HPS needs `hpsClusterId` and a key pair. Replaces. */
        serverType: field(z.enum(["BMS", "ECS", "HPS"], { error: "serverType must be BMS, ECS or HPS" }).optional(), {
            onChange: "replace",
            wire: { ...onCreate("server_type"), reported: ["cloud_server.type", ...IMAGE("server_type")], identifies: "always" },
        }),
        /** The HPS cluster (UUID) of a `serverType: "HPS"` server; only with HPS. Replaces. */
        hpsClusterId: field(z.string({ error: "hpsClusterId must be a string" }).pipe(uuid("hpsClusterId")).optional(), {
            onChange: "replace",
            wire: onCreate("hps_cluster_id"),
        }),
        /** Availability zone, e.g. `cn-north-4a`. Replaces. */
        availabilityZone: field(
            z.string({ error: "availabilityZone must be a string such as cn-north-4a" }).min(1, "availabilityZone must not be empty").optional(),
            { onChange: "replace", wire: onCreate("availability_zone") },
        ),
        /** Enterprise project ID (`"0"` is the default project). Replaces. */
        enterpriseProjectId: field(
            z
                .string({ error: "enterpriseProjectId must be a string" })
                .refine((v) => v === "0" || UUID.test(v), 'enterpriseProjectId must be "0" (default project) or a UUID')
                .optional(),
            { onChange: "replace", wire: onCreate("enterprise_project_id") },
        ),
        /** System disk: `size` 100..1024 GB, `type` ESSD / GPSSD / SAS / SATA / SSD. Replaces. */
        rootVolume: field(rootVolumeSchema.optional(), { onChange: "replace", wire: onCreate("root_volume") }),
        /**
         * Data disks made with the server: `count` (1..8, default 1) disks of `size` GB (100..32768),
         * `type` ESSD / GPSSD / SAS / SATA / SSD. They belong to the server and go with it. Replaces.
         */
        dataVolume: field(dataVolumeSchema.optional(), { onChange: "replace", wire: onCreate("data_volume") }),
        /** `network.allowed_address_pairs`: `[{ ipAddress, macAddress? }]` (not 0.0.0.0/0). Replaces. */
        allowedAddressPairs: field(
            z.array(allowedAddressPairSchema, { error: "allowedAddressPairs must be a list of { ipAddress, macAddress? }" }).optional(),
            { onChange: "replace", wire: onCreate("network.allowed_address_pairs") },
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
            { onChange: "replace", secret: true, wire: { sent: { create: USER_DATA_KEYS, ...OS_CALLS("user_data") } } },
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
            wire: {
                ...onCreate("charging_info"),
                toWire: chargingInfoOnWire,
                // The API reports the mode alone; the period and payment settings stay as declared.
                reported: "charging_mode",
                fromWire: (mode) => ({ chargingMode: mode }),
                identifies: "always",
            },
        }),
        /** Declared power state, `RUNNING` (default) or `STOPPED`: the provider starts or stops the server to match. */
        powerState: field(z.enum(["RUNNING", "STOPPED"], { error: "powerState must be RUNNING or STOPPED" }).default("RUNNING"), {
            onChange: "update",
            wire: { reported: "status", fromWire: (status) => (status === "RUNNING" || status === "STOPPED" ? status : undefined) },
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
        if (v.hyperClusterSubnetId !== undefined && v.hyperClusterId === undefined) {
            issue("hyperClusterSubnetId", "hyperClusterSubnetId needs hyperClusterId: the subnet belongs to a HyperCluster", ["hyperClusterSubnetId", "hyperClusterId"]);
        }
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

