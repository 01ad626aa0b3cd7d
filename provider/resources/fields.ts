/**
 * A resource's shape, stated once: a field table from which come the input schema (validation and
 * defaults), the fields whose change replaces the resource, the secret inputs, what the state keeps
 * and the computed outputs, and the TypeScript types of all of these (for the provider and the SDK).
 * In the spirit of pulumi-go-provider's `infer` (struct tags) and Terraform's schema maps
 * (ForceNew / Sensitive beside CRUD).
 *
 *     const shape = defineResource({
 *         inputs: {
 *             // doc comments here are what users see on the SDK's Args and output properties
 *             name: field(z.string(), { onChange: "update" }),
 *             image: field(z.string(), { onChange: "replace" }),
 *             password: field(z.string().optional(), { onChange: "replace", secret: true }),
 *         },
 *         outputs: { status: computed<string>() },
 *     });
 *     shape.replaceOnChange  // ["image", "password"]
 *     type State = StateOf<typeof shape>  // { name; image; status? }
 *
 * Nothing here knows about Pulumi: the SDK maps these types to `pulumi.Input` / `pulumi.Output`.
 */
import { z } from "zod";

/**
 * What a change of the field does: `update` in place, `replace` the resource, or `none` (the field
 * only steers the provider, e.g. timeouts, and never makes a difference on its own).
 */
export type OnChange = "update" | "replace" | "none";

export interface FieldOptions {
    onChange: OnChange;
    /**
     * The SDK wraps the value as a secret and the state never holds it, not even encrypted (the
     * resource keeps a digest output instead, `<name>Digest`, when it must notice a change: diff
     * compares the declared secret with it).
     */
    secret?: boolean;
    /**
     * Whether the state keeps the declared value; default: every field that is not secret.
     * `"always"`: the state always has one, resolved by the provider when not declared (region).
     */
    inState?: boolean | "always";
    /** Set by the SDK itself (e.g. from a resource option), not an argument users write. */
    internal?: boolean;
    /**
     * An object field whose keys differ in what a change does: `onChange` per key, the field's own
     * `onChange` for keys not listed. Diff then names the key (`chargingInfo.periodNum`).
     */
    keys?: Readonly<Record<string, OnChange>>;
    /**
     * Once the state records a value, a change or removal of it does this instead of `onChange`
     * (e.g. an EIP can be bound in place, but not unbound: changing it replaces).
     */
    onceSet?: OnChange;
    /** Another name of the same setting (a deprecated one): diff compares the value declared under either. */
    sameAs?: string;
    /** Said (as a warning) by diff, and so by `pulumi preview`, when a change of the field replaces the resource. */
    replaceNote?: string;
    /** Said (as a warning) by diff when a change of the field is applied in place: what that does to the resource. */
    updateNote?: string;
    /** Where the API carries the value: the request bodies it is sent in, where it is reported back (see wire.ts). */
    wire?: WireOptions;
}

/**
 * A field on the API's wire. Paths are dotted (`network.subnet_id`); object keys of the value travel
 * in snake_case (`ipAddress` -> `ip_address`) unless `toWire` says otherwise.
 */
export interface WireOptions {
    /** Per request body (`create`, `changeOs`, ...), the path or paths that carry the value (several when the API's key is unsettled). */
    sent?: Readonly<Record<string, string | readonly string[]>>;
    /**
     * The value as a request carries it, when not the declared one; `undefined` leaves it out. Given
     * the path too, for a value the API reads in two forms (Notebook's auto-stop: `duration` and `lease`).
     */
    toWire?: (value: any, path: string) => unknown;
    /** Where the API's answer reports the value: the first of these paths present. */
    reported?: string | readonly string[];
    /** The declared value from the reported one, when they differ in form; `undefined` means "not reported". */
    fromWire?: (value: unknown) => unknown;
    /**
     * The reported value tells one resource from another made with other inputs: compared with the
     * declaration while finding a lost create or an unrecorded twin (`"create"`), and also before
     * adopting (`"always"`: the update cannot bring it to the declaration).
     */
    identifies?: "create" | "always";
}

export interface Field<S extends z.ZodType = z.ZodType, O extends FieldOptions = FieldOptions> {
    readonly schema: S;
    readonly options: O;
}

/** One input: its zod schema (validation, default) and what a change of it does. */
export function field<S extends z.ZodType, const O extends FieldOptions>(schema: S, options: O): Field<S, O> {
    return { schema, options };
}

/** A computed output: a value the provider reports (never declared by users). Type only. */
export interface Computed<T> {
    readonly __type?: T;
}

export function computed<T>(): Computed<T> {
    return {};
}

type InputTable = Record<string, Field>;
type OutputTable = Record<string, Computed<unknown>>;

type ShapeOf<I extends InputTable> = { [K in keyof I]: I[K]["schema"] };

/** Keys of the table whose options match `M`. */
type KeysWhere<I extends InputTable, M> = { [K in keyof I]: I[K]["options"] extends M ? K : never }[keyof I];

