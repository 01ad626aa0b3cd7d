/**
 * The implementation's messages (wait progress, warnings) as the engine's own diagnostics, attached
 * to the resource they are about. The engine shows nothing a provider plugin writes to stderr, so
 * without this a YAML / Python / Go user saw no progress line and no warning at all (the dynamic
 * resources' host forwards stderr; a plugin must call the engine's Log).
 */
import { AsyncLocalStorage } from "async_hooks";
import * as path from "path";
import { LogLevel, setLogSink } from "../provider/log";

/** The URN of the resource whose operation is running (each gRPC call runs in its own context). */
const current = new AsyncLocalStorage<string>();

/** Runs `work` with its log lines attached to `urn`. */
export function withResource<T>(urn: string, work: () => Promise<T>): Promise<T> {
    return current.run(urn, work);
}

function fromPulumi(id: string): any {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    return require(require.resolve(id, { paths: [pulumiDir] }));
}

/**
 * Sends every log line to the engine at `engineAddress` (the address the engine passes the plugin
 * as its first argument). Lines that cannot be delivered go to stderr, as before.
 */
export function logToEngine(engineAddress: string | undefined): void {
    if (!engineAddress) return;
    const grpc = fromPulumi("@grpc/grpc-js");
    const enginerpc = fromPulumi("@pulumi/pulumi/proto/engine_grpc_pb");
    const engineproto = fromPulumi("@pulumi/pulumi/proto/engine_pb");
    const client = new enginerpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
    const severity: Record<LogLevel, number> = {
        debug: engineproto.LogSeverity.DEBUG,
        info: engineproto.LogSeverity.INFO,
        warn: engineproto.LogSeverity.WARNING,
        error: engineproto.LogSeverity.ERROR,
    };
    setLogSink((level, message) => {
        const req = new engineproto.LogRequest();
        req.setSeverity(severity[level]);
        req.setMessage(message);
        req.setUrn(current.getStore() ?? "");
        client.log(req, (err: Error | null) => {
            if (err) process.stderr.write(`[modelarts] ${level === "info" ? "" : level + ": "}${message}\n`);
        });
    });
}
