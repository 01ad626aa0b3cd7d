/**
 * The NotebookAutoStop's shape, stated once: every input with its validation, default and what a
 * change of it does, and the computed outputs. The provider's types, `check`, `diff`, the state
 * and the SDK's `NotebookAutoStopArgs` and output properties all come from this table.
 *
 * Rules a family cannot honour (`familyProblems`) are checked here when `api` is declared, and in
 * create / update once the family is detected.
 */
import { z } from "zod";
import { computed, DeclaredInputsOf, defineResource, field, InputsOf, StateOf } from "../fields";
import { locationFields, replaceOnChangesField, timeoutsField } from "../common";

/** 2: outputs gained `api`, `type`, `leaseType`; state of version 1 (no `api`) is demanager. */
export const STATE_VERSION = 2;

export const MIN_DURATION = 3600;
/** The legacy demanager API's maximum (seed 003): 24 h. */
export const MAX_DURATION = 86400;
/** The lease's maximum (RenewLease: 259,200,000 ms): 72 h. */
export const MAX_LEASE_DURATION = 259200;

export type ApiFamily = "notebooks" | "demanager";
export type PolicyType = "TIMING" | "IDLE";

/** A policy as an instance has it (captured before the resource took it over, restored on delete). */
export interface AutoStopPolicy {
    enabled: boolean;
    duration?: number;
    /** demanager: the console's reminder before stopping. */
    prompt?: boolean;
    /** Current API: TIMING | IDLE. */
    type?: "TIMING" | "IDLE";
    /** Current API: when the lease stopped / stops the notebook (ISO 8601), for restoring it. */
    stopAt?: string;
}

const required = (field: string, what: string, mustBe: string) => ({
    error: (issue: { input: unknown }) => (issue.input === undefined ? `${field} is required: ${what}` : `${field} must be ${mustBe}`),
});

/**
 * What a family cannot honour, per input. Checked in `check` when `api` is explicit, and in
 * create/update once the family is detected: never a silent no-op.
 */
export function familyProblems(
    v: { enabled?: unknown; duration?: unknown; prompt?: unknown; type?: unknown },
    family: ApiFamily,
): Array<{ property: string; reason: string }> {
    const out: Array<{ property: string; reason: string }> = [];
    if (family === "demanager") {
        if (typeof v.duration === "number" && v.duration > MAX_DURATION) {
            out.push({ property: "duration", reason: `duration must be at most ${MAX_DURATION} seconds (24 hours) on the legacy demanager API (spec.auto_stop.duration); only the current notebooks API's lease allows up to ${MAX_LEASE_DURATION}` });
        }
        if (v.type === "IDLE") {
            out.push({ property: "type", reason: 'type "IDLE" exists only on notebooks of the current API (lease); the legacy demanager API stops after a running time (TIMING)' });
        }
    } else {
        if (v.prompt !== undefined) {
            out.push({ property: "prompt", reason: "prompt is a setting of the legacy demanager API only: the current notebooks API's lease has no reminder setting; remove prompt" });
        }
        if (v.enabled === false) {
            out.push({
                property: "enabled",
                reason:
                    "enabled: false cannot be applied to a notebook of the current API: no documented call turns its lease off (RenewLease only renews; " +
                    "only creating it with duration -1 or starting it with ?duration=-1 does). Stop the notebook and start it with duration -1, or declare a duration",
            });
        }
    }
    return out;
}

/**
 * Where the legacy demanager API carries a policy input: `spec.auto_stop` of its update (PUT
 * /demanager/instances/{id}, seed 003). The current API's lease takes its duration in a query instead
 * (RenewLease `?duration=` in milliseconds, lease.ts).
 */
const DEMANAGER = (key: string) => ({ sent: { demanagerUpdate: `spec.auto_stop.${key}` } });

