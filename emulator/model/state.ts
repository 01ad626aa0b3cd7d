/**
 * The emulator's whole state, as plain JSON-serialisable data. Statuses are never advanced by
 * timers: a resource in transition records when the transition started and its steps, and its
 * current status is computed from the clock whenever it is read ("settled"). So the state file
 * needs no background writer, and a restart in the middle of a transition simply continues it.
 */

/** One phase of a transition, e.g. {status: "STARTING", durationMs: 3000}. */
export interface TransitionStep {
    status: string;
    durationMs: number;
}

export interface FailedReasons {
    code: string;
    message: string;
}

export interface Transition {
    kind: TransitionKind;
    startedAt: number;
    steps: TransitionStep[];
    /** Status reached at the end; "GONE" means the resource disappears. */
    final: string;
    /** Set when the transition was made to fail (failure injection). */
    failedReasons?: FailedReasons;
    /** DevServer changeos / reinstallos: the image and login the server has once the transition ends in its target. */
    os?: { imageId: string; keyPairName?: string };
}

/** The transitions every family has. */
export type BaseTransitionKind = "create" | "start" | "stop" | "delete";
/** DevServer-only transitions: reboot, change OS, reinstall OS. */
export type DevServerActionKind = "reboot" | "changeos" | "reinstallos";
export type TransitionKind = BaseTransitionKind | DevServerActionKind;
/** DevServer volume operations (attachvolume / detachvolume), polled through GET .../operation/{id}. */
export type OperationKind = "attach" | "detach";
/** Current-API notebook storage mounts (`/notebooks/{id}/storage`): end MOUNT_FAILED / UNMOUNT_FAILED when injected. */
export type StorageOperationKind = import("./notebookStorage").StorageOperationKind;
/** What a failure injection can target. */
export type FailureKind = TransitionKind | OperationKind | StorageOperationKind;

/** An EVS disk of a project (created through the admin API): free, or attached to one DevServer. */
export interface EvsVolumeRecord {
    id: string;
    size: number;
    /** ESSD | GPSSD | SAS | SATA | SSD */
    type: string;
    /** The DevServer it is attached to (ROOT / DATA disks made at create, or an attach that succeeded). */
    attachedTo?: string;
    /** ROOT or DATA while attached. */
    role?: "ROOT" | "DATA";
    /** Made by the server's create (root_volume / data_volume): deleted with the server; others are detached. */
    deleteWithServer?: boolean;
}

/** An EIP of a project (created through the admin API): free, or bound to one DevServer. */
export interface PublicIpRecord {
    id: string;
    address: string;
    boundTo?: string;
}

/**
 * An attach / detach operation. Its status is computed from the clock like a transition: `pending`
 * for pendingMs, `running` for runningMs, then `success` or `failed`; the volume moves when it ends.
 */
export interface OperationRecord {
    id: string;
    kind: OperationKind;
    /** operation_type as the API names it (node_attach_volume, ...). */
    type: string;
    volumeId: string;
    startedAt: number;
    pendingMs: number;
    runningMs: number;
    outcome: "success" | "failed";
    error?: FailedReasons;
    /** Set once the volume was moved (or left alone, on failure). */
    applied?: boolean;
}

export const GONE = "GONE";

export interface DevServerRecord {
    seq: number;
    id: string;
    projectId: string;
    name: string;
    flavor: string;
    chargingMode: string;
    orderId?: string;
    createAt: number;
    updateAt: number;
    cloudServerId: string;
    serverType: string;
    arch: string;
    imageId: string;
    imageName: string;
    keyPairName?: string;
    vpcId: string;
    subnetId: string;
    securityGroupId: string;
    availabilityZone?: string;
    enterpriseProjectId?: string;
    rootVolume?: { type?: string; size?: number };
    /** `resource_flavor` when the create named it (then `flavor` shows the same name). */
    resourceFlavor?: string;
    /** EVS ids of the disks attached to the server, ROOT first (absent in states written before volumes existed). */
    volumeIds?: string[];
    /** Attach / detach operations, newest last. */
    operations?: OperationRecord[];
    hpsClusterId?: string;
    /** SHA-256 of the user data the create read (never the data itself): what tests check arrived. */
    userDataSha256?: string;
    allowedAddressPairs?: Array<{ ip_address: string; mac_address?: string }>;
    /** `network.hyper_cluster` as created: the admin dump shows it, GET does not (not in ShowDevServerResponse). */
    hyperCluster?: { id: string; hyper_cluster_subnet_id?: string };
    privateIp: string;
    /** The settled status (the status reached when `transition` ends, if any). */
    status: string;
    transition?: Transition;
    /** When the server reached DELETED (kept for `deletedRetentionMs`). */
    deletedAt?: number;
}

export interface AutoStopConfig {
    enable: boolean;
    duration: number;
    prompt: boolean;
}

export interface NotebookRecord {
    seq: number;
    id: string;
    projectId: string;
    name: string;
    flavor: string;
    description: string;
    profileId: string;
    createdAt: number;
    updatedAt: number;
    status: string;
    transition?: Transition;
    /** The configuration stored by create/PUT; it applies from the next start. */
    autoStop: AutoStopConfig;
    /** When the instance last became RUNNING. */
    runningSince?: number;
    /** Effective automatic stop time of the current run (ms epoch), or null when none. */
    stopAt: number | null;
    failedReasons: FailedReasons | null;
    /**
     * Which API manages the instance: the legacy demanager API (`/demanager/instances`, absent =
     * demanager, as every state written before the current family existed) or the current notebooks
     * API (`/notebooks`). An instance answers only on its own family's paths.
     */
    family?: NotebookFamily;
    /** Current family only: the auto-stop lease (`lease` of the notebook body, GET/PATCH `.../lease`). */
    lease?: LeaseRecord;
    /** Current family only: the lease a pending create/start sets when the notebook becomes RUNNING. */
    nextLease?: { duration: number; type: LeaseType };
    /** Current family only: image, volume, endpoints, pool, workspace, token (model/notebookSpec.ts). */
    spec?: import("./notebookSpec").NotebookSpecRecord;
    /** Current family only: dynamically mounted storage (`/notebooks/{id}/storage`). */
    storages?: import("./notebookStorage").StorageRecord[];
}

