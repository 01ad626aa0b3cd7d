/**
 * The Notebook's extension storage attached at create (`dataVolumes`, CreateNotebook's
 * `data_volumes`): the rules of an entry and of the list, the mount-path clashes with `storages` and
 * the notebook's own volume, and the wire forms. Sources: PY SDK notebook_create_request.py
 * (`data_volumes: list[VolumeMountRequest]`), volume_mount_request.py (an entry's rules),
 * notebook_resp.py / volume_response.py (what an answer reports: category, mount_path, url, status,
 * mount_type), volume_res.py (the own volume's mount path). The rules no source states are marked
 * unconfirmed in docs/EMULATOR-VS-REAL-API.md, "extension storage at create".
 */
import { z } from "zod";
import { compact } from "../common";
import { snakeKeys } from "../wire";
import { UUID } from "./inputRules";

/** One extension storage (VolumeMountRequest). */
export interface NotebookDataVolume {
    /** EVS (a cloud disk), OBS (a bucket), OBSFS (a parallel file system) or EFS (SFS Turbo). */
    category: "EVS" | "OBS" | "OBSFS" | "EFS";
    /** MANAGED (the service's; what is sent when left out) or DEDICATED (yours; EFS only). */
    ownership?: "MANAGED" | "DEDICATED";
    /** OBS / OBSFS: the path, `obs://bucket/dir/`; DEDICATED EFS: the SFS Turbo share path. */
    uri?: string;
    /** DEDICATED EFS: the SFS Turbo file system's ID. */
    id?: string;
    /** Where it appears in the notebook: an absolute path, up to 256 characters (the API's choice when left out). */
    mountPath?: string;
    /** Mounted read-only (the API's default: false, read-write). */
    readOnly?: boolean;
    /** OBS (required there) and OBSFS: the name of the DEW secret holding the AK/SK the notebook reads the bucket with. A name, not a secret. */
    dewSecretName?: string;
    /** EVS only: GB, 5..4096 (the API's default 5). */
    capacity?: number;
}

/** Where the notebook's own volume is mounted (VolumeRes.mount_path: "currently fixed at /home/ma-user/work/"). */
export const OWN_VOLUME_MOUNT_PATH = "/home/ma-user/work/";
/** Two mount paths name one directory (`/data/x` and `/data/x/`). */
export const sameMountPath = (a: string, b: string): boolean => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
/** VolumeMountRequest.dew_secret_name: 1 to 64 letters, digits, "-" and "_". */
const DEW_SECRET_NAME = /^[-_A-Za-z0-9]{1,64}$/;

const obsLike = (category: string) => category === "OBS" || category === "OBSFS";

export const dataVolumeSchema = z
    .strictObject(
        {
            category: z.enum(["EVS", "OBS", "OBSFS", "EFS"], { error: "dataVolumes[].category must be EVS, OBS, OBSFS or EFS" }),
            ownership: z.enum(["MANAGED", "DEDICATED"], { error: "dataVolumes[].ownership must be MANAGED or DEDICATED" }).optional(),
            uri: z.string({ error: "dataVolumes[].uri must be a string" }).min(1, "dataVolumes[].uri must not be empty").max(1024, "dataVolumes[].uri must be at most 1024 characters").optional(),
            id: z.string({ error: "dataVolumes[].id must be a string" }).regex(UUID, "dataVolumes[].id must be the SFS Turbo file system's UUID").optional(),
            mountPath: z
                .string({ error: "dataVolumes[].mountPath must be a string" })
                .regex(/^\/\S*$/, "dataVolumes[].mountPath must be an absolute path without spaces, such as /home/ma-user/work/datasets/")
                .max(256, "dataVolumes[].mountPath must be at most 256 characters")
                .optional(),
            readOnly: z.boolean({ error: "dataVolumes[].readOnly must be true or false" }).optional(),
            dewSecretName: z.string({ error: "dataVolumes[].dewSecretName must be a string" }).regex(DEW_SECRET_NAME, 'dataVolumes[].dewSecretName must be the DEW secret\'s name: 1 to 64 letters, digits, "-" or "_"').optional(),
            capacity: z.number({ error: "dataVolumes[].capacity must be a number of GB" }).int("dataVolumes[].capacity must be a whole number of GB").min(5, "dataVolumes[].capacity must be at least 5 GB").max(4096, "dataVolumes[].capacity must be at most 4096 GB").optional(),
        },
        { error: "dataVolumes entries must be objects { category, ownership?, uri?, id?, mountPath?, readOnly?, dewSecretName?, capacity? }" },
    )
    .superRefine((v, ctx) => {
        const issue = (key: keyof NotebookDataVolume, message: string) => ctx.addIssue({ code: "custom", path: [key], message });
        const dedicatedEfs = v.category === "EFS" && v.ownership === "DEDICATED";
        if (v.ownership === "DEDICATED" && v.category !== "EFS") issue("ownership", "dataVolumes[].ownership DEDICATED is only supported with category EFS (the API's VolumeMountRequest): remove it, or use category EFS");
        if (v.capacity !== undefined && v.category !== "EVS") issue("capacity", "dataVolumes[].capacity applies to category EVS only");
        if (obsLike(v.category)) {
            if (v.uri === undefined) issue("uri", `dataVolumes[].uri is required for category ${v.category}: the bucket path, e.g. obs://bucket/dir/`);
            else if (!v.uri.startsWith("obs://")) issue("uri", "dataVolumes[].uri must be an OBS path such as obs://bucket/dir/ for category OBS or OBSFS");
        } else if (dedicatedEfs) {
            if (v.uri === undefined) issue("uri", "dataVolumes[].uri is required for a DEDICATED EFS: the SFS Turbo share path");
            if (v.id === undefined) issue("id", "dataVolumes[].id is required for a DEDICATED EFS: the SFS Turbo file system's ID");
        } else if (v.uri !== undefined) {
            issue("uri", `dataVolumes[].uri applies to OBS, OBSFS and a DEDICATED EFS only: remove it${v.category === "EFS" ? ", or set ownership DEDICATED" : ""}`);
        }
        if (v.id !== undefined && !dedicatedEfs) issue("id", `dataVolumes[].id applies to a DEDICATED EFS only: remove it${v.category === "EFS" ? ", or set ownership DEDICATED" : ""}`);
        if (v.category === "OBS" && v.dewSecretName === undefined) {
            issue("dewSecretName", "dataVolumes[].dewSecretName is required for category OBS: the name of the DEW secret holding the AK/SK the notebook reads the bucket with");
        }
        if (v.dewSecretName !== undefined && !obsLike(v.category)) issue("dewSecretName", "dataVolumes[].dewSecretName applies to category OBS or OBSFS only");
    });

