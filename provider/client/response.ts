/** Reading an HTTP answer: headers, a JSON body that may be empty or not JSON, the API's error fields, a network error's code. */

export interface RawResponse {
    status: number;
    headers: Record<string, string | undefined>;
    text: string;
}

export function firstHeader(v: unknown): string | undefined {
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? String(v[0]) : String(v);
}

export function parseJson(text: string): unknown {
    if (text === "") return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

export function errorFields(body: unknown): { errorCode?: string; errorMessage?: string } {
    if (!body || typeof body !== "object") return {};
    const b = body as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    return {
        errorCode: str(b.error_code) ?? str(b.code),
        errorMessage: str(b.error_msg) ?? str(b.error_message) ?? str(b.message),
    };
}

export function networkCode(err: unknown): string {
    const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
    if (typeof e?.code === "string" && e.code !== "ERR_BAD_REQUEST") return e.code;
    if (typeof e?.cause?.code === "string") return e.cause.code;
    const msg = typeof e?.message === "string" ? e.message : "";
    if (/socket hang up/i.test(msg)) return "ECONNRESET";
    if (/timeout/i.test(msg)) return "ETIMEDOUT";
    return "UNKNOWN_NETWORK_ERROR";
}
