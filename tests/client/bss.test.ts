/**
 * BSS (billing) through the client: global-service requests (no project in the path, no
 * X-Project-Id, errors naming BSS), the endpoint rules, the international-site switch, and the
 * prepaid calls against the emulator (orders, subscriptions, unsubscribe, auto-renew). No
 * credential in any message or log line.
 */
import { ConfigError, ResolvedConfig, resolveConfig } from "../../provider/config";
import { BSS_ENDPOINT_CHINA, BSS_ENDPOINT_INTL, defaultBssEndpoint, isLoopbackEndpoint } from "../../provider/endpoints";
import { ClientOptions, isTransientError, ModelArtsApiError, resetClients } from "../../provider/client";
import { BssClient, getBssClient } from "../../provider/client/bss";
import {
    BssOrderError,
    findSubscription,
    getOrder,
    isAutoRenew,
    querySubscriptions,
    setAutoRenew,
    unsubscribeResources,
    waitForOrder,
} from "../../provider/api/bss";
import { PollSchedule } from "../../provider/wait";
import { FAST_TIMINGS, RunningEmulator, startEmulator } from "../../emulator";
import { EmulatorClient, waitUntil } from "../helpers/emulatorClient";
import { FakeServer, startFakeServer } from "./helpers/fakeServer";
import { watchForLeaks } from "./helpers/leaks";

const AK = "FAKEAKBSS000001";
const SK = "fakeSkBssSecret000001";
const TOKEN = "fakeSecurityTokenBss0001";
let emu: RunningEmulator | undefined;
const leaks = watchForLeaks(() => [SK, TOKEN, ...(emu ? [emu.secretKey, emu.adminToken] : [])]);

const fast: ClientOptions = { backoff: { baseMs: 5, maxMs: 20 }, maxRetries: 3, rateLimit: false, timeoutMs: 3000, connectTimeoutMs: 1000 };
const quick: PollSchedule = { firstDelayMs: 20, minIntervalMs: 20, maxIntervalMs: 50, elapsedFraction: 0.1 };

const ENV = { HW_REGION_NAME: "cn-north-4", HW_ACCESS_KEY: AK, HW_SECRET_KEY: SK, HW_PROJECT_ID: "proj0001" };

const DOMAIN = "d0000000000000000000000000000f00";

function fakeConfig(bssEndpoint: string, token?: string, domainId: string | null = DOMAIN, iamEndpoint?: string): ResolvedConfig {
    return new ResolvedConfig({
        region: "cn-north-4",
        projectId: "proj0001",
        endpoint: "https://modelarts.cn-north-4.myhuaweicloud.com",
        bssEndpoint,
        domainId: domainId ?? undefined,
        iamEndpoint,
        accessKey: AK,
        secretKey: SK,
        securityToken: token,
        sources: {},
    });
}

beforeEach(() => resetClients());

