/**
 * The catalogues the emulator serves: DevServer flavors and images, notebook flavors and images.
 * Read-only, the same for every project (the real service's catalogue is per region). The records
 * are the emulator's own, shaped as the SDK's response models (huaweicloud-sdk-python-v3 modelarts
 * v1: ServerFlavorinstanceResponse, ServerImageResponse, NotebookFlavor, Image); the rules (filters,
 * paging, refused values) and their sources are listed in docs/EMULATOR-VS-REAL-API.md.
 */
import { ERROR_CODES } from "../errors";
import { Validator } from "./validate";

type Query = Record<string, string | string[]>;

/** A DevServer flavor; `cards` says which images run on it (CUDA images on GPU, CANN images on NPU). */
interface DevServerFlavorRecord {
    flavor: string;
    arch: "X86" | "ARM";
    server_type: "BMS" | "ECS" | "HPS";
    flavor_type: "CPU" | "GPU" | "NPU";
    specification: string;
    charging_mode: "COMMON" | "PRE_PAID" | "POST_PAID";
    sku_code: string;
    roce_num: number;
    count: number;
    status: string;
    availability_zone: string;
    is_sold_out: boolean;
}

const flavor = (f: Omit<DevServerFlavorRecord, "status" | "sku_code" | "availability_zone" | "roce_num" | "count"> & Partial<DevServerFlavorRecord>): DevServerFlavorRecord => ({
    status: "normal",
    sku_code: `modelarts.devserver.${f.flavor.toLowerCase()}`,
    availability_zone: "cn-north-4a",
    roce_num: 0,
    count: 1,
    ...f,
});

export const DEV_SERVER_FLAVORS: readonly DevServerFlavorRecord[] = [
    flavor({ flavor: "Si2.large.4", arch: "X86", server_type: "ECS", flavor_type: "CPU", specification: "2 vCPUs | 8 GiB", charging_mode: "COMMON", is_sold_out: false }),
    flavor({ flavor: "Pi2.4xlarge.4", arch: "X86", server_type: "ECS", flavor_type: "GPU", specification: "2*NVIDIA T4 (16 GiB) | 16 vCPUs | 64 GiB", charging_mode: "COMMON", is_sold_out: false }),
    flavor({ flavor: "Pi2.2xlarge.4", arch: "X86", server_type: "ECS", flavor_type: "GPU", specification: "1*NVIDIA T4 (16 GiB) | 8 vCPUs | 32 GiB", charging_mode: "COMMON", is_sold_out: false }),
    flavor({ flavor: "p2s.2xlarge.8", arch: "X86", server_type: "ECS", flavor_type: "GPU", specification: "1*NVIDIA V100 (32 GiB) | 8 vCPUs | 64 GiB", charging_mode: "POST_PAID", is_sold_out: true }),
    flavor({ flavor: "kat2e.12xlarge.4", arch: "ARM", server_type: "ECS", flavor_type: "NPU", specification: "1*Ascend Snt9B (64 GiB) | 48 vCPUs | 192 GiB", charging_mode: "COMMON", is_sold_out: false }),
    flavor({ flavor: "physical.p3.24xlarge", arch: "X86", server_type: "BMS", flavor_type: "GPU", specification: "8*NVIDIA A100 (80 GiB) | 96 vCPUs | 1024 GiB", charging_mode: "PRE_PAID", roce_num: 4, is_sold_out: false }),
    flavor({ flavor: "physical.kat2ne.48xlarge.8.ei.pod101", arch: "ARM", server_type: "BMS", flavor_type: "NPU", specification: "8*Ascend Snt9B (64 GiB) | 192 vCPUs | 1536 GiB", charging_mode: "PRE_PAID", roce_num: 8, is_sold_out: false }),
    flavor({ flavor: "physical.hps.snt9b3.pod", arch: "ARM", server_type: "HPS", flavor_type: "NPU", specification: "16 servers of 8*Ascend Snt9B3 | 192 vCPUs | 1536 GiB", charging_mode: "PRE_PAID", roce_num: 8, count: 16, is_sold_out: false }),
];

