/**
 * The DevServer extras of the API layer against the emulator: reboot, change / reinstall OS,
 * attach / detach volume with waitForDevServerOperation, EIP bind / list. Passwords and user data
 * sent in these bodies never appear in an error message or a log line, even when the service
 * echoes them.
 */
import { FAST_TIMINGS, RunningEmulator, startEmulator } from "../../emulator";
import { ResolvedConfig } from "../../provider/config";
import { ClientOptions, ModelArtsApiError, ModelArtsClient } from "../../provider/client";
import {
    attachDevServerVolume,
    bindDevServerPublicIp,
    changeDevServerOs,
    createDevServer,
    detachDevServerVolume,
    DevServer,
    DevServerOperationFailedError,
    getDevServer,
    getDevServerOperation,
    listDevServerPublicIps,
    rebootDevServer,
    reinstallDevServerOs,
    stopDevServer,
    waitForDevServerOperation,
} from "../../provider/api";
import { log } from "../../provider/log";
import { PollSchedule, waitFor } from "../../provider/wait";
import { WaitTimeoutError } from "../../provider/errors";
import { watchForLeaks } from "./helpers/leaks";

let emu: RunningEmulator;
const PASSWORD = "Extr4s!Passw0rd";
const OS_PASSWORD = "Ch4ngeOS!Passw0rd";
const USER_DATA = "IyEvYmluL2Jhc2gKZWNobyBleHRyYXMtc2VjcmV0";
const leaks = watchForLeaks(() => [PASSWORD, OS_PASSWORD, USER_DATA, ...(emu ? [emu.secretKey, emu.adminToken] : [])]);

const fast: ClientOptions = { backoff: { baseMs: 5, maxMs: 50 }, maxRetries: 2, rateLimit: false, timeoutMs: 3000 };
const quick: PollSchedule = { firstDelayMs: 20, minIntervalMs: 20, maxIntervalMs: 60, elapsedFraction: 0.1 };
const NEW_IMAGE = "5f3b2a10-0c1d-4e2f-8a9b-0123456789ab";
let c: ModelArtsClient;

beforeAll(async () => {
    emu = await startEmulator({
        timings: { ...FAST_TIMINGS, devServer: { create: 100, start: 80, stop: 80, delete: 80, reboot: 80, changeos: 80, reinstallos: 80, operation: 60 } },
        rateLimit: null,
    });
    c = new ModelArtsClient(
        new ResolvedConfig({ region: emu.region, projectId: emu.projectId, endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, sources: {} }),
        fast,
    );
});
afterAll(async () => {
    await emu?.close();
});
beforeEach(async () => {
    await emu.admin.clearFaults();
    await emu.admin.clearFailures();
});

async function settle(id: string, target: string): Promise<DevServer> {
    const r = await waitFor<DevServer>({
        what: `DevServer ${id} to be ${target}`,
        refresh: async () => {
            const s = await getDevServer(c, id);
            return { status: s.status ?? "", value: s };
        },
        pending: ["CREATING", "STOPPING", "STARTING", "REBOOTING", "CHANGINGOS", "REINSTALLINGOS"],
        target: [target],
        failed: ["CREATE_FAILED", "REBOOT_FAILED", "CHANGINGOS_FAILED", "REINSTALLINGOS_FAILED", "ERROR"],
        timeoutMs: 5000,
        schedule: quick,
    });
    return r.last!.value;
}

async function server(name: string, stopped = false): Promise<string> {
    const created = await createDevServer(c, {
        name,
        resource_flavor: "modelarts.snt9b23.large",
        image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
        admin_pass: PASSWORD,
        user_data: USER_DATA,
        root_volume: { size: 200, type: "ESSD" },
        data_volume: { size: 500, type: "SSD", count: 1 },
        network: { vpc_id: "v", subnet_id: "s", security_group_id: "g", allowed_address_pairs: [{ ip_address: "10.0.0.0/24" }] },
    });
    const id = created.id!;
    await settle(id, "RUNNING");
    if (stopped) {
        await stopDevServer(c, id);
        await settle(id, "STOPPED");
    }
    return id;
}

