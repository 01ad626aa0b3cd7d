/**
 * Resolves credentials, region, project and endpoint at call time.
 *
 * Precedence: resource argument > stack config (`huaweicloud:*`) > environment. Nothing here is
 * captured by the serialized provider shims: the stack config arrives in the dynamic provider's
 * `configure` request (see `setStackConfig`) and the environment is read on every call.
 */
import { inspect } from "util";
import { ConfigError } from "./errors";
import { registerSecret } from "./log";

export { ConfigError };

/** What the dynamic provider's configure request hands us: full keys such as `huaweicloud:region`. */
export interface StackConfigSource {
    get(key: string): string | undefined;
}

export interface ConfigOverrides {
    region?: string;
    projectId?: string;
    endpoint?: string;
}

export type ConfigField =
    | "region"
    | "projectId"
    | "accessKey"
    | "secretKey"
    | "securityToken"
    | "endpoint"
    | "cloud"
    | "insecure"
    | "bssEndpoint"
    | "domainId"
    | "iamEndpoint";

/** Where a value came from, e.g. `resource argument "region"`, `stack config huaweicloud:region`, `env HW_REGION_NAME`. */
export type ConfigSources = Partial<Record<ConfigField, string>>;

interface FieldSpec {
    label: string;
    override?: keyof ConfigOverrides;
    stackKeys: string[];
    envKeys: string[];
    secret: boolean;
    /** Example commands shown when the value is missing. */
    howTo: string;
}

const FIELDS: Record<ConfigField, FieldSpec> = {
    region: {
        label: "region",
        override: "region",
        stackKeys: ["huaweicloud:region"],
        envKeys: ["HW_REGION_NAME"],
        secret: false,
        howTo: "`pulumi config set huaweicloud:region cn-north-4` or `export HW_REGION_NAME=cn-north-4`",
    },
    accessKey: {
        label: "access key",
        stackKeys: ["huaweicloud:accessKey", "huaweicloud:access_key"],
        envKeys: ["HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"],
        secret: true,
        howTo: "`pulumi config set --secret huaweicloud:accessKey <AK>` or `export HW_ACCESS_KEY=<AK>`",
    },
    secretKey: {
        label: "secret key",
        stackKeys: ["huaweicloud:secretKey", "huaweicloud:secret_key"],
        envKeys: ["HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"],
        secret: true,
        howTo: "`pulumi config set --secret huaweicloud:secretKey <SK>` or `export HW_SECRET_KEY=<SK>`",
    },
    projectId: {
        label: "project ID",
        override: "projectId",
        stackKeys: ["huaweicloud:projectId", "huaweicloud:project_id"],
        envKeys: ["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"],
        secret: false,
        howTo:
            "`pulumi config set huaweicloud:projectId <id>` or `export HW_PROJECT_ID=<id>` " +
            "(the project of your region, under 'My Credentials > Projects')",
    },
    securityToken: {
        label: "security token",
        stackKeys: ["huaweicloud:securityToken", "huaweicloud:security_token"],
        envKeys: ["HW_SECURITY_TOKEN"],
        secret: true,
        howTo: "",
    },
    cloud: {
        label: "cloud domain",
        stackKeys: ["huaweicloud:cloud"],
        envKeys: ["HW_CLOUD"],
        secret: false,
        howTo: "",
    },
    endpoint: {
        label: "ModelArts endpoint",
        override: "endpoint",
        stackKeys: ["huaweicloud:modelartsEndpoint"],
        envKeys: ["HW_MODELARTS_ENDPOINT"],
        secret: false,
        howTo: "",
    },
    // Terraform's huaweicloud provider: argument `insecure`, environment HW_INSECURE.
    insecure: {
        label: "insecure (skip TLS verification)",
        stackKeys: ["huaweicloud:insecure"],
        envKeys: ["HW_INSECURE"],
        secret: false,
        howTo: "",
    },
    bssEndpoint: {
        label: "BSS endpoint",
        stackKeys: ["huaweicloud:bssEndpoint"],
        envKeys: ["HW_BSS_ENDPOINT"],
        secret: false,
        howTo: "",
    },
    // The account's domain id, which the official SDKs' GlobalCredentials sign into every call of a
    // global service (X-Domain-Id): BSS here. Terraform's name is HW_DOMAIN_ID. When unset, it is
    // asked from IAM once per process (KeystoneListAuthDomains), as the SDKs do.
    domainId: {
        label: "domain (account) ID",
        stackKeys: ["huaweicloud:domainId", "huaweicloud:domain_id"],
        envKeys: ["HW_DOMAIN_ID", "HUAWEICLOUD_SDK_DOMAIN_ID"],
        secret: false,
        howTo: "",
    },
    // Where the domain id is asked when not configured; the SDKs' override is HUAWEICLOUD_SDK_IAM_ENDPOINT.
    iamEndpoint: {
        label: "IAM endpoint",
        stackKeys: ["huaweicloud:iamEndpoint"],
        envKeys: ["HW_IAM_ENDPOINT", "HUAWEICLOUD_SDK_IAM_ENDPOINT"],
        secret: false,
        howTo: "",
    },
};

