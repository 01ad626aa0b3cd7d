/**
 * The transport to BSS (Business Support System: orders, subscriptions, renewals), which prepaid
 * (PRE_PAID) resources need. BSS is a global service: paths start at the endpoint's root
 * (`/v2/orders/...`), no project id, the same AK/SK signature. It reuses ModelArtsClient (retries,
 * signing, errors naming "BSS") with a `GlobalServiceScope`, and a rate limit shared per BSS endpoint.
 *
 * International site: the China site answers an account of the international site with HTTP 403
 * and `CBC.0150` / `CBC.0156`. Terraform's provider probes once at start-up
 * (`GET /v2/products/service-types?limit=1`, huaweicloud/config/config.go SetWebsiteType) and then
 * uses `https://bss-intl.myhuaweicloud.com`. Here the switch is lazy: the first BSS call that gets
 * that answer is sent once more to the international endpoint, and the switch is remembered for the
 * rest of the process (per endpoint + access key). Only the default China endpoint switches: an
 * endpoint set with huaweicloud:bssEndpoint / HW_BSS_ENDPOINT, or one built from huaweicloud:cloud,
 * is used as given.
 *
 * Scope: every BSS call carries `X-Domain-Id` (signed), as the SDKs' GlobalCredentials send it;
 * the domain id comes from the configuration or from IAM (./iam.ts), asked once per process.
 */
import { createHash } from "crypto";
import type { ResolvedConfig } from "../config";
import { BSS_ENDPOINT_CHINA, BSS_ENDPOINT_INTL } from "../endpoints";
import { log } from "../log";
import { ClientCounters, clientOptionsFromEnv, ClientOptions, ModelArtsClient, onResetClients, RequestOptions } from "./index";
import { ModelArtsApiError } from "../errors";
import { domainIdFor } from "./iam";

export const BSS_SERVICE = "BSS";
/** Codes by which the China site says the account belongs to the international site (Terraform's crossWebsiteErrs). */
export const BSS_WRONG_SITE_CODES: readonly string[] = ["CBC.0150", "CBC.0156"];

export interface BssClientOptions extends ClientOptions {
    /** Where to go when the China site answers 403 CBC.0150/CBC.0156. Default BSS_ENDPOINT_INTL. */
    intlEndpoint?: string;
    /**
     * Switch to `intlEndpoint` on that answer. Default: only when the endpoint is the default China
     * one (not set by huaweicloud:bssEndpoint / HW_BSS_ENDPOINT).
     */
    detectSite?: boolean;
}

/** The endpoint each (China endpoint, access key) was switched to, for the life of the process. */
const switchedSites = new Map<string, string>();
const bssClients = new Map<string, BssClient>();

onResetClients(() => {
    switchedSites.clear();
    bssClients.clear();
});

/** True for the China site's answer to an account of the international site. */
export function isWrongSiteError(err: unknown): boolean {
    if (!(err instanceof ModelArtsApiError) && (err as { name?: unknown } | null)?.name !== "ModelArtsApiError") return false;
    const e = err as { status: number; errorCode?: string };
    return e.status === 403 && BSS_WRONG_SITE_CODES.some((code) => (e.errorCode ?? "").includes(code));
}

function defaultSource(source: string | undefined): boolean {
    return source === undefined || source.startsWith("default");
}

export class BssClient {
    private readonly byEndpoint = new Map<string, ModelArtsClient>();
    private readonly siteKey: string;
    private readonly intlEndpoint: string;
    private readonly detectSite: boolean;

    constructor(
        private readonly config: ResolvedConfig,
        private readonly options: BssClientOptions = {},
    ) {
        this.intlEndpoint = (options.intlEndpoint ?? BSS_ENDPOINT_INTL).replace(/\/+$/, "");
        this.detectSite =
            options.detectSite ?? (config.bssEndpoint === BSS_ENDPOINT_CHINA && defaultSource(config.sources.bssEndpoint));
        this.siteKey = `${config.bssEndpoint}|${config.accessKey}`;
    }

    /** The endpoint calls go to now (the international one after a switch). */
    get endpoint(): string {
        return switchedSites.get(this.siteKey) ?? this.config.bssEndpoint;
    }

    /** Counters of the client of the current endpoint. */
    get counters(): ClientCounters {
        return this.client().counters;
    }

    /** Sends one BSS call (path from the endpoint's root, e.g. `/v2/orders/...`); see ModelArtsClient.request. */
    async request<T = unknown>(req: RequestOptions): Promise<T> {
        const first = this.endpoint;
        const domainId = await domainIdFor(this.config, this.options);
        try {
            return await this.client(domainId).request<T>(req);
        } catch (err) {
            if (!this.detectSite || first === this.intlEndpoint || !isWrongSiteError(err)) throw err;
            switchedSites.set(this.siteKey, this.intlEndpoint);
            log.info(
                `BSS at ${first} answered ${(err as ModelArtsApiError).errorCode}: the account belongs to the international ` +
                    `site, so BSS calls go to ${this.intlEndpoint} from now on (set ${this.config.setting("bssEndpoint")} to choose one).`,
            );
            return await this.client(domainId).request<T>(req);
        }
    }

    private client(domainId?: string): ModelArtsClient {
        const endpoint = this.endpoint;
        let c = this.byEndpoint.get(endpoint);
        if (!c || (domainId !== undefined && c.scopeDomainId !== domainId)) {
            c = new ModelArtsClient(this.config, {
                ...this.options,
                scope: {
                    service: BSS_SERVICE,
                    endpoint,
                    endpointSetting: this.config.setting("bssEndpoint"),
                    domainId,
                    domainIdSource: this.config.domainId
                        ? (this.config.sources.domainId ?? this.config.setting("domainId"))
                        : `IAM (${this.config.iamEndpoint}, asked with the same credentials)`,
                },
            });
            this.byEndpoint.set(endpoint, c);
        }
        return c;
    }
}

/**
 * The BSS client for this BSS endpoint + credentials, shared within the process (one rate budget
 * per BSS endpoint, whatever the project). Options apply only when the client is first created.
 */
export function getBssClient(config: ResolvedConfig, options: BssClientOptions = clientOptionsFromEnv()): BssClient {
    const credentialHash = createHash("sha256")
        .update(`${config.secretKey}\u0000${config.securityToken ?? ""}`)
        .digest("hex")
        .slice(0, 16);
    const key = `${config.bssEndpoint}|${config.accessKey}|${credentialHash}`;
    let client = bssClients.get(key);
    if (!client) {
        client = new BssClient(config, options);
        bssClients.set(key, client);
    }
    return client;
}
