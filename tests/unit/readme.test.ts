/**
 * The README's DevServer input table against the field table: every argument users write has a row,
 * and its "on change" column starts with what the table says a change does (update, replace, none).
 * The table is written by hand (it explains each action); this keeps it from drifting.
 */
import * as fs from "fs";
import * as path from "path";
import { devServerShape } from "../../provider/resources/devServer/fields";

const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");

function devServerInputRows(): Map<string, string> {
    const section = README.slice(README.indexOf("### DevServer\n"), README.indexOf("#### Prepaid"));
    const rows = new Map<string, string>();
    for (const line of section.split("\n")) {
        const cells = line.split(" | ");
        if (!line.startsWith("| `") || cells.length < 3) continue;
        const onChange = cells[cells.length - 1].replace(/\s*\|\s*$/, "");
        for (const [, name] of cells[0].matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)) rows.set(name, onChange);
    }
    return rows;
}

describe("README DevServer inputs", () => {
    const rows = devServerInputRows();
    const args = devServerShape.inputNames.filter((n) => !devServerShape.internalInputs.includes(n));

    it.each(args)("%s has a row whose on-change column agrees with the field table", (name) => {
        const onChange = (devServerShape.inputs as Record<string, { options: { onChange: string } }>)[name].options.onChange;
        expect(rows.get(name)?.split(/[ :(]/)[0]).toBe(onChange);
    });

    it("lists no input the field table lacks", () => {
        expect([...rows.keys()].filter((n) => !args.includes(n as never))).toEqual([]);
    });
});
