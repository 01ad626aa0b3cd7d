import { signRequest } from "../../provider/client/signer";
import { encodePathSegment } from "../../provider/client";
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

const AK = "HPUAEXAMPLEAK0000001";
const SK = "Sk3xampleSecretKey0000000000000000000001";
const DATE = "20240521T101112Z";
const HOST = "modelarts.cn-north-4.myhuaweicloud.com";

interface Case {
    name: string;
    method: string;
    wirePath: string;
    query?: Record<string, string | string[]>;
    body?: unknown;
    headers?: Record<string, string>;
}

const cases: Case[] = [
    { name: "GET list", method: "GET", wirePath: "/v1/p1/dev-servers", query: { limit: "50", offset: "0" } },
    { name: "GET detail", method: "GET", wirePath: "/v1/p1/dev-servers/62383738-e52a-450a-9f84-f9e705402be8" },
    { name: "DELETE", method: "DELETE", wirePath: "/v1/p1/dev-servers/abc" },
    { name: "PUT stop no body", method: "PUT", wirePath: "/v1/p1/dev-servers/abc/stop" },
    { name: "PUT start {}", method: "PUT", wirePath: "/v1/p1/dev-servers/abc/start", body: {} },
    {
        name: "POST create unicode body",
        method: "POST",
        wirePath: "/v1/p1/dev-servers",
        body: { name: "box-ü-日本", admin_pass: "P@ss/\"w0rd\\", network: { vpc_id: "v", subnet_id: "s", security_group_id: "g" } },
    },
    { name: "escaped path", method: "GET", wirePath: `/v1/p1/dev-servers/${encodePathSegment("a b/ü+%~*'()!")}` },
    { name: "escaped path, emoji and id chars", method: "DELETE", wirePath: `/v1/p1/dev-servers/${encodePathSegment("DE-7d558ef8_😀.x")}/stop` },
    { name: "trailing slash", method: "GET", wirePath: "/v1/p1/dev-servers/" },
    {
        name: "query repeated/unicode/reserved",
        method: "GET",
        wirePath: "/v1/p1/dev-servers",
        query: { name: "a b&c=d/ü", tag: ["z", "a", "m"], "k~y": "*'()!", empty: "" },
    },
    {
        name: "temporary creds + project header",
        method: "PUT",
        wirePath: "/v1/p1/demanager/instances/DE-1",
        body: { description: "x", spec: { auto_stop: { enable: true, duration: 3600 } } },
        headers: { "X-Security-Token": "tok3n/with+chars==", "X-Project-Id": "p1", "Content-Type": "application/json" },
    },
    { name: "project header only", method: "GET", wirePath: "/v1/p1/dev-servers", headers: { "X-Project-Id": "p1" } },
    { name: "POST emoji body", method: "POST", wirePath: "/v1/p1/dev-servers", body: { userdata: "😀 line\nnext" }, headers: { "Content-Type": "application/json" } },
];

describe("signer matches the official SDK core (AKSKSigner)", () => {
    for (const c of cases) {
        test(c.name, () => {
            const headers = { ...(c.headers ?? {}), "X-Sdk-Date": DATE };
            const reference = AKSKSigner.sign(
                { method: c.method, endpoint: `https://${HOST}${c.wirePath}`, headers: { ...headers }, queryParams: c.query ?? {}, data: c.body },
                { getAk: () => AK, getSk: () => SK },
            );
            const ours = signRequest({
                method: c.method,
                wirePath: c.wirePath,
                query: c.query,
                headers: { ...headers, host: HOST },
                body: c.body === undefined ? undefined : JSON.stringify(c.body),
                accessKey: AK,
                secretKey: SK,
            });
            expect(ours.Authorization).toBe(reference.Authorization);
        });
    }
});
