/**
 * The DevServer's field table on the API's wire (each field's `wire` option): the request bodies
 * built from the inputs, the inputs read back from a server, the identity comparisons, and every
 * rule of a body refused at check, naming the input as the user wrote it.
 */
import { checkInputs } from "../../provider/resources/common";
import { devServerShape, DevServerInputs } from "../../provider/resources/devServer/fields";
import { createRequest, reportedInputs, requestOf } from "../../provider/resources/devServer/live";
import { identityMismatches, refreshedInputs } from "../../provider/resources/wire";
const seeds = require("../client/fixtures/seedExamples.json");

const IDS = {
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
};
const HPS_CLUSTER = "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

function checked(declared: Record<string, unknown>): DevServerInputs {
    const { inputs, failures } = checkInputs(devServerShape, declared);
    expect(failures).toEqual([]);
    return inputs;
}

describe("request bodies come from the table", () => {
    test("the reference's create example (seed 002) is what its inputs send", () => {
        const inputs = checked({ name: "EI-evs-1107", flavor: "Si2.large.4", ...IDS, adminPass: "@DevServer" });
        expect(createRequest(inputs)).toEqual(seeds.createDevServerRequest);
    });

    test("every create input lands where ServerCreateRequest reads it", () => {
        const inputs = checked({
            name: "box",
            resourceFlavor: "modelarts.snt9b23",
            ...IDS,
            ipv6Enable: true,
            roceId: "roce-1",
            hyperClusterId: "hc-1",
            hyperClusterSubnetId: "hc-subnet-1",
            allowedAddressPairs: [{ ipAddress: "10.0.0.0/24" }, { ipAddress: "10.0.1.5", macAddress: "fa:16:3e:00:00:01" }],
            keyPairName: "kp",
            arch: "ARM",
            serverType: "BMS",
            availabilityZone: "cn-north-4a",
            enterpriseProjectId: "0",
            rootVolume: { size: 100, type: "ESSD" },
            dataVolume: { size: 200, type: "SSD", count: 2 },
            userData: "IyEvYmluL2Jhc2g=",
            chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1, isAutoRenew: true },
            publicIpId: "eip-1",
            attachedVolumeIds: ["v-1"],
        });
        expect(createRequest(inputs)).toEqual({
            name: "box",
            resource_flavor: "modelarts.snt9b23",
            image_id: IDS.imageId,
            network: {
                vpc_id: IDS.vpcId,
                subnet_id: IDS.subnetId,
                security_group_id: IDS.securityGroupId,
                ipv6_enable: true,
                roce_id: "roce-1",
                hyper_cluster: { id: "hc-1", hyper_cluster_subnet_id: "hc-subnet-1" },
                allowed_address_pairs: [{ ip_address: "10.0.0.0/24" }, { ip_address: "10.0.1.5", mac_address: "fa:16:3e:00:00:01" }],
            },
            key_pair_name: "kp",
            arch: "ARM",
            server_type: "BMS",
            availability_zone: "cn-north-4a",
            enterprise_project_id: "0",
            root_volume: { size: 100, type: "ESSD" },
            data_volume: { size: 200, type: "SSD", count: 2 },
            // The key the create reads is unconfirmed: both, equal.
            userdata: "IyEvYmluL2Jhc2g=",
            user_data: "IyEvYmluL2Jhc2g=",
            // isAutoPay defaults to true (the order is paid at once, as Terraform does).
            charging_info: { charging_mode: "PRE_PAID", period_type: "MONTH", period_num: 1, is_auto_pay: true, is_auto_renew: true },
        });
    });

    test("pay-per-use without a period sends no charging_info (the API requires a period when it is sent)", () => {
        const inputs = checked({ name: "box", resourceFlavor: "f", ...IDS, keyPairName: "kp", chargingInfo: { chargingMode: "POST_PAID" } });
        expect(createRequest(inputs)).not.toHaveProperty("charging_info");
    });

    test("change OS carries the image, the login and user_data; reinstall keeps the image", () => {
        const inputs = checked({ name: "box", resourceFlavor: "f", ...IDS, adminPass: "Pa55word!x", userData: "dWQ=" });
        expect(requestOf("changeOs", inputs)).toEqual({ image_id: IDS.imageId, admin_pass: "Pa55word!x", user_data: "dWQ=" });
        expect(requestOf("reinstallOs", inputs)).toEqual({ admin_pass: "Pa55word!x", user_data: "dWQ=" });
    });
});