describe("BSS endpoint (huaweicloud:bssEndpoint / HW_BSS_ENDPOINT; Terraform's global catalog rule)", () => {
    test.each([
        ["cn-north-4", undefined, BSS_ENDPOINT_CHINA],
        ["ap-southeast-1", undefined, BSS_ENDPOINT_CHINA],
        ["la-south-2", undefined, BSS_ENDPOINT_CHINA],
        ["eu-west-101", undefined, "https://bss.eu-west-101.myhuaweicloud.eu"],
        ["cn-north-4", "example-cloud.test", "https://bss.example-cloud.test"],
        ["eu-west-101", "example-cloud.test", "https://bss.eu-west-101.example-cloud.test"],
    ])("default for region %s, cloud %s: %s", (region, cloud, expected) => {
        expect(defaultBssEndpoint(region, cloud)).toBe(expected);
        const c = resolveConfig({}, undefined, { ...ENV, HW_REGION_NAME: region, ...(cloud ? { HW_CLOUD: cloud } : {}) });
        expect(c.bssEndpoint).toBe(expected);
        expect(c.sources.bssEndpoint).toMatch(/^default for region/);
    });

    test("stack config and env override the default; an override is validated", () => {
        const stack = { get: (k: string) => (k === "huaweicloud:bssEndpoint" ? "https://bss.stack.test/" : undefined) };
        expect(resolveConfig({}, stack, { ...ENV, HW_BSS_ENDPOINT: "https://bss.env.test" }).bssEndpoint).toBe("https://bss.stack.test");
        const env = resolveConfig({}, undefined, { ...ENV, HW_BSS_ENDPOINT: "https://bss.env.test" });
        expect(env.bssEndpoint).toBe("https://bss.env.test");
        expect(env.sources.bssEndpoint).toBe("env HW_BSS_ENDPOINT");
        expect(() => resolveConfig({}, undefined, { ...ENV, HW_BSS_ENDPOINT: "ftp://bss" })).toThrow(ConfigError);
        expect(() => resolveConfig({}, undefined, { ...ENV, HW_BSS_ENDPOINT: "ftp://bss" })).toThrow(/BSS endpoint from env HW_BSS_ENDPOINT must be an http/);
        expect(resolveConfig({}, undefined, ENV).toJSON()).toMatchObject({ bssEndpoint: BSS_ENDPOINT_CHINA });
    });

    test("loopback rule: a ModelArts endpoint on a loopback host (emulator, tunnel) serves BSS too; other overrides do not", () => {
        for (const endpoint of ["http://127.0.0.1:8787", "http://localhost:8787/", "http://[::1]:8787", "http://127.3.2.1:1/base"]) {
            const c = resolveConfig({}, undefined, { ...ENV, HW_MODELARTS_ENDPOINT: endpoint });
            expect(c.bssEndpoint).toBe(endpoint.replace(/\/+$/, ""));
            expect(c.sources.bssEndpoint).toBe("the loopback ModelArts endpoint (env HW_MODELARTS_ENDPOINT)");
        }
        expect(resolveConfig({}, undefined, { ...ENV, HW_MODELARTS_ENDPOINT: "https://modelarts.internal.test" }).bssEndpoint).toBe(BSS_ENDPOINT_CHINA);
        expect(resolveConfig({}, undefined, { ...ENV, HW_MODELARTS_ENDPOINT: "http://128.0.0.1:1" }).bssEndpoint).toBe(BSS_ENDPOINT_CHINA);
        const explicit = resolveConfig({}, undefined, { ...ENV, HW_MODELARTS_ENDPOINT: "http://127.0.0.1:8787", HW_BSS_ENDPOINT: "http://127.0.0.1:9999" });
        expect(explicit.bssEndpoint).toBe("http://127.0.0.1:9999");
        expect(isLoopbackEndpoint("http://localhost.example.com")).toBe(false);
        // A config built directly defaults the same way.
        expect(fakeConfigWithoutBss("http://127.0.0.1:5").bssEndpoint).toBe("http://127.0.0.1:5");
        expect(fakeConfigWithoutBss("https://modelarts.cn-north-4.myhuaweicloud.com").bssEndpoint).toBe(BSS_ENDPOINT_CHINA);
    });
});

function fakeConfigWithoutBss(endpoint: string): ResolvedConfig {
    return new ResolvedConfig({ region: "cn-north-4", projectId: "p", endpoint, accessKey: AK, secretKey: SK, sources: {} });
}

