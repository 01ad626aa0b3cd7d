/**
 * The one error hierarchy, used by every layer. Each message is ONE line that says what went wrong
 * and what to do about it; none ever carries request/response headers or bodies (which may hold
 * signatures, passwords or user data), only method, path, status, error code, the service's message
 * and the request id. Messages pass through `redact` as a second line of defence.
 *
 *     ModelArtsError
 *       ConfigError            configuration could not be resolved          (config)
 *       ValidationError        inputs break the resource's rules             (resources)
 *       InvalidRequestError    a request body we built breaks the API shape  (api)
 *       ResponseShapeError     an answer does not have the documented shape  (api)
 *       ModelArtsApiError      the service answered with an error status     (client)
 *       AmbiguousRequestError  a POST was sent and its answer lost            (client)
 *       TransportError         the service could not be reached               (client)
 *       WaitTimeoutError       a wait outlasted its timeout                   (wait)
 *       WaitFailedError        a wait ended in a failed (or reversed) status  (wait)
 *       WaitNotFoundError      the awaited resource disappeared               (wait)
 *       ResourceInitError      created, but not initialised: still tracked    (resources)
 */
import { redact } from "./log";
import { formatDuration } from "./duration";

/** The base of every error this package throws: `instanceof ModelArtsError` tells ours from others. */
export class ModelArtsError extends Error {
    constructor(message: string) {
        super(redact(message));
        this.name = "ModelArtsError";
    }
}

/**
 * Configuration could not be resolved. A short message, one line per problem, then one line per
 * command that fixes a missing value:
 *
 *     pulumi-modelarts configuration is incomplete:
 *       - access key not set (huaweicloud:accessKey, huaweicloud:access_key, HW_ACCESS_KEY, HUAWEICLOUD_SDK_AK)
 *     Set it with:
 *       pulumi config set --secret huaweicloud:accessKey <AK>   or   export HW_ACCESS_KEY=<AK>
 */
