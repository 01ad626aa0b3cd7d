/**
 * The BSS (billing) family on the emulator's listener: `/v2/orders/...` (a global service: no
 * project in the path, one account = one domain), and its admin routes (`/_emulator/orders/...`).
 * Fault rules, the request log and the signature check apply as to every tenant path (http.ts
 * dispatches here after the faults); the rate limit is per account.
 */
import type { IncomingMessage } from "http";
import { ApiError, ERROR_CODES } from "./errors";
import { authError, Principal } from "./auth";
import type { EmulatorRuntime } from "./runtime";
import { notRoutable, pathSegments, Reply } from "./families";

export const BSS_PREFIX = "/v2/";

export interface BssRequest {
    method: string;
    rawPath: string;
    rawQuery: string;
    req: IncomingMessage;
    body: Buffer;
}


function json(body: Buffer): unknown {
    if (body.length === 0) return undefined;
    try {
        return JSON.parse(body.toString("utf8"));
    } catch {
        throw new ApiError(400, ERROR_CODES.BSS_INVALID_PARAM, "request body is not valid JSON");
    }
}

/**
 * BSS is a global service: the official SDKs' BSS clients use GlobalCredentials, which sign
 * `X-Domain-Id` into every call (huaweicloud-sdk-go-v3 core/auth/global_credentials.go). The
 * gateway refuses a call without it, or with it unsigned or naming another account, as it refuses
 * a bad signature. **unconfirmed**: the real answer's code and wording (the emulator's choice).
 */
function requireDomainScope(r: BssRequest, domainId: string): void {
    const raw = r.req.headers["x-domain-id"];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === "") {
        throw authError("a global service (BSS) needs the X-Domain-Id header (the account's domain id), signed; none was sent");
    }
    const signed = /SignedHeaders=([^,\s]+)/.exec(String(r.req.headers.authorization ?? ""))?.[1]?.split(";") ?? [];
    if (!r.req.headers["x-auth-token"] && !signed.includes("x-domain-id")) throw authError("the X-Domain-Id header is not signed");
    if (value !== domainId) throw authError(`X-Domain-Id ${value} is not the domain of the access key`);
}

/** Authenticates (same AK/SK verification as ModelArts), rate-limits per account, dispatches. */
export function bssRoute(rt: EmulatorRuntime, r: BssRequest, onPrincipal: (p: Principal) => void): Reply {
    const segments = pathSegments(r.method, r.rawPath);
    const path = segments.join("/");
    const orderDetails = /^v2\/orders\/customer-orders\/details\/([^/]+)$/.exec(path);
    const autoRenew = /^v2\/orders\/subscriptions\/resources\/autorenew\/([^/]+)$/.exec(path);
    const route =
        orderDetails && r.method === "GET"
            ? "order"
            : path === "v2/orders/suscriptions/resources/query" && r.method === "POST"
              ? "query"
              : path === "v2/orders/subscriptions/resources/unsubscribe" && r.method === "POST"
                ? "unsubscribe"
                : autoRenew && (r.method === "POST" || r.method === "DELETE")
                  ? "autorenew"
                  : undefined;
    if (!route) throw notRoutable(r.method, r.rawPath);

    const principal = rt.auth.authenticate({ method: r.method, rawPath: r.rawPath, rawQuery: r.rawQuery, headers: r.req.headers, body: r.body });
    onPrincipal(principal);
    const domainId = principal.tenant.domainId;
    requireDomainScope(r, domainId);
    const wait = rt.limiter.take(`bss:${domainId}`, Date.now());
    if (wait > 0) {
        throw new ApiError(
            429,
            ERROR_CODES.THROTTLED,
            `The throttling threshold has been reached: account ${principal.tenant.domainName} exceeded ${rt.config.rateLimit?.perSecond} requests per second`,
            "error_msg",
            { "Retry-After": String(wait) },
        );
    }
    const m = rt.bss;
    switch (route) {
        case "order":
            return { status: 200, body: m.orderDetails(domainId, orderDetails![1]) };
        case "query":
            return { status: 200, body: m.query(domainId, json(r.body)) };
        case "unsubscribe":
            return { status: 200, body: m.unsubscribe(domainId, json(r.body)) };
        case "autorenew":
            m.setAutoRenew(domainId, autoRenew![1], r.method === "POST");
            return { status: 204, body: undefined };
    }
}

/** Admin routes of the family (path after `/_emulator`); undefined when the path is not one of them. */
export function bssAdminRoute(rt: EmulatorRuntime, method: string, path: string): Reply | undefined {
    if (path === "/orders" && method === "GET") return { status: 200, body: rt.bss.dump() };
    const m = /^\/orders\/([^/]+)\/(pay|cancel)$/.exec(path);
    if (!m || method !== "POST") return undefined;
    const id = decodeURIComponent(m[1]);
    return { status: 200, body: m[2] === "pay" ? rt.bss.pay(id) : rt.bss.cancel(id) };
}
