/**
 * The plugin's package schema is generated from the resources' metadata (plugin/schemaGen.ts,
 * through the one adapter plugin/resources.ts) and must not drift: the committed plugin/schema.json
 * equals what the generator makes now, and it agrees structurally with the metadata itself.
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../../plugin/config";
import { publicInputs, RESOURCES } from "../../plugin/resources";
import { schemaFileText, SCHEMA_FILE } from "../../plugin/schemaGen";
import { REPO_ROOT } from "../harness/engine";

const committedText = fs.readFileSync(path.join(REPO_ROOT, SCHEMA_FILE), "utf8");
const schema = JSON.parse(committedText);

describe("plugin/schema.json", () => {
    it("is exactly what the resources' metadata generates (else: npm run gen:schema, and commit it)", () => {
        const generated = schemaFileText(REPO_ROOT);
        if (generated !== committedText) {
            throw new Error(`${SCHEMA_FILE} drifted from the resources' metadata: run \`npm run gen:schema\` and commit the result`);
        }
    }, 60_000);

    it.each(RESOURCES.map((r) => [r.token, r] as const))("%s: every input, required input, secret, replace field and computed output", (token, meta) => {
        const res = schema.resources[token];
        expect(res).toBeDefined();
        const inputs = publicInputs(meta);
        expect(Object.keys(res.inputProperties)).toEqual(inputs);
        for (const internal of meta.internalInputs) expect(res.inputProperties[internal]).toBeUndefined();
        const zodRequired = Object.entries(meta.inputSchema.shape).filter(([, s]) => !(s as any).safeParse(undefined).success).map(([k]) => k);
        expect(res.requiredInputs.sort()).toEqual(zodRequired.filter((k) => inputs.includes(k)).sort());
        for (const name of inputs) {
            expect({ name, secret: res.inputProperties[name].secret === true }).toEqual({ name, secret: meta.secretInputs.includes(name) });
            expect({ name, replace: res.inputProperties[name].replaceOnChanges === true }).toEqual({ name, replace: meta.replaceOnChanges.includes(name) });
        }
        for (const name of meta.computedOutputs) expect(Object.keys(res.properties)).toContain(name);
        // Secret inputs never come back as outputs (the state keeps digests).
        for (const name of meta.secretInputs) expect(res.properties[name]).toBeUndefined();
        // Every $ref resolves.
        const refs = JSON.stringify(res).match(/#\/types\/[^"]+/g) ?? [];
        for (const ref of refs) expect(schema.types[ref.slice("#/types/".length)]).toBeDefined();
    });

    it("DevServer: the replace fields are REPLACE_FIELDS plus the secrets and the location", () => {
        const res = schema.resources["modelarts:index:DevServer"];
        const replaced = Object.entries(res.inputProperties).filter(([, p]: [string, any]) => p.replaceOnChanges).map(([k]) => k);
        expect(replaced).toEqual(expect.arrayContaining(["resourceFlavor", "flavor", "vpcId", "securityGroupId", "adminPass", "userData", "region", "projectId"]));
        // An image change is applied in place (change OS), not a replacement.
        expect(replaced).not.toContain("imageId");
        expect(replaced).not.toContain("name");
        expect(replaced).not.toContain("powerState");
        expect(res.inputProperties.powerState.description).toMatch(/RUNNING/);
    });

    it("configuration: every key, the credentials secret", () => {
        expect(Object.keys(schema.config.variables)).toEqual(CONFIG_KEYS.map((k) => k.name));
        expect(Object.keys(schema.config.variables)).toEqual(["region", "projectId", "accessKey", "secretKey", "securityToken", "modelartsEndpoint", "bssEndpoint", "domainId", "iamEndpoint", "cloud", "insecure"]);
        const secrets = Object.entries(schema.config.variables).filter(([, v]: [string, any]) => v.secret).map(([k]) => k);
        expect(secrets).toEqual(["accessKey", "secretKey", "securityToken"]);
        expect(schema.provider.inputProperties).toEqual(schema.config.variables);
    });
});
