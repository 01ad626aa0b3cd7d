/** Shared fixtures of the emulator tests: seed example bodies and a fast emulator. */
import { startEmulator, EmulatorOptions, RunningEmulator } from "../../emulator";
import { EmulatorClient } from "../helpers/emulatorClient";

/** Seed 002's example request body. */
export const SEED_CREATE_BODY = {
    name: "EI-evs-1107",
    flavor: "Si2.large.4",
    image_id: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    network: {
        security_group_id: "150a2c76-1334-45f6-b28f-419f9b1d1742",
        subnet_id: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
        vpc_id: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    },
    admin_pass: "@DevServer",
};

export const TEST_TIMINGS = {
    devServer: { create: 150, start: 80, stop: 80, delete: 80, reboot: 80, changeos: 80, reinstallos: 80, operation: 40 },
    notebook: { create: 80, start: 80, stop: 80, delete: 80, queue: 0 },
    bss: { orderComplete: 100 },
};

export interface Fixture {
    emu: RunningEmulator;
    client: EmulatorClient;
}

export async function startFast(options: EmulatorOptions = {}): Promise<Fixture> {
    const emu = await startEmulator({ timings: TEST_TIMINGS, rateLimit: null, ...options });
    const client = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey, domainId: emu.tenants[0].domainId }, emu.projectId);
    return { emu, client };
}
