/**
 * Every list search pages beyond one page: with more servers in the project than one page holds
 * (1,024, the API's largest), the server a lost create answer made, and the server a PRE_PAID
 * order made, are the last in the list, on the second page, and are still found; waits of many
 * servers through the shared poller see servers on every page.
 */
import { startEmulator, RunningEmulator } from "../../emulator";
import { ProviderHost, providerTextOf, stackConfigFor, urnFor, Props } from "../harness/engine";
import { EmulatorClient } from "../helpers/emulatorClient";
import { DEV_SERVER_PAGE_SIZE } from "../../provider/api/devServers";

const BEYOND_ONE_PAGE = DEV_SERVER_PAGE_SIZE + 6;

const program = (name: string, extra: Props = {}): Props => ({
    name,
    flavor: "Si2.large.4",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    keyPairName: "paging",
    ...extra,
});

let emu: RunningEmulator;
let host: ProviderHost;
let provider: string;

beforeAll(async () => {
    emu = await startEmulator({ timings: { devServer: { create: 200, start: 100, stop: 100, delete: 100 }, bss: { orderComplete: 100 } }, rateLimit: null });
    const c = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
    // Servers that fill more than one page, created straight through the API.
    for (let start = 0; start < BEYOND_ONE_PAGE; start += 50) {
        await Promise.all(
            Array.from({ length: Math.min(50, BEYOND_ONE_PAGE - start) }, (_, k) =>
                c.post("/dev-servers", {
                    name: `filler-${start + k}`, flavor: "Si2.large.4", image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7", key_pair_name: "f",
                    network: { vpc_id: "05982b48-a70f-43a1-a2b0-1fe36a236172", subnet_id: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54", security_group_id: "150a2c76-1334-45f6-b28f-419f9b1d1742" },
                }),
            ),
        );
    }
    host = await ProviderHost.start({ env: { PULUMI_MODELARTS_POLL_SCALE: "0.05" } });
    await host.configure(stackConfigFor(emu));
    provider = providerTextOf("devServerShim");
}, 120_000);

afterAll(async () => {
    await host?.close();
    await emu?.close();
});

const listPages = async () =>
    (await emu.admin.requests()).filter((r) => r.method === "GET" && /\/dev-servers$/.test(r.path)).map((r) => r.query);

test(`a lost create answer is resolved with ${BEYOND_ONE_PAGE} servers already in the project (the new one on page 2)`, async () => {
    await emu.admin.clearRequests();
    await emu.admin.addFault({ method: "POST", path: "/dev-servers$", kind: "reset-after", count: 1 });
    const created = await host.create(urnFor("DevServer", "lost"), { ...program("paging-lost"), __provider: provider });
    expect(created.properties.status).toBe("RUNNING");
    const named = ((await emu.admin.state()).projects[emu.projectId].devServers as Array<{ name: string; id: string }>).filter((s) => s.name === "paging-lost");
    expect(named.map((s) => s.id)).toEqual([created.id]);
    expect(await listPages()).toContain(`limit=${DEV_SERVER_PAGE_SIZE}&offset=${DEV_SERVER_PAGE_SIZE}`);
}, 60_000);

test("a PRE_PAID order's server is found on page 2", async () => {
    await emu.admin.clearRequests();
    const created = await host.create(urnFor("DevServer", "prepaid"), {
        ...program("paging-prepaid", { chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1, isAutoPay: true } }),
        __provider: provider,
    });
    expect(created.properties.orderId).toEqual(expect.any(String));
    expect(created.properties.status).toBe("RUNNING");
    expect(await listPages()).toContain(`limit=${DEV_SERVER_PAGE_SIZE}&offset=${DEV_SERVER_PAGE_SIZE}`);
}, 60_000);
