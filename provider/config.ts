/**
 * Resolves credentials, region, project and endpoint at call time.
 *
 * Precedence: resource argument > stack config (`huaweicloud:*`) > environment. Nothing here is
 * captured by the serialized provider shims: the stack config arrives in the dynamic provider's
 * `configure` request (see `setStackConfig`) and the environment is read on every call.
 */
import { inspect } from "util";
import { ConfigError } from "./errors";
import { defaultBssEndpoint, defaultEndpoint, defaultIamEndpoint, endpointProblem, isLoopbackEndpoint } from "./endpoints";
import { registerSecret } from "./log";

export { ConfigError };

/**
 * Where the stack configuration comes from, and its namespace: `huaweicloud` for the dynamic
 * resources (full keys such as `huaweicloud:region` from their configure request), `modelarts` for
 * the provider plugin (its own package's keys). Messages name the keys in this namespace.
 */
export interface StackConfigSource {
    /** Default `huaweicloud` (DEFAULT_NAMESPACE). */
    readonly namespace?: string;
    get(key: string): string | undefined;
}

/** The dynamic resources' namespace: the key names Terraform's huaweicloud provider users know. */
export const DEFAULT_NAMESPACE = "huaweicloud";

export interface ConfigOverrides {
    region?: string;
    projectId?: string;
    endpoint?: string;
}

/** One configuration setting: read by the resolver, offered by the plugin (CheckConfig, schema `config`). */
export interface ConfigSetting {
    /** The key in the namespace (`huaweicloud:<name>`, `modelarts:<name>`). */
    name: string;
    /** The snake_case spelling also accepted. */
    alias?: string;
    /** What messages call it. */
    label: string;
    /** Environment variables, in precedence order, after the stack configuration. */
    env: string[];
    /** The resource argument that overrides it. */
    override?: keyof ConfigOverrides;
    type: "string" | "boolean";
    secret: boolean;
    /** Missing is a problem; a missing setting's help shows `example` in a command line. */
    required?: { example: string; note?: string };
    /** The plugin schema's description (its environment variables are appended there). */
    description: string;
}

/**
 * Every setting, in the order the plugin's schema lists them. The one list: the dynamic resources'
 * `huaweicloud:*`, the plugin's `modelarts:*` and the environment all come from it.
 */
export const CONFIG_SETTINGS = {
    region: {
        name: "region", label: "region", env: ["HW_REGION_NAME"], override: "region", type: "string", secret: false,
        required: { example: "cn-north-4" }, description: "Huawei Cloud region, e.g. `cn-north-4`.",
    },
    projectId: {
        name: "projectId", alias: "project_id", label: "project ID", env: ["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"],
        override: "projectId", type: "string", secret: false,
        required: { example: "<id>", note: "the project of your region, under 'My Credentials > Projects'" },
        description: "Project ID of the region (32 hexadecimal characters).",
    },
    accessKey: {
        name: "accessKey", alias: "access_key", label: "access key", env: ["HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"], type: "string",
        secret: true, required: { example: "<AK>" }, description: "Access key (AK). Set it with `pulumi config set --secret`.",
    },
    secretKey: {
        name: "secretKey", alias: "secret_key", label: "secret key", env: ["HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"], type: "string",
        secret: true, required: { example: "<SK>" }, description: "Secret key (SK). Set it with `pulumi config set --secret`.",
    },
    securityToken: {
        name: "securityToken", alias: "security_token", label: "security token", env: ["HW_SECURITY_TOKEN"], type: "string",
        secret: true, description: "Security token of temporary credentials.",
    },
    endpoint: {
        name: "modelartsEndpoint", label: "ModelArts endpoint", env: ["HW_MODELARTS_ENDPOINT"], override: "endpoint", type: "string",
        secret: false, description: "ModelArts endpoint override; default `https://modelarts.{region}.myhuaweicloud.com`.",
    },
    bssEndpoint: {
        name: "bssEndpoint", label: "BSS endpoint", env: ["HW_BSS_ENDPOINT"], type: "string", secret: false,
        description: "BSS (billing) endpoint override, for PRE_PAID servers.",
    },
    // The account's domain id, which the official SDKs' GlobalCredentials sign into every call of a
    // global service (X-Domain-Id): BSS here. Terraform's name is HW_DOMAIN_ID. When unset, it is
    // asked from IAM once per process (KeystoneListAuthDomains), as the SDKs do.
    domainId: {
        name: "domainId", alias: "domain_id", label: "domain (account) ID", env: ["HW_DOMAIN_ID", "HUAWEICLOUD_SDK_DOMAIN_ID"],
        type: "string", secret: false,
        description: "Account (domain) ID, signed into BSS calls as `X-Domain-Id`; asked from IAM once when unset.",
    },
    // Where the domain id is asked when not configured; the SDKs' override is HUAWEICLOUD_SDK_IAM_ENDPOINT.
    iamEndpoint: {
        name: "iamEndpoint", label: "IAM endpoint", env: ["HW_IAM_ENDPOINT", "HUAWEICLOUD_SDK_IAM_ENDPOINT"], type: "string",
        secret: false,
        description: "IAM endpoint the domain ID is asked from when `domainId` is unset; default `https://iam.myhuaweicloud.com`.",
    },
    cloud: {
        name: "cloud", label: "cloud domain", env: ["HW_CLOUD"], type: "string", secret: false,
        description: "Cloud domain replacing `myhuaweicloud.com` (Terraform's `cloud`).",
    },
    // Terraform's huaweicloud provider: argument `insecure`, environment HW_INSECURE.
    insecure: {
        name: "insecure", label: "insecure (skip TLS verification)", env: ["HW_INSECURE"], type: "boolean", secret: false,
        description: "Skip TLS certificate verification of the endpoints (default false).",
    },
} as const satisfies Record<string, ConfigSetting>;

