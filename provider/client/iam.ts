/**
 * The account's domain id, which every call of a global service (BSS) carries as `X-Domain-Id`.
 *
 * The official SDKs' GlobalCredentials (huaweicloud-sdk-go-v3 core/auth/global_credentials.go,
 * ProcessAuthParams) take it from the configuration, or else ask IAM once with the same AK/SK
 * (KeystoneListAuthDomains, `GET /v3/auth/domains`, core/auth/internal/iam_helper.go) and cache it
 * per access key for the life of the process. This does the same: configuration first
 * (huaweicloud:domainId / HW_DOMAIN_ID), then one IAM call per IAM endpoint + credentials, shared by
 * every caller of the process (concurrent callers wait for the same call).
 */
import { createHash } from "crypto";
import type { ResolvedConfig } from "../config";
import { ModelArtsApiError, ModelArtsError } from "../errors";
import { log } from "../log";
import { clientOptionsFromEnv, ClientOptions, ModelArtsClient, onResetClients } from "./index";

export const IAM_SERVICE = "IAM";
export const KEYSTONE_LIST_AUTH_DOMAINS_PATH = "/v3/auth/domains";

const discovered = new Map<string, Promise<string>>();
onResetClients(() => discovered.clear());

function cacheKey(config: ResolvedConfig): string {
    const hash = createHash("sha256")
        .update(`${config.secretKey}\u0000${config.securityToken ?? ""}`)
        .digest("hex")
        .slice(0, 16);
    return `${config.iamEndpoint}|${config.accessKey}|${hash}`;
}

/** The configured domain id, or the one IAM names for these credentials (asked once per process). */
export function domainIdFor(config: ResolvedConfig, options: ClientOptions = clientOptionsFromEnv()): Promise<string> {
    if (config.domainId) return Promise.resolve(config.domainId);
    const key = cacheKey(config);
    let pending = discovered.get(key);
    if (!pending) {
        pending = discover(config, options);
        discovered.set(key, pending);
        // A failure is not cached: the next call asks again.
        pending.catch(() => discovered.delete(key));
    }
    return pending;
}

async function discover(config: ResolvedConfig, options: ClientOptions): Promise<string> {
    const iam = new ModelArtsClient(config, {
        ...options,
        scope: { service: IAM_SERVICE, endpoint: config.iamEndpoint, endpointSetting: config.setting("iamEndpoint") },
    });
    let body: unknown;
    try {
        body = await iam.request({ method: "GET", path: KEYSTONE_LIST_AUTH_DOMAINS_PATH });
    } catch (err) {
        // Refused credentials are the credentials' problem, said as for any call (the same pair signs BSS).
        if (err instanceof ModelArtsApiError && (err.status === 401 || err.status === 403)) throw err;
        throw new ModelArtsError(
            `BSS (billing) calls carry the account's domain id, and asking IAM for it failed: ${(err as Error).message} ` +
                `Set ${config.setting("domainId")} to the account ID shown under 'My Credentials' to skip this call.`,
        );
    }
    const domains = (body as { domains?: Array<{ id?: unknown }> } | undefined)?.domains;
    const id = Array.isArray(domains) && typeof domains[0]?.id === "string" ? domains[0].id : undefined;
    if (!id) {
        throw new ModelArtsError(
            `IAM at ${config.iamEndpoint} named no domain for these credentials (the call needs the iam:users:getUser permission), ` +
                `so BSS (billing) calls cannot be scoped: set ${config.setting("domainId")} to the account ID shown under 'My Credentials'.`,
        );
    }
    log.debug(`the account's domain id (for BSS calls) was asked from IAM at ${config.iamEndpoint}`);
    return id;
}