interface DevServerImageRecord {
    image_id: string;
    name: string;
    arch: "X86" | "ARM";
    server_type: "BMS" | "ECS" | "HPS";
    status: "ACTIVE" | "INACTIVE";
    /** The card type the image's drivers need; undefined: any flavor of its arch and server type. */
    cards?: "GPU" | "NPU";
}

export const DEV_SERVER_IMAGES: readonly DevServerImageRecord[] = [
    // The quickstart's historical default image id, kept: existing stacks and tests name it.
    { image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7", name: "Ubuntu-22.04-x86-CUDA-12.2", arch: "X86", server_type: "ECS", status: "ACTIVE", cards: "GPU" },
    { image_id: "3f1c2a9e-6d4b-4e8a-9b7c-1a2b3c4d5e6f", name: "EulerOS-2.10-x86", arch: "X86", server_type: "ECS", status: "ACTIVE" },
    { image_id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", name: "Ubuntu-20.04-x86-CUDA-11.8", arch: "X86", server_type: "ECS", status: "INACTIVE", cards: "GPU" },
    { image_id: "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098", name: "EulerOS-2.10-arm-CANN-8.0", arch: "ARM", server_type: "ECS", status: "ACTIVE", cards: "NPU" },
    { image_id: "1b2c3d4e-5f60-4718-9a0b-c1d2e3f40516", name: "Ubuntu-22.04-x86-CUDA-12.2-BMS", arch: "X86", server_type: "BMS", status: "ACTIVE", cards: "GPU" },
    { image_id: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d", name: "EulerOS-2.10-arm-CANN-8.0-BMS", arch: "ARM", server_type: "BMS", status: "ACTIVE", cards: "NPU" },
    { image_id: "0f1e2d3c-4b5a-4697-8877-665544332211", name: "EulerOS-2.10-arm-CANN-8.0-HPS", arch: "ARM", server_type: "HPS", status: "ACTIVE", cards: "NPU" },
];

interface NotebookFlavorRecord {
    id: string;
    name: string;
    arch: "x86_64" | "aarch64";
    category: "CPU" | "GPU" | "ASCEND";
    description: string;
    feature: "NOTEBOOK" | "DEFAULT";
    free: boolean;
    sold_out: boolean;
    vcpus: number;
    /** Terraform documents it in KB: 8 GiB is 8388608. */
    memory: number;
    storages: string[];
    gpu?: { gpu: number; gpu_memory: string; type: string };
    ascend?: { npu: number; npu_memory: string; type: string; type_alias: string };
    billing: { code: string; unit_num: number };
    /** The Ascend chip, for the `flavor_type` filter (list_flavors_request.py). */
    chip?: "ASCEND_SNT9" | "ASCEND_SNT9B" | "ASCEND_SNT3";
}

const GIB_IN_KB = 1024 * 1024;
const nbFlavor = (f: Omit<NotebookFlavorRecord, "billing" | "feature" | "free" | "storages"> & Partial<NotebookFlavorRecord>): NotebookFlavorRecord => ({
    feature: "NOTEBOOK",
    free: false,
    storages: ["EFS", "EVS"],
    billing: { code: `modelarts.vm.${f.id}`, unit_num: 1 },
    ...f,
});

export const NOTEBOOK_FLAVORS: readonly NotebookFlavorRecord[] = [
    nbFlavor({ id: "modelarts.vm.cpu.free", name: "CPU: 1 vCPU 4 GB (free)", arch: "x86_64", category: "CPU", description: "Free CodeLab flavor", feature: "DEFAULT", free: true, sold_out: false, vcpus: 1, memory: 4 * GIB_IN_KB, storages: ["EVS"] }),
    nbFlavor({ id: "modelarts.vm.cpu.2u", name: "CPU: 2 vCPUs 8 GB", arch: "x86_64", category: "CPU", description: "General computing", sold_out: false, vcpus: 2, memory: 8 * GIB_IN_KB }),
    nbFlavor({ id: "modelarts.vm.cpu.8u", name: "CPU: 8 vCPUs 32 GB", arch: "x86_64", category: "CPU", description: "General computing", sold_out: false, vcpus: 8, memory: 32 * GIB_IN_KB }),
    nbFlavor({ id: "modelarts.vm.gpu.t4u8", name: "GPU: 1*T4(16GB) | CPU: 8 vCPUs 32 GB", arch: "x86_64", category: "GPU", description: "GPU: T4", sold_out: false, vcpus: 8, memory: 32 * GIB_IN_KB, gpu: { gpu: 1, gpu_memory: "16GB", type: "T4" } }),
    nbFlavor({ id: "modelarts.vm.gpu.v100", name: "GPU: 1*V100(32GB) | CPU: 8 vCPUs 64 GB", arch: "x86_64", category: "GPU", description: "GPU: V100", sold_out: true, vcpus: 8, memory: 64 * GIB_IN_KB, gpu: { gpu: 1, gpu_memory: "32GB", type: "V100" } }),
    nbFlavor({ id: "modelarts.bm.gpu.a100.8", name: "GPU: 8*A100(80GB) | CPU: 96 vCPUs 1024 GB", arch: "x86_64", category: "GPU", description: "GPU: A100", sold_out: false, vcpus: 96, memory: 1024 * GIB_IN_KB, gpu: { gpu: 8, gpu_memory: "80GB", type: "A100" } }),
    nbFlavor({ id: "modelarts.vm.npu.snt9b.1", name: "Ascend: 1*Snt9b(64GB) | ARM: 24 vCPUs 192 GB", arch: "aarch64", category: "ASCEND", description: "Ascend: Snt9b", sold_out: false, vcpus: 24, memory: 192 * GIB_IN_KB, ascend: { npu: 1, npu_memory: "64GB", type: "Ascend-Snt9b", type_alias: "Snt9b" }, chip: "ASCEND_SNT9B" }),
    nbFlavor({ id: "modelarts.vm.npu.snt3", name: "Ascend: 1*Snt3 | ARM: 3 vCPUs 6 GB", arch: "aarch64", category: "ASCEND", description: "Ascend: Snt3", sold_out: false, vcpus: 3, memory: 6 * GIB_IN_KB, ascend: { npu: 1, npu_memory: "8GB", type: "Ascend-Snt3", type_alias: "Snt3" }, chip: "ASCEND_SNT3" }),
];

interface NotebookImageRecord {
    id: string;
    name: string;
    arch: "X86_64" | "AARCH64";
    description: string;
    namespace: string;
    tag: string;
    type: "BUILD_IN" | "DEDICATED";
    service_type: "COMMON" | "INFERENCE" | "TRAIN" | "DEV" | "UNKNOWN";
    swr_path: string;
    status: "ACTIVE";
    workspace_id: string;
    resource_categories: string[];
    dev_services: string[];
    visibility: "PUBLIC" | "PRIVATE";
}

const nbImage = (i: Omit<NotebookImageRecord, "swr_path" | "status" | "workspace_id" | "visibility" | "dev_services"> & Partial<NotebookImageRecord>): NotebookImageRecord => ({
    swr_path: `swr.cn-north-4.myhuaweicloud.com/${i.namespace}/${i.name}:${i.tag}`,
    status: "ACTIVE",
    workspace_id: "0",
    visibility: i.type === "BUILD_IN" ? "PUBLIC" : "PRIVATE",
    dev_services: ["NOTEBOOK", "SSH"],
    ...i,
});

export const NOTEBOOK_IMAGES: readonly NotebookImageRecord[] = [
    // The image the emulator's notebooks report (model/notebooks.ts renderCurrent).
    nbImage({ id: "e1a07296-22a8-4f05-8bc8-e936c8e54090", name: "notebook2.0-mul-kernel-cpu-cp36", arch: "X86_64", description: "Multi-kernel CPU notebook", namespace: "atelier", tag: "3.3.2-release-v1", type: "BUILD_IN", service_type: "DEV", resource_categories: ["CPU"] }),
    nbImage({ id: "a5d3c1e9-7b2f-4c6d-9e8a-0b1c2d3e4f50", name: "pytorch1.10-cuda10.2-cudnn7-ubuntu18.04", arch: "X86_64", description: "PyTorch 1.10, CUDA 10.2", namespace: "atelier", tag: "20220805-154200-3d4e5f", type: "BUILD_IN", service_type: "COMMON", resource_categories: ["CPU", "GPU"] }),
    nbImage({ id: "278e88d1-5b71-4766-8502-b3ba72e824d9", name: "tensorflow2.1-cuda10.1-cudnn7-ubuntu18.04", arch: "X86_64", description: "TensorFlow 2.1, CUDA 10.1", namespace: "atelier", tag: "20220805-154200-6a7b8c", type: "BUILD_IN", service_type: "COMMON", resource_categories: ["CPU", "GPU"] }),
    nbImage({ id: "59a1652a-8b4b-4b4f-a2b6-3f27c5d1e0a9", name: "conda3-ubuntu18.04", arch: "X86_64", description: "Conda 3 on Ubuntu 18.04", namespace: "atelier", tag: "20220805-154200-9d0e1f", type: "BUILD_IN", service_type: "DEV", resource_categories: ["CPU"] }),
    nbImage({ id: "8f2b1c4d-9e3a-4b5c-8d7e-6f5a4b3c2d1e", name: "mindspore_2.2.0-cann_7.0.0-py_3.9-euler_2.10.7-aarch64-snt9b", arch: "AARCH64", description: "MindSpore 2.2, CANN 7.0", namespace: "atelier", tag: "20231214-120000-a1b2c3", type: "BUILD_IN", service_type: "COMMON", resource_categories: ["ASCEND"] }),
    nbImage({ id: "c3d4e5f6-a7b8-4c9d-8e0f-a1b2c3d4e5f6", name: "conda3-aarch64-euler2.10", arch: "AARCH64", description: "Conda 3 on EulerOS (ARM)", namespace: "atelier", tag: "20231214-120000-d4e5f6", type: "BUILD_IN", service_type: "DEV", resource_categories: ["CPU", "ASCEND"] }),
    nbImage({ id: "d2c1b0a9-8f7e-4d6c-9b5a-4e3d2c1b0a98", name: "team-a-pytorch-custom", arch: "X86_64", description: "Saved from a notebook", namespace: "team-a", tag: "v3", type: "DEDICATED", service_type: "DEV", resource_categories: ["GPU"] }),
];

// ---- the list rules ---------------------------------------------------------------------------

const one = (q: Query, k: string): string | undefined => {
    const v = q[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s === undefined || s === "" ? undefined : s;
};

/** An enumerated filter: case-insensitive (the reference writes `bms`, the SDK `BMS`); another value is refused. */
function enumFilter(v: Validator, q: Query, key: string, values: readonly string[]): string | undefined {
    const raw = one(q, key);
    if (raw === undefined) return undefined;
    const found = values.find((x) => x.toUpperCase() === raw.toUpperCase());
    if (!found) v.fail(`${key} must be one of ${values.join(", ")}`);
    return found;
}

function intParam(v: Validator, q: Query, key: string, dflt: number, min: number, max: number): number {
    const raw = one(q, key);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) v.fail(`${key} must be an integer between ${min} and ${max}`);
    return n;
}

/** The envelope of every list here: the page and where it is. `limit` 0: everything on one page. */
function page<T>(all: readonly T[], offset: number, limit: number) {
    const data = limit === 0 ? all.slice(offset) : all.slice(offset, offset + limit);
    const size = limit === 0 ? Math.max(all.length, 1) : limit;
    return { current: Math.floor(offset / size) + 1, data, pages: Math.ceil(all.length / size), size: data.length, total: all.length };
}

const strip = <T extends object, K extends keyof T>(r: T, ...keys: K[]): Omit<T, K> => {
    const out = { ...r };
    for (const k of keys) delete out[k];
    return out;
};

const devServerValidator = new Validator(ERROR_CODES.DEV_SERVER_INVALID_PARAM, "error_msg");
const notebookValidator = new Validator(ERROR_CODES.NOTEBOOK_INVALID_PARAM, "error_msg");

/** ListDevServerFlavors: `server_type`, `arch`, `charging_mode` (a COMMON flavor is sold in both modes); no paging parameters. */
export function listDevServerFlavors(q: Query) {
    const v = devServerValidator;
    const serverType = enumFilter(v, q, "server_type", ["BMS", "ECS", "HPS"]);
    const arch = enumFilter(v, q, "arch", ["X86", "ARM"]);
    const mode = enumFilter(v, q, "charging_mode", ["PRE_PAID", "POST_PAID"]);
    const all = DEV_SERVER_FLAVORS.filter(
        (f) => (!serverType || f.server_type === serverType) && (!arch || f.arch === arch) && (!mode || f.charging_mode === mode || f.charging_mode === "COMMON"),
    );
    return page(all, 0, 0);
}

/** ListDevServerImages: `server_type`, `flavor_name` (images that run on that flavor; none for a flavor that does not exist). */
export function listDevServerImages(q: Query) {
    const v = devServerValidator;
    const serverType = enumFilter(v, q, "server_type", ["BMS", "ECS", "HPS"]);
    const flavorName = one(q, "flavor_name");
    if (flavorName !== undefined && flavorName.length > 128) v.fail("flavor_name must be 1 to 128 characters");
    const flavorRecord = flavorName === undefined ? undefined : DEV_SERVER_FLAVORS.find((f) => f.flavor === flavorName);
    const all = DEV_SERVER_IMAGES.filter((i) => {
        if (serverType && i.server_type !== serverType) return false;
        if (flavorName === undefined) return true;
        if (!flavorRecord) return false;
        return i.server_type === flavorRecord.server_type && i.arch === flavorRecord.arch && (i.cards === undefined || i.cards === flavorRecord.flavor_type);
    });
    return page(all.map((i) => strip(i, "cards")), 0, 0);
}

/** ListNotebookFlavors: `category`, `type`, `flavor_type`, `limit` (default: no limit), `offset`; the answer has `data` and `flavors`. */
export function listNotebookFlavors(q: Query) {
    const v = notebookValidator;
    const category = enumFilter(v, q, "category", ["CPU", "GPU", "ASCEND"]);
    const type = enumFilter(v, q, "type", ["MANAGED", "DEDICATED"]);
    const chip = enumFilter(v, q, "flavor_type", ["ASCEND_SNT9", "ASCEND_SNT9B", "ASCEND_SNT3"]);
    enumFilter(v, q, "feature", ["NOTEBOOK", "DEFAULT"]);
    const limit = intParam(v, q, "limit", 0, 0, 1000);
    const offset = intParam(v, q, "offset", 0, 0, 2147483647);
    // No dedicated resource pools in the emulator: DEDICATED lists nothing.
    const all = NOTEBOOK_FLAVORS.filter((f) => type !== "DEDICATED" && (!category || f.category === category) && (!chip || f.chip === chip)).map((f) => strip(f, "chip"));
    const p = page(all, offset, limit);
    return { ...p, flavors: p.data };
}

/** ListImage: `type` (default BUILD_IN), `name` (fuzzy unless name_fuzzy_match=false), `namespace`, `service_type`, `workspace_id`; `limit` default 200, `offset`. */
export function listNotebookImages(q: Query) {
    const v = notebookValidator;
    const type = enumFilter(v, q, "type", ["BUILD_IN", "DEDICATED"]) ?? "BUILD_IN";
    const serviceType = enumFilter(v, q, "service_type", ["COMMON", "INFERENCE", "TRAIN", "DEV", "UNKNOWN"]);
    const fuzzy = (enumFilter(v, q, "name_fuzzy_match", ["true", "false"]) ?? "true") === "true";
    const name = one(q, "name");
    const namespace = one(q, "namespace");
    const workspace = one(q, "workspace_id");
    const limit = intParam(v, q, "limit", 200, 1, 1000);
    const offset = intParam(v, q, "offset", 0, 0, 2147483647);
    const all = NOTEBOOK_IMAGES.filter(
        (i) =>
            i.type === type &&
            (!serviceType || i.service_type === serviceType) &&
            (!name || (fuzzy ? i.name.includes(name) : i.name === name)) &&
            (!namespace || i.namespace === namespace) &&
            (!workspace || i.workspace_id === workspace),
    );
    return page(all, offset, limit);
}
