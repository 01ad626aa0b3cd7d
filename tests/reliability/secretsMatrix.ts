/**
 * The secrets matrix: the access key, the secret key, a temporary credential's security token, the
 * adminPass and the userData must appear in none of what this suite's hosts produce: their output
 * lines, engine log calls, error messages, response properties, check failure reasons, the
 * serialized provider, nor the generated report.
 *
 * `exerciseTemporaryCredentials` runs a second host configured with temporary credentials
 * (huaweicloud:securityToken) through create / update / read / a failed create / an API error /
 * delete, at debug log level, so that the token has every chance to leak.
 */
import { attempt, ADMIN_PASS, Ctx, DEV_URN, notebookProgram, NOTEBOOK_URN, program, USER_DATA } from "./context";
import { BAD_PASSWORDS, LONG_USER_DATA } from "./badInputMatrix";

export interface SecretValue {
    id: string;
    label: string;
    values: string[];
}

export interface Channel {
    name: string;
    text: string;
}

export interface TemporaryRun {
    accessKey: string;
    secretKey: string;
    securityToken: string;
    /** The access tokens of the notebooks the Notebook run made (NotebookResp `token`). */
    notebookTokens: string[];
    /** What the run did, for the report. */
    notes: string[];
}

export async function exerciseTemporaryCredentials(ctx: Ctx): Promise<TemporaryRun> {
    const cred = await ctx.emu.admin.issueTemporaryCredentials({});
    const host = await ctx.startHost({}, ctx.stackConfig({
        "huaweicloud:accessKey": cred.access,
        "huaweicloud:secretKey": cred.secret,
        "huaweicloud:securityToken": cred.securitytoken,
    }));
    const notes: string[] = [];
    const fail = (what: string, r: { ok: boolean; error?: Error }) => {
        if (!r.ok) throw new Error(`${what} with temporary credentials failed: ${r.error?.message}`);
    };
    await ctx.emu.admin.clearRequests();
    const checked = await host.check(DEV_URN, {}, ctx.dev(program({ name: "tmp-creds", adminPass: BAD_PASSWORDS.root })));
    ctx.collected.checkReasons.push(...checked.failures.map((f) => f.reason));
    const created = await attempt(ctx, () => host.create(DEV_URN, ctx.dev(program({ name: "tmp-creds" }))));
    fail("create", created);
    if (!created.ok) throw new Error("unreachable");
    const id = created.value.id;
    ctx.tracked.set(id, created.value.properties);
    if (!created.value.properties.adminPassDigest || !created.value.properties.userDataDigest) {
        throw new Error("the outputs carry no digest of adminPass/userData: the secrets did not reach the provider");
    }
    const updated = await attempt(ctx, () =>
        host.update(DEV_URN, id, created.value.properties, ctx.dev(program({ name: "tmp-creds-2", powerState: "STOPPED", adminPass: "Zq9!secretPassX", userData: USER_DATA }))),
    );
    fail("update", updated);
    const read = await attempt(ctx, () => host.read(DEV_URN, id, created.value.properties));
    fail("read", read);
    await ctx.emu.admin.injectFailure({ kind: "create", status: "CREATE_FAILED" });
    const failed = await attempt(ctx, () => host.create(DEV_URN, ctx.dev(program({ name: "tmp-creds-failed" }))));
    if (failed.ok || !failed.error.initFailure) throw new Error("the injected CREATE_FAILED did not surface as an init failure");
    // More 500s than the client retries a GET, so the error reaches the engine side.
    await ctx.emu.admin.addFault({ method: "GET", path: "/dev-servers/", kind: "status", status: 500, count: 20 });
    const errored = await attempt(ctx, () => host.read(DEV_URN, id, created.value.properties));
    if (errored.ok) throw new Error("the injected 500 did not surface");
    await ctx.emu.admin.clearFaults();
    for (const [i, p] of [[id, created.value.properties], [failed.error.initFailure.id, failed.error.initFailure.properties]] as const) {
        const d = await attempt(ctx, () => host.delete(DEV_URN, i, p));
        fail("delete", d);
        ctx.tracked.delete(i);
    }
    const used = (await ctx.emu.admin.requests()).filter((q) => q.accessKey === cred.access).length;
    if (used === 0) throw new Error("no request was made with the temporary access key");
    notes.push(`${used} API calls signed with the temporary AK + X-Security-Token: check, create, update (rename+stop), read, failed create, HTTP 500, delete`);
    const notebookTokens = await exerciseNotebook(ctx, host);
    notes.push(`Notebook (token in every answer, hooks declared): create, read, update (rename+stop), failed create, delete at debug log level; ${notebookTokens.length} tokens scanned`);
    await ctx.closeHost(host);
    return { accessKey: cred.access, secretKey: cred.secret, securityToken: cred.securitytoken, notebookTokens, notes };
}

