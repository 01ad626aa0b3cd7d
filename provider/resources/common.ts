/**
 * Pieces both resources share: preview unknowns, check failures from zod issues, timeouts,
 * "created but failed to initialize" errors, and digests that stand in for secrets in state.
 */
import { randomBytes, scryptSync, timingSafeEqual } from "crypto";
import { z } from "zod";
import { getClient, ModelArtsClient } from "../client";
import { Clock, realClock } from "../clock";
import { ConfigError, getStackConfig, REGION_PATTERN, resolveConfig, ResolvedConfig } from "../config";
import { parseDuration } from "../duration";
import { ValidationError } from "../errors";
import { log } from "../log";
import { AnyShape, Field, field, InputsOf } from "./fields";

/** The value the Pulumi engine sends for inputs not yet known during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** True when the value, or anything inside it, is a preview unknown. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

export interface CheckFailure {
    property: string;
    reason: string;
}

/**
 * Validates `inputs` with `schema`, reporting each issue against the property it concerns.
 * Preview unknowns are replaced by `undefined` before validation and issues about them (or about
 * rules involving them) are dropped: a value we cannot see yet is not a failure.
 */
export function checkWithSchema(schema: z.ZodType, inputs: Record<string, unknown>): CheckFailure[] {
    const unknownPaths: string[] = [];
    const visible = stripUnknowns(inputs, "", unknownPaths);
    const result = schema.safeParse(visible);
    return result.success ? [] : failuresOf(result.error.issues, unknownPaths);
}

function failuresOf(issues: readonly z.core.$ZodIssue[], unknownPaths: readonly string[]): CheckFailure[] {
    const failures: CheckFailure[] = [];
    for (const issue of issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                const property = [...issue.path.map(String), key].join(".");
                failures.push({ property, reason: `${property} is not a property of this resource; remove it` });
            }
            continue;
        }
        const property = issue.path.map(String).join(".");
        const related = (issue as { params?: { related?: string[] } }).params?.related ?? [property];
        if (related.some((p) => unknownPaths.some((u) => p === u || p.startsWith(u + ".") || u.startsWith(p + ".")))) {
            continue;
        }
        failures.push({ property: property || "(inputs)", reason: issue.message });
    }
    return failures;
}

/** The engine's inputs without the serialized provider and the unset (undefined / null) values. */
function declaredOf(news: Record<string, unknown>): Record<string, unknown> {
    const { __provider: _provider, ...declared } = news;
    return compact(declared);
}

/**
 * `check` for a field table: the failures, and the inputs as the table defines them (defaults
 * applied, field by field, so that a failure elsewhere or a preview unknown does not keep a field
 * from its default). A field holding a preview unknown is passed on as it is.
 */
export function checkInputs<S extends AnyShape>(shape: S, news: Record<string, unknown>): { inputs: InputsOf<S>; failures: CheckFailure[] } {
    const declared = declaredOf(news);
    const failures = checkWithSchema(shape.inputSchema, declared);
    const inputs: Record<string, unknown> = { ...declared };
    for (const [name, entry] of Object.entries<Field>(shape.inputs)) {
        if (containsUnknown(declared[name])) continue;
        const parsed = entry.schema.safeParse(declared[name]);
        if (parsed.success && parsed.data !== undefined) inputs[name] = parsed.data;
    }
    return { inputs: inputs as InputsOf<S>, failures };
}

/** The inputs of create / update, which `check` has passed: parsed again for their types. */
export function parseInputs<S extends z.ZodType>(schema: S, news: unknown): z.output<S> {
    const declared = declaredOf(news as Record<string, unknown>);
    const result = schema.safeParse(declared);
    if (result.success) return result.data;
    throw new ValidationError(failuresOf(result.error.issues, []).map((f) => f.reason));
}

function stripUnknowns(value: unknown, path: string, unknownPaths: string[]): unknown {
    if (isUnknown(value)) {
        unknownPaths.push(path);
        return undefined;
    }
    if (Array.isArray(value)) return value.map((v, i) => stripUnknowns(v, `${path}.${i}`, unknownPaths));
    if (value && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = stripUnknowns(v, path ? `${path}.${k}` : k, unknownPaths);
        }
        return out;
    }
    return value;
}

