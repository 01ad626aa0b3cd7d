/**
 * The current notebooks API (`/v1/{project_id}/notebooks`): the notebook's body, its lease (ShowLease)
 * and the lease's renewal (RenewLease), with the family's own not-found codes; the notebook list
 * (ListNotebooks: `GET /notebooks?name=&status=&limit=&offset=` -> `{current, data, pages, size, total}`,
 * list_notebooks_request.py: `name` matches fuzzily, `limit` is 10, 20 or 50; Terraform's
 * `huaweicloud_modelarts_notebooks` pages by 50, advancing `offset` by what a page held).
 */
import { z } from "zod";
import { encodePath, isNotFound, ModelArtsApiError, ModelArtsClient, ModelArtsError, undefinedIfNotFound } from "../../client";
import { pollScale } from "../../wait";
import { listAllPages } from "../catalog";
import { parseResponse } from "../parse";
import { bool, definedOf, int, NotebookStatus, opt, str, timestamp } from "./shared";

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

// ---- the list (every page) ---------------------------------------------------------------------

/** The largest page ListNotebooks allows (10, 20 or 50). */
export const CURRENT_NOTEBOOK_PAGE_SIZE = 50;

const CurrentNotebookPageSchema = z.looseObject({
    data: opt(z.array(CurrentNotebookSchema)),
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
