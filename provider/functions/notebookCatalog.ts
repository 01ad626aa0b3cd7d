/**
 * What a notebook can be created with: its flavors and images.
 * Calls: provider/api/catalog.ts (ListNotebookFlavors `/notebooks/flavors`, ListImage `/images`).
 */
import { z } from "zod";
import { listNotebookFlavors, listNotebookImages } from "../api/catalog";
import { matches, oneOf, text } from "./common";
import { defineFunction } from "./define";

const CATEGORIES = ["CPU", "GPU", "ASCEND"] as const;
const NOTEBOOK_ARCHES = ["X86_64", "AARCH64"] as const;

const card = z.object({
    count: z.number().optional().describe("Number of cards."),
    memory: z.string().optional().describe("Memory of the cards, as the API writes it (e.g. `16GB`)."),
    type: z.string().optional().describe("Card type, e.g. `T4` or `Ascend-Snt9b`."),
});

const notebookFlavor = z.object({
    id: z.string().describe("The flavor ID: what a notebook's `flavor` takes."),
    name: z.string().optional().describe("The flavor's display name."),
    arch: z.string().optional().describe("`X86_64` or `AARCH64`."),
    category: z.string().optional().describe("`CPU`, `GPU` or `ASCEND`."),
    description: z.string().optional().describe("The flavor's description."),
    feature: z.string().optional().describe("`NOTEBOOK` (billed) or `DEFAULT` (the free CodeLab flavor)."),
    free: z.boolean().optional().describe("True for a free flavor."),
    soldOut: z.boolean().describe("True when the flavor is sold out."),
    vcpus: z.number().optional().describe("Number of vCPUs."),
    memory: z.number().optional().describe("Memory, as the API reports it."),
    storages: z.array(z.string()).optional().describe("Storage types the flavor supports: `EFS`, `EVS`."),
    gpu: card.optional().describe("The GPUs of a GPU flavor."),
    npu: card.optional().describe("The NPUs (Ascend) of an ASCEND flavor."),
});

export const getNotebookFlavors = defineFunction({
    name: "getNotebookFlavors",
    description:
        "The flavors a notebook can be created with (ListNotebookFlavors), filtered by processor category, cluster type, Ascend chip, " +
        "architecture and card type; sold-out flavors are left out unless asked for.",
    args: {
        category: oneOf("category", CATEGORIES, "Only flavors of this processor category: `CPU`, `GPU` or `ASCEND`."),
        type: oneOf("type", ["MANAGED", "DEDICATED"] as const, "Only flavors of public (`MANAGED`) or dedicated (`DEDICATED`) resource pools."),
        flavorType: oneOf("flavorType", ["ASCEND_SNT9", "ASCEND_SNT9B", "ASCEND_SNT3"] as const, "Only flavors with this Ascend chip (the API's `flavor_type`)."),
        arch: oneOf("arch", NOTEBOOK_ARCHES, "Only flavors of this architecture: `X86_64` or `AARCH64` (applied to the list)."),
        cardType: text("cardType", "Only flavors whose GPU or NPU type is this, e.g. `T4` (compared without case; applied to the list).", 64),
        includeSoldOut: z.boolean({ error: "includeSoldOut must be true or false" }).default(false).describe("Also list flavors that are sold out (default false)."),
    },
    result: { flavors: z.array(notebookFlavor).describe("The matching flavors, in the API's order.") },
    async run(args, { client }) {
        const items = await listNotebookFlavors(client, { category: args.category, type: args.type, flavor_type: args.flavorType });
        const flavors = items
            .filter((f) => f.id !== undefined)
            .filter((f) => matches(args.category, f.category) && matches(args.arch, f.arch))
            .filter((f) => args.cardType === undefined || [f.gpu?.type, f.ascend?.type, f.ascend?.type_alias].some((t) => t !== undefined && matches(args.cardType, t)))
            .filter((f) => args.includeSoldOut || f.sold_out !== true)
            .map((f) => ({
                id: f.id!,
                name: f.name,
                arch: f.arch,
                category: f.category,
                description: f.description,
                feature: f.feature,
                free: f.free,
                soldOut: f.sold_out === true,
                vcpus: f.vcpus,
                memory: f.memory,
                storages: f.storages,
                gpu: f.gpu && { count: f.gpu.gpu, memory: f.gpu.gpu_memory, type: f.gpu.type },
                npu: f.ascend && { count: f.ascend.npu, memory: f.ascend.npu_memory, type: f.ascend.type_alias ?? f.ascend.type },
            }));
        return { flavors };
    },
});