/** Optional fields: no problem when missing. */
const OPTIONAL: ReadonlySet<ConfigField> = new Set<ConfigField>([
    "securityToken",
    "endpoint",
    "cloud",
    "insecure",
    "bssEndpoint",
    "domainId",
    "iamEndpoint",
]);

/** `true`/`false` as Pulumi and Terraform write them, plus 1/0 and yes/no; undefined when not a boolean. */
function parseBoolean(value: string): boolean | undefined {
    const v = value.trim().toLowerCase();
    if (v === "true" || v === "1" || v === "yes") return true;
    if (v === "false" || v === "0" || v === "no") return false;
    return undefined;
}

/** Loose check: `cn-north-4`, `ap-southeast-1`, `la-south-2`, `eu-west-101`, `emulator-local-1`. */
export const REGION_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/**
 * Regions whose ModelArts endpoint is not `modelarts.{region}.{cloud}`: the official SDKs' region
 * tables (huaweicloud-sdk-python-v3 / -go-v3 / -nodejs-v3, ModelArtsRegion) list Hong Kong under
 * `.cn`. Terraform's provider builds `.com` there; the SDKs are the vendor's own table, so they win.
 */
const ENDPOINT_EXCEPTIONS: Readonly<Record<string, string>> = {
    "ap-southeast-1": "https://modelarts.ap-southeast-1.myhuaweicloud.cn",
};

/**
 * The cloud domain of a region: `myhuaweicloud.eu` for the Europe regions (`eu-west-1xx`, as
 * Terraform's provider decides), `myhuaweicloud.com` elsewhere; `cloud` (Terraform's `cloud`
 * argument, HW_CLOUD) replaces it, e.g. for a dedicated cloud.
 */
export function cloudDomain(region: string, cloud?: string): string {
    if (cloud) return cloud;
    return region.startsWith("eu-west-1") ? "myhuaweicloud.eu" : "myhuaweicloud.com";
}

export function defaultEndpoint(region: string, cloud?: string): string {
    if (!cloud && ENDPOINT_EXCEPTIONS[region]) return ENDPOINT_EXCEPTIONS[region];
    return `https://modelarts.${region}.${cloudDomain(region, cloud)}`;
}

/** BSS (billing), China site: Terraform's global catalog entry `https://bss.{cloud}/`. */
export const BSS_ENDPOINT_CHINA = "https://bss.myhuaweicloud.com";
/** BSS, international site: Terraform switches here when the China site answers 403 CBC.0150 / CBC.0156. */
export const BSS_ENDPOINT_INTL = "https://bss-intl.myhuaweicloud.com";