export class ConfigError extends ModelArtsError {
    /** One entry per problem, e.g. `secret key not set (huaweicloud:secretKey, ..., HW_SECRET_KEY, ...)`. */
    readonly problems: string[];
    constructor(problems: string[], howTo: string[] = []) {
        const help = howTo.filter(Boolean).map((h) => `  ${h.replace(/`([^`]*)` or `([^`]*)`/, "$1   or   $2").replace(/`/g, "")}`);
        super(
            ["pulumi-modelarts configuration is incomplete:", ...problems.map((p) => `  - ${p}`), ...(help.length ? ["Set it with:", ...help] : [])].join("\n"),
        );
        this.name = "ConfigError";
        this.problems = problems;
    }
}

export interface ApiErrorFields {
    status: number;
    errorCode?: string;
    errorMessage?: string;
    requestId?: string;
    method: string;
    /** The wire path (no query string, no host). */
    path: string;
    /** How many HTTP attempts were made before giving up (1 = no retry). */
    attempts?: number;
    /** The endpoint the request went to, and the configured region: named when the API itself is missing. */
    endpoint?: string;
    region?: string;
    /** The service named in the message; default "ModelArts" (e.g. "BSS" for billing calls). */
    service?: string;
    /** Where the endpoint is configured, named by hints; default the ModelArts endpoint setting. */
    endpointSetting?: string;
    /**
     * A global service's call (BSS) carries the account's domain id as X-Domain-Id: where that id came
     * from (e.g. `stack config huaweicloud:domainId`, or IAM), named when the call is refused as unauthorized.
     */
    domainIdSource?: string;
    /** The namespace of the configuration keys hints name (the resolved configuration's); default `huaweicloud`. */
    configNamespace?: string;
}

/**
 * A configuration key in the namespace the user wrote: `huaweicloud:region` (the dynamic resources,
 * provider/config.ts DEFAULT_NAMESPACE) or `modelarts:region` (the plugin).
 */
const key = (namespace: string | undefined, name: string): string => `${namespace ?? "huaweicloud"}:${name}`;

/**
 * Every error code by which a ModelArts API family reports a missing resource, whatever the HTTP
 * status (the real API answers 400 for most). Each family decides "gone" with its own subset
 * (see the `*_NOT_FOUND_CODES` of provider/api); this union only picks the hint of a message.
 */
export const NOT_FOUND_ERROR_CODES: readonly string[] = [
    "ModelArts.6404", // DevServer (Terraform's modelarts_devserver read/delete), current notebooks
    "ModelArts.6309", // notebooks and demanager instances (API reference error codes; Terraform)
    "ModelArts.6357", // current notebooks (Terraform's modelarts_notebook not-found list)
];

/**
 * The API gateway in front of every Huawei Cloud service answers with codes of its own, spelled
 * with either prefix (`APIG.0308`, `APIGW.0308`): returns the number part, or undefined.
 */
export function gatewayCode(code: string | undefined): string | undefined {
    const m = /^APIGW?\.(\d{4})$/.exec(code ?? "");
    return m ? m[1] : undefined;
}

/** Classifies an API error for the hint attached to its message. */
export type ApiErrorKind =
    | "auth"
    | "clock"
    | "project"
    | "throttled"
    | "notFound"
    | "noSuchApi"
    | "quota"
    | "server"
    | "other";

export function classifyApiError(f: ApiErrorFields): ApiErrorKind {
    const code = f.errorCode ?? "";
    const msg = (f.errorMessage ?? "").toLowerCase();
    if (/x-sdk-date|clock|time ?skew|timestamp|request (has )?expired|expired request/.test(msg)) return "clock";
    if (f.status === 429) return "throttled";
    if (/quota/i.test(code) || msg.includes("quota") || msg.includes("insufficient balance")) return "quota";
    if ((f.status === 403 || f.status === 404 || f.status === 400) && /project/.test(msg)) return "project";
    const gateway = gatewayCode(code);
    if (f.errorCode && NOT_FOUND_ERROR_CODES.includes(f.errorCode)) return "notFound";
    // A 404 without a ModelArts not-found code is the gateway saying the API itself is missing
    // (APIG.0101 / APIGW.0101): a wrong endpoint, region or path, never a missing resource.
    if (f.status === 404 || gateway === "0101") return "noSuchApi";
    if (f.status === 401 || gateway === "0301" || gateway === "0307" || /signature|unauthori[sz]ed|access key|\bak\b/.test(msg)) {
        return "auth";
    }
    if (f.status >= 500) return "server";
    return "other";
}

const HINTS: Record<ApiErrorKind, (f: ApiErrorFields) => string> = {
    auth: (f) =>
        `The request signature was rejected: check ${key(f.configNamespace, "accessKey")}/secretKey (or HW_ACCESS_KEY/HW_SECRET_KEY) ` +
        `are a valid pair for this account, and set ${key(f.configNamespace, "securityToken")} (HW_SECURITY_TOKEN) when using temporary credentials.` +
        (f.domainIdSource
            ? ` ${f.service ?? "This service"} is a global service: its calls carry the account's domain id (X-Domain-Id), here from ` +
              `${f.domainIdSource}; check it is the account ID of this access key ('My Credentials'), or unset ${key(f.configNamespace, "domainId")} ` +
              "(HW_DOMAIN_ID) to have it asked from IAM."
            : ""),
    clock: () =>
        "The service rejected the request time (X-Sdk-Date): check this machine's clock (enable NTP); " +
        "signed requests are only accepted within a few minutes of the server's time.",
    project: (f) =>
        `Check ${key(f.configNamespace, "projectId")} (HW_PROJECT_ID) belongs to the account of ${key(f.configNamespace, "accessKey")} and matches ` +
        `${key(f.configNamespace, "region")} (HW_REGION_NAME): a project ID belongs to exactly one region (see 'My Credentials > Projects').`,
    throttled: (f) =>
        `The API kept answering 429 Too Many Requests${f.attempts ? ` after ${f.attempts} attempts` : ""}: ` +
        "lower parallelism (pulumi up --parallel N) or try again in a minute.",
    notFound: () =>
        "The resource does not exist (it may have been deleted outside Pulumi); run `pulumi refresh` to reconcile the state.",
    noSuchApi: (f) =>
        `The API gateway${f.endpoint ? ` at ${f.endpoint}` : ""} has no such API: this is a wrong endpoint, region or path, ` +
        `not a missing resource, so nothing was removed from the state. Check ${key(f.configNamespace, "region")} (HW_REGION_NAME)` +
        `${f.region ? `, now ${f.region},` : ""} and ${f.endpointSetting ?? modelArtsEndpointSetting(f.configNamespace)}, and that ` +
        `${f.service ?? "ModelArts"} offers this API in that region.`,
    quota: () =>
        "A quota or balance limit was hit: release unused resources or request a higher quota in the Huawei Cloud console.",
    server: (f) =>
        `The service failed${f.attempts && f.attempts > 1 ? ` (${f.attempts} attempts)` : ""}; try again later, ` +
        "and quote the request id to Huawei Cloud support if it persists.",
    other: () => "",
};

/** Inputs break the resource's rules (normally caught by `check` before any call). */
export class ValidationError extends ModelArtsError {
    constructor(readonly problems: string[]) {
        super(`invalid inputs: ${problems.join("; ")}`);
        this.name = "ValidationError";
    }
}

