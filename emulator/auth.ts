/**
 * Verifies tenant requests the way Huawei Cloud's API gateway does: an `SDK-HMAC-SHA256`
 * signature (permanent or temporary AK/SK), or an `X-Auth-Token` issued by the emulator.
 * The canonical request is rebuilt with the provider's own signer (provider/client/signer.ts),
 * which a test holds byte-compatible with the official SDK core.
 */
import { IncomingHttpHeaders } from "http";
import { timingSafeEqual } from "crypto";
import {
    buildCanonicalRequest,
    parseAuthorization,
    parseSdkDate,
    QueryParams,
    signatureFor,
} from "../provider/client/signer";
import { ApiError, ERROR_CODES } from "./errors";
import { EmulatorState } from "./model/state";
import { Tenant } from "./tenants";

/** Maximum distance between X-Sdk-Date and the server clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface Principal {
    tenant: Tenant;
    /** The AK that signed (permanent or temporary), or the AK a token was issued for. */
    accessKey: string;
    via: "aksk" | "temporary" | "token";
}

export interface RawRequest {
    method: string;
    /** The path exactly as received on the wire (still percent-escaped), without the query. */
    rawPath: string;
    /** The query string exactly as received, without `?` ("" when none). */
    rawQuery: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
}

export function authError(reason: string): ApiError {
    return new ApiError(401, ERROR_CODES.AUTH_FAILED, `Incorrect IAM authentication information: ${reason}`);
}

/** Decodes a raw query string into the record the signer canonicalises; repeated keys become arrays. */
export function parseRawQuery(raw: string): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    if (!raw) return out;
    for (const part of raw.split("&")) {
        if (part === "") continue;
        const eq = part.indexOf("=");
        const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
        const value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
        const prev = out[key];
        if (prev === undefined) out[key] = value;
        else if (Array.isArray(prev)) prev.push(value);
        else out[key] = [prev, value];
    }
    return out;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const v = headers[name.toLowerCase()];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v.join(",") : v;
}

function safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}

export class Authenticator {
    constructor(
        private readonly tenants: readonly Tenant[],
        private readonly state: () => EmulatorState,
        private readonly now: () => number,
    ) {}

    tenantOfAccessKey(accessKey: string): Tenant | undefined {
        return this.tenants.find((t) => t.accessKey === accessKey);
    }

    tenantOfDomain(domainId: string): Tenant | undefined {
        return this.tenants.find((t) => t.domainId === domainId);
    }

    /** Returns who is calling, or throws a 401 ApiError naming the reason. */
    authenticate(req: RawRequest): Principal {
        const token = header(req.headers, "x-auth-token");
        if (token !== undefined) return this.byToken(token);
        const authorization = header(req.headers, "authorization");
        if (authorization === undefined || authorization === "") {
            throw authError("the request carries neither an Authorization header (SDK-HMAC-SHA256) nor an X-Auth-Token");
        }
        const parsed = parseAuthorization(authorization);
        if (!parsed) {
            throw authError(
                "malformed Authorization header; expected 'SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>'",
            );
        }
        const sdkDate = header(req.headers, "x-sdk-date");
        if (!sdkDate) throw authError("the X-Sdk-Date header is missing");
        const date = parseSdkDate(sdkDate);
        if (!date) throw authError(`X-Sdk-Date '${sdkDate}' is malformed; expected YYYYMMDDTHHMMSSZ`);
        if (Math.abs(date.getTime() - this.now()) > MAX_CLOCK_SKEW_MS) {
            throw authError(`X-Sdk-Date ${sdkDate} is more than 15 minutes from the server time`);
        }
        for (const required of ["host", "x-sdk-date"]) {
            if (!parsed.signedHeaders.includes(required)) throw authError(`SignedHeaders must include ${required}`);
        }

        let secret: string;
        let tenant: Tenant | undefined;
        let via: Principal["via"] = "aksk";
        const permanent = this.tenantOfAccessKey(parsed.accessKey);
        if (permanent) {
            tenant = permanent;
            secret = permanent.secretKey;
        } else {
            const temp = this.state().temporaryCredentials.find((c) => c.access === parsed.accessKey);
            if (!temp) throw authError(`the access key ${parsed.accessKey} does not exist`);
            if (temp.expiresAt <= this.now()) throw authError(`the temporary access key ${parsed.accessKey} has expired`);
            const st = header(req.headers, "x-security-token");
            if (st === undefined || st === "") throw authError("a temporary access key requires the X-Security-Token header");
            if (!safeEqual(st, temp.securitytoken)) throw authError("the X-Security-Token does not match the temporary access key");
            tenant = this.tenantOfDomain(temp.domainId);
            if (!tenant) throw authError(`the access key ${parsed.accessKey} does not exist`);
            secret = temp.secret;
            via = "temporary";
        }

        const signed: Record<string, string> = {};
        for (const name of parsed.signedHeaders) {
            const value = header(req.headers, name);
            if (value === undefined) throw authError(`signed header '${name}' is missing from the request`);
            signed[name] = value;
        }
        let query: QueryParams;
        try {
            query = parseRawQuery(req.rawQuery);
        } catch {
            throw authError("the query string is not validly percent-encoded");
        }
        const { canonicalRequest } = buildCanonicalRequest({
            method: req.method,
            wirePath: req.rawPath,
            query,
            headers: signed,
            body: req.body,
        });
        const expected = signatureFor(secret, sdkDate, canonicalRequest);
        if (!safeEqual(expected, parsed.signature)) {
            throw authError("the signature does not match; check the secret key and the signing of method, path, query, signed headers and body");
        }
        return { tenant, accessKey: parsed.accessKey, via };
    }

    private byToken(token: string): Principal {
        const issued = this.state().tokens.find((t) => safeEqual(t.token, token));
        if (!issued) throw authError("the X-Auth-Token is invalid");
        if (issued.expiresAt <= this.now()) throw authError("the X-Auth-Token has expired");
        const tenant = this.tenantOfDomain(issued.domainId);
        if (!tenant) throw authError("the X-Auth-Token is invalid");
        return { tenant, accessKey: issued.accessKey, via: "token" };
    }
}