/** 127.0.0.0/8, localhost, [::1]: a local emulator or tunnel. */
export function isLoopbackEndpoint(endpoint: string): boolean {
    let host: string;
    try {
        host = new URL(endpoint).hostname.toLowerCase();
    } catch {
        return false;
    }
    return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The default BSS endpoint, as Terraform's provider builds it for a global service: `https://bss.{cloud}`,
 * except the Europe regions (`eu-west-1xx`), where every service is regional: `https://bss.{region}.{cloud}`
 * (cloud `myhuaweicloud.eu` unless huaweicloud:cloud says otherwise). When the ModelArts endpoint is on a
 * loopback host (never a default: an override pointing at a local emulator or tunnel), BSS is the same
 * base URL: the emulator serves both.
 */
export function defaultBssEndpoint(region: string, cloud?: string, modelartsEndpoint?: string): string {
    if (modelartsEndpoint !== undefined && isLoopbackEndpoint(modelartsEndpoint)) return modelartsEndpoint.replace(/\/+$/, "");
    const domain = cloudDomain(region, cloud);
    return region.startsWith("eu-west-1") ? `https://bss.${region}.${domain}` : `https://bss.${domain}`;
}

/** IAM, the SDKs' default (huaweicloud-sdk-go-v3 core/auth/internal/iam_helper.go DefaultIamEndpoint). */
export const IAM_ENDPOINT_DEFAULT = "https://iam.myhuaweicloud.com";

/**
 * Where the domain id is asked when not configured (KeystoneListAuthDomains). As BSS: the same base
 * URL when the ModelArts endpoint is on loopback (the emulator serves IAM too); `https://iam.{cloud}`
 * for a cloud set with huaweicloud:cloud; the Europe regions' own `https://iam.{region}.myhuaweicloud.eu`;
 * otherwise the SDKs' global default.
 */
export function defaultIamEndpoint(region: string, cloud?: string, modelartsEndpoint?: string): string {
    if (modelartsEndpoint !== undefined && isLoopbackEndpoint(modelartsEndpoint)) return modelartsEndpoint.replace(/\/+$/, "");
    if (region.startsWith("eu-west-1")) return `https://iam.${region}.${cloudDomain(region, cloud)}`;
    return cloud ? `https://iam.${cloud}` : IAM_ENDPOINT_DEFAULT;
}

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

function lookup(
    field: ConfigField,
    overrides: ConfigOverrides,
    stack: StackConfigSource | undefined,
    env: NodeJS.ProcessEnv,
): { value?: string; source?: string; places: string[] } {
    const spec = FIELDS[field];
    const places: string[] = [];
    if (spec.override) {
        places.push(`resource argument "${spec.override}"`);
        const v = nonEmpty(overrides[spec.override]);
        if (v) return { value: v, source: `resource argument "${spec.override}"`, places };
    }
    for (const key of spec.stackKeys) {
        places.push(`stack config ${key}`);
        const v = stack ? nonEmpty(stack.get(key)) : undefined;
        if (v) return { value: v, source: `stack config ${key}`, places };
    }
    for (const key of spec.envKeys) {
        places.push(`env ${key}`);
        const v = nonEmpty(env[key]);
        if (v) return { value: v, source: `env ${key}`, places };
    }
    return { places };
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

    for (const field of Object.keys(FIELDS) as ConfigField[]) {
        const spec = FIELDS[field];
        const found = lookup(field, overrides, stack, env);
        if (found.value !== undefined) {
            values[field] = found.value;
            sources[field] = found.source;
            if (spec.secret) registerSecret(found.value);
        } else if (!OPTIONAL.has(field)) {
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

    let endpoint = values.endpoint;
    if (endpoint !== undefined) {
        const error = endpointProblem(endpoint);
        if (error) problems.push(`ModelArts endpoint from ${sources.endpoint} ${error}`);
        endpoint = endpoint.replace(/\/+$/, "");
    } else if (values.region !== undefined) {
        endpoint = defaultEndpoint(values.region, values.cloud);
        sources.endpoint = `default for region ${values.region}` + (values.cloud ? ` in cloud ${values.cloud} (${sources.cloud})` : "");
    }

    let bssEndpoint = values.bssEndpoint;
    if (bssEndpoint !== undefined) {
        const error = endpointProblem(bssEndpoint);
        if (error) problems.push(`BSS endpoint from ${sources.bssEndpoint} ${error}`);
        bssEndpoint = bssEndpoint.replace(/\/+$/, "");
    } else if (values.region !== undefined && endpoint !== undefined) {
        bssEndpoint = defaultBssEndpoint(values.region, values.cloud, endpoint);
        sources.bssEndpoint = isLoopbackEndpoint(endpoint)
            ? `the loopback ModelArts endpoint (${sources.endpoint})`
            : `default for region ${values.region}` + (values.cloud ? ` in cloud ${values.cloud} (${sources.cloud})` : "");
    }

    let iamEndpoint = values.iamEndpoint;
    if (iamEndpoint !== undefined) {
        // The SDKs accept a host without a scheme in HUAWEICLOUD_SDK_IAM_ENDPOINT and add https://.
        if (!/^[a-z]+:\/\//i.test(iamEndpoint)) iamEndpoint = `https://${iamEndpoint}`;
        const error = endpointProblem(iamEndpoint);
        if (error) problems.push(`IAM endpoint from ${sources.iamEndpoint} ${error}`);
        iamEndpoint = iamEndpoint.replace(/\/+$/, "");
    } else if (values.region !== undefined && endpoint !== undefined) {
        iamEndpoint = defaultIamEndpoint(values.region, values.cloud, endpoint);
        sources.iamEndpoint = isLoopbackEndpoint(endpoint) ? `the loopback ModelArts endpoint (${sources.endpoint})` : "default";
    }

    if (missing.length > 0 || problems.length > 0) {
        throw new ConfigError([...missing.map(missingProblem), ...problems], missingHelp(missing));
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
    });
}

/** One short line per missing value: what, and the config keys / environment variables it is read from. */
function missingProblem(field: ConfigField): string {
    const spec = FIELDS[field];
    const where = [...(spec.override ? [`resource argument ${spec.override}`] : []), ...spec.stackKeys, ...spec.envKeys];
    return `${spec.label} not set (${where.join(", ")})`;
}

/** How to set the missing values: one command line per value. */
function missingHelp(missing: ConfigField[]): string[] {
    return missing.map((f) => FIELDS[f].howTo);
}

function endpointProblem(endpoint: string): string | undefined {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return "is not a URL (expected e.g. https://modelarts.cn-north-4.myhuaweicloud.com)";
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return `must be an http(s) URL, not ${url.protocol}`;
    if (url.search || url.hash) return "must not have a query string or fragment";
    if (url.username || url.password) return "must not contain credentials";
    return undefined;
}
