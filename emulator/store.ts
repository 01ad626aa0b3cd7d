/**
 * Persistence of the emulator state to one JSON file. Every save writes a temporary file in the
 * same directory, fsyncs it and renames it over the target: a rename is atomic on POSIX file
 * systems, so a `kill -9` at any moment leaves either the old or the new state, never a torn file.
 */
import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { EmulatorState, emptyState } from "./model/state";

export class StateStore {
    constructor(readonly file: string | undefined) {}

    /** The saved state, or a clean one when there is no file (or no file configured). */
    load(): EmulatorState {
        if (!this.file || !fs.existsSync(this.file)) return emptyState();
        const text = fs.readFileSync(this.file, "utf8");
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch (err) {
            throw new Error(`emulator: state file ${this.file} is not valid JSON (${(err as Error).message}); move it away to start clean`);
        }
        const s = parsed as Partial<EmulatorState>;
        if (!s || typeof s !== "object" || s.version !== 1 || typeof s.projects !== "object") {
            throw new Error(`emulator: state file ${this.file} has an unknown format (expected version 1); move it away to start clean`);
        }
        return {
            ...emptyState(),
            ...s,
            failures: s.failures ?? [],
            tokens: s.tokens ?? [],
            temporaryCredentials: s.temporaryCredentials ?? [],
        } as EmulatorState;
    }

    save(state: EmulatorState): void {
        if (!this.file) return;
        const dir = path.dirname(path.resolve(this.file));
        fs.mkdirSync(dir, { recursive: true });
        const tmp = path.join(dir, `.${path.basename(this.file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
        const fd = fs.openSync(tmp, "w", 0o600);
        try {
            fs.writeSync(fd, JSON.stringify(state, null, 1));
            fs.fsyncSync(fd);
        } finally {
            fs.closeSync(fd);
        }
        try {
            fs.renameSync(tmp, this.file);
        } catch (err) {
            fs.rmSync(tmp, { force: true });
            throw err;
        }
        // Make the rename itself durable where the platform allows fsync on a directory.
        try {
            const dfd = fs.openSync(dir, "r");
            try {
                fs.fsyncSync(dfd);
            } finally {
                fs.closeSync(dfd);
            }
        } catch {
            /* not supported (e.g. Windows): the rename is still atomic */
        }
    }
}