const notebookImage = z.object({
    id: z.string().describe("The image ID: what a notebook's `image_id` takes."),
    name: z.string().optional().describe("The image name."),
    arch: z.string().optional().describe("`X86_64` or `AARCH64`."),
    description: z.string().optional().describe("The image's description."),
    namespace: z.string().optional().describe("The SWR organisation of the image."),
    tag: z.string().optional().describe("The image tag."),
    type: z.string().optional().describe("`BUILD_IN` (preset) or `DEDICATED` (saved by users)."),
    serviceType: z.string().optional().describe("`COMMON`, `INFERENCE`, `TRAIN`, `DEV` or `UNKNOWN`."),
    swrPath: z.string().optional().describe("The SWR path of the image."),
    status: z.string().optional().describe("The image's status, e.g. `ACTIVE`."),
    workspaceId: z.string().optional().describe("The workspace of the image."),
    resourceCategories: z.array(z.string()).optional().describe("The flavor categories the image runs on: `CPU`, `GPU`, `ASCEND`."),
    devServices: z.array(z.string()).optional().describe("How the image can be reached: `NOTEBOOK` (JupyterLab), `SSH`."),
});

export const getNotebookImages = defineFunction({
    name: "getNotebookImages",
    description:
        "The images a notebook can be created with (ListImage), filtered by type, name, organisation, workspace, service type, " +
        "architecture and flavor category.",
    args: {
        type: oneOf("type", ["BUILD_IN", "DEDICATED"] as const, "Preset (`BUILD_IN`, the API's default) or user-saved (`DEDICATED`) images."),
        name: text("name", "Only images whose name contains this (the API matches names fuzzily).", 512),
        namespace: text("namespace", "Only images of this SWR organisation.", 64),
        workspaceId: text("workspaceId", "Only images of this workspace (`0` is the default workspace).", 64),
        serviceType: oneOf("serviceType", ["COMMON", "INFERENCE", "TRAIN", "DEV", "UNKNOWN"] as const, "Only images for this kind of service."),
        arch: oneOf("arch", NOTEBOOK_ARCHES, "Only images of this architecture: `X86_64` or `AARCH64` (applied to the list)."),
        resourceCategory: oneOf("resourceCategory", CATEGORIES, "Only images that run on flavors of this category (applied to the list)."),
    },
    result: { images: z.array(notebookImage).describe("The matching images, in the API's order.") },
    async run(args, { client }) {
        const items = await listNotebookImages(client, {
            type: args.type,
            name: args.name,
            namespace: args.namespace,
            service_type: args.serviceType,
            workspace_id: args.workspaceId,
        });
        const images = items
            .filter((i) => i.id !== undefined)
            .filter((i) => matches(args.arch, i.arch))
            .filter((i) => args.resourceCategory === undefined || (i.resource_categories ?? []).some((c) => matches(args.resourceCategory, c)))
            .map((i) => ({
                id: i.id!,
                name: i.name,
                arch: i.arch,
                description: i.description,
                namespace: i.namespace,
                tag: i.tag,
                type: i.type,
                serviceType: i.service_type,
                swrPath: i.swr_path,
                status: i.status,
                workspaceId: i.workspace_id,
                resourceCategories: i.resource_categories,
                devServices: i.dev_services,
            }));
        return { images };
    },
});
