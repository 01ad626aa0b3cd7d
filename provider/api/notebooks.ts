/**
 * Development-environment (notebook) instance API (`/v1/{project_id}/demanager/instances`): the
 * instance body (query / update response) and the update request (description, auto stop).
 *
 * Loose schemas throughout: unknown fields are kept, optional fields accept null (the samples in
 * the API reference carry `"extend_params": null` etc.), statuses are open strings.
 */
import { z } from "zod";
import { encodePath, isNotFound, ModelArtsApiError, ModelArtsClient, ModelArtsError, undefinedIfNotFound } from "../client";
import { pollScale } from "../wait";
import { registerSecret } from "../log";
import { checkRequest, parseResponse } from "./parse";

/** Notebook statuses seen in the API reference and the established providers. */
export const NOTEBOOK_STATUSES = [
    "INIT",
    "CREATING",
    "CREATE_QUEUING",
    "CREATE_FAILED",
    "STARTING",
    "START_QUEUING",
    "START_FAILED",
    "RUNNING",
    "STOPPING",
    "STOPPED",
    "DELETING",
    "DELETED",
    "ERROR",
    "FROZEN",
    "SNAPSHOTTING",
    "RESTARTING",
    "RESIZING",
    "RESIZE_FAILED",
] as const;
export type NotebookStatus = (typeof NOTEBOOK_STATUSES)[number] | (string & {});

/** Optional in the body; `null` from the cloud is read as absent, so callers see `T | undefined`. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const str = () => opt(z.string());
const int = () => opt(z.number());
const bool = () => opt(z.boolean());
/** Timestamps are documented as String in some places and Integer in others: accept both. */
const timestamp = () => opt(z.union([z.string(), z.number()]));
const stringMap = () => opt(z.record(z.string(), z.unknown()));

// ---- update request (PUT /demanager/instances/{instance_id}) ---------------------------------

export const AutoStopRequestSchema = z.looseObject({
    enable: z.boolean().optional(),
    /** Seconds, 3600..86400; mandatory when enable is true. */
    duration: z.number().int().min(3600).max(86400).optional(),
    prompt: z.boolean().optional(),
});

export const UpdateNotebookRequestSchema = z
    .looseObject({
        description: z
            .string()
            .max(512)
            .refine((s) => !/[&<>"'/]/.test(s), { message: "must not contain & < > \" ' /" })
            .optional(),
        spec: z.looseObject({ auto_stop: AutoStopRequestSchema.optional() }).optional(),
    })
    .refine((b) => !(b.spec?.auto_stop?.enable === true && b.spec.auto_stop.duration === undefined), {
        message: "spec.auto_stop.duration is required when spec.auto_stop.enable is true",
        path: ["spec", "auto_stop", "duration"],
    });
export type UpdateNotebookRequest = z.input<typeof UpdateNotebookRequestSchema>;

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
    const checked = checkRequest("updateNotebookInstance", UpdateNotebookRequestSchema, body);
    const res = await client.request({ method: "PUT", path: encodePath`/demanager/instances/${id}`, body: checked });
    const nb = parseResponse("updateNotebookInstance", NotebookInstanceSchema, res);
    registerBodySecrets(nb);
    return nb;
}

// ---- status classes (both families) ----------------------------------------------------------

/**
 * Every status the official SDKs list, per class. Current notebooks API: PY SDK
 * model/notebook_resp.py (INIT … FROZEN, 14 values). Legacy demanager API: the API reference's list
 * query enum (modelarts_03_0111) adds CREATE_QUEUING, START_QUEUING, READY_TO_START, RESTARTING,
 * UNAVAILABLE, and ends with RESIZING, RESIZE_FAILED (a flavor change in progress / failed).
 * - settled: the policy can be read and written;
 * - transient: on its way somewhere; wait (bounded by the resource's timeouts) before touching it;
 * - failed: the instance needs a human; the policy cannot be managed, the error names the id;
 * - gone: deleted or being deleted; nothing to manage.
 * A status in none of these lists (a future one) is waited through like a transient one, with a
 * warning, until the timeout; it never crashes the provider.
 */
export type NotebookStatusClass = "settled" | "transient" | "failed" | "gone" | "unknown";

export const NOTEBOOK_STATUS_CLASSES: Readonly<Record<string, Exclude<NotebookStatusClass, "unknown">>> = {
    RUNNING: "settled",
    STOPPED: "settled",
    INIT: "transient",
    CREATING: "transient",
    STARTING: "transient",
    STOPPING: "transient",
    SNAPSHOTTING: "transient",
    CREATE_QUEUING: "transient",
    START_QUEUING: "transient",
    READY_TO_START: "transient",
    RESTARTING: "transient",
    RESIZING: "transient",
    CREATE_FAILED: "failed",
    START_FAILED: "failed",
    DELETE_FAILED: "failed",
    ERROR: "failed",
    FROZEN: "failed",
    UNAVAILABLE: "failed",
    RESIZE_FAILED: "failed",
    DELETING: "gone",
    DELETED: "gone",
};

export function classifyNotebookStatus(status: string | undefined): NotebookStatusClass {
    return (status && NOTEBOOK_STATUS_CLASSES[status.toUpperCase()]) || "unknown";
}

// ---- current notebooks API (/v1/{project_id}/notebooks) ---------------------------------------

/**
 * Not-found answers of the current notebooks API, unambiguous ones only: ModelArts.6404 (what the
 * emulator and the DevServer family send) and ModelArts.6309 (the demanager family's "instance does
 * not exist"), both in Terraform's modelarts_notebook `notebookNotFoundErrCodes`.
 */
