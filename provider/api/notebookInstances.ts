/**
 * The current notebooks API (`/v1/{project_id}/notebooks`) as the Notebook resource uses it: the
 * full notebook body (NotebookResp), create / update / start / stop / delete / list, and the
 * dynamically mounted storage (`.../notebooks/{id}/storage`).
 *
 * Sources: PY SDK huaweicloudsdkmodelarts/v1 (modelarts_client.py paths; model/notebook_create_request.py,
 * notebook_update_request.py, notebook_resp.py, volume_mount_request.py, volume_res.py, volume_response.py,
 * endpoints_req.py / endpoints_res.py, lease_req.py, start_notebook_request.py,
 * data_volumes_req.py / data_volumes_res.py, list_dynamic_storages_response.py) and Terraform's
 * resource_huaweicloud_modelarts_notebook.go / _notebook_mount_storage.go.
 *
 * From `./notebooks/current` (the current family's module): the not-found rule
 * (`findCurrentNotebook`, with its ambiguous-code retry), the lease schema and renewal, the list;
 * from `./notebooks/shared`: the status classes. Request bodies are built from the Notebook's field table (resources/wire.ts): this module
 * types them and checks nothing the table already checks.
 */
import { z } from "zod";
import { encodePath, isNotFound, ModelArtsClient, undefinedIfNotFound } from "../client";
import { registerSecret } from "../log";
import { CURRENT_NOTEBOOK_NOT_FOUND_CODES, findCurrentNotebook, LeaseSchema, listCurrentNotebooks } from "./notebooks/current";
import { parseResponse } from "./parse";

/** Optional in the body; `null` from the cloud is read as absent. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const str = () => opt(z.string());
const int = () => opt(z.number());
/** Timestamps (ms) are documented as Long in NotebookResp, as String in other notebook bodies: accept both. */
const millis = () => opt(z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]));

/** VolumeRes: the notebook's own storage. */
export const NotebookVolumeSchema = z.looseObject({
    /** EVS | EFS | SFS | OBS | OBSFS */
    category: str(),
    /** MANAGED | DEDICATED */
    ownership: str(),
    capacity: int(),
    mount_path: str(),
    uri: str(),
    id: str(),
    /** EVS resize status (RESIZING while growing; the notebook stays usable). */
    status: str(),
});

/** EndpointsRes: how the notebook is reached (NOTEBOOK over https, SSH). */
export const NotebookEndpointSchema = z.looseObject({
    service: str(),
    dev_service: str(),
    uri: str(),
    key_pair_names: opt(z.array(z.string())),
    /** Sent by Terraform and read back by it; not in the SDK's EndpointsRes. */
    allowed_access_ips: opt(z.array(z.string())),
});

/** VolumeResponse: an extension storage (NotebookResp `data_volumes`). */
export const NotebookDataVolumeSchema = z.looseObject({
    /** EVS | OBS | OBSFS | EFS */
    category: str(),
    mount_path: str(),
    /** The source path (OBS, OBSFS). */
    url: str(),
    /** MOUNTING | MOUNTED | UNMOUNTING | UNMOUNTED | MOUNT_FAILED | UNMOUNT_FAILED */
    status: str(),
    /** STATIC (attached at create) | DYNAMIC (mounted while the notebook runs) */
    mount_type: str(),
});

export const NotebookSchema = z.looseObject({
    id: z.string(),
    name: str(),
    description: str(),
    status: str(),
    flavor: str(),
    feature: str(),
    image: opt(z.looseObject({ id: str(), name: str(), swr_path: str(), type: str(), arch: str() })),
    volume: opt(NotebookVolumeSchema),
    data_volumes: opt(z.array(NotebookDataVolumeSchema)),
    endpoints: opt(z.array(NotebookEndpointSchema)),
    pool: opt(z.looseObject({ id: str(), name: str() })),
    workspace_id: str(),
    lease: opt(LeaseSchema),
    url: str(),
    /** Notebook authentication token (NotebookResp `token`): a credential, never kept or logged. */
    token: str(),
    fail_reason: str(),
    /** TmsTagResponse list. */
    tags: opt(z.array(z.looseObject({ key: z.string(), value: opt(z.string()) }))),
    create_at: millis(),
    update_at: millis(),
});
export type Notebook = z.output<typeof NotebookSchema>;

/** A mounted storage (DataVolumesRes). MOUNTING, MOUNTED, MOUNT_FAILED, UNMOUNTING, UNMOUNT_FAILED, UNMOUNTED. */
export const NotebookStorageSchema = z.looseObject({
    id: z.string(),
    /** OBS | OBSFS | EFS */
    category: str(),
    mount_path: str(),
    uri: str(),
    status: str(),
    failure_reason: str(),
    efs_id: str(),
    /** STATIC (made with the notebook) | DYNAMIC (mounted while it runs) */
    mount_type: str(),
});
export type NotebookStorage = z.output<typeof NotebookStorageSchema>;

const PageSchema = <T extends z.ZodType>(item: T) =>
    z.looseObject({ data: opt(z.array(item)), total: int(), pages: int(), current: int(), size: int() });

/** The create body (NotebookCreateRequest), made from the field table. */
export type CreateNotebookRequest = Record<string, unknown> & { name: string; flavor: string; image_id: string };
/** The update body (NotebookUpdateRequest), made from the field table. */
export type UpdateNotebookRequest = Record<string, unknown>;
/** AttachDynamicStorage's body (DataVolumesReq). */
export interface MountStorageRequest {
    category: string;
    mount_path: string;
    uri: string;
    efs_id?: string;
}

function parseNotebook(call: string, body: unknown): Notebook {
    const nb = parseResponse(call, NotebookSchema, body);
    registerSecret(nb.token);
    return nb;
}

