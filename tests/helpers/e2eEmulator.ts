/**
 * The emulator the end-to-end tests run programs against, in the test's own process, with fast
 * transitions and no rate limit, and the questions the tests ask of it.
 */
import { startEmulator, RunningEmulator, EmulatorOptions } from "../../emulator";
import { EmulatorClient } from "./emulatorClient";

/** The network and image every example defaults to (placeholders the emulator accepts). */
export const EXAMPLE_NETWORK = {
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
};

export interface E2eEmulator {
    emu: RunningEmulator;
    api: EmulatorClient;
    /** The server as the API shows it, or undefined when it does not exist. */
    live(id: string): Promise<Record<string, any> | undefined>;
    /** The servers of a name. */
    named(name: string): Promise<Array<{ id: string; name: string; status: string }>>;
    /** A server made outside Pulumi (as in the console), once it is RUNNING. */
    madeOutsidePulumi(name: string, keyPairName?: string): Promise<string>;
    close(): Promise<void>;
}

export async function startE2eEmulator(devServer: { create?: number; start?: number; stop?: number; delete?: number } = {}, options: EmulatorOptions = {}): Promise<E2eEmulator> {
    const emu = await startEmulator({
        timings: { devServer: { create: 800, start: 400, stop: 400, delete: 400, ...devServer }, notebook: { start: 300, stop: 300 } },
        rateLimit: null,
        ...options,
    });
    const api = new EmulatorClient(emu.url, { accessKey: emu.accessKey, secretKey: emu.secretKey }, emu.projectId);
    const live = async (id: string) => {
        const res = await api.get(`/dev-servers/${id}`);
        return res.status === 200 ? (res.body as Record<string, any>) : undefined;
    };
    return {
        emu,
        api,
        live,
        async named(name) {
            const res = await api.get("/dev-servers", { limit: "1000", offset: "0" });
            return (res.body.data as Array<{ id: string; name: string; status: string }>).filter((s) => s.name === name);
        },
        async madeOutsidePulumi(name, keyPairName = "console-key") {
            const made = await api.post("/dev-servers", {
                name,
                resource_flavor: "Si2.large.4",
                image_id: EXAMPLE_NETWORK.imageId,
                network: { vpc_id: EXAMPLE_NETWORK.vpcId, subnet_id: EXAMPLE_NETWORK.subnetId, security_group_id: EXAMPLE_NETWORK.securityGroupId },
                key_pair_name: keyPairName,
            });
            if (made.status >= 300) throw new Error(`could not make ${name} outside Pulumi: HTTP ${made.status} ${JSON.stringify(made.body)}`);
            const id = made.body.id as string;
            for (let i = 0; i < 200 && (await live(id))?.status !== "RUNNING"; i++) await new Promise((r) => setTimeout(r, 100));
            return id;
        },
        close: () => emu.close(),
    };
}
