/**
 * What both API families share: the operation preamble (configuration, client, clock, the time
 * left of the operation's timeout), labels and errors naming the instance, and the wait for an
 * instance to settle (RUNNING / STOPPED) before its policy is touched.
 */
import * as api from "../../api/notebooks/shared";
import { configKeys } from "../../config";
import { isTransientError, ModelArtsError, WaitFailedError } from "../../errors";
import { log } from "../../log";
import { waitFor } from "../../wait";
import { beginOperation, DefaultTimeouts, Deps, Operation, Timeouts } from "../common";
import { ApiFamily } from "./fields";

const DEFAULT_TIMEOUTS_MS: DefaultTimeouts = { create: 20 * 60_000, update: 20 * 60_000, delete: 20 * 60_000 };

export type { Deps, Operation } from "../common";

/** The operation preamble with NotebookAutoStop's default timeouts (see common.ts `beginOperation`). */
export function begin(
    location: { region?: string; projectId?: string },
    timeouts: Timeouts | undefined,
    op: keyof DefaultTimeouts,
    deps: Deps,
): Operation {
    return beginOperation(location, timeouts, op, DEFAULT_TIMEOUTS_MS, deps);
}

/** An observation of an instance: its status and the body it came from. */
export interface Observed<T> {
    status: string;
    value: T;
}

export function label(instanceId: string, name?: string | null): string {
    return `notebook instance ${name ? `${name} (${instanceId})` : instanceId}`;
}

export function missingError(instanceId: string, cfg: { region: string; projectId: string; namespace?: string }, family?: ApiFamily): ModelArtsError {
    const where =
        family === "notebooks"
            ? "the current notebooks API (/notebooks) does not know it"
            : family === "demanager"
              ? "the legacy demanager API (/demanager/instances) does not know it"
              : "neither the current notebooks API (/notebooks) nor the legacy demanager API (/demanager/instances) knows it";
    return new ModelArtsError(
        `${label(instanceId)} does not exist in project ${cfg.projectId} (region ${cfg.region}): ${where}. Check instanceId` +
            (family ? ` and api (or leave api out to detect the family)` : "") +
            `, and that ${configKeys("region", cfg.namespace)[0]} / ${configKeys("projectId", cfg.namespace)[0]} point where the instance lives`,
    );
}

export function familyError(instanceId: string, family: ApiFamily, problems: Array<{ property: string; reason: string }>): ModelArtsError {
    return new ModelArtsError(
        `${label(instanceId)} is managed by the ${family === "notebooks" ? "current notebooks API (lease)" : "legacy demanager API"}, which cannot honour ` +
            problems.map((p) => `${p.property}: ${p.reason}`).join("; "),
    );
}

const byClass = (c: string) => Object.keys(api.NOTEBOOK_STATUS_CLASSES).filter((k) => api.NOTEBOOK_STATUS_CLASSES[k] === c);
/** The instance is on its way somewhere: wait before touching its policy (see api.NOTEBOOK_STATUS_CLASSES). */
const TRANSITIONAL = byClass("transient");
const SETTLED = byClass("settled");
const FAILED = [...byClass("failed"), ...byClass("gone")];

/**
 * Waits until `observe` reports a settled status (RUNNING / STOPPED), through transient and queuing
 * statuses; a failed status (or a gone one) is an error naming the instance. A status in no class
 * (a future one) is waited through with a warning, bounded by the timeout.
 */
export async function settle<T extends { name?: string | null }>(
    instanceId: string,
    first: Observed<T>,
    observe: () => Promise<Observed<T> | undefined>,
    reasonsOf: (v: T) => string,
    timeout: number,
    deps: Deps,
    queueNote = "",
): Promise<T> {
    const failedError = (status: string, v: T | undefined) => {
        const reasons = v ? reasonsOf(v) : "";
        return new ModelArtsError(
            `${label(instanceId, v?.name ?? first.value.name)} is in status ${status}${reasons ? ` (${reasons})` : ""}; ` +
                `its auto-stop policy cannot be managed until it recovers (see the ModelArts console for ${instanceId})`,
        );
    };
    const cls = api.classifyNotebookStatus(first.status);
    if (cls === "settled") return first.value;
    if (cls === "failed" || cls === "gone") throw failedError(first.status, first.value);
    const pending = [...TRANSITIONAL];
    const noteUnknown = (status: string) => {
        if (api.classifyNotebookStatus(status) === "unknown" && !pending.includes(status)) {
            pending.push(status);
            log.warn(`${label(instanceId, first.value.name)} reports status ${status}, which this provider does not know; waiting for RUNNING or STOPPED (bounded by the timeout)`);
        }
    };
    noteUnknown(first.status);
    log.info(`${label(instanceId, first.value.name)} is ${first.status}${queueNote}; waiting for it to settle before changing its auto-stop policy`);
    try {
        const result = await waitFor<T>({
            what: `${label(instanceId, first.value.name)} to settle (RUNNING or STOPPED)`,
            refresh: async () => {
                const o = await observe();
                if (o) noteUnknown(o.status);
                return o;
            },
            pending,
            target: SETTLED,
            failed: FAILED,
            timeoutMs: timeout,
            clock: deps.clock,
            isTransient: isTransientError,
        });
        return result.last!.value;
    } catch (err) {
        if (err instanceof WaitFailedError) throw failedError(err.status, err.lastValue as T | undefined);
        throw err;
    }
}
