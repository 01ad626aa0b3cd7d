/**
 * Provider configuration of the plugin.
 *
 * The engine hands a provider plugin the configuration of its own package namespace only: for this
 * plugin `modelarts:*` (`pulumi config set modelarts:region cn-north-4`, or the properties of an
 * explicit `pulumi:providers:modelarts` resource). The Configure request carries it twice: `args`
 * (property names, e.g. `region`, secrets possibly wrapped) and `variables` (`modelarts:region`;
 * older engines wrote `modelarts:config:region`). The keys are the settings of the one table
 * (provider/config.ts `CONFIG_SETTINGS`, which the dynamic resources read as `huaweicloud:*`); the
 * resolver is handed them as a source of namespace `modelarts`, so its messages name `modelarts:*`:
 * resource argument > provider configuration > HW_* / HUAWEICLOUD_SDK_* environment, unchanged.
 */
import { CONFIG_SETTINGS, ConfigSetting, parseBoolean, StackConfigSource } from "../provider/config";

export const PACKAGE = "modelarts";

/** The configuration keys, in the table's order. */
export const CONFIG_KEYS: readonly ConfigSetting[] = Object.values(CONFIG_SETTINGS);

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

function known(name: string): ConfigSetting | undefined {
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

/** The resolver's view of the provider's configuration: `modelarts:<key>`. */
export function stackConfigSource(values: Map<string, string>): StackConfigSource {
    return {
        namespace: PACKAGE,
        get(key: string): string | undefined {
            const [ns, name] = key.split(":");
            if (ns !== PACKAGE || name === undefined) return undefined;
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
            if (typeof v !== "boolean" && parseBoolean(String(v)) === undefined) {
                failures.push({ property: k, reason: `${PACKAGE}:${k} must be true or false` });
            }
        } else if (typeof v !== "string") {
            failures.push({ property: k, reason: `${PACKAGE}:${k} must be a string` });
        }
    }
    return failures;
}
