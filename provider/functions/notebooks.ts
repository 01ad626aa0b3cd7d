/**
 * Notebooks as a NotebookAutoStop needs them: the instances of both API families (current
 * `/notebooks` and legacy demanager), and one looked up by name, each with its id, status and
 * current auto-stop policy. Calls: provider/api/notebooks/ (one list per family).
 */
import { z } from "zod";
import type { ModelArtsClient } from "../client";
import { gatewayCode, ModelArtsApiError, ModelArtsError } from "../errors";
import { log } from "../log";
import { CurrentNotebook, Lease, listCurrentNotebooks, listDemanagerInstances, NotebookInstance } from "../api/notebooks";
import { oneOf, text } from "./common";
import { defineFunction } from "./define";

const FAMILIES = ["notebooks", "demanager"] as const;
type Family = (typeof FAMILIES)[number];

const autoStop = z.object({
    enabled: z.boolean().describe("Whether the notebook stops by itself."),
    duration: z
        .number()
        .optional()
        .describe("Seconds of running time before it stops, as NotebookAutoStop's `duration` declares it (current API: from the lease's last renewal to its stop time)."),
    type: z.string().optional().describe("Current API: `TIMING` or `IDLE`."),
    prompt: z.boolean().optional().describe("demanager: whether the console reminds before stopping."),
    stopAt: z.string().optional().describe("When the running notebook stops (ISO 8601), when known."),
});

const notebook = z.object({
    id: z.string().describe("The instance ID: what a NotebookAutoStop's `instanceId` takes."),
    name: z.string().optional().describe("The instance name."),
    status: z.string().optional().describe("The instance status, e.g. `RUNNING` or `STOPPED`."),
    api: z.string().describe("The API family that serves it: `notebooks` (current) or `demanager` (legacy); NotebookAutoStop's `api`."),
    flavor: z.string().optional().describe("The instance's flavor."),
    autoStop: autoStop.describe("Its auto-stop policy now."),
});
type Notebook = z.infer<typeof notebook>;

const api = oneOf("api", FAMILIES, "Only this API family: `notebooks` (current) or `demanager` (legacy). Default: both.");
const status = text("status", "Only instances in this status, e.g. `RUNNING`.", 64);

const iso = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms).toISOString());

function fromCurrent(nb: CurrentNotebook): Notebook {
    const l: Partial<Lease> = nb.lease ?? {};
    const stopMs = l.enable && typeof l.duration === "number" && l.duration > 0 && typeof l.create_at === "number" ? l.create_at + l.duration : undefined;
    const from = l.update_at ?? l.create_at;
    const duration = stopMs !== undefined && from !== undefined ? Math.round((stopMs - from) / 1000) : undefined;
    return {
        id: nb.id,
        name: nb.name,
        status: nb.status,
        api: "notebooks",
        flavor: nb.flavor,
        autoStop: { enabled: l.enable === true, duration, type: l.type?.toUpperCase(), stopAt: iso(stopMs) },
    };
}

function fromDemanager(nb: NotebookInstance): Notebook {
    const a: { enable?: boolean; duration?: number; prompt?: boolean; stop_timestamp?: number } = nb.spec?.auto_stop ?? {};
    return {
        id: nb.id,
        name: nb.name,
        status: nb.status,
        api: "demanager",
        flavor: nb.flavor,
        autoStop: { enabled: a.enable === true, duration: a.duration, prompt: a.prompt, stopAt: a.enable ? iso(a.stop_timestamp) : undefined },
    };
}

/** A gateway's "no such API" (APIG(W).0101): the family is not published at an endpoint that answered the other one. */
function notServed(err: unknown): boolean {
    return err instanceof ModelArtsApiError && err.status === 404 && gatewayCode(err.errorCode) === "0101";
}

/**
 * The notebooks of the chosen families; `name` filters by containment, as the current API's name
 * filter does. Without `api`, a demanager list the endpoint does not publish (while the current
 * one answered) is a family this region lacks: skipped, with a warning. Any other error stands.
 */
async function listBoth(client: ModelArtsClient, args: { api?: Family; name?: string; status?: string }): Promise<Notebook[]> {
    const out: Notebook[] = [];
    if (args.api !== "demanager") {
        const current = await listCurrentNotebooks(client, { name: args.name, status: args.status });
        out.push(...current.map(fromCurrent));
    }
    if (args.api !== "notebooks") {
        try {
            const legacy = await listDemanagerInstances(client, { status: args.status });
            out.push(...legacy.map(fromDemanager));
        } catch (err) {
            if (args.api === "demanager" || !notServed(err)) throw err;
            log.warn(`the legacy demanager API is not published at this endpoint (${(err as ModelArtsApiError).errorCode}): listing the current notebooks API only`);
        }
    }
    // The service filters the current list already; checked again so that a filter it ignores still holds.
    return out.filter(
        (nb) => (args.name === undefined || (nb.name ?? "").includes(args.name)) && (args.status === undefined || nb.status?.toUpperCase() === args.status.toUpperCase()),
    );
}

export const getNotebooks = defineFunction({
    name: "getNotebooks",
    description:
        "The notebook instances of the project in both API families (current `/notebooks` and legacy demanager), each with its id, " +
        "status and current auto-stop policy; filtered by name (containing), status and family.",
    args: { name: text("name", "Only instances whose name contains this.", 128), status, api },
    result: { notebooks: z.array(notebook).describe("The matching instances: the current API's first, then demanager's.") },
    async run(args, { client }) {
        return { notebooks: await listBoth(client, args) };
    },
});

export const getNotebook = defineFunction({
    name: "getNotebook",
    description:
        "One notebook instance, looked up by its exact name (or by id) in either API family: its id, status, family and current " +
        "auto-stop policy. Fails when no instance, or more than one, has that name.",
    args: {
        name: text("name", "The instance's exact name.", 128),
        id: text("id", "The instance's id, instead of its name.", 64),
        api,
    },
    refine(args, ctx) {
        if ((args.name === undefined) === (args.id === undefined)) {
            ctx.addIssue({ code: "custom", path: ["name"], message: "set exactly one of name and id: the instance's exact name, or its id" });
        }
    },
    result: notebook.shape,
    async run(args, { client, cfg }) {
        const all = await listBoth(client, { api: args.api, name: args.name });
        const found = all.filter((nb) => (args.id !== undefined ? nb.id === args.id : nb.name === args.name));
        const what = args.id !== undefined ? `with id ${JSON.stringify(args.id)}` : `named ${JSON.stringify(args.name)}`;
        const where = `in region ${cfg.region}, project ${cfg.projectId}${args.api ? `, API ${args.api}` : ""}`;
        if (found.length === 0) {
            throw new ModelArtsError(`getNotebook: no notebook instance ${what} ${where}; getNotebooks lists the instances there`);
        }
        if (found.length > 1) {
            throw new ModelArtsError(
                `getNotebook: ${found.length} notebook instances are ${what} ${where} (${found.map((nb) => `${nb.id} (${nb.api})`).join(", ")}); ` +
                    "look it up by id, or narrow it down with api",
            );
        }
        return found[0];
    },
});
