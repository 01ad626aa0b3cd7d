/** Argument helpers the function declarations share: enumerations and names whose errors say what to write. */
import { z } from "zod";

/** An optional argument with a fixed set of values; the error lists them. */
export function oneOf<const T extends readonly [string, ...string[]]>(name: string, values: T, description: string) {
    return z
        .enum(values, { error: (issue) => `${name} must be one of ${values.join(", ")} (got ${JSON.stringify(issue.input)})` })
        .optional()
        .describe(description);
}

/** An optional non-empty string argument. */
export function text(name: string, description: string, max = 256) {
    return z
        .string({ error: `${name} must be a string` })
        .min(1, `${name} must not be empty; leave it out to match every value`)
        .max(max, `${name} must be at most ${max} characters`)
        .optional()
        .describe(description);
}

/** Case-insensitive equality of an optional filter with a reported value: no filter matches everything. */
export function matches(filter: string | undefined, value: string | undefined): boolean {
    return filter === undefined || (value !== undefined && value.toUpperCase() === filter.toUpperCase());
}
