import * as pulumi from "@pulumi/pulumi";
import { devServerShim } from "./shims";

/** Timeouts for the long operations, e.g. `{ create: "45m" }` ("1h30m", "90s" or seconds). */
export interface Timeouts {
    create?: pulumi.Input<string | number>;
    update?: pulumi.Input<string | number>;
    delete?: pulumi.Input<string | number>;
}

export interface DevServerArgs {
    /** Server name, `^[-_.a-zA-Z0-9]{1,64}$`. Changed in place. */
    name: pulumi.Input<string>;
    /** Flavor name, e.g. `Si2.large.4`. Changing it replaces the server. */
    flavor: pulumi.Input<string>;
    /** Image UUID. Changing it replaces the server. */
    imageId: pulumi.Input<string>;
    /** VPC UUID (the API's `network.vpc_id`). Replaces. */
    vpcId: pulumi.Input<string>;
    /** Subnet UUID (`network.subnet_id`). Replaces. */
    subnetId: pulumi.Input<string>;
    /** Security group UUID (`network.security_group_id`). Replaces. */
    securityGroupId: pulumi.Input<string>;
    /** Enable IPv6 (`network.ipv6_enable`). Replaces. */
    ipv6Enable?: pulumi.Input<boolean>;
    /** RoCE network ID (`network.roce_id`). Replaces. */
    roceId?: pulumi.Input<string>;
    /**
     * Login password; set exactly one of `adminPass` and `keyPairName`. 8 to 26 characters, three of
     * upper, lower, digits and `!@%-_=+[{}]:,./?`, not containing root/administrator or their reverse.
     * Always stored as a secret; the provider's state keeps only a salted digest. Replaces.
     */
    adminPass?: pulumi.Input<string>;
    /** SSH key pair name; set exactly one of `adminPass` and `keyPairName`. Replaces. */
    keyPairName?: pulumi.Input<string>;
    /** `ARM` or `X86`. Replaces. */
    arch?: pulumi.Input<"ARM" | "X86">;
    /** `BMS` or `ECS`. Replaces. */
    serverType?: pulumi.Input<"BMS" | "ECS">;
    /** Availability zone, e.g. `cn-north-4a`. Replaces. */
    availabilityZone?: pulumi.Input<string>;
    /** Enterprise project ID (`"0"` is the default project). Replaces. */
    enterpriseProjectId?: pulumi.Input<string>;
    /** System disk. Replaces. */
    rootVolume?: pulumi.Input<{
        size?: pulumi.Input<number>;
        type?: pulumi.Input<"ESSD" | "GPSSD" | "SAS" | "SATA" | "SSD">;
    }>;
    /** User data passed to the server at creation. Always a secret; state keeps only a digest. Replaces. */
    userData?: pulumi.Input<string>;
    /** Billing. `PRE_PAID` needs `periodType` and `periodNum`. Replaces. */
    chargingInfo?: pulumi.Input<{
        chargingMode: pulumi.Input<"COMMON" | "POST_PAID" | "PRE_PAID">;
        periodType?: pulumi.Input<"ABSOLUTE" | "DAY" | "HOUR" | "MONTH" | "WEEK" | "YEAR">;
        periodNum?: pulumi.Input<number>;
        isAutoPay?: pulumi.Input<boolean>;
        isAutoRenew?: pulumi.Input<boolean>;
    }>;
    /** Declared power state, `RUNNING` (default) or `STOPPED`: the provider starts or stops the server to match. */
    powerState?: pulumi.Input<"RUNNING" | "STOPPED">;
    /** Region for this resource, overriding `huaweicloud:region` / `HW_REGION_NAME`. Replaces. */
    region?: pulumi.Input<string>;
    /** Project ID for this resource, overriding `huaweicloud:projectId` / `HW_PROJECT_ID`. Replaces. */
    projectId?: pulumi.Input<string>;
    /** Operation timeouts. Pulumi's `customTimeouts` does not reach dynamic providers; this does. */
    timeouts?: pulumi.Input<Timeouts>;
}

/** Secret inputs: wrapped as secrets on the way in, and never returned in plain outputs. */
export const SECRET_INPUTS = ["adminPass", "userData"] as const;

/** Outputs a DevServer reports besides its inputs. */
export const COMPUTED_OUTPUTS = [
    "status", "createdAt", "updatedAt", "chargingMode", "orderId", "cloudServer", "image", "endpoints",
    "category", "serverHps", "adminPassDigest", "userDataDigest", "stateVersion",
] as const;

/**
 * A ModelArts DevServer: created and awaited until RUNNING, renamed in place, started or stopped
 * to match `powerState`, replaced when an immutable field changes, deleted and awaited until gone.
 *
 * The `import` resource option adopts an existing server: it must match this declaration in every
 * immutable field the API reports; its name and power state are then brought to the declared ones.
 */
export class DevServer extends pulumi.dynamic.Resource {
    declare public readonly name: pulumi.Output<string>;
    declare public readonly flavor: pulumi.Output<string>;
    declare public readonly imageId: pulumi.Output<string>;
    declare public readonly vpcId: pulumi.Output<string>;
    declare public readonly subnetId: pulumi.Output<string>;
    declare public readonly securityGroupId: pulumi.Output<string | undefined>;
    declare public readonly keyPairName: pulumi.Output<string | undefined>;
    declare public readonly arch: pulumi.Output<string | undefined>;
    declare public readonly serverType: pulumi.Output<string | undefined>;
    declare public readonly powerState: pulumi.Output<"RUNNING" | "STOPPED">;
    declare public readonly region: pulumi.Output<string>;
    declare public readonly projectId: pulumi.Output<string>;
    /** Live status: RUNNING, STOPPED, CREATING, ... */
    declare public readonly status: pulumi.Output<string>;
    /** ISO 8601 creation time. */
    declare public readonly createdAt: pulumi.Output<string>;
    /** ISO 8601 time of the last change. */
    declare public readonly updatedAt: pulumi.Output<string>;
    declare public readonly chargingMode: pulumi.Output<string | undefined>;
    /** Order ID of a PRE_PAID server. */
    declare public readonly orderId: pulumi.Output<string | undefined>;
    declare public readonly cloudServer: pulumi.Output<{ id?: string; type?: string } | undefined>;
    declare public readonly image: pulumi.Output<
        { arch?: string; imageId?: string; name?: string; serverType?: string; status?: string } | undefined
    >;
    /** Access endpoints, e.g. `[{ service: "SSH", uri: "192.168.0.12" }]`. */
    declare public readonly endpoints: pulumi.Output<Array<{ service?: string; uri?: string; [k: string]: unknown }>>;
    /** HPS / SPOD / SERVER. */
    declare public readonly category: pulumi.Output<string | undefined>;

    constructor(name: string, args: DevServerArgs, opts?: pulumi.CustomResourceOptions) {
        const { import: importId, ...resourceOptions } = opts ?? {};
        const props: Record<string, unknown> = { ...args };
        // Pulumi's engine cannot import through a dynamic provider (pulumi/pulumi#16175): the
        // provider adopts the server in create instead, checking it matches this declaration.
        if (importId !== undefined) props.importId = importId;
        for (const key of SECRET_INPUTS) {
            if (args[key] !== undefined) props[key] = pulumi.secret(args[key]);
        }
        for (const key of COMPUTED_OUTPUTS) props[key] = undefined;
        super(
            devServerShim,
            name,
            props,
            { ...resourceOptions, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_INPUTS] },
            "modelarts",
            "DevServer",
        );
    }
}
