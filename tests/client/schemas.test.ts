import {
    CreateDevServerRequestSchema,
    DEV_SERVER_STATUSES,
    DevServerListSchema,
    DevServerSchema,
    NotebookInstanceSchema,
    parseResponse,
    checkRequest,
    UpdateNotebookRequestSchema,
    ChangeDevServerOsRequestSchema,
    ReinstallDevServerOsRequestSchema,
    DevServerOperationSchema,
    DevServerPublicIpsSchema,
} from "../../provider/api";
import { ResponseShapeError, InvalidRequestError } from "../../provider/errors";
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
        ["createDevServerRequest", CreateDevServerRequestSchema],
        ["updateNotebookRequest", UpdateNotebookRequestSchema],
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

describe("request checks", () => {
    test("missing network fields are named; the password is not echoed", () => {
        expect(() =>
            checkRequest("createDevServer", CreateDevServerRequestSchema, {
                name: "x",
                flavor: "f",
                image_id: "i",
                admin_pass: 12345678,
                network: { vpc_id: "v" },
            }),
        ).toThrow(InvalidRequestError);
        try {
            checkRequest("createDevServer", CreateDevServerRequestSchema, { name: "x", flavor: "f", image_id: "i", admin_pass: 12345678, network: { vpc_id: "v" } });
        } catch (e) {
            const m = (e as Error).message;
            expect(m).toContain('field "network.subnet_id"');
            expect(m).toContain('field "admin_pass" expected string');
            expect(m).not.toContain("12345678");
        }
    });
    test("auto stop: duration range and required when enabled", () => {
        expect(UpdateNotebookRequestSchema.safeParse({ spec: { auto_stop: { enable: true } } }).success).toBe(false);
        expect(UpdateNotebookRequestSchema.safeParse({ spec: { auto_stop: { enable: true, duration: 60 } } }).success).toBe(false);
        expect(UpdateNotebookRequestSchema.safeParse({ spec: { auto_stop: { enable: true, duration: 7200, prompt: false } } }).success).toBe(true);
        expect(UpdateNotebookRequestSchema.safeParse({ description: "a<b" }).success).toBe(false);
    });
});

