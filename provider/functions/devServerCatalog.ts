/**
 * What a DevServer can be declared with: its flavors (`resourceFlavor`) and images (`imageId`).
 * Calls: provider/api/catalog.ts (ListDevServerFlavors, ListDevServerImages).
 */
import { z } from "zod";
import { listDevServerFlavors, listDevServerImages } from "../api/catalog";
import { matches, oneOf, text } from "./common";
import { defineFunction } from "./define";

const SERVER_TYPES = ["BMS", "ECS", "HPS"] as const;
const ARCHES = ["X86", "ARM"] as const;

const serverType = oneOf("serverType", SERVER_TYPES, "Only this server type: `BMS` (bare metal), `ECS` (elastic cloud server) or `HPS` (supernode).");

const devServerFlavor = z.object({
    flavor: z.string().describe("The flavor name: what a DevServer's `resourceFlavor` takes."),
    arch: z.string().optional().describe("CPU architecture: `X86` or `ARM`."),
    serverType: z.string().optional().describe("`BMS`, `ECS` or `HPS`."),
    flavorType: z.string().optional().describe("The computing card type of the flavor (the API's `flavor_type`), e.g. `GPU` or `NPU`."),
    specification: z.string().optional().describe("The flavor's specification as the API describes it (cards, vCPUs, memory)."),
    chargingMode: z.string().optional().describe("`PRE_PAID`, `POST_PAID` or `COMMON` (both)."),
    skuCode: z.string().optional().describe("The billing SKU code."),
    roceNum: z.number().optional().describe("Number of RoCE network cards."),
    count: z.number().optional().describe("Number of servers of a supernode flavor."),
    status: z.string().optional().describe("The flavor's status."),
    availabilityZone: z.string().optional().describe("The availability zone the flavor is offered in."),
    isSoldOut: z.boolean().describe("True when the flavor is sold out (nothing can be created with it now)."),
});

export const getDevServerFlavors = defineFunction({
    name: "getDevServerFlavors",
    description:
        "The flavors a DevServer can be created with (ListDevServerFlavors), filtered by server type, architecture, " +
        "billing mode and computing card type. A flavor's `flavor` is what `resourceFlavor` takes.",
    args: {
        serverType,
        arch: oneOf("arch", ARCHES, "Only flavors of this CPU architecture: `X86` or `ARM`."),
        chargingMode: oneOf("chargingMode", ["PRE_PAID", "POST_PAID"] as const, "Only flavors sold in this billing mode: `PRE_PAID` or `POST_PAID`."),
        flavorType: text(
            "flavorType",
            "Only flavors with this computing card type (the API's `flavor_type`, e.g. `GPU` or `NPU`; compared without case). The API has no such filter: it is applied to the list.",
            64,
        ),
        includeSoldOut: z.boolean({ error: "includeSoldOut must be true or false" }).default(false).describe("Also list flavors that are sold out (default false)."),
    },
    result: { flavors: z.array(devServerFlavor).describe("The matching flavors, in the API's order.") },
    async run(args, { client }) {
        const items = await listDevServerFlavors(client, { server_type: args.serverType, arch: args.arch, charging_mode: args.chargingMode });
        const flavors = items
            .filter((f) => f.flavor !== undefined)
            // The service filters by these already; checked again so that a filter it ignores still holds.
            .filter((f) => matches(args.serverType, f.server_type) && matches(args.arch, f.arch) && matches(args.flavorType, f.flavor_type))
            .filter((f) => args.includeSoldOut || f.is_sold_out !== true)
            .map((f) => ({
                flavor: f.flavor!,
                arch: f.arch,
                serverType: f.server_type,
                flavorType: f.flavor_type,
                specification: f.specification,
                chargingMode: f.charging_mode,
                skuCode: f.sku_code,
                roceNum: f.roce_num,
                count: f.count,
                status: f.status,
                availabilityZone: f.availability_zone,
                isSoldOut: f.is_sold_out === true,
            }));
        return { flavors };
    },
});

const devServerImage = z.object({
    id: z.string().describe("The image ID: what a DevServer's `imageId` takes."),
    name: z.string().optional().describe("The image name."),
    arch: z.string().optional().describe("CPU architecture: `X86` or `ARM`."),
    serverType: z.string().optional().describe("`BMS`, `ECS` or `HPS`."),
    status: z.string().optional().describe("`ACTIVE` or `INACTIVE`."),
});

export const getDevServerImages = defineFunction({
    name: "getDevServerImages",
    description:
        "The images a DevServer can be created with (ListDevServerImages), filtered by server type, flavor, architecture and name. " +
        "An image's `id` is what `imageId` takes.",
    args: {
        serverType,
        flavorName: text("flavorName", "Only images that run on this flavor (the API's `flavor_name`; a `flavor` of getDevServerFlavors).", 128),
        arch: oneOf("arch", ARCHES, "Only images of this CPU architecture: `X86` or `ARM` (applied to the list)."),
        name: text("name", "Only the image with exactly this name (applied to the list)."),
        includeInactive: z.boolean({ error: "includeInactive must be true or false" }).default(false).describe("Also list images that are not ACTIVE (default false)."),
    },
    result: { images: z.array(devServerImage).describe("The matching images, in the API's order.") },
    async run(args, { client }) {
        const items = await listDevServerImages(client, { server_type: args.serverType, flavor_name: args.flavorName });
        const images = items
            .filter((i) => i.image_id !== undefined)
            .filter((i) => matches(args.serverType, i.server_type) && matches(args.arch, i.arch))
            .filter((i) => args.name === undefined || i.name === args.name)
            .filter((i) => args.includeInactive || i.status === undefined || i.status.toUpperCase() === "ACTIVE")
            .map((i) => ({ id: i.image_id!, name: i.name, arch: i.arch, serverType: i.server_type, status: i.status }));
        return { images };
    },
});
