/**
 * The README's DevServer input table against the field table: every argument users write has a row,
 * and its "on change" column starts with what the table says a change does (update, replace, none).
 * The table is written by hand (it explains each action); this keeps it from drifting.
 */
import * as fs from "fs";
import * as path from "path";
import { devServerShape } from "../../provider/resources/devServer/fields";
import { notebookShape } from "../../provider/resources/notebook/fields";

const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");

function inputRows(from: string, to: string): Map<string, string> {
    const section = README.slice(README.indexOf(from), README.indexOf(to));
    const rows = new Map<string, string>();
    for (const line of section.split("\n")) {
        const cells = line.split(" | ");
        if (!line.startsWith("| `") || cells.length < 3) continue;
        const onChange = cells[cells.length - 1].replace(/\s*\|\s*$/, "");
        for (const [, name] of cells[0].matchAll(/`([A-Za-z][A-Za-z0-9]*)`/g)) rows.set(name, onChange);
    }
    return rows;
}

describe.each([
    { resource: "DevServer", shape: devServerShape, from: "### DevServer\n", to: "#### Prepaid" },
    { resource: "Notebook", shape: notebookShape, from: "### Notebook\n", to: "#### Coming from Terraform's `huaweicloud_modelarts_notebook`" },
])("README $resource inputs", ({ shape, from, to }) => {
    const rows = inputRows(from, to);
    const args = (shape.inputNames as readonly string[]).filter((n) => !(shape.internalInputs as readonly string[]).includes(n));

    it.each(args)("%s has a row whose on-change column agrees with the field table", (name) => {
        const onChange = (shape.inputs as Record<string, { options: { onChange: string } }>)[name].options.onChange;
        expect(rows.get(name)?.split(/[ :(]/)[0]).toBe(onChange);
    });

    it("lists no input the field table lacks", () => {
        expect([...rows.keys()].filter((n) => !args.includes(n))).toEqual([]);
    });
});
