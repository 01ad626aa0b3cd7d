// Ends the suite-wide secret scan: fails the run if any secret handed to the provider shows up in
// anything the engine side saw. Runs after every test file, so it covers the whole suite.
import * as fs from "fs";
import * as path from "path";
import { scanRecords } from "./secretScan";

export default async function globalTeardown(): Promise<void> {
    const file = process.env.SECRET_SCAN_FILE;
    if (!file || !fs.existsSync(file)) return;
    const result = scanRecords(file);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    console.log(`\nsecret scan: ${result.observed} outputs, log lines and errors checked against ${result.secrets} secrets`);
    if (result.leaks.length > 0) {
        const lines = result.leaks.slice(0, 20).map((l) => `  ${l.source}: ...${l.excerpt}`);
        throw new Error(`secret scan: ${result.leaks.length} leak(s) of secrets handed to the provider:\n${lines.join("\n")}`);
    }
}
