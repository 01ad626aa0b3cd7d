/**
 * The Notebook's plan: the table's (resources/diff.ts `diffByTable`), with what the table cannot
 * say, in `adjust`: an EVS volume grows in place but cannot shrink (a smaller `volume.capacity`
 * replaces); `tags` are compared whole (a removed key is a change); a failed notebook is replaced,
 * one mid-transition waited for, a FROZEN one (the account's state) never replaced on its own.
 */
import { log } from "../../log";
import { DiffResult } from "../common";
import { diffByTable, Plan } from "../diff";
import { NotebookInputs, notebookShape, NotebookState } from "./fields";
import { FAILED, IN_PROGRESS, label } from "./instance";

function sameMap(a: unknown, b: unknown): boolean {
    const x = (a ?? {}) as Record<string, unknown>;
    const y = (b ?? {}) as Record<string, unknown>;
    return Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
}

export function diffNotebook(id: string, olds: NotebookState, news: NotebookInputs): { result: DiffResult; notes: string[] } {
    const what = label(olds.name, id);
    const notes: string[] = [];
    const adjust = (plan: Plan) => {
        const want = news.volume?.capacity;
        const had = olds.volume?.capacity;
        if (typeof want === "number" && typeof had === "number" && want < had && plan.updates.includes("volume.capacity")) {
            plan.updates.splice(plan.updates.indexOf("volume.capacity"), 1);
            plan.replaces.push("volume.capacity");
            notes.push(`replaced because volume.capacity shrinks (${had} -> ${want} GB): the API only grows a notebook's EVS volume`);
        }
        if (news.tags !== undefined && !sameMap(news.tags, olds.tags)) plan.updates.push("tags");
        const status = olds.status ?? "";
        if (status === "FROZEN") {
            // Frozen is the account's state (arrears, a security freeze), not the notebook's failure:
            // replacing it would delete its storage. Said, and left to a human.
            notes.push("is FROZEN (usually the account is in arrears or frozen): it is not replaced automatically; once it is unfrozen, the next pulumi up applies the changes");
        } else if (FAILED.includes(status) && plan.replaces.length === 0) {
            notes.push(`replaced because it is in status ${status}: a failed notebook cannot be repaired in place`);
            plan.replaces.push("status");
        } else if (IN_PROGRESS.includes(status)) {
            // Left mid-transition by an earlier run: let update wait for it.
            plan.updates.push("status");
        }
        for (const note of notes) log.warn(`${what}: ${note}`);
    };
    const result = diffByTable(notebookShape, olds, news, { what, ignored: ["tags"], adjust });
    return { result, notes };
}
