/**
 * The Huawei Cloud API rules of issue 20 ("Agree with Huawei Cloud, round 2"), one or more rows per
 * rule of docs/EMULATOR-VS-REAL-API.md's issue-20 table. The rows are fault-matrix rows (same
 * executor, same audit: `runFaultRow`) whose subject is a rule of the real API the emulator enforces:
 * BSS scope, ShowLease only while RUNNING, the ambiguous ModelArts.6357, EIPs bound only while
 * RUNNING, failed statuses, HPS endpoints, the user-data key, and TLS certificate errors.
 *
 * Ids R01.. (the report has a section of its own for them).
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import { createHash } from "crypto";
import type { AddressInfo } from "net";
import { REPO_ROOT } from "../harness/engine";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { attempt, Ctx, DEV_URN, NB_URN, program, USER_DATA } from "./context";
import { boundPublicIps, destroyAgain, DEV, expectEq, FaultRow, PREPAID, RowRun, sent, status } from "./faultMatrix";

const NB_CURRENT_ONE = "/v1/[0-9a-f]{32}/notebooks/[^/]+$";
const HYPER_STOP = `${DEV}/hyperinstance/[0-9a-f-]{36}/stop$`;
const AMBIGUOUS = { errorCode: "ModelArts.6357", message: "Another operation is in progress, or the instance is already in the target state." };

const FIXTURES = path.join(REPO_ROOT, "tests", "client", "fixtures");
const CERT = path.join(FIXTURES, "test-only-localhost.crt");
const KEY = path.join(FIXTURES, "test-only-localhost.key");

function tenant(ctx: Ctx): EmulatorClient {
    return new EmulatorClient(ctx.emu.url, { accessKey: ctx.emu.accessKey, secretKey: ctx.emu.secretKey }, ctx.emu.projectId);
}

/** A host configured like the shared one, plus `config`. */
const hostWith = (config: (ctx: Ctx) => Record<string, string>, env: Record<string, string> = {}) => (ctx: Ctx) =>
    ctx.startHost(env, ctx.stackConfig(config(ctx)));

const isBss = (q: { path: string }) => q.path.startsWith("/v2/");
const iamCalls = (r: RowRun) => r.requests.filter((q) => q.path === "/v3/auth/domains");

/** Non-GET calls of the row, the project stripped, faulted ones marked. */
const actions = (r: RowRun) =>
    r.requests.filter((q) => q.method !== "GET").map((q) => `${q.method} ${q.path.replace(/^\/v1\/[0-9a-f]{32}/, "")}${q.fault ? ` (${q.fault})` : ""}`);

/** The row's calls whose path ends as given, in order. */
const indexOf = (r: RowRun, method: string, tail: RegExp) => sent(r).findIndex((c) => c.startsWith(`${method} `) && tail.test(c));

/**
 * A TLS front for the emulator: HTTPS with the test-only self-signed certificate for 127.0.0.1
 * (tests/client/fixtures), every request relayed unchanged (headers, signature) to the emulator.
 * It stands for a company proxy that re-signs TLS, or a private CA.
 */
interface TlsFront {
    url: string;
    relayed: number;
    close(): Promise<void>;
}
let front: TlsFront | undefined;

