/** Entry point of `pulumi-resource-modelarts` (bin/): the engine starts it with its own address as argument. */
import { serve } from "./server";

serve(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`pulumi-resource-modelarts: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
