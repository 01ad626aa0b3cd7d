/**
 * The HTTP transport to ModelArts: AK/SK signing, timeouts, retries with full jitter, a rate
 * limiter shared per endpoint + project, readable errors and request-id logging.
 *
 * `getClient(config)` returns a client cached per endpoint + project + credentials for the life of
 * the process (the only place credentials are held outside a call).
 */
import { createHash } from "crypto";
import type * as http from "http";
import type { ResolvedConfig } from "../config";
import { log } from "../log";
import { AmbiguousRequestError, ModelArtsApiError, TransportError } from "../errors";
import { agentFor } from "./agent";
import { Clock, realClock } from "../clock";
import { DEFAULT_RATE_LIMIT, RateLimiter, RateLimitOptions, resetSharedLimiters, sharedLimiter } from "./rateLimit";
import { BackoffOptions, decide, DEFAULT_BACKOFF, isThrottle, parseRetryAfter, retryDelay } from "./retry";
import { formatSdkDate, QueryParams, signRequest } from "./signer";
import { errorFields, networkCode, parseJson, RawResponse } from "./response";
import { exchange } from "./transport";

/** The errors the client throws, for callers that import them with it. */
export * from "../errors";
export { TokenBucket, RateLimiter, AdaptiveRate, DEFAULT_RATE_LIMIT, ADAPTIVE } from "./rateLimit";
export type { RateLimitOptions, FixedRateLimit, AdaptiveRateLimit } from "./rateLimit";
export type { Clock } from "../clock";
export { fullJitterDelay, parseRetryAfter, retryDelay, decide, isIdempotent, isThrottle, DEFAULT_BACKOFF } from "./retry";
export type { BackoffOptions } from "./retry";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH";

export interface RequestOptions {
    method: HttpMethod;
    /** Relative to `/v1/{project_id}` (to the endpoint's root for a global service), already escaped (see `encodePath`), e.g. `/dev-servers/abc/stop`. */
    path: string;
    query?: Record<string, string | number | boolean | undefined>;
    /** Serialized with JSON.stringify; the same string is signed and sent. */
    body?: unknown;
}

/**
 * A global service reached with the same credentials and signature, but without a project: paths
 * are relative to the endpoint's root (`/v2/orders/...`) and no X-Project-Id is sent. The official
 * SDKs' GlobalCredentials sign `X-Domain-Id` into every such call (huaweicloud-sdk-go-v3
 * core/auth/global_credentials.go): `domainId` (see ./iam.ts for where it comes from).
 */
export interface GlobalServiceScope {
    /** Named in error messages, e.g. "BSS". */
    service: string;
    endpoint: string;
    /** Where the endpoint is configured, for error hints, e.g. `huaweicloud:bssEndpoint (HW_BSS_ENDPOINT)` (ResolvedConfig.setting). */
    endpointSetting: string;
    /** Sent and signed as `X-Domain-Id` (the account's domain id), as the SDKs' GlobalCredentials do. */
    domainId?: string;
    /** Where `domainId` came from (a setting, or IAM), named when a call is refused as unauthorized. */
    domainIdSource?: string;
}

export interface ClientOptions {
    /** Send to a global service instead of ModelArts' `/v1/{project_id}` (see GlobalServiceScope). */
    scope?: GlobalServiceScope;
    /** Max time to establish the TCP connection. Default 10 000 ms. */
    connectTimeoutMs?: number;
    /** How long a kept-alive connection may sit idle before the client closes it (default 4 s; see agent.ts). */
    idleSocketTimeoutMs?: number;
    /** Max time for the whole request/response once sent. Default 60 000 ms. */
    timeoutMs?: number;
    /** Retries after the first attempt. Default 5. */
    maxRetries?: number;
    backoff?: BackoffOptions;
    /** A Retry-After beyond this is not waited for; the 429 is surfaced. Default 120 000 ms. */
    maxRetryAfterMs?: number;
    /**
     * Client-side rate limit shared per endpoint + project; `false` disables it. Default adaptive
     * (starts at 10/s, follows the API's throttling; see rateLimit.ts).
     */
    rateLimit?: RateLimitOptions | false;
    /** Injectable time for tests: `now`/`sleep` drive backoff waits and the rate limiter. */
    clock?: Clock;
    /** Injectable randomness for the jitter. */
    random?: () => number;
    /** The signing time (X-Sdk-Date); defaults to the current time. */
    signingDate?: () => Date;
}

