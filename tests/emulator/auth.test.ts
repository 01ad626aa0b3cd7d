import * as http from "http";
import { ERROR_CODES } from "../../emulator";
import { formatSdkDate } from "../../provider/client/signer";
import { EmulatorClient, sendRaw, WireRequest } from "../helpers/emulatorClient";
import { Fixture, SEED_CREATE_BODY, startFast } from "./fixtures";

const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

describe("emulator: authentication and isolation", () => {
    let f: Fixture;
    let c: EmulatorClient;
    let listPath: string;
    beforeAll(async () => {
        f = await startFast();
        c = f.client;
        listPath = `/v1/${f.emu.projectId}/dev-servers`;
    });
    afterAll(() => f.emu.close());

    function expect401(r: { status: number; body: { error_code: string; error_msg: string } }, reason: RegExp) {
        expect(r.status).toBe(401);
        expect(r.body.error_code).toBe("APIGW.0301");
        expect(r.body.error_msg).toMatch(/^Incorrect IAM authentication information: /);
        expect(r.body.error_msg).toMatch(reason);
    }

    test("a signed request is accepted", async () => {
        const r = await c.call({ method: "GET", path: listPath, query: { limit: "5", offset: "0" } });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ data: [], total: 0 });
    });

    test("a signature made by the official SDK core (AKSKSigner) is accepted; a tampered body or path is not", async () => {
        const data = { ...SEED_CREATE_BODY, name: "sdk-signed" };
        const fullUrl = f.emu.url + listPath;
        const headers: Record<string, string> = AKSKSigner.sign(
            { method: "POST", endpoint: fullUrl, headers: { "Content-Type": "application/json" }, queryParams: {}, data },
            { getAk: () => f.emu.accessKey, getSk: () => f.emu.secretKey },
        );
        expect(headers.Authorization).toMatch(/^SDK-HMAC-SHA256 Access=EMULATORAKA0000000001, SignedHeaders=content-type;host;x-sdk-date, Signature=/);
        const wire: WireRequest = { method: "POST", path: listPath, query: "", body: JSON.stringify(data), headers };
        const ok = await sendRaw(f.emu.url, wire);
        expect(ok.status).toBe(200);
        expect(ok.body.name).toBe("sdk-signed");

        const body = wire.body.replace("sdk-signed", "sdk-signeD");
        expect401(await sendRaw(f.emu.url, { ...wire, body }), /signature does not match/);
        const path = `/v1/${f.emu.tenants[0].projects[1].id}/dev-servers`;
        expect401(await sendRaw(f.emu.url, { ...wire, path }), /signature does not match/);

        // And a GET with query parameters signed by the SDK core.
        const listHeaders: Record<string, string> = AKSKSigner.sign(
            { method: "GET", endpoint: fullUrl, headers: { "Content-Type": "application/json" }, queryParams: { limit: 2, offset: 0 } },
            { getAk: () => f.emu.accessKey, getSk: () => f.emu.secretKey },
        );
        const list = await sendRaw(f.emu.url, { method: "GET", path: listPath, query: "limit=2&offset=0", body: "", headers: listHeaders });
        expect(list.status).toBe(200);
        expect(list.body.total).toBeGreaterThanOrEqual(1);
        expect401(
            await sendRaw(f.emu.url, { method: "GET", path: listPath, query: "limit=3&offset=0", body: "", headers: listHeaders }),
            /signature/,
        );
    });

    test("rejections: missing auth, malformed header, unknown AK, wrong secret", async () => {
        expect401(await c.call({ method: "GET", path: listPath, accessKey: null }), /neither an Authorization header/);
        expect401(
            await c.call({ method: "GET", path: listPath, tamper: (w) => (w.headers.Authorization = "Basic dXNlcjpwYXNz") }),
            /malformed Authorization/,
        );
        expect401(await c.call({ method: "GET", path: listPath, accessKey: "NOSUCHAK000000000000" }), /access key NOSUCHAK000000000000 does not exist/);
        expect401(await c.call({ method: "GET", path: listPath, secretKey: "wrong-secret" }), /signature does not match/);
    });

    test("rejections: tampered body, path, query, signed header", async () => {
        const pid = f.emu.projectId;
        expect401(
            await c.call({ method: "POST", path: listPath, body: SEED_CREATE_BODY, tamper: (w) => (w.body = w.body.replace("EI-evs", "EI-evz")) }),
            /signature does not match/,
        );
        expect401(
            await c.call({ method: "GET", path: listPath, tamper: (w) => (w.path = `/v1/${pid}/dev-servers/x`) }),
            /signature does not match/,
        );
        expect401(
            await c.call({ method: "GET", path: listPath, query: { limit: "1" }, tamper: (w) => (w.query = "limit=2") }),
            /signature does not match/,
        );
        expect401(
            await c.call({ method: "GET", path: listPath, tamper: (w) => (w.headers["Content-Type"] = "text/plain") }),
            /signature does not match/,
        );
        expect401(
            await c.call({ method: "GET", path: listPath, tamper: (w) => delete w.headers["X-Sdk-Date"] }),
            /X-Sdk-Date header is missing/,
        );
    });

    test("rejections: stale and malformed X-Sdk-Date", async () => {
        const stale = new Date(Date.now() - 16 * 60 * 1000);
        const r = await c.call({ method: "GET", path: listPath, date: stale });
        expect401(r, new RegExp(`X-Sdk-Date ${formatSdkDate(stale)} is more than 15 minutes from the server time`));
        expect401(await c.call({ method: "GET", path: listPath, date: new Date(Date.now() + 16 * 60 * 1000) }), /more than 15 minutes/);
        expect((await c.call({ method: "GET", path: listPath, date: new Date(Date.now() - 10 * 60 * 1000) })).status).toBe(200);
        expect401(
            await c.call({ method: "GET", path: listPath, headers: { "X-Sdk-Date": "2024-01-01T00:00:00Z" } }),
            /malformed; expected YYYYMMDDTHHMMSSZ/,
        );
    });

    test("isolation: another project's resources are invisible; another domain's project is forbidden", async () => {
        const created = await c.post("/dev-servers", { ...SEED_CREATE_BODY, name: "project-a1" });
        const id = created.body.id;
        const [a1, a2] = f.emu.tenants[0].projects;
        const ca2 = new EmulatorClient(f.emu.url, { accessKey: f.emu.accessKey, secretKey: f.emu.secretKey }, a2.id);
        expect((await ca2.get(`/dev-servers/${id}`)).status).toBe(400);
        expect((await ca2.get("/dev-servers")).body.total).toBe(0);
        const b = f.emu.tenants[1];
        const cb = new EmulatorClient(f.emu.url, { accessKey: b.accessKey, secretKey: b.secretKey }, a1.id);
        const forbidden = await cb.get(`/dev-servers/${id}`);
        expect(forbidden.status).toBe(403);
        expect(forbidden.body.error_code).toBe(ERROR_CODES.PROJECT_FORBIDDEN);
        expect(forbidden.body.error_msg).toContain(`project ${a1.id} does not belong to the authenticated domain`);
        const unknown = await c.call({ method: "GET", path: `/v1/${"f".repeat(32)}/dev-servers` });
        expect(unknown.status).toBe(403);
        const own = new EmulatorClient(f.emu.url, { accessKey: b.accessKey, secretKey: b.secretKey }, b.projects[0].id);
        expect((await own.get("/dev-servers")).body.total).toBe(0);
    });

    test("X-Auth-Token issued by the admin API is accepted for its domain only; unknown and expired tokens are refused", async () => {
        const { token } = await f.emu.admin.issueToken({ accessKey: f.emu.accessKey });
        const ok = await c.call({ method: "GET", path: listPath, authToken: token });
        expect(ok.status).toBe(200);
        const other = await c.call({ method: "GET", path: `/v1/${f.emu.tenants[1].projects[0].id}/dev-servers`, authToken: token });
        expect(other.status).toBe(403);
        expect401(await c.call({ method: "GET", path: listPath, authToken: "MIIEbogus" }), /X-Auth-Token is invalid/);
        const expired = await f.emu.admin.issueToken({ ttlSeconds: 0 });
        expect401(await c.call({ method: "GET", path: listPath, authToken: expired.token }), /expired/);
    });

    test("temporary credentials need the matching X-Security-Token", async () => {
        const t = await f.emu.admin.issueTemporaryCredentials({ accessKey: f.emu.accessKey });
        const tc = new EmulatorClient(f.emu.url, { accessKey: t.access, secretKey: t.secret, securityToken: t.securitytoken }, f.emu.projectId);
        expect((await tc.get("/dev-servers")).status).toBe(200);
        const noToken = new EmulatorClient(f.emu.url, { accessKey: t.access, secretKey: t.secret }, f.emu.projectId);
        expect401(await noToken.get("/dev-servers"), /requires the X-Security-Token header/);
        const wrongToken = new EmulatorClient(f.emu.url, { accessKey: t.access, secretKey: t.secret, securityToken: "nope" }, f.emu.projectId);
        expect401(await wrongToken.get("/dev-servers"), /X-Security-Token does not match/);
        const wrongSecret = new EmulatorClient(f.emu.url, { accessKey: t.access, secretKey: "x", securityToken: t.securitytoken }, f.emu.projectId);
        expect401(await wrongSecret.get("/dev-servers"), /signature does not match/);
    });

    test("every answer carries X-Request-Id and a JSON content type, errors included", async () => {
        for (const r of [
            await c.call({ method: "GET", path: listPath }),
            await c.call({ method: "GET", path: listPath, accessKey: null }),
            await c.call({ method: "GET", path: "/nowhere" }),
        ]) {
            expect(r.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
            expect(r.headers["content-type"]).toMatch(/^application\/json/);
        }
    });

    describe("admin API authorisation", () => {
        const adminGet = (headers: Record<string, string>) =>
            sendRaw(f.emu.url, { method: "GET", path: "/_emulator/state", query: "", body: "", headers });

        test("admin token accepted; missing or wrong token is 401; tenant credentials are 403", async () => {
            const ok = await adminGet({ "X-Emulator-Admin-Token": f.emu.adminToken });
            expect(ok.status).toBe(200);
            expect(ok.headers["x-request-id"]).toBeDefined();
            const missing = await adminGet({});
            expect(missing.status).toBe(401);
            expect(missing.body.error_code).toBe(ERROR_CODES.ADMIN_UNAUTHORIZED);
            expect((await adminGet({ "X-Emulator-Admin-Token": "wrong" })).status).toBe(401);
            const signed = await c.call({ method: "GET", path: "/_emulator/state" });
            expect(signed.status).toBe(403);
            expect(signed.body.error_code).toBe(ERROR_CODES.ADMIN_FORBIDDEN);
            const { token } = await f.emu.admin.issueToken();
            expect((await c.call({ method: "GET", path: "/_emulator/state", authToken: token })).status).toBe(403);
        });
    });

    test("listens on 127.0.0.1 by default", async () => {
        expect(f.emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const addr = await new Promise<string | undefined>((resolve) => {
            const req = http.get(f.emu.url + "/_emulator/health", { agent: false }, (res) => {
                resolve(res.socket.remoteAddress);
                res.resume();
            });
            req.on("error", () => resolve(undefined));
        });
        expect(addr).toBe("127.0.0.1");
    });
});
