/** Durations as users write them ("1h30m", "90s", seconds) and as messages show them. */

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses "45m", "1h30m", "90s" or a number of seconds; undefined if malformed. */
export function parseDuration(value: string | number): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
    const m = DURATION.exec(value.trim());
    if (!m || value.trim() === "") return undefined;
    const ms = ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
    return ms > 0 ? ms : undefined;
}

export function formatDuration(ms: number): string {
    const totalSeconds = Math.round(ms / 1000);
    if (totalSeconds < 60) return ms < 10000 ? `${(ms / 1000).toFixed(1)}s` : `${totalSeconds}s`;
    const h = Math.floor(totalSeconds / 3600);
    const m = Math.floor((totalSeconds % 3600) / 60);
    const s = totalSeconds % 60;
    return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
