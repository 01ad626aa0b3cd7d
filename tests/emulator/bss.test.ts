/**
 * The emulator's BSS family: prepaid orders (auto-pay vs pay through the admin API, cancel),
 * subscriptions, unsubscribe, auto-renew, signatures and accounts, faults and persistence on
 * `/v2/...`, and the DevServer API's refusal of a plain DELETE of a prepaid server.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ERROR_CODES } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { Fixture, SEED_CREATE_BODY, startFast } from "./fixtures";

const prepaid = (name: string, isAutoPay: boolean, isAutoRenew = false) => ({
    ...SEED_CREATE_BODY,
    name,
    charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH", period_num: 1, is_auto_pay: isAutoPay, is_auto_renew: isAutoRenew },
});

describe("emulator: BSS (prepaid DevServers)", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeEach(async () => {
        f = await startFast();
        c = f.client;
    });
    afterEach(() => f.emu.close());

    const order = (id: string, client = c) => client.call({ method: "GET", path: `/v2/orders/customer-orders/details/${id}` });
    const query = (ids: string[], client = c) =>
        client.call({ method: "POST", path: "/v2/orders/suscriptions/resources/query", body: { resource_ids: ids } });
    const unsubscribe = (ids: string[], client = c) =>
        client.call({ method: "POST", path: "/v2/orders/subscriptions/resources/unsubscribe", body: { resource_ids: ids, unsubscribe_type: 1 } });
    const byOrder = async (orderId: string) =>
        (await c.get("/dev-servers", { limit: "100" })).body.data.find((s: { order_id?: string }) => s.order_id === orderId);
    async function delivered(name: string, autoRenew = false): Promise<{ orderId: string; id: string }> {
        const r = await c.post("/dev-servers", prepaid(name, true, autoRenew));
        expect(r.status).toBe(200);
        const server = await waitUntil(() => byOrder(r.body.order_id), (s) => s?.status === "RUNNING");
        return { orderId: r.body.order_id, id: server.id };
    }

    test("auto-pay: the order is processing (3), then completed (5); then the server appears CREATING -> RUNNING with order_id", async () => {
        await f.emu.admin.setConfig({ timings: { bss: { orderComplete: 300 } } });
        const r = await c.post("/dev-servers", prepaid("auto", true));
        expect(r.body.id).toBeUndefined();
        const first = await order(r.body.order_id);
        expect(first.status).toBe(200);
        expect(first.body.order_info).toMatchObject({ order_id: r.body.order_id, status: 3, order_type: 1 });
        expect(await byOrder(r.body.order_id)).toBeUndefined();
        const done = await waitUntil(() => order(r.body.order_id), (o) => o.body.order_info.status === 5);
        expect(done.body.order_info.payment_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        const server = await byOrder(r.body.order_id);
        expect(server).toMatchObject({ charging_mode: "PRE_PAID", order_id: r.body.order_id, name: "auto" });
        expect(["CREATING", "RUNNING"]).toContain(server.status);
        await waitUntil(() => byOrder(r.body.order_id), (s) => s.status === "RUNNING");
    });

    test("no auto-pay: the order waits for payment (6) and no server appears until the admin API pays it", async () => {
        const r = await c.post("/dev-servers", prepaid("manual", false));
        await new Promise((res) => setTimeout(res, 250));
        expect((await order(r.body.order_id)).body.order_info.status).toBe(6);
        expect(await byOrder(r.body.order_id)).toBeUndefined();
        expect((await f.emu.admin.orders()).orders.find((o) => o.orderId === r.body.order_id)).toMatchObject({ status: 6, isAutoPay: false });
        const paid = await f.emu.admin.payOrder(r.body.order_id);
        expect(paid).toMatchObject({ order_info: { status: 5 } });
        expect((await order(r.body.order_id)).body.order_info.status).toBe(5);
        expect((await byOrder(r.body.order_id)).status).toBe("CREATING");
        await expect(f.emu.admin.payOrder(r.body.order_id)).rejects.toMatchObject({ status: 400 });
        await expect(f.emu.admin.payOrder("CS-no-such-order")).rejects.toMatchObject({ status: 404 });
    });

    test("a cancelled order (admin) is status 4 and its server never appears", async () => {
        const r = await c.post("/dev-servers", prepaid("cancelled", false));
        expect((await f.emu.admin.cancelOrder(r.body.order_id)).order_info).toMatchObject({ status: 4 });
        expect((await order(r.body.order_id)).body.order_info.status).toBe(4);
        await expect(f.emu.admin.payOrder(r.body.order_id)).rejects.toMatchObject({ status: 400 });
        expect(await byOrder(r.body.order_id)).toBeUndefined();
    });

    test("a plain DELETE of a prepaid server is refused (ModelArts.6433); unsubscribe deletes it; a second unsubscribe is CBC.30000067", async () => {
        const { id } = await delivered("to-unsubscribe");
        const del = await c.del(`/dev-servers/${id}`);
        expect(del.status).toBe(400);
        expect(del.body).toMatchObject({ error_code: ERROR_CODES.DEV_SERVER_PREPAID });
        expect(del.body.error_msg).toMatch(/unsubscribed through BSS/);
        expect((await query([id])).body.data).toMatchObject([{ resource_id: id, status: 2, is_main_resource: 1 }]);

        const u = await unsubscribe([id]);
        expect(u.status).toBe(200);
        expect(u.body.order_ids).toHaveLength(1);
        expect(["DELETING", "DELETED"]).toContain((await c.get(`/dev-servers/${id}`)).body.status);
        await waitUntil(() => c.get(`/dev-servers/${id}`), (g) => g.status === 400 && g.body.error_code === ERROR_CODES.DEV_SERVER_NOT_FOUND);
        expect((await query([id])).body.data).toEqual([]);
        const again = await unsubscribe([id]);
        expect(again.status).toBe(400);
        expect(again.body.error_code).toBe("CBC.30000067");
        expect((await order(u.body.order_ids[0])).body.order_info).toMatchObject({ status: 5, order_type: 4 });
    });

    test("a prepaid server that failed to create (CREATE_FAILED) may be deleted plainly", async () => {
        await f.emu.admin.injectFailure({ kind: "create" });
        const r = await c.post("/dev-servers", prepaid("failed", true));
        const server = await waitUntil(() => byOrder(r.body.order_id), (s) => s?.status === "CREATE_FAILED");
        expect((await c.del(`/dev-servers/${server.id}`)).status).toBe(200);
    });

    test("auto-renew on (POST) / off (DELETE) answer 204 and show as expire_policy 3 / 0", async () => {
        const { id } = await delivered("renewing", false);
        expect((await query([id])).body.data[0].expire_policy).toBe(0);
        const on = await c.call({ method: "POST", path: `/v2/orders/subscriptions/resources/autorenew/${id}` });
        expect(on.status).toBe(204);
        expect(on.text).toBe("");
        expect((await query([id])).body.data[0].expire_policy).toBe(3);
        expect((await c.call({ method: "DELETE", path: `/v2/orders/subscriptions/resources/autorenew/${id}` })).status).toBe(204);
        expect((await query([id])).body.data[0].expire_policy).toBe(0);
        const unknown = await c.call({ method: "POST", path: "/v2/orders/subscriptions/resources/autorenew/nope" });
        expect(unknown).toMatchObject({ status: 400, body: { error_code: ERROR_CODES.BSS_INVALID_PARAM } });
    });

    test("is_auto_renew at purchase shows as expire_policy 3", async () => {
        const { id } = await delivered("renew-at-purchase", true);
        expect((await query([id])).body.data[0]).toMatchObject({ expire_policy: 3, expire_time: expect.stringMatching(/Z$/) });
    });

    test("BSS paths need a valid signature; another account sees neither the order nor the subscription", async () => {
        const { orderId, id } = await delivered("mine");
        const unsigned = await c.call({ method: "GET", path: `/v2/orders/customer-orders/details/${orderId}`, accessKey: null });
        expect(unsigned).toMatchObject({ status: 401, body: { error_code: ERROR_CODES.AUTH_FAILED } });
        const wrong = await c.call({ method: "GET", path: `/v2/orders/customer-orders/details/${orderId}`, secretKey: "wrong-secret" });
        expect(wrong.status).toBe(401);
        const tampered = await c.call({
            method: "POST",
            path: "/v2/orders/suscriptions/resources/query",
            body: { resource_ids: [id] },
            tamper: (w) => (w.body = JSON.stringify({ resource_ids: ["other"] })),
        });
        expect(tampered.status).toBe(401);

        const b = f.emu.tenants[1];
        const other = new EmulatorClient(f.emu.url, { accessKey: b.accessKey, secretKey: b.secretKey, domainId: b.domainId });
        expect((await order(orderId, other))).toMatchObject({ status: 400, body: { error_code: ERROR_CODES.BSS_INVALID_PARAM } });
        expect((await query([id], other)).body.data).toEqual([]);
        expect((await unsubscribe([id], other)).status).toBe(400);
        expect((await c.get(`/dev-servers/${id}`)).body.status).toBe("RUNNING");
    });

    test("BSS refuses a call without the signed X-Domain-Id of the caller's account (SDK GlobalCredentials); IAM names it", async () => {
        const { orderId } = await delivered("scoped");
        const path = `/v2/orders/customer-orders/details/${orderId}`;
        const bare = new EmulatorClient(f.emu.url, { accessKey: f.emu.accessKey, secretKey: f.emu.secretKey });
        const missing = await bare.call({ method: "GET", path });
        expect(missing).toMatchObject({ status: 401, body: { error_code: ERROR_CODES.AUTH_FAILED } });
        expect(missing.body.error_msg).toMatch(/X-Domain-Id/);
        const otherDomain = await bare.call({ method: "GET", path, headers: { "X-Domain-Id": f.emu.tenants[1].domainId } });
        expect(otherDomain.status).toBe(401);
        const unsigned = await bare.call({
            method: "GET",
            path,
            tamper: (w) => (w.headers["X-Domain-Id"] = f.emu.tenants[0].domainId),
        });
        expect(unsigned.status).toBe(401);
        expect((await order(orderId)).status).toBe(200);

        const domains = await bare.call({ method: "GET", path: "/v3/auth/domains" });
        expect(domains).toMatchObject({ status: 200, body: { domains: [{ id: f.emu.tenants[0].domainId, name: f.emu.tenants[0].domainName }] } });
        expect((await bare.call({ method: "GET", path: "/v3/auth/domains", accessKey: null })).status).toBe(401);
    });

    test("unknown BSS paths are APIGW.0101; bad bodies are CBC.0100", async () => {
        expect((await c.call({ method: "GET", path: "/v2/orders/nothing" })).body.error_code).toBe(ERROR_CODES.API_NOT_FOUND);
        expect((await c.call({ method: "POST", path: "/v2/orders/suscriptions/resources/query", body: { resource_ids: [] } })).body.error_code)
            .toBe(ERROR_CODES.BSS_INVALID_PARAM);
        const badType = await c.call({
            method: "POST",
            path: "/v2/orders/subscriptions/resources/unsubscribe",
            body: { resource_ids: ["x"], unsubscribe_type: 7 },
        });
        expect(badType.body.error_code).toBe(ERROR_CODES.BSS_INVALID_PARAM);
    });

    test("fault rules apply to BSS paths, and BSS requests are logged", async () => {
        await f.emu.admin.addFault({ method: "POST", path: "^/v2/orders/suscriptions", kind: "status", status: 403, errorCode: "CBC.0150", count: 1 });
        const first = await query(["x"]);
        expect(first).toMatchObject({ status: 403, body: { error_code: "CBC.0150" } });
        expect((await query(["x"])).status).toBe(200);
        const log = (await f.emu.admin.requests()).filter((e) => e.path.startsWith("/v2/"));
        expect(log.map((e) => e.status)).toEqual([403, 200]);
        expect(log[1].accessKey).toBe(f.emu.accessKey);
    });
});

describe("emulator: BSS persistence", () => {
    test("orders and subscriptions survive a restart; a pending order can be paid after it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "modelarts-bss-"));
        try {
            const stateFile = path.join(dir, "state.json");
            const first = await startFast({ stateFile });
            const pending = await first.client.post("/dev-servers", prepaid("pending", false));
            const auto = await first.client.post("/dev-servers", prepaid("auto", true, true));
            await first.emu.close();
            expect(fs.readFileSync(stateFile, "utf8")).not.toContain("@DevServer");

            const second = await startFast({ stateFile });
            try {
                const c = second.client;
                const list = () => c.get("/dev-servers").then((r) => r.body.data as Array<{ order_id?: string; id: string }>);
                const autoServer = await waitUntil(list, (l) => l.some((s) => s.order_id === auto.body.order_id));
                const id = autoServer.find((s) => s.order_id === auto.body.order_id)!.id;
                const q = await c.call({ method: "POST", path: "/v2/orders/suscriptions/resources/query", body: { resource_ids: [id] } });
                expect(q.body.data[0].expire_policy).toBe(3);
                await second.emu.admin.payOrder(pending.body.order_id);
                expect((await list()).some((s) => s.order_id === pending.body.order_id)).toBe(true);
            } finally {
                await second.emu.close();
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