export async function createNotebook(client: ModelArtsClient, body: CreateNotebookRequest): Promise<Notebook> {
    return parseNotebook("createNotebook", await client.request({ method: "POST", path: "/notebooks", body }));
}

/**
 * The notebook, or undefined when the API answers with one of its not-found codes (an ambiguous
 * ModelArts.6357 is asked again, then refused: `findCurrentNotebook`).
 */
export async function findNotebook(client: ModelArtsClient, id: string): Promise<Notebook | undefined> {
    const nb = await findCurrentNotebook(client, id);
    return nb === undefined ? undefined : parseNotebook("showNotebook", nb);
}

/** ListNotebooks, every page (`listCurrentNotebooks`), narrowed by `name`: the API's filter is fuzzy, compared exactly here. */
export async function listNotebooks(client: ModelArtsClient, filter: { name?: string } = {}): Promise<Notebook[]> {
    const all = (await listCurrentNotebooks(client, filter)).map((nb) => parseNotebook("listNotebooks", nb));
    return filter.name === undefined ? all : all.filter((nb) => nb.name === filter.name);
}

export async function updateNotebook(client: ModelArtsClient, id: string, body: UpdateNotebookRequest): Promise<Notebook> {
    return parseNotebook("updateNotebook", await client.request({ method: "PUT", path: encodePath`/notebooks/${id}`, body }));
}

/**
 * StartNotebook `?duration=<ms>&type=<TIMING|IDLE>`: the lease of the new run. `-1` starts it
 * without auto-stop (outside the documented range; Terraform relies on it).
 */
export async function startNotebook(client: ModelArtsClient, id: string, lease: { durationMs?: number; type?: string } = {}): Promise<Notebook> {
    const query: Record<string, string | number> = {};
    if (lease.durationMs !== undefined) query.duration = lease.durationMs;
    if (lease.type !== undefined && lease.durationMs !== -1) query.type = lease.type;
    return parseNotebook("startNotebook", await client.request({ method: "POST", path: encodePath`/notebooks/${id}/start`, query }));
}

export async function stopNotebook(client: ModelArtsClient, id: string): Promise<Notebook> {
    return parseNotebook("stopNotebook", await client.request({ method: "POST", path: encodePath`/notebooks/${id}/stop` }));
}

export async function deleteNotebook(client: ModelArtsClient, id: string): Promise<void> {
    await client.request({ method: "DELETE", path: encodePath`/notebooks/${id}` });
}

/** The notebook family's own not-found answer (never a bare 404 or a gateway code). */
export function isNotebookNotFound(err: unknown): boolean {
    return isNotFound(err, CURRENT_NOTEBOOK_NOT_FOUND_CODES);
}

// ---- tags (`/notebooks/{resource_id}/tags/create|delete`, CreateTmsTagsRequest / DeleteTmsTagsRequest) ----

export interface NotebookTag {
    key: string;
    value: string;
}

/** CreateNotebookTags: adds the tags (a key already there takes the new value). */
export async function createNotebookTags(client: ModelArtsClient, id: string, tags: NotebookTag[], workspaceId?: string): Promise<void> {
    await client.request({ method: "POST", path: encodePath`/notebooks/${id}/tags/create`, query: { workspace_id: workspaceId }, body: { tags } });
}

/** DeleteNotebookTags: removes the tags of these keys. */
export async function deleteNotebookTags(client: ModelArtsClient, id: string, tags: NotebookTag[], workspaceId?: string): Promise<void> {
    await client.request({ method: "DELETE", path: encodePath`/notebooks/${id}/tags/delete`, query: { workspace_id: workspaceId }, body: { tags } });
}

// ---- mounted storage (`/notebooks/{instance_id}/storage`) ---------------------------------------

/** ListDynamicStorages: the storages mounted in the notebook. */
export async function listStorages(client: ModelArtsClient, id: string): Promise<NotebookStorage[]> {
    const res = await client.request({ method: "GET", path: encodePath`/notebooks/${id}/storage` });
    return parseResponse("listStorages", PageSchema(NotebookStorageSchema), res).data ?? [];
}

/** AttachDynamicStorage (asynchronous: MOUNTING, then MOUNTED or MOUNT_FAILED); the notebook must be RUNNING. */
export async function mountStorage(client: ModelArtsClient, id: string, body: MountStorageRequest): Promise<NotebookStorage> {
    const res = await client.request({ method: "POST", path: encodePath`/notebooks/${id}/storage`, body: { ...body } });
    return parseResponse("mountStorage", NotebookStorageSchema, res);
}

/** ShowDynamicStorage, or undefined once it is gone (unmounted). */
export async function findStorage(client: ModelArtsClient, id: string, storageId: string): Promise<NotebookStorage | undefined> {
    return undefinedIfNotFound(async () => {
        const res = await client.request({ method: "GET", path: encodePath`/notebooks/${id}/storage/${storageId}` });
        return parseResponse("showStorage", NotebookStorageSchema, res);
    }, CURRENT_NOTEBOOK_NOT_FOUND_CODES);
}

/** DetachDynamicStorage (asynchronous: UNMOUNTING, then gone or UNMOUNT_FAILED); the notebook must be RUNNING. */
export async function unmountStorage(client: ModelArtsClient, id: string, storageId: string): Promise<void> {
    await client.request({ method: "DELETE", path: encodePath`/notebooks/${id}/storage/${storageId}` });
}

/** The status classes and the lease renewal are shared with NotebookAutoStop. */
export { classifyNotebookStatus, NOTEBOOK_STATUS_CLASSES } from "./notebooks/shared";
export { renewLease } from "./notebooks/current";
