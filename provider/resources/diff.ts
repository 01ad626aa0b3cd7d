/**
 * diff, derived from a resource's field table: every input is compared with what the state
 * recorded by its entry's options (`onChange`, per key for `keys`, `onceSet` once recorded, a
 * `sameAs` pair as one setting, a secret by the digest the state keeps instead), the location where
 * it resolves, and `replaceNote` / `updateNote` said as warnings so `pulumi preview` tells why.
 *
 * What the table cannot say, a resource says through `DiffRules`, explicitly and in one place: the
 * fields a declaration leaves without meaning, a rule on the plan as a whole, delete-before-replace.
 * In the spirit of pulumi-go-provider's `infer`: a structural diff by default, a custom rule beside it.
 */
import { log } from "../log";
import { containsUnknown, digestMatches, DiffResult, honourReplaceOnChanges, isUnknown, LOCATION_FIELDS, locationReplaces, secretText } from "./common";
import { AnyShape, FieldOptions, OnChange } from "./fields";

/** The plan while it is made: the paths that replace the resource, the paths changed in place. */
export interface Plan {
    replaces: string[];
    updates: string[];
}

/** What a resource adds to the table's diff, where the table cannot say it. */
export interface DiffRules {
    /** The resource as the plan's warnings name it (`DevServer box (id)`). */
    what: string;
    /** Inputs this declaration leaves without meaning (a policy turned off has no duration): not compared. */
    ignored?: readonly string[];
    /** The resource's own rule on the plan as a whole, before `replaceOnChanges` applies (a FAILED server is replaced). */
    adjust?: (plan: Plan) => void;
    /** Replacing deletes the old resource first (default: the new one is created first). */
    deleteBeforeReplace?: boolean;
}

/** The computed output that stands for a secret input in the state: `<name>Digest`, when the table has one. */
export function digestOutputOf(shape: AnyShape, name: string): string | undefined {
    const digest = `${name}Digest`;
    return (shape.inputs as Record<string, { options: FieldOptions }>)[name]?.options.secret && shape.computedOutputs.includes(digest) ? digest : undefined;
}

/**
 * Declared values equal what the state recorded: objects by the keys declared, lists of plain values
 * as sets (an empty list and none are the same), other lists item by item.
 */
export function partialEqual(declared: unknown, recorded: unknown): boolean {
    if (Array.isArray(declared)) {
        const rec = Array.isArray(recorded) ? recorded : recorded === undefined || recorded === null ? [] : undefined;
        if (!rec || rec.length !== declared.length) return false;
        if (declared.every((v) => typeof v !== "object")) {
            const a = [...declared].map(String).sort();
            const b = [...rec].map(String).sort();
            return a.every((v, i) => v === b[i]);
        }
        return declared.every((v, i) => partialEqual(v, rec[i]));
    }
    if (declared && typeof declared === "object") {
        if (!recorded || typeof recorded !== "object") return false;
        return Object.entries(declared).every(
            ([k, v]) => v === undefined || v === null || partialEqual(v, (recorded as Record<string, unknown>)[k]),
        );
    }
    return declared === recorded;
}

const isSet = (v: unknown) => v !== undefined && v !== null;

/**
 * One field's planned change, by its entry in the field table: what a change does (`onChange`,
 * per key for `keys`, `onceSet` once recorded), secrets by digest, a `sameAs` pair as one setting.
 * Returns [path, what it does] for each change.
 */
function fieldChanges(shape: AnyShape, name: string, declared: Record<string, unknown>, recorded: Record<string, unknown>): Array<[string, OnChange]> {
    const inputs = shape.inputs as Record<string, { options: FieldOptions }>;
    const options = inputs[name].options;
    const alias = shape.inputNames.find((n: string) => inputs[n].options.sameAs === name);
    const d = isSet(declared[name]) || !alias ? declared[name] : declared[alias];
    const r = isSet(recorded[name]) || !alias ? recorded[name] : recorded[alias];
    const path = isSet(declared[name]) || !alias || !isSet(declared[alias]) ? name : alias;
    const digest = digestOutputOf(shape, name);
    if (digest !== undefined) {
        return isSet(d) && (containsUnknown(d) || !digestMatches(secretText(d), recorded[digest] as string | undefined)) ? [[path, options.onChange]] : [];
    }
    if (options.onceSet !== undefined && isSet(r)) {
        return !isSet(d) || containsUnknown(d) || !partialEqual(d, r) ? [[path, options.onceSet]] : [];
    }
    // A list that can change in place, removed from the declaration: emptied (e.g. every volume detached).
    if (!isSet(d)) return options.onChange === "update" && Array.isArray(r) && r.length > 0 ? [[path, "update"]] : [];
    if (options.keys && typeof d === "object" && !Array.isArray(d) && !isUnknown(d)) {
        const rec = (r ?? {}) as Record<string, unknown>;
        return Object.entries(d as Record<string, unknown>)
            .filter(([k, v]) => isSet(v) && (containsUnknown(v) || !partialEqual(v, rec[k])))
            .map(([k]): [string, OnChange] => [`${path}.${k}`, options.keys![k] ?? options.onChange]);
    }
    return containsUnknown(d) || !partialEqual(d, r) ? [[path, options.onChange]] : [];
}

/**
 * The plan for `declared` (the inputs as checked) against `recorded` (the state), by `shape`'s
 * table and the resource's `rules`; `replaceOnChanges` (an input of every table) applied last.
 */
export function diffByTable(shape: AnyShape, recorded: object, declared: object, rules: DiffRules): DiffResult {
    const olds = recorded as Record<string, unknown> & { region?: string; projectId?: string; unreportedSinceImport?: string[] };
    const news = declared as Record<string, unknown> & { replaceOnChanges?: string[] };
    const inputs = shape.inputs as Record<string, { options: FieldOptions }>;
    const plan: Plan = { replaces: [], updates: [] };
    const notes: string[] = [];
    for (const name of shape.inputNames as readonly string[]) {
        const options = inputs[name].options;
        // Location: compared where it resolves to, below; a sameAs field: with the field it names.
        if (LOCATION_FIELDS.includes(name) || options.sameAs !== undefined || rules.ignored?.includes(name)) continue;
        // Imported by id: the API never told what this was, so the declaration is taken as it is.
        if (olds.unreportedSinceImport?.includes(name)) continue;
        for (const [path, change] of fieldChanges(shape, name, news, olds)) {
            if (change === "replace") {
                plan.replaces.push(path);
                if (options.replaceNote) notes.push(`replaced because ${path} changed: ${options.replaceNote}`);
            } else if (change === "update") {
                plan.updates.push(path);
                if (options.updateNote) notes.push(`${path} ${options.updateNote}`);
            }
        }
    }
    plan.replaces.push(...locationReplaces(olds, news));
    // What the plan means for the resource, said where `pulumi preview` shows it (the provider's diagnostics).
    for (const note of notes.filter((n) => (plan.replaces.length > 0) === n.startsWith("replaced because"))) log.warn(`${rules.what}: ${note}`);
    rules.adjust?.(plan);
    const { replaces, updates } = plan;
    const planned = honourReplaceOnChanges({ changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace: false }, news.replaceOnChanges);
    return rules.deleteBeforeReplace ? { ...planned, deleteBeforeReplace: planned.replaces.length > 0 } : planned;
}
