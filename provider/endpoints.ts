/**
 * Where each service is when no endpoint is configured, and what a configured endpoint must look
 * like: the defaults follow the official SDKs' region tables and Terraform's huaweicloud provider.
 */

/**
 * Regions whose ModelArts endpoint is not `modelarts.{region}.{cloud}`: the official SDKs' region
 * tables (huaweicloud-sdk-python-v3 / -go-v3 / -nodejs-v3, ModelArtsRegion) list Hong Kong under
 * `.cn`. Terraform's provider builds `.com` there; the SDKs are the vendor's own table, so they win.
 */
const ENDPOINT_EXCEPTIONS: Readonly<Record<string, string>> = {
    "ap-southeast-1": "https://modelarts.ap-southeast-1.myhuaweicloud.cn",
};

/**
 * The cloud domain of a region: `myhuaweicloud.eu` for the Europe regions (`eu-west-1xx`, as
 * Terraform's provider decides), `myhuaweicloud.com` elsewhere; `cloud` (Terraform's `cloud`
 * argument, HW_CLOUD) replaces it, e.g. for a dedicated cloud.
 */
export function cloudDomain(region: string, cloud?: string): string {
    if (cloud) return cloud;
    return region.startsWith("eu-west-1") ? "myhuaweicloud.eu" : "myhuaweicloud.com";
}

export function defaultEndpoint(region: string, cloud?: string): string {
    if (!cloud && ENDPOINT_EXCEPTIONS[region]) return ENDPOINT_EXCEPTIONS[region];
    return `https://modelarts.${region}.${cloudDomain(region, cloud)}`;
}

/** BSS (billing), China site: Terraform's global catalog entry `https://bss.{cloud}/`. */
export const BSS_ENDPOINT_CHINA = "https://bss.myhuaweicloud.com";
/** BSS, international site: Terraform switches here when the China site answers 403 CBC.0150 / CBC.0156. */
export const BSS_ENDPOINT_INTL = "https://bss-intl.myhuaweicloud.com";

/** 127.0.0.0/8, localhost, [::1]: a local emulator or tunnel. */
export function isLoopbackEndpoint(endpoint: string): boolean {
    let host: string;
    try {
        host = new URL(endpoint).hostname.toLowerCase();
    } catch {
        return false;
    }
    return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The default BSS endpoint, as Terraform's provider builds it for a global service: `https://bss.{cloud}`,
 * except the Europe regions (`eu-west-1xx`), where every service is regional: `https://bss.{region}.{cloud}`
 * (cloud `myhuaweicloud.eu` unless huaweicloud:cloud says otherwise). When the ModelArts endpoint is on a
 * loopback host (never a default: an override pointing at a local emulator or tunnel), BSS is the same
 * base URL: the emulator serves both.
 */
export function defaultBssEndpoint(region: string, cloud?: string, modelartsEndpoint?: string): string {
    if (modelartsEndpoint !== undefined && isLoopbackEndpoint(modelartsEndpoint)) return modelartsEndpoint.replace(/\/+$/, "");
    const domain = cloudDomain(region, cloud);
    return region.startsWith("eu-west-1") ? `https://bss.${region}.${domain}` : `https://bss.${domain}`;
}

/** IAM, the SDKs' default (huaweicloud-sdk-go-v3 core/auth/internal/iam_helper.go DefaultIamEndpoint). */
export const IAM_ENDPOINT_DEFAULT = "https://iam.myhuaweicloud.com";

/**
 * Where the domain id is asked when not configured (KeystoneListAuthDomains). As BSS: the same base
 * URL when the ModelArts endpoint is on loopback (the emulator serves IAM too); `https://iam.{cloud}`
 * for a cloud set with huaweicloud:cloud; the Europe regions' own `https://iam.{region}.myhuaweicloud.eu`;
 * otherwise the SDKs' global default.
 */
export function defaultIamEndpoint(region: string, cloud?: string, modelartsEndpoint?: string): string {
    if (modelartsEndpoint !== undefined && isLoopbackEndpoint(modelartsEndpoint)) return modelartsEndpoint.replace(/\/+$/, "");
    if (region.startsWith("eu-west-1")) return `https://iam.${region}.${cloudDomain(region, cloud)}`;
    return cloud ? `https://iam.${cloud}` : IAM_ENDPOINT_DEFAULT;
}

/** Why `endpoint` cannot be an endpoint, or undefined when it can. */
export function endpointProblem(endpoint: string): string | undefined {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return "is not a URL (expected e.g. https://modelarts.cn-north-4.myhuaweicloud.com)";
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return `must be an http(s) URL, not ${url.protocol}`;
    if (url.search || url.hash) return "must not have a query string or fragment";
    if (url.username || url.password) return "must not contain credentials";
    return undefined;
}
