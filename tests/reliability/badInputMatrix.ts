/**
 * The bad-input matrix: every argument of both resources with at least one invalid value. Check
 * (through the host) must fail naming the property, with a reason that states the rule, and the
 * emulator's request log must prove that no API call was made.
 */
import { Props } from "../harness/engine";
import { notebookProgram, program } from "./context";

export interface BadInputRow {
    id: string;
    resource: "DevServer" | "NotebookAutoStop" | "Notebook";
    scenario: string;
    /** Applied to a valid program; `undefined` values delete the key. */
    change: Props;
    property: string;
    /** The rule the reason must state. */
    reason: RegExp;
}

/** A value that must never be echoed back (checked by the secrets matrix). */
export const BAD_PASSWORDS = {
    short: "Zq9!abc",
    classes: "alllowercaseonlypass",
    chars: "Zq9secret pass~X",
    root: "Zq9!rootSecretX",
    reversed: "Zq9!toorSecretX",
    admin: "Zq9!xAdministrator",
};

export const LONG_USER_DATA = "#!/bin/sh\n# SUPER-SECRET-LONG-USERDATA\n" + "x".repeat(32 * 1024);

const validNotebook: Props = { instanceId: "6fa459ea-ee8a-3ca4-894e-db77e160355e", enabled: true, duration: 3600 };

export function badInputProgram(row: BadInputRow): Props {
    const base = row.resource === "DevServer" ? program() : row.resource === "Notebook" ? notebookProgram() : { ...validNotebook };
    const out: Props = { ...base };
    for (const [k, v] of Object.entries(row.change)) {
        if (v === undefined) delete out[k];
        else out[k] = v;
    }
    return out;
}

const D = "DevServer" as const;
const N = "NotebookAutoStop" as const;
const NB = "Notebook" as const;
const noPass = { adminPass: undefined, keyPairName: "team-a" };

