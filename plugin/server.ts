/**
 * Serves the plugin on `@pulumi/pulumi`'s own provider server (`provider.main`), which handles
 * GetSchema, GetPluginInfo, Check, Diff, Create, Read, Update, Delete and the gRPC plumbing. Three
 * configuration methods of that server do not fit a provider with configuration: its Configure
 * ignores the request, and CheckConfig / DiffConfig answer UNIMPLEMENTED. So, while `main` registers
 * its service, the handlers of those three are replaced by the ones below, and its Diff answer gains
 * the changed properties; everything else is Pulumi's.
 */
import * as path from "path";
import { registerSecret } from "../provider/log";
import { checkConfig, CONFIG_KEYS, configValues, stackConfigSource, unwrapSecrets } from "./config";
import { logToEngine } from "./engineLog";
import { makeProvider, takeChangedKeys } from "./provider";
import { configureImplementation } from "./resources";

type Callback = (err: unknown, value?: unknown) => void;
type Handler = (call: { request: any }, callback: Callback) => void;

/** Pulumi's copies of gRPC and the protobuf stubs: the server must be given the same module instances. */
function fromPulumi(id: string): any {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    return require(require.resolve(id, { paths: [pulumiDir] }));
}

const provproto = fromPulumi("@pulumi/pulumi/proto/provider_pb");

/** Configure: the `modelarts:*` configuration, handed to the implementation's one resolver. */
export const configure: Handler = (call, callback) => {
    try {
        const req = call.request;
        const values = configValues(req.getArgs()?.toJavaScript(), req.getVariablesMap().toArray());
        for (const key of CONFIG_KEYS) {
            if (!key.secret) continue;
            registerSecret(values.get(key.name));
            if (key.alias) registerSecret(values.get(key.alias));
        }
        void configureImplementation({ config: stackConfigSource(values) });
        const resp = new provproto.ConfigureResponse();
        resp.setAcceptsecrets(true);
        // No resource references or output values in these resources' properties, and no preview
        // Create/Update: the engine plans previews from Check and Diff alone.
        resp.setAcceptresources(false);
        resp.setAcceptoutputs(false);
        resp.setSupportspreview(false);
        callback(null, resp);
    } catch (err) {
        callback({ code: 3, details: `configure: ${err instanceof Error ? err.message : String(err)}` });
    }
};

/** CheckConfig: each unknown key or wrong type named, with the known keys; the values pass through as sent. */
export const checkConfigHandler: Handler = (call, callback) => {
    try {
        const req = call.request;
        const news = req.getNews()?.toJavaScript() ?? {};
        const resp = new provproto.CheckResponse();
        resp.setInputs(req.getNews());
        resp.setFailuresList(
            checkConfig(news).map((f) => {
                const failure = new provproto.CheckFailure();
                failure.setProperty(f.property);
                failure.setReason(f.reason);
                return failure;
            }),
        );
        callback(null, resp);
    } catch (err) {
        callback({ code: 3, details: `checkConfig: ${err instanceof Error ? err.message : String(err)}` });
    }
};

/**
 * DiffConfig: a changed key is an update of the provider, never a replacement: every call resolves
 * the configuration afresh, and a resource that cannot move (region, project) replaces itself in
 * its own Diff.
 */
export const diffConfig: Handler = (call, callback) => {
    try {
        const req = call.request;
        const olds = unwrapSecrets(req.getOlds()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const news = unwrapSecrets(req.getNews()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
        const changed = [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
        const resp = new provproto.DiffResponse();
        resp.setChanges(changed.length ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
        resp.setDiffsList(changed);
        callback(null, resp);
    } catch (err) {
        callback({ code: 3, details: `diffConfig: ${err instanceof Error ? err.message : String(err)}` });
    }
};

function packageVersion(): string {
    // dist/plugin -> the package root (also the repository root when run from a clone).
    const pkg = require(path.join(__dirname, "..", "..", "package.json")) as { version: string };
    return pkg.version;
}

/** Starts the plugin: prints its port on stdout, as the engine expects, and serves until killed. */
export async function serve(args: string[]): Promise<void> {
    const grpc = fromPulumi("@grpc/grpc-js");
    const { main } = fromPulumi("@pulumi/pulumi/provider");
    const original = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: Record<string, { path?: string }>, impl: Record<string, Handler>) {
        // Pulumi's Server instance: only these three of its methods are replaced.
        if (service?.configure?.path === "/pulumirpc.ResourceProvider/Configure") {
            impl.configure = configure;
            impl.checkConfig = checkConfigHandler;
            impl.diffConfig = diffConfig;
            // Pulumi's Diff answer, with the changed properties its server leaves out.
            const pulumiDiff = impl.diff;
            impl.diff = (call, callback) =>
                pulumiDiff.call(impl, call, (err: unknown, resp?: any) => {
                    const keys = takeChangedKeys(call.request.getUrn());
                    if (!err && resp && keys?.length) resp.setDiffsList(keys);
                    callback(err, resp);
                });
        }
        return original.call(this, service, impl);
    };
    // The engine's address is the plugin's one positional argument.
    logToEngine(args.find((a) => !a.startsWith("-")));
    try {
        await main(makeProvider(packageVersion()), args);
    } finally {
        grpc.Server.prototype.addService = original;
    }
}
