/**
 * NotebookAutoStop: the auto-stop policy of a ModelArts notebook, declared in code. The resource's
 * id is the instance id; it does not own the instance, only its auto-stop policy, in either API
 * family:
 * - `notebooks` (the current API, `/v1/{project_id}/notebooks/{id}`): the policy is a lease
 *   (GET / PATCH `.../lease`); `duration` means "the notebook stops `duration` seconds after the
 *   policy was last applied" (RenewLease counts from now); see `lease.ts`;
 * - `demanager` (the legacy development-environment API of the seeds): `spec.auto_stop`; see
 *   `demanager.ts`.
 * The family is detected (current API first, each by its own not-found codes) unless `api` names it;
 * the state records it. On delete it restores the policy the instance had before (default) or
 * disables auto-stop, where the family allows it, and warns where it does not.
 */
import { log } from "../../log";
import { CheckFailure, checkInputs, containsUnknown, DiffResult, honourReplaceOnChanges, LOCATION_FIELDS, locationReplaces, parseInputs } from "../common";
import { claimByAutoStop, releaseByAutoStop } from "../leaseOwnership";
import * as demanager from "./demanager";
import { ApiFamily, NotebookAutoStopDeclaredInputs, NotebookAutoStopInputs, NotebookAutoStopState, notebookAutoStopShape } from "./fields";
import { begin, Deps, label, missingError, Observed, Operation } from "./instance";
import * as lease from "./lease";

export type { Deps } from "./instance";

/**
 * A recorded state as this version reads it: of any version (1 had no `api`: demanager; older
 * states may lack inputs the table now defaults), or nothing at all (a read by id alone, for an
 * import). The inputs a state lacks take the table's defaults, what `check` gives them today.
 */
export type Recorded = Partial<NotebookAutoStopState> & Pick<NotebookAutoStopState, "type" | "onDelete">;

const { inputs: table } = notebookAutoStopShape;

function recorded(props: Partial<NotebookAutoStopState> = {}): Recorded {
    return {
        ...props,
        type: props.type ?? table.type.schema.parse(undefined),
        onDelete: props.onDelete ?? table.onDelete.schema.parse(undefined),
    };
}

/** The family a recorded state names: version 1 state (no `api`) is demanager; no state names none. */
function familyOf(props: Partial<NotebookAutoStopState>): ApiFamily | undefined {
    if (props.api) return props.api;
    return props.stateVersion !== undefined || props.instanceId !== undefined ? "demanager" : undefined;
}

/** The inputs the engine hands over, as the table defines them (check has already passed them). */
function inputsOf(raw: NotebookAutoStopDeclaredInputs): NotebookAutoStopInputs {
    return parseInputs(notebookAutoStopShape.inputSchema, raw);
}

type Detected = { family: "notebooks"; first: Observed<lease.LeaseNotebook> } | { family: "demanager"; first: Observed<import("../../api/notebooks").NotebookInstance> };

/**
 * Which family manages `id`: the declared one, or the current API first, then demanager, each
 * decided by its own not-found codes (a bare or gateway 404 is an error, never "absent").
 * Undefined when the family asked (or neither) knows the id.
 */
async function detect(op: Operation, id: string, declared: ApiFamily | undefined): Promise<Detected | undefined> {
    if (declared !== "demanager") {
        const first = await lease.observe(op, id);
        if (first) return { family: "notebooks", first };
        if (declared === "notebooks") return undefined;
    }
    const first = await demanager.observe(op, id);
    return first && { family: "demanager", first };
}

// ---------------------------------------------------------------------------------------------

export async function check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
): Promise<{ inputs: NotebookAutoStopInputs; failures: CheckFailure[] }> {
    return checkInputs(notebookAutoStopShape, news);
}


/** A Notebook of this process that declares `autoStop` on the same notebook owns the policy: refused (leaseOwnership.ts). */
function claimLease(instanceId: unknown): void {
    if (typeof instanceId === "string" && !containsUnknown(instanceId)) claimByAutoStop(instanceId, `a NotebookAutoStop (instanceId ${instanceId})`);
}