export interface ClientCounters {
    /** HTTP attempts sent. */
    requests: number;
    /** Attempts repeated after a retryable outcome. */
    retries: number;
    /** 429 answers absorbed by retrying. */
    throttled: number;
    /** Errors surfaced to callers. */
    errors: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_SOCKET_TIMEOUT_MS = 4_000;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;
/** Names the caller in the API gateway's logs (not signed). */
const USER_AGENT = "pulumi-modelarts";

/**
 * Escapes one path segment: encodeURIComponent plus `!'()*` (RFC 3986 strict), so the wire path is
 * the same whichever URL parser reads it (Node's legacy url.parse, used by the SDK core, escapes `'`).
 */
export function encodePathSegment(value: string | number): string {
    return encodeURIComponent(String(value)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Tagged template that escapes each interpolated path parameter: encodePath`/dev-servers/${id}/stop`. */
export function encodePath(strings: TemplateStringsArray, ...params: Array<string | number>): string {
    return strings.reduce((acc, s, i) => acc + s + (i < params.length ? encodePathSegment(params[i]) : ""), "");
}

export class ModelArtsClient {
    readonly endpoint: string;
    readonly projectId: string;
    readonly region: string;
    readonly counters: ClientCounters = { requests: 0, retries: 0, throttled: 0, errors: 0 };
    /**
     * The service's clock minus this machine's (ms), from the `Date` header of the latest answer
     * (1 s resolution); undefined until an answer carried one. Lets a caller place its own request
     * on the service's timeline, e.g. to tell a server it created from an older one.
     */
    serverClockOffsetMs?: number;
    /** The proxy requests go through (credentials masked), or undefined when they go direct. */
    readonly proxy?: string;
    /** The rate limiter shared by every client of this endpoint + project in the process. */
    readonly limiter?: RateLimiter;
    private readonly agent: http.Agent;
    /** The endpoint without its base path: what the wire path is appended to. */
    private readonly origin: string;
    private readonly clock: Clock;
    private readonly random: () => number;
    private readonly opts: Required<Pick<ClientOptions, "maxRetries" | "maxRetryAfterMs" | "timeoutMs">> & {
        backoff: BackoffOptions;
    };
    private readonly host: string;
    private readonly basePath: string;
    /** Prefix of every request path: `/v1/{project_id}`, or "" for a global service. */
    private readonly pathPrefix: string;
    private readonly service: { name: string; endpointSetting: string; domainIdSource?: string; configNamespace: string };
    /** The X-Domain-Id a global service's calls carry (undefined for ModelArts). */
    readonly scopeDomainId?: string;
    // Held privately, non-enumerable: never shown by inspect/JSON.
    declare private readonly credentials: { accessKey: string; secretKey: string; securityToken?: string };
    private readonly signingDate: () => Date;

    constructor(config: ResolvedConfig, options: ClientOptions = {}) {
        const endpoint = options.scope?.endpoint ?? config.endpoint;
        const url = new URL(endpoint);
        this.endpoint = endpoint.replace(/\/+$/, "");
        this.projectId = options.scope ? "" : config.projectId;
        this.pathPrefix = options.scope ? "" : `/v1/${encodePathSegment(this.projectId)}`;
        this.service = options.scope
            ? {
                  name: options.scope.service,
                  endpointSetting: options.scope.endpointSetting,
                  domainIdSource: options.scope.domainId ? options.scope.domainIdSource : undefined,
                  configNamespace: config.namespace,
              }
            : { name: "ModelArts", endpointSetting: config.setting("endpoint"), configNamespace: config.namespace };
        this.scopeDomainId = options.scope?.domainId;
        this.region = config.region;
        this.host = url.host;
        this.basePath = url.pathname.replace(/\/+$/, "");
        Object.defineProperty(this, "credentials", {
            value: { accessKey: config.accessKey, secretKey: config.secretKey, securityToken: config.securityToken },
            enumerable: false,
        });
        this.clock = options.clock ?? realClock;
        this.random = options.random ?? Math.random;
        this.signingDate = options.signingDate ?? (() => new Date());
        this.opts = {
            maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
            maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
            timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
            backoff: options.backoff ?? DEFAULT_BACKOFF,
        };
        if (options.rateLimit !== false) {
            this.limiter = sharedLimiter(
                options.scope ? `${this.endpoint}|(global)` : `${this.endpoint}|${this.projectId}`,
                options.rateLimit ?? DEFAULT_RATE_LIMIT,
                this.clock,
            );
        }
        const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
        const secure = url.protocol === "https:";
        // Direct or through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured); see agent.ts.
        const idleSocketTimeoutMs = options.idleSocketTimeoutMs ?? DEFAULT_IDLE_SOCKET_TIMEOUT_MS;
        const { agent, proxy } = agentFor(this.endpoint, { connectTimeoutMs, idleSocketTimeoutMs, insecure: config.insecure });
        this.proxy = proxy;
        if (proxy) log.debug(`requests to ${this.endpoint} go through the proxy ${proxy}`);
        if (secure && config.insecure) warnInsecureOnce(config);
        this.agent = agent;
        this.origin = this.endpoint.slice(0, this.endpoint.length - this.basePath.length);
    }

    /** Zeroes the counters (tests). */
    resetCounters(): void {
        this.counters.requests = 0;
        this.counters.retries = 0;
        this.counters.throttled = 0;
        this.counters.errors = 0;
    }

    /** Sends one API call, retrying per the policy in retry.ts; resolves with the parsed JSON body. */
    async request<T = unknown>(req: RequestOptions): Promise<T> {
        const method = req.method.toUpperCase() as HttpMethod;
        const wirePath = `${this.basePath}${this.pathPrefix}${req.path}`;
        const query = this.cleanQuery(req.query);
        const bodyText = req.body === undefined ? undefined : JSON.stringify(req.body);

        for (let attempt = 0; ; attempt++) {
            const sentAt = this.limiter ? await this.limiter.acquire() : this.clock.now();
            const started = this.clock.now();
            this.counters.requests++;
            let res: RawResponse | undefined;
            let netCode = "";
            try {
                res = await this.send(method, wirePath, query, bodyText);
            } catch (err) {
                netCode = networkCode(err);
            }
            const ms = this.clock.now() - started;
            const requestId = res?.headers["x-request-id"];
            const serverDate = res?.headers["date"] ? Date.parse(res.headers["date"]) : NaN;
            if (!Number.isNaN(serverDate)) this.serverClockOffsetMs = serverDate - Date.now();
            const body = res ? parseJson(res.text) : undefined;
            const fields = res ? errorFields(body) : {};
            log.debug(
                `${method} ${wirePath}${this.describeQuery(query)} -> ${res ? res.status : netCode} in ${ms} ms` +
                    (requestId ? ` (request id ${requestId})` : "") +
                    (attempt > 0 ? ` [attempt ${attempt + 1}]` : ""),
            );

            const throttled = res !== undefined && isThrottle(res.status, fields.errorCode);
            if (res && !throttled) this.limiter?.answered({ sentAt, throttled: false });
            const decision = decide(
                method,
                res ? { kind: "response", status: res.status, ...fields } : { kind: "network", code: netCode },
            );
            const attempts = attempt + 1;
            const apiError = (status: number) =>
                new ModelArtsApiError({
                    status, ...fields, requestId, method, path: wirePath, attempts, endpoint: this.endpoint, region: this.region,
                    service: this.service.name, endpointSetting: this.service.endpointSetting, domainIdSource: this.service.domainIdSource,
                    configNamespace: this.service.configNamespace,
                });

            if (decision.action === "return" && res) {
                if (res.status >= 200 && res.status < 300) return body as T;
                throw this.fail(apiError(res.status));
            }
            if (decision.action === "ambiguous") {
                throw this.fail(new AmbiguousRequestError(method, wirePath, decision.reason, requestId, this.service.name));
            }
            if (decision.action !== "retry") {
                const reason = decision.action === "fail-network" ? decision.reason : netCode;
                throw this.fail(this.transportError(method, wirePath, reason, attempts));
            }

            // Retry, unless out of attempts or the server asks for a longer wait than we accept.
            const retryAfterMs = res ? parseRetryAfter(res.headers["retry-after"], this.clock.now()) : undefined;
            if (throttled && this.limiter) {
                this.limiter.answered({
                    sentAt, throttled: true, retryAfterMs,
                    pauseMs: retryAfterMs ?? retryDelay(attempt, undefined, this.opts.backoff, this.random),
                });
            }
            const tooLong = retryAfterMs !== undefined && retryAfterMs > this.opts.maxRetryAfterMs;
            if (attempt >= this.opts.maxRetries || tooLong) {
                if (res) throw this.fail(apiError(res.status));
                throw this.fail(this.transportError(method, wirePath, decision.reason, attempts));
            }
            if (throttled) this.counters.throttled++;
            this.counters.retries++;
            const delay = retryDelay(attempt, retryAfterMs, this.opts.backoff, this.random);
            log.debug(
                `retrying ${method} ${wirePath} after ${decision.reason} in ${delay} ms ` +
                    `(attempt ${attempts + 1} of ${this.opts.maxRetries + 1})`,
            );
            await this.clock.sleep(delay);
        }
    }

    private transportError(method: string, wirePath: string, reason: string, attempts: number): TransportError {
        const { name, configNamespace, endpointSetting } = this.service;
        return new TransportError(method, wirePath, reason, attempts, this.endpoint, name, configNamespace, endpointSetting);
    }

    private fail<E extends Error>(err: E): E {
        this.counters.errors++;
        return err;
    }

    private cleanQuery(query: RequestOptions["query"]): QueryParams | undefined {
        if (!query) return undefined;
        const out: QueryParams = {};
        for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = v;
        return Object.keys(out).length ? out : undefined;
    }

    /** Query keys only: values may hold names or tokens. */
    private describeQuery(query: QueryParams | undefined): string {
        return query ? `?${Object.keys(query).sort().join("&")}` : "";
    }

    private async send(
        method: HttpMethod,
        wirePath: string,
        query: QueryParams | undefined,
        bodyText: string | undefined,
    ): Promise<RawResponse> {
        const headers: Record<string, string> = { Host: this.host, "X-Sdk-Date": formatSdkDate(this.signingDate()) };
        if (this.pathPrefix !== "") headers["X-Project-Id"] = this.projectId;
        if (this.scopeDomainId) headers["X-Domain-Id"] = this.scopeDomainId;
        if (bodyText !== undefined) headers["Content-Type"] = "application/json";
        if (this.credentials.securityToken) headers["X-Security-Token"] = this.credentials.securityToken;
        const signed = signRequest({
            method,
            wirePath,
            query,
            headers,
            body: bodyText,
            accessKey: this.credentials.accessKey,
            secretKey: this.credentials.secretKey,
        });
        const search = query
            ? "?" +
              Object.keys(query)
                  .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`)
                  .join("&")
            : "";
        return exchange({
            url: new URL(`${this.origin}${wirePath}${search}`),
            method,
            headers: { ...signed, Accept: "application/json", "User-Agent": USER_AGENT },
            body: bodyText,
            agent: this.agent,
            timeoutMs: this.opts.timeoutMs,
        });
    }
}

let insecureWarned = false;

/** TLS verification off (`huaweicloud:insecure` / `HW_INSECURE`): said once per process. */
function warnInsecureOnce(config: ResolvedConfig): void {
    if (insecureWarned) return;
    insecureWarned = true;
    log.warn(
        `TLS certificate verification is OFF for ${config.endpoint} (${config.sources.insecure ?? "insecure"}): ` +
            "anyone on the network path can read and change these requests. Use NODE_EXTRA_CA_CERTS for a private CA instead.",
    );
}

const clients = new Map<string, ModelArtsClient>();

/** The rate of PULUMI_MODELARTS_RATE_MODE=fixed without PULUMI_MODELARTS_MAX_RPS (the old default). */
const FIXED_DEFAULT_RPS = 10;

function positiveNumber(value: string | undefined): number | undefined {
    const n = Number(value);
    return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Tuning from the environment of the provider process, for accounts with other API limits and for
 * tests: `PULUMI_MODELARTS_MAX_RPS` (the ceiling of the client-side rate per endpoint + project),
 * `PULUMI_MODELARTS_RATE_MODE` (`adaptive`, the default, or `fixed`: exactly MAX_RPS, default 10),
 * `PULUMI_MODELARTS_HTTP_TIMEOUT_MS` (response timeout), `PULUMI_MODELARTS_MAX_RETRIES`.
 */
export function clientOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ClientOptions {
    const options: ClientOptions = {};
    const rps = positiveNumber(env.PULUMI_MODELARTS_MAX_RPS);
    if ((env.PULUMI_MODELARTS_RATE_MODE ?? "").trim().toLowerCase() === "fixed") {
        const rate = rps ?? FIXED_DEFAULT_RPS;
        options.rateLimit = { ratePerSecond: rate, burst: Math.max(1, Math.round(rate)) };
    } else if (rps !== undefined) {
        options.rateLimit = { adaptive: true, maxRatePerSecond: rps };
    }
    const timeout = positiveNumber(env.PULUMI_MODELARTS_HTTP_TIMEOUT_MS);
    if (timeout !== undefined) options.timeoutMs = timeout;
    const retries = Number(env.PULUMI_MODELARTS_MAX_RETRIES);
    if (env.PULUMI_MODELARTS_MAX_RETRIES && Number.isInteger(retries) && retries >= 0) options.maxRetries = retries;
    return options;
}

/**
 * The client for this endpoint + project + credentials, shared within the process so that all
 * resources share one rate budget. Options apply only when the client is first created.
 */
export function getClient(config: ResolvedConfig, options: ClientOptions = clientOptionsFromEnv()): ModelArtsClient {
    const credentialHash = createHash("sha256")
        .update(`${config.secretKey}\u0000${config.securityToken ?? ""}`)
        .digest("hex")
        .slice(0, 16);
    const key = `${config.endpoint}|${config.projectId}|${config.accessKey}|${credentialHash}|${config.insecure ? "insecure" : ""}`;
    let client = clients.get(key);
    if (!client) {
        client = new ModelArtsClient(config, options);
        clients.set(key, client);
    }
    return client;
}

const resetHooks: Array<() => void> = [];

/** Registers what `resetClients` must also forget (e.g. the BSS clients of ./bss). */
export function onResetClients(hook: () => void): void {
    resetHooks.push(hook);
}

/** Forgets cached clients (and their shared rate limiters): for tests. */
export function resetClients(): void {
    clients.clear();
    insecureWarned = false;
    resetSharedLimiters();
    for (const hook of resetHooks) hook();
}
