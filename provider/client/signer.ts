/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), byte-compatible with the official
 * Node.js SDK core's `AKSKSigner`. The emulator verifies signatures with the same functions, and a
 * test compares our `Authorization` header with the SDK core's, so a drift in either shows up.
 */
import { createHash, createHmac } from "crypto";

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Characters left as they are by the signer's percent-encoding (RFC 3986 unreserved). */
const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** Percent-encodes every byte of the UTF-8 form of `value` except RFC 3986 unreserved characters. */
export function signingEncode(value: string): string {
    let out = "";
    for (const ch of value) {
        if (UNRESERVED.test(ch)) {
            out += ch;
            continue;
        }
        for (const byte of Buffer.from(ch, "utf8")) {
            out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
        }
    }
    return out;
}

/** The path as sent on the wire (already escaped), each segment encoded again, always ending in `/`. */
export function canonicalUri(wirePath: string): string {
    const encoded = wirePath.split("/").map(signingEncode).join("/");
    return encoded.endsWith("/") ? encoded : encoded + "/";
}

export type QueryParams = Record<string, string | number | boolean | Array<string | number | boolean>>;

/** Keys sorted by code unit, repeated values sorted, `key=value` pairs joined with `&`. */
export function canonicalQuery(query: QueryParams | undefined): string {
    if (!query) return "";
    const pairs: string[] = [];
    for (const key of Object.keys(query).sort()) {
        const value = query[key];
        const values = Array.isArray(value) ? value.map(String).sort() : [String(value)];
        for (const v of values) pairs.push(`${signingEncode(key)}=${signingEncode(v)}`);
    }
    return pairs.join("&");
}

export function sha256Hex(data: string | Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

export function formatSdkDate(date: Date): string {
    return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** Parses `YYYYMMDDTHHMMSSZ`; returns undefined for anything else. */
export function parseSdkDate(value: string): Date | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    if (!m) return undefined;
    const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
    return isNaN(date.getTime()) ? undefined : date;
}

export interface CanonicalRequestInput {
    method: string;
    /** The request path as it goes on the wire, percent-escaped, without the query string. */
    wirePath: string;
    query?: QueryParams;
    /** Headers to sign, by any case; every one given is signed. */
    headers: Record<string, string>;
    /** The exact body bytes sent (empty or undefined for none). */
    body?: string | Buffer;
}

export interface CanonicalForm {
    canonicalRequest: string;
    signedHeaders: string;
}

export function buildCanonicalRequest(input: CanonicalRequestInput): CanonicalForm {
    const entries = Object.entries(input.headers)
        .map(([k, v]) => [k.toLowerCase(), v] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonicalHeaders = entries.map(([k, v]) => `${k}:${v}\n`).join("");
    const signedHeaders = entries.map(([k]) => k).join(";");
    const bodyHash = input.body && input.body.length > 0 ? sha256Hex(input.body) : EMPTY_BODY_SHA256;
    const canonicalRequest = [
        input.method.toUpperCase(),
        canonicalUri(input.wirePath),
        canonicalQuery(input.query),
        canonicalHeaders,
        signedHeaders,
        bodyHash,
    ].join("\n");
    return { canonicalRequest, signedHeaders };
}

export function signatureFor(secretKey: string, sdkDate: string, canonicalRequest: string): string {
    const stringToSign = [SIGNING_ALGORITHM, sdkDate, sha256Hex(canonicalRequest)].join("\n");
    return createHmac("sha256", secretKey).update(stringToSign).digest("hex");
}

export interface SignInput extends Omit<CanonicalRequestInput, "headers"> {
    /** Must include `host`; `X-Sdk-Date` is added when absent. */
    headers: Record<string, string>;
    accessKey: string;
    secretKey: string;
    date?: Date;
}

/** Returns the headers to send: the given ones plus `X-Sdk-Date` and `Authorization`. */
export function signRequest(input: SignInput): Record<string, string> {
    const headers: Record<string, string> = { ...input.headers };
    const dateKey = Object.keys(headers).find((k) => k.toLowerCase() === "x-sdk-date");
    const sdkDate = dateKey ? headers[dateKey] : formatSdkDate(input.date ?? new Date());
    if (!dateKey) headers["X-Sdk-Date"] = sdkDate;
    const { canonicalRequest, signedHeaders } = buildCanonicalRequest({ ...input, headers });
    const signature = signatureFor(input.secretKey, sdkDate, canonicalRequest);
    headers["Authorization"] =
        `${SIGNING_ALGORITHM} Access=${input.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
}

export interface ParsedAuthorization {
    accessKey: string;
    signedHeaders: string[];
    signature: string;
}

/** Parses an `Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...` value. */
export function parseAuthorization(value: string | undefined): ParsedAuthorization | undefined {
    if (!value) return undefined;
    const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$/.exec(
        value.trim(),
    );
    if (!m) return undefined;
    return { accessKey: m[1], signedHeaders: m[2].split(";"), signature: m[3].toLowerCase() };
}
