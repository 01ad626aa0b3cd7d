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
import { CheckFailure, checkInputs, compact, containsUnknown, DiffResult, parseInputs } from "../common";
import { claimByAutoStop, releaseByAutoStop } from "../leaseOwnership";
import { diffByTable } from "../diff";
import { demanagerFamily } from "./demanager";
import { familyOf, NotebookFamily, ReadResult, recorded } from "./family";
import { ApiFamily, NotebookAutoStopDeclaredInputs, NotebookAutoStopInputs, NotebookAutoStopState, notebookAutoStopShape } from "./fields";
import { begin, Deps, label, missingError, Observed, Operation } from "./instance";
import { leaseFamily } from "./lease";

export type { Deps } from "./instance";
export type { Recorded } from "./family";

/** Each family's implementation, by the name the state records. */
const FAMILIES: Readonly<Record<ApiFamily, NotebookFamily<unknown>>> = { notebooks: leaseFamily, demanager: demanagerFamily };

/** The order in which an undeclared family is detected: the current API first. */
const DETECTION_ORDER: readonly ApiFamily[] = ["notebooks", "demanager"];

/** The inputs the engine hands over, as the table defines them (check has already passed them). */
function inputsOf(raw: NotebookAutoStopDeclaredInputs): NotebookAutoStopInputs {
    return parseInputs(notebookAutoStopShape.inputSchema, raw);
}

/** The family that knows an instance, with what it saw of it (create and read start from that). */
interface Detected {
    family: NotebookFamily<unknown>;
    first: Observed<unknown>;
}

/**
 * Which family manages `id`: the declared one, or the current API first, then demanager, each
 * decided by its own not-found codes (a bare or gateway 404 is an error, never "absent").
 * Undefined when the family asked (or neither) knows the id.
 */
async function detect(op: Operation, id: string, declared: ApiFamily | undefined): Promise<Detected | undefined> {
    for (const name of declared ? [declared] : DETECTION_ORDER) {
        const family = FAMILIES[name];
        const first = await family.observe(op, id);
        if (first) return { family, first };
    }
    return undefined;
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

export async function diff(id: string, olds: NotebookAutoStopState, news: NotebookAutoStopDeclaredInputs): Promise<DiffResult> {
    // The engine hands over checked inputs; applying the table again is idempotent (and gives
    // inputs that never went through check the same answer).
    const declared = checkInputs(notebookAutoStopShape, news).inputs;
    claimLease(declared.instanceId);
    // The family of an instance does not change: the state's is compared with a declared `api`.
    const family = FAMILIES[familyOf(olds) ?? "demanager"];
    const { implicitInputs } = family;
    const was: Record<string, unknown> = { ...implicitInputs, ...compact(recorded(olds)), api: family.api };
    for (const name of family.unsupportedInputs) delete was[name];
    return diffByTable(notebookAutoStopShape, was, { ...implicitInputs, ...declared }, {
        what: label(id, olds.name),
        // A policy turned off has no duration or type to apply.
        ignored: declared.enabled === false ? ["duration", "type"] : [],
        // Replacing a policy resource is just re-applying it; deleting first restores the prior policy
        // before the new resource captures it, so the capture stays right.
        deleteBeforeReplace: true,
    });
}

export async function create(raw: NotebookAutoStopDeclaredInputs, deps: Deps = {}): Promise<{ id: string; outs: NotebookAutoStopState }> {
    const inputs = inputsOf(raw);
    claimLease(inputs.instanceId);
    const op = begin(inputs, inputs.timeouts, "create", deps);
    const found = await detect(op, inputs.instanceId, inputs.api);
    if (!found) throw missingError(inputs.instanceId, op.cfg, inputs.api);
    return found.family.create(op, inputs, found.first);
}

/**
 * Refresh of a recorded state, in its family; or, with no recorded state (an import of an existing
 * policy: the engine's Read with an id alone), the family detected as in create. An id no family
 * knows reads as nothing: the resource does not exist.
 */
export async function read(id: string, props: Partial<NotebookAutoStopState> = {}): Promise<ReadResult> {
    const was = recorded(props);
    const op = begin(was, was.timeouts, "update", {});
    const family = familyOf(props);
    if (family) return FAMILIES[family].read(op, id, was);
    const found = await detect(op, id, undefined);
    if (!found) {
        log.info(`${label(id)} is known to neither the current notebooks API nor the legacy demanager API: nothing to read`);
        return {};
    }
    return found.family.read(op, id, was, found.first);
}

export async function update(id: string, olds: NotebookAutoStopState, raw: NotebookAutoStopDeclaredInputs, deps: Deps = {}): Promise<{ outs: NotebookAutoStopState }> {
    const news = inputsOf(raw);
    claimLease(news.instanceId);
    const was = recorded(olds);
    const op = begin(was, news.timeouts, "update", deps);
    return FAMILIES[familyOf(olds) ?? "demanager"].update(op, id, was, news);
}

export async function remove(id: string, props: NotebookAutoStopState, deps: Deps = {}): Promise<void> {
    const was = recorded(props);
    if (typeof was.instanceId === "string") releaseByAutoStop(was.instanceId);
    const op = begin(was, was.timeouts, "delete", deps);
    return FAMILIES[familyOf(props) ?? "demanager"].remove(op, id, was);
}
