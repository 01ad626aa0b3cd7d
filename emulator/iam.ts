/**
 * The one IAM call the emulator serves: KeystoneListAuthDomains (`GET /v3/auth/domains`), which the
 * official SDKs' GlobalCredentials make with the caller's AK/SK to learn the account's domain id
 * when it is not configured (huaweicloud-sdk-go-v3 core/auth/internal/iam_helper.go,
 * iam_model.go: `{domains: [{id, name}]}`). Authenticated like every tenant path.
 */
import type { IncomingMessage } from "http";
import { Principal } from "./auth";
import type { EmulatorRuntime } from "./runtime";
import { notRoutable, pathSegments, Reply } from "./families";

export const IAM_PREFIX = "/v3/";

export interface IamRequest {
    method: string;
    rawPath: string;
    rawQuery: string;
    req: IncomingMessage;
    body: Buffer;
}

export function iamRoute(rt: EmulatorRuntime, r: IamRequest, onPrincipal: (p: Principal) => void): Reply {
    const path = pathSegments(r.method, r.rawPath).join("/");
    if (path !== "v3/auth/domains" || r.method !== "GET") throw notRoutable(r.method, r.rawPath);
    const principal = rt.auth.authenticate({ method: r.method, rawPath: r.rawPath, rawQuery: r.rawQuery, headers: r.req.headers, body: r.body });
    onPrincipal(principal);
    const t = principal.tenant;
    return {
        status: 200,
        body: {
            domains: [{ id: t.domainId, name: t.domainName, enabled: true, description: "", links: { self: `/v3/domains/${t.domainId}` } }],
            links: { self: "/v3/auth/domains" },
        },
    };
}