describe("reported inputs come from the table", () => {
    const server = {
        id: "s",
        name: "box",
        status: "CREATING",
        flavor: "Si2.large.4",
        server_image_response: { image_id: IDS.imageId, arch: "X86", server_type: "ECS" },
        cloud_server: { type: "BMS" },
        vpc_id: IDS.vpcId,
        subnet_id: IDS.subnetId,
        key_pair_name: "kp",
        charging_mode: "POST_PAID",
    };

    test("each input from where the API reports it; a transitional status is no power state", () => {
        expect(reportedInputs(server as never)).toEqual({
            name: "box",
            resourceFlavor: "Si2.large.4",
            imageId: IDS.imageId,
            vpcId: IDS.vpcId,
            subnetId: IDS.subnetId,
            keyPairName: "kp",
            arch: "X86",
            serverType: "BMS",
            chargingInfo: { chargingMode: "POST_PAID" },
        });
        expect(reportedInputs({ ...server, status: "STOPPED", resource_flavor: "rf", image: { image_id: "other" } } as never)).toMatchObject({
            powerState: "STOPPED",
            resourceFlavor: "rf",
            imageId: "other",
        });
    });

    test("a refresh keeps the record's names (the deprecated flavor) and merges the billing mode into the declared billing", () => {
        const recorded = { name: "old", flavor: "Si2.large.4", chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1 } };
        const refreshed = refreshedInputs(devServerShape, recorded, { name: "box", resourceFlavor: "Si2.large.8", chargingInfo: { chargingMode: "POST_PAID" } });
        expect(refreshed).toEqual({ name: "box", flavor: "Si2.large.8", chargingInfo: { chargingMode: "POST_PAID", periodType: "MONTH", periodNum: 1 } });
    });

    test("identity: a lost create compares the name too, adopting does not; each difference named as declared", () => {
        const declared = { name: "mine", flavor: "Si2.large.8", vpcId: IDS.vpcId, chargingInfo: { chargingMode: "PRE_PAID" }, powerState: "RUNNING" };
        const reported = reportedInputs({ ...server, status: "STOPPED" } as never);
        expect(identityMismatches(devServerShape, reported, declared, "create").map((m) => m.path)).toEqual(["name", "flavor", "chargingInfo.chargingMode"]);
        expect(identityMismatches(devServerShape, reported, declared, "adopt")).toEqual([
            { path: "flavor", reported: "Si2.large.4", declared: "Si2.large.8" },
            { path: "chargingInfo.chargingMode", reported: "POST_PAID", declared: "PRE_PAID" },
        ]);
    });
});

describe("the API's body rules are refused at check, naming the input", () => {
    const base = { name: "box", flavor: "Si2.large.4", ...IDS, keyPairName: "kp" };
    test.each([
        ["both flavor and resourceFlavor", { resourceFlavor: "r" }, "resourceFlavor", "set exactly one of resourceFlavor and the deprecated flavor"],
        ["neither flavor nor resourceFlavor", { flavor: undefined }, "resourceFlavor", "resourceFlavor is required"],
        ["root volume below 100 GB", { rootVolume: { size: 99 } }, "rootVolume.size", "at least 100 GB"],
        ["root volume above 1024 GB", { rootVolume: { size: 1025 } }, "rootVolume.size", "at most 1024 GB"],
        ["root volume type unknown", { rootVolume: { size: 100, type: "NVME" } }, "rootVolume.type", "must be one of ESSD"],
        ["data volume above 32768 GB", { dataVolume: { size: 32769 } }, "dataVolume.size", "at most 32768 GB"],
        ["data volume count 9", { dataVolume: { size: 100, count: 9 } }, "dataVolume.count", "at most 8"],
        ["data volume given as a list", { dataVolume: [{ size: 100 }] }, "dataVolume", ""],
        ["server type unknown", { serverType: "VM" }, "serverType", "serverType must be BMS, ECS or HPS"],
        ["HPS without cluster", { serverType: "HPS" }, "hpsClusterId", "hpsClusterId is required when serverType is"],
        ["cluster without HPS", { hpsClusterId: HPS_CLUSTER }, "hpsClusterId", "only valid with serverType"],
        ["cluster id not a UUID", { serverType: "HPS", hpsClusterId: "cluster-1" }, "hpsClusterId", "must be a UUID"],
        ["HPS with a password", { serverType: "HPS", hpsClusterId: HPS_CLUSTER, keyPairName: undefined, adminPass: "Pa55word!x" }, "adminPass", "not supported with serverType"],
        ["password and key pair", { adminPass: "Pa55word!x" }, "adminPass", "set exactly one of adminPass and keyPairName"],
        ["neither password nor key pair", { keyPairName: undefined }, "keyPairName", "set exactly one of adminPass"],
        ["period 12", { chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 12 } }, "chargingInfo.periodNum", "at most 11"],
        ["period 0", { chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 0 } }, "chargingInfo.periodNum", "at least 1"],
        ["address pair without ip", { allowedAddressPairs: [{ macAddress: "fa:16:3e:00:00:01" }] }, "allowedAddressPairs.0.ipAddress", "ipAddress is required"],
        ["address pair 0.0.0.0/0", { allowedAddressPairs: [{ ipAddress: "0.0.0.0/0" }] }, "allowedAddressPairs.0.ipAddress", "must not be 0.0.0.0/0"],
        ["HyperCluster subnet without its cluster", { hyperClusterSubnetId: "hc-subnet-1" }, "hyperClusterSubnetId", "needs hyperClusterId"],
    ])("%s", (_what, change, property, reason) => {
        const { failures } = checkInputs(devServerShape, { ...base, ...change });
        const failure = failures.find((f) => f.property === property);
        expect(failure).toBeDefined();
        expect(failure!.reason).toContain(reason);
        expect(JSON.stringify(failures)).not.toContain("Pa55word!x");
    });
});