export type NotebookFamily = "demanager" | "notebooks";
export type LeaseType = "TIMING" | "IDLE";

/** The lease as ShowLease renders it: the notebook stops at `createAt + duration` (TIMING, enabled). */
export interface LeaseRecord {
    createAt: number;
    /** Milliseconds counted from createAt; -1 when created / started with `duration=-1` (never). */
    duration: number;
    enable: boolean;
    type: LeaseType;
    updateAt: number;
}

export type FailureFamily = "devServer" | "notebook";

/** "The next `remaining` transitions of `kind` (matching project/resource) end in `status`". */
export interface FailureInjection {
    id: string;
    family: FailureFamily;
    kind: FailureKind;
    status: string;
    remaining: number;
    projectId?: string;
    resourceId?: string;
    reason?: FailedReasons;
}

export interface IssuedToken {
    token: string;
    domainId: string;
    accessKey: string;
    expiresAt: number;
}

export interface TemporaryCredential {
    access: string;
    secret: string;
    securitytoken: string;
    domainId: string;
    expiresAt: number;
}

export interface ProjectState {
    devServers: DevServerRecord[];
    notebooks: NotebookRecord[];
    /** EVS disks (absent in states written before volumes existed). */
    evsVolumes?: EvsVolumeRecord[];
    /** EIPs (absent in states written before public IPs existed). */
    publicIps?: PublicIpRecord[];
}

// ---- BSS (billing) records, per account: the model that keeps them is emulator/model/bss.ts ----

export interface PrepaidCharging {
    periodType: string;
    periodNum: number;
    isAutoPay: boolean;
    isAutoRenew: boolean;
}

export interface BssOrderRecord {
    orderId: string;
    domainId: string;
    projectId: string;
    /** 1 new purchase, 4 unsubscription (CustomerOrderV3 order_type). */
    orderType: number;
    createdAt: number;
    isAutoPay: boolean;
    /** When the order completes (auto-pay: createdAt + delay; paid by the admin API: that time). */
    completesAt?: number;
    cancelledAt?: number;
    charging?: PrepaidCharging;
    /** The server to deliver when the order completes (absent once delivered). */
    pendingServer?: DevServerRecord;
    resourceIds: string[];
}

export interface BssSubscriptionRecord {
    resourceId: string;
    domainId: string;
    projectId: string;
    orderId: string;
    resourceName: string;
    effectiveAt: number;
    expiresAt: number;
    autoRenew: boolean;
    unsubscribedAt?: number;
}

export interface BssState {
    orders: BssOrderRecord[];
    subscriptions: BssSubscriptionRecord[];
}

export interface EmulatorState {
    version: 1;
    /** BSS orders and subscriptions (emulator/model/bss.ts); absent until the first prepaid order. */
    bss?: BssState;
    seq: number;
    projects: Record<string, ProjectState>;
    failures: FailureInjection[];
    tokens: IssuedToken[];
    temporaryCredentials: TemporaryCredential[];
}

export function emptyState(): EmulatorState {
    return { version: 1, seq: 0, projects: {}, failures: [], tokens: [], temporaryCredentials: [] };
}

export function projectState(state: EmulatorState, projectId: string): ProjectState {
    let p = state.projects[projectId];
    if (!p) {
        p = { devServers: [], notebooks: [] };
        state.projects[projectId] = p;
    }
    return p;
}

export interface TransitionView {
    /** Status at `now`. */
    status: string;
    done: boolean;
    endsAt: number;
    /** Index and start time of the current step (undefined when done). */
    step?: { index: number; startedAt: number; endsAt: number };
}

/** Where a transition is at `now`. */
export function viewTransition(t: Transition, now: number): TransitionView {
    let at = t.startedAt;
    for (let i = 0; i < t.steps.length; i++) {
        const s = t.steps[i];
        const end = at + Math.max(0, s.durationMs);
        if (now < end) return { status: s.status, done: false, endsAt: transitionEnd(t), step: { index: i, startedAt: at, endsAt: end } };
        at = end;
    }
    // A finished deletion reads as DELETED, even to a caller that looks before it is settled.
    return { status: t.final === GONE ? "DELETED" : t.final, done: true, endsAt: at };
}

export function transitionEnd(t: Transition): number {
    return t.steps.reduce((at, s) => at + Math.max(0, s.durationMs), t.startedAt);
}

/**
 * Finds and consumes the first failure injection matching a transition about to start, if any.
 * Returns the failed status (and reason) the transition must end in.
 */
export function takeFailure(
    state: EmulatorState,
    family: FailureFamily,
    kind: FailureKind,
    projectId: string,
    resourceId: string,
): FailureInjection | undefined {
    const idx = state.failures.findIndex(
        (f) =>
            f.family === family &&
            f.kind === kind &&
            f.remaining > 0 &&
            (f.projectId === undefined || f.projectId === projectId) &&
            (f.resourceId === undefined || f.resourceId === resourceId),
    );
    if (idx < 0) return undefined;
    const f = state.failures[idx];
    f.remaining -= 1;
    if (f.remaining <= 0) state.failures.splice(idx, 1);
    return f;
}
