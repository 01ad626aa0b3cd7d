/**
 * The Python and Go SDKs in sdk/python and sdk/go are what `pulumi package gen-sdk` makes of
 * plugin/schema.json today (`npm run gen:sdks` rewrites them): a schema change without them fails here.
 */
import * as fs from "fs";
import * as path from "path";

const { staleFiles } = require("../../scripts/gen-sdks.cjs") as { staleFiles(): Promise<string[]> };

jest.setTimeout(120_000);

it("sdk/python and sdk/go match the schema", async () => {
    expect(await staleFiles()).toEqual([]);
});

it("names the files a schema change leaves stale", async () => {
    const file = path.join(__dirname, "..", "..", "sdk", "python", "pulumi_modelarts", "dev_server.py");
    const original = fs.readFileSync(file, "utf8");
    try {
        fs.writeFileSync(file, original + "\n# edited by hand\n");
        expect(await staleFiles()).toEqual([path.join("sdk", "python", "pulumi_modelarts", "dev_server.py")]);
    } finally {
        fs.writeFileSync(file, original);
    }
});