export const notebookAutoStopShape = defineResource({
    inputs: {
        /** The notebook (instance) ID, of either API family. Changing it replaces the resource (the old notebook's policy is restored first). */
        instanceId: field(
            z
                .string(required("instanceId", "the development-environment instance's ID", "a string"))
                .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, "instanceId must be an instance ID such as 6fa459ea-ee8a-3ca4-894e-db77e160355e"),
            { onChange: "replace" },
        ),
        /**
         * Turn auto-stop on (the notebook stops `duration` seconds after the policy is applied) or off.
         * `false` is refused on notebooks of the current API: no documented call turns a lease off.
         */
        enabled: field(
            z.boolean(required("enabled", "true to stop the instance after `duration`, false to turn auto-stop off", "true or false")),
            { onChange: "update", wire: DEMANAGER("enable") },
        ),
        /**
         * Seconds before the notebook stops; required when enabled. 3600..259200 (72 h) on the current
         * notebooks API (a lease renewed from the moment it is applied), 3600..86400 (24 h, the running
         * time of the next run if changed while RUNNING) on the legacy demanager API.
         */
        duration: field(
            z
                .number({ error: "duration must be a number of seconds" })
                .int("duration must be a whole number of seconds")
                .min(MIN_DURATION, `duration must be at least ${MIN_DURATION} seconds (1 hour)`)
                .max(
                    MAX_LEASE_DURATION,
                    `duration must be at most ${MAX_LEASE_DURATION} seconds (72 hours, the lease limit of the current notebooks API; the legacy demanager API allows at most ${MAX_DURATION})`,
                )
                .optional(),
            { onChange: "update", wire: DEMANAGER("duration") },
        ),
        /**
         * Legacy demanager API only: whether the console shows its reminder before stopping; true when
         * not declared. Refused on the current API (the lease has no reminder), so its default is the
         * demanager family's, applied once the family is known, not here.
         */
        prompt: field(z.boolean({ error: "prompt must be true or false" }).optional(), { onChange: "update", wire: DEMANAGER("prompt") }),
        /** `TIMING` (default) stops `duration` after the policy is applied; `IDLE` (current API only) after `duration` idle. */
        type: field(z.enum(["TIMING", "IDLE"], { error: 'type must be "TIMING" or "IDLE"' }).default("TIMING"), { onChange: "update" }),
        /**
         * Which API manages the notebook: `notebooks` (current, lease) or `demanager` (legacy). Detected
         * when absent (current API first); the state always records it. Set it to get family-specific
         * input errors at preview time. Changing it replaces the resource.
         */
        api: field(
            z.enum(["notebooks", "demanager"], { error: 'api must be "notebooks" (the current API) or "demanager" (the legacy development-environment API)' }).optional(),
            { onChange: "replace", inState: "always" },
        ),
        /** On delete, `restore` the policy the instance had before this resource took it over (default) or `disable` auto-stop. */
        onDelete: field(
            z.enum(["restore", "disable"], { error: 'onDelete must be "restore" (the policy from before) or "disable"' }).default("restore"),
            { onChange: "update" },
        ),
        ...locationFields,
        /** Timeouts for waiting on a queued or starting instance, e.g. `{ create: "30m" }`. */
        timeouts: timeoutsField,
        /** Set by the SDK from the `import` resource option; must name the same instance. */
        importId: field(z.string({ error: "importId must be a string" }).optional(), { onChange: "none", inState: false, internal: true }),
        /** Set by the SDK from the `replaceOnChanges` resource option (see common.ts). */
        replaceOnChanges: replaceOnChangesField,
    },
    outputs: {
        /** Version of the state's shape, for upgrades. */
        stateVersion: computed<number>(),
        /** Current API: the lease type the service reports. */
        leaseType: computed<string | undefined>(),
        /** The instance's name, as last seen. */
        name: computed<string | undefined>(),
        /** The instance's status, as last seen. */
        status: computed<string | undefined>(),
        /** The instance's flavor, as last seen. */
        flavor: computed<string | undefined>(),
        /** When the RUNNING instance will stop (ISO 8601), as the service reports it. */
        stopTimestamp: computed<string | undefined>(),
        /** Seconds left before it stops. */
        remainTime: computed<number | undefined>(),
        /** The policy captured when this resource took over: what delete restores. */
        priorPolicy: computed<AutoStopPolicy>(),
        /** demanager: true when a new duration was set on a RUNNING instance; it applies from the next start. */
        durationTakesEffectAtNextStart: computed<boolean | undefined>(),
    },
    refine: (v, ctx) => {
        if (v.importId !== undefined && v.instanceId !== undefined && v.importId !== v.instanceId) {
            ctx.addIssue({
                code: "custom",
                path: ["importId"],
                params: { related: ["importId", "instanceId"] },
                message: "the import option's id must be the instanceId: a NotebookAutoStop is identified by its instance",
            });
        }
        if (v.enabled === true && v.duration === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["duration"],
                params: { related: ["duration", "enabled"] },
                message: `duration is required when enabled is true: seconds of running time before the instance stops, ${MIN_DURATION}..${MAX_LEASE_DURATION} (demanager: ..${MAX_DURATION})`,
            });
        }
        if (v.api !== undefined) {
            for (const p of familyProblems(v, v.api)) ctx.addIssue({ code: "custom", path: [p.property], params: { related: [p.property, "api"] }, message: p.reason });
        }
    },
});

/** Inputs as declared, before `check` applies the defaults. */
export type NotebookAutoStopDeclaredInputs = DeclaredInputsOf<typeof notebookAutoStopShape>;

/** Inputs after `check`: validated, `type` and `onDelete` defaulted. */
export type NotebookAutoStopInputs = InputsOf<typeof notebookAutoStopShape>;

/** What the state holds: the inputs (less `importId`), the family and location, the computed outputs. */
export type NotebookAutoStopState = StateOf<typeof notebookAutoStopShape>;
