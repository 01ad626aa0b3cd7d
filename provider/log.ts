/**
 * The provider's one logging channel. Lines go to a sink (stderr by default, which the Pulumi engine
 * shows as diagnostics of the dynamic provider); tests install their own sink to read them.
 *
 * Every line passes through `redact`, which masks any value registered with `registerSecret`
 * (credentials, passwords, user data): a second line of defence behind never formatting them.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogSink = (level: LogLevel, message: string) => void;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const secrets = new Set<string>();

/** Values shorter than this are not masked: masking "1" or "true" would garble every line. */
const MIN_SECRET_LENGTH = 4;

export function registerSecret(value: string | undefined): void {
    if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

export function redact(text: string): string {
    let out = text;
    for (const s of secrets) {
        if (out.includes(s)) out = out.split(s).join("***");
    }
    return out;
}

function thresholdFromEnv(): LogLevel {
    const value = (process.env.PULUMI_MODELARTS_LOG_LEVEL ?? "").toLowerCase();
    return value in LEVEL_ORDER ? (value as LogLevel) : "info";
}

const stderrSink: LogSink = (level, message) => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[thresholdFromEnv()]) return;
    process.stderr.write(`[modelarts] ${level === "info" ? "" : level + ": "}${message}\n`);
};

let sink: LogSink = stderrSink;

/** Replaces the sink; returns a function that restores the previous one. */
export function setLogSink(next: LogSink): () => void {
    const previous = sink;
    sink = next;
    return () => {
        sink = previous;
    };
}

function emit(level: LogLevel, message: string): void {
    sink(level, redact(message));
}

export const log = {
    debug: (message: string) => emit("debug", message),
    info: (message: string) => emit("info", message),
    warn: (message: string) => emit("warn", message),
    error: (message: string) => emit("error", message),
};
