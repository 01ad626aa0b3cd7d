/**
 * One poller per client (endpoint + project + credentials) that answers many "what is server X
 * now?" questions with one list call: every resource waiting in the same provider process asks
 * here, so a thousand waiting servers cost one `GET /dev-servers?limit=1024` per sweep instead of a
 * thousand GETs, and the rate limit goes to the calls that change something.
 *
 * Only the API's own answer decides that a server is gone: a server the list does not show is
 * asked for with its own GET (whose ModelArts.6404 is the only "gone"); a list call that fails
 * fails the questions it was answering (the waiter treats that as it treats a failed GET), it
 * never answers them.
 */
import { Clock, realClock } from "../clock";
import { pollScale } from "../wait";
import type { ModelArtsClient } from "../client";
import { DEV_SERVER_PAGE_SIZE, DevServer, findDevServer, listDevServersPageUnparsed, parseDevServer } from "./devServers";

export interface PollerOptions {
    /** Questions arriving this close together share one call. */
    coalesceMs: number;
    /** Sweeps (list calls) start at most this often; a single question in between is a GET. */
    minSweepIntervalMs: number;
    /** The list page size: the API's maximum (ListDevServers: limit 0..1024). */
    pageSize: number;
    clock: Clock;
}

export function defaultPollerOptions(env: NodeJS.ProcessEnv = process.env): PollerOptions {
    const scale = pollScale(env);
    // The window stays at least 50 ms when polls are scaled down, so that waits still meet in it.
    return { coalesceMs: Math.max(50, 200 * scale), minSweepIntervalMs: 1000 * scale, pageSize: DEV_SERVER_PAGE_SIZE, clock: realClock };
}

interface Question {
    resolve: (server: DevServer | undefined) => void;
    reject: (err: unknown) => void;
}

export interface PollerCounters {
    /** List calls made by sweeps. */
    listCalls: number;
    /** Per-server GETs (single questions, servers the list did not show). */
    getCalls: number;
    /** Questions answered. */
    answered: number;
}

export class DevServerPoller {
    readonly counters: PollerCounters = { listCalls: 0, getCalls: 0, answered: 0 };
    private waiting = new Map<string, Question[]>();
    private flushScheduled = false;
    private lastSweepAt = -Infinity;
    /** Per server, what the last sweep parsed and the status / update time it had (see `sweep`). */
    private readonly lastSeen = new Map<string, { version: string; server: DevServer }>();
    /** The call under way (a sweep or a lone GET), if any: questions asked meanwhile share the next. */
    private busy?: Promise<void>;

    constructor(
        private readonly client: ModelArtsClient,
        private readonly options: PollerOptions = defaultPollerOptions(),
    ) {}

    /** The server as the API shows it now, or undefined when the API answers that it does not exist. */
    observe(id: string): Promise<DevServer | undefined> {
        return new Promise((resolve, reject) => {
            const list = this.waiting.get(id) ?? [];
            list.push({ resolve, reject });
            this.waiting.set(id, list);
            this.scheduleFlush();
        });
    }

    private scheduleFlush(): void {
        if (this.flushScheduled) return;
        this.flushScheduled = true;
        void this.options.clock.sleep(this.options.coalesceMs).then(() => this.flush());
    }

    private async flush(): Promise<void> {
        const clock = this.options.clock;
        // One call at a time, a list or a lone GET: behind a rate limit a call can wait for
        // seconds, and questions asked meanwhile then share the next call instead of each queueing
        // one of their own (queued sweeps would each carry a whole page back).
        while (this.busy) await this.busy;
        if (this.waiting.size > 1) {
            // Several questions: a sweep, but not more often than minSweepIntervalMs, and a little less
            // often the more servers wait (each sweep carries every one of them back: 1,000 waiting
            // servers sweep every 2 s, still well within 5 % of their transitions).
            const interval = this.options.minSweepIntervalMs * Math.max(1, this.waiting.size / 500);
            const wait = this.lastSweepAt + interval - clock.now();
            if (wait > 0) await clock.sleep(wait);
        }
        const batch = this.waiting;
        this.waiting = new Map();
        this.flushScheduled = false;
        if (batch.size === 0) return;
        const answered = this.answerBatch(batch);
        this.busy = answered;
        try {
            await answered;
        } finally {
            this.busy = undefined;
        }
    }

