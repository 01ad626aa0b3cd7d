import { EmulatorState } from "./state";

export interface DevServerTimings {
    create: number;
    start: number;
    stop: number;
    delete: number;
    /** REBOOTING; default 3000. */
    reboot?: number;
    /** CHANGINGOS; default 5000. */
    changeos?: number;
    /** REINSTALLINGOS; default 5000. */
    reinstallos?: number;
    /** An attach / detach operation: `pending` this long, then `running` as long again; default 1000. */
    operation?: number;
    /**
     * Spread of every DevServer transition around its nominal time, as a fraction (0.2: +/- 20 %),
     * drawn per server name and transition kind from `spreadSeed`: the same names give the same
     * times in every run (benchmarks). Default 0: exact times.
     */
    spread?: number;
    spreadSeed?: number;
}

export interface NotebookTimings {
    create: number;
    start: number;
    stop: number;
    delete: number;
    /** Time spent in CREATE_QUEUING / START_QUEUING before CREATING / STARTING; 0 = no queuing. */
    queue: number;
}

export interface BssTimings {
    /** How long an auto-paid order stays processing (3) before it completes (5) and the server appears. */
    orderComplete: number;
}

export interface Timings {
    devServer: DevServerTimings;
    notebook: NotebookTimings;
    /** BSS orders (emulator/model/bss.ts); default DEFAULT_BSS_TIMINGS. */
    bss?: BssTimings;
}

/** What the models need from their surroundings: the state, the clock, the live configuration. */
export interface ModelContext {
    readonly state: EmulatorState;
    now(): number;
    timings(): Timings;
    /** How long a deleted DevServer is still returned with status DELETED before it is not found. */
    deletedRetentionMs(): number;
    /** Answer a missing resource with HTTP 400 and its ModelArts code, as the real API does (default). */
    notFoundAs400(): boolean;
    /** The key DevServer create reads user data from (EmulatorConfig.createUserDataKey). */
    createUserDataKey(): "user_data" | "userdata";
    /** Called after every mutation (persists the state). */
    mutated(): void;
}