export type ConfigField = keyof typeof CONFIG_SETTINGS;
const FIELDS = Object.keys(CONFIG_SETTINGS) as ConfigField[];
const setting = (field: ConfigField): ConfigSetting => CONFIG_SETTINGS[field];

/** Where a value came from, e.g. `resource argument "region"`, `stack config huaweicloud:region`, `env HW_REGION_NAME`. */
export type ConfigSources = Partial<Record<ConfigField, string>>;

/** The stack configuration keys of a setting in a namespace: `huaweicloud:accessKey`, `huaweicloud:access_key`. */
export function configKeys(field: ConfigField, namespace: string = DEFAULT_NAMESPACE): string[] {
    const s = setting(field);
    return [s.name, ...(s.alias ? [s.alias] : [])].map((k) => `${namespace}:${k}`);
}

/** A setting as messages name it: `huaweicloud:bssEndpoint (HW_BSS_ENDPOINT)`. */
export function settingName(field: ConfigField, namespace: string = DEFAULT_NAMESPACE): string {
    return `${configKeys(field, namespace)[0]} (${setting(field).env[0]})`;
}

/** `true`/`false` as Pulumi and Terraform write them, plus 1/0 and yes/no; undefined when not a boolean. */
export function parseBoolean(value: string): boolean | undefined {
    const v = value.trim().toLowerCase();
    if (v === "true" || v === "1" || v === "yes") return true;
    if (v === "false" || v === "0" || v === "no") return false;
    return undefined;
}

/**
 * What a region looks like, for the configuration and for a resource's `region` input alike: every
 * region of the official SDKs' tables is `<area>-<place>-<number>` (`cn-north-4`, `ap-southeast-1`,
 * `eu-west-101`, `my-kualalumpur-1`).
 */
export const REGION_PATTERN = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

/**
 * The resolved configuration. `accessKey`, `secretKey` and `securityToken` are non-enumerable and left out of
 * `toJSON`, `toString` and `util.inspect`, so logging or serializing this object never shows them.
 */
export class ResolvedConfig {
    readonly region!: string;
    readonly projectId!: string;
    readonly endpoint!: string;
    /** TLS certificate verification of the endpoint is off (`huaweicloud:insecure` / `HW_INSECURE`). */
    readonly insecure!: boolean;
    /** BSS (billing) endpoint, for prepaid resources; see `defaultBssEndpoint`. */
    readonly bssEndpoint!: string;
    /** The account's domain id when configured (huaweicloud:domainId / HW_DOMAIN_ID); otherwise asked from IAM. */
    readonly domainId!: string | undefined;
    /** Where the domain id is asked when not configured; see `defaultIamEndpoint`. */
    readonly iamEndpoint!: string;
    declare readonly accessKey: string;
    declare readonly secretKey: string;
    declare readonly securityToken: string | undefined;
    readonly sources!: ConfigSources;
    /** The namespace the stack configuration was read from: messages name its keys. */
    readonly namespace!: string;

