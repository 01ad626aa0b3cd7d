/**
 * The legacy development-environment (notebook) instance API (`/v1/{project_id}/demanager/instances`):
 * the instance body (query / update response), the update request (description, auto stop) and the
 * list (`GET /demanager/instances?de_type=Notebook&status=&offset=&limit=` -> `{instances,
 * total_count}`, API reference modelarts_03_0111: `de_type` is required, only `Notebook`; `limit` 0,
 * the default, returns everything; no name filter).
 */
import { z } from "zod";
import { encodePath, ModelArtsClient, undefinedIfNotFound } from "../../client";
import { registerSecret } from "../../log";
import { listAllPages } from "../catalog";
import { parseResponse } from "../parse";
import { bool, definedOf, int, NotebookStatus, opt, str, stringMap, timestamp } from "./shared";

// ---- update request (PUT /demanager/instances/{instance_id}) ---------------------------------
// Built from NotebookAutoStop's field table (`wire`, `spec.auto_stop`), which holds the rules of the
// values (check, and the family's limits once it is known): here the body is only its type.

/** `{ description?, spec?: { auto_stop?: { enable, duration (seconds), prompt } } }` (seed 003). */
export type UpdateNotebookRequest = Record<string, unknown>;

// ---- instance body ---------------------------------------------------------------------------

export const FlavorDetailsSchema = z.looseObject({
    name: str(),
    /** onSale | soldOut */
    status: str(),
    queuing_num: int(),
    queue_left_time: int(),
    storage_list: opt(z.array(z.unknown())),
    is_permitted: bool(),
    /** GPU | CPU */
    type: str(),
    params: stringMap(),
    /** Free | NoDiscount */
    promo_type: str(),
    instance_num: int(),
    duration: int(),
    store_time: int(),
    billing_flavor: str(),
    billing_params: int(),
});

export const ProfileSchema = z.looseObject({
    id: str(),
    name: str(),
    description: str(),
    de_type: str(),
    provision: opt(
        z.looseObject({
            type: str(),
            annotations: stringMap(),
            spec: opt(
                z.looseObject({
                    engine: str(),
                    params: opt(
                        z.looseObject({
                            namespace: str(),
                            image_name: str(),
                            image_tag: str(),
                            annotations: stringMap(),
                        }),
                    ),
                }),
            ),
        }),
    ),
    labels: stringMap(),
    flavor_type: str(),
});

export const PoolSchema = z.looseObject({
    id: str(),
    name: str(),
    type: str(),
    owner: opt(z.looseObject({ project_id: str() })),
});

export const CredentialSchema = z.looseObject({
    ssh_private_key: str(),
    access_token: str(),
});

export const RepositorySchema = z.looseObject({
    id: str(),
    branch: str(),
    user_name: str(),
    user_email: str(),
    type: str(),
    connection_info: opt(
        z.looseObject({
            protocol: str(),
            url: str(),
            credential: opt(CredentialSchema),
        }),
    ),
});

export const AutoStopSchema = z.looseObject({
    enable: bool(),
    duration: int(),
    prompt: bool(),
    stop_timestamp: int(),
    remain_time: int(),
});

export const NotebookSpecSchema = z.looseObject({
    log_path: str(),
    custom_script_path: str(),
    storage: opt(
        z.looseObject({
            type: str(),
            location: opt(z.looseObject({ path: str(), volume_size: int(), volume_unit: str() })),
        }),
    ),
    credential: opt(z.looseObject({})),
    repository: opt(RepositorySchema),
    resource_reserved_timestamp: int(),
    auto_stop: opt(AutoStopSchema),
    failed_reasons: opt(z.looseObject({ code: str(), message: str(), detail: stringMap() })),
    annotations: stringMap(),
    extend_params: stringMap(),
});

export const QueuingInfoSchema = z.looseObject({
    id: str(),
    name: str(),
    de_type: str(),
    flavor: str(),
    flavor_details: opt(FlavorDetailsSchema),
    /** CREATE_QUEUING | START_QUEUING */
    status: str(),
    begin_timestamp: int(),
    remain_time: int(),
    end_timestamp: int(),
    rank: int(),
});

export const NotebookInstanceSchema = z.looseObject({
    id: z.string(),
    name: str(),
    description: str(),
    status: str() as z.ZodType<NotebookStatus | undefined, unknown>,
    creation_timestamp: timestamp(),
    latest_update_timestamp: timestamp(),
    profile: opt(ProfileSchema),
    flavor: str(),
    flavor_details: opt(FlavorDetailsSchema),
    pool: opt(PoolSchema),
    spec: opt(NotebookSpecSchema),
    workspace: opt(z.looseObject({ id: str() })),
    ai_project: opt(z.looseObject({ id: str() })),
    error_code: str(),
    queuing_info: opt(QueuingInfoSchema),
    user: opt(z.looseObject({ id: str(), name: str() })),
    repository: opt(RepositorySchema),
});
export type NotebookInstance = z.output<typeof NotebookInstanceSchema>;

/** Marks credentials the instance body may carry (OBS AK/SK, git tokens/keys) as secrets for the log. */
function registerBodySecrets(nb: NotebookInstance): void {
    const visit = (v: unknown, key: string, depth: number): void => {
        if (depth > 6 || v === null || v === undefined) return;
        if (typeof v === "string") {
            if (/key|token|secret|password|credential|^ak$|^sk$/i.test(key)) registerSecret(v);
            return;
        }
        if (typeof v !== "object") return;
        for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
            visit(child, /credential/i.test(key) ? `credential.${k}` : k, depth + 1);
        }
    };
    visit(nb.spec?.credential, "credential", 0);
    visit(nb.spec?.repository, "repository", 0);
    visit(nb.repository, "repository", 0);
}

// ---- calls ----------------------------------------------------------------------------------

export async function getNotebookInstance(client: ModelArtsClient, id: string): Promise<NotebookInstance> {
    const res = await client.request({ method: "GET", path: encodePath`/demanager/instances/${id}` });
    const nb = parseResponse("getNotebookInstance", NotebookInstanceSchema, res);
    registerBodySecrets(nb);
    return nb;
}

/**
 * The demanager API's own "no such instance" answer: ModelArts.6309 (HTTP 400 in the API
 * reference's error-code appendix, 404 in the seed page's example); a bare 404 is not it.
 */
export const DEMANAGER_NOT_FOUND_CODES: readonly string[] = ["ModelArts.6309"];

/** The instance, or undefined when the API answers that it does not exist. */
export function findNotebookInstance(client: ModelArtsClient, id: string): Promise<NotebookInstance | undefined> {
    return undefinedIfNotFound(() => getNotebookInstance(client, id), DEMANAGER_NOT_FOUND_CODES);
}

export async function updateNotebookInstance(
    client: ModelArtsClient,
    id: string,
    body: UpdateNotebookRequest,
): Promise<NotebookInstance> {
    const res = await client.request({ method: "PUT", path: encodePath`/demanager/instances/${id}`, body });
    const nb = parseResponse("updateNotebookInstance", NotebookInstanceSchema, res);
    registerBodySecrets(nb);
    return nb;
}

// ---- the list (every page) ---------------------------------------------------------------------

/** A demanager page; the API also takes 0 (everything at once), but a bounded page keeps answers small. */
export const DEMANAGER_PAGE_SIZE = 100;

const DemanagerPageSchema = z.looseObject({
    instances: opt(z.array(NotebookInstanceSchema)),
    total_count: opt(z.number()),
    /** Not in the reference's table; kept in case a deployment answers with it. */
    total: opt(z.number()),
});

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
