/**
 * The emulator's surface: where it listens, who may use the admin API, and that one project can
 * neither see, change nor delete another project's DevServer — straight over signed HTTP, and
 * through the provider host configured for the other tenant.
 */
import * as net from "net";
import * as os from "os";
import { ADMIN_PREFIX } from "../../emulator";
import { EmulatorClient } from "../helpers/emulatorClient";
import { attempt, Ctx, DEV_URN, program } from "./context";

export interface SurfaceRow {
    id: string;
    scenario: string;
    expected: string;
    /** Performs the check, throws when it does not hold, returns the observed text. */
    run: (s: SurfaceFixture) => Promise<string>;
}

export interface SurfaceFixture {
    ctx: Ctx;
    /** A RUNNING DevServer of tenant A, project A1. */
    victimId: string;
    victimName: string;
    a: EmulatorClient; // tenant A, project A1
    a2: EmulatorClient; // tenant A, project A2
    b: EmulatorClient; // tenant B, project B1
}

function must(cond: boolean, message: string): void {
    if (!cond) throw new Error(message);
}

async function victimUnchanged(s: SurfaceFixture): Promise<string> {
    const v = await s.ctx.server(s.victimId);
    must(!!v && v.name === s.victimName && v.status === "RUNNING", `tenant A's server changed: ${JSON.stringify(v && { name: v.name, status: v.status })}`);
    return "A's server unchanged (RUNNING, same name)";
}

function adminUrl(s: SurfaceFixture, path = "/state"): string {
    return `${ADMIN_PREFIX}${path}`;
}

function nonLoopbackAddress(): string | undefined {
    for (const list of Object.values(os.networkInterfaces())) {
        for (const i of list ?? []) if (i.family === "IPv4" && !i.internal) return i.address;
    }
    return undefined;
}

