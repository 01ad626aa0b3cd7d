/**
 * Opt-in acceptance suite against a real Huawei Cloud account (tests/acceptance/README.md):
 * create, update, refresh, import and destroy of DevServer and NotebookAutoStop through Pulumi's
 * dynamic-provider host, prepaid when asked for. Skips, saying why, without its environment or in CI.
 */
import { createHash } from "crypto";
import { ProviderHost, providerTextOf, urnFor, Props } from "../harness/engine";
import * as fns from "../../provider/functions";
import { getClient } from "../../provider/client";
import { resolveConfig } from "../../provider/config";

const REQUIRED = [
    "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_REGION_NAME", "HW_PROJECT_ID",
    "MODELARTS_ACC_VPC_ID", "MODELARTS_ACC_SUBNET_ID", "MODELARTS_ACC_SECURITY_GROUP_ID",
    "MODELARTS_ACC_FLAVOR", "MODELARTS_ACC_IMAGE_ID", "MODELARTS_ACC_KEY_PAIR",
];
const env = process.env;
const missing = REQUIRED.filter((k) => !env[k]);
const skipReason = env.CI
    ? "CI is set: the acceptance suite never runs in CI"
    : env.MODELARTS_ACC !== "1"
      ? "MODELARTS_ACC=1 is not set (the explicit opt-in)"
      : missing.length > 0
        ? `missing environment: ${missing.join(", ")}`
        : undefined;

if (skipReason) {
    // Said plainly, once, where jest shows it.
    console.warn(`acceptance suite SKIPPED: ${skipReason}. See tests/acceptance/README.md.`);
}
const suite = skipReason ? describe.skip : describe;
const step = (id: string, what: string) => `${id}: ${what}`;

let host: ProviderHost;
const devText = () => providerTextOf("devServerShim");
const nbText = () => providerTextOf("notebookAutoStopShim");
const suffix = createHash("sha256").update(String(Date.now())).digest("hex").slice(0, 6);

function declared(overrides: Props = {}): Props {
    return {
        name: `pulumi-acc-${suffix}`,
        resourceFlavor: env.MODELARTS_ACC_FLAVOR,
        imageId: env.MODELARTS_ACC_IMAGE_ID,
        vpcId: env.MODELARTS_ACC_VPC_ID,
        subnetId: env.MODELARTS_ACC_SUBNET_ID,
        securityGroupId: env.MODELARTS_ACC_SECURITY_GROUP_ID,
        keyPairName: env.MODELARTS_ACC_KEY_PAIR,
        // ACC-DS-USERDATA: a harmless script; whether it ran is checked on the server by hand (see README).
        userData: Buffer.from("#!/bin/sh\necho pulumi-acc > /tmp/pulumi-acc-userdata\n").toString("base64"),
        ...overrides,
    };
}

async function up(urn: string, text: string, inputs: Props): Promise<{ id: string; properties: Props }> {
    const checked = await host.check(urn, {}, { ...inputs, __provider: text });
    expect(checked.failures).toEqual([]);
    return host.create(urn, { ...checked.inputs, __provider: text });
}

async function change(urn: string, text: string, id: string, state: Props, inputs: Props): Promise<Props> {
    const checked = await host.check(urn, state, { ...inputs, __provider: text });
    expect(checked.failures).toEqual([]);
    return (await host.update(urn, id, state, { ...checked.inputs, __provider: text })).properties;
}