export const CURRENT_NOTEBOOK_NOT_FOUND_CODES: readonly string[] = ["ModelArts.6309", "ModelArts.6404"];

/**
 * Answers whose documented meaning is not "not found": ModelArts.6357 is "another operation is in
 * progress, or the instance is already in the target state" (the API reference's error-code
 * appendix), although Terraform lists it among its notebook not-found codes too (and treats it as
 * "already stopped" on stop). On its own it proves nothing: `findCurrentNotebook` asks again.
 */
export const CURRENT_NOTEBOOK_AMBIGUOUS_CODES: readonly string[] = ["ModelArts.6357"];

/** How many GETs an ambiguous answer gets before the read gives up (and keeps the state). */
export const AMBIGUOUS_ATTEMPTS = 3;

/** Lease durations the API accepts (ms): RenewLease / StartNotebook query `duration` (PY SDK). */
export const LEASE_MIN_MS = 3_600_000;
export const LEASE_MAX_MS = 259_200_000;

/** ShowLease / the notebook's `lease` (PY SDK model/lease.py): times in ms. */
export const LeaseSchema = z.looseObject({
    create_at: int(),
    /** ms counted from create_at: a TIMING lease stops the notebook at create_at + duration. */
    duration: int(),
    enable: bool(),
    /** TIMING | IDLE; `timing` in some docs: compare case-insensitively. */
    type: str(),
    update_at: int(),
});
export type Lease = z.output<typeof LeaseSchema>;

export const CurrentNotebookSchema = z.looseObject({
    id: z.string(),
    name: str(),
    description: str(),
    status: str() as z.ZodType<NotebookStatus | undefined, unknown>,
    flavor: str(),
    lease: opt(LeaseSchema),
    fail_reason: str(),
    create_at: timestamp(),
    update_at: timestamp(),
});
export type CurrentNotebook = z.output<typeof CurrentNotebookSchema>;

export async function getCurrentNotebook(client: ModelArtsClient, id: string): Promise<CurrentNotebook> {
    const res = await client.request({ method: "GET", path: encodePath`/notebooks/${id}` });
    return parseResponse("getCurrentNotebook", CurrentNotebookSchema, res);
}

/**
 * The notebook, or undefined when the current API answers with one of its unambiguous not-found
 * codes. An ambiguous answer (ModelArts.6357) is asked again after a pause, up to
 * AMBIGUOUS_ATTEMPTS calls; when it stays ambiguous, an error says so, and nothing is taken for gone.
 */
export async function findCurrentNotebook(
    client: ModelArtsClient,
    id: string,
    pauseMs: number = 2000 * pollScale(),
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<CurrentNotebook | undefined> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await undefinedIfNotFound(() => getCurrentNotebook(client, id), CURRENT_NOTEBOOK_NOT_FOUND_CODES);
        } catch (err) {
            if (!isNotFound(err, CURRENT_NOTEBOOK_AMBIGUOUS_CODES)) throw err;
            if (attempt >= AMBIGUOUS_ATTEMPTS) {
                throw new ModelArtsError(
                    `notebook ${id}: the current notebooks API answered ${(err as ModelArtsApiError).errorCode} to ${attempt} reads in a row. ` +
                        "That code means 'another operation is in progress, or the instance is already in the target state', not 'not found', " +
                        "so nothing is removed from the state. Run the command again once the notebook's operation has finished; if the notebook " +
                        "really is gone (the ModelArts console no longer lists it), remove the resource with pulumi state delete.",
                );
            }
            await sleep(pauseMs);
        }
    }
}

export async function getLease(client: ModelArtsClient, id: string): Promise<Lease> {
    const res = await client.request({ method: "GET", path: encodePath`/notebooks/${id}/lease` });
    return parseResponse("getLease", LeaseSchema, res);
}

/**
 * ShowLease, or undefined when it does not answer with a lease: an unambiguous not-found, or an
 * ambiguous ModelArts.6357 (the caller then uses the lease the notebook's own body reports). Call it
 * only for a RUNNING notebook: ShowLease answers only then (PY SDK show_lease docstring; REF ShowLease).
 */
export function findLease(client: ModelArtsClient, id: string): Promise<Lease | undefined> {
    return undefinedIfNotFound(() => getLease(client, id), [...CURRENT_NOTEBOOK_NOT_FOUND_CODES, ...CURRENT_NOTEBOOK_AMBIGUOUS_CODES]);
}

/**
 * RenewLease: stop the RUNNING notebook `durationMs` from now. TIMING uses the query form
 * (`?duration=`; the type becomes TIMING); IDLE uses the `LeaseReq` body `{duration, type}` (PY SDK
 * lease_req.py; whether the live service honours the body's type is unconfirmed).
 */
export async function renewLease(client: ModelArtsClient, id: string, durationMs: number, type: "TIMING" | "IDLE"): Promise<Lease> {
    if (!Number.isInteger(durationMs) || durationMs < LEASE_MIN_MS || durationMs > LEASE_MAX_MS) {
        throw new Error(`renewLease: duration ${durationMs} ms is outside ${LEASE_MIN_MS}..${LEASE_MAX_MS}`);
    }
    const res =
        type === "TIMING"
            ? await client.request({ method: "PATCH", path: encodePath`/notebooks/${id}/lease`, query: { duration: durationMs } })
            : await client.request({ method: "PATCH", path: encodePath`/notebooks/${id}/lease`, body: { duration: durationMs, type } });
    return parseResponse("renewLease", LeaseSchema, res);
}