describe("DevServer create body: the SDK's bounds, checked before sending, naming the field", () => {
    const base = {
        name: "box",
        flavor: "Si2.large.4",
        image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
        network: { vpc_id: "v", subnet_id: "s", security_group_id: "g" },
        key_pair_name: "kp",
    };
    const refusal = (body: unknown): string => {
        try {
            checkRequest("createDevServer", CreateDevServerRequestSchema, body);
        } catch (e) {
            expect(e).toBeInstanceOf(InvalidRequestError);
            return (e as Error).message;
        }
        throw new Error("expected a refusal");
    };
    const HPS_CLUSTER = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

    test("accepted: resource_flavor instead of flavor, volumes at their bounds, HPS with key pair, address pairs, period 11", () => {
        const ok = [
            { ...base, flavor: undefined, resource_flavor: "modelarts.snt9b23" },
            { ...base, root_volume: { size: 100, type: "ESSD" }, data_volume: { size: 32768, type: "SSD", count: 8 } },
            { ...base, root_volume: { size: 1024 }, data_volume: { size: 100 } },
            { ...base, server_type: "HPS", hps_cluster_id: HPS_CLUSTER },
            { ...base, network: { ...base.network, allowed_address_pairs: [{ ip_address: "10.0.0.0/24" }, { ip_address: "10.0.1.5", mac_address: "fa:16:3e:00:00:01" }] } },
            { ...base, charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH", period_num: 11 } },
            { ...base, user_data: "IyEvYmluL2Jhc2g=" },
        ];
        for (const body of ok) expect(CreateDevServerRequestSchema.safeParse(body).success).toBe(true);
    });

    test.each([
        ["both flavor and resource_flavor", { resource_flavor: "r" }, 'field "resource_flavor" exactly one of resource_flavor and flavor'],
        ["neither flavor nor resource_flavor", { flavor: undefined }, 'field "resource_flavor" exactly one of'],
        ["root volume below 100 GB", { root_volume: { size: 99 } }, 'field "root_volume.size" is too small'],
        ["root volume above 1024 GB", { root_volume: { size: 1025 } }, 'field "root_volume.size" is too big'],
        ["root volume type unknown", { root_volume: { size: 100, type: "NVME" } }, 'field "root_volume.type" has a value outside the documented set'],
        ["data volume above 32768 GB", { data_volume: { size: 32769 } }, 'field "data_volume.size" is too big'],
        ["data volume count 9", { data_volume: { size: 100, count: 9 } }, 'field "data_volume.count" is too big'],
        ["data volume given as a list", { data_volume: [{ size: 100 }] }, 'field "data_volume" expected object'],
        ["server type unknown", { server_type: "VM" }, 'field "server_type" has a value outside the documented set'],
        ["HPS without cluster", { server_type: "HPS" }, 'field "hps_cluster_id" is required for server_type HPS'],
        ["cluster without HPS", { hps_cluster_id: HPS_CLUSTER }, 'field "hps_cluster_id" is only valid with server_type HPS'],
        ["cluster id not a UUID", { server_type: "HPS", hps_cluster_id: "cluster-1" }, 'field "hps_cluster_id" has an invalid format'],
        ["HPS with a password", { server_type: "HPS", hps_cluster_id: HPS_CLUSTER, key_pair_name: undefined, admin_pass: "Pa55word!x" }, 'field "admin_pass" is not supported for server_type HPS'],
        ["password and key pair", { admin_pass: "Pa55word!x" }, 'field "admin_pass" conflicts with key_pair_name'],
        ["neither password nor key pair", { key_pair_name: undefined }, 'field "key_pair_name" is required'],
        ["period 12", { charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH", period_num: 12 } }, 'field "charging_info.period_num" is too big'],
        ["period 0", { charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH", period_num: 0 } }, 'field "charging_info.period_num" is too small'],
        ["address pair without ip", { network: { ...base.network, allowed_address_pairs: [{ mac_address: "m" }] } }, 'field "network.allowed_address_pairs[0].ip_address" expected string'],
        ["address pair 0.0.0.0/0", { network: { ...base.network, allowed_address_pairs: [{ ip_address: "0.0.0.0/0" }] } }, "must not be 0.0.0.0/0"],
        ["two different user data", { userdata: "YQ==", user_data: "Yg==" }, 'field "user_data" differs from userdata'],
    ])("%s", (_what, change, expected) => {
        const msg = refusal({ ...base, ...change });
        expect(msg).toContain("createDevServer");
        expect(msg).toContain(expected);
        expect(msg).not.toContain("Pa55word!x");
    });
});

describe("DevServer OS and operation bodies", () => {
    test("changeos needs image_id and exactly one login; reinstallos takes no image; user_data is never echoed", () => {
        const secret = "Ch4nge-Me-Now";
        const udata = "c2VjcmV0LXVzZXItZGF0YQ==";
        expect(ChangeDevServerOsRequestSchema.safeParse({ image_id: "i", key_pair_name: "kp", user_data: udata }).success).toBe(true);
        expect(ReinstallDevServerOsRequestSchema.safeParse({ admin_pass: secret }).success).toBe(true);
        for (const [schema, body, field] of [
            [ChangeDevServerOsRequestSchema, { admin_pass: secret, user_data: udata }, 'field "image_id" expected string'],
            [ChangeDevServerOsRequestSchema, { image_id: "i", admin_pass: secret, key_pair_name: "kp", user_data: udata }, 'field "admin_pass" conflicts'],
            [ReinstallDevServerOsRequestSchema, { user_data: udata }, 'field "key_pair_name" is required'],
            [ReinstallDevServerOsRequestSchema, { admin_pass: 42, user_data: udata }, 'field "admin_pass" expected string'],
        ] as const) {
            let msg = "";
            try {
                checkRequest("changeDevServerOs", schema, body);
            } catch (e) {
                expect(e).toBeInstanceOf(InvalidRequestError);
                msg = (e as Error).message;
            }
            expect(msg).toContain(field);
            expect(msg).not.toContain(secret);
            expect(msg).not.toContain(udata);
        }
    });

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