/** The list: one storage per mount path, none at the notebook's own volume. */
export const dataVolumesSchema = z
    .array(dataVolumeSchema, { error: "dataVolumes must be a list of { category, ownership?, uri?, id?, mountPath?, readOnly?, dewSecretName?, capacity? }" })
    .superRefine((list, ctx) => {
        list.forEach((v, i) => {
            if (v.mountPath === undefined) return;
            const first = list.findIndex((o) => o.mountPath !== undefined && sameMountPath(o.mountPath, v.mountPath!));
            if (first < i) ctx.addIssue({ code: "custom", path: [i, "mountPath"], message: `dataVolumes[${i}].mountPath ${v.mountPath} is dataVolumes[${first}]'s too: give each extension storage its own mount path` });
            if (sameMountPath(v.mountPath, OWN_VOLUME_MOUNT_PATH)) {
                ctx.addIssue({ code: "custom", path: [i, "mountPath"], message: `dataVolumes[${i}].mountPath ${v.mountPath} is where the notebook's own volume is mounted: choose another directory, e.g. /home/ma-user/work/datasets/` });
            }
        });
    });

/**
 * Cross-input rule (the table's `refine`): a directory holds one storage, so no extension storage
 * shares a mount path with a mount of `storages`.
 */
export function refineMountPaths(dataVolumes: NotebookDataVolume[] | undefined, storages: Array<{ mountPath: string }> | undefined, ctx: z.RefinementCtx): void {
    (dataVolumes ?? []).forEach((v, i) => {
        const j = (storages ?? []).findIndex((s) => v.mountPath !== undefined && sameMountPath(s.mountPath, v.mountPath));
        if (j < 0) return;
        ctx.addIssue({
            code: "custom",
            path: ["dataVolumes", i, "mountPath"],
            params: { related: [`dataVolumes.${i}.mountPath`, `storages.${j}.mountPath`] },
            message: `dataVolumes[${i}].mountPath ${v.mountPath} is storages[${j}]'s mount path too: a directory holds one storage, so choose another for one of them`,
        });
    });
}

/** CreateNotebook's `data_volumes`: `ownership` is always sent (the SDK's model requires it), MANAGED when not declared. */
export const dataVolumesOnWire = (list: NotebookDataVolume[]) => list.map((v) => snakeKeys({ ...v, ownership: v.ownership ?? "MANAGED" }));

/**
 * The extension storage an answer reports, in the declaration's form: VolumeResponse's category,
 * mount_path and url (and VolumeRes' other keys, should the service send them). Storage mounted
 * while the notebook runs (`mount_type` DYNAMIC: the `storages` input's) is not create-time storage.
 * None reported is "not reported" (undefined): the record stands.
 */
export function dataVolumesFromWire(value: unknown): Array<Partial<NotebookDataVolume>> | undefined {
    if (!Array.isArray(value)) return undefined;
    const list = value
        .filter((r): r is Record<string, unknown> => !!r && typeof r === "object" && r.mount_type !== "DYNAMIC")
        .map((r) =>
            compact({
                category: r.category,
                ownership: r.ownership,
                uri: r.uri ?? r.url,
                // VolumeRes.id is an OBS storage's ID too: only an EFS's is the declared `id`.
                id: r.category === "EFS" ? r.id : undefined,
                mountPath: r.mount_path,
                readOnly: r.read_only,
                dewSecretName: r.dew_secret_name,
                capacity: r.capacity,
            }) as Partial<NotebookDataVolume>,
        );
    return list.length ? list : undefined;
}
