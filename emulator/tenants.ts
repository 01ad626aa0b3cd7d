/**
 * Tenants (domains) known to the emulator, each with one permanent AK/SK and its projects.
 * The default ones are fixed so that demos and tests can paste them; they are test credentials of
 * the emulator only and grant nothing anywhere else.
 */
export interface TenantProject {
    /** 32 lowercase hex characters, like a Huawei Cloud project ID. */
    id: string;
    /** Project name; on Huawei Cloud the default project of a region is named after the region. */
    name: string;
    region: string;
}

export interface Tenant {
    domainId: string;
    domainName: string;
    accessKey: string;
    secretKey: string;
    /** The IAM user shown in notebook bodies (`user`). */
    userId: string;
    userName: string;
    projects: TenantProject[];
}

export const DEFAULT_TENANTS: readonly Tenant[] = Object.freeze([
    {
        domainId: "d0000000000000000000000000000a00",
        domainName: "emulator-domain-a",
        accessKey: "EMULATORAKA0000000001",
        secretKey: "emulator-secret-key-a",
        userId: "f0000000000000000000000000000a00",
        userName: "emulator-user-a",
        projects: [
            { id: "e0000000000000000000000000000a01", name: "cn-north-4", region: "cn-north-4" },
            { id: "e0000000000000000000000000000a02", name: "ap-southeast-1", region: "ap-southeast-1" },
        ],
    },
    {
        domainId: "d0000000000000000000000000000b00",
        domainName: "emulator-domain-b",
        accessKey: "EMULATORAKB0000000001",
        secretKey: "emulator-secret-key-b",
        userId: "f0000000000000000000000000000b00",
        userName: "emulator-user-b",
        projects: [{ id: "e0000000000000000000000000000b01", name: "cn-north-4", region: "cn-north-4" }],
    },
]);

/** Checks a tenant list: unique AKs, unique project IDs, 32-hex project IDs. Throws on the first problem. */
export function validateTenants(tenants: readonly Tenant[]): void {
    if (tenants.length === 0) throw new Error("emulator: at least one tenant is required");
    const aks = new Set<string>();
    const projects = new Set<string>();
    for (const t of tenants) {
        if (!t.accessKey || !t.secretKey) throw new Error(`emulator: tenant ${t.domainName} needs accessKey and secretKey`);
        if (aks.has(t.accessKey)) throw new Error(`emulator: duplicate access key ${t.accessKey}`);
        aks.add(t.accessKey);
        if (t.projects.length === 0) throw new Error(`emulator: tenant ${t.domainName} has no project`);
        for (const p of t.projects) {
            if (!/^[0-9a-f]{32}$/.test(p.id)) throw new Error(`emulator: project id ${p.id} is not 32 lowercase hex characters`);
            if (projects.has(p.id)) throw new Error(`emulator: duplicate project id ${p.id}`);
            projects.add(p.id);
        }
    }
}
