/**
 * The functions (provider/functions) against the in-process emulator, configured as the resources
 * are (stack config, then environment): each one's filters, paging, validation errors that name
 * the argument and its fix, and the not-found / gateway rules of the notebook lookup.
 */
import { FAST_TIMINGS, RunningEmulator, startEmulator } from "../../emulator";
import {
    getDevServerFlavors,
    getDevServerImages,
    getNotebook,
    getNotebookFlavors,
    getNotebookImages,
    getNotebooks,
    invokeFunction,
} from "../../provider/functions";
import { ConfigError, ModelArtsApiError, ModelArtsError, ValidationError } from "../../provider/errors";

let emu: RunningEmulator;
let stack: { get(key: string): string | undefined };

beforeAll(async () => {
    emu = await startEmulator({ timings: FAST_TIMINGS, rateLimit: null });
    const values: Record<string, string> = {
        "huaweicloud:region": emu.region,
        "huaweicloud:projectId": emu.projectId,
        "huaweicloud:accessKey": emu.accessKey,
        "huaweicloud:secretKey": emu.secretKey,
        "huaweicloud:modelartsEndpoint": emu.url,
    };
    stack = { get: (k) => values[k] };
});

afterAll(async () => {
    await emu?.close();
});

const run = <F extends Parameters<typeof invokeFunction>[0]>(fn: F, args: unknown) => invokeFunction(fn, args, stack);

