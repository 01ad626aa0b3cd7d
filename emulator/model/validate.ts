import { ApiError, ErrorStyle } from "../errors";

/** Field checks that throw a 400 ApiError naming the field, in the family's error style. */
export class Validator {
    constructor(
        private readonly code: string,
        private readonly style: ErrorStyle,
    ) {}

    fail(message: string): never {
        throw new ApiError(400, this.code, message, this.style);
    }

    object(value: unknown, field: string): Record<string, unknown> {
        if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(`${field} must be a JSON object`);
        return value as Record<string, unknown>;
    }

    optionalObject(obj: Record<string, unknown>, key: string, field = key): Record<string, unknown> | undefined {
        const v = obj[key];
        if (v === undefined || v === null) return undefined;
        return this.object(v, field);
    }

    requiredString(obj: Record<string, unknown>, key: string, field = key, pattern?: RegExp): string {
        const v = obj[key];
        if (v === undefined || v === null || v === "") this.fail(`${field} is required`);
        return this.checkString(v, field, pattern);
    }

    optionalString(obj: Record<string, unknown>, key: string, field = key, pattern?: RegExp): string | undefined {
        const v = obj[key];
        if (v === undefined || v === null) return undefined;
        return this.checkString(v, field, pattern);
    }

    private checkString(v: unknown, field: string, pattern?: RegExp): string {
        if (typeof v !== "string") this.fail(`${field} must be a string`);
        if (pattern && !pattern.test(v)) this.fail(`${field} is invalid: it must match ${pattern.source}`);
        return v;
    }

    optionalEnum<T extends string>(obj: Record<string, unknown>, key: string, values: readonly T[], field = key): T | undefined {
        const v = this.optionalString(obj, key, field);
        if (v === undefined) return undefined;
        if (!(values as readonly string[]).includes(v)) this.fail(`${field} is invalid: "${v}" is not one of ${values.join(", ")}`);
        return v as T;
    }

    optionalInteger(obj: Record<string, unknown>, key: string, field = key, min?: number, max?: number): number | undefined {
        const v = obj[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "number" || !Number.isInteger(v)) this.fail(`${field} must be an integer`);
        if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
            this.fail(`${field} must be between ${min ?? "-inf"} and ${max ?? "+inf"}, got ${v}`);
        }
        return v;
    }

    optionalBoolean(obj: Record<string, unknown>, key: string, field = key): boolean | undefined {
        const v = obj[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "boolean") this.fail(`${field} must be a boolean`);
        return v;
    }
}
