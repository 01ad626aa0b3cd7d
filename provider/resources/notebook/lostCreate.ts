/**
 * A create whose answer never arrived (lost, unreadable): finding the notebook it made, without
 * guessing between two and without sending the POST again; and before a create, the unrecorded
 * twin an interrupted `pulumi up` leaves behind. Both search the list by name (ListNotebooks'
 * `name` query) and compare every identifying input the API reports (the table's
 * `wire.identifies`) and the creation time.
 */
import * as api from "../../api/notebookInstances";
import { ModelArtsClient } from "../../client";
import { Clock } from "../../clock";
import * as lostCreate from "../lostCreate";
import { identityMismatches } from "../wire";
import { NotebookInputs, notebookShape } from "./fields";
import { FAILED, GONE, DELETING } from "./instance";
import { reportedInputs } from "./live";

export { LOST_CREATE_SEARCHES } from "../lostCreate";

/** The notebook list by name (ListNotebooks' `name` query), as the searches of ../lostCreate.ts read it. */
function listing(client: ModelArtsClient, inputs: NotebookInputs): lostCreate.CreatedListing<api.Notebook> {
    return {
        kind: "Notebook",
        plural: "notebooks",
        list: (name) => api.listNotebooks(client, { name }),
        differs: (nb) => identityMismatches(notebookShape, reportedInputs(nb), inputs, "create").length > 0,
        id: (nb) => nb.id,
        name: (nb) => nb.name,
        status: (nb) => String(nb.status),
        createdAt: (nb) => (typeof nb.create_at === "number" ? nb.create_at : undefined),
        leaving: [DELETING, ...GONE],
        failed: FAILED,
    };
}

/** After a create whose answer was lost: the notebook it made (see ../lostCreate.ts). */
export function findNotebookFromLostCreate(client: ModelArtsClient, inputs: NotebookInputs, sentAtWallClock: number, clock: Clock): Promise<api.Notebook | undefined> {
    return lostCreate.findFromLostCreate(listing(client, inputs), inputs.name, client, { at: sentAtWallClock, atWallClock: sentAtWallClock }, clock);
}

/** The notebook being replaced by this process's plan is not a twin of its replacement. */
export function noteReplacement(oldId: string): void {
    lostCreate.noteReplacement("Notebook", oldId);
}

/** Before a create: a live notebook no state records that this declaration would duplicate (see ../lostCreate.ts). */
export function findUnrecordedTwin(client: ModelArtsClient, inputs: NotebookInputs, windowMs: number): Promise<api.Notebook | undefined> {
    return lostCreate.findUnrecordedTwin(listing(client, inputs), inputs.name, client, windowMs);
}
