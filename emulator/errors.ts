/**
 * Every error code the emulator answers with, in one place (documented in emulator/README.md).
 * Codes the real service is known to use (APIGW.0301, APIGW.0308, ModelArts.6404, ModelArts.6309)
 * keep their real meaning; the others are the emulator's own choice, named after the same families.
 */
export const ERROR_CODES = {
    /** 401: missing, malformed or wrong AK/SK signature, stale X-Sdk-Date, unknown token. */
    AUTH_FAILED: "APIGW.0301",
    /**
     * 429: per-project rate limit reached. The gateway in front of the services answers throttling
     * as APIG.0308 (service FAQs quote "The throttling threshold has been reached: policy user over
     * ratelimit"), while the request-signing guide lists its own errors as APIGW.*.
     */
    THROTTLED: "APIG.0308",
    /** 404: no such API (unknown path or method). */
    API_NOT_FOUND: "APIGW.0101",
    /** 403: the project in the path does not belong to the caller's domain. */
    PROJECT_FORBIDDEN: "ModelArts.0104",
    /** 404 (or 400 with notFoundAs400): the DevServer does not exist. */
    DEV_SERVER_NOT_FOUND: "ModelArts.6404",
    /** 400: a request field is missing or invalid (the message names the field). */
    DEV_SERVER_INVALID_PARAM: "ModelArts.6401",
    /** 400: the action is not allowed in the server's settled status (start of RUNNING, stop of STOPPED). */
    DEV_SERVER_WRONG_STATUS: "ModelArts.6405",
    /** 409: a transition (CREATING, STARTING, STOPPING, DELETING, ...) is in progress. */
    DEV_SERVER_BUSY: "ModelArts.6406",
    /** 404: the development-environment instance does not exist. */
    NOTEBOOK_NOT_FOUND: "ModelArts.6309",
    /** 400: a request field is missing or invalid. */
    NOTEBOOK_INVALID_PARAM: "ModelArts.6301",
    /** 400: the action is not allowed in the instance's settled status. */
    NOTEBOOK_WRONG_STATUS: "ModelArts.6310",
    /** 409: a transition (queuing, CREATING, STARTING, STOPPING, DELETING) is in progress. */
    NOTEBOOK_BUSY: "ModelArts.6311",
    /**
     * 400 (404 with notFoundAs400 false): the notebook of the current API does not exist. Terraform's
     * modelarts_notebook counts ModelArts.6309, .6357 and .6404 as not-found; the emulator sends .6404.
     */
    CURRENT_NOTEBOOK_NOT_FOUND: "ModelArts.6404",
    /** 400: the current API's "notebook already stopped" answer to a stop (Terraform ignores it on stop). */
    CURRENT_NOTEBOOK_ALREADY_STOPPED: "ModelArts.6357",
    /**
     * 400: plain DELETE of a PRE_PAID DevServer that is not CREATE_FAILED / ERROR. The real API refuses
     * it (Terraform unsubscribes such servers through BSS instead) with an undocumented code: the
     * code is the emulator's choice.
     */
    DEV_SERVER_PREPAID: "ModelArts.6433",
    /** BSS 400: invalid request, or an order / resource the account does not have (the emulator's choice of code). */
    BSS_INVALID_PARAM: "CBC.0100",
    /** BSS 400: the resource was already unsubscribed (Terraform's resourceDevServerDelete treats it as gone). */
    BSS_ALREADY_UNSUBSCRIBED: "CBC.30000067",
    /** Default code of an injected `status` fault (the rule may name its own). */
    INJECTED_FAULT: "ModelArts.0500",
    /** 500: a bug in the emulator. */
    INTERNAL: "ModelArts.0001",
    /** Admin API: 401 missing or wrong X-Emulator-Admin-Token. */
    ADMIN_UNAUTHORIZED: "Emulator.0401",
    /** Admin API: 403 tenant credentials (AK/SK signature, X-Auth-Token) presented. */
    ADMIN_FORBIDDEN: "Emulator.0403",
    /** Admin API: 400 invalid admin request. */
    ADMIN_BAD_REQUEST: "Emulator.0400",
    /** Admin API: 404 unknown admin path or object. */
    ADMIN_NOT_FOUND: "Emulator.0404",
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * Which key carries the message: DevServer and gateway errors use `error_msg`, the demanager
 * (development-environment instance) family uses `error_message` (seeds 003 and 004).
 */
export type ErrorStyle = "error_msg" | "error_message";

/** An error the HTTP layer renders as `{error_code, error_msg|error_message}`. */
export class ApiError extends Error {
    constructor(
        readonly httpStatus: number,
        readonly code: string,
        message: string,
        readonly style: ErrorStyle = "error_msg",
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
        this.name = "ApiError";
    }

    body(): Record<string, string> {
        return { error_code: this.code, [this.style]: this.message };
    }

    /** The body as the service sends it: the gateway and ModelArts add the request id. */
    bodyWithRequestId(requestId: string): Record<string, string> {
        return { ...this.body(), request_id: requestId };
    }
}