describe("BSS on the wire (scripted server)", () => {
    let china: FakeServer;
    let intl: FakeServer;
    beforeEach(async () => {
        china = await startFakeServer(SK);
        intl = await startFakeServer(SK);
    });
    afterEach(async () => {
        await china.close();
        await intl.close();
    });

    test("paths from the root, no X-Project-Id, a valid signature (temporary credentials too), 204 without a body", async () => {
        china.queue.push({ status: 200, body: { order_info: { order_id: "CS1", status: 5 } } }, { status: 204 });
        const c = new BssClient(fakeConfig(china.url, TOKEN), fast);
        expect((await getOrder(c, "CS1")).order_info?.status).toBe(5);
        await setAutoRenew(c, "res/1", false);
        const [get, del] = china.seen;
        expect(get.path).toBe("/v2/orders/customer-orders/details/CS1");
        expect(del).toMatchObject({ method: "DELETE", path: "/v2/orders/subscriptions/resources/autorenew/res%2F1" });
        for (const s of china.seen) {
            expect(s.signatureValid).toBe(true);
            expect(s.headers["x-project-id"]).toBeUndefined();
            expect(s.headers["x-security-token"]).toBe(TOKEN);
            expect(s.headers["x-domain-id"]).toBe(DOMAIN);
            expect(s.headers.authorization).toMatch(/SignedHeaders=[^,]*x-domain-id/);
        }
    });

    test("without a configured domain id, IAM is asked once per process (GET /v3/auth/domains, same credentials) and every BSS call carries it", async () => {
        const iam = await startFakeServer(SK, () => ({ status: 200, body: { domains: [{ id: "dom-from-iam", name: "acct" }] } }));
        try {
            china.fallback = () => ({ status: 200, body: { order_info: { order_id: "CS1", status: 5 } } });
            const cfg = fakeConfig(china.url, undefined, null, iam.url);
            await Promise.all([getOrder(new BssClient(cfg, fast), "CS1"), getOrder(new BssClient(cfg, fast), "CS2")]);
            await getOrder(getBssClient(cfg, fast), "CS3");
            expect(iam.seen).toHaveLength(1);
            expect(iam.seen[0]).toMatchObject({ method: "GET", path: "/v3/auth/domains", signatureValid: true });
            expect(china.seen.map((s) => s.headers["x-domain-id"])).toEqual(["dom-from-iam", "dom-from-iam", "dom-from-iam"]);
        } finally {
            await iam.close();
        }
    });

    test("IAM naming no domain: a clear error saying to set huaweicloud:domainId, and no BSS call is sent unscoped", async () => {
        const iam = await startFakeServer(SK, () => ({ status: 200, body: { domains: [] } }));
        try {
            const err = await leaks.rejection(getOrder(new BssClient(fakeConfig(china.url, undefined, null, iam.url), fast), "CS1"));
            expect(err.message).toMatch(/huaweicloud:domainId \(HW_DOMAIN_ID\)/);
            expect(err.message).toMatch(/iam:users:getUser/);
            expect(china.seen).toHaveLength(0);
        } finally {
            await iam.close();
        }
    });

    test("a BSS call refused as unauthorized names where the domain id came from, besides the AK/SK (a wrong huaweicloud:domainId)", async () => {
        china.queue.push({ status: 401, body: { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information" } });
        const cfg = new ResolvedConfig({
            region: "cn-north-4",
            projectId: "proj0001",
            endpoint: "https://modelarts.cn-north-4.myhuaweicloud.com",
            bssEndpoint: china.url,
            domainId: DOMAIN,
            accessKey: AK,
            secretKey: SK,
            sources: { domainId: "stack config huaweicloud:domainId" },
        });
        const err = await leaks.rejection(getOrder(new BssClient(cfg, fast), "CS1"));
        expect(err.message).toMatch(/HTTP 401 .*accessKey\/secretKey.*X-Domain-Id\), here from stack config huaweicloud:domainId; check it is the account ID of this access key/);
    });

    test("errors name BSS and its endpoint setting, not ModelArts", async () => {
        china.queue.push({ status: 404, body: { error_code: "APIGW.0101", error_msg: "The API does not exist" } });
        const err = await leaks.rejection(getOrder(new BssClient(fakeConfig(china.url), fast), "CS1"));
        expect(err).toBeInstanceOf(ModelArtsApiError);
        expect(err.message).toMatch(/^BSS GET \/v2\/orders\/customer-orders\/details\/CS1 failed with HTTP 404/);
        expect(err.message).toContain("huaweicloud:bssEndpoint (HW_BSS_ENDPOINT)");
        expect(err.message).toContain("that BSS offers this API");
        const down = new BssClient(fakeConfig("http://127.0.0.1:1"), { ...fast, maxRetries: 0 });
        const unreachable = await leaks.rejection(getOrder(down, "CS1"));
        expect(unreachable.message).toMatch(/^BSS GET .* could not reach http:\/\/127\.0\.0\.1:1 .*huaweicloud:bssEndpoint/);
        expect(isTransientError(unreachable)).toBe(true);
    });

    test("international site: 403 CBC.0150 from the China site switches to the international endpoint once, for the rest of the process", async () => {
        china.fallback = () => ({ status: 403, body: { error_code: "CBC.0150", error_msg: "Access denied. The customer does not belong to the website you are now at." } });
        intl.fallback = () => ({ status: 200, body: { data: [{ resource_id: "r1", expire_policy: 3 }], total_count: 1 } });
        const c = new BssClient(fakeConfig(china.url), { ...fast, detectSite: true, intlEndpoint: intl.url });
        expect(c.endpoint).toBe(china.url);
        const subs = await querySubscriptions(c, ["r1"]);
        expect(subs).toHaveLength(1);
        expect(isAutoRenew(subs[0])).toBe(true);
        expect(c.endpoint).toBe(intl.url);
        expect(china.seen).toHaveLength(1);
        expect(intl.seen).toHaveLength(1);
        expect(intl.seen[0]).toMatchObject({ method: "POST", path: "/v2/orders/suscriptions/resources/query", signatureValid: true });
        expect(JSON.parse(intl.seen[0].body)).toEqual({ resource_ids: ["r1"] });
        // Another client for the same endpoint and key goes straight to the international site.
        await querySubscriptions(new BssClient(fakeConfig(china.url), { ...fast, detectSite: true, intlEndpoint: intl.url }), ["r1"]);
        expect(china.seen).toHaveLength(1);
        expect(intl.seen).toHaveLength(2);
        expect(leaks.lines.some((l) => l.includes("international site") && l.includes(intl.url))).toBe(true);
    });

    test("CBC.0156 switches too; other 403s, and endpoints chosen by the user, do not", async () => {
        china.queue.push({ status: 403, body: { error_code: "CBC.0156", error_msg: "wrong site" } });
        await getOrder(new BssClient(fakeConfig(china.url), { ...fast, detectSite: true, intlEndpoint: intl.url }), "CS1");
        expect(intl.seen).toHaveLength(1);
        resetClients();

        china.queue.push({ status: 403, body: { error_code: "CBC.0151", error_msg: "forbidden" } });
        const other = await leaks.rejection(getOrder(new BssClient(fakeConfig(china.url), { ...fast, detectSite: true, intlEndpoint: intl.url }), "CS1"));
        expect(other).toMatchObject({ status: 403, errorCode: "CBC.0151" });
        china.queue.push({ status: 403, body: { error_code: "CBC.0150", error_msg: "wrong site" } });
        const pinned = await leaks.rejection(getOrder(new BssClient(fakeConfig(china.url), { ...fast, intlEndpoint: intl.url }), "CS1"));
        expect(pinned).toMatchObject({ status: 403, errorCode: "CBC.0150" });
        expect(intl.seen).toHaveLength(1);
    });

    test("site detection is on by default only for the default China endpoint", () => {
        const detects = (c: BssClient) => (c as unknown as { detectSite: boolean }).detectSite;
        expect(detects(new BssClient(resolveConfig({}, undefined, ENV)))).toBe(true);
        expect(detects(new BssClient(resolveConfig({}, undefined, { ...ENV, HW_BSS_ENDPOINT: BSS_ENDPOINT_CHINA })))).toBe(false);
        expect(detects(new BssClient(resolveConfig({}, undefined, { ...ENV, HW_CLOUD: "example-cloud.test" })))).toBe(false);
        expect(detects(new BssClient(resolveConfig({}, undefined, { ...ENV, HW_REGION_NAME: "eu-west-101" })))).toBe(false);
        expect(BSS_ENDPOINT_INTL).toBe("https://bss-intl.myhuaweicloud.com");
    });

    test("getBssClient shares one client per BSS endpoint and credentials, whatever the project", () => {
        const a = getBssClient(fakeConfig(china.url), fast);
        const b = getBssClient(new ResolvedConfig({ ...fakeConfig(china.url), projectId: "other", accessKey: AK, secretKey: SK, sources: {} }), fast);
        expect(b).toBe(a);
        expect(getBssClient(new ResolvedConfig({ ...fakeConfig(china.url), accessKey: AK, secretKey: "another-secret-1", sources: {} }), fast)).not.toBe(a);
    });
});

describe("BSS against the emulator (one setting: the ModelArts endpoint)", () => {
    let tenant: EmulatorClient;
    let bss: BssClient;
    beforeAll(async () => {
        emu = await startEmulator({ timings: { ...FAST_TIMINGS, bss: { orderComplete: 150 }, devServer: { ...FAST_TIMINGS.devServer, create: 100, delete: 100 } }, rateLimit: null });
    });
    afterAll(async () => {
        await emu?.close();
    });
    beforeEach(() => {
        const e = emu!;
        tenant = new EmulatorClient(e.url, { accessKey: e.accessKey, secretKey: e.secretKey }, e.projectId);
        const config = resolveConfig({}, undefined, {
            HW_REGION_NAME: e.region,
            HW_ACCESS_KEY: e.accessKey,
            HW_SECRET_KEY: e.secretKey,
            HW_PROJECT_ID: e.projectId,
            HW_MODELARTS_ENDPOINT: e.url,
        });
        expect(config.bssEndpoint).toBe(e.url);
        bss = getBssClient(config, fast);
    });

    const order = async (name: string, isAutoPay: boolean, isAutoRenew = false): Promise<string> => {
        const r = await tenant.post("/dev-servers", {
            name,
            flavor: "Si2.large.4",
            image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
            key_pair_name: "kp",
            network: { vpc_id: "v", subnet_id: "s", security_group_id: "g" },
            charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH", period_num: 1, is_auto_pay: isAutoPay, is_auto_renew: isAutoRenew },
        });
        expect(r.status).toBe(200);
        return r.body.order_id;
    };
    const serverOf = async (orderId: string): Promise<string> =>
        (await waitUntil(
            () => tenant.get("/dev-servers", { limit: "100" }).then((r) => r.body.data.find((s: { order_id?: string }) => s.order_id === orderId)),
            (s) => s !== undefined,
        )).id;

    test("auto-pay: waitForOrder reports progress and returns the completed order", async () => {
        const orderId = await order("wait-auto", true);
        const done = await waitForOrder(bss, orderId, { isAutoPay: true, timeoutMs: 5000, schedule: quick, what: "DevServer wait-auto" });
        expect(done.order_info).toMatchObject({ order_id: orderId, status: 5 });
        expect(leaks.lines.some((l) => l.includes(`waiting for order ${orderId} (DevServer wait-auto) to complete: status 3 (processing)`))).toBe(true);
        expect(leaks.lines.some((l) => l.includes(`order ${orderId}`) && l.includes("status 5 (completed)"))).toBe(true);
        expect(await serverOf(orderId)).toBeTruthy();
    });

    test("no auto-pay: past the grace period the wait stops and says how to pay; once paid it completes", async () => {
        const orderId = await order("wait-manual", false);
        const err = await leaks.rejection(waitForOrder(bss, orderId, { isAutoPay: false, timeoutMs: 5000, paymentGraceMs: 100, schedule: quick }));
        expect(err).toBeInstanceOf(BssOrderError);
        expect(err).toMatchObject({ orderId, status: 6, reason: "awaiting-payment" });
        expect(err.message).toContain(`BSS order ${orderId} is waiting for payment (auto-pay is off)`);
        expect(err.message).toContain("Billing Center");
        expect(err.message).toContain("pulumi up");
        expect(err.message).toContain("isAutoPay: true");
        await emu!.admin.payOrder(orderId);
        expect((await waitForOrder(bss, orderId, { isAutoPay: false, timeoutMs: 5000, paymentGraceMs: 100, schedule: quick })).order_info?.status).toBe(5);
    });

    test("auto-pay that never goes through ends at the timeout with the payment instructions", async () => {
        const orderId = await order("wait-timeout", false);
        const err = await leaks.rejection(waitForOrder(bss, orderId, { isAutoPay: true, timeoutMs: 200, schedule: quick }));
        expect(err).toMatchObject({ orderId, reason: "awaiting-payment" });
        expect(err.message).toMatch(/still waiting for payment after .* although auto-pay is on/);
    });

    test("a cancelled order fails the wait clearly", async () => {
        const orderId = await order("wait-cancelled", false);
        await emu!.admin.cancelOrder(orderId);
        const err = await leaks.rejection(waitForOrder(bss, orderId, { isAutoPay: false, timeoutMs: 5000, schedule: quick }));
        expect(err).toMatchObject({ orderId, status: 4, reason: "cancelled" });
        expect(err.message).toContain(`BSS order ${orderId} was cancelled`);
    });

    test("subscriptions: prepaid vs pay-per-use; auto-renew on and off", async () => {
        const orderId = await order("renew", true, false);
        await waitForOrder(bss, orderId, { isAutoPay: true, timeoutMs: 5000, schedule: quick });
        const id = await serverOf(orderId);
        const sub = await findSubscription(bss, id);
        expect(sub).toMatchObject({ resource_id: id, status: 2 });
        expect(isAutoRenew(sub!)).toBe(false);
        await setAutoRenew(bss, id, true);
        expect(isAutoRenew((await findSubscription(bss, id))!)).toBe(true);
        await setAutoRenew(bss, id, false);
        expect(isAutoRenew((await findSubscription(bss, id))!)).toBe(false);
        const postpaid = await tenant.post("/dev-servers", {
            name: "postpaid",
            flavor: "Si2.large.4",
            image_id: "img",
            key_pair_name: "kp",
            network: { vpc_id: "v", subnet_id: "s", security_group_id: "g" },
        });
        expect(await findSubscription(bss, postpaid.body.id)).toBeUndefined();
    });

    test("unsubscribe deletes the server; a second unsubscribe (CBC.30000067) counts as done", async () => {
        const orderId = await order("unsub", true);
        await waitForOrder(bss, orderId, { isAutoPay: true, timeoutMs: 5000, schedule: quick });
        const id = await serverOf(orderId);
        const plain = await tenant.del(`/dev-servers/${id}`);
        expect(plain.body.error_code).toBe("ModelArts.6433");
        const first = await unsubscribeResources(bss, [id]);
        expect(first.alreadyUnsubscribed).toBe(false);
        expect(first.orderIds).toHaveLength(1);
        await waitUntil(() => tenant.get(`/dev-servers/${id}`), (r) => r.body.error_code === "ModelArts.6404");
        expect(await unsubscribeResources(bss, [id])).toEqual({ orderIds: [], alreadyUnsubscribed: true });
        expect(await querySubscriptions(bss, [id])).toEqual([]);
    });

    test("signatures are checked on BSS paths; transient faults are retried", async () => {
        const e = emu!;
        const wrong = getBssClient(
            new ResolvedConfig({ region: e.region, projectId: e.projectId, endpoint: e.url, accessKey: e.accessKey, secretKey: "wrong-secret-bss-1", sources: {} }),
            fast,
        );
        const err = await leaks.rejection(getOrder(wrong, "CS1"));
        expect(err).toMatchObject({ status: 401, errorCode: "APIGW.0301", kind: "auth" });
        // Without huaweicloud:domainId the first call is IAM's (same credentials): it is refused first.
        expect(err.message).toMatch(/^IAM GET \/v3\/auth\/domains /);
        await e.admin.addFault({ method: "GET", path: "^/v2/orders/customer-orders", kind: "status", status: 503, count: 2 });
        const orderId = await order("faulty", true);
        expect((await getOrder(bss, orderId)).order_info?.order_id).toBe(orderId);
        expect(bss.counters.retries).toBeGreaterThanOrEqual(2);
    });
});
