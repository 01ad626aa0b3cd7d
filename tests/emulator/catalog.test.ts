/**
 * The emulator's catalogues on the wire (docs/EMULATOR-VS-REAL-API.md, "Catalogues and notebook
 * lists"): the envelopes and fields of the SDK's models, the filters, paging, the values it
 * refuses and the case it forgives, and the notebook lists' name / status / paging.
 */
import { ERROR_CODES } from "../../emulator";
import { EmulatorClient } from "../helpers/emulatorClient";
import { Fixture, startFast } from "./fixtures";

describe("emulator: catalogues", () => {
    let f: Fixture;
    let c: EmulatorClient;
    beforeAll(async () => {
        f = await startFast();
        c = f.client;
    });
    afterAll(() => f.emu.close());

    test("DevServer flavors: the envelope, GPU and NPU types, filters; a COMMON flavor matches either billing mode", async () => {
        const all = await c.get("/dev-servers/flavors");
        expect(all.status).toBe(200);
        expect(all.body).toMatchObject({ current: 1, pages: 1, total: all.body.data.length, size: all.body.data.length });
        expect(new Set(all.body.data.map((x: any) => x.flavor_type))).toEqual(new Set(["CPU", "GPU", "NPU"]));
        expect(Object.keys(all.body.data[0])).toEqual(expect.arrayContaining(["flavor", "arch", "server_type", "flavor_type", "specification", "charging_mode", "sku_code", "roce_num", "count", "status", "availability_zone", "is_sold_out"]));
        const arm = await c.get("/dev-servers/flavors", { arch: "ARM", server_type: "bms" });
        expect(arm.body.data.map((x: any) => x.flavor)).toEqual(["physical.kat2ne.48xlarge.8.ei.pod101"]);
        const postpaid = await c.get("/dev-servers/flavors", { charging_mode: "POST_PAID" });
        expect(new Set(postpaid.body.data.map((x: any) => x.charging_mode))).toEqual(new Set(["COMMON", "POST_PAID"]));
    });

    test("an unknown filter value is refused, naming the parameter and its values", async () => {
        const r = await c.get("/dev-servers/flavors", { server_type: "FOO" });
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ error_code: ERROR_CODES.DEV_SERVER_INVALID_PARAM, error_msg: "server_type must be one of BMS, ECS, HPS" });
        const nb = await c.get("/notebooks/flavors", { category: "TPU" });
        expect(nb.status).toBe(400);
        expect(nb.body.error_code).toBe(ERROR_CODES.NOTEBOOK_INVALID_PARAM);
        const img = await c.get("/images", { limit: "0" });
        expect(img.status).toBe(400);
    });

    test("DevServer images: per server type and architecture; flavor_name gives what runs on it, nothing for an unknown flavor", async () => {
        const hps = await c.get("/dev-servers/images", { server_type: "HPS" });
        expect(hps.body.data).toEqual([expect.objectContaining({ image_id: "0f1e2d3c-4b5a-4697-8877-665544332211", arch: "ARM", server_type: "HPS", status: "ACTIVE" })]);
        expect(hps.body.data[0].cards).toBeUndefined();
        const onT4 = await c.get("/dev-servers/images", { flavor_name: "Pi2.2xlarge.4" });
        expect(onT4.body.data.map((x: any) => x.name)).toEqual(["Ubuntu-22.04-x86-CUDA-12.2", "EulerOS-2.10-x86", "Ubuntu-20.04-x86-CUDA-11.8"]);
        const none = await c.get("/dev-servers/images", { flavor_name: "no.such.flavor" });
        expect(none.body).toMatchObject({ data: [], total: 0 });
    });

    test("notebook flavors: limit / offset paging, both data and flavors keys, the Ascend chip filter, DEDICATED empty", async () => {
        const all = (await c.get("/notebooks/flavors")).body;
        const first = (await c.get("/notebooks/flavors", { limit: "3", offset: "0" })).body;
        const last = (await c.get("/notebooks/flavors", { limit: "3", offset: "6" })).body;
        expect(first).toMatchObject({ total: all.total, size: 3, pages: Math.ceil(all.total / 3) });
        expect(first.flavors).toEqual(first.data);
        expect(last.data.map((x: any) => x.id)).toEqual(all.data.slice(6, 9).map((x: any) => x.id));
        const chip = (await c.get("/notebooks/flavors", { flavor_type: "ASCEND_SNT3" })).body;
        expect(chip.data.map((x: any) => x.id)).toEqual(["modelarts.vm.npu.snt3"]);
        expect((await c.get("/notebooks/flavors", { type: "DEDICATED" })).body.data).toEqual([]);
    });

    test("notebook images: BUILD_IN by default, fuzzy name unless name_fuzzy_match=false, paging by offset", async () => {
        const preset = (await c.get("/images")).body;
        expect(preset.data.every((x: any) => x.type === "BUILD_IN")).toBe(true);
        expect((await c.get("/images", { name: "conda3" })).body.data.map((x: any) => x.name)).toEqual(["conda3-ubuntu18.04", "conda3-aarch64-euler2.10"]);
        expect((await c.get("/images", { name: "conda3", name_fuzzy_match: "false" })).body.data).toEqual([]);
        const second = (await c.get("/images", { limit: "2", offset: "2" })).body;
        expect(second.data.map((x: any) => x.id)).toEqual(preset.data.slice(2, 4).map((x: any) => x.id));
    });

    test("notebook lists: the current one filters by name and status; demanager pages with total_count", async () => {
        await f.emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", name: "cat-lab-1" } as any);
        await f.emu.admin.seedNotebook({ family: "notebooks", status: "STOPPED", name: "cat-lab-2" } as any);
        for (let i = 0; i < 3; i++) await f.emu.admin.seedNotebook({ status: "STOPPED", name: `cat-legacy-${i}` });
        const running = (await c.get("/notebooks", { name: "cat-lab", status: "RUNNING" })).body;
        expect(running.data.map((x: any) => x.name)).toEqual(["cat-lab-1"]);
        const page = (await c.get("/demanager/instances", { de_type: "Notebook", offset: "1", limit: "1" })).body;
        expect(page.total_count).toBe(3);
        expect(page.instances.map((x: any) => x.name)).toEqual(["cat-legacy-1"]);
    });
});
