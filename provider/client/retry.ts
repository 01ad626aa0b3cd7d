/**
 * Retry policy: which outcomes are retried, how long to wait, and when a POST's outcome is
 * ambiguous. Pure functions, so each rule is unit-tested without a network.
 */

export interface BackoffOptions {
    /** Delay cap for the first retry; doubles every attempt. */
    baseMs: number;
    /** Upper bound of any computed delay (Retry-After may exceed it). */
    maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 20_000 };

/**
 * "Full jitter" (AWS architecture blog, "Exponential Backoff And Jitter"): a uniformly random delay
 * in [0, min(max, base * 2^attempt)). `attempt` is 0 for the first retry.
 */
export function fullJitterDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
    const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(attempt, 30));
    return Math.floor(random() * ceiling);
}

/** Parses Retry-After (delta seconds or an HTTP date) into ms; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
    if (value === undefined) return undefined;
    const trimmed = String(value).trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(parseFloat(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!isNaN(date)) return Math.max(0, date - now);
    return undefined;
}

/** The wait before the next attempt: the jittered backoff, but never less than Retry-After. */
export function retryDelay(
    attempt: number,
    retryAfterMs: number | undefined,
    opts: BackoffOptions,
    random: () => number = Math.random,
): number {
    return Math.max(retryAfterMs ?? 0, fullJitterDelay(attempt, opts, random));
}

export function isIdempotent(method: string): boolean {
    const m = method.toUpperCase();
    // PATCH: the only PATCH of this API, RenewLease (`.../notebooks/{id}/lease?duration=`), sets an
    // absolute state (stop `duration` after now); sending it twice leaves the same policy.
    return m === "GET" || m === "HEAD" || m === "PUT" || m === "DELETE" || m === "OPTIONS" || m === "PATCH";
}

/** Connection errors after which the request certainly did not reach the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ECONNECTTIMEOUT", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/**
 * Errors that say the configuration is wrong (no such host, a certificate that does not verify):
 * nothing was sent, and trying again cannot help.
 */
export function isConfigurationError(code: string): boolean {
    return code === "ENOTFOUND" || code === "ERR_INVALID_URL" || /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code);
}

export type Outcome =
    | { kind: "response"; status: number; errorCode?: string; errorMessage?: string }
    | { kind: "network"; code: string };

export type Decision =
    | { action: "return" } // success, or a definitive error to surface as ModelArtsApiError
    | { action: "retry"; reason: string }
    | { action: "ambiguous"; reason: string } // POST possibly applied: surface AmbiguousRequestError
    | { action: "fail-network"; reason: string }; // transport error, not retried

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/**
 * True when a 429/503 body says the request was rejected before doing anything: throttling by the
 * API gateway (`APIG.*` / `APIGW.*` codes: the gateway answers with both prefixes) or a message
 * saying so. Any 429 is a rejection by definition.
 */
export function saysNothingWasDone(status: number, errorCode?: string, errorMessage?: string): boolean {
    if (status === 429) return true;
    if (status !== 503) return false;
    if (errorCode && /^APIGW?\./.test(errorCode)) return true;
    return /not (been )?(processed|executed|accepted)|nothing was (done|changed)|throttl|flow control|overload|too many requests|busy/i.test(
        errorMessage ?? "",
    );
}

/**
 * True when an answer says the API gateway throttled the caller: any 429, or the gateway's throttling
 * code (APIG.0308 / APIGW.0308) whatever the status. The rate limiter cuts its rate on these.
 */
export function isThrottle(status: number, errorCode?: string): boolean {
    return status === 429 || (errorCode !== undefined && /^APIGW?\.0308$/.test(errorCode));
}

export function decide(method: string, outcome: Outcome): Decision {
    const idempotent = isIdempotent(method);
    if (outcome.kind === "network") {
        const code = outcome.code;
        if (NOT_SENT_CODES.has(code)) return { action: "retry", reason: code };
        if (isConfigurationError(code)) return { action: "fail-network", reason: code };
        // Anything else (a reset, a timeout, an answer cut short or garbled) may have happened after
        // the request was received: safe to repeat only when repeating cannot do it twice.
        return idempotent ? { action: "retry", reason: code } : { action: "ambiguous", reason: code };
    }
    const { status } = outcome;
    // A plain 500 is worth another try only where repeating cannot do anything twice.
    if (status === 500 && idempotent) return { action: "retry", reason: "HTTP 500" };
    if (status < 400 || !RETRYABLE_STATUS.has(status)) return { action: "return" };
    if (idempotent) return { action: "retry", reason: `HTTP ${status}` };
    if (saysNothingWasDone(status, outcome.errorCode, outcome.errorMessage)) {
        return { action: "retry", reason: `HTTP ${status}` };
    }
    // A gateway error on POST: the backend may have acted on it before the answer was lost.
    return { action: "ambiguous", reason: `HTTP ${status}` };
}