suite("acceptance: real Huawei Cloud (opt-in)", () => {
    beforeAll(async () => {
        // The harness starts hosts with the provider's environment removed (tests configure them
        // explicitly); here the account comes from that environment, so it is handed on.
        const account = Object.fromEntries(Object.entries(env).filter(([k]) => /^(HW_|HUAWEICLOUD_|PULUMI_MODELARTS_)/.test(k)));
        host = await ProviderHost.start({ env: { ...account, PULUMI_MODELARTS_LOG_LEVEL: "debug" } });
        await host.configure({});
    });
    afterAll(async () => host?.close());

    // Read-only: what the catalogues and lists really answer (the unconfirmed rows of the
    // "Catalogues and notebook lists" table in docs/EMULATOR-VS-REAL-API.md).
    describe("Catalogues and notebook lists (the functions)", () => {
        it(step("ACC-CAT-LISTS", "each function answers; prints flavor_type / charging_mode values and the answers to edge filters"), async () => {
            const flavors = await fns.invokeFunction(fns.getDevServerFlavors, { includeSoldOut: true });
            console.info(`ACC-CAT-LISTS flavor_type values: ${JSON.stringify([...new Set(flavors.flavors.map((f) => f.flavorType))])}`);
            console.info(`ACC-CAT-LISTS charging_mode values: ${JSON.stringify([...new Set(flavors.flavors.map((f) => f.chargingMode))])}`);
            console.info(`ACC-CAT-LISTS specification examples: ${JSON.stringify(flavors.flavors.slice(0, 3).map((f) => f.specification))}`);
            const images = await fns.invokeFunction(fns.getDevServerImages, { includeInactive: true });
            console.info(`ACC-CAT-LISTS DevServer images: ${images.images.length}`);
            for (const fn of [fns.getNotebookFlavors, fns.getNotebookImages, fns.getNotebooks] as const) {
                await fns.invokeFunction(fn, {});
            }
            // Edge filters, sent raw: lower-case server_type, an unknown one, a flavor that does not exist.
            const client = getClient(resolveConfig());
            for (const query of [{ server_type: "ecs" }, { server_type: "FOO" }]) {
                const answer = await client.request({ method: "GET", path: "/dev-servers/flavors", query }).then((r: any) => `${r?.data?.length} flavors`, (e: Error) => e.message);
                console.info(`ACC-CAT-LISTS ${JSON.stringify(query)}: ${answer}`);
            }
            const none = await client.request({ method: "GET", path: "/dev-servers/images", query: { flavor_name: "no.such.flavor" } }).then((r: any) => `${r?.data?.length} images`, (e: Error) => e.message);
            console.info(`ACC-CAT-LISTS flavor_name=no.such.flavor: ${none}`);
            const legacy = await client.request({ method: "GET", path: "/demanager/instances", query: { de_type: "Notebook", limit: 1 } }).then((r: any) => Object.keys(r ?? {}).join(","), (e: Error) => e.message);
            console.info(`ACC-CAT-LISTS demanager list keys: ${legacy}`);
        });
    });

    describe("DevServer, pay-per-use", () => {
        const urn = urnFor("DevServer", "acc-box");
        let id = "";
        let state: Props = {};

        it(step("ACC-DS-CREATE", "create (user data under both keys) reaches RUNNING"), async () => {
            const created = await up(urn, devText(), declared());
            id = created.id;
            state = created.properties;
            expect(state.status).toBe("RUNNING");
        });

        it(step("ACC-DS-REFRESH", "refresh reads the live server; prints the endpoints and flavor fields it reports"), async () => {
            const read = await host.read(urn, id, state, state);
            expect(read.id).toBe(id);
            console.info(`ACC-DS-REFRESH observed: ${JSON.stringify({ flavor: read.properties.flavor, resourceFlavor: read.properties.resourceFlavor, endpoints: read.properties.endpoints })}`);
            state = read.properties;
        });

        it(step("ACC-DS-STOP-EIP", "stop; binding an EIP to the STOPPED server kept STOPPED is refused by the provider"), async () => {
            state = await change(urn, devText(), id, state, declared({ powerState: "STOPPED" }));
            expect(state.status).toBe("STOPPED");
            if (!env.MODELARTS_ACC_EIP_ID) return console.warn("ACC-DS-STOP-EIP: MODELARTS_ACC_EIP_ID not set; EIP part skipped");
            const err = await change(urn, devText(), id, state, declared({ powerState: "STOPPED", publicIpId: env.MODELARTS_ACC_EIP_ID })).catch((e: Error) => e);
            expect(String((err as Error).message)).toMatch(/can be bound only to a RUNNING server/);
        });

        it(step("ACC-DS-START-EIP", "start, then bind the EIP"), async () => {
            const withIp = env.MODELARTS_ACC_EIP_ID ? { publicIpId: env.MODELARTS_ACC_EIP_ID } : {};
            state = await change(urn, devText(), id, state, declared({ powerState: "RUNNING", ...withIp }));
            expect(state.status).toBe("RUNNING");
        });

        it(step("ACC-DS-CHANGEOS", "change the image (needs MODELARTS_ACC_IMAGE_ID_2)"), async () => {
            if (!env.MODELARTS_ACC_IMAGE_ID_2) return console.warn("ACC-DS-CHANGEOS: MODELARTS_ACC_IMAGE_ID_2 not set; skipped");
            state = await change(urn, devText(), id, state, declared({ imageId: env.MODELARTS_ACC_IMAGE_ID_2 }));
            console.info(`ACC-DS-CHANGEOS observed image ${state.imageId}`);
        });

        it(step("ACC-DS-IMPORT", "import by id (read with no state) answers the live server"), async () => {
            // A read by id alone carries only the serialized provider, as the engine's import does.
            const read = await host.read(urn, id, { __provider: devText() }, {});
            expect(read.id).toBe(id);
        });

        it(step("ACC-DS-DESTROY", "destroy; then a read answers not-found (prints the code the API used)"), async () => {
            await host.delete(urn, id, state);
            const gone = await host.read(urn, id, state, state);
            expect(gone.id ?? "").toBe("");
        });
    });

    describe("DevServer, PRE_PAID (MODELARTS_ACC_PREPAID=1)", () => {
        const urn = urnFor("DevServer", "acc-prepaid");
        const on = env.MODELARTS_ACC_PREPAID === "1";
        let id = "";
        let state: Props = {};
        const prepaid = (isAutoRenew: boolean) =>
            declared({ name: `pulumi-acc-pre-${suffix}`, chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1, isAutoPay: true, isAutoRenew } });

        it(step("ACC-BSS-CREATE", "buy a one-month server (BSS order, X-Domain-Id from IAM or HW_DOMAIN_ID)"), async () => {
            if (!on) return console.warn("ACC-BSS-*: MODELARTS_ACC_PREPAID=1 not set; prepaid steps skipped");
            const created = await up(urn, devText(), prepaid(false));
            id = created.id;
            state = created.properties;
            expect(state.status).toBe("RUNNING");
        });

        it(step("ACC-BSS-RENEW", "auto-renew on in place"), async () => {
            if (!on) return;
            state = await change(urn, devText(), id, state, prepaid(true));
        });

        it(step("ACC-BSS-DESTROY", "unsubscribe; the server goes away"), async () => {
            if (!on) return;
            await host.delete(urn, id, state);
        });
    });

    describe("NotebookAutoStop (MODELARTS_ACC_NOTEBOOK_ID, a RUNNING notebook of the current API)", () => {
        const urn = urnFor("NotebookAutoStop", "acc-nb");
        const nb = env.MODELARTS_ACC_NOTEBOOK_ID;
        let state: Props = {};

        it(step("ACC-NB-CREATE", "set a 2 h lease"), async () => {
            if (!nb) return console.warn("ACC-NB-*: MODELARTS_ACC_NOTEBOOK_ID not set; notebook steps skipped");
            state = (await up(urn, nbText(), { instanceId: nb, enabled: true, duration: 7200 })).properties;
            expect(state.api).toBe("notebooks");
        });

        it(step("ACC-NB-UPDATE", "change it to 3 h; refresh shows no drift"), async () => {
            if (!nb) return;
            state = await change(urn, nbText(), nb, state, { instanceId: nb, enabled: true, duration: 10800 });
            const read = await host.read(urn, nb, state, state);
            expect(read.properties.duration).toBe(10800);
        });

        it(step("ACC-NB-IMPORT", "import by id detects the family"), async () => {
            if (!nb) return;
            expect((await host.read(urn, nb, { __provider: nbText() }, {})).properties.api).toBe("notebooks");
        });

        it(step("ACC-NB-DESTROY", "delete restores the prior lease"), async () => {
            if (!nb) return;
            await host.delete(urn, nb, state);
        });
    });
});

if (skipReason) {
    test("acceptance suite skipped (see the warning above)", () => expect(skipReason).toBeTruthy());
}
