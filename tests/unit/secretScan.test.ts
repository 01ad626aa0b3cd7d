import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { noteObserved, noteSecretConfig, noteSecretInputs, scanRecords } from "../harness/secretScan";

describe("the suite-wide secret scan", () => {
    const previous = process.env.SECRET_SCAN_FILE;
    let file: string;
    beforeEach(() => {
        file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "scan-test-")), "records.jsonl");
        process.env.SECRET_SCAN_FILE = file;
    });
    afterEach(() => {
        process.env.SECRET_SCAN_FILE = previous;
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
    });

    it("finds a secret input or credential that shows up in an output, and says where", () => {
        noteSecretInputs({ adminPass: "Zq9!secretPassX", name: "not-a-secret" });
        noteSecretConfig({ "huaweicloud:secretKey": "sk-abcdefgh", "huaweicloud:region": "cn-north-4" });
        noteObserved("create properties", { name: "not-a-secret", note: "pass is Zq9!secretPassX" });
        noteObserved("host output", "signing with sk-abcdefgh");
        noteObserved("host output", "region cn-north-4");
        const result = scanRecords(file);
        expect(result.secrets).toBe(2);
        expect(result.leaks.map((l) => l.source).sort()).toEqual(["create properties", "host output"]);
        expect(result.leaks.every((l) => !l.excerpt.includes("Zq9!secretPassX") && !l.excerpt.includes("sk-abcdefgh"))).toBe(true);
    });

    it("reports nothing when outputs hold no secret", () => {
        noteSecretInputs({ userData: "#!/bin/sh echo SUPER-SECRET" });
        noteObserved("read properties", { userDataDigest: "scrypt1:00:11" });
        expect(scanRecords(file).leaks).toEqual([]);
    });
});
