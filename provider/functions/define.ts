/**
 * A function's shape, stated once, as a field table states a resource's: its arguments (zod, each
 * with its description and an error message that says what to write instead) and its result (zod,
 * described the same way), and what it does. From one declaration come
 *
 * - validation (`parseFunctionArgs`): unknown arguments and wrong values, each named with its fix;
 * - the TypeScript types (`FunctionArgs<F>`, `FunctionResult<F>`) of the SDK's `getX` / `getXOutput`;
 * - the plugin schema's `functions` entry (plugin/schemaGen.ts reads `args` and `result`);
 * - the call itself (`invokeFunction`): configuration as the resources resolve it (argument >
 *   stack config > environment), the shared client, errors of the ModelArtsError hierarchy.
 *
 *     export const getThings = defineFunction({
 *         name: "getThings",
 *         description: "Things of the project.",
 *         args: { kind: z.enum(["A", "B"], { error: "kind must be A or B" }).optional().describe("Only this kind.") },
 *         result: { things: z.array(thing).describe("The things.") },
 *         run: async (args, { client }) => ({ things: await listThings(client, args.kind) }),
 *     });
 */
import { z } from "zod";
import { getClient, ModelArtsClient } from "../client";
import { resolveConfig, ResolvedConfig, StackConfigSource, getStackConfig } from "../config";
import { ValidationError } from "../errors";
import { locationSchemaFields } from "../resources/common";

/** What a function's `run` is handed: where it runs and the client for it. */
export interface FunctionContext {
    cfg: ResolvedConfig;
    client: ModelArtsClient;
}

type Shape = Record<string, z.ZodType>;

/** Every function takes the resources' location overrides. */
const LOCATION_ARGS = {
    region: locationSchemaFields.region.describe("Region to query, overriding `huaweicloud:region` / `HW_REGION_NAME`."),
    projectId: locationSchemaFields.projectId.describe("Project to query, overriding `huaweicloud:projectId` / `HW_PROJECT_ID`."),
};

type WithLocation<A extends Shape> = A & typeof LOCATION_ARGS;

export interface FunctionDefinition<A extends Shape, R extends Shape> {
    /** `getDevServerFlavors`: the SDK's function name and the schema token's last part. */
    name: string;
    /** What users read in every language's SDK. */
    description: string;
    args: A;
    result: R;
    /** Rules across arguments (e.g. "exactly one of a and b"); issues name their argument in `path`. */
    refine?: (args: z.output<z.ZodObject<WithLocation<A>>>, ctx: z.RefinementCtx) => void;
    run(args: z.output<z.ZodObject<WithLocation<A>>>, ctx: FunctionContext): Promise<z.input<z.ZodObject<R>>>;
}

export interface FunctionShape<A extends Shape = Shape, R extends Shape = Shape> {
    readonly name: string;
    readonly description: string;
    /** Strict: an unknown argument is an error. */
    readonly args: z.ZodType<z.output<z.ZodObject<WithLocation<A>>>, z.input<z.ZodObject<WithLocation<A>>>>;
    /** The argument object before cross-argument rules: what the schema generator reads. */
    readonly argsObject: z.ZodObject<WithLocation<A>>;
    readonly result: z.ZodObject<R>;
    readonly run: FunctionDefinition<A, R>["run"];
}

export function defineFunction<A extends Shape, R extends Shape>(def: FunctionDefinition<A, R>): FunctionShape<A, R> {
    const argsObject = z.strictObject({ ...def.args, ...LOCATION_ARGS }) as z.ZodObject<WithLocation<A>>;
    const args = def.refine ? argsObject.superRefine(def.refine) : argsObject;
    return {
        name: def.name,
        description: def.description,
        args: args as unknown as FunctionShape<A, R>["args"],
        argsObject,
        result: z.object(def.result),
        run: def.run,
    };
}

export type AnyFunction = FunctionShape<any, any>;
/** The arguments as users write them. */
export type FunctionArgs<F extends AnyFunction> = z.input<F["args"]>;
/** What the function returns. */
export type FunctionResult<F extends AnyFunction> = z.output<F["result"]>;

/** One argument problem: the argument (dotted path) and what to do about it. */
export interface ArgumentFailure {
    property: string;
    reason: string;
}

/** The problems of `raw` as arguments of `fn`; unset (undefined / null) arguments are absent ones. */
export function argumentFailures(fn: AnyFunction, raw: unknown): ArgumentFailure[] {
    const parsed = fn.args.safeParse(compactArgs(raw));
    if (parsed.success) return [];
    return parsed.error.issues.flatMap((issue): ArgumentFailure[] => {
        if (issue.code === "unrecognized_keys") {
            const known = Object.keys(fn.argsObject.shape).join(", ");
            return issue.keys.map((key) => ({
                property: key,
                reason: `${key} is not an argument of ${fn.name}; remove it (its arguments: ${known})`,
            }));
        }
        const property = issue.path.map(String).join(".") || "(arguments)";
        return [{ property, reason: `${fn.name}: ${issue.message}` }];
    });
}

/** The validated arguments, defaults applied; a ValidationError naming each problem otherwise. */
export function parseFunctionArgs<F extends AnyFunction>(fn: F, raw: unknown): z.output<F["args"]> {
    const failures = argumentFailures(fn, raw);
    if (failures.length > 0) throw new ValidationError(failures.map((f) => f.reason));
    return fn.args.parse(compactArgs(raw)) as z.output<F["args"]>;
}

/**
 * Runs `fn`: arguments validated, configuration resolved for the arguments' location (argument >
 * `stack` > environment; `stack` defaults to what the provider's configure received), the result
 * shaped by the declaration (fields it does not declare are dropped).
 */
export async function invokeFunction<F extends AnyFunction>(
    fn: F,
    raw: unknown,
    stack: StackConfigSource | undefined = getStackConfig(),
): Promise<FunctionResult<F>> {
    const args = parseFunctionArgs(fn, raw) as { region?: string; projectId?: string };
    const cfg = resolveConfig({ region: args.region, projectId: args.projectId }, stack);
    const result = await fn.run(args, { cfg, client: getClient(cfg) });
    return fn.result.parse(result) as FunctionResult<F>;
}

function compactArgs(raw: unknown): unknown {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== "object" || Array.isArray(raw)) return raw;
    return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null));
}
