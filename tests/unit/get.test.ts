/**
 * The static `get` of each SDK class, under Pulumi's mock monitor: it reads (never registers) a
 * resource of the class's type with the given id, handing the engine only the serialized provider
 * (no invented arguments, no secrets), and the read's state becomes the class's outputs.
 */
import * as pulumi from "@pulumi/pulumi";

interface Seen {
    type: string;
    name: string;
    id?: string;
    custom?: boolean;
    inputs: Record<string, any>;
}

const seen: Seen[] = [];

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            seen.push({ type: args.type, name: args.name, id: args.id, custom: args.custom, inputs: args.inputs });
            // What the provider's read would answer with for that id.
            return { id: args.id ?? `${args.name}-id`, state: { status: "RUNNING", name: `live-${args.name}` } };
        },
        call: () => ({}),
    },
    "project",
    "stack",
    false,
);

// Loaded after setMocks, as Pulumi's testing guide requires.
const { DevServer, Notebook, NotebookAutoStop } = require("../../sdk") as typeof import("../../sdk");

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe.each([
    { resource: "DevServer", get: DevServer.get, id: "62383738-e52a-450a-9f84-f9e705402be8" },
    { resource: "NotebookAutoStop", get: NotebookAutoStop.get, id: "6fa459ea-ee8a-3ca4-894e-db77e160355e" },
    { resource: "Notebook", get: Notebook.get, id: "1b0f6c7e-3f1a-4c55-9d1e-2f8a7b6c5d4e" },
])("get() of $resource", ({ resource, get, id }) => {
    it("reads the resource of its type by id, handing over only the serialized provider", async () => {
        const name = `existing-${resource}`;
        const got = get(name, id);
        expect(await valueOf(got.id)).toBe(id);
        const read = seen.find((s) => s.name === name)!;
        expect(read).toMatchObject({ type: `pulumi-nodejs:dynamic/modelarts:${resource}`, id, custom: true });
        expect(Object.keys(read.inputs)).toEqual(["__provider"]);
        expect(read.inputs.__provider).toContain('require("pulumi-modelarts/provider")');
        // the read's state is what the outputs show
        expect(await valueOf((got as any).status)).toBe("RUNNING");
        expect(await valueOf((got as any).name)).toBe(`live-${name}`);
    });

    it("takes an Output id and resource options like any Pulumi resource's get", async () => {
        const name = `existing-${resource}-2`;
        const got = get(name, pulumi.output(id), { protect: true });
        expect(await valueOf(got.id)).toBe(id);
        expect(seen.find((s) => s.name === name)!.id).toBe(id);
    });
});
