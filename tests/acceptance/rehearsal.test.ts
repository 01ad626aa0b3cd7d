/**
 * The acceptance suite (modelarts.acceptance.ts), run in every `npm test` and CI against the
 * emulator instead of a real account: its steps, their calls and assertions stay runnable, so a
 * real-account run (`npm run test:acceptance`) never meets a suite that rotted. The EIP and
 * change-OS steps run too; prepaid and notebook skip as they do without their variables.
 */
import { FAST_TIMINGS, RunningEmulator, startEmulator } from "../../emulator";

const env = process.env;
// Known before the suite is loaded (it decides at load time whether to run); the values that depend
// on the emulator are set in beforeAll, which runs before the suite's own.
delete env.CI;
Object.assign(env, {
    MODELARTS_ACC: "1",
    HW_ACCESS_KEY: "pending",
    HW_SECRET_KEY: "pending",
    HW_REGION_NAME: "pending",
    HW_PROJECT_ID: "pending",
    MODELARTS_ACC_VPC_ID: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    MODELARTS_ACC_SUBNET_ID: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    MODELARTS_ACC_SECURITY_GROUP_ID: "150a2c76-1334-45f6-b28f-419f9b1d1742",
    MODELARTS_ACC_FLAVOR: "Si2.large.4",
    MODELARTS_ACC_IMAGE_ID: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    MODELARTS_ACC_KEY_PAIR: "acc-rehearsal",
    PULUMI_MODELARTS_POLL_SCALE: "0.05",
});
for (const optional of ["MODELARTS_ACC_EIP_ID", "MODELARTS_ACC_IMAGE_ID_2", "MODELARTS_ACC_PREPAID", "MODELARTS_ACC_NOTEBOOK_ID", "HW_MODELARTS_ENDPOINT"]) delete env[optional];

let emu: RunningEmulator;
beforeAll(async () => {
    emu = await startEmulator({ timings: FAST_TIMINGS });
    Object.assign(env, { HW_MODELARTS_ENDPOINT: emu.url, HW_ACCESS_KEY: emu.accessKey, HW_SECRET_KEY: emu.secretKey, HW_REGION_NAME: emu.region, HW_PROJECT_ID: emu.projectId });
    // Optional steps whose variables are read when the step runs: an EIP of the emulator, a second image.
    env.MODELARTS_ACC_EIP_ID = (await emu.admin.createPublicIp()).id;
    env.MODELARTS_ACC_IMAGE_ID_2 = "0d2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b";
});
afterAll(async () => emu?.close());

require("./modelarts.acceptance");

test("the rehearsal left no server behind", async () => {
    const dump = await emu.admin.state();
    expect((dump.projects[emu.projectId]?.devServers ?? []).filter((s: { status?: string }) => s.status !== "DELETED")).toEqual([]);
});
