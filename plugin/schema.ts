/**
 * The package schema the plugin serves (GetSchema): plugin/schema.json, generated from the
 * resources' metadata by plugin/schemaGen.ts (`npm run gen:schema`) and checked for drift by
 * tests/plugin/schema.test.ts. Served as committed: generating needs the TypeScript compiler,
 * which a user's install does not have.
 */
import schema from "./schema.json";

export function schemaText(): string {
    return JSON.stringify(schema);
}
