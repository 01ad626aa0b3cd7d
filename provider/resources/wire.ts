/**
 * Between a field table and the API's bodies, by each field's `wire` option: the request bodies
 * made from the inputs, the inputs an answer reports back, and the comparisons of reported with
 * declared inputs (adopting a server, finding the one a lost create made).
 */
import { partialEqual } from "./diff";
import type { AnyShape, Field, WireOptions } from "./fields";

type Body = Record<string, unknown>;

const isSet = (v: unknown) => v !== undefined && v !== null;
const pathsOf = (p: string | readonly string[] | undefined): readonly string[] => (p === undefined ? [] : typeof p === "string" ? [p] : p);

const wired = new WeakMap<AnyShape, Array<[string, WireOptions]>>();

/** The fields that carry a `wire` option, with it (computed once per table: refresh and the list searches ask per item). */
export function wiredFields(shape: AnyShape): ReadonlyArray<[string, WireOptions]> {
    let fields = wired.get(shape);
    if (!fields) {
        fields = Object.entries<Field>(shape.inputs).flatMap(([name, f]) => (f.options.wire ? [[name, f.options.wire] as [string, WireOptions]] : []));
        wired.set(shape, fields);
    }
    return fields;
}

/** `{ ipAddress }` -> `{ ip_address }`, through objects and lists, unset keys left out. */
export function snakeKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(snakeKeys);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, v]) => isSet(v))
                .map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]),
        );
    }
    return value;
}

function put(body: Body, path: string, value: unknown): void {
    const keys = path.split(".");
    let at = body;
    for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Body;
    at[keys[keys.length - 1]] = value;
}

function at(body: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Body)[key] : undefined), body);
}

/** The body of request `request` (a key of the fields' `wire.sent`): every declared input it carries. */
export function requestBody(shape: AnyShape, request: string, inputs: Record<string, unknown>): Body {
    const body: Body = {};
    for (const [name, wire] of wiredFields(shape)) {
        const paths = pathsOf(wire.sent?.[request]);
        if (paths.length === 0 || !isSet(inputs[name])) continue;
        for (const path of paths) {
            const value = wire.toWire ? wire.toWire(inputs[name], path) : snakeKeys(inputs[name]);
            if (value !== undefined) put(body, path, value);
        }
    }
    return body;
}

/** The inputs an answer of the API reports, by the fields' `wire.reported`: only those present. */
export function reportedInputs(shape: AnyShape, answer: unknown): Record<string, unknown> {
    const reported: Record<string, unknown> = {};
    for (const [name, wire] of wiredFields(shape)) {
        const raw = pathsOf(wire.reported).map((p) => at(answer, p)).find(isSet);
        const value = raw === undefined ? undefined : wire.fromWire ? wire.fromWire(raw) : raw;
        if (isSet(value)) reported[name] = value;
    }
    return reported;
}

/** The field whose deprecated other name is `name` (`sameAs`). */
function aliasOf(shape: AnyShape, name: string): string | undefined {
    return Object.entries<Field>(shape.inputs).find(([, f]) => f.options.sameAs === name)?.[0];
}

/**
 * Where the reported inputs differ from the declared ones, for the fields that identify a resource
 * (`when` "create": every `identifies` field; "adopt": only `"always"` ones). An input either side
 * leaves out is not a difference; of an object, only the keys the API reports are compared. Each
 * difference is named as the declaration names it (`resourceFlavor`, or its alias `flavor`;
 * `chargingInfo.chargingMode`).
 */
export function identityMismatches(
    shape: AnyShape,
    reported: Record<string, unknown>,
    declared: Record<string, unknown>,
    when: "create" | "adopt",
): Array<{ path: string; reported: unknown; declared: unknown }> {
    const out: Array<{ path: string; reported: unknown; declared: unknown }> = [];
    for (const [name, wire] of wiredFields(shape)) {
        if (wire.identifies === undefined || (when === "adopt" && wire.identifies !== "always")) continue;
        const alias = aliasOf(shape, name);
        const path = !isSet(declared[name]) && alias !== undefined && isSet(declared[alias]) ? alias : name;
        const mine = declared[path];
        const theirs = reported[name];
        if (!isSet(mine) || !isSet(theirs)) continue;
        if (typeof theirs === "object") {
            for (const [key, value] of Object.entries(theirs as Body)) {
                const d = (mine as Body)[key];
                if (isSet(d) && !partialEqual(d, value)) out.push({ path: `${path}.${key}`, reported: value, declared: d });
            }
        } else if (mine !== theirs) {
            out.push({ path, reported: theirs, declared: mine });
        }
    }
    return out;
}

const isObject = (v: unknown): v is Body => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * A reported value laid over the recorded one, where the API reports part of it: an object's
 * reported keys merged into the recorded object; a list of objects item by item when both lists
 * hold as many items (Notebook's `dataVolumes`: the answer lacks `readOnly`, `dewSecretName`, ...);
 * anything else as reported.
 */
export function laidOver(recorded: unknown, reported: unknown): unknown {
    if (Array.isArray(reported)) {
        const sameLength = Array.isArray(recorded) && recorded.length === reported.length;
        return sameLength && reported.every(isObject) ? reported.map((item, i) => laidOver(recorded[i], item)) : reported;
    }
    return isObject(reported) ? { ...(isObject(recorded) ? recorded : {}), ...reported } : reported;
}

/**
 * The recorded inputs with what the API reports laid over them (a refresh): each under the name the
 * record uses (a deprecated alias stays the alias), by `laidOver`.
 */
export function refreshedInputs<R extends Record<string, unknown>>(shape: AnyShape, recorded: R, reported: Record<string, unknown>): R {
    const out: Record<string, unknown> = { ...recorded };
    for (const [name, value] of Object.entries(reported)) {
        const alias = aliasOf(shape, name);
        const key = alias !== undefined && isSet(recorded[alias]) && !isSet(recorded[name]) ? alias : name;
        out[key] = laidOver(recorded[key], value);
    }
    return out as R;
}
