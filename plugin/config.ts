/**
 * Provider configuration of the plugin.
 *
 * The engine hands a provider plugin the configuration of its own package namespace only: for this
 * plugin `modelarts:*` (`pulumi config set modelarts:region cn-north-4`, or the properties of an
 * explicit `pulumi:providers:modelarts` resource). The Configure request carries it twice: `args`
 * (property names, e.g. `region`, secrets possibly wrapped) and `variables` (`modelarts:region`;
 * older engines wrote `modelarts:config:region`). The key names are the ones users already have in
 * the `huaweicloud:` namespace of the dynamic resources, so each `modelarts:<key>` is handed to the
 * one resolver (provider/config.ts) as `huaweicloud:<key>`: resource argument > provider
 * configuration > HW_* / HUAWEICLOUD_SDK_* environment, unchanged.
 */
import type { StackConfigSource } from "../provider/config";

export const PACKAGE = "modelarts";

export interface ConfigKey {
    name: string;
    /** The snake_case spelling also accepted (as for `huaweicloud:`). */
    alias?: string;
    type: "string" | "boolean";
    secret: boolean;
    env: string[];
    description: string;
}

/** The configuration keys, as `huaweicloud:` has them for the dynamic resources (README "Configuration"). */
export const CONFIG_KEYS: readonly ConfigKey[] = [
    { name: "region", type: "string", secret: false, env: ["HW_REGION_NAME"], description: "Huawei Cloud region, e.g. `cn-north-4`." },
    { name: "projectId", alias: "project_id", type: "string", secret: false, env: ["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"], description: "Project ID of the region (32 hexadecimal characters)." },
    { name: "accessKey", alias: "access_key", type: "string", secret: true, env: ["HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"], description: "Access key (AK). Set it with `pulumi config set --secret`." },
    { name: "secretKey", alias: "secret_key", type: "string", secret: true, env: ["HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"], description: "Secret key (SK). Set it with `pulumi config set --secret`." },
    { name: "securityToken", alias: "security_token", type: "string", secret: true, env: ["HW_SECURITY_TOKEN"], description: "Security token of temporary credentials." },
    { name: "modelartsEndpoint", type: "string", secret: false, env: ["HW_MODELARTS_ENDPOINT"], description: "ModelArts endpoint override; default `https://modelarts.{region}.myhuaweicloud.com`." },
    { name: "bssEndpoint", type: "string", secret: false, env: ["HW_BSS_ENDPOINT"], description: "BSS (billing) endpoint override, for PRE_PAID servers." },
    { name: "domainId", alias: "domain_id", type: "string", secret: false, env: ["HW_DOMAIN_ID", "HUAWEICLOUD_SDK_DOMAIN_ID"], description: "Account (domain) ID, signed into BSS calls as `X-Domain-Id`; asked from IAM once when unset." },
    { name: "iamEndpoint", type: "string", secret: false, env: ["HW_IAM_ENDPOINT", "HUAWEICLOUD_SDK_IAM_ENDPOINT"], description: "IAM endpoint the domain ID is asked from when `domainId` is unset; default `https://iam.myhuaweicloud.com`." },
    { name: "cloud", type: "string", secret: false, env: ["HW_CLOUD"], description: "Cloud domain replacing `myhuaweicloud.com` (Terraform's `cloud`)." },
    { name: "insecure", type: "boolean", secret: false, env: ["HW_INSECURE"], description: "Skip TLS certificate verification of the endpoints (default false)." },
];

/** Keys the engine itself may add to a provider's configuration. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(v: unknown): v is { value: unknown } {
    return !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** Removes the engine's secret wrappers, deeply; `secretKeys` collects the top-level keys that were secret. */
export function unwrapSecrets(value: unknown, secretKeys?: Set<string>, key?: string): unknown {
    if (isSecretValue(value)) {
        if (secretKeys && key !== undefined) secretKeys.add(key);
        return unwrapSecrets(value.value);
    }
    if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v));
    if (value && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = unwrapSecrets(v, secretKeys, secretKeys ? k : undefined);
        return out;
    }
    return value;
}

export function wrapSecret(value: unknown): unknown {
    return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** `modelarts:region`, `modelarts:config:region` or `region` -> `region`; undefined for another namespace. */
function keyName(key: string): string | undefined {
    const parts = key.split(":");
    if (parts.length === 1) return key;
    if (parts[0] !== PACKAGE) return undefined;
    return parts[parts.length - 1];
}

function known(name: string): ConfigKey | undefined {
    return CONFIG_KEYS.find((k) => k.name === name || k.alias === name);
}

/** Configuration values by key name, from a Configure request's `args` and `variables`. */
export function configValues(args: Record<string, unknown> | undefined, variables: Iterable<[string, string]>): Map<string, string> {
    const values = new Map<string, string>();
    for (const [k, v] of variables) {
        const name = keyName(k);
        if (name !== undefined && v !== undefined && v !== null) values.set(name, String(v));
    }
    for (const [k, raw] of Object.entries(args ?? {})) {
        const v = unwrapSecrets(raw);
        if (v === undefined || v === null || typeof v === "object") continue;
        values.set(k, String(v));
    }
    for (const k of ENGINE_KEYS) values.delete(k);
    return values;
}

/** The resolver's view: `huaweicloud:<key>` answered from the provider's `modelarts:<key>`. */
export function stackConfigSource(values: Map<string, string>): StackConfigSource {
    return {
        get(key: string): string | undefined {
            const [ns, name] = key.split(":");
            if (ns !== "huaweicloud" || name === undefined) return undefined;
            return values.get(name);
        },
    };
}

/** CheckConfig: a failure per key of the wrong type or unknown to this provider, each saying what to do. */
export function checkConfig(news: Record<string, unknown>): Array<{ property: string; reason: string }> {
    const failures: Array<{ property: string; reason: string }> = [];
    for (const [k, raw] of Object.entries(news)) {
        if (ENGINE_KEYS.has(k) || k.startsWith("__")) continue;
        const spec = known(k);
        const v = unwrapSecrets(raw);
        if (!spec) {
            failures.push({
                property: k,
                reason: `${PACKAGE}:${k} is not a configuration key of the modelarts provider; known keys: ${CONFIG_KEYS.map((c) => c.name).join(", ")}`,
            });
            continue;
        }
        if (v === undefined || v === null) continue;
        if (spec.type === "boolean") {
            if (typeof v !== "boolean" && !/^(true|false|1|0|yes|no)$/i.test(String(v))) {
                failures.push({ property: k, reason: `${PACKAGE}:${k} must be true or false` });
            }
        } else if (typeof v !== "string") {
            failures.push({ property: k, reason: `${PACKAGE}:${k} must be a string` });
        }
    }
    return failures;
}
