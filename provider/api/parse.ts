/**
 * Validates response bodies with zod and turns failures into a ResponseShapeError that names the
 * call and the fields, never the values (which may hold passwords, tokens or user data).
 */
import type { z } from "zod";
import { InvalidRequestError, ResponseShapeError } from "../errors";

/** One readable problem per zod issue: `field "a.b[0]": expected string, got number`. Never values. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
    return issues.slice(0, 10).map((issue) => {
        const path = issue.path.length
            ? issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("")
            : "(body)";
        let what: string;
        switch (issue.code) {
            case "invalid_type":
                what = `expected ${issue.expected}`;
                break;
            case "invalid_value":
                what = "has a value outside the documented set";
                break;
            case "too_small":
            case "too_big":
                what = `is ${issue.code.replace("_", " ")}`;
                break;
            case "invalid_format":
                what = "has an invalid format";
                break;
            case "custom":
                // Our own refinements: their messages are written to name rules, never values.
                what = issue.message;
                break;
            default:
                what = `is invalid (${issue.code})`;
        }
        return `field "${path}" ${what}`;
    });
}

export function parseResponse<S extends z.ZodType>(call: string, schema: S, data: unknown): z.output<S> {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    throw new ResponseShapeError(call, describeIssues(result.error.issues));
}

export function checkRequest<S extends z.ZodType>(call: string, schema: S, body: unknown): z.output<S> {
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    throw new InvalidRequestError(call, describeIssues(result.error.issues));
}