export async function diff(_id: string, olds: NotebookAutoStopState, news: NotebookAutoStopDeclaredInputs): Promise<DiffResult> {
    // The engine hands over checked inputs; applying the table again is idempotent (and gives
    // inputs that never went through check the same answer).
    const declared: Record<string, unknown> = checkInputs(notebookAutoStopShape, news).inputs;
    claimLease(declared.instanceId);
    const was = recorded(olds);
    const family = familyOf(olds) ?? "demanager";
    const state: Record<string, unknown> = { ...was, api: family };
    const differs = (field: string) => containsUnknown(declared[field]) || declared[field] !== state[field];

    const replaces: string[] = [];
    for (const field of notebookAutoStopShape.replaceOnChange) {
        // The location is compared where it resolves to, below. The family of an instance does
        // not change: naming another one means another resource.
        if (!LOCATION_FIELDS.includes(field) && declared[field] !== undefined && differs(field)) replaces.push(field);
    }
    replaces.push(...locationReplaces(was, news));

    const enabled = declared.enabled !== false;
    const updates = notebookAutoStopShape.updateInPlace.filter((field) => {
        switch (field) {
            case "duration":
                return enabled && declared.duration !== undefined && differs(field);
            case "type":
                return enabled && differs(field);
            case "prompt":
                // demanager: an undeclared prompt is the family's default. The lease has none: a
                // declared prompt is a change that update refuses, with the reason.
                return family === "demanager"
                    ? containsUnknown(declared.prompt) || (declared.prompt ?? demanager.DEMANAGER_PROMPT_DEFAULT) !== (was.prompt ?? demanager.DEMANAGER_PROMPT_DEFAULT)
                    : declared.prompt !== undefined;
            default:
                return differs(field);
        }
    });
    // Replacing a policy resource is just re-applying it; deleting first restores the prior policy
    // before the new resource captures it, so the capture stays right.
    const planned = honourReplaceOnChanges({ changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace: false }, news.replaceOnChanges);
    return { ...planned, deleteBeforeReplace: planned.replaces.length > 0 };
}

export async function create(raw: NotebookAutoStopDeclaredInputs, deps: Deps = {}): Promise<{ id: string; outs: NotebookAutoStopState }> {
    const inputs = inputsOf(raw);
    claimLease(inputs.instanceId);
    const op = begin(inputs, inputs.timeouts, "create", deps);
    const found = await detect(op, inputs.instanceId, inputs.api);
    if (!found) throw missingError(inputs.instanceId, op.cfg, inputs.api);
    return found.family === "notebooks" ? lease.create(op, inputs, found.first) : demanager.create(op, inputs, found.first);
}

/**
 * Refresh of a recorded state, in its family; or, with no recorded state (an import of an existing
 * policy: the engine's Read with an id alone), the family detected as in create. An id no family
 * knows reads as nothing: the resource does not exist.
 */
export async function read(
    id: string,
    props: Partial<NotebookAutoStopState> = {},
): Promise<{ id?: string; props?: NotebookAutoStopState; inputs?: NotebookAutoStopInputs }> {
    const was = recorded(props);
    const op = begin(was, was.timeouts, "update", {});
    const family = familyOf(props);
    if (family === "notebooks") return lease.read(op, id, was);
    if (family === "demanager") return demanager.read(op, id, was);
    const found = await detect(op, id, undefined);
    if (!found) {
        log.info(`${label(id)} is known to neither the current notebooks API nor the legacy demanager API: nothing to read`);
        return {};
    }
    return found.family === "notebooks" ? lease.read(op, id, was, found.first) : demanager.read(op, id, was, found.first);
}

export async function update(id: string, olds: NotebookAutoStopState, raw: NotebookAutoStopDeclaredInputs, deps: Deps = {}): Promise<{ outs: NotebookAutoStopState }> {
    const news = inputsOf(raw);
    claimLease(news.instanceId);
    const was = recorded(olds);
    const op = begin(was, news.timeouts, "update", deps);
    return familyOf(olds) === "notebooks" ? lease.update(op, id, was, news) : demanager.update(op, id, was, news);
}

export async function remove(id: string, props: NotebookAutoStopState, deps: Deps = {}): Promise<void> {
    const was = recorded(props);
    if (typeof was.instanceId === "string") releaseByAutoStop(was.instanceId);
    const op = begin(was, was.timeouts, "delete", deps);
    return familyOf(props) === "notebooks" ? lease.remove(op, id, was) : demanager.remove(op, id, was);
}
