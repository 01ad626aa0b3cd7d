/**
 * What the SDK classes register with the engine (through Pulumi's mock monitor): the `import`
 * option becomes the `importId` input the provider adopts in create, secret inputs are secret, and
 * the computed outputs exist as properties.
 */
import * as pulumi from "@pulumi/pulumi";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

const registered: Registered[] = [];

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs });
            return { id: `${args.name}-id`, state: { ...args.inputs, status: "RUNNING" } };
        },
        call: () => ({}),
    },
    "project",
    "stack",
    false,
);

// Loaded after setMocks, as Pulumi's testing guide requires.
const { DevServer, Notebook, NotebookAutoStop } = require("../../sdk") as typeof import("../../sdk");

function outputOf<T>(o: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    return new Promise((resolve) =>
        (o as any).isSecret.then((secret: boolean) => o.apply((value) => resolve({ value, secret }))),
    );
}

const network = {
    flavor: "Si2.large.4",
    imageId: "c90fb553-2cdb-4b81-b56a-ef68812c6cf7",
    vpcId: "05982b48-a70f-43a1-a2b0-1fe36a236172",
    subnetId: "38cf274a-98f9-4f6f-b622-5ed0e4a3db54",
    securityGroupId: "150a2c76-1334-45f6-b28f-419f9b1d1742",
};

describe("DevServer", () => {
    it("turns the import option into the importId input, since the engine cannot import dynamic resources", async () => {
        const box = new DevServer("adopted", { name: "box", keyPairName: "k", ...network }, { import: "62383738-e52a-450a-9f84-f9e705402be8" });
        await outputOf(box.status);
        const r = registered.find((x) => x.name === "adopted")!;
        expect(r.type).toBe("pulumi-nodejs:dynamic/modelarts:DevServer");
        expect(r.inputs.importId).toBe("62383738-e52a-450a-9f84-f9e705402be8");
        expect(r.inputs.__provider).toContain('require("pulumi-modelarts/provider")');
    });

    it("makes adminPass and userData secret, and exposes the computed outputs", async () => {
        const box = new DevServer("with-pass", { name: "box2", adminPass: "Zq9!secretPassX", userData: "#!/bin/sh", ...network });
        const status = await outputOf(box.status);
        expect(status).toEqual({ value: "RUNNING", secret: false });
        const r = registered.find((x) => x.name === "with-pass")!;
        // sent to the engine as secrets, so state and previews hold them encrypted
        const secret = (value: string) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
        expect(r.inputs.adminPass).toEqual(secret("Zq9!secretPassX"));
        expect(r.inputs.userData).toEqual(secret("#!/bin/sh"));
        for (const output of ["createdAt", "endpoints", "image", "orderId"]) expect(pulumi.Output.isInstance((box as any)[output])).toBe(true);
        const pass = await outputOf((box as any).adminPass as pulumi.Output<string>);
        expect(pass.secret).toBe(true);
    });
});

describe("Notebook", () => {
    it("sends hooks to the engine as a secret", async () => {
        const hooks = { postStart: { script: "/home/ma-user/init.sh" } };
        const nb = new Notebook("with-hooks", { name: "nb", flavor: "modelarts.vm.cpu.2u", imageId: network.imageId, hooks });
        await outputOf(nb.status);
        const r = registered.find((x) => x.name === "with-hooks")!;
        expect(r.inputs.hooks).toEqual({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: hooks });
    });
});

describe("customTimeouts (dynamic providers never receive it)", () => {
    it("becomes the timeouts input when timeouts is not given, for both classes", async () => {
        const info = jest.spyOn(pulumi.log, "info");
        const box = new DevServer("custom-timeouts", { name: "box3", keyPairName: "k", ...network }, { customTimeouts: { create: "90m", delete: "45m" } });
        await outputOf(box.status);
        expect(registered.find((x) => x.name === "custom-timeouts")!.inputs.timeouts).toEqual({ create: "90m", delete: "45m" });
        const guard = new NotebookAutoStop("guard-timeouts", { instanceId: "nb-2", enabled: true, duration: 3600 }, { customTimeouts: { update: "5m" } });
        await outputOf(guard.status);
        expect(registered.find((x) => x.name === "guard-timeouts")!.inputs.timeouts).toEqual({ update: "5m" });
        expect(info.mock.calls.filter(([m]) => /customTimeouts resource option is applied as the resource's timeouts input/.test(String(m)))).toHaveLength(1);
        info.mockRestore();
    });

    it("is ignored with one warning per process when timeouts is given too", async () => {
        const warn = jest.spyOn(pulumi.log, "warn");
        for (const n of ["both-1", "both-2"]) {
            const box = new DevServer(n, { name: n, keyPairName: "k", timeouts: { create: "2h" }, ...network }, { customTimeouts: { create: "10m" } });
            await outputOf(box.status);
            expect(registered.find((x) => x.name === n)!.inputs.timeouts).toEqual({ create: "2h" });
        }
        const warnings = warn.mock.calls.filter(([m]) => /customTimeouts resource option is ignored because the timeouts input is set/.test(String(m)));
        expect(warnings).toHaveLength(1);
        warn.mockRestore();
    });
});

describe("NotebookAutoStop", () => {
    it("turns the import option into importId as well", async () => {
        const guard = new NotebookAutoStop("guard", { instanceId: "nb-1", enabled: true, duration: 3600 }, { import: "nb-1" });
        await outputOf(guard.status);
        const r = registered.find((x) => x.name === "guard")!;
        expect(r.type).toBe("pulumi-nodejs:dynamic/modelarts:NotebookAutoStop");
        expect(r.inputs).toMatchObject({ instanceId: "nb-1", importId: "nb-1", enabled: true, duration: 3600 });
    });
});