    /** Answers every question of the batch; never rejects (a failure is each question's answer). */
    private async answerBatch(batch: Map<string, Question[]>): Promise<void> {
        if (batch.size === 1) {
            const [id, questions] = [...batch][0];
            await this.answerOne(id, questions);
            return;
        }
        this.lastSweepAt = this.options.clock.now();
        let found: Map<string, DevServer>;
        try {
            found = await this.sweep(new Set(batch.keys()));
        } catch (err) {
            for (const questions of batch.values()) for (const q of questions) q.reject(err);
            return;
        }
        const missing: Array<[string, Question[]]> = [];
        for (const [id, questions] of batch) {
            const server = found.get(id);
            if (server) this.answer(questions, server);
            else missing.push([id, questions]);
        }
        // Not in the list (just created and not listed yet, just deleted, or a page that shifted):
        // only the server's own GET may say it is gone.
        await Promise.all(missing.map(([id, questions]) => this.answerOne(id, questions)));
    }

    /** Pages through the list until every wanted server was seen or the list ends. */
    /**
     * Pages through the list until every wanted server was seen or the list ends. A server whose
     * status and update time are those of the last sweep is answered with the object parsed then:
     * a thousand waiting servers do not each become a new object every sweep, only those that changed.
     */
    private async sweep(wanted: Set<string>): Promise<Map<string, DevServer>> {
        const found = new Map<string, DevServer>();
        for (let offset = 0; ; ) {
            this.counters.listCalls++;
            const page = await listDevServersPageUnparsed(this.client, offset, this.options.pageSize);
            const items = page.data ?? [];
            for (const item of items) {
                const raw = item as { id?: unknown; status?: unknown; update_at?: unknown } | null;
                if (typeof raw?.id !== "string" || !wanted.has(raw.id)) continue;
                const version = `${String(raw.status)}|${String(raw.update_at)}`;
                const seen = this.lastSeen.get(raw.id);
                const server = seen && seen.version === version ? seen.server : parseDevServer(item);
                this.lastSeen.set(raw.id, { version, server });
                found.set(raw.id, server);
            }
            offset += items.length;
            if (found.size === wanted.size || items.length === 0) break;
            if (typeof page.total === "number" ? offset >= page.total : items.length < this.options.pageSize) break;
        }
        return found;
    }

    private async answerOne(id: string, questions: Question[]): Promise<void> {
        this.counters.getCalls++;
        this.lastSeen.delete(id);
        try {
            this.answer(questions, await findDevServer(this.client, id));
        } catch (err) {
            for (const q of questions) q.reject(err);
        }
    }

    private answer(questions: Question[], server: DevServer | undefined): void {
        this.counters.answered += questions.length;
        for (const q of questions) q.resolve(server);
    }
}

/**
 * `PULUMI_MODELARTS_SHARED_POLLER=off` makes every waiting resource poll with its own GET, as
 * before the shared poller (for comparison in benchmarks, or to rule the poller out).
 */
export function pollerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
    return !/^(off|false|0|no)$/i.test(env.PULUMI_MODELARTS_SHARED_POLLER ?? "");
}

const pollers = new WeakMap<ModelArtsClient, DevServerPoller>();

/** The poller shared by every waiter of this client in this process. */
export function devServerPoller(client: ModelArtsClient): DevServerPoller {
    let poller = pollers.get(client);
    if (!poller) {
        poller = new DevServerPoller(client);
        pollers.set(client, poller);
    }
    return poller;
}