/** A command run before the notebook's container starts: secret (it may hold credentials). */
const HOOK_COMMANDS = "echo SUPER-SECRET-HOOK-COMMAND";
const NOTEBOOK_HOOKS = { preStart: { script: Buffer.from(HOOK_COMMANDS, "utf8").toString("base64"), type: "COMMAND", mode: "BLOCK" } };

/** The Notebook resource's life on `host`: every answer of the API carries the notebook's token. */
async function exerciseNotebook(ctx: Ctx, host: Awaited<ReturnType<Ctx["startHost"]>>): Promise<string[]> {
    // The container hooks are a secret input too (K11): declared on every Notebook of this run.
    const created = await attempt(ctx, () => host.create(NOTEBOOK_URN, ctx.notebookInputs(notebookProgram({ name: "rel-token", hooks: NOTEBOOK_HOOKS }))));
    if (!created.ok) throw new Error(`Notebook create failed: ${created.error.message}`);
    const id = created.value.id;
    const made = await ctx.notebooksNamed("rel-token");
    // The scan for K11 means something only if the hooks really went to the API.
    if (!JSON.stringify(made.map((n) => n.hooks)).includes(NOTEBOOK_HOOKS.preStart.script)) throw new Error("the notebook's hooks never reached the API");
    const tokens = made.map((n) => String(n.token));
    const read = await attempt(ctx, () => host.read(NOTEBOOK_URN, id, created.value.properties));
    if (!read.ok) throw new Error(`Notebook read failed: ${read.error.message}`);
    const updated = await attempt(ctx, () => host.update(NOTEBOOK_URN, id, created.value.properties, ctx.notebookInputs(notebookProgram({ name: "rel-token-2", powerState: "STOPPED", hooks: NOTEBOOK_HOOKS }))));
    if (!updated.ok) throw new Error(`Notebook update failed: ${updated.error.message}`);
    await ctx.emu.admin.injectFailure({ family: "notebook", kind: "create" });
    const failed = await attempt(ctx, () => host.create(NOTEBOOK_URN, ctx.notebookInputs(notebookProgram({ name: "rel-token-failed", hooks: NOTEBOOK_HOOKS }))));
    if (failed.ok || !failed.error.initFailure) throw new Error("the injected CREATE_FAILED of a notebook did not surface as an init failure");
    tokens.push(...(await ctx.notebooksNamed("rel-token-failed")).map((n) => String(n.token)));
    for (const [i, p] of [[id, updated.value.properties], [failed.error.initFailure.id, failed.error.initFailure.properties]] as const) {
        const d = await attempt(ctx, () => host.delete(NOTEBOOK_URN, i, p));
        if (!d.ok) throw new Error(`Notebook delete failed: ${d.error.message}`);
    }
    if (tokens.length !== 2 || tokens.some((t) => !/^[0-9a-f]{32}$/.test(t))) throw new Error(`expected two notebook tokens, got ${JSON.stringify(tokens)}`);
    return tokens;
}

export function secretValues(ctx: Ctx, tmp: TemporaryRun): SecretValue[] {
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
    return [
        { id: "K01", label: "access key (permanent AK)", values: [ctx.emu.accessKey] },
        { id: "K02", label: "secret key (permanent SK)", values: [ctx.emu.secretKey] },
        { id: "K03", label: "temporary access key", values: [tmp.accessKey] },
        { id: "K04", label: "temporary secret key", values: [tmp.secretKey] },
        { id: "K05", label: "security token (huaweicloud:securityToken)", values: [tmp.securityToken, tmp.securityToken.slice(0, 24)] },
        { id: "K06", label: `adminPass (${ADMIN_PASS.length} chars)`, values: [ADMIN_PASS, b64(ADMIN_PASS)] },
        { id: "K07", label: "userData (raw, its marker, base64)", values: [USER_DATA, "SUPER-SECRET-USERDATA", b64(USER_DATA)] },
        { id: "K08", label: "invalid adminPass values given to check", values: Object.values(BAD_PASSWORDS) },
        { id: "K09", label: "over-long userData given to check", values: ["SUPER-SECRET-LONG-USERDATA", LONG_USER_DATA.slice(0, 64)] },
        { id: "K10", label: "notebook access token (NotebookResp token)", values: tmp.notebookTokens },
        { id: "K11", label: "notebook container hooks (base64 commands, and the commands)", values: [NOTEBOOK_HOOKS.preStart.script, HOOK_COMMANDS, "SUPER-SECRET-HOOK-COMMAND"] },
    ];
}

export function scan(secret: SecretValue, channels: Channel[]): { hits: string[]; observed: string } {
    const hits: string[] = [];
    for (const c of channels) {
        for (const v of secret.values) {
            if (v && c.text.includes(v)) hits.push(`${c.name} contains ${secret.label}`);
        }
    }
    const kb = channels.reduce((n, c) => n + c.text.length, 0) / 1024;
    return {
        hits,
        observed: hits.length ? hits.join("; ") : `0 occurrences in ${channels.length} channels (${kb.toFixed(0)} KiB scanned)`,
    };
}
