/**
 * The two notebook list calls, one per API family, each paged to the end:
 *
 * - current API: `GET /notebooks?name=&status=&limit=&offset=` -> `{current, data, pages, size, total}`
 *   (ListNotebooks, list_notebooks_request.py: `name` matches fuzzily, `limit` is 10, 20 or 50;
 *   Terraform's `huaweicloud_modelarts_notebooks` pages by 50, advancing `offset` by what a page held);
 * - legacy demanager API: `GET /demanager/instances?de_type=Notebook&status=&offset=&limit=` ->
 *   `{instances, total_count}` (API reference modelarts_03_0111: `de_type` is required, only
 *   `Notebook`; `limit` 0, the default, returns everything; no name filter).
 *
 * Items are parsed with the families' own body schemas (./notebooks.ts). The notebook API module is
 * being split per family: these two names are all its callers use, so they move with it.
 */
import { z } from "zod";
import type { ModelArtsClient } from "../client";
import { listAllPages } from "./catalog";
import { CurrentNotebook, CurrentNotebookSchema, NotebookInstance, NotebookInstanceSchema } from "./notebooks";
import { parseResponse } from "./parse";

const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** The largest page ListNotebooks allows (10, 20 or 50). */
export const CURRENT_NOTEBOOK_PAGE_SIZE = 50;
/** A demanager page; the API also takes 0 (everything at once), but a bounded page keeps answers small. */
export const DEMANAGER_PAGE_SIZE = 100;

const CurrentNotebookPageSchema = z.looseObject({
    data: opt(z.array(CurrentNotebookSchema)),
    total: opt(z.number()),
});

const DemanagerPageSchema = z.looseObject({
    instances: opt(z.array(NotebookInstanceSchema)),
    total_count: opt(z.number()),
    /** Not in the reference's table; kept in case a deployment answers with it. */
    total: opt(z.number()),
});

/** Notebooks of the current API, every page; `name` is the API's fuzzy name filter. */
export function listCurrentNotebooks(
    client: ModelArtsClient,
    filter: { name?: string; status?: string } = {},
    limit: number = CURRENT_NOTEBOOK_PAGE_SIZE,
): Promise<CurrentNotebook[]> {
    return listAllPages(async (offset) => {
        const query = { ...definedOf(filter), limit, offset };
        const res = await client.request({ method: "GET", path: "/notebooks", query });
        const page = parseResponse("listCurrentNotebooks", CurrentNotebookPageSchema, res);
        return { items: page.data ?? [], total: page.total };
    }, limit);
}

/** Development-environment instances of the legacy demanager API, every page. */
export function listDemanagerInstances(
    client: ModelArtsClient,
    filter: { status?: string } = {},
    limit: number = DEMANAGER_PAGE_SIZE,
): Promise<NotebookInstance[]> {
    return listAllPages(async (offset) => {
        const query = { de_type: "Notebook", ...definedOf(filter), limit, offset };
        const res = await client.request({ method: "GET", path: "/demanager/instances", query });
        const page = parseResponse("listDemanagerInstances", DemanagerPageSchema, res);
        return { items: page.instances ?? [], total: page.total_count ?? page.total };
    }, limit);
}

function definedOf(filter: Record<string, string | undefined>): Record<string, string> {
    return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== "")) as Record<string, string>;
}