test("create with resource_flavor and volumes: the answer parses with volumes and resource_flavor", async () => {
    const id = await server("extras-create");
    const s = await getDevServer(c, id);
    expect(s.resource_flavor).toBe("modelarts.snt9b23.large");
    expect(s.volumes?.map((v) => [v.type, v.size, v.evs_type])).toEqual([
        ["ROOT", 200, "ESSD"],
        ["DATA", 500, "SSD"],
    ]);
});

test("reboot: REBOOTING, then RUNNING", async () => {
    const id = await server("extras-reboot");
    expect((await rebootDevServer(c, id)).status).toBe("REBOOTING");
    expect((await settle(id, "RUNNING")).status).toBe("RUNNING");
    await stopDevServer(c, id);
    await settle(id, "STOPPED");
    const err = await leaks.rejection(rebootDevServer(c, id));
    expect(err).toBeInstanceOf(ModelArtsApiError);
    expect((err as ModelArtsApiError).errorCode).toBe("ModelArts.6405");
});

test("changeos: CHANGINGOS, then RUNNING on the new image; reinstallos keeps the image", async () => {
    const id = await server("extras-os", true);
    const changing = await changeDevServerOs(c, id, { image_id: NEW_IMAGE, admin_pass: OS_PASSWORD, user_data: USER_DATA });
    expect(changing?.status).toBe("CHANGINGOS");
    expect((await settle(id, "RUNNING")).image?.image_id).toBe(NEW_IMAGE);
    await stopDevServer(c, id);
    await settle(id, "STOPPED");
    expect((await reinstallDevServerOs(c, id, { key_pair_name: "kp" })).status).toBe("REINSTALLINGOS");
    const after = await settle(id, "RUNNING");
    expect(after.image?.image_id).toBe(NEW_IMAGE);
    expect(after.key_pair_name).toBe("kp");
});

test("attach + wait: success, the volume listed; detach + wait: gone", async () => {
    const id = await server("extras-attach");
    const vol = await emu.admin.createVolume({ size: 400, type: "SAS" });
    const op = await attachDevServerVolume(c, id, vol.id);
    expect(op).toMatchObject({ operation_status: "pending", operation_type: "node_attach_volume" });
    const lines: string[] = [];
    const done = await waitForDevServerOperation(c, id, op.operation_id!, {
        timeoutMs: 5000,
        what: `volume ${vol.id} to attach`,
        schedule: quick,
        onStatus: (s) => lines.push(s),
    });
    expect(done.operation_status).toBe("success");
    expect(lines).toContain("success");
    expect((await getDevServer(c, id)).volumes?.some((v) => v.evs_id === vol.id && v.type === "DATA")).toBe(true);
    const detach = await detachDevServerVolume(c, id, vol.id);
    await waitForDevServerOperation(c, id, detach.operation_id!, { timeoutMs: 5000, what: "detach", schedule: quick });
    expect((await getDevServer(c, id)).volumes?.some((v) => v.evs_id === vol.id)).toBe(false);
    expect((await getDevServerOperation(c, id, detach.operation_id!)).operation_status).toBe("success");
});

test("a failed operation: DevServerOperationFailedError with the API's code and message", async () => {
    const id = await server("extras-attach-fail");
    const vol = await emu.admin.createVolume();
    await emu.admin.injectFailure({ kind: "attach", reason: { code: "EVS.2001", message: "The volume is frozen." } });
    const op = await attachDevServerVolume(c, id, vol.id);
    const err = await leaks.rejection(waitForDevServerOperation(c, id, op.operation_id!, { timeoutMs: 5000, what: `volume ${vol.id} to attach`, schedule: quick }));
    expect(err).toBeInstanceOf(DevServerOperationFailedError);
    expect(err.message).toContain(`volume ${vol.id} to attach`);
    expect(err.message).toContain("EVS.2001: The volume is frozen.");
    expect((err as DevServerOperationFailedError).operation.operation_error).toEqual({ code: "EVS.2001", message: "The volume is frozen." });
});

