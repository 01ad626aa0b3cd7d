/**
 * What can be declared: the catalogue list calls of the ModelArts API (flavors and images, for
 * DevServers and for notebooks). Read-only; zod schemas of the answers and typed calls, paging done.
 *
 * Sources (huaweicloud-sdk-python-v3 modelarts v1, modelarts_client.py and the models named below;
 * API reference pages ListDevServerFlavors, ListDevServerImages, ListNotebookFlavors, ListImage):
 *
 * - `GET /dev-servers/flavors?server_type=&arch=&charging_mode=` -> `{current, data, pages, size,
 *   total}`, items ServerFlavorinstanceResponse. No limit / offset in the request: one call.
 *   Terraform's `huaweicloud_modelarts_devserver_flavors` reads `/dev-servers/resource-flavors`
 *   (ListDevServerResourceflavors, items with `availability_zones[]`) instead; the SDK's call is followed.
 * - `GET /dev-servers/images?server_type=&flavor_name=` -> the same envelope, items ServerImageResponse.
 *   Terraform sends the flavor as `resource_flavor_name`; the SDK and the reference say `flavor_name`.
 * - `GET /notebooks/flavors?category=&type=&flavor_type=&limit=&offset=` -> `{data | flavors, ...}`,
 *   items NotebookFlavor (list_flavors_response.py carries both `data` and `flavors`).
 * - `GET /images?type=&name=&namespace=&service_type=&workspace_id=&limit=&offset=` -> the
 *   envelope, items Image; `limit` defaults to 200 (list_image_request.py), Terraform pages by 200.
 *
 * Loose schemas: unknown fields kept, nulls read as absent, enumerations as open strings.
 */
import { z } from "zod";
import type { ModelArtsClient } from "../client";
import { parseResponse } from "./parse";

const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const str = () => opt(z.string());
const num = () => opt(z.number());
const bool = () => opt(z.boolean());
const strArray = () => opt(z.array(z.string()));

/** The list envelope every call here answers with (ListDevServerFlavorsResponse, ListImageResponse, ...). */
function envelope<T extends z.ZodType>(item: T) {
    return z.looseObject({
        current: num(),
        data: opt(z.array(item)),
        pages: num(),
        size: num(),
        total: num(),
    });
}

/** ServerFlavorinstanceResponse. */
export const DevServerFlavorSchema = z.looseObject({
    flavor: str(),
    arch: str(),
    server_type: str(),
    /** The computing card type (Terraform: "the computing power card type of the flavor"). */
    flavor_type: str(),
    specification: str(),
    charging_mode: str(),
    sku_code: str(),
    roce_num: num(),
    count: num(),
    status: str(),
    availability_zone: str(),
    is_sold_out: bool(),
});
export type DevServerFlavorItem = z.output<typeof DevServerFlavorSchema>;

/** ServerImageResponse. */
export const DevServerImageSchema = z.looseObject({
    image_id: str(),
    name: str(),
    arch: str(),
    server_type: str(),
    status: str(),
});
export type DevServerImageItem = z.output<typeof DevServerImageSchema>;

/** NotebookFlavor, with its GPUInfo / AscendInfo / BillingInfo. */
export const NotebookFlavorSchema = z.looseObject({
    id: str(),
    name: str(),
    arch: str(),
    category: str(),
    description: str(),
    feature: str(),
    free: bool(),
    sold_out: bool(),
    memory: num(),
    vcpus: num(),
    storages: strArray(),
    gpu: opt(z.looseObject({ gpu: num(), gpu_memory: str(), type: str() })),
    ascend: opt(z.looseObject({ npu: num(), npu_memory: str(), type: str(), type_alias: str() })),
    billing: opt(z.looseObject({ code: str(), unit_num: num() })),
});
export type NotebookFlavorItem = z.output<typeof NotebookFlavorSchema>;

/** Image (ListImage's items). */
export const NotebookImageSchema = z.looseObject({
    id: str(),
    name: str(),
    arch: str(),
    description: str(),
    namespace: str(),
    tag: str(),
    type: str(),
    service_type: str(),
    swr_path: str(),
    status: str(),
    workspace_id: str(),
    flavor_type: str(),
    show_name: str(),
    resource_categories: strArray(),
    dev_services: strArray(),
});
export type NotebookImageItem = z.output<typeof NotebookImageSchema>;

type Query = Record<string, string | number | undefined>;

/** Query parameters without the unset ones. */
function defined(query: Query): Record<string, string | number> {
    return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== "")) as Record<string, string | number>;
}

/** A guard against a service that keeps answering full pages: no catalogue is this long. */
const MAX_PAGES = 1000;

/**
 * Every item of an offset-paged list: `offset` advances by what a page held, until a page is
 * shorter than `limit` (as Terraform's data sources page) or `total` is reached.
 */
async function allPages<T>(page: (offset: number) => Promise<{ items: T[]; total?: number }>, limit: number): Promise<T[]> {
    const all: T[] = [];
    for (let n = 0, offset = 0; n < MAX_PAGES; n++) {
        const { items, total } = await page(offset);
        all.push(...items);
        offset += items.length;
        if (items.length < limit || (total !== undefined && offset >= total)) break;
    }
    return all;
}

export async function listDevServerFlavors(
    client: ModelArtsClient,
    filter: { server_type?: string; arch?: string; charging_mode?: string },
): Promise<DevServerFlavorItem[]> {
    const res = await client.request({ method: "GET", path: "/dev-servers/flavors", query: defined(filter) });
    return parseResponse("listDevServerFlavors", envelope(DevServerFlavorSchema), res).data ?? [];
}

export async function listDevServerImages(
    client: ModelArtsClient,
    filter: { server_type?: string; flavor_name?: string },
): Promise<DevServerImageItem[]> {
    const res = await client.request({ method: "GET", path: "/dev-servers/images", query: defined(filter) });
    return parseResponse("listDevServerImages", envelope(DevServerImageSchema), res).data ?? [];
}

/** Page size of the notebook flavor list (the API's default is "no limit"; a page keeps answers small). */
export const NOTEBOOK_FLAVOR_PAGE_SIZE = 100;

export async function listNotebookFlavors(
    client: ModelArtsClient,
    filter: { category?: string; type?: string; flavor_type?: string },
    limit: number = NOTEBOOK_FLAVOR_PAGE_SIZE,
): Promise<NotebookFlavorItem[]> {
    const schema = envelope(NotebookFlavorSchema).extend({ flavors: opt(z.array(NotebookFlavorSchema)) });
    return allPages(async (offset) => {
        const res = await client.request({ method: "GET", path: "/notebooks/flavors", query: defined({ ...filter, limit, offset }) });
        const page = parseResponse("listNotebookFlavors", schema, res);
        return { items: page.data ?? page.flavors ?? [], total: page.total };
    }, limit);
}

/** Page size of ListImage: its default and Terraform's page (list_image_request.py). */
export const NOTEBOOK_IMAGE_PAGE_SIZE = 200;

export async function listNotebookImages(
    client: ModelArtsClient,
    filter: { type?: string; name?: string; namespace?: string; service_type?: string; workspace_id?: string },
    limit: number = NOTEBOOK_IMAGE_PAGE_SIZE,
): Promise<NotebookImageItem[]> {
    return allPages(async (offset) => {
        const res = await client.request({ method: "GET", path: "/images", query: defined({ ...filter, limit, offset }) });
        const page = parseResponse("listNotebookImages", envelope(NotebookImageSchema), res);
        return { items: page.data ?? [], total: page.total };
    }, limit);
}

export { allPages as listAllPages };