function tryConnect(host: string, port: number): Promise<"connected" | string> {
    return new Promise((resolve) => {
        const sock = net.connect({ host, port });
        const done = (r: string) => {
            sock.destroy();
            resolve(r);
        };
        sock.setTimeout(1000, () => done("timeout"));
        sock.once("connect", () => done("connected"));
        sock.once("error", (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    });
}

export const SURFACE_ROWS: SurfaceRow[] = [
    {
        id: "S01",
        scenario: "default listen address",
        expected: "127.0.0.1 only; not reachable on a non-loopback interface",
        run: async (s) => {
            must(new URL(s.ctx.emu.url).hostname === "127.0.0.1", `emulator URL is ${s.ctx.emu.url}`);
            const ext = nonLoopbackAddress();
            if (!ext) return "URL is 127.0.0.1 (no non-loopback interface on this machine to probe)";
            const r = await tryConnect(ext, s.ctx.emu.port);
            must(r !== "connected", `reachable on ${ext}`);
            return `URL http://127.0.0.1:…; connecting via ${ext}: ${r}`;
        },
    },
    {
        id: "S02",
        scenario: "admin API without the admin token",
        expected: "401",
        run: async (s) => {
            const r = await s.a.call({ method: "GET", path: adminUrl(s), accessKey: null });
            must(r.status === 401, `status ${r.status}`);
            must(!/devServers/.test(r.text), "state leaked in the body");
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S03",
        scenario: "admin API with a wrong admin token",
        expected: "401",
        run: async (s) => {
            const r = await s.a.call({ method: "GET", path: adminUrl(s), accessKey: null, headers: { "X-Emulator-Admin-Token": "0".repeat(32) } });
            must(r.status === 401, `status ${r.status}`);
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S04",
        scenario: "admin API with a valid tenant AK/SK signature (GET state)",
        expected: "403: tenant credentials refused",
        run: async (s) => {
            const r = await s.a.call({ method: "GET", path: adminUrl(s) });
            must(r.status === 403, `status ${r.status}`);
            must(!/devServers/.test(r.text), "state leaked in the body");
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S05",
        scenario: "admin API with a tenant signature trying to inject a fault / wipe the state",
        expected: "403 for both; no fault added, state intact",
        run: async (s) => {
            const f = await s.b.call({ method: "POST", path: adminUrl(s, "/faults"), body: { kind: "status", status: 500 } });
            const d = await s.b.call({ method: "DELETE", path: adminUrl(s, "/state") });
            must(f.status === 403 && d.status === 403, `statuses ${f.status}/${d.status}`);
            must((await s.ctx.emu.admin.faults()).length === 0, "a fault rule was added");
            await victimUnchanged(s);
            return `${f.status}/${d.status}; no fault rule, state intact`;
        },
    },
    {
        id: "S06",
        scenario: "admin API with a tenant X-Auth-Token",
        expected: "403",
        run: async (s) => {
            const { token } = await s.ctx.emu.admin.issueToken({});
            const r = await s.a.call({ method: "GET", path: adminUrl(s), authToken: token });
            must(r.status === 403, `status ${r.status}`);
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S07",
        scenario: "unsigned request to the tenant API",
        expected: "401, nothing listed",
        run: async (s) => {
            const r = await s.a.call({ method: "GET", path: `/v1/${s.ctx.emu.projectId}/dev-servers`, accessKey: null });
            must(r.status === 401, `status ${r.status}`);
            must(!r.text.includes(s.victimId), "server listed");
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S08",
        scenario: "request signed with the wrong secret key",
        expected: "401",
        run: async (s) => {
            const r = await s.a.call({ method: "GET", path: `/v1/${s.ctx.emu.projectId}/dev-servers/${s.victimId}`, secretKey: "not-the-secret-key" });
            must(r.status === 401, `status ${r.status}`);
            must(!r.text.includes(s.victimName), "server details leaked");
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S09",
        scenario: "tenant B reads A's DevServer through A's project path",
        expected: "403 (project not of B's domain), no details",
        run: async (s) => {
            const r = await s.b.call({ method: "GET", path: `/v1/${s.ctx.emu.projectId}/dev-servers/${s.victimId}` });
            must(r.status === 403, `status ${r.status}`);
            must(!r.text.includes(s.victimName), "server details leaked");
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S10",
        scenario: "tenant B reads A's DevServer id through its own project",
        expected: "not found",
        run: async (s) => {
            const r = await s.b.get(`/dev-servers/${s.victimId}`);
            must(r.status === 404 || (r.status === 400 && r.body?.error_code === "ModelArts.6404"), `status ${r.status}`);
            must(!r.text.includes(s.victimName), "server details leaked");
            return `${r.status} ${r.body?.error_code ?? ""}`;
        },
    },
    {
        id: "S11",
        scenario: "tenant B lists DevServers",
        expected: "A's server not listed",
        run: async (s) => {
            const r = await s.b.get(`/dev-servers`, { limit: "100", offset: "0" });
            must(r.status === 200, `status ${r.status}`);
            must(!r.text.includes(s.victimId), "A's server listed to B");
            return `${r.status}, ${r.body?.data?.length ?? "?"} servers, none of A's`;
        },
    },
    {
        id: "S12",
        scenario: "tenant B renames, stops and deletes A's DevServer (both project paths)",
        expected: "every call refused (403 / not found); A's server unchanged",
        run: async (s) => {
            const statuses: number[] = [];
            for (const project of [s.ctx.emu.projectId, s.ctx.emu.tenants[1].projects[0].id]) {
                const base = `/v1/${project}/dev-servers/${s.victimId}`;
                statuses.push((await s.b.call({ method: "PUT", path: base, body: { name: "hijacked" } })).status);
                statuses.push((await s.b.call({ method: "PUT", path: `${base}/stop`, body: {} })).status);
                statuses.push((await s.b.call({ method: "DELETE", path: base })).status);
            }
            must(statuses.every((c) => c === 403 || c === 404 || c === 400), `statuses ${statuses.join(",")}`);
            return `${statuses.join(",")}; ${await victimUnchanged(s)}`;
        },
    },
    {
        id: "S13",
        scenario: "same tenant, other project (A2) reads and deletes A1's DevServer",
        expected: "not found; projects isolated within a domain",
        run: async (s) => {
            const g = await s.a2.get(`/dev-servers/${s.victimId}`);
            const d = await s.a2.call({ method: "DELETE", path: `/v1/${s.ctx.emu.tenants[0].projects[1].id}/dev-servers/${s.victimId}` });
            must([404, 400].includes(g.status) && [404, 400].includes(d.status), `statuses ${g.status}/${d.status}`);
            return `${g.status}/${d.status}; ${await victimUnchanged(s)}`;
        },
    },
    {
        id: "S14",
        scenario: "provider host configured for tenant B: refresh, update and destroy of A's id",
        expected: "A's server neither shown nor changed nor deleted",
        run: async (s) => {
            const ctx = s.ctx;
            const b = ctx.emu.tenants[1];
            const hostB = await ctx.startHost({}, ctx.stackConfig({
                "huaweicloud:projectId": b.projects[0].id,
                "huaweicloud:accessKey": b.accessKey,
                "huaweicloud:secretKey": b.secretKey,
            }));
            try {
                const props = { ...ctx.tracked.get(s.victimId)!, projectId: b.projects[0].id };
                const read = await attempt(ctx, () => hostB.read(DEV_URN, s.victimId, props));
                must(read.ok && read.value.id === "", "tenant B's refresh saw A's server");
                const upd = await attempt(ctx, () => hostB.update(DEV_URN, s.victimId, props, ctx.dev(program({ name: "hijacked", powerState: "STOPPED" }))));
                must(!upd.ok, "tenant B's update succeeded");
                const del = await attempt(ctx, () => hostB.delete(DEV_URN, s.victimId, props));
                return `refresh: not found; update: ${upd.ok ? "ok" : "refused"}; destroy: ${del.ok ? "no-op (not found)" : "refused"}; ${await victimUnchanged(s)}`;
            } finally {
                await ctx.closeHost(hostB);
            }
        },
    },
];

export async function surfaceFixture(ctx: Ctx): Promise<SurfaceFixture> {
    const [ta, tb] = ctx.emu.tenants;
    const created = await ctx.host.create(DEV_URN, ctx.dev(program({ name: "victim-a" })));
    ctx.tracked.set(created.id, created.properties);
    return {
        ctx,
        victimId: created.id,
        victimName: "victim-a",
        a: new EmulatorClient(ctx.emu.url, { accessKey: ta.accessKey, secretKey: ta.secretKey }, ta.projects[0].id),
        a2: new EmulatorClient(ctx.emu.url, { accessKey: ta.accessKey, secretKey: ta.secretKey }, ta.projects[1].id),
        b: new EmulatorClient(ctx.emu.url, { accessKey: tb.accessKey, secretKey: tb.secretKey }, tb.projects[0].id),
    };
}

