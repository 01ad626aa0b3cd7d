/**
 * One owner for a notebook's auto-stop policy. A Notebook that declares `autoStop` owns its lease;
 * a NotebookAutoStop on the same notebook would renew it behind the Notebook's back (and the
 * Notebook's refresh would show the renewal as drift, its next up would set it back, forever).
 *
 * Both resources note here, per provider process (one per `pulumi up` / `preview` / `refresh`, which
 * serves every resource of the stack), the notebooks whose policy they declare; each refuses, with
 * one message, a notebook the other one already claims. Notebooks of other stacks or processes
 * cannot be seen from here: there, a Notebook's refresh shows the foreign change as drift of
 * `autoStop` and says where it may come from.
 */
import { ModelArtsError } from "../errors";

const byNotebook = new Map<string, string>();
const byAutoStop = new Map<string, string>();

function conflict(notebookId: string, notebook: string, autoStop: string): ModelArtsError {
    return new ModelArtsError(
        `notebook ${notebookId}: its auto-stop policy is declared twice, by ${notebook} (input autoStop) and by ${autoStop}. ` +
            "One resource must own it: remove autoStop from the Notebook (the NotebookAutoStop then owns the lease), " +
            "or remove the NotebookAutoStop (the Notebook's autoStop is applied at create and at every start).",
    );
}

/** A Notebook declares (`declared`) or no longer declares the policy of notebook `id`; refuses one a NotebookAutoStop claims. */
export function claimByNotebook(id: string, notebook: string, declared: boolean): void {
    if (!declared) {
        byNotebook.delete(id);
        return;
    }
    const other = byAutoStop.get(id);
    if (other !== undefined) throw conflict(id, notebook, other);
    byNotebook.set(id, notebook);
}

/** A NotebookAutoStop manages the policy of notebook `id`; refuses one a Notebook of this process declares. */
export function claimByAutoStop(id: string, autoStop: string): void {
    const other = byNotebook.get(id);
    if (other !== undefined) throw conflict(id, other, autoStop);
    byAutoStop.set(id, autoStop);
}

/** A NotebookAutoStop let go of notebook `id` (deleted). */
export function releaseByAutoStop(id: string): void {
    byAutoStop.delete(id);
}
