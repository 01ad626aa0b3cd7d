/**
 * The generic diff (provider/resources/diff.ts) on a small table of its own: what each field
 * option plans, and what each of a resource's rules changes. The resources' own plans are covered
 * end to end in tests/engine and tests/plugin.
 */
import { z } from "zod";
import { secretDigest, UNKNOWN } from "../../provider/resources/common";
import { diffByTable, DiffRules } from "../../provider/resources/diff";
import { computed, defineResource, field } from "../../provider/resources/fields";
import { setLogSink } from "../../provider/log";

const shape = defineResource({
    inputs: {
        name: field(z.string(), { onChange: "update" }),
        image: field(z.string(), { onChange: "replace", replaceNote: "the disk is rebuilt" }),
        size: field(z.number().optional(), { onChange: "update", updateNote: "restarts the machine" }),
        password: field(z.string().optional(), { onChange: "replace", secret: true }),
        tags: field(z.array(z.string()).optional(), { onChange: "update" }),
        billing: field(z.object({ mode: z.string(), renew: z.boolean().optional() }).optional(), { onChange: "replace", keys: { renew: "update" } }),
        ip: field(z.string().optional(), { onChange: "update", onceSet: "replace" }),
        kind: field(z.string().optional(), { onChange: "replace" }),
        oldKind: field(z.string().optional(), { onChange: "replace", sameAs: "kind" }),
        replaceOnChanges: field(z.array(z.string()).optional(), { onChange: "none", inState: false, internal: true }),
    },
    outputs: { passwordDigest: computed<string | undefined>(), status: computed<string | undefined>() },
});

const rules: DiffRules = { what: "Thing t1" };
const recorded = { name: "a", image: "i1", size: 1, passwordDigest: secretDigest("pw"), tags: ["x", "y"], billing: { mode: "M", renew: false }, kind: "k" };
const declared = { name: "a", image: "i1", size: 1, password: "pw", tags: ["y", "x"], billing: { mode: "M", renew: false }, kind: "k" };
const plan = (news: Record<string, unknown>, olds: Record<string, unknown> = recorded, r: DiffRules = rules) =>
    diffByTable(shape, olds, { ...declared, ...news }, r);

describe("diffByTable", () => {
    let warnings: string[] = [];
    let restore: () => void;
    beforeEach(() => {
        warnings = [];
        restore = setLogSink((level, message) => level === "warn" && message.startsWith("Thing") && warnings.push(message));
    });
    afterEach(() => restore());

    it("plans nothing for the recorded declaration (lists as sets, the secret by its digest)", () => {
        expect(plan({})).toEqual({ changes: false, replaces: [], updates: [], deleteBeforeReplace: false });
    });

    it("updates or replaces as each field's onChange says, and says the field's note", () => {
        expect(plan({ name: "b", size: 2 })).toMatchObject({ changes: true, replaces: [], updates: ["name", "size"] });
        expect(warnings).toEqual(["Thing t1: size restarts the machine"]);
        warnings = [];
        expect(plan({ image: "i2", size: 2 })).toMatchObject({ replaces: ["image"], updates: ["size"] });
        expect(warnings).toEqual(["Thing t1: replaced because image changed: the disk is rebuilt"]);
    });

    it("compares a secret with the state's <name>Digest, an unknown one as a change", () => {
        expect(plan({ password: "other" }).replaces).toEqual(["password"]);
        expect(plan({ password: UNKNOWN }).replaces).toEqual(["password"]);
        expect(plan({ password: undefined }).changes).toBe(false);
    });

    it("names the key of an object whose keys differ in what a change does", () => {
        expect(plan({ billing: { mode: "M", renew: true } })).toMatchObject({ replaces: [], updates: ["billing.renew"] });
        expect(plan({ billing: { mode: "N", renew: false } })).toMatchObject({ replaces: ["billing.mode"], updates: [] });
    });

    it("applies onceSet once a value is recorded, and empties a list removed from the declaration", () => {
        expect(plan({ ip: "e1" }).updates).toEqual(["ip"]);
        expect(plan({ ip: "e2" }, { ...recorded, ip: "e1" }).replaces).toEqual(["ip"]);
        expect(plan({ ip: undefined }, { ...recorded, ip: "e1" }).replaces).toEqual(["ip"]);
        expect(plan({ tags: undefined }).updates).toEqual(["tags"]);
    });

    it("takes a sameAs pair as one setting, under the name declared", () => {
        expect(plan({ kind: undefined, oldKind: "k" }).changes).toBe(false);
        expect(plan({ kind: undefined, oldKind: "j" }).replaces).toEqual(["oldKind"]);
    });

    it("skips what the import could not report", () => {
        expect(plan({ image: "i2" }, { ...recorded, unreportedSinceImport: ["image"] }).changes).toBe(false);
    });

    it("moves the in-place changes replaceOnChanges names to the replacements", () => {
        expect(plan({ name: "b", size: 2, replaceOnChanges: ["size"] })).toMatchObject({ replaces: ["size"], updates: ["name"] });
    });

    it("leaves out the inputs the rules ignore", () => {
        expect(plan({ name: "b", size: 2 }, recorded, { ...rules, ignored: ["size"] }).updates).toEqual(["name"]);
    });

    it("runs the resource's adjust hook before replaceOnChanges, and deletes first when the rules say so", () => {
        const adjust: DiffRules["adjust"] = (p) => {
            if (p.replaces.length === 0) p.updates.push("status");
        };
        expect(plan({ replaceOnChanges: ["*"] }, recorded, { ...rules, adjust })).toMatchObject({ changes: true, replaces: ["status"], updates: [] });
        expect(plan({ image: "i2" }, recorded, { ...rules, adjust, deleteBeforeReplace: true })).toMatchObject({ replaces: ["image"], deleteBeforeReplace: true });
        expect(plan({ name: "b" }, recorded, { ...rules, deleteBeforeReplace: true })).toMatchObject({ updates: ["name"], deleteBeforeReplace: false });
    });
});
