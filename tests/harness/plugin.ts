/**
 * Plays the Pulumi engine's side of the provider-plugin protocol against the plugin executable, as
 * the engine does: spawn `bin/pulumi-resource-modelarts`, read its gRPC port from the first line of
 * stdout, connect with @grpc/grpc-js and the proto stubs `@pulumi/pulumi` ships. Every response,
 * error and output line goes through the suite-wide secret scan (tests/harness/secretScan.ts).
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { cleanEnv, decodeError, Props, REPO_ROOT, toStruct } from "./engine";
import { noteObserved, noteSecretConfig, noteSecretInputs } from "./secretScan";

const grpc = require("@grpc/grpc-js");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");

export const PLUGIN_BIN = path.join(REPO_ROOT, "bin", "pulumi-resource-modelarts");

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** A value as the engine sends a secret to a provider that accepts secrets. */
export const secret = (value: unknown) => ({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
export const isSecret = (v: unknown): boolean => !!v && typeof v === "object" && SECRET_SIG in (v as object);

/** A URN as the engine builds it for a resource of the plugin's package. */
export function pluginUrn(type: "DevServer" | "NotebookAutoStop" | "Notebook", name: string): string {
    return `urn:pulumi:test::plugin-test::modelarts:index:${type}::${name}`;
}
export const PROVIDER_URN = "urn:pulumi:test::plugin-test::pulumi:providers:modelarts::default";

export interface CheckResult {
    inputs: Props;
    failures: { property: string; reason: string }[];
}

export class PluginHost {
    private constructor(
        /** Lines the plugin wrote to stdout (after the port) and stderr. */
        readonly output: string[],
        private readonly child: ChildProcess,
        private readonly client: any,
    ) {}

    static async start(env: Record<string, string | undefined> = {}): Promise<PluginHost> {
        noteSecretConfig(env);
        const child = spawn(process.execPath, [PLUGIN_BIN], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
        const output: string[] = [];
        const collect = (line: string) => {
            noteObserved("plugin output", line);
            output.push(line);
        };
        const port: string = await new Promise((resolve, reject) => {
            let gotPort = false;
            readline.createInterface({ input: child.stdout! }).on("line", (line) => {
                if (!gotPort) {
                    gotPort = true;
                    resolve(line.trim());
                } else collect(line);
            });
            readline.createInterface({ input: child.stderr! }).on("line", collect);
            child.once("exit", (code) => reject(new Error(`plugin exited with ${code}: ${output.join("\n")}`)));
        });
        expect(port).toMatch(/^\d+$/);
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new PluginHost(output, child, client);
    }

    private call<T>(method: string, request: any): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](request, (err: any, resp: T) => {
                if (!err) return resolve(resp);
                const error = decodeError(err);
                noteObserved(`plugin ${method} error`, error.message);
                if (error.initFailure) noteObserved(`plugin ${method} init-failure properties`, error.initFailure);
                reject(error);
            });
        });
    }

    async getSchema(): Promise<Props> {
        const req = new provproto.GetSchemaRequest();
        const resp: any = await this.call("getSchema", req);
        return JSON.parse(resp.getSchema());
    }

    async getPluginInfo(): Promise<string> {
        const resp: any = await this.call("getPluginInfo", new emptyproto.Empty());
        return resp.getVersion();
    }

    /** CheckConfig as the engine sends it for a default provider: property names, secrets wrapped. */
    async checkConfig(news: Props): Promise<CheckResult> {
        const req = new provproto.CheckRequest();
        req.setUrn(PROVIDER_URN);
        req.setOlds(toStruct({}));
        req.setNews(toStruct(news));
        const resp: any = await this.call("checkConfig", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    /**
     * Configure as the engine sends it: `args` with the property names (secrets wrapped when given
     * as `secret(...)`), `variables` keyed `modelarts:<key>` with plain strings.
     */
    async configure(args: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(toStruct(args));
        for (const [k, v] of Object.entries(args)) {
            const plain = isSecret(v) ? (v as { value: unknown }).value : v;
            noteSecretConfig({ [k]: String(plain) });
            req.getVariablesMap().set(`modelarts:${k}`, String(plain));
        }
        req.setAcceptsecrets(true);
        const resp: any = await this.call("configure", req);
        return { acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() };
    }

    async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
        noteSecretInputs(unwrapTop(news));
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const resp: any = await this.call("check", req);
        const result = {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
        noteObserved("plugin check failures", result.failures);
        return result;
    }

    async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; diffs: string[] }> {
        const req = new provproto.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const resp: any = await this.call("diff", req);
        const C = provproto.DiffResponse.DiffChanges;
        const changes = resp.getChanges();
        return { changes: changes === C.DIFF_SOME ? "some" : changes === C.DIFF_NONE ? "none" : "unknown", replaces: resp.getReplacesList(), diffs: resp.getDiffsList() };
    }

    async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
        noteSecretInputs(unwrapTop(properties));
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(toStruct(properties));
        const resp: any = await this.call("create", req);
        const result = { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
        noteObserved("plugin create properties", result.properties);
        return result;
    }

    async read(urn: string, id: string, properties: Props = {}, inputs: Props = {}): Promise<{ id: string; properties: Props; inputs: Props }> {
        const req = new provproto.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(toStruct(properties));
        req.setInputs(toStruct(inputs));
        const resp: any = await this.call("read", req);
        const result = { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {}, inputs: resp.getInputs()?.toJavaScript() ?? {} };
        noteObserved("plugin read", result);
        return result;
    }

    async update(urn: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        noteSecretInputs(unwrapTop(news));
        const req = new provproto.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const resp: any = await this.call("update", req);
        const result = { properties: resp.getProperties()?.toJavaScript() ?? {} };
        noteObserved("plugin update properties", result.properties);
        return result;
    }

    async delete(urn: string, id: string, properties: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(toStruct(properties));
        await this.call("delete", req);
    }

    /** Invoke of a function token, as the engine sends it for `fn::invoke` / `getX(...)`. */
    async invoke(token: string, args: Props): Promise<{ outputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new provproto.InvokeRequest();
        req.setTok(token);
        req.setArgs(toStruct(args));
        const resp: any = await this.call("invoke", req);
        const result = {
            outputs: resp.getReturn()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
        noteObserved("plugin invoke", result);
        return result;
    }

    async close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill("SIGTERM");
            await exited;
        }
    }
}

function unwrapTop(props: Props): Props {
    const out: Props = {};
    for (const [k, v] of Object.entries(props)) out[k] = isSecret(v) ? (v as { value: unknown }).value : v;
    return out;
}
