/**
 * The Notebook's plan, from its field table: per input, what a change does (`onChange`, per key for
 * `keys`), plus one override the table cannot say: an EVS volume grows in place but cannot shrink,
 * so a smaller `volume.capacity` replaces. An input removed from the declaration changes nothing
 * (the notebook keeps what it has; for `autoStop`, the resource stops owning the policy).
 *
 * (Written before the shared table-driven diff of issue 21; fold it into that one once it lands.)
 */
import { containsUnknown, DiffResult, honourReplaceOnChanges, LOCATION_FIELDS, locationReplaces } from "../common";
import type { FieldOptions, OnChange } from "../fields";
import { log } from "../../log";
import { NotebookInputs, notebookShape, NotebookState } from "./fields";
import { FAILED, IN_PROGRESS, label } from "./instance";

const isSet = (v: unknown) => v !== undefined && v !== null;

/** Declared values equal the recorded ones: objects by the keys declared, lists of plain values as sets. */
export function partialEqual(declared: unknown, recorded: unknown): boolean {
    if (Array.isArray(declared)) {
        const rec = Array.isArray(recorded) ? recorded : !isSet(recorded) ? [] : undefined;
        if (!rec || rec.length !== declared.length) return false;
        if (declared.every((v) => typeof v !== "object")) {
            const a = declared.map(String).sort();
            const b = rec.map(String).sort();
            return a.every((v, i) => v === b[i]);
        }
        return declared.every((v, i) => partialEqual(v, rec[i]));
    }
    if (declared && typeof declared === "object") {
        if (!recorded || typeof recorded !== "object") return false;
        return Object.entries(declared).every(([k, v]) => !isSet(v) || partialEqual(v, (recorded as Record<string, unknown>)[k]));
    }
    return declared === recorded;
}

/** [path, what it does] for each change of one field. */
function fieldChanges(name: string, d: unknown, r: unknown, options: FieldOptions): Array<[string, OnChange]> {
    // A list that changes in place, removed from the declaration: emptied (every storage unmounted).
    if (!isSet(d)) return options.onChange === "update" && Array.isArray(r) && r.length > 0 ? [[name, "update"]] : [];
    if (options.keys && typeof d === "object" && !Array.isArray(d) && !containsUnknown(d)) {
        const rec = (r ?? {}) as Record<string, unknown>;
        return Object.entries(d as Record<string, unknown>)
            .filter(([k, v]) => isSet(v) && (containsUnknown(v) || !partialEqual(v, rec[k])))
            .map(([k]): [string, OnChange] => [`${name}.${k}`, options.keys![k] ?? options.onChange]);
    }
    return containsUnknown(d) || !partialEqual(d, r) ? [[name, options.onChange]] : [];
}

function sameMap(a: unknown, b: unknown): boolean {
    const x = (a ?? {}) as Record<string, unknown>;
    const y = (b ?? {}) as Record<string, unknown>;
    return Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
}

/** A smaller EVS capacity than recorded: the API only grows a volume. */
function shrinks(news: NotebookInputs, olds: NotebookState): boolean {
    const want = news.volume?.capacity;
    const had = olds.volume?.capacity;
    return typeof want === "number" && typeof had === "number" && want < had;
}

export function diffNotebook(id: string, olds: NotebookState, news: NotebookInputs): { result: DiffResult; notes: string[] } {
    const inputs = notebookShape.inputs as Record<string, { options: FieldOptions }>;
    const declared = news as Record<string, unknown>;
    const recorded = olds as Record<string, unknown>;
    const replaces: string[] = [];
    const updates: string[] = [];
    const notes: string[] = [];
    for (const name of notebookShape.inputNames) {
        const options = inputs[name].options;
        if (LOCATION_FIELDS.includes(name)) continue;
        const changes =
            name === "tags"
                ? // A map compared whole: a removed key is a change too.
                  isSet(declared.tags) && (containsUnknown(declared.tags) || !sameMap(declared.tags, recorded.tags)) ? ([["tags", "update"]] as Array<[string, OnChange]>) : []
                : fieldChanges(name, declared[name], recorded[name], options);
        for (const [path, change] of changes) {
            const what: OnChange = path === "volume.capacity" && shrinks(news, olds) ? "replace" : change;
            if (what === "replace") {
                replaces.push(path);
                if (path === "volume.capacity") notes.push(`replaced because volume.capacity shrinks (${olds.volume?.capacity} -> ${news.volume?.capacity} GB): the API only grows a notebook's EVS volume`);
                else if (options.replaceNote) notes.push(`replaced because ${path} changed: ${options.replaceNote}`);
            } else if (what === "update") {
                updates.push(path);
                if (options.updateNote) notes.push(`${path} ${options.updateNote}`);
            }
        }
    }
    replaces.push(...locationReplaces(olds, news));
    const status = olds.status ?? "";
    if (status === "FROZEN") {
        // Frozen is the account's state (arrears, a security freeze), not the notebook's failure:
        // replacing it would delete its storage. Said, and left to a human.
        notes.push(`is FROZEN (usually the account is in arrears or frozen): it is not replaced automatically; once it is unfrozen, the next pulumi up applies the changes`);
    } else if (FAILED.includes(status) && replaces.length === 0) {
        notes.push(`replaced because it is in status ${status}: a failed notebook cannot be repaired in place`);
        replaces.push("status");
    } else if (IN_PROGRESS.includes(status)) {
        // Left mid-transition by an earlier run: let update wait for it.
        updates.push("status");
    }
    const result = honourReplaceOnChanges({ changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace: false }, news.replaceOnChanges);
    const said = notes.filter((n) => n.startsWith("is FROZEN") || (result.replaces.length > 0) === n.startsWith("replaced because"));
    for (const note of said) log.warn(`${label(olds.name, id)}: ${note}`);
    return { result, notes: said };
}