/** The service answered with an error status. */
export class ModelArtsApiError extends ModelArtsError {
    readonly status: number;
    readonly errorCode?: string;
    readonly errorMessage?: string;
    readonly requestId?: string;
    readonly method: string;
    readonly path: string;
    readonly attempts?: number;
    readonly endpoint?: string;
    readonly region?: string;
    readonly kind: ApiErrorKind;

    constructor(f: ApiErrorFields) {
        const kind = classifyApiError(f);
        const what = [f.errorCode, f.errorMessage].filter(Boolean).join(": ");
        const hint = HINTS[kind](f);
        const line =
            `${f.service ?? "ModelArts"} ${f.method} ${f.path} failed with HTTP ${f.status}` +
            (what ? ` (${what})` : "") +
            (f.requestId ? ` [request id ${f.requestId}]` : "") +
            "." +
            (hint ? " " + hint : "");
        super(line.replace(/[\r\n]+/g, " "));
        this.name = "ModelArtsApiError";
        this.status = f.status;
        this.errorCode = f.errorCode;
        this.errorMessage = f.errorMessage;
        this.requestId = f.requestId;
        this.method = f.method;
        this.path = f.path;
        this.attempts = f.attempts;
        this.endpoint = f.endpoint;
        this.region = f.region;
        this.kind = kind;
    }
}

/**
 * A non-idempotent request (POST) was sent, but its answer was lost (connection reset, timeout,
 * gateway error): it may or may not have taken effect. It is never retried automatically, because a
 * blind retry could create a second (billed) server.
 */
export class AmbiguousRequestError extends ModelArtsError {
    readonly method: string;
    readonly path: string;
    /** What happened: an error code such as ECONNRESET / ETIMEDOUT, or `HTTP 504`. */
    readonly cause_: string;
    readonly requestId?: string;
    constructor(method: string, path: string, cause: string, requestId?: string, service = "ModelArts") {
        super(
            `${service} ${method} ${path} was sent but its answer was lost (${cause})` +
                (requestId ? ` [request id ${requestId}]` : "") +
                "; it may or may not have taken effect, so it was not retried. " +
                "Check whether the resource exists (console or `pulumi refresh`) before trying again.",
        );
        this.name = "AmbiguousRequestError";
        this.method = method;
        this.path = path;
        this.cause_ = cause;
        this.requestId = requestId;
    }
}

/**
 * Node's codes for a TLS certificate it does not trust (the server's, or the chain a company proxy
 * re-signs with), as opposed to a network failure.
 */
export function isCertificateCode(code: string): boolean {
    return /CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|SELF_SIGNED|ERR_TLS_CERT/.test(code);
}

/** The setting named by messages about a wrong ModelArts endpoint, when the caller names none. */
const modelArtsEndpointSetting = (namespace?: string) => `${key(namespace, "modelartsEndpoint")} (HW_MODELARTS_ENDPOINT)`;

function certificateHint(code: string, endpoint: string, namespace?: string): string {
    const what = /ALTNAME/.test(code)
        ? "names another host (check the endpoint setting too)"
        : /EXPIRED|NOT_YET_VALID/.test(code)
          ? "is outside its validity period (check this machine's clock too)"
          : "is not signed by a certificate authority Node trusts: typically a company proxy or firewall that re-signs TLS, or a private CA";
    return (
        `the TLS certificate presented for ${endpoint} is not trusted (${code}): it ${what}. ` +
        "Give Node the CA that signed it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment of pulumi, " +
        `or, only if you accept that anyone on the path can read and change these requests, set ${key(namespace, "insecure")} true (HW_INSECURE=true).`
    );
}

/** The service could not be reached (after retries, for idempotent calls). Nothing was done. */
export class TransportError extends ModelArtsError {
    readonly method: string;
    readonly path: string;
    readonly code: string;
    readonly attempts: number;
    constructor(
        method: string,
        path: string,
        code: string,
        attempts: number,
        endpoint: string,
        service = "ModelArts",
        /** The namespace of the configuration keys named (the resolved configuration's). */
        configNamespace?: string,
        endpointSetting = modelArtsEndpointSetting(configNamespace),
    ) {
        super(
            isCertificateCode(code)
                ? `${service} ${method} ${path} was refused before it was sent: ${certificateHint(code, endpoint, configNamespace)}`
                : `${service} ${method} ${path} could not reach ${endpoint} (${code}` +
                      (attempts > 1 ? ` after ${attempts} attempts` : "") +
                      `): check the network, ${endpointSetting} and ${key(configNamespace, "region")} (HW_REGION_NAME).`,
        );
        this.name = "TransportError";
        this.method = method;
        this.path = path;
        this.code = code;
        this.attempts = attempts;
    }
}