describe("getDevServerFlavors", () => {
    it("filters by server type, architecture and card type, leaving sold-out flavors out", async () => {
        const { flavors } = await run(getDevServerFlavors, { serverType: "ECS", arch: "X86", flavorType: "gpu" });
        expect(flavors.map((f) => f.flavor)).toEqual(["Pi2.4xlarge.4", "Pi2.2xlarge.4"]);
        expect(flavors[0]).toMatchObject({ arch: "X86", serverType: "ECS", flavorType: "GPU", isSoldOut: false });
        const all = await run(getDevServerFlavors, { serverType: "ECS", flavorType: "GPU", includeSoldOut: true });
        expect(all.flavors.map((f) => f.flavor)).toContain("p2s.2xlarge.8");
    });

    it("lists NPU flavors of every server type, and a billing mode with the flavors sold in both", async () => {
        const npu = await run(getDevServerFlavors, { flavorType: "NPU" });
        expect(new Set(npu.flavors.map((f) => f.serverType))).toEqual(new Set(["ECS", "BMS", "HPS"]));
        expect(npu.flavors.every((f) => f.arch === "ARM")).toBe(true);
        const prepaid = await run(getDevServerFlavors, { chargingMode: "PRE_PAID" });
        expect(prepaid.flavors.map((f) => f.chargingMode)).not.toContain("POST_PAID");
        expect(prepaid.flavors.map((f) => f.chargingMode)).toEqual(expect.arrayContaining(["PRE_PAID", "COMMON"]));
    });

    it("refuses a value outside the API's set, naming the argument and the values it takes", async () => {
        const err = await run(getDevServerFlavors, { arch: "x86_64" }).catch((e) => e);
        expect(err).toBeInstanceOf(ValidationError);
        expect(err.message).toMatch(/getDevServerFlavors: arch must be one of X86, ARM \(got "x86_64"\)/);
        const typo = await run(getDevServerFlavors, { serverTyp: "ECS" }).catch((e) => e);
        expect(typo.message).toMatch(/serverTyp is not an argument of getDevServerFlavors; remove it \(its arguments: serverType, arch/);
    });
});

describe("getDevServerImages", () => {
    it("lists the active images of a server type and architecture", async () => {
        const { images } = await run(getDevServerImages, { serverType: "ECS", arch: "X86" });
        expect(images.map((i) => i.name)).toEqual(["Ubuntu-22.04-x86-CUDA-12.2", "EulerOS-2.10-x86"]);
        const withInactive = await run(getDevServerImages, { serverType: "ECS", arch: "X86", includeInactive: true });
        expect(withInactive.images.map((i) => i.status)).toContain("INACTIVE");
    });

    it("lists the images that run on a flavor, and none for a flavor that does not exist", async () => {
        const npu = await run(getDevServerImages, { flavorName: "physical.kat2ne.48xlarge.8.ei.pod101" });
        expect(npu.images.map((i) => i.name)).toEqual(["EulerOS-2.10-arm-CANN-8.0-BMS"]);
        const none = await run(getDevServerImages, { flavorName: "no.such.flavor" });
        expect(none.images).toEqual([]);
    });

    it("finds one image by its exact name", async () => {
        const { images } = await run(getDevServerImages, { name: "EulerOS-2.10-arm-CANN-8.0" });
        expect(images).toEqual([{ id: "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098", name: "EulerOS-2.10-arm-CANN-8.0", arch: "ARM", serverType: "ECS", status: "ACTIVE" }]);
    });
});

describe("getNotebookFlavors", () => {
    it("filters by category, Ascend chip, architecture and card type; sold out only when asked", async () => {
        const gpu = await run(getNotebookFlavors, { category: "GPU" });
        expect(gpu.flavors.map((f) => f.id)).toEqual(["modelarts.vm.gpu.t4u8", "modelarts.bm.gpu.a100.8"]);
        expect(gpu.flavors[0].gpu).toEqual({ count: 1, memory: "16GB", type: "T4" });
        const soldOut = await run(getNotebookFlavors, { category: "GPU", includeSoldOut: true });
        expect(soldOut.flavors.find((f) => f.id === "modelarts.vm.gpu.v100")?.soldOut).toBe(true);
        const snt9b = await run(getNotebookFlavors, { flavorType: "ASCEND_SNT9B" });
        expect(snt9b.flavors.map((f) => [f.id, f.arch, f.npu?.type])).toEqual([["modelarts.vm.npu.snt9b.1", "aarch64", "Snt9b"]]);
        const t4 = await run(getNotebookFlavors, { cardType: "t4" });
        expect(t4.flavors.map((f) => f.id)).toEqual(["modelarts.vm.gpu.t4u8"]);
        const arm = await run(getNotebookFlavors, { arch: "AARCH64" });
        expect(arm.flavors.every((f) => f.category === "ASCEND")).toBe(true);
    });

    it("reads every page", async () => {
        const all = await run(getNotebookFlavors, { includeSoldOut: true });
        expect(await invokeFunctionWithPage(3)).toEqual(all.flavors.map((f) => f.id));
    });
});

/** The notebook flavor list read 3 at a time through the API call itself. */
async function invokeFunctionWithPage(limit: number): Promise<string[]> {
    const { listNotebookFlavors } = await import("../../provider/api/catalog");
    const { getClient } = await import("../../provider/client");
    const { resolveConfig } = await import("../../provider/config");
    const before = (await emu.admin.requests()).length;
    const items = await listNotebookFlavors(getClient(resolveConfig({}, stack)), {}, limit);
    const calls = (await emu.admin.requests()).slice(before).filter((r) => r.path.endsWith("/notebooks/flavors"));
    expect(calls.length).toBe(Math.floor(items.length / limit) + 1);
    return items.map((f) => f.id!);
}

describe("getNotebookImages", () => {
    it("lists preset images by default, user images by type, and filters by architecture and category", async () => {
        const preset = await run(getNotebookImages, {});
        expect(preset.images.every((i) => i.type === "BUILD_IN")).toBe(true);
        expect(new Set(preset.images.map((i) => i.arch))).toEqual(new Set(["X86_64", "AARCH64"]));
        const mine = await run(getNotebookImages, { type: "DEDICATED" });
        expect(mine.images.map((i) => i.name)).toEqual(["team-a-pytorch-custom"]);
        const ascend = await run(getNotebookImages, { arch: "AARCH64", resourceCategory: "ASCEND" });
        expect(ascend.images.length).toBeGreaterThan(0);
        expect(ascend.images.every((i) => i.arch === "AARCH64" && i.resourceCategories?.includes("ASCEND"))).toBe(true);
        const pytorch = await run(getNotebookImages, { name: "pytorch" });
        expect(pytorch.images.map((i) => i.name)).toEqual(["pytorch1.10-cuda10.2-cudnn7-ubuntu18.04"]);
    });
});

describe("getNotebooks / getNotebook", () => {
    let current: string;
    let legacy: string;

    beforeAll(async () => {
        current = String((await emu.admin.seedNotebook({ family: "notebooks", status: "RUNNING", name: "team-a-lab", lease: { enable: true, duration: 7_200_000, type: "TIMING" } } as any)).id);
        legacy = String((await emu.admin.seedNotebook({ status: "STOPPED", name: "team-a-legacy", autoStop: { enable: true, duration: 3600, prompt: false } })).id);
        // More current notebooks than one page of 50.
        for (let i = 0; i < 52; i++) await emu.admin.seedNotebook({ family: "notebooks", status: "STOPPED", name: `filler-${i}` } as any);
    });

    it("lists both families, every page, with each one's auto-stop policy", async () => {
        const { notebooks } = await run(getNotebooks, {});
        expect(notebooks.filter((n) => n.name?.startsWith("filler-"))).toHaveLength(52);
        expect(notebooks.find((n) => n.id === current)).toMatchObject({ api: "notebooks", status: "RUNNING", autoStop: { enabled: true, type: "TIMING", duration: 7200 } });
        expect(notebooks.find((n) => n.id === legacy)).toMatchObject({ api: "demanager", status: "STOPPED", autoStop: { enabled: true, duration: 3600, prompt: false } });
        const onlyLegacy = await run(getNotebooks, { api: "demanager" });
        expect(onlyLegacy.notebooks.map((n) => n.id)).toEqual([legacy]);
        const byName = await run(getNotebooks, { name: "team-a" });
        expect(byName.notebooks.map((n) => n.id).sort()).toEqual([current, legacy].sort());
    });

    it("looks one up by exact name in either family", async () => {
        await expect(run(getNotebook, { name: "team-a-lab" })).resolves.toMatchObject({ id: current, api: "notebooks" });
        await expect(run(getNotebook, { name: "team-a-legacy" })).resolves.toMatchObject({ id: legacy, api: "demanager" });
        await expect(run(getNotebook, { id: legacy })).resolves.toMatchObject({ name: "team-a-legacy" });
    });

    it("says what to do when no instance, or several, have the name", async () => {
        const none = await run(getNotebook, { name: "team-a" }).catch((e) => e);
        expect(none).toBeInstanceOf(ModelArtsError);
        expect(none.message).toMatch(/no notebook instance named "team-a" in region .*; getNotebooks lists the instances there/);
        await emu.admin.seedNotebook({ status: "STOPPED", name: "twin" });
        await emu.admin.seedNotebook({ family: "notebooks", status: "STOPPED", name: "twin" } as any);
        const twins = await run(getNotebook, { name: "twin" }).catch((e) => e);
        expect(twins.message).toMatch(/2 notebook instances are named "twin" .*\(demanager\).*look it up by id, or narrow it down with api/);
        const neither = await run(getNotebook, {}).catch((e) => e);
        expect(neither.message).toMatch(/getNotebook: set exactly one of name and id/);
    });

    it("keeps the gateway rule: a missing legacy API is skipped only when the current one answered", async () => {
        await emu.admin.addFault({ method: "GET", path: "/demanager/instances$", kind: "status", status: 404, errorCode: "APIGW.0101", count: 2 });
        const { notebooks } = await run(getNotebooks, {});
        expect(notebooks.every((n) => n.api === "notebooks")).toBe(true);
        const err = await run(getNotebooks, { api: "demanager" }).catch((e) => e);
        expect(err).toBeInstanceOf(ModelArtsApiError);
        expect(err.errorCode).toBe("APIGW.0101");
    });
});

describe("configuration", () => {
    it("is resolved as the resources resolve it, and its absence says what to set", async () => {
        const err = await invokeFunction(getDevServerFlavors, {}, { get: () => undefined }).catch((e) => e);
        if (process.env.HW_REGION_NAME) return; // a developer's own environment configures it
        expect(err).toBeInstanceOf(ConfigError);
        expect(err.message).toMatch(/huaweicloud:region/);
    });

    it("takes the argument's region over the stack's", async () => {
        const err = await run(getDevServerFlavors, { region: "Not a region" }).catch((e) => e);
        expect(err.message).toMatch(/getDevServerFlavors: region must be a Huawei Cloud region/);
    });
});
