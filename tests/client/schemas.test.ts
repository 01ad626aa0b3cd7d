import {
    DEV_SERVER_STATUSES,
    DevServerListSchema,
    DevServerSchema,
    NotebookInstanceSchema,
    parseResponse,
    DevServerOperationSchema,
    DevServerPublicIpsSchema,
} from "../../provider/api";
import { ResponseShapeError } from "../../provider/errors";
const seeds = require("./fixtures/seedExamples.json");

/** The body with every `null` removed: the schemas read null as "absent". */
function withoutNulls(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(withoutNulls);
    if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
        return out;
    }
    return v;
}
const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));

describe("seed example bodies parse without loss", () => {
    test.each([
        ["createDevServerResponse", DevServerSchema],
        ["stopDevServerResponse", DevServerSchema],
        ["deleteDevServerResponse", DevServerSchema],
        ["getNotebookResponse", NotebookInstanceSchema],
        ["updateNotebookResponse", NotebookInstanceSchema],
    ] as const)("%s", (name, schema) => {
        const body = seeds[name];
        const parsed = (schema as any).parse(body);
        expect(withoutNulls(roundTrip(parsed))).toEqual(withoutNulls(body));
    });

    test("the notebook's extend_storage (undocumented) and nested fields are kept", () => {
        const nb = NotebookInstanceSchema.parse(seeds.getNotebookResponse);
        expect(nb.spec?.auto_stop?.duration).toBe(3600);
        expect(nb.profile?.provision?.spec?.params?.image_tag).toBe("2.0.5-B003");
        expect(nb.flavor_details?.params).toEqual({ CPU: 8, GPU: 1, gpu_type: "v100NV32", memory: "64GiB" });
        expect(nb.spec?.annotations?.target_domain).toBe("https://xxx");
        expect(nb.spec).toHaveProperty("extend_storage", null);
    });
});

describe("DevServer responses", () => {
    const full = {
        id: "62383738-e52a-450a-9f84-f9e705402be8",
        name: "box",
        status: "REBOOTING",
        category: "HPS",
        server_hps: { id: "h", name: "hps-1" },
        cloud_server: { id: "c", type: "HPS", hps_id: "x", hps_ecs_id: "y" },
        endpoints: [{ dev_service: "SSH", service: "SSH", uri: "10.0.0.2", key_pair_names: ["kp"] }],
        endpoints_response: [{ dev_service: "WEB_IDE", extensions: { a: "b" }, ssh_keys: [] }],
        server_image_response: { arch: "ARM", image_id: "i", name: "n", server_type: "BMS", status: "ACTIVE" },
        image: { arch: "X86" },
        subnet_id: "s",
        vpc_id: "v",
        order_id: "o",
        key_pair_name: "kp",
        charging_mode: "PRE_PAID",
        create_at: 1,
        update_at: 2,
        brand_new_field: { nested: [1, 2] },
    };
    test("every documented field and unknown ones are kept", () => {
        expect(roundTrip(DevServerSchema.parse(full))).toEqual(full);
    });
    test("unknown statuses are accepted; all documented statuses are known", () => {
        expect(DevServerSchema.parse({ ...full, status: "HIBERNATING" }).status).toBe("HIBERNATING");
        expect(DEV_SERVER_STATUSES).toEqual(
            expect.arrayContaining(["REBOOTING", "REBOOT_FAILED", "CHANGINGOS", "CHANGINGOS_FAILED", "REINSTALLINGOS", "REINSTALLINGOS_FAILED", "ERROR", "DELETED"]),
        );
        expect(DEV_SERVER_STATUSES).toHaveLength(18);
    });
    test("list", () => {
        const list = DevServerListSchema.parse({ data: [full], total: 1 });
        expect(list.data?.[0].id).toBe(full.id);
    });
    test("a bad body names the call and the field, never the value", () => {
        let err: unknown;
        try {
            parseResponse("getDevServer", DevServerSchema, { id: 42, name: "S3cretValue!", cloud_server: { type: 7 } });
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(ResponseShapeError);
        const msg = (err as Error).message;
        expect(msg).toContain("getDevServer");
        expect(msg).toContain('field "id" expected string');
        expect(msg).toContain('field "cloud_server.type" expected string');
        expect(msg).not.toContain("42");
    });
});

// Request bodies are built from the field tables and their values checked there, at check:
// tests/unit/devServerWire.test.ts, tests/unit/notebookAutoStopWire.test.ts.

describe("DevServer operation bodies", () => {
    test("responses keep unknown fields: operations, public IPs, volumes, resource_flavor", () => {
        const op = { operation_id: "o", operation_status: "failed", operation_type: "node_attach_volume", operation_error: { code: "X.1", message: "m", extra: 1 }, new_field: [1] };
        expect(roundTrip(DevServerOperationSchema.parse(op))).toEqual(op);
        const ips = { public_ips: [{ id: "e", address: "1.2.3.4", bandwidth: 5 }], total: 1 };
        expect(roundTrip(DevServerPublicIpsSchema.parse(ips))).toEqual(ips);
        const server = {
            id: "s",
            resource_flavor: "rf",
            volumes: [
                { size: 100, type: "ROOT", evs_type: "ESSD", evs_id: "a", device: "/dev/vda" },
                { size: 200, type: "DATA", evs_type: "SSD", evs_id: "b" },
            ],
        };
        expect(roundTrip(DevServerSchema.parse(server))).toEqual(server);
    });
});
