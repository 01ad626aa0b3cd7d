/**
 * The adapter between the plugin front door and the functions (provider/functions): each one's
 * schema token, and Invoke. The arguments are validated by the function's own declaration (a
 * failure per argument, as Check reports a resource's); the call is the one the TypeScript SDK
 * makes, with the provider's configuration.
 */
import { argumentFailures, AnyFunction, FUNCTIONS, invokeFunction } from "../provider";
import { PACKAGE } from "./config";

export interface FunctionMeta {
    /** Pulumi function token: `modelarts:index:<name>`. */
    token: string;
    fn: AnyFunction;
}

export const FUNCTION_METAS: readonly FunctionMeta[] = FUNCTIONS.map((fn) => ({ token: `${PACKAGE}:index:${fn.name}`, fn }));

export function functionByToken(token: string): FunctionMeta | undefined {
    return FUNCTION_METAS.find((f) => f.token === token);
}

/** Invoke: the argument failures when there are any (the engine reports them), else the function's result. */
export async function invokeByToken(
    token: string,
    args: Record<string, unknown>,
): Promise<{ outputs?: Record<string, unknown>; failures?: Array<{ property: string; reason: string }> }> {
    const meta = functionByToken(token);
    if (!meta) {
        throw new Error(`the modelarts provider has no function ${token}; it serves ${FUNCTION_METAS.map((f) => f.token).join(", ")}`);
    }
    const failures = argumentFailures(meta.fn, args);
    if (failures.length > 0) return { failures };
    // A protobuf Struct carries no `undefined`: absent fields are left out.
    return { outputs: JSON.parse(JSON.stringify(await invokeFunction(meta.fn, args))) as Record<string, unknown> };
}
