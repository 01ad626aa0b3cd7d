/**
 * Plays the Pulumi engine's side of the dynamic-provider protocol against what Pulumi really ships:
 * the provider is serialized by `@pulumi/pulumi`'s closure serializer exactly as
 * `dynamic.Resource` does it, `@pulumi/pulumi/cmd/dynamic-provider` runs as a child process (as the
 * engine's `pulumi-resource-pulumi-nodejs` starts it), and its gRPC methods are called with the
 * property structs the engine sends. An Engine service is served at the address handed to the host,
 * so log lines sent through the engine's `Log` call are captured too.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { noteObserved, noteSecretConfig, noteSecretInputs } from "./secretScan";

const grpc = require("@grpc/grpc-js");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const statusproto = require("@pulumi/pulumi/proto/status_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The engine's marker for a value not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, any>;

export interface EngineLog {
    severity: number;
    message: string;
    urn: string;
    ephemeral: boolean;
}

/** An error the host answered with; `initFailure` is set for Pulumi's ErrorResourceInitFailed. */
export class HostError extends Error {
    constructor(
        message: string,
        readonly code: number,
        readonly initFailure?: { id: string; properties: Props; reasons: string[] },
    ) {
        super(message);
        this.name = "HostError";
    }
}

/**
 * The text a Pulumi program stores as `__provider` for the named export of `pulumi-modelarts`
 * (`devServerShim`, `notebookShim`, `notebookAutoStopShim`), read from the built package in a plain
 * Node process as a program reads it.
 */
export function providerTextOf(exportName: string): string {
    const script = `process.stdout.write(require("pulumi-modelarts")[${JSON.stringify(exportName)}]);`;
    const text = execFileSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, encoding: "utf8", env: cleanEnv() });
    noteObserved(`provider text ${exportName}`, text);
    return text;
}