/** A response body did not have the documented shape. Names the call and the fields, never values. */
export class ResponseShapeError extends ModelArtsError {
    readonly call: string;
    readonly fields: string[];
    constructor(call: string, problems: string[]) {
        super(
            `ModelArts ${call} returned a response of unexpected shape: ${problems.join("; ")}. ` +
                "The API may have changed; please report this with the request id from the debug log " +
                "(PULUMI_MODELARTS_LOG_LEVEL=debug).",
        );
        this.name = "ResponseShapeError";
        this.call = call;
        this.fields = problems;
    }
}

/**
 * True only for the API's own "this resource does not exist" answer: an error whose ModelArts code
 * is one of `codes` (the family's not-found codes), whatever the HTTP status. A bare 404, or the
 * gateway's APIG(W).0101, is NOT a missing resource: dropping a resource from the state on it would
 * lose track of a live, billed server whenever the endpoint or region is wrong.
 */
export function isNotFound(err: unknown, codes: readonly string[]): boolean {
    // Duck-typed as well as instanceof: the dist/ and source copies of this module may both be loaded.
    if (!(err instanceof ModelArtsApiError) && (err as { name?: unknown } | null)?.name !== "ModelArtsApiError") {
        return false;
    }
    const e = err as { status: number; errorCode?: string };
    return typeof e.status === "number" && e.status < 500 && !!e.errorCode && codes.includes(e.errorCode);
}

/** Runs `fn`; the family's own not-found answer (one of `codes`) becomes `undefined`. */
export async function undefinedIfNotFound<T>(fn: () => Promise<T>, codes: readonly string[]): Promise<T | undefined> {
    try {
        return await fn();
    } catch (err) {
        if (isNotFound(err, codes)) return undefined;
        throw err;
    }
}

/** A request body built by the caller does not match the API's documented shape (caught before sending). */
export class InvalidRequestError extends ModelArtsError {
    readonly call: string;
    readonly fields: string[];
    constructor(call: string, problems: string[]) {
        super(`Invalid ${call} request: ${problems.join("; ")}.`);
        this.name = "InvalidRequestError";
        this.call = call;
        this.fields = problems;
    }
}

/**
 * True for errors worth trying again later (e.g. while polling): the service was unreachable,
 * throttled or failing (429, 5xx) even after the client's own retries. Not for ambiguous POSTs.
 */
export function isTransientError(err: unknown): boolean {
    const name = (err as { name?: unknown } | null)?.name;
    if (err instanceof TransportError || name === "TransportError") return true;
    if (err instanceof ModelArtsApiError || name === "ModelArtsApiError") {
        const status = (err as { status: number }).status;
        return status === 429 || status >= 500;
    }
    return false;
}

/** A wait outlasted its timeout; `lastValue` is the last body seen (to record what was reached). */
export class WaitTimeoutError extends ModelArtsError {
    constructor(
        readonly what: string,
        readonly lastStatus: string | undefined,
        readonly elapsedMs: number,
        readonly lastValue?: unknown,
    ) {
        super(
            `timed out after ${formatDuration(elapsedMs)} waiting for ${what}` +
                (lastStatus ? ` (last status ${lastStatus})` : "") +
                `; raise the resource's timeouts if the cloud is just slow`,
        );
        this.name = "WaitTimeoutError";
    }
}

/** A wait reached a failed status, or saw the change reversed outside Pulumi. */
export class WaitFailedError extends ModelArtsError {
    constructor(
        readonly what: string,
        readonly status: string,
        readonly lastValue?: unknown,
        detail?: string,
    ) {
        super(`gave up waiting for ${what}: it reached status ${status}${detail ? ` (${detail})` : ""}`);
        this.name = "WaitFailedError";
    }
}

export class WaitNotFoundError extends ModelArtsError {
    constructor(readonly what: string) {
        super(`gave up waiting for ${what}: it no longer exists`);
        this.name = "WaitNotFoundError";
    }
}

/**
 * Thrown from create/update once the cloud has accepted the resource: the dynamic-provider host
 * turns an error carrying `id` into Pulumi's ErrorResourceInitFailed, so the resource lands in the
 * state (with these properties) instead of being leaked, and the next `up` or `destroy` handles it.
 */
export class ResourceInitError extends ModelArtsError {
    constructor(
        message: string,
        readonly id: string,
        readonly properties: Record<string, unknown>,
        readonly reasons: string[],
    ) {
        super(message);
        this.name = "ResourceInitError";
    }
}

export function describeError(err: unknown): string {
    if (err instanceof Error) return err.message;
    return String(err);
}
