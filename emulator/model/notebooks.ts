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
import { applyUpdate, changeTags, defaultSpec, renderSpec, specFromCreate } from "./notebookSpec";
import { beginUnmount, newStorage, renderStorage, settleStorages, StorageRecord } from "./notebookStorage";
import {
    AutoStopConfig,
    FailedReasons,
    GONE,
    LeaseRecord,
    LeaseType,
    NotebookFamily,
    NotebookRecord,
    projectState,
    takeFailure,
    Transition,
    TransitionKind,
    BaseTransitionKind,
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
    "DELETE_FAILED",
    "ERROR",
    "FROZEN",
    // The demanager list's last two (REF modelarts_03_0111): seeded only, no transition makes them.
    "RESIZING",
    "RESIZE_FAILED",
] as const;
export type NotebookSeedStatus = (typeof NOTEBOOK_SEEDABLE)[number];

const NAME = /^[-_.a-zA-Z0-9]{1,128}$/;
const DESCRIPTION_FORBIDDEN = /[&<>"'/]/;
const MIN_DURATION = 3600;
const MAX_DURATION = 86400;

const FAILED_STATUS_FOR: Record<BaseTransitionKind, string> = {
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
/** The current notebooks API renders errors as `{error_code, error_msg}` (like DevServer). */
const vc: Validator = new Validator(ERROR_CODES.NOTEBOOK_INVALID_PARAM, "error_msg");

/** RenewLease / StartNotebook / CreateNotebook `duration` bounds, ms (PY SDK renew_lease_request.py, lease_req.py). */
export const LEASE_MIN_MS = 3_600_000;
export const LEASE_MAX_MS = 259_200_000;
/** Default lease duration of create and start (PY SDK: default 3600000). */
export const LEASE_DEFAULT_MS = 3_600_000;
/** The current API's status list (PY SDK notebook_resp.py). */
export const CURRENT_NOTEBOOK_STATUSES = [
    "INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "RUNNING", "STOPPED", "SNAPSHOTTING",
    "CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "DELETED", "FROZEN",
] as const;

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
    /** Which API manages it (default demanager). */
    family?: NotebookFamily;
    /** Current family: the lease (defaults: enabled, TIMING, 1 h from runningSince / now). Durations in ms. */
    lease?: Partial<{ enable: boolean; duration: number; type: LeaseType; createAt: number; updateAt: number }>;
}

/** Admin: an out-of-band change of a current-API notebook's lease (as the console or another tool would make). */
export interface LeasePatch {
    enable?: boolean;
    duration?: number;
    type?: LeaseType;
    createAt?: number;
    updateAt?: number;
}

export class NotebookModel {
    constructor(private readonly ctx: ModelContext) {}

    get(projectId: string, id: string): NotebookBody {
        return this.render(this.find(projectId, id), this.ctx.now());
    }

    /**
     * List (API reference modelarts_03_0111): `status`, `offset`, `limit` (0, the default, is every
     * instance); `total_count` counts every match. `total` is the emulator's older key, kept.
     */
    list(projectId: string, query: Record<string, string | string[]> = {}): { instances: NotebookBody[]; total: number; total_count: number } {
        const one = (k: string) => (Array.isArray(query[k]) ? (query[k] as string[])[0] : (query[k] as string | undefined));
        const int = (k: string) => {
            const raw = one(k);
            if (raw === undefined || raw === "") return 0;
            const n = Number(raw);
            if (!Number.isInteger(n) || n < 0) v.fail(`${k} must be a non-negative integer, got ${raw}`);
            return n;
        };
        const offset = int("offset");
        const limit = int("limit");
        const status = one("status");
        const now = this.ctx.now();
        const all = this.settleProject(projectId)
            .filter((r) => familyOf(r) === "demanager")
            .map((r) => this.render(r, now))
            .filter((b) => !status || b.status === status);
        const page = limit === 0 ? all.slice(offset) : all.slice(offset, offset + limit);
        return { instances: page, total: all.length, total_count: all.length };
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
        if (seed.family !== undefined && seed.family !== "demanager" && seed.family !== "notebooks") vs.fail("family must be demanager or notebooks");
        if (seed.family === "notebooks") {
            record.family = "notebooks";
            record.spec = defaultSpec();
            const l = seed.lease ?? {};
            if (l.duration !== undefined && (!Number.isInteger(l.duration) || (l.duration <= 0 && l.duration !== -1))) vs.fail("lease.duration must be a positive integer of ms or -1");
            const type = l.type === undefined ? "TIMING" : normalLeaseType(l.type);
            if (!type) vs.fail("lease.type must be TIMING or IDLE");
            const since = seed.runningSince ?? now;
            record.lease = {
                createAt: l.createAt ?? since,
                duration: l.duration ?? LEASE_DEFAULT_MS,
                enable: l.enable ?? l.duration !== -1,
                type,
                updateAt: l.updateAt ?? l.createAt ?? since,
            };
            record.nextLease = { duration: record.lease.duration, type };
        }
        const t = this.ctx.timings().notebook;
        const queueMs = seed.queueMs ?? (t.queue > 0 ? t.queue : 1000);
        const status = seed.status;
        record.status = status;
        switch (status) {
            case "RUNNING": {
                const since = seed.runningSince ?? now;
                record.runningSince = since;
                record.stopAt = record.lease ? leaseStopAt(record.lease) : autoStop.enable ? since + autoStop.duration * 1000 : null;
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
            case "DELETE_FAILED":
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
        // The admin dump also shows what the API keeps but does not answer (CreateNotebook's hooks, its data_volumes as received).
        return this.settleProject(projectId).map((r) =>
            familyOf(r) === "notebooks" ? { ...this.renderCurrent(r, now), hooks: r.spec?.hooks, data_volumes_as_sent: r.spec?.dataVolumes } : this.render(r, now),
        );
    }

    // ----- current notebooks API (/v1/{project_id}/notebooks) ------------------------------------
    // Sources: API reference ShowNotebook/ListNotebooks/CreateNotebook/UpdateNotebook/DeleteNotebook/
    // StartNotebook/StopNotebook/ShowLease/RenewLease (https://support.huaweicloud.com/api-modelarts/);
    // PY SDK huaweicloudsdkmodelarts/v1 (modelarts_client.py, model/notebook_resp.py, lease.py,
    // lease_req.py, renew_lease_request.py, start_notebook_request.py); Terraform
    // huaweicloud/services/modelarts/resource_huaweicloud_modelarts_notebook.go.

    currentGet(projectId: string, id: string): NotebookBody {
        return this.renderCurrent(this.findCurrent(projectId, id), this.ctx.now());
    }

    /** ListNotebooks: `limit` (default 10) / `offset` paging; `{current, data, pages, size, total}`. */
    currentList(projectId: string, query: Record<string, string | string[]>): NotebookBody {
        const one = (k: string) => (Array.isArray(query[k]) ? (query[k] as string[])[0] : (query[k] as string | undefined));
        const int = (k: string, dflt: number, min: number, max: number) => {
            const raw = one(k);
            if (raw === undefined || raw === "") return dflt;
            const n = Number(raw);
            if (!Number.isInteger(n) || n < min || n > max) vc.fail(`${k} must be an integer between ${min} and ${max}, got ${raw}`);
            return n;
        };
        const limit = int("limit", 10, 1, 1024);
        const offset = int("offset", 0, 0, 2147483647);
        const now = this.ctx.now();
        // `name` matches fuzzily, `status` exactly (list_notebooks_request.py).
        const name = one("name");
        const status = one("status");
        const all = this.settleProject(projectId)
            .filter((r) => familyOf(r) === "notebooks")
            .filter((r) => (!name || r.name.includes(name)) && (!status || this.currentStatus(r, now) === status));
        const page = all.slice(offset, offset + limit);
        return { current: Math.floor(offset / limit), data: page.map((r) => this.renderCurrent(r, now)), pages: Math.ceil(all.length / limit), size: page.length, total: all.length };
    }

    /** CreateNotebook: name, flavor, image_id; top-level `duration` (ms, or -1 = no auto-stop, as Terraform sends) or `lease`. */
    currentCreate(projectId: string, input: unknown): NotebookBody {
        const body = vc.object(input, "request body");
        const name = vc.requiredString(body, "name", "name", NAME);
        const flavor = vc.requiredString(body, "flavor", "flavor", /^.{1,128}$/);
        const spec = specFromCreate(body);
        const description = vc.optionalString(body, "description") ?? "";
        const lease = vc.optionalObject(body, "lease");
        let duration = this.leaseDuration(body.duration, "duration", true);
        let type: LeaseType = "TIMING";
        if (lease) {
            const d = this.leaseDuration(lease.duration, "lease.duration", true);
            if (duration === undefined) duration = d;
            type = this.leaseType(lease.type, "lease.type") ?? "TIMING";
        }
        const now = this.ctx.now();
        const record = this.newRecord(projectId, { name, flavor, description, autoStop: { enable: false, duration: MIN_DURATION, prompt: true }, now });
        record.family = "notebooks";
        record.spec = spec;
        record.nextLease = { duration: duration ?? LEASE_DEFAULT_MS, type };
        record.lease = { createAt: now, duration: record.nextLease.duration, enable: record.nextLease.duration !== -1, type, updateAt: now };
        record.status = "CREATING";
        record.transition = this.newTransition(record, "create", [{ status: "CREATING", durationMs: this.ctx.timings().notebook.create }], "RUNNING", now, true);
        projectState(this.ctx.state, projectId).notebooks.push(record);
        this.ctx.mutated();
        return this.renderCurrent(record, now);
    }

    /** UpdateNotebook: name / description (the update body has no lease field: unknown fields are ignored). */
    currentUpdate(projectId: string, id: string, input: unknown): NotebookBody {
        const body = vc.object(input, "request body");
        const name = vc.optionalString(body, "name", "name", NAME);
        const description = vc.optionalString(body, "description");
        const record = this.findCurrent(projectId, id);
        const now = this.ctx.now();
        const status = this.currentStatus(record, now);
        if (record.transition || NOTEBOOK_IN_PROGRESS.includes(status)) this.busy(record, status, "updated", "error_msg");
        const { flavor } = applyUpdate((record.spec ??= defaultSpec()), body, status, now, record.id);
        if (flavor !== undefined) record.flavor = flavor;
        if (name !== undefined) record.name = name;
        if (description !== undefined) record.description = description;
        record.updatedAt = now;
        this.ctx.mutated();
        return this.renderCurrent(record, now);
    }

    currentDelete(projectId: string, id: string): NotebookBody {
        const record = this.findCurrent(projectId, id);
        const now = this.ctx.now();
        const status = this.currentStatus(record, now);
        if (record.transition || NOTEBOOK_IN_PROGRESS.includes(status)) this.busy(record, status, "deleted", "error_msg");
        record.transition = this.newTransition(record, "delete", [{ status: "DELETING", durationMs: this.ctx.timings().notebook.delete }], GONE, now, true);
        record.stopAt = null;
        record.updatedAt = now;
        this.ctx.mutated();
        const out = this.renderCurrent(record, now);
        this.settleProject(projectId);
        return out;
    }

    /** StartNotebook `?duration=<ms>&type=<TIMING|IDLE>`: the lease of the new run (duration -1: no auto-stop, as Terraform uses). */
    currentStart(projectId: string, id: string, query: Record<string, string | string[]>): NotebookBody {
        const one = (k: string) => (Array.isArray(query[k]) ? (query[k] as string[])[0] : (query[k] as string | undefined));
        const rawDuration = one("duration");
        const duration = rawDuration === undefined ? undefined : this.leaseDuration(Number(rawDuration), "duration", true);
        const type = this.leaseType(one("type"), "type") ?? "TIMING";
        const record = this.findCurrent(projectId, id);
        const now = this.ctx.now();
        const previous = this.currentStatus(record, now);
        if (record.transition || NOTEBOOK_IN_PROGRESS.includes(previous)) this.busy(record, previous, "started", "error_msg");
        if (previous !== "STOPPED" && previous !== "START_FAILED") this.wrongStatus(record, previous, "started", "STOPPED or START_FAILED", "error_msg");
        record.nextLease = { duration: duration ?? LEASE_DEFAULT_MS, type };
        record.transition = this.newTransition(record, "start", [{ status: "STARTING", durationMs: this.ctx.timings().notebook.start }], "RUNNING", now, true);
        record.updatedAt = now;
        this.ctx.mutated();
        return this.renderCurrent(record, now);
    }

    /** StopNotebook; a notebook already STOPPED answers 400 ModelArts.6357 (Terraform ignores that code on stop). */
    currentStop(projectId: string, id: string): NotebookBody {
        const record = this.findCurrent(projectId, id);
        const now = this.ctx.now();
        const previous = this.currentStatus(record, now);
        if (previous === "STOPPED") {
            throw new ApiError(400, ERROR_CODES.CURRENT_NOTEBOOK_ALREADY_STOPPED, `Notebook ${record.id} is already stopped.`, "error_msg");
        }
        if (record.transition || NOTEBOOK_IN_PROGRESS.includes(previous)) this.busy(record, previous, "stopped", "error_msg");
        if (previous !== "RUNNING") this.wrongStatus(record, previous, "stopped", "RUNNING", "error_msg");
        record.transition = this.newTransition(record, "stop", [{ status: "STOPPING", durationMs: this.ctx.timings().notebook.stop }], "STOPPED", now, true);
        record.stopAt = null;
        record.updatedAt = now;
        this.ctx.mutated();
        return this.renderCurrent(record, now);
    }

    /**
     * ShowLease: answers only for a RUNNING notebook (PY SDK modelarts_client.py show_lease docstring;
     * REF ShowLease). Any other status is refused as for RenewLease (the code is the emulator's choice).
     */
    leaseGet(projectId: string, id: string): NotebookBody {
        const record = this.findCurrent(projectId, id);
        const status = this.currentStatus(record, this.ctx.now());
        if (status !== "RUNNING") this.wrongStatus(record, status, "asked for its lease", "RUNNING", "error_msg");
        return renderLease(record.lease!);
    }

    /**
     * RenewLease: `?duration=<ms>` (3,600,000..259,200,000) renews counted from now, and the type
     * becomes TIMING (the body is then ignored); without the query, the `LeaseReq` body
     * `{duration, type}` is used. The notebook must be RUNNING (API reference RenewLease).
     */
    leaseRenew(projectId: string, id: string, query: Record<string, string | string[]>, input: unknown): NotebookBody {
        const one = (k: string) => (Array.isArray(query[k]) ? (query[k] as string[])[0] : (query[k] as string | undefined));
        const raw = one("duration");
        let duration: number | undefined;
        let type: LeaseType = "TIMING";
        if (raw !== undefined) {
            duration = this.leaseDuration(raw === "" ? NaN : Number(raw), "duration", false);
        } else {
            const body = input === undefined ? {} : vc.object(input, "request body");
            duration = this.leaseDuration(body.duration, "duration", false) ?? LEASE_DEFAULT_MS;
            type = this.leaseType(body.type, "type") ?? "TIMING";
        }
        const record = this.findCurrent(projectId, id);
        const now = this.ctx.now();
        const status = this.currentStatus(record, now);
        if (status !== "RUNNING" || record.transition) this.wrongStatus(record, status, "given a new lease", "RUNNING", "error_msg");
        const lease = record.lease!;
        record.lease = { createAt: lease.createAt, duration: now - lease.createAt + duration!, enable: true, type, updateAt: now };
        record.stopAt = leaseStopAt(record.lease);
        record.updatedAt = now;
        this.ctx.mutated();
        return renderLease(record.lease);
    }

    /** Admin: changes a current-API notebook's lease out of band (console, another tool, the clock). */
    leaseOutOfBand(projectId: string, id: string, patch: LeasePatch): NotebookBody {
        const vs: Validator = new Validator(ERROR_CODES.ADMIN_BAD_REQUEST, "error_msg");
        const record = this.settleProject(projectId).find((r) => r.id === id && familyOf(r) === "notebooks");
        if (!record) vs.fail(`no current-API notebook ${id} in project ${projectId}`);
        const now = this.ctx.now();
        for (const k of ["duration", "createAt", "updateAt"] as const) {
            if (patch[k] !== undefined && (typeof patch[k] !== "number" || !Number.isInteger(patch[k]))) vs.fail(`${k} must be an integer (ms)`);
        }
        if (patch.enable !== undefined && typeof patch.enable !== "boolean") vs.fail("enable must be a boolean");
        const type = patch.type === undefined ? record.lease!.type : normalLeaseType(patch.type);
        if (!type) vs.fail("type must be TIMING or IDLE");
        record.lease = {
            createAt: patch.createAt ?? record.lease!.createAt,
            duration: patch.duration ?? record.lease!.duration,
            enable: patch.enable ?? record.lease!.enable,
            type,
            updateAt: patch.updateAt ?? now,
        };
        if (this.currentStatus(record, now) === "RUNNING" && !record.transition) record.stopAt = leaseStopAt(record.lease);
        record.updatedAt = now;
        this.ctx.mutated();
        this.settle(record, this.ctx.now());
        return this.renderCurrent(record, this.ctx.now());
    }

    private leaseDuration(value: unknown, field: string, allowNever: boolean): number | undefined {
        if (value === undefined || value === null) return undefined;
        if (typeof value !== "number" || !Number.isInteger(value)) vc.fail(`${field} must be an integer number of milliseconds`);
        if (allowNever && value === -1) return -1;
        if (value < LEASE_MIN_MS || value > LEASE_MAX_MS) vc.fail(`${field} must be between ${LEASE_MIN_MS} and ${LEASE_MAX_MS} milliseconds, got ${value}`);
        return value;
    }

    private leaseType(value: unknown, field: string): LeaseType | undefined {
        if (value === undefined || value === null) return undefined;
        const t = typeof value === "string" ? normalLeaseType(value) : undefined;
        if (!t) vc.fail(`${field} is invalid: ${JSON.stringify(value)} is not one of TIMING, IDLE`);
        return t;
    }

    private findCurrent(projectId: string, id: string): NotebookRecord {
        const record = this.settleProject(projectId).find((r) => r.id === id && familyOf(r) === "notebooks");
        if (!record) {
            throw new ApiError(this.ctx.notFoundAs400() ? 400 : 404, ERROR_CODES.CURRENT_NOTEBOOK_NOT_FOUND, `The notebook ${id} does not exist.`, "error_msg");
        }
        return record;
    }

    /** The body of ShowNotebook (PY SDK notebook_resp.py; the fields this emulator models). */
    renderCurrent(record: NotebookRecord, now: number): NotebookBody {
        const view = record.transition ? viewTransition(record.transition, now) : undefined;
        const status = view ? view.status : record.status;
        const user = this.userFor(record.projectId);
        return {
            id: record.id,
            name: record.name,
            description: record.description,
            status,
            flavor: record.flavor,
            feature: "NOTEBOOK",
            create_at: record.createdAt,
            update_at: record.updatedAt,
            ...renderSpec((record.spec ??= defaultSpec()), record.id, now),
            lease: renderLease(record.lease!),
            url: `https://modelarts.emulator.local/modelarts/hubv100/notebook/user/${record.id}`,
            user: { id: user.id, name: user.name },
            action_progress: [],
            fail_reason: record.failedReasons ? `${record.failedReasons.code}: ${record.failedReasons.message}` : undefined,
        };
    }

    /** CreateNotebookTags (`remove` false) / DeleteNotebookTags; any settled or running notebook. */
    tags(projectId: string, id: string, input: unknown, remove: boolean): NotebookBody {
        const record = this.findCurrent(projectId, id);
        changeTags((record.spec ??= defaultSpec()), input, remove);
        record.updatedAt = this.ctx.now();
        this.ctx.mutated();
        return {};
    }

    /** ListDynamicStorages: `{current, data, pages, size, total}` (one page). */
    storageList(projectId: string, id: string): NotebookBody {
        const record = this.findCurrent(projectId, id);
        const all = this.storagesOf(record);
        return { current: 0, data: all.map(renderStorage), pages: 1, size: all.length, total: all.length };
    }

    /** AttachDynamicStorage: the notebook must be RUNNING (SDK docstring); MOUNTING, then MOUNTED (or an injected MOUNT_FAILED). */
    storageMount(projectId: string, id: string, input: unknown): NotebookBody {
        const record = this.findCurrent(projectId, id);
        const now = this.ctx.now();
        const status = this.currentStatus(record, now);
        if (status !== "RUNNING" || record.transition) this.wrongStatus(record, status, "given a storage mount", "RUNNING", "error_msg");
        const storage = newStorage(input, this.storagesOf(record), now, this.ctx.timings().notebook.stop, () => takeFailure(this.ctx.state, "notebook", "mount", projectId, id));
        record.storages = [...this.storagesOf(record), storage];
        this.ctx.mutated();
        return renderStorage(storage);
    }

    storageGet(projectId: string, id: string, storageId: string): NotebookBody {
        return renderStorage(this.findStorage(this.findCurrent(projectId, id), storageId));
    }

    /** DetachDynamicStorage: the notebook must be RUNNING, the storage not MOUNTING; UNMOUNTING, then gone (or an injected UNMOUNT_FAILED). */
    storageUnmount(projectId: string, id: string, storageId: string): NotebookBody {
        const record = this.findCurrent(projectId, id);
        const now = this.ctx.now();
        const status = this.currentStatus(record, now);
        const storage = this.findStorage(record, storageId);
        if (status !== "RUNNING" || record.transition) this.wrongStatus(record, status, "relieved of a storage mount", "RUNNING", "error_msg");
        if (storage.status === "MOUNTING") this.busy(record, "MOUNTING", `unmounted (storage ${storageId})`, "error_msg");
        beginUnmount(storage, now, this.ctx.timings().notebook.stop, () => takeFailure(this.ctx.state, "notebook", "unmount", projectId, id));
        this.ctx.mutated();
        return renderStorage(storage);
    }

    private storagesOf(record: NotebookRecord): StorageRecord[] {
        record.storages = settleStorages(record.storages ?? [], this.ctx.now());
        return record.storages;
    }

    private findStorage(record: NotebookRecord, storageId: string): StorageRecord {
        const storage = this.storagesOf(record).find((s) => s.id === storageId);
        if (!storage) {
            throw new ApiError(this.ctx.notFoundAs400() ? 400 : 404, ERROR_CODES.CURRENT_NOTEBOOK_NOT_FOUND, `The storage ${storageId} of notebook ${record.id} does not exist.`, "error_msg");
        }
        return storage;
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

    private busy(record: NotebookRecord, status: string, what: string, style: "error_message" | "error_msg" = "error_message"): never {
        throw new ApiError(
            409,
            ERROR_CODES.NOTEBOOK_BUSY,
            `Instance ${record.id} cannot be ${what} while its status is ${status}; retry when the transition has finished`,
            style,
        );
    }

    private wrongStatus(record: NotebookRecord, status: string, what: string, required: string, style: "error_message" | "error_msg" = "error_message"): never {
        throw new ApiError(
            400,
            ERROR_CODES.NOTEBOOK_WRONG_STATUS,
            `Instance ${record.id} cannot be ${what}: its status is ${status} (requires ${required})`,
            style,
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
                if (familyOf(record) === "notebooks") {
                    const next = record.nextLease ?? { duration: LEASE_DEFAULT_MS, type: "TIMING" as LeaseType };
                    record.lease = { createAt: view.endsAt, duration: next.duration, enable: next.duration !== -1, type: next.type, updateAt: view.endsAt };
                    record.stopAt = leaseStopAt(record.lease);
                } else {
                    record.stopAt = record.autoStop.enable ? view.endsAt + record.autoStop.duration * 1000 : null;
                }
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
        const record = this.settleProject(projectId).find((r) => r.id === id && familyOf(r) === "demanager");
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

function familyOf(r: NotebookRecord): NotebookFamily {
    return r.family ?? "demanager";
}

/** TIMING / IDLE in any case (the SDK enums say TIMING, an EU doc page says "timing"). */
function normalLeaseType(t: string): LeaseType | undefined {
    const u = String(t).toUpperCase();
    return u === "TIMING" || u === "IDLE" ? u : undefined;
}

/**
 * When an enabled TIMING lease stops the notebook: create_at + duration (ShowLease doc). An IDLE
 * lease stops on inactivity, which the emulator does not model: it never stops the notebook.
 */
export function leaseStopAt(l: LeaseRecord): number | null {
    return l.enable && l.type === "TIMING" && l.duration > 0 ? l.createAt + l.duration : null;
}

function renderLease(l: LeaseRecord): NotebookBody {
    return { create_at: l.createAt, duration: l.duration, enable: l.enable, type: l.type, update_at: l.updateAt };
}