export const BAD_INPUT_ROWS: BadInputRow[] = [
    // DevServer
    { id: "B01", resource: D, scenario: "name missing", change: { name: undefined }, property: "name", reason: /name is required/ },
    { id: "B02", resource: D, scenario: "name with a space and '!'", change: { name: "bad name!" }, property: "name", reason: /1 to 64 letters, digits/ },
    { id: "B03", resource: D, scenario: "name of 65 characters", change: { name: "a".repeat(65) }, property: "name", reason: /1 to 64/ },
    { id: "B04", resource: D, scenario: "resourceFlavor (and the deprecated flavor) missing", change: { resourceFlavor: undefined }, property: "resourceFlavor", reason: /resourceFlavor is required/ },
    { id: "B05", resource: D, scenario: "resourceFlavor empty", change: { resourceFlavor: "" }, property: "resourceFlavor", reason: /must not be empty/ },
    { id: "B55", resource: D, scenario: "resourceFlavor and the deprecated flavor both set", change: { flavor: "Si2.large.4" }, property: "resourceFlavor", reason: /exactly one of resourceFlavor and the deprecated flavor, not both/ },
    { id: "B56", resource: D, scenario: "deprecated flavor empty", change: { resourceFlavor: undefined, flavor: "" }, property: "flavor", reason: /flavor must not be empty/ },
    { id: "B06", resource: D, scenario: "imageId not a UUID", change: { imageId: "ubuntu-22.04" }, property: "imageId", reason: /imageId must be a UUID/ },
    { id: "B07", resource: D, scenario: "vpcId not a UUID", change: { vpcId: "vpc-123" }, property: "vpcId", reason: /vpcId must be a UUID/ },
    { id: "B08", resource: D, scenario: "subnetId missing", change: { subnetId: undefined }, property: "subnetId", reason: /subnetId is required/ },
    { id: "B09", resource: D, scenario: "securityGroupId a number", change: { securityGroupId: 42 }, property: "securityGroupId", reason: /securityGroupId must be the security group UUID/ },
    { id: "B10", resource: D, scenario: "ipv6Enable a string", change: { ipv6Enable: "yes" }, property: "ipv6Enable", reason: /true or false/ },
    { id: "B11", resource: D, scenario: "roceId empty", change: { roceId: "" }, property: "roceId", reason: /must not be empty/ },
    { id: "B12", resource: D, scenario: "adminPass too short (7)", change: { adminPass: BAD_PASSWORDS.short }, property: "adminPass", reason: /8 to 26 characters/ },
    { id: "B13", resource: D, scenario: "adminPass with fewer than 3 character classes", change: { adminPass: BAD_PASSWORDS.classes }, property: "adminPass", reason: /at least three of/ },
    { id: "B14", resource: D, scenario: "adminPass with a forbidden character (space, ~)", change: { adminPass: BAD_PASSWORDS.chars }, property: "adminPass", reason: /may only contain/ },
    { id: "B15", resource: D, scenario: "adminPass containing the username 'root'", change: { adminPass: BAD_PASSWORDS.root }, property: "adminPass", reason: /must not contain "root"/ },
    { id: "B16", resource: D, scenario: "adminPass containing 'root' reversed", change: { adminPass: BAD_PASSWORDS.reversed }, property: "adminPass", reason: /"toor"/ },
    { id: "B17", resource: D, scenario: "adminPass containing 'administrator'", change: { adminPass: BAD_PASSWORDS.admin }, property: "adminPass", reason: /"administrator"/ },
    { id: "B18", resource: D, scenario: "adminPass and keyPairName both set", change: { keyPairName: "team-a" }, property: "adminPass", reason: /exactly one of adminPass and keyPairName, not both/ },
    { id: "B19", resource: D, scenario: "neither adminPass nor keyPairName", change: { adminPass: undefined }, property: "keyPairName", reason: /exactly one of adminPass .* or keyPairName/ },
    { id: "B20", resource: D, scenario: "keyPairName with a slash", change: { ...noPass, keyPairName: "team/a" }, property: "keyPairName", reason: /keyPairName must be 1 to 64/ },
    { id: "B21", resource: D, scenario: "arch lower case", change: { arch: "x86" }, property: "arch", reason: /ARM or X86/ },
    { id: "B22", resource: D, scenario: "serverType unknown", change: { serverType: "VM" }, property: "serverType", reason: /BMS, ECS or HPS/ },
    { id: "B57", resource: D, scenario: "serverType HPS without hpsClusterId", change: { ...noPass, serverType: "HPS" }, property: "hpsClusterId", reason: /hpsClusterId is required when serverType is "HPS"/ },
    { id: "B58", resource: D, scenario: "hpsClusterId without serverType HPS", change: { hpsClusterId: "6b0d9f39-2c4e-4f7a-9c1d-3e5f7a9b1c2d" }, property: "hpsClusterId", reason: /only valid with serverType "HPS"/ },
    { id: "B59", resource: D, scenario: "serverType HPS with adminPass (HPS takes a key pair only)", change: { serverType: "HPS", hpsClusterId: "6b0d9f39-2c4e-4f7a-9c1d-3e5f7a9b1c2d" }, property: "adminPass", reason: /not supported with serverType "HPS".*key pair only/ },
    { id: "B60", resource: D, scenario: "hpsClusterId not a UUID", change: { ...noPass, serverType: "HPS", hpsClusterId: "cluster-1" }, property: "hpsClusterId", reason: /hpsClusterId must be a UUID/ },
    { id: "B23", resource: D, scenario: "availabilityZone empty", change: { availabilityZone: "" }, property: "availabilityZone", reason: /must not be empty/ },
    { id: "B24", resource: D, scenario: "enterpriseProjectId neither \"0\" nor a UUID", change: { enterpriseProjectId: "default" }, property: "enterpriseProjectId", reason: /"0" \(default project\) or a UUID/ },
    { id: "B25", resource: D, scenario: "rootVolume.size 99 (below the API's 100 GB)", change: { rootVolume: { size: 99 } }, property: "rootVolume.size", reason: /at least 100 GB/ },
    { id: "B61", resource: D, scenario: "rootVolume.size 1025 (above the API's 1024 GB)", change: { rootVolume: { size: 1025 } }, property: "rootVolume.size", reason: /at most 1024 GB/ },
    { id: "B26", resource: D, scenario: "rootVolume.size fractional", change: { rootVolume: { size: 40.5 } }, property: "rootVolume.size", reason: /whole number of GB/ },
    { id: "B27", resource: D, scenario: "rootVolume.type unknown", change: { rootVolume: { type: "NVME" } }, property: "rootVolume.type", reason: /one of ESSD, GPSSD, SAS, SATA, SSD/ },
    { id: "B28", resource: D, scenario: "userData over 32 KiB", change: { userData: LONG_USER_DATA }, property: "userData", reason: /at most 32768 characters/ },
    { id: "B29", resource: D, scenario: "chargingInfo.chargingMode unknown", change: { chargingInfo: { chargingMode: "MONTHLY" } }, property: "chargingInfo.chargingMode", reason: /one of COMMON, POST_PAID, PRE_PAID/ },
    { id: "B30", resource: D, scenario: "PRE_PAID without a period", change: { chargingInfo: { chargingMode: "PRE_PAID" } }, property: "chargingInfo.periodType", reason: /required when chargingInfo.chargingMode is PRE_PAID/ },
    { id: "B31", resource: D, scenario: "chargingInfo.periodNum 0", change: { chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 0 } }, property: "chargingInfo.periodNum", reason: /at least 1/ },
    { id: "B62", resource: D, scenario: "chargingInfo.periodNum 12 (above the API's 11)", change: { chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 12 } }, property: "chargingInfo.periodNum", reason: /at most 11/ },
    { id: "B63", resource: D, scenario: "chargingInfo.isAutoPay a string", change: { chargingInfo: { chargingMode: "PRE_PAID", periodType: "MONTH", periodNum: 1, isAutoPay: "yes" } }, property: "chargingInfo.isAutoPay", reason: /isAutoPay must be true or false/ },
    { id: "B64", resource: D, scenario: "dataVolume.size 99", change: { dataVolume: { size: 99 } }, property: "dataVolume.size", reason: /at least 100 GB/ },
    { id: "B65", resource: D, scenario: "dataVolume.size missing", change: { dataVolume: { count: 2 } }, property: "dataVolume.size", reason: /dataVolume.size is required/ },
    { id: "B66", resource: D, scenario: "dataVolume.count 9", change: { dataVolume: { size: 200, count: 9 } }, property: "dataVolume.count", reason: /at most 8/ },
    { id: "B67", resource: D, scenario: "dataVolume.type unknown", change: { dataVolume: { size: 200, type: "HDD" } }, property: "dataVolume.type", reason: /one of ESSD, GPSSD, SAS, SATA, SSD/ },
    { id: "B68", resource: D, scenario: "allowedAddressPairs with 0.0.0.0/0", change: { allowedAddressPairs: [{ ipAddress: "0.0.0.0/0" }] }, property: "allowedAddressPairs.0.ipAddress", reason: /must not be 0.0.0.0\/0/ },
    { id: "B69", resource: D, scenario: "allowedAddressPairs macAddress malformed", change: { allowedAddressPairs: [{ ipAddress: "10.0.0.8", macAddress: "fa-16" }] }, property: "allowedAddressPairs.0.macAddress", reason: /MAC address/ },
    { id: "B70", resource: D, scenario: "publicIpId empty", change: { publicIpId: "" }, property: "publicIpId", reason: /publicIpId must not be empty/ },
    { id: "B71", resource: D, scenario: "attachedVolumeIds with a volume twice", change: { attachedVolumeIds: ["vol-1", "vol-1"] }, property: "attachedVolumeIds", reason: /must not list a volume twice/ },
    { id: "B72", resource: D, scenario: "attachedVolumeIds with a slash", change: { attachedVolumeIds: ["../vol"] }, property: "attachedVolumeIds.0", reason: /EVS volume IDs/ },
    { id: "B73", resource: D, scenario: "rebootTrigger empty", change: { rebootTrigger: "" }, property: "rebootTrigger", reason: /rebootTrigger must not be empty/ },
    { id: "B74", resource: D, scenario: "reinstallTrigger a number", change: { reinstallTrigger: 3 }, property: "reinstallTrigger", reason: /reinstallTrigger must be a string/ },
    { id: "B32", resource: D, scenario: "powerState lower case", change: { powerState: "running" }, property: "powerState", reason: /RUNNING or STOPPED/ },
    { id: "B33", resource: D, scenario: "count 2", change: { count: 2 }, property: "count", reason: /count must be 1/ },
    { id: "B34", resource: D, scenario: "region not a region", change: { region: "Beijing" }, property: "region", reason: /Huawei Cloud region such as cn-north-4/ },
    { id: "B35", resource: D, scenario: "projectId not 32 hex characters", change: { projectId: "my-project" }, property: "projectId", reason: /32 lowercase hexadecimal/ },
    { id: "B36", resource: D, scenario: "timeouts.create not a duration", change: { timeouts: { create: "soon" } }, property: "timeouts.create", reason: /duration like "30m"/ },
    { id: "B37", resource: D, scenario: "timeouts with an unknown key", change: { timeouts: { read: "5m" } }, property: "timeouts.read", reason: /not a property of this resource/ },
    { id: "B38", resource: D, scenario: "unknown property (typo)", change: { imageID: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7" }, property: "imageID", reason: /not a property of this resource; remove it/ },
    // NotebookAutoStop
    { id: "B39", resource: N, scenario: "instanceId missing", change: { instanceId: undefined }, property: "instanceId", reason: /instanceId is required/ },
    { id: "B40", resource: N, scenario: "instanceId with a slash", change: { instanceId: "../other" }, property: "instanceId", reason: /instance ID such as/ },
    { id: "B41", resource: N, scenario: "enabled missing", change: { enabled: undefined }, property: "enabled", reason: /enabled is required/ },
    { id: "B42", resource: N, scenario: "enabled a string", change: { enabled: "true" }, property: "enabled", reason: /true or false/ },
    { id: "B43", resource: N, scenario: "duration below 1 hour", change: { duration: 3599 }, property: "duration", reason: /at least 3600 seconds/ },
    { id: "B44", resource: N, scenario: "duration above 72 hours", change: { duration: 259201 }, property: "duration", reason: /at most 259200 seconds/ },
    { id: "B45", resource: N, scenario: "duration fractional", change: { duration: 3600.5 }, property: "duration", reason: /whole number of seconds/ },
    { id: "B46", resource: N, scenario: "duration missing while enabled", change: { duration: undefined }, property: "duration", reason: /required when enabled is true/ },
    { id: "B47", resource: N, scenario: "prompt a string", change: { prompt: "yes" }, property: "prompt", reason: /prompt must be true or false/ },
    { id: "B48", resource: N, scenario: "onDelete unknown", change: { onDelete: "keep" }, property: "onDelete", reason: /"restore".*or "disable"/ },
    { id: "B49", resource: N, scenario: "region not a region", change: { region: "cn north 4" }, property: "region", reason: /Huawei Cloud region/ },
    { id: "B50", resource: N, scenario: "projectId upper case", change: { projectId: "E0000000000000000000000000000A01" }, property: "projectId", reason: /32 lowercase hexadecimal/ },
    { id: "B51", resource: N, scenario: "timeouts.update negative", change: { timeouts: { update: -5 } }, property: "timeouts.update", reason: /duration like "30m"/ },
    { id: "B53", resource: N, scenario: "duration above 24 hours with api demanager", change: { duration: 86401, api: "demanager" }, property: "duration", reason: /at most 86400 seconds \(24 hours\) on the legacy demanager API/ },
    { id: "B54", resource: N, scenario: "prompt with api notebooks (the lease has no reminder)", change: { prompt: true, api: "notebooks" }, property: "prompt", reason: /setting of the legacy demanager API only/ },
    { id: "B52", resource: N, scenario: "unknown property", change: { durationHours: 3 }, property: "durationHours", reason: /not a property of this resource/ },
    // Notebook
    { id: "B75", resource: NB, scenario: "name missing", change: { name: undefined }, property: "name", reason: /name is required/ },
    { id: "B76", resource: NB, scenario: "name with a dot and a space", change: { name: "team nb.1" }, property: "name", reason: /1 to 128 letters, digits, "-" or "_"/ },
    { id: "B77", resource: NB, scenario: "flavor missing", change: { flavor: undefined }, property: "flavor", reason: /flavor is required/ },
    { id: "B78", resource: NB, scenario: "imageId not a UUID", change: { imageId: "notebook2.0" }, property: "imageId", reason: /imageId must be the image's UUID/ },
    { id: "B79", resource: NB, scenario: "description with a slash", change: { description: "a/b" }, property: "description", reason: /must not contain/ },
    { id: "B80", resource: NB, scenario: "volume.capacity 4097 GB", change: { volume: { category: "EVS", capacity: 4097 } }, property: "volume.capacity", reason: /at most 4096 GB/ },
    { id: "B81", resource: NB, scenario: "volume DEDICATED on EVS", change: { volume: { category: "EVS", ownership: "DEDICATED" } }, property: "volume.ownership", reason: /only supported with category EFS/ },
    { id: "B82", resource: NB, scenario: "ssh without keyPairName", change: { ssh: { allowedAccessIps: ["203.0.113.7"] } }, property: "ssh.keyPairName", reason: /ssh.keyPairName is required/ },
    { id: "B83", resource: NB, scenario: "ssh.allowedAccessIps not an address", change: { ssh: { keyPairName: "kp", allowedAccessIps: ["anywhere"] } }, property: "ssh.allowedAccessIps.0", reason: /IP addresses or CIDRs/ },
    { id: "B84", resource: NB, scenario: "workspaceId upper case", change: { workspaceId: "0123456789ABCDEF0123456789ABCDEF" }, property: "workspaceId", reason: /32 lowercase letters and digits/ },
    { id: "B85", resource: NB, scenario: "autoStop enabled without duration", change: { autoStop: { enabled: true } }, property: "autoStop.duration", reason: /required when autoStop.enabled is true/ },
    { id: "B86", resource: NB, scenario: "autoStop.duration above 72 hours", change: { autoStop: { enabled: true, duration: 259201 } }, property: "autoStop.duration", reason: /at most 259200 seconds/ },
    { id: "B87", resource: NB, scenario: "autoStop.type unknown", change: { autoStop: { enabled: true, duration: 3600, type: "NEVER" } }, property: "autoStop.type", reason: /TIMING or IDLE/ },
    { id: "B88", resource: NB, scenario: "storages mountPath outside /data/", change: { storages: [{ category: "OBS", uri: "obs://b/d/", mountPath: "/home/ma-user/d/" }] }, property: "storages.0.mountPath", reason: /directory under \/data\// },
    { id: "B89", resource: NB, scenario: "storages EFS without efsId", change: { storages: [{ category: "EFS", uri: "x.sfsturbo.internal:/", mountPath: "/data/efs/" }] }, property: "storages.0.efsId", reason: /efsId is required for category EFS/ },
    { id: "B90", resource: NB, scenario: "storages with one mountPath twice", change: { storages: [{ category: "OBS", uri: "obs://b/a/", mountPath: "/data/x/" }, { category: "OBS", uri: "obs://b/b/", mountPath: "/data/x/" }] }, property: "storages", reason: /mountPath twice/ },
    { id: "B91", resource: NB, scenario: "powerState PAUSED", change: { powerState: "PAUSED" }, property: "powerState", reason: /RUNNING or STOPPED/ },
    { id: "B93", resource: NB, scenario: "tags key starting with _sys_", change: { tags: { _sys_owner: "x" } }, property: "tags._sys_owner", reason: /nor starting with _sys_/ },
    { id: "B94", resource: NB, scenario: "dataVolumes OBS without dewSecretName", change: { dataVolumes: [{ category: "OBS", uri: "obs://b/d/" }] }, property: "dataVolumes.0.dewSecretName", reason: /dewSecretName is required for category OBS/ },
    { id: "B95", resource: NB, scenario: "dataVolumes with one mountPath twice", change: { dataVolumes: [{ category: "EVS", mountPath: "/home/ma-user/work/a/" }, { category: "EVS", mountPath: "/home/ma-user/work/a" }] }, property: "dataVolumes.1.mountPath", reason: /its own mount path/ },
    {
        id: "B96",
        resource: NB,
        scenario: "dataVolumes mountPath of a storages mount",
        change: { dataVolumes: [{ category: "EVS", mountPath: "/data/datasets/" }], storages: [{ category: "OBS", uri: "obs://b/d/", mountPath: "/data/datasets/" }] },
        property: "dataVolumes.0.mountPath",
        reason: /storages\[0\]'s mount path too/,
    },
    { id: "B97", resource: NB, scenario: "dataVolumes category unknown", change: { dataVolumes: [{ category: "NAS" }] }, property: "dataVolumes.0.category", reason: /EVS, OBS, OBSFS or EFS/ },
    { id: "B98", resource: NB, scenario: "dataVolumes mountPath of the notebook's own volume", change: { dataVolumes: [{ category: "EVS", mountPath: "/home/ma-user/work/" }] }, property: "dataVolumes.0.mountPath", reason: /own volume is mounted/ },
    { id: "B99", resource: NB, scenario: "dataVolumes DEDICATED on OBS", change: { dataVolumes: [{ category: "OBS", ownership: "DEDICATED", uri: "obs://b/d/", dewSecretName: "s" }] }, property: "dataVolumes.0.ownership", reason: /only supported with category EFS/ },
    { id: "B92", resource: NB, scenario: "unknown property (Terraform's key_pair)", change: { key_pair: "kp" }, property: "key_pair", reason: /not a property of this resource/ },
];