    constructor(values: {
        region: string;
        projectId: string;
        endpoint: string;
        /** Default: `defaultBssEndpoint(region, undefined, endpoint)`. */
        bssEndpoint?: string;
        domainId?: string;
        /** Default: `defaultIamEndpoint(region, undefined, endpoint)`. */
        iamEndpoint?: string;
        accessKey: string;
        secretKey: string;
        securityToken?: string;
        insecure?: boolean;
        sources: ConfigSources;
        /** Default DEFAULT_NAMESPACE. */
        namespace?: string;
    }) {
        Object.defineProperty(this, "region", { value: values.region, enumerable: true });
        Object.defineProperty(this, "projectId", { value: values.projectId, enumerable: true });
        Object.defineProperty(this, "endpoint", { value: values.endpoint, enumerable: true });
        Object.defineProperty(this, "insecure", { value: values.insecure === true, enumerable: true });
        const bssEndpoint = values.bssEndpoint ?? defaultBssEndpoint(values.region, undefined, values.endpoint);
        Object.defineProperty(this, "bssEndpoint", { value: bssEndpoint, enumerable: true });
        Object.defineProperty(this, "domainId", { value: values.domainId, enumerable: true });
        const iamEndpoint = values.iamEndpoint ?? defaultIamEndpoint(values.region, undefined, values.endpoint);
        Object.defineProperty(this, "iamEndpoint", { value: iamEndpoint, enumerable: true });
        Object.defineProperty(this, "accessKey", { value: values.accessKey, enumerable: false });
        Object.defineProperty(this, "secretKey", { value: values.secretKey, enumerable: false });
        Object.defineProperty(this, "securityToken", { value: values.securityToken, enumerable: false });
        Object.defineProperty(this, "sources", { value: Object.freeze({ ...values.sources }), enumerable: true });
        Object.defineProperty(this, "namespace", { value: values.namespace ?? DEFAULT_NAMESPACE, enumerable: true });
    }

    /** A setting as messages name it, in this configuration's namespace: `modelarts:bssEndpoint (HW_BSS_ENDPOINT)`. */
    setting(field: ConfigField): string {
        return settingName(field, this.namespace);
    }

    /** Public, safe-to-print view (no secret key, no token; the access key is masked). */
    toJSON(): Record<string, unknown> {
        return {
            region: this.region,
            projectId: this.projectId,
            endpoint: this.endpoint,
            insecure: this.insecure,
            bssEndpoint: this.bssEndpoint,
            domainId: this.domainId,
            iamEndpoint: this.iamEndpoint,
            accessKey: maskKey(this.accessKey),
            temporaryCredentials: !!this.securityToken,
            sources: this.sources,
        };
    }

    toString(): string {
        return `ModelArts config (region ${this.region}, project ${this.projectId}, endpoint ${this.endpoint}, ` +
            `access key ${maskKey(this.accessKey)} from ${this.sources.accessKey ?? "?"})`;
    }

    [inspect.custom](): string {
        return this.toString();
    }
}

function maskKey(value: string): string {
    return value.length <= 4 ? "****" : `${value.slice(0, 2)}****${value.slice(-2)}`;
}

let stackConfig: StackConfigSource | undefined;

/** Called by the provider's `configure()` with the stack config of the current run. */
export function setStackConfig(src: StackConfigSource | undefined): void {
    stackConfig = src;
}

export function getStackConfig(): StackConfigSource | undefined {
    return stackConfig;
}

function nonEmpty(v: string | undefined | null): string | undefined {
    if (v === undefined || v === null) return undefined;
    const t = String(v).trim();
    return t === "" ? undefined : t;
}

/** The first value of a setting: resource argument > stack config > environment. */
function lookup(
    field: ConfigField,
    overrides: ConfigOverrides,
    stack: StackConfigSource | undefined,
    env: NodeJS.ProcessEnv,
): { value: string; source: string } | undefined {
    const spec = setting(field);
    const override = spec.override && nonEmpty(overrides[spec.override]);
    if (override) return { value: override, source: `resource argument "${spec.override}"` };
    for (const key of configKeys(field, stack?.namespace)) {
        const v = stack ? nonEmpty(stack.get(key)) : undefined;
        if (v) return { value: v, source: `stack config ${key}` };
    }
    for (const key of spec.env) {
        const v = nonEmpty(env[key]);
        if (v) return { value: v, source: `env ${key}` };
    }
    return undefined;
}

/**
 * Resolves the configuration, or throws ONE ConfigError listing every missing or invalid item,
 * where each was looked for and how to set it.
 */
