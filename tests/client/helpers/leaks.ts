/**
 * Collects every log line and error message a test file produces, to scan them for credentials.
 * Use `watchForLeaks(secrets)` at the top of a describe; it installs a log sink and checks in afterAll.
 */
import { LogLevel, setLogSink } from "../../../provider/log";

export interface LeakWatch {
    lines: string[];
    /** Records an error's message (and name) for the scan; returns the error. */
    record<E>(err: E): E;
    /** Awaits a promise expected to reject, records and returns the rejection. */
    rejection(p: Promise<unknown>): Promise<Error>;
}

export function watchForLeaks(secrets: () => string[]): LeakWatch {
    const watch: LeakWatch = {
        lines: [],
        record: (err) => {
            watch.lines.push(`error ${String((err as Error)?.name)}: ${String((err as Error)?.message)}`);
            watch.lines.push(String(err));
            return err;
        },
        rejection: async (p) => {
            try {
                await p;
            } catch (e) {
                return watch.record(e as Error);
            }
            throw new Error("expected a rejection");
        },
    };
    let restore: () => void = () => undefined;
    beforeAll(() => {
        restore = setLogSink((level: LogLevel, message: string) => watch.lines.push(`${level}: ${message}`));
    });
    afterAll(() => {
        restore();
        expect(watch.lines.length).toBeGreaterThan(0);
        const leaked: string[] = [];
        for (const secret of secrets()) {
            for (const line of watch.lines) if (secret && line.includes(secret)) leaked.push(`${secret.slice(0, 3)}… in: ${line.slice(0, 80)}`);
        }
        expect(leaked).toEqual([]);
    });
    return watch;
}