/** Drops keys whose value is `undefined` or `null` (the engine sends either for "not set"). */
export function compact<T extends Record<string, unknown>>(obj: T): T {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) out[k] = v;
    return out as T;
}

export interface Timeouts {
    create?: string | number;
    update?: string | number;
    delete?: string | number;
}

export const timeoutsSchema = z
    .strictObject({
        create: z.union([z.string(), z.number()]).optional(),
        update: z.union([z.string(), z.number()]).optional(),
        delete: z.union([z.string(), z.number()]).optional(),
    })
    .superRefine((t, ctx) => {
        for (const key of ["create", "update", "delete"] as const) {
            const value = t[key];
            if (value !== undefined && parseDuration(value) === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `timeouts.${key} must be a duration like "30m", "1h30m" or "90s", or a number of seconds; got ${JSON.stringify(value)}`,
                });
            }
        }
    });

export function timeoutMs(timeouts: Timeouts | undefined, op: keyof Timeouts, defaultMs: number): number {
    const value = timeouts?.[op];
    return (value !== undefined && parseDuration(value)) || defaultMs;
}

const DIGEST_PREFIX = "scrypt1";

/**
 * A salted, slow digest that stands in for a secret in the state: diff can tell whether the
 * declared secret changed without the state ever holding it, even encrypted.
 */
export function secretDigest(secret: string): string {
    const salt = randomBytes(16);
    return `${DIGEST_PREFIX}:${salt.toString("hex")}:${scryptSync(secret, salt, 32).toString("hex")}`;
}

/** The text a secret's digest is made of: a string as it is, anything else as JSON with sorted keys. */
export function secretText(secret: unknown): string {
    const sorted = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(sorted) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
    return typeof secret === "string" ? secret : JSON.stringify(sorted(secret));
}

export function digestMatches(secret: string, digest: string | undefined): boolean {
    if (!digest) return false;
    const [prefix, saltHex, hashHex] = digest.split(":");
    if (prefix !== DIGEST_PREFIX || !saltHex || !hashHex) return false;
    const expected = Buffer.from(hashHex, "hex");
    const actual = scryptSync(secret, Buffer.from(saltHex, "hex"), expected.length);
    return timingSafeEqual(expected, actual);
}

const PROJECT_ID = /^[0-9a-f]{32}$/;

/** Per-resource `region` / `projectId` overrides, shared by every resource's input schema. */
export const locationSchemaFields = {
    region: z
        .string({ error: "region must be a string" })
        .regex(REGION_PATTERN, "region must be a Huawei Cloud region such as cn-north-4 or ap-southeast-1")
        .optional(),
    projectId: z
        .string({ error: "projectId must be a string" })
        .regex(PROJECT_ID, "projectId must be 32 lowercase hexadecimal characters")
        .optional(),
};

/** Configuration for a call: the resource's own overrides, then stack config, then environment. */
export function configFor(overrides: { region?: string; projectId?: string }): ResolvedConfig {
    return resolveConfig({ region: overrides.region, projectId: overrides.projectId }, getStackConfig());
}

let offlineWarned = false;

/** Said once per process when diff runs without a usable configuration (e.g. `pulumi preview` with no credentials). */
function warnOfflineOnce(err: ConfigError): void {
    if (offlineWarned) return;
    offlineWarned = true;
    log.warn(
        `no usable ModelArts configuration (${err.problems.join("; ")}): the plan compares the program with the state only ` +
            "and did not reach the cloud; pulumi up, refresh and destroy need it.",
    );
}

/**
 * `region` / `projectId` when the location a declaration resolves to now differs from where the
 * resource lives (recorded in its outputs): it cannot move, so it is replaced.
 */
