// Starts the suite-wide secret scan: every worker appends to this file (see secretScan.ts).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export default async function globalSetup(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-secret-scan-"));
    process.env.SECRET_SCAN_FILE = path.join(dir, "records.jsonl");
    fs.writeFileSync(process.env.SECRET_SCAN_FILE, "");
}
