/**
 * The suite-wide secret scan. Everything the engine side of the protocol sees from the provider
 * (host output lines, engine log calls, error messages, the properties of Create / Update / Read,
 * the serialized provider) is recorded as "observed"; every secret the harness hands the provider
 * (`adminPass`, `userData`, access key, secret key, security token) is recorded as "secret". After
 * the whole run, `scanRecords` fails the suite if any observed text contains any secret.
 *
 * Records go to the file named by SECRET_SCAN_FILE (set by the global setup), one JSON line each,
 * so that every jest worker contributes.
 */
import * as fs from "fs";

type SecretRecord = { kind: "secret"; value: string } | { kind: "observed"; source: string; text: string };

const SECRET_INPUTS = ["adminPass", "userData"];
const SECRET_CONFIG = /(accessKey|access_key|secretKey|secret_key|securityToken|security_token)$/;
/** Values this short would match everywhere by chance; no real credential is this short. */
const MIN_SECRET_LENGTH = 6;

function append(record: SecretRecord): void {
    const file = process.env.SECRET_SCAN_FILE;
    if (file) fs.appendFileSync(file, JSON.stringify(record) + "\n");
}

export function noteSecret(value: unknown): void {
    if (typeof value === "string" && value.length >= MIN_SECRET_LENGTH) append({ kind: "secret", value });
}

/** Notes the secret inputs of a property bag the harness sends. */
export function noteSecretInputs(props: Record<string, unknown>): void {
    for (const key of SECRET_INPUTS) noteSecret(props[key]);
}

/** Notes the secret values of a stack config or environment the harness hands the provider. */
export function noteSecretConfig(config: Record<string, string | undefined>): void {
    for (const [key, value] of Object.entries(config)) {
        if (SECRET_CONFIG.test(key) || /^(HW_ACCESS_KEY|HW_SECRET_KEY|HW_SECURITY_TOKEN|HUAWEICLOUD_SDK_AK|HUAWEICLOUD_SDK_SK)$/.test(key)) {
            noteSecret(value);
        }
    }
}

export function noteObserved(source: string, value: unknown): void {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (text) append({ kind: "observed", source, text });
}

export interface ScanResult {
    secrets: number;
    observed: number;
    leaks: Array<{ source: string; excerpt: string }>;
}

export function scanRecords(file: string): ScanResult {
    const records = fs.existsSync(file)
        ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as SecretRecord)
        : [];
    const secrets = [...new Set(records.filter((r) => r.kind === "secret").map((r) => (r as { value: string }).value))];
    const observed = records.filter((r) => r.kind === "observed") as Array<{ source: string; text: string }>;
    const leaks: ScanResult["leaks"] = [];
    for (const o of observed) {
        for (const s of secrets) {
            const at = o.text.indexOf(s);
            if (at >= 0) leaks.push({ source: o.source, excerpt: `${o.text.slice(Math.max(0, at - 40), at)}<secret ${s.length} chars>` });
        }
    }
    return { secrets: secrets.length, observed: observed.length, leaks };
}