export function locationReplaces(
    olds: { region?: string; projectId?: string },
    news: Record<string, unknown>,
): string[] {
    let now: { region?: string; projectId?: string };
    try {
        const cfg = configFor({ region: news.region as string, projectId: news.projectId as string });
        now = { region: cfg.region, projectId: cfg.projectId };
    } catch (err) {
        // check and diff need no credentials: without them a preview still plans, from the state alone.
        if (err instanceof ConfigError) warnOfflineOnce(err);
        now = { region: news.region as string | undefined, projectId: news.projectId as string | undefined };
    }
    return (["region", "projectId"] as const).filter(
        (f) => now[f] !== undefined && olds[f] !== undefined && (isUnknown(now[f]) || now[f] !== olds[f]),
    );
}

/**
 * `region` / `projectId` as entries of a field table. A change replaces the resource, but `diff`
 * compares where the declaration resolves to (see `locationReplaces`), not the declared strings;
 * the state always records the resolved location.
 */
export const locationFields = {
    /** Region for this resource, overriding `huaweicloud:region` / `HW_REGION_NAME`. Replaces. */
    region: field(locationSchemaFields.region, { onChange: "replace", inState: "always" }),
    /** Project ID for this resource, overriding `huaweicloud:projectId` / `HW_PROJECT_ID`. Replaces. */
    projectId: field(locationSchemaFields.projectId, { onChange: "replace", inState: "always" }),
};

export const LOCATION_FIELDS: readonly string[] = Object.keys(locationFields);

/** `timeouts` as an entry of a field table: it steers waits, and never makes a difference itself. */
export const timeoutsField = field(timeoutsSchema.optional(), { onChange: "none" });

/**
 * Set by the SDK from the `replaceOnChanges` resource option. The engine applies that option only to
 * the properties a provider's Diff names as changed, and Pulumi's dynamic-provider host never passes
 * them on (it forwards `changes` and `replaces` alone): so the SDK hands the option to the provider,
 * and `honourReplaceOnChanges` turns each matching in-place change into a replacement.
 */
export const replaceOnChangesField = field(z.array(z.string({ error: "replaceOnChanges must list property names" })).optional(), {
    onChange: "none",
    inState: false,
    internal: true,
});

/** What a resource's diff plans: the paths that replace, the paths that change in place. */
export interface DiffResult {
    changes: boolean;
    replaces: string[];
    /** Paths changed in place (`name`, `volumes.size`, ...). */
    updates: string[];
    deleteBeforeReplace: boolean;
}

/**
 * Moves every in-place change that a `replaceOnChanges` entry names to the replacements. An entry
 * matches a path by its top-level property (`volumes[*].size` and `volumes.size` both match
 * `volumes`); `*` matches every property.
 */
export function honourReplaceOnChanges(result: DiffResult, entries: readonly string[] | undefined): DiffResult {
    if (!entries?.length) return result;
    const top = (p: string) => p.split(/[.[]/)[0];
    const named = new Set(entries.map(top));
    const moved = result.updates.filter((u) => named.has("*") || named.has(top(u)));
    if (moved.length === 0) return result;
    return { ...result, replaces: [...result.replaces, ...moved], updates: result.updates.filter((u) => !moved.includes(u)) };
}

/** What tests inject into an operation: the clock its waits and timeouts run on. */
export interface Deps {
    clock?: Clock;
}

/**
 * What every operation of every resource starts with: the configuration and client for where the
 * resource lives, the clock, and the time left of the operation's timeout.
 */
export interface Operation {
    cfg: ResolvedConfig;
    client: ModelArtsClient;
    clock: Clock;
    deps: Deps;
    /** Milliseconds left of the operation's timeout (at least `floorMs`). */
    remaining(floorMs?: number): number;
}

/** The default timeouts of one resource, per operation. */
export type DefaultTimeouts = Record<keyof Timeouts, number>;

export function beginOperation(
    location: { region?: string; projectId?: string },
    timeouts: Timeouts | undefined,
    op: keyof Timeouts,
    defaults: DefaultTimeouts,
    deps: Deps,
): Operation {
    const cfg = configFor(location);
    const clock = deps.clock ?? realClock;
    const started = clock.now();
    const timeout = timeoutMs(timeouts, op, defaults[op]);
    return {
        cfg,
        client: getClient(cfg),
        clock,
        deps,
        remaining: (floorMs = 1000) => Math.max(timeout - (clock.now() - started), floorMs),
    };
}
