/**
 * Between the Notebook's field table and the API's bodies: the request bodies (by the table's
 * `wire.sent`), the inputs an answer reports (`wire.reported`), and the state made from the declared
 * inputs and the live notebook. The notebook's `token` is never part of it.
 */
import * as api from "../../api/notebookInstances";
import { compact, digestMatches, secretDigest, secretText } from "../common";
import { reportedInputs as reportedBy, requestBody } from "../wire";
import { NotebookInputs, notebookShape, NotebookState, STATE_VERSION } from "./fields";

type Location = { region: string; projectId: string };

const isoTime = (ms: number | undefined) => (typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined);

/** The computed outputs the live notebook reports. */
function liveOutputs(nb: api.Notebook): Partial<NotebookState> {
    const lease = nb.lease;
    const stopsAt =
        lease?.enable && typeof lease.duration === "number" && lease.duration > 0 && typeof lease.create_at === "number" ? lease.create_at + lease.duration : undefined;
    const ssh = nb.endpoints?.find((e) => e.service === "SSH" || e.dev_service === "SSH");
    return compact({
        status: nb.status,
        url: nb.url,
        sshUri: ssh?.uri,
        endpoints: nb.endpoints?.map((e) => compact({ service: e.service ?? e.dev_service, uri: e.uri, keyPairNames: e.key_pair_names, allowedAccessIps: e.allowed_access_ips })),
        image: nb.image && compact({ id: nb.image.id, name: nb.image.name, swrPath: nb.image.swr_path, type: nb.image.type }),
        lease: lease && compact({ enabled: lease.enable, type: lease.type, durationMs: lease.duration, createdAt: isoTime(lease.create_at), stopsAt: isoTime(stopsAt) }),
        pool: nb.pool && compact({ id: nb.pool.id, name: nb.pool.name }),
        volumeStatus: nb.volume && compact({ category: nb.volume.category, capacity: nb.volume.capacity, mountPath: nb.volume.mount_path, status: nb.volume.status }),
        dataVolumeStatus: nb.data_volumes?.length
            ? nb.data_volumes.map((d) => compact({ category: d.category, mountPath: d.mount_path, uri: d.url, status: d.status, mountType: d.mount_type }))
            : undefined,
        failReason: nb.fail_reason,
        createdAt: isoTime(nb.create_at),
        updatedAt: isoTime(nb.update_at),
    });
}

/** The inputs the API reports back (the table's `wire.reported`). */
export type ReportedInputs = Partial<NotebookInputs>;

export function reportedInputs(nb: api.Notebook): ReportedInputs {
    return reportedBy(notebookShape, nb) as ReportedInputs;
}

/** The body of a request (`create`, `update`, `updateStopped`): the given inputs it carries. */
export function requestOf(request: "create" | "update" | "updateStopped", inputs: Partial<NotebookInputs>): Record<string, unknown> {
    return requestBody(notebookShape, request, inputs);
}

export function createRequest(inputs: NotebookInputs): api.CreateNotebookRequest {
    // feature NOTEBOOK: a billed notebook, not the one free CodeLab instance (Terraform sends it too).
    return { feature: "NOTEBOOK", ...requestOf("create", inputs) } as unknown as api.CreateNotebookRequest;
}

/** What the state keeps of the declared inputs (the table's `inState` fields). */
function keptInputs(declared: Partial<NotebookInputs | NotebookState>): Partial<NotebookState> {
    const kept: Record<string, unknown> = {};
    for (const name of notebookShape.stateInputs) kept[name] = (declared as Record<string, unknown>)[name];
    return kept;
}

/** The digest standing in for `hooks`: the recorded one while they are unchanged or not declared, else a new one. */
function hooksDigestOf(declared: Partial<NotebookInputs | NotebookState>): string | undefined {
    const hooks = (declared as Partial<NotebookInputs>).hooks;
    const previous = (declared as Partial<NotebookState>).hooksDigest;
    if (hooks === undefined) return previous;
    const text = secretText(hooks);
    return digestMatches(text, previous) ? previous : secretDigest(text);
}

/** The state: the declared inputs (`hooks` as its digest), the resolved location and, when known, the live notebook. */
export function buildState(
    declared: Partial<NotebookInputs | NotebookState>,
    location: Location,
    nb: api.Notebook | undefined,
    mountedStorages: NotebookState["mountedStorages"] = (declared as NotebookState).mountedStorages,
): NotebookState {
    const state = {
        ...keptInputs(declared),
        stateVersion: STATE_VERSION,
        region: location.region,
        projectId: location.projectId,
        hooksDigest: hooksDigestOf(declared),
        mountedStorages,
    } as NotebookState;
    return compact({ ...state, ...(nb ? liveOutputs(nb) : {}) });
}
