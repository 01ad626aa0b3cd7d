/**
 * The two API families as one interface: what operations.ts asks of a family, whichever it is. Two
 * implementations, one module each, mirroring the API modules (provider/api/notebooks/): `lease.ts`
 * (the current notebooks API, the policy is the notebook's lease) and `demanager.ts` (the legacy
 * API, `spec.auto_stop`). Also the shapes both read: a recorded state of any version, and the
 * declared side of a state.
 */
import { ApiFamily, NotebookAutoStopInputs, NotebookAutoStopState, notebookAutoStopShape } from "./fields";
import { Observed, Operation } from "./instance";

/**
 * A recorded state as this version reads it: of any version (1 had no `api`: demanager; older
 * states may lack inputs the table now defaults), or nothing at all (a read by id alone, for an
 * import). The inputs a state lacks take the table's defaults, what `check` gives them today.
 */
export type Recorded = Partial<NotebookAutoStopState> & Pick<NotebookAutoStopState, "type" | "onDelete">;

const { inputs: table } = notebookAutoStopShape;

export function recorded(props: Partial<NotebookAutoStopState> = {}): Recorded {
    return {
        ...props,
        type: props.type ?? table.type.schema.parse(undefined),
        onDelete: props.onDelete ?? table.onDelete.schema.parse(undefined),
    };
}

/** The family a recorded state names: version 1 state (no `api`) is demanager; no state names none. */
export function familyOf(props: Partial<NotebookAutoStopState>): ApiFamily | undefined {
    if (props.api) return props.api;
    return props.stateVersion !== undefined || props.instanceId !== undefined ? "demanager" : undefined;
}

/** The declared side of a state: the inputs as checked, less what the SDK sets and what is resolved. */
export type Declared = Omit<NotebookAutoStopInputs, "importId" | "api">;

export function declaredOf(inputs: NotebookAutoStopInputs): Declared {
    const { importId: _importId, api: _api, ...declared } = inputs;
    return declared;
}

export interface ReadResult {
    id?: string;
    props?: NotebookAutoStopState;
    inputs?: NotebookAutoStopInputs;
}

/**
 * One API family's way of managing an instance's auto-stop policy. `Body` is what the family
 * observes of an instance; `observe` answers undefined when the family does not know the id (by
 * its own not-found codes), which is how the family of an instance is detected.
 */
export interface NotebookFamily<Body> {
    readonly api: ApiFamily;
    /** What the family takes for inputs left undeclared (demanager: the reminder is on); diff compares with them. */
    readonly implicitInputs: Partial<Declared>;
    /** Inputs the family has no setting for (the lease: prompt): nothing of them is recorded, so any declared one is a change, which update refuses saying why. */
    readonly unsupportedInputs: readonly (keyof Declared)[];
    observe(op: Operation, id: string): Promise<Observed<Body> | undefined>;
    /** Takes the instance's policy over: the policy it had is recorded, for delete to restore. */
    create(op: Operation, inputs: NotebookAutoStopInputs, first: Observed<Body>): Promise<{ id: string; outs: NotebookAutoStopState }>;
    /** The live policy as state and inputs; with no recorded state (an import), the live policy is the prior one. */
    read(op: Operation, id: string, props: Recorded, seen?: Observed<Body>): Promise<ReadResult>;
    update(op: Operation, id: string, olds: Recorded, news: NotebookAutoStopInputs): Promise<{ outs: NotebookAutoStopState }>;
    /** Restores the prior policy (or disables auto-stop, as `onDelete` says), where the family allows it. */
    remove(op: Operation, id: string, props: Recorded): Promise<void>;
}