async function startTlsFront(ctx: Ctx): Promise<TlsFront> {
    const target = new URL(ctx.emu.url);
    const sockets = new Set<net.Socket>();
    const state = { relayed: 0 };
    const server = https.createServer({ cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY) }, (req, res) => {
        state.relayed++;
        const upstream = http.request(
            { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
            (up) => {
                res.writeHead(up.statusCode!, up.headers);
                up.pipe(res);
            },
        );
        upstream.on("error", () => res.destroy());
        req.pipe(upstream);
    });
    server.on("connection", (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    server.on("tlsClientError", () => undefined);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    return {
        url: `https://127.0.0.1:${port}`,
        get relayed() {
            return state.relayed;
        },
        close: async () => {
            for (const s of sockets) s.destroy();
            await new Promise<void>((r) => server.close(() => r()));
        },
    };
}

/** A refresh through `host` of the row's server: it must succeed and show the server as it is. */
async function refreshesThrough(ctx: Ctx, r: RowRun, env: Record<string, string>, config: Record<string, string>): Promise<void> {
    const host = await ctx.startHost(env, ctx.stackConfig(config));
    try {
        const read = await attempt(ctx, () => host.read(DEV_URN, r.id!, ctx.tracked.get(r.id!)!));
        if (!read.ok) throw new Error(`refresh with ${Object.keys({ ...env, ...config }).join(", ")} failed: ${read.error.message}`);
        if (read.value.id !== r.id || read.value.properties.status !== "RUNNING") throw new Error(`refresh with ${Object.keys(config).join(", ")} showed ${JSON.stringify(read.value.id)}`);
    } finally {
        await ctx.closeHost(host);
    }
}

/** The user data the emulator's create read reached the server (its digest; never printed). */
async function userDataReached(ctx: Ctx, r: RowRun, key: string): Promise<string> {
    const live = await ctx.server(r.id!);
    const want = createHash("sha256").update(USER_DATA).digest("hex");
    if (!live?.user_data_sha256) throw new Error(`the server has no user data: the create's ${key} was dropped`);
    if (live.user_data_sha256 !== want) throw new Error("the server's user data differs from the program's");
    return `the emulator read only ${key}: the server has the program's user data`;
}

export const API_RULE_ROWS: FaultRow[] = [
    // ----- 1. BSS calls carry X-Domain-Id -------------------------------------------------------
    { id: "R01", scenario: "BSS scope: prepaid create, then destroy, with no domain id configured", op: "create",
      overrides: PREPAID, host: hostWith(() => ({})),
      setupText: "a new provider process without huaweicloud:domainId; the emulator's BSS refuses a call without the account's X-Domain-Id",
      expected: "success", expectNote: "the domain id is asked from IAM once (GET /v3/auth/domains) and every BSS call is accepted; the destroy unsubscribes without asking IAM again",
      verify: async (ctx, r) => {
          expectEq(iamCalls(r).length, 1, "IAM calls of the create");
          expectEq(iamCalls(r)[0].status, 200, "IAM answer");
          const bss = r.requests.filter(isBss);
          if (bss.length === 0) throw new Error("the create made no BSS call: the row did not test the scope");
          const refused = bss.filter((q) => q.status >= 400);
          if (refused.length) throw new Error(`BSS refused ${refused.map((q) => `${q.method} ${q.path} ${q.status}`).join(", ")}`);
          await ctx.emu.admin.clearRequests();
          const del = await attempt(ctx, () => r.host.delete(DEV_URN, r.id!, ctx.tracked.get(r.id!)!));
          if (!del.ok) throw new Error(`destroy failed: ${del.error.message}`);
          ctx.tracked.delete(r.id!);
          const after = await ctx.emu.admin.requests();
          if (!after.some((q) => q.path === "/v2/orders/subscriptions/resources/unsubscribe" && q.status < 300)) throw new Error("the destroy did not unsubscribe");
          expectEq(after.filter((q) => q.path === "/v3/auth/domains").length, 0, "IAM calls of the destroy (cached per process)");
          if (await ctx.server(r.id!)) throw new Error("the server still exists after destroy");
          return `1 IAM call, ${bss.length} BSS calls accepted; destroy unsubscribed (no second IAM call), gone`;
      } },
    { id: "R02", scenario: "BSS scope: huaweicloud:domainId configured, prepaid destroy", op: "delete (PRE_PAID)",
      host: hostWith((ctx) => ({ "huaweicloud:domainId": ctx.emu.tenants[0].domainId })),
      setupText: "a provider process with huaweicloud:domainId set to the account's domain id",
      expected: "success", expectNote: "no IAM call; the unsubscribe is accepted; gone",
      verify: async (_c, r) => {
          expectEq(iamCalls(r).length, 0, "IAM calls");
          if (!r.requests.some((q) => q.path === "/v2/orders/subscriptions/resources/unsubscribe" && q.status < 300)) throw new Error("not unsubscribed");
          return "domain id from the configuration: no IAM call";
      } },
    { id: "R03", scenario: "BSS scope: huaweicloud:domainId set to another account's domain id, prepaid destroy", op: "delete (PRE_PAID)",
      host: hostWith((ctx) => ({ "huaweicloud:domainId": ctx.emu.tenants[1].domainId })),
      setupText: "a provider process with huaweicloud:domainId of another account",
      expected: "error", match: /HTTP 401 .*carry the account's domain id \(X-Domain-Id\), here from [^;]*huaweicloud:domainId; check it is the account ID of this access key/,
      expectNote: "clear error naming the server and huaweicloud:domainId as the domain id to check (not only the AK/SK); nothing deleted nor forgotten; destroy with the right domain id unsubscribes it",
      verify: async (ctx, r) => {
          if (!r.result.ok && !r.result.error.message.includes(r.id!)) throw new Error("the error does not name the server id");
          if (sent(r).some((c) => /^DELETE \/dev-servers\//.test(c))) throw new Error("a plain DELETE was sent for a prepaid server");
          return `the hint names huaweicloud:domainId as the id to check; ${await destroyAgain(ctx, r)}`;
      } },
    // ----- 2. ShowLease only while RUNNING ------------------------------------------------------
    { id: "R04", scenario: "ShowLease only while RUNNING: refresh of a STOPPED notebook of the current API", op: "NotebookAutoStop (lease) refresh",
      setupText: "policy (1 h) applied while RUNNING; the notebook stopped through the tenant API, as from the console; the emulator refuses ShowLease unless RUNNING",
      beforeOp: async (ctx, id) => {
          const stop = await tenant(ctx).post(`/notebooks/${id}/stop`, {});
          if (stop.status !== 200) throw new Error(`setup: stop answered ${stop.status}`);
          await waitUntil(async () => (await ctx.notebook(id))?.status, (st) => st === "STOPPED");
      },
      expected: "success", expectNote: "refresh succeeds without calling ShowLease; the resource keeps its policy (enabled, 3600 s) and shows STOPPED",
      verify: async (ctx, r) => {
          const lease = r.requests.filter((q) => /\/lease$/.test(q.path));
          if (lease.length) throw new Error(`ShowLease was called: ${lease.map((q) => `${q.method} ${q.status}`).join(", ")}`);
          if (!r.result.ok) return;
          const p = r.result.value.properties;
          if (p.status !== "STOPPED" || p.enabled !== true || p.duration !== 3600) throw new Error(`refresh shows ${JSON.stringify({ status: p.status, enabled: p.enabled, duration: p.duration })}`);
          // The call the provider avoided is refused by the emulator, as by the real API.
          const refused = await tenant(ctx).get(`/notebooks/${r.id}/lease`);
          expectEq(refused.status, 400, "ShowLease on the STOPPED notebook (tenant API)");
          return "no ShowLease call (which answers 400 while STOPPED); status STOPPED, enabled, 3600 s";
      } },
    // ----- 3. ModelArts.6357 is not "not found" -------------------------------------------------
    { id: "R05", scenario: "one ModelArts.6357 ('another operation in progress / already in the target state') on the notebook GET during refresh", op: "NotebookAutoStop (lease) refresh",
      faults: [status("GET", NB_CURRENT_ONE, 400, 1, AMBIGUOUS)], expected: "success",
      expectNote: "not taken as gone: the read asks again and the policy stays in the state",
      verify: async (_c, r) => {
          const gets = r.requests.filter((q) => q.method === "GET" && new RegExp(NB_CURRENT_ONE).test(q.path)).length;
          if (gets < 2) throw new Error(`the notebook was read ${gets} time(s): the 6357 was not asked again`);
          if (r.result.ok && r.result.value.id !== r.id) throw new Error(`refresh returned id ${JSON.stringify(r.result.value.id)}`);
          return `asked again (${gets} GETs); still in the state`;
      } },
    { id: "R06", scenario: "ModelArts.6357 on every notebook GET during refresh", op: "NotebookAutoStop (lease) refresh",
      faults: [status("GET", NB_CURRENT_ONE, 400, 10, AMBIGUOUS)], expected: "error",
      match: /ModelArts\.6357 to 3 reads in a row.*not 'not found'.*nothing is removed from the state/,
      expectNote: "clear error after 3 reads saying 6357 is not 'not found'; never removed from the state; the next refresh reads it",
      verify: async (ctx, r) => {
          await ctx.emu.admin.clearFaults();
          const again = await attempt(ctx, () => ctx.host.read(NB_URN, r.id!, r.props));
          if (!again.ok || again.value.id !== r.id) throw new Error(`the next refresh did not keep the policy: ${again.ok ? JSON.stringify(again.value.id) : again.error.message}`);
          return "error, nothing removed; the next refresh keeps it";
      } },
    // ----- 4. EIPs are bound only while RUNNING -------------------------------------------------
    { id: "R07", scenario: "EIP only while RUNNING: create with powerState STOPPED and a publicIpId", op: "create(powerState STOPPED) with an EIP",
      setupText: "a free EIP; the emulator refuses binding to a server that is not RUNNING",
      expected: "success", expectNote: "the EIP is bound while the server is RUNNING, then the server is stopped",
      verify: async (_c, r) => {
          const bind = indexOf(r, "POST", /\/publicips$/);
          const stop = indexOf(r, "PUT", /\/stop$/);
          if (bind < 0 || stop < 0 || bind > stop) throw new Error(`bind/stop order: ${actions(r).join(", ")}`);
          return "bound, then stopped";
      } },
    { id: "R08", scenario: "EIP only while RUNNING: a STOPPED server kept STOPPED gets a new publicIpId", op: "update: new EIP, kept STOPPED",
      setupText: "a STOPPED server; a free EIP",
      expected: "init-failure", match: /is STOPPED and powerState STOPPED keeps it so, but EIP .* can be bound only to a RUNNING server.*Set powerState to RUNNING/,
      expectNote: "clear error saying the EIP needs a RUNNING server and to set powerState RUNNING; nothing bound, the server still STOPPED; the state does not claim the EIP, so the next up with powerState RUNNING binds it",
      verify: async (ctx, r) => {
          if (indexOf(r, "POST", /\/publicips$/) >= 0) throw new Error("a bind was sent for a STOPPED server");
          expectEq((await boundPublicIps(ctx, r.id!)).length, 0, "EIPs bound");
          expectEq((await ctx.server(r.id!))?.status, "STOPPED", "server status");
          const state = ctx.tracked.get(r.id!)!;
          if (state.publicIpId === r.publicIpId) throw new Error("the state records the EIP that was not bound: the next up would not bind it");
          const next = ctx.dev(program({ name: r.name, powerState: "RUNNING", publicIpId: r.publicIpId }));
          const up = await attempt(ctx, () => ctx.host.update(DEV_URN, r.id!, state, next));
          if (!up.ok) throw new Error(`the next up (powerState RUNNING) failed: ${up.error.message}`);
          ctx.tracked.set(r.id!, up.value.properties);
          if (!(await boundPublicIps(ctx, r.id!)).includes(r.publicIpId!)) throw new Error("the next up did not bind the EIP");
          return "no bind sent; server STOPPED; the next up with powerState RUNNING starts it and binds the EIP";
      } },
    { id: "R09", scenario: "EIP only while RUNNING: a STOPPED server gets a publicIpId and powerState RUNNING", op: "update: start and bind an EIP",
      setupText: "a STOPPED server; a free EIP",
      expected: "success", expectNote: "started first, then the EIP is bound",
      verify: async (_c, r) => {
          const start = indexOf(r, "PUT", /\/start$/);
          const bind = indexOf(r, "POST", /\/publicips$/);
          if (start < 0 || bind < 0 || bind < start) throw new Error(`start/bind order: ${actions(r).join(", ")}`);
          return "started, then bound";
      } },
    // ----- 5. RESIZE_FAILED and DELETE_FAILED fail fast -----------------------------------------
    { id: "R10", scenario: "failed status: a demanager instance in RESIZE_FAILED gets a policy (timeouts.create 10m)", op: "NotebookAutoStop create (demanager instance RESIZE_FAILED)",
      setupText: "a demanager instance in RESIZE_FAILED (the last status of the reference's list)",
      expected: "error", match: /status RESIZE_FAILED/, expectNote: "fails at once (not at the timeout), naming the instance id and RESIZE_FAILED; nothing written",
      verify: async (_c, r) => failedFast(r) },
    { id: "R11", scenario: "failed status: a notebook of the current API in DELETE_FAILED gets a policy (timeouts.create 10m)", op: "NotebookAutoStop create (notebook DELETE_FAILED)",
      setupText: "a notebook of the current API in DELETE_FAILED (the SDK's status list)",
      expected: "error", match: /status DELETE_FAILED/, expectNote: "fails at once (not at the timeout), naming the instance id and DELETE_FAILED; nothing written",
      verify: async (_c, r) => failedFast(r) },
    // ----- 6. HPS servers through /dev-servers/hyperinstance/{id} -------------------------------
    { id: "R12", scenario: "HPS endpoints: stop, start and destroy an HPS server (503 burst on its stop)", op: "HPS: stop, start, destroy",
      setupText: "an HPS server (serverType HPS, key pair); the emulator refuses the plain endpoints for it",
      faults: [status("PUT", HYPER_STOP, 503, 2)], expected: "success",
      expectNote: "every action on /dev-servers/hyperinstance/{id} (the stop retried there); none on /dev-servers/{id}; gone",
      verify: async (_c, r) => {
          const calls = actions(r);
          const plain = calls.filter((c) => /\/dev-servers\/[0-9a-f-]{36}(\/(start|stop))?( |$)/.test(c));
          if (plain.length) throw new Error(`plain endpoints used: ${plain.join(", ")}`);
          const hyper = calls.filter((c) => c.includes("/dev-servers/hyperinstance/")).map((c) => c.replace(/[0-9a-f-]{36}/, "{id}"));
          expectEq(
              JSON.stringify(hyper),
              JSON.stringify([
                  "PUT /dev-servers/hyperinstance/{id}/stop (status)",
                  "PUT /dev-servers/hyperinstance/{id}/stop (status)",
                  "PUT /dev-servers/hyperinstance/{id}/stop",
                  "PUT /dev-servers/hyperinstance/{id}/start",
                  "DELETE /dev-servers/hyperinstance/{id}",
              ]),
              "actions",
          );
          return hyper.join(", ");
      } },
    // ----- 7. User data under both keys ---------------------------------------------------------
    { id: "R13", scenario: "user data: the create reads only userdata (Terraform's key) and ignores user_data", op: "create",
      setupText: "emulator createUserDataKey userdata",
      setup: async (ctx) => { await ctx.emu.admin.setConfig({ createUserDataKey: "userdata" }); },
      expected: "success", expectNote: "the server has the program's user data (not dropped)",
      verify: async (ctx, r) => await userDataReached(ctx, r, "userdata") },
    { id: "R14", scenario: "user data: the create reads only user_data (the SDKs' key) and ignores userdata", op: "create",
      setupText: "emulator createUserDataKey user_data",
      setup: async (ctx) => { await ctx.emu.admin.setConfig({ createUserDataKey: "user_data" }); },
      expected: "success", expectNote: "the server has the program's user data (not dropped)",
      verify: async (ctx, r) => await userDataReached(ctx, r, "user_data") },
    // ----- 8. TLS certificate errors ------------------------------------------------------------
    { id: "R15", scenario: "TLS: the endpoint presents a certificate Node does not trust (self-signed, as a re-signing company proxy)", op: "read",
      setupText: "huaweicloud:modelartsEndpoint = an HTTPS front of the emulator with the test-only self-signed certificate",
      setup: async (ctx) => { front = await startTlsFront(ctx); },
      teardown: async () => { await front?.close(); front = undefined; },
      host: (ctx) => ctx.startHost({}, ctx.stackConfig({ "huaweicloud:modelartsEndpoint": front!.url })),
      expected: "error", match: /certificate .*not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*NODE_EXTRA_CA_CERTS.*huaweicloud:insecure/,
      expectNote: "clear error naming the certificate problem and both fixes (NODE_EXTRA_CA_CERTS, huaweicloud:insecure), not the network or region; state unchanged; each fix makes the refresh work",
      verify: async (ctx, r) => {
          if (!r.result.ok && /check the network|huaweicloud:region/.test(r.result.error.message)) throw new Error("the error sends the user to the network or region");
          const before = front!.relayed;
          if (before !== 0) throw new Error(`${before} request(s) went through although the certificate is not trusted`);
          await refreshesThrough(ctx, r, { NODE_EXTRA_CA_CERTS: CERT }, { "huaweicloud:modelartsEndpoint": front!.url });
          await refreshesThrough(ctx, r, {}, { "huaweicloud:modelartsEndpoint": front!.url, "huaweicloud:insecure": "true" });
          if (front!.relayed === before) throw new Error("the fixes' refreshes did not go through the front");
          return "with NODE_EXTRA_CA_CERTS=the CA, or huaweicloud:insecure true, the same refresh works";
      } },
];

/** A failed-status row: it failed within seconds, named the instance, and wrote nothing. */
function failedFast(r: RowRun): string {
    if (r.result.ok) return "";
    if (!r.result.error.message.includes(r.id!)) throw new Error("the error does not name the instance id");
    if (r.result.ms > 10_000) throw new Error(`it took ${r.result.ms} ms: waited instead of failing at once`);
    const writes = r.requests.filter((q) => q.method !== "GET");
    if (writes.length) throw new Error(`written: ${writes.map((q) => `${q.method} ${q.path}`).join(", ")}`);
    return "failed at once, id named, nothing written";
}
