/**
 * The plugin's resource provider: what `@pulumi/pulumi`'s provider server calls for Check, Diff,
 * Create, Read, Update and Delete. Each call is routed by the URN's type token to the resource's
 * implementation (plugin/resources.ts), the same functions the dynamic resources run; this file
 * only translates the wire format: the engine's secret wrappers off on the way in (and back on for
 * values that came in secret), `null`s and `undefined`s dropped, errors made short and redacted.
 */
import type * as pulumi from "@pulumi/pulumi";
import { redact } from "../provider/log";
import { isSecretValue, unwrapSecrets, wrapSecret } from "./config";
import { Props, ResourceMeta, resourceByToken, RESOURCES } from "./resources";
import { withResource } from "./engineLog";
import { invokeByToken } from "./functions";
import { schemaText } from "./schema";

/** `urn:pulumi:<stack>::<project>::<parent$>type::<name>` -> the type token. */
export function typeOfUrn(urn: string): string {
    const parts = urn.split("::");
    return (parts[2] ?? "").split("$").pop() ?? "";
}

function metaFor(urn: string): ResourceMeta {
    const token = typeOfUrn(urn);
    const meta = resourceByToken(token);
    if (!meta) {
        throw new Error(`the modelarts provider has no resource type ${token}; it serves ${RESOURCES.map((r) => r.token).join(", ")}`);
    }
    return meta;
}

/** Secret wrappers off; `secretKeys` gets the top-level keys that came in secret. */
function unwrap(props: Props | undefined): { values: Props; secretKeys: Set<string> } {
    const secretKeys = new Set<string>();
    const values = (unwrapSecrets(props ?? {}, secretKeys) ?? {}) as Props;
    for (const [k, v] of Object.entries(props ?? {})) if (isSecretValue(v)) secretKeys.add(k);
    return { values, secretKeys };
}

/** A property bag the protobuf Struct can carry: no `undefined`, secrets wrapped again. */
function wire(props: Props | undefined, secretKeys: Iterable<string>): Props {
    const secret = new Set(secretKeys);
    const out: Props = {};
    for (const [k, v] of Object.entries(props ?? {})) {
        if (v === undefined || k === "__provider") continue;
        const plain = JSON.parse(JSON.stringify(v)) as unknown;
        out[k] = secret.has(k) ? wrapSecret(plain) : plain;
    }
    return out;
}

/**
 * The error the engine shows: the implementation's message (which already says what to do), masked
 * for registered secrets, without a stack trace; "created but failed to initialize" details kept.
 */
function shortError(err: unknown, secretKeys: Iterable<string> = []): Error {
    const message = redact(err instanceof Error ? err.message : String(err));
    const out = new Error(message) as Error & { id?: string; properties?: Props; reasons?: string[] };
    out.stack = message;
    const e = err as { id?: unknown; properties?: Props; reasons?: unknown };
    if (typeof e?.id === "string" && e.id) {
        out.id = e.id;
        out.properties = wire(e.properties, secretKeys);
        out.reasons = Array.isArray(e.reasons) ? e.reasons.map((r) => redact(String(r))) : [];
    }
    return out;
}

/** Runs one operation on the resource `urn`: its log lines attached to it, its errors made short. */
async function guarded<T>(urn: string, secretKeys: Iterable<string>, run: () => Promise<T>): Promise<T> {
    try {
        return await withResource(urn, run);
    } catch (err) {
        throw shortError(err, secretKeys);
    }
}

/**
 * The top-level properties each resource's last Diff found changed, by URN. @pulumi/pulumi's
 * provider server answers Diff without them; the engine needs them to apply `replaceOnChanges` and
 * to show which properties a plan changes (plugin/server.ts adds them to its answer).
 */
const changedKeys = new Map<string, string[]>();

/** The changed properties the last Diff of `urn` found; forgotten once taken. */
export function takeChangedKeys(urn: string): string[] | undefined {
    const keys = changedKeys.get(urn);
    changedKeys.delete(urn);
    return keys;
}

export function makeProvider(version: string): pulumi.provider.Provider {
    return {
        version,
        getSchema: async () => schemaText(),

        async check(urn, olds, news) {
            const meta = metaFor(urn);
            const o = unwrap(olds);
            const n = unwrap(news);
            return guarded(urn, [], async () => {
                const result = await meta.implementation.check(o.values, n.values);
                return { inputs: wire(result.inputs, [...n.secretKeys, ...meta.secretInputs]), failures: result.failures };
            });
        },

        async diff(id, urn, olds, news) {
            const meta = metaFor(urn);
            const result = await guarded(urn, [], () => meta.implementation.diff(id, unwrap(olds).values, unwrap(news).values));
            changedKeys.set(urn, [...new Set([...result.replaces, ...result.updates].map((p) => p.split(/[.[]/)[0]))]);
            return result;
        },

        async create(urn, inputs) {
            const meta = metaFor(urn);
            const n = unwrap(inputs);
            return guarded(urn, n.secretKeys, async () => {
                const { id, outs } = await meta.implementation.create(n.values);
                return { id, outs: wire(outs, n.secretKeys) };
            });
        },

        async read(id, urn, props) {
            const meta = metaFor(urn);
            const p = unwrap(props);
            return guarded(urn, p.secretKeys, async () => {
                // No properties (`pulumi import`, the import option): the implementation reads by id alone,
                // its location from the provider configuration; an id that exists nowhere reads as nothing.
                const result = await meta.implementation.read(id, p.values);
                // An empty id tells the engine the resource does not exist.
                if (!result.id) return { id: "", props: {} };
                return {
                    id: result.id,
                    props: wire(result.props, p.secretKeys),
                    inputs: result.inputs === undefined ? undefined : wire(result.inputs, p.secretKeys),
                };
            });
        },

        async update(id, urn, olds, news) {
            const meta = metaFor(urn);
            const n = unwrap(news);
            return guarded(urn, n.secretKeys, async () => {
                const { outs } = await meta.implementation.update(id, unwrap(olds).values, n.values);
                return { outs: wire(outs, n.secretKeys) };
            });
        },

        async delete(id, urn, props) {
            const meta = metaFor(urn);
            await guarded(urn, [], () => meta.implementation.delete(id, unwrap(props).values));
        },

        // The functions (plugin/functions.ts): argument failures are answered as such, errors made short.
        async invoke(token, inputs) {
            try {
                return await invokeByToken(token, unwrap(inputs).values);
            } catch (err) {
                throw shortError(err);
            }
        },
    };
}