/** The environment of the host: the machine's, without any Huawei Cloud settings of the developer's. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (/^(HW_|HUAWEICLOUD_|PULUMI_MODELARTS_)/.test(k)) continue;
        env[k] = v;
    }
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
    return env;
}

export function toStruct(obj: Props) {
    return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(obj)));
}

export interface HostOptions {
    env?: Record<string, string | undefined>;
    cwd?: string;
}

export class ProviderHost {
    private constructor(
        /** Lines the host wrote to stdout (after the port line) and stderr: what the engine shows. */
        readonly output: string[],
        /** Calls to the Engine service's Log. */
        readonly engineLogs: EngineLog[],
        private readonly child: ChildProcess,
        private readonly client: any,
        private readonly engineServer: any,
    ) {}

    static async start(options: HostOptions = {}): Promise<ProviderHost> {
        const engineLogs: EngineLog[] = [];
        const engineServer = new grpc.Server();
        engineServer.addService(enginerpc.EngineService, {
            log: (call: any, cb: any) => {
                const r = call.request;
                engineLogs.push({ severity: r.getSeverity(), message: r.getMessage(), urn: r.getUrn(), ephemeral: r.getEphemeral() });
                noteObserved("engine log", r.getMessage());
                cb(null, new emptyproto.Empty());
            },
            getRootResource: (_c: any, cb: any) => cb({ code: grpc.status.UNIMPLEMENTED }),
            setRootResource: (_c: any, cb: any) => cb({ code: grpc.status.UNIMPLEMENTED }),
            startDebugging: (_c: any, cb: any) => cb({ code: grpc.status.UNIMPLEMENTED }),
            requirePulumiVersion: (_c: any, cb: any) => cb({ code: grpc.status.UNIMPLEMENTED }),
        });
        const enginePort: number = await new Promise((resolve, reject) =>
            engineServer.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, port: number) =>
                err ? reject(err) : resolve(port),
            ),
        );
        noteSecretConfig(options.env ?? {});
        const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [REPO_ROOT] });
        const child = spawn(process.execPath, [hostScript, `127.0.0.1:${enginePort}`], {
            cwd: options.cwd ?? REPO_ROOT,
            env: cleanEnv(options.env),
            stdio: ["ignore", "pipe", "pipe"],
        });
        const output: string[] = [];
        // Every line the engine would show also goes through the suite-wide secret scan.
        const collect = (line: string) => {
            noteObserved("host output", line);
            output.push(line);
        };
        const port: string = await new Promise((resolve, reject) => {
            const lines = readline.createInterface({ input: child.stdout! });
            let gotPort = false;
            lines.on("line", (line) => {
                if (!gotPort) {
                    gotPort = true;
                    resolve(line.trim());
                } else collect(line);
            });
            readline.createInterface({ input: child.stderr! }).on("line", collect);
            child.once("exit", (code) => reject(new Error(`provider host exited with ${code}: ${output.join("\n")}`)));
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        return new ProviderHost(output, engineLogs, child, client, engineServer);
    }

    /** The host's process id (to sample its memory). */
    get pid(): number | undefined {
        return this.child.pid;
    }

    private call<T>(method: string, request: any): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](request, (err: any, resp: T) => {
                if (!err) return resolve(resp);
                const error = decodeError(err);
                noteObserved(`${method} error`, error.message);
                if (error.initFailure) noteObserved(`${method} init-failure properties`, error.initFailure);
                reject(error);
            });
        });
    }

    /** The engine's Configure: stack config as `args` (keys like `huaweicloud:region`). */
    async configure(config: Record<string, string> = {}): Promise<void> {
        noteSecretConfig(config);
        const req = new provproto.ConfigureRequest();
        req.setArgs(toStruct(config));
        for (const [k, v] of Object.entries(config)) req.getVariablesMap().set(k, v);
        await this.call("configure", req);
    }

    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        noteSecretInputs(news);
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const resp: any = await this.call("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = new provproto.DiffRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        const resp: any = await this.call("diff", req);
        const changes = resp.getChanges();
        const C = provproto.DiffResponse.DiffChanges;
        return {
            changes: changes === C.DIFF_SOME ? "some" : changes === C.DIFF_NONE ? "none" : "unknown",
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
        };
    }

    async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(toStruct(properties));
        noteSecretInputs(properties);
        const resp: any = await this.call("create", req);
        const result = { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
        noteObserved("create properties", withoutProvider(result.properties));
        return result;
    }

    async read(urn: string, id: string, properties: Props, inputs: Props = {}): Promise<{ id: string; properties: Props; inputs: Props }> {
        const req = new provproto.ReadRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(toStruct(properties));
        req.setInputs(toStruct(inputs));
        const resp: any = await this.call("read", req);
        const result = {
            id: resp.getId(),
            properties: resp.getProperties()?.toJavaScript() ?? {},
            inputs: resp.getInputs()?.toJavaScript() ?? {},
        };
        noteObserved("read properties", withoutProvider(result.properties));
        noteObserved("read inputs", withoutProvider(result.inputs));
        return result;
    }

    async update(urn: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        const req = new provproto.UpdateRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setOlds(toStruct(olds));
        req.setNews(toStruct(news));
        noteSecretInputs(news);
        const resp: any = await this.call("update", req);
        const result = { properties: resp.getProperties()?.toJavaScript() ?? {} };
        noteObserved("update properties", withoutProvider(result.properties));
        return result;
    }

    async delete(urn: string, id: string, properties: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setUrn(urn);
        req.setId(id);
        req.setProperties(toStruct(properties));
        await this.call("delete", req);
    }

    async close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.kill("SIGTERM");
            await exited;
        }
        await new Promise<void>((resolve) => this.engineServer.tryShutdown(() => resolve()));
    }
}

/** The properties without the `__provider` text (scanned once, where it is serialized). */
function withoutProvider(props: Props): Props {
    const { __provider: _provider, ...rest } = props;
    return rest;
}

export function decodeError(err: any): HostError {
    const raw = err.metadata?.get?.("grpc-status-details-bin")?.[0];
    let initFailure: HostError["initFailure"];
    if (raw) {
        const status = statusproto.Status.deserializeBinary(raw);
        for (const any of status.getDetailsList()) {
            if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
                const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                initFailure = {
                    id: detail.getId(),
                    properties: detail.getProperties()?.toJavaScript() ?? {},
                    reasons: detail.getReasonsList(),
                };
            }
        }
    }
    return new HostError(err.details ?? err.message, err.code, initFailure);
}

/** The stack config a program pointed at an emulator would carry (keys as the engine sends them). */
export function stackConfigFor(emu: { region: string; projectId: string; accessKey: string; secretKey: string; url: string }): Record<string, string> {
    return {
        "huaweicloud:region": emu.region,
        "huaweicloud:projectId": emu.projectId,
        "huaweicloud:accessKey": emu.accessKey,
        "huaweicloud:secretKey": emu.secretKey,
        "huaweicloud:modelartsEndpoint": emu.url,
    };
}

/** A URN as the engine would build it for a dynamic resource of this package. */
export function urnFor(type: "DevServer" | "NotebookAutoStop" | "Notebook", name: string): string {
    return `urn:pulumi:test::pulumi-modelarts::pulumi-nodejs:dynamic/modelarts:${type}::${name}`;
}