export function resolveConfig(
    overrides: ConfigOverrides = {},
    stack: StackConfigSource | undefined = getStackConfig(),
    env: NodeJS.ProcessEnv = process.env,
): ResolvedConfig {
    const problems: string[] = [];
    const missing: ConfigField[] = [];
    const sources: ConfigSources = {};
    const values: Partial<Record<ConfigField, string>> = {};

    for (const field of FIELDS) {
        const found = lookup(field, overrides, stack, env);
        if (found) {
            values[field] = found.value;
            sources[field] = found.source;
            if (setting(field).secret) registerSecret(found.value);
        } else if (setting(field).required) {
            missing.push(field);
        }
    }

    let insecure = false;
    if (values.insecure !== undefined) {
        const parsed = parseBoolean(values.insecure);
        if (parsed === undefined) problems.push(`insecure ${JSON.stringify(values.insecure)} from ${sources.insecure} is not true or false`);
        else insecure = parsed;
    }

    if (values.region !== undefined && !REGION_PATTERN.test(values.region)) {
        problems.push(
            `region ${JSON.stringify(values.region)} from ${sources.region} does not look like a region ` +
                "(expected e.g. cn-north-4 or ap-southeast-1)",
        );
    }

    // An endpoint configured: checked, without trailing slashes. Otherwise the region's default.
    const configured = (field: "endpoint" | "bssEndpoint" | "iamEndpoint", url: string): string => {
        const error = endpointProblem(url);
        if (error) problems.push(`${setting(field).label} from ${sources[field]} ${error}`);
        return url.replace(/\/+$/, "");
    };
    const regionDefault = `default for region ${values.region}` + (values.cloud ? ` in cloud ${values.cloud} (${sources.cloud})` : "");
    let endpoint = values.endpoint;
    if (endpoint !== undefined) endpoint = configured("endpoint", endpoint);
    else if (values.region !== undefined) {
        endpoint = defaultEndpoint(values.region, values.cloud);
        sources.endpoint = regionDefault;
    }
    const loopback = endpoint !== undefined && isLoopbackEndpoint(endpoint) ? `the loopback ModelArts endpoint (${sources.endpoint})` : undefined;

    let bssEndpoint = values.bssEndpoint;
    if (bssEndpoint !== undefined) bssEndpoint = configured("bssEndpoint", bssEndpoint);
    else if (values.region !== undefined && endpoint !== undefined) {
        bssEndpoint = defaultBssEndpoint(values.region, values.cloud, endpoint);
        sources.bssEndpoint = loopback ?? regionDefault;
    }

    let iamEndpoint = values.iamEndpoint;
    // The SDKs accept a host without a scheme in HUAWEICLOUD_SDK_IAM_ENDPOINT and add https://.
    if (iamEndpoint !== undefined) iamEndpoint = configured("iamEndpoint", /^[a-z]+:\/\//i.test(iamEndpoint) ? iamEndpoint : `https://${iamEndpoint}`);
    else if (values.region !== undefined && endpoint !== undefined) {
        iamEndpoint = defaultIamEndpoint(values.region, values.cloud, endpoint);
        sources.iamEndpoint = loopback ?? "default";
    }

    if (missing.length > 0 || problems.length > 0) {
        const namespace = stack?.namespace ?? DEFAULT_NAMESPACE;
        throw new ConfigError(
            [...missing.map((f) => missingProblem(f, namespace)), ...problems],
            missing.map((f) => howToSet(f, namespace)),
        );
    }

    return new ResolvedConfig({
        region: values.region!,
        projectId: values.projectId!,
        endpoint: endpoint!,
        bssEndpoint,
        domainId: values.domainId,
        iamEndpoint,
        accessKey: values.accessKey!,
        secretKey: values.secretKey!,
        securityToken: values.securityToken,
        insecure,
        sources,
        namespace: stack?.namespace,
    });
}

/** One short line per missing value: what, and the config keys / environment variables it is read from. */
function missingProblem(field: ConfigField, namespace: string): string {
    const spec = setting(field);
    const where = [...(spec.override ? [`resource argument ${spec.override}`] : []), ...configKeys(field, namespace), ...spec.env];
    return `${spec.label} not set (${where.join(", ")})`;
}

/** How to set a missing value: `pulumi config set [--secret] <ns>:<key> <example>` or `export <ENV>=<example>`. */
function howToSet(field: ConfigField, namespace: string): string {
    const spec = setting(field);
    const example = spec.required?.example ?? "<value>";
    const note = spec.required?.note ? ` (${spec.required.note})` : "";
    return `\`pulumi config set ${spec.secret ? "--secret " : ""}${configKeys(field, namespace)[0]} ${example}\` or \`export ${spec.env[0]}=${example}\`${note}`;
}