test("an operation that never ends times out naming what was awaited", async () => {
    const id = await server("extras-attach-slow");
    await emu.admin.setConfig({ timings: { devServer: { operation: 60_000 } } });
    try {
        const vol = await emu.admin.createVolume();
        const op = await attachDevServerVolume(c, id, vol.id);
        const err = await leaks.rejection(waitForDevServerOperation(c, id, op.operation_id!, { timeoutMs: 300, what: "slow attach", schedule: quick }));
        expect(err).toBeInstanceOf(WaitTimeoutError);
        expect(err.message).toContain("slow attach");
        expect(err.message).toContain("last status pending");
    } finally {
        await emu.admin.setConfig({ timings: { devServer: { operation: 60 } } });
    }
});

test("attach of an unknown volume: the API's 400, naming the volume", async () => {
    const id = await server("extras-attach-unknown");
    const err = await leaks.rejection(attachDevServerVolume(c, id, "0b1c2d3e-0000-4a6b-8c7d-9e0f1a2b3c4d"));
    expect(err).toBeInstanceOf(ModelArtsApiError);
    expect(err.message).toContain("0b1c2d3e-0000-4a6b-8c7d-9e0f1a2b3c4d");
});

test("public IP: bind answers the server's EIPs; list shows it", async () => {
    const id = await server("extras-eip");
    const eip = await emu.admin.createPublicIp();
    const bound = await bindDevServerPublicIp(c, id, eip.id);
    expect(bound.public_ips).toEqual([expect.objectContaining({ id: eip.id, address: eip.address })]);
    expect((await listDevServerPublicIps(c, id)).public_ips?.map((x) => x.id)).toEqual([eip.id]);
    // The declaration's rules live in the field table (check); a body sent anyway meets the API's own refusal.
    const empty = await leaks.rejection(bindDevServerPublicIp(c, id, ""));
    expect(empty).toBeInstanceOf(ModelArtsApiError);
    expect(empty.message).toContain("public_ip_id");
});

test("secrets: a refused OS body never echoes them; a service that echoes them is redacted; logs mask them", async () => {
    const id = await server("extras-secrets", true);
    const refused = await leaks.rejection(changeDevServerOs(c, id, { admin_pass: OS_PASSWORD, user_data: USER_DATA }));
    expect(refused).toBeInstanceOf(ModelArtsApiError);
    expect(refused.message).toContain("image_id");
    expect(refused.message).not.toContain(OS_PASSWORD);
    expect(refused.message).not.toContain(USER_DATA);
    // A (misbehaving) service quoting the body back in its error.
    await emu.admin.addFault({ kind: "status", status: 400, method: "POST", path: "/changeos$", errorCode: "ModelArts.6401", message: `bad admin_pass ${OS_PASSWORD} / user_data ${USER_DATA}`, count: 1 });
    const echoed = await leaks.rejection(changeDevServerOs(c, id, { image_id: NEW_IMAGE, admin_pass: OS_PASSWORD, user_data: USER_DATA }));
    expect(echoed).toBeInstanceOf(ModelArtsApiError);
    expect(echoed.message).toContain("bad admin_pass ***");
    await emu.admin.addFault({ kind: "status", status: 400, method: "POST", path: "/reinstallos$", errorCode: "ModelArts.6401", message: `echo ${OS_PASSWORD}`, count: 1 });
    const echoed2 = await leaks.rejection(reinstallDevServerOs(c, id, { admin_pass: OS_PASSWORD }));
    expect(echoed2.message).not.toContain(OS_PASSWORD);
    log.info(`a careless line with ${OS_PASSWORD} and ${USER_DATA} and ${PASSWORD}`);
    expect(leaks.lines[leaks.lines.length - 1]).toBe("info: a careless line with *** and *** and ***");
});
