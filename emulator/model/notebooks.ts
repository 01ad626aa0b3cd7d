/**
 * Development-environment (notebook) instances of the demanager API: seeds 003 (update) and 004
 * (query), plus create, start/stop action and delete so that tests and demos can set the scene.
 *
 * Auto stop semantics (seed 003: "if the instance is Running, a changed duration takes effect
 * only after the next startup"):
 * - `autoStop` is the stored configuration {enable, duration, prompt}; `stopAt` is the effective
 *   stop time of the current run, fixed when the instance becomes RUNNING (start time + duration).
 * - PUT while RUNNING: a new duration leaves `stopAt` alone (next start uses it); disabling clears
 *   `stopAt` at once; enabling when it was disabled sets `stopAt` = now + duration (the timer
 *   counts from the moment it was enabled).
 * - `stop_timestamp` / `remain_time` are present only while RUNNING with an effective stop time.
 * - A RUNNING instance whose `stopAt` passes is STOPPED (evaluated lazily, on read).
 */
import { randomUUID } from "crypto";
import { ApiError, ERROR_CODES } from "../errors";
import { ModelContext } from "./context";
import { Validator } from "./validate";
import {
    AutoStopConfig,
    FailedReasons,
    GONE,
    NotebookRecord,
    projectState,
    takeFailure,
    Transition,
    TransitionKind,
    TransitionStep,
    viewTransition,
} from "./state";

export const NOTEBOOK_IN_PROGRESS = ["INIT", "CREATE_QUEUING", "START_QUEUING", "CREATING", "STARTING", "STOPPING", "DELETING", "SNAPSHOTTING"];

/** Statuses an admin may seed an instance in. */
export const NOTEBOOK_SEEDABLE = [
    "RUNNING",
    "STOPPED",
    "CREATE_QUEUING",
    "START_QUEUING",
    "CREATING",
    "STARTING",
    "STOPPING",
    "CREATE_FAILED",
    "START_FAILED",
    "ERROR",
] as const;
export type NotebookSeedStatus = (typeof NOTEBOOK_SEEDABLE)[number];