export interface ResourceShape<I extends InputTable, O extends OutputTable> {
    readonly inputs: I;
    /** Strict (unknown properties are errors), with the cross-field rules; applies the defaults. */
    readonly inputSchema: z.ZodType<z.output<z.ZodObject<ShapeOf<I>>>, z.input<z.ZodObject<ShapeOf<I>>>>;
    /** Input properties, in table order. */
    readonly inputNames: readonly (keyof I & string)[];
    readonly replaceOnChange: readonly (keyof I & string)[];
    readonly updateInPlace: readonly (keyof I & string)[];
    readonly secretInputs: readonly (keyof I & string)[];
    /** Inputs a declaration must give (their schema refuses no value). */
    readonly requiredInputs: readonly (keyof I & string)[];
    /** Inputs the SDK sets itself, left out of its Args. */
    readonly internalInputs: readonly (keyof I & string)[];
    /** Inputs whose declared value the state keeps. */
    readonly stateInputs: readonly (keyof I & string)[];
    readonly computedOutputs: readonly (keyof O & string)[];
    /** Every property of the state: the kept inputs and the computed outputs. */
    readonly stateNames: readonly string[];
}

export interface ResourceDefinition<I extends InputTable, O extends OutputTable> {
    inputs: I;
    outputs: O;
    /** Rules across fields (e.g. "exactly one of a and b"); issues name their fields in `path`. */
    refine?: (inputs: z.output<z.ZodObject<ShapeOf<I>>>, ctx: z.RefinementCtx) => void;
}

export function defineResource<I extends InputTable, O extends OutputTable>(def: ResourceDefinition<I, O>): ResourceShape<I, O> {
    const names = Object.keys(def.inputs) as (keyof I & string)[];
    const shape = Object.fromEntries(names.map((n) => [n, def.inputs[n].schema])) as ShapeOf<I>;
    const object = z.strictObject(shape);
    const inputSchema = def.refine ? object.superRefine(def.refine) : object;
    const where = (pick: (o: FieldOptions) => boolean) => names.filter((n) => pick(def.inputs[n].options));
    const stateInputs = where((o) => (o.inState ?? !o.secret) !== false);
    const computedOutputs = Object.keys(def.outputs) as (keyof O & string)[];
    return {
        inputs: def.inputs,
        inputSchema: inputSchema as unknown as ResourceShape<I, O>["inputSchema"],
        inputNames: names,
        replaceOnChange: where((o) => o.onChange === "replace"),
        updateInPlace: where((o) => o.onChange === "update"),
        secretInputs: where((o) => o.secret === true),
        requiredInputs: names.filter((n) => !def.inputs[n].schema.safeParse(undefined).success),
        internalInputs: where((o) => o.internal === true),
        stateInputs,
        computedOutputs,
        stateNames: [...stateInputs, ...computedOutputs],
    };
}

// ---- types derived from a shape ----------------------------------------------------------------

export type AnyShape = ResourceShape<any, any>;
type InputTableOf<S extends AnyShape> = S extends ResourceShape<infer I, any> ? I : never;
type OutputTableOf<S extends AnyShape> = S extends ResourceShape<any, infer O> ? O : never;

/** The inputs as users declare them (defaults not yet applied). */
export type DeclaredInputsOf<S extends AnyShape> = z.input<z.ZodObject<ShapeOf<InputTableOf<S>>>>;

/** The inputs after `check`: validated, defaults applied. */
export type InputsOf<S extends AnyShape> = z.output<z.ZodObject<ShapeOf<InputTableOf<S>>>>;

type NotKept = { inState: false } | { secret: true; inState?: undefined };
type KeptInputKeys<S extends AnyShape> = Exclude<keyof InputTableOf<S>, KeysWhere<InputTableOf<S>, NotKept> | AlwaysKeptInputKeys<S>>;
type AlwaysKeptInputKeys<S extends AnyShape> = KeysWhere<InputTableOf<S>, { inState: "always" }>;
type ComputedType<C> = C extends Computed<infer T> ? T : never;
/** Computed outputs: a key whose type admits `undefined` is optional, the others always present. */
type ComputedOf<O extends OutputTable> = {
    [K in keyof O as undefined extends ComputedType<O[K]> ? never : K]: ComputedType<O[K]>;
} & {
    [K in keyof O as undefined extends ComputedType<O[K]> ? K : never]?: Exclude<ComputedType<O[K]>, undefined>;
};

/** What the state holds: the kept inputs (as checked), the always-resolved ones, the computed outputs. */
export type StateOf<S extends AnyShape> = Pick<InputsOf<S>, KeptInputKeys<S> & keyof InputsOf<S>> &
    Required<Pick<InputsOf<S>, AlwaysKeptInputKeys<S> & keyof InputsOf<S>>> &
    ComputedOf<OutputTableOf<S>>;

/** The inputs users write: declared inputs less the ones the SDK sets itself. */
export type ArgumentsOf<S extends AnyShape> = Omit<DeclaredInputsOf<S>, KeysWhere<InputTableOf<S>, { internal: true }>>;