const NAME = /^[-_.a-zA-Z0-9]{1,128}$/;
const DESCRIPTION_FORBIDDEN = /[&<>"'/]/;
const MIN_DURATION = 3600;
const MAX_DURATION = 86400;

const FAILED_STATUS_FOR: Record<TransitionKind, string> = {
    create: "CREATE_FAILED",
    start: "START_FAILED",
    stop: "ERROR",
    delete: "DELETE_FAILED",
};

export const NOTEBOOK_DEFAULT_FAILED_REASON: FailedReasons = {
    code: "ModelArts.6999",
    message: "The instance failed (failure injected by the emulator).",
};

const v: Validator = new Validator(ERROR_CODES.NOTEBOOK_INVALID_PARAM, "error_message");

export type NotebookBody = Record<string, unknown>;

export interface NotebookSeed {
    id?: string;
    name?: string;
    flavor?: string;
    description?: string;
    status: NotebookSeedStatus;
    autoStop?: Partial<AutoStopConfig>;
    /** RUNNING only: when the current run started (ms epoch, default now); stop_timestamp = this + duration. */
    runningSince?: number;
    /** *_QUEUING only: how long the queuing lasts (default timings.notebook.queue, or 1000 ms when that is 0). */
    queueMs?: number;
    failedReasons?: FailedReasons;
}

export class NotebookModel {
    constructor(private readonly ctx: ModelContext) {}

    get(projectId: string, id: string): NotebookBody {
        return this.render(this.find(projectId, id), this.ctx.now());
    }

    list(projectId: string): { instances: NotebookBody[]; total: number } {
        const now = this.ctx.now();
        const all = this.settleProject(projectId);
        return { instances: all.map((r) => this.render(r, now)), total: all.length };
    }

    create(projectId: string, input: unknown): NotebookBody {
        const body = v.object(input, "request body");
        const name = v.requiredString(body, "name", "name", NAME);
        const flavor = v.requiredString(body, "flavor", "flavor", /^.{1,128}$/);
        const description = this.description(body) ?? "";
        const profileId = v.optionalString(body, "profile_id", "profile_id", /^.{1,128}$/);
        const spec = v.optionalObject(body, "spec");
        const autoStop = this.autoStop(spec, { enable: false, duration: MIN_DURATION, prompt: true });
        const now = this.ctx.now();
        const record = this.newRecord(projectId, { name, flavor, description, profileId, autoStop, now });
        const t = this.ctx.timings().notebook;
        const steps: TransitionStep[] = [];
        if (t.queue > 0) steps.push({ status: "CREATE_QUEUING", durationMs: t.queue });
        steps.push({ status: "CREATING", durationMs: t.create });
        record.status = steps[0].status;
        record.transition = this.newTransition(record, "create", steps, "RUNNING", now, true);
        projectState(this.ctx.state, projectId).notebooks.push(record);
        this.ctx.mutated();
        return this.render(record, now);
    }

    update(projectId: string, id: string, input: unknown): NotebookBody {
        const body = v.object(input, "request body");
        const description = this.description(body);
        const spec = v.optionalObject(body, "spec");
        const record = this.find(projectId, id);
        const autoStop = this.autoStop(spec, record.autoStop);
        const now = this.ctx.now();
        const status = this.currentStatus(record, now);
        if (status === "DELETING") this.busy(record, status, "updated");
        if (description !== undefined) record.description = description;
        if (status === "RUNNING" && !record.transition) {
            if (!autoStop.enable) record.stopAt = null;
            else if (record.stopAt === null) record.stopAt = now + autoStop.duration * 1000;
            // else: a changed duration takes effect at the next start.
        }
        record.autoStop = autoStop;
        record.updatedAt = now;
        this.ctx.mutated();
        return this.render(record, now);
    }

    /** POST .../action {"action": "start"|"stop"} → {current_status, previous_state}. */
    action(projectId: string, id: string, input: unknown): { current_status: string; previous_state: string } {
        const body = v.object(input, "request body");
        const action = v.requiredString(body, "action");
        if (action !== "start" && action !== "stop") v.fail(`action is invalid: "${action}" is not one of start, stop`);
        const record = this.find(projectId, id);
        const now = this.ctx.now();
        const previous = this.currentStatus(record, now);
        if (record.transition || NOTEBOOK_IN_PROGRESS.includes(previous)) this.busy(record, previous, action === "start" ? "started" : "stopped");
        const t = this.ctx.timings().notebook;
        if (action === "start") {
            if (previous !== "STOPPED" && previous !== "START_FAILED") this.wrongStatus(record, previous, "started", "STOPPED or START_FAILED");
            const steps: TransitionStep[] = [];
            if (t.queue > 0) steps.push({ status: "START_QUEUING", durationMs: t.queue });
            steps.push({ status: "STARTING", durationMs: t.start });
            record.transition = this.newTransition(record, "start", steps, "RUNNING", now, true);
        } else {
            if (previous !== "RUNNING") this.wrongStatus(record, previous, "stopped", "RUNNING");
            record.transition = this.newTransition(record, "stop", [{ status: "STOPPING", durationMs: t.stop }], "STOPPED", now, true);
            record.stopAt = null;
        }
        record.updatedAt = now;
        this.ctx.mutated();
        return { current_status: this.currentStatus(record, now), previous_state: previous };
    }

    delete(projectId: string, id: string): NotebookBody {
        const record = this.find(projectId, id);
        const now = this.ctx.now();
        const status = this.currentStatus(record, now);
        if (record.transition || NOTEBOOK_IN_PROGRESS.includes(status)) this.busy(record, status, "deleted");
        record.transition = this.newTransition(record, "delete", [{ status: "DELETING", durationMs: this.ctx.timings().notebook.delete }], GONE, now, true);
        record.stopAt = null;
        record.updatedAt = now;
        this.ctx.mutated();
        const out = this.render(record, now);
        this.settleProject(projectId);
        return out;
    }

    /** Admin: creates an instance directly in the given state. */
    seed(projectId: string, seed: NotebookSeed): NotebookBody {
        const vs: Validator = new Validator(ERROR_CODES.ADMIN_BAD_REQUEST, "error_msg");
        if (!(NOTEBOOK_SEEDABLE as readonly string[]).includes(seed.status)) {
            vs.fail(`status must be one of ${NOTEBOOK_SEEDABLE.join(", ")}`);
        }
        const now = this.ctx.now();
        const base: AutoStopConfig = { enable: false, duration: MIN_DURATION, prompt: true };
        const autoStop: AutoStopConfig = { ...base, ...(seed.autoStop ?? {}) };
        if (autoStop.enable && (!Number.isInteger(autoStop.duration) || autoStop.duration <= 0)) vs.fail("autoStop.duration must be a positive integer");
        if (seed.id !== undefined && this.settleProject(projectId).some((r) => r.id === seed.id)) vs.fail(`instance ${seed.id} already exists`);
        const record = this.newRecord(projectId, {
            id: seed.id,
            name: seed.name ?? `notebook-${randomUUID().slice(0, 4)}`,
            flavor: seed.flavor ?? "modelarts.vm.cpu.2u",
            description: seed.description ?? "",
            autoStop,
            now,
        });
        const t = this.ctx.timings().notebook;
        const queueMs = seed.queueMs ?? (t.queue > 0 ? t.queue : 1000);
        const status = seed.status;
        record.status = status;
        switch (status) {
            case "RUNNING": {
                const since = seed.runningSince ?? now;
                record.runningSince = since;
                record.stopAt = autoStop.enable ? since + autoStop.duration * 1000 : null;
                break;
            }
            case "CREATE_QUEUING":
                record.transition = this.plain("create", [{ status, durationMs: queueMs }, { status: "CREATING", durationMs: t.create }], "RUNNING", now);
                break;
            case "START_QUEUING":
                record.status = "STOPPED";
                record.transition = this.plain("start", [{ status, durationMs: queueMs }, { status: "STARTING", durationMs: t.start }], "RUNNING", now);
                break;
            case "CREATING":
                record.transition = this.plain("create", [{ status, durationMs: t.create }], "RUNNING", now);
                break;
            case "STARTING":
                record.status = "STOPPED";
                record.transition = this.plain("start", [{ status, durationMs: t.start }], "RUNNING", now);
                break;
            case "STOPPING":
                record.status = "RUNNING";
                record.transition = this.plain("stop", [{ status, durationMs: t.stop }], "STOPPED", now);
                break;
            case "CREATE_FAILED":
            case "START_FAILED":
            case "ERROR":
                record.failedReasons = seed.failedReasons ?? NOTEBOOK_DEFAULT_FAILED_REASON;
                break;
            default:
                break;
        }
        projectState(this.ctx.state, projectId).notebooks.push(record);
        this.ctx.mutated();
        this.settle(record, now);
        return this.render(record, now);
    }

    dump(projectId: string): NotebookBody[] {
        const now = this.ctx.now();
        return this.settleProject(projectId).map((r) => this.render(r, now));
    }

    // ----- internals ---------------------------------------------------------------------------

    private description(body: Record<string, unknown>): string | undefined {
        const d = v.optionalString(body, "description");
        if (d === undefined) return undefined;
        if (d.length > 512) v.fail(`description must contain at most 512 characters, got ${d.length}`);
        if (DESCRIPTION_FORBIDDEN.test(d)) v.fail(`description cannot contain any of the characters &<>"'/`);
        return d;
    }

    /** Validates `spec.auto_stop` (seed 003) and merges it into `current`. */
    private autoStop(spec: Record<string, unknown> | undefined, current: AutoStopConfig): AutoStopConfig {
        if (!spec) return { ...current };
        const a = v.optionalObject(spec, "auto_stop", "spec.auto_stop");
        if (!a) return { ...current };
        const enable = v.optionalBoolean(a, "enable", "spec.auto_stop.enable");
        const duration = v.optionalInteger(a, "duration", "spec.auto_stop.duration");
        const prompt = v.optionalBoolean(a, "prompt", "spec.auto_stop.prompt");
        if (enable === true && duration === undefined) v.fail("spec.auto_stop.duration is mandatory when spec.auto_stop.enable is true");
        if (duration !== undefined && (duration < MIN_DURATION || duration > MAX_DURATION)) {
            v.fail(`spec.auto_stop.duration must be between ${MIN_DURATION} and ${MAX_DURATION} seconds, got ${duration}`);
        }
        return { enable: enable ?? current.enable, duration: duration ?? current.duration, prompt: prompt ?? current.prompt };
    }

    private newRecord(
        projectId: string,
        f: { id?: string; name: string; flavor: string; description: string; profileId?: string; autoStop: AutoStopConfig; now: number },
    ): NotebookRecord {
        const gpu = /gpu/i.test(f.flavor);
        return {
            seq: ++this.ctx.state.seq,
            id: f.id ?? randomUUID(),
            projectId,
            name: f.name,
            flavor: f.flavor,
            description: f.description,
            profileId: f.profileId ?? (gpu ? "Multi-Engine 1.0 (python3)-gpu" : "Multi-Engine 1.0 (python3)-cpu"),
            createdAt: f.now,
            updatedAt: f.now,
            status: "CREATING",
            autoStop: f.autoStop,
            stopAt: null,
            failedReasons: null,
        };
    }

    private plain(kind: TransitionKind, steps: TransitionStep[], final: string, now: number): Transition {
        return { kind, startedAt: now, steps, final };
    }

    private newTransition(record: NotebookRecord, kind: TransitionKind, steps: TransitionStep[], final: string, now: number, injectable: boolean): Transition {
        const failure = injectable ? takeFailure(this.ctx.state, "notebook", kind, record.projectId, record.id) : undefined;
        if (!failure) return { kind, startedAt: now, steps, final };
        return {
            kind,
            startedAt: now,
            steps,
            final: failure.status,
            failedReasons: failure.reason ?? NOTEBOOK_DEFAULT_FAILED_REASON,
        };
    }

    private busy(record: NotebookRecord, status: string, what: string): never {
        throw new ApiError(
            409,
            ERROR_CODES.NOTEBOOK_BUSY,
            `Instance ${record.id} cannot be ${what} while its status is ${status}; retry when the transition has finished`,
            "error_message",
        );
    }

    private wrongStatus(record: NotebookRecord, status: string, what: string, required: string): never {
        throw new ApiError(
            400,
            ERROR_CODES.NOTEBOOK_WRONG_STATUS,
            `Instance ${record.id} cannot be ${what}: its status is ${status} (requires ${required})`,
            "error_message",
        );
    }

    private currentStatus(record: NotebookRecord, now: number): string {
        return record.transition ? viewTransition(record.transition, now).status : record.status;
    }

    /** Applies a finished transition and a passed auto stop. Returns false when the instance is gone. */
    private settle(record: NotebookRecord, now: number): boolean {
        const t = record.transition;
        if (t) {
            const view = viewTransition(t, now);
            if (!view.done) return true;
            record.transition = undefined;
            record.updatedAt = view.endsAt;
            if (t.final === GONE) return false;
            record.status = t.final;
            if (t.final === "RUNNING") {
                record.runningSince = view.endsAt;
                record.stopAt = record.autoStop.enable ? view.endsAt + record.autoStop.duration * 1000 : null;
                record.failedReasons = null;
            } else if (t.failedReasons) {
                record.failedReasons = t.failedReasons;
                record.stopAt = null;
            } else if (t.final === "STOPPED") {
                record.runningSince = undefined;
                record.stopAt = null;
            }
        }
        if (record.status === "RUNNING" && record.stopAt !== null && now >= record.stopAt) {
            record.status = "STOPPED";
            record.updatedAt = record.stopAt;
            record.stopAt = null;
            record.runningSince = undefined;
        }
        return true;
    }

    private settleProject(projectId: string): NotebookRecord[] {
        const p = projectState(this.ctx.state, projectId);
        const now = this.ctx.now();
        p.notebooks = p.notebooks.filter((r) => this.settle(r, now));
        return p.notebooks;
    }

    private find(projectId: string, id: string): NotebookRecord {
        const record = this.settleProject(projectId).find((r) => r.id === id);
        if (!record) throw new ApiError(this.ctx.notFoundAs400() ? 400 : 404, ERROR_CODES.NOTEBOOK_NOT_FOUND, "The instance does not exist.", "error_message");
        return record;
    }

    render(record: NotebookRecord, now: number): NotebookBody {
        const view = record.transition ? viewTransition(record.transition, now) : undefined;
        const status = view ? view.status : record.status;
        const gpu = /gpu/i.test(record.flavor);
        const flavorDetails = {
            name: record.flavor,
            params: gpu ? { CPU: 8, GPU: 1, gpu_type: "v100NV32", memory: "64GiB" } : { CPU: 2, memory: "8GiB" },
            status: "onSale",
            type: gpu ? "GPU" : "CPU",
        };
        const autoStop: Record<string, unknown> = {
            duration: record.autoStop.duration,
            enable: record.autoStop.enable,
            prompt: record.autoStop.prompt,
        };
        if (status === "RUNNING" && record.stopAt !== null) {
            autoStop.remain_time = Math.max(0, Math.floor((record.stopAt - now) / 1000));
            autoStop.stop_timestamp = record.stopAt;
        }
        const user = this.userFor(record.projectId);
        const out: NotebookBody = {
            ai_project: { id: "default-ai-project" },
            creation_timestamp: String(record.createdAt),
            description: record.description,
            flavor: record.flavor,
            flavor_details: flavorDetails,
            id: record.id,
            latest_update_timestamp: String(record.updatedAt),
            name: record.name,
            profile: {
                de_type: "Notebook",
                description: gpu ? "multi engine, gpu, python 3.6 for notebook" : "multi engine, cpu, python 3.6 for notebook",
                flavor_type: gpu ? "GPU" : "CPU",
                id: record.profileId,
                name: record.profileId,
                provision: {
                    annotations: { category: "Multi-Engine 1.0 (python3)", type: "system" },
                    spec: {
                        engine: "CCE",
                        params: {
                            annotations: null,
                            image_name: gpu ? "mul-kernel-gpu-cuda-cp36" : "mul-kernel-cpu-cp36",
                            image_tag: "2.0.5-B003",
                            namespace: "atelier",
                        },
                    },
                    type: "Docker",
                },
            },
            spec: {
                annotations: {
                    target_domain: "https://modelarts.emulator.local",
                    url: `https://modelarts.emulator.local/modelarts/hubv100/notebook/user/${record.id}`,
                },
                auto_stop: autoStop,
                extend_params: null,
                failed_reasons: record.failedReasons,
                repository: null,
                storage: { location: { path: "/home/ma-user/work", volume_size: 5, volume_unit: "GB" }, type: "evs" },
            },
            status,
            user,
            workspace: { id: "0" },
        };
        if (view?.step && status.endsWith("_QUEUING")) {
            out.queuing_info = {
                id: record.id,
                name: record.name,
                de_type: "Notebook",
                flavor: record.flavor,
                flavor_details: flavorDetails,
                status,
                begin_timestamp: view.step.startedAt,
                end_timestamp: view.step.endsAt,
                remain_time: Math.max(0, Math.ceil((view.step.endsAt - now) / 1000)),
                rank: 1,
            };
        }
        return out;
    }

    /** Resolved by the emulator (set after construction): the IAM user shown in bodies. */
    userFor: (projectId: string) => { id: string; name: string } = () => ({ id: "0".repeat(32), name: "emulator-user" });
}

export { FAILED_STATUS_FOR as NOTEBOOK_FAILED_STATUS_FOR };
