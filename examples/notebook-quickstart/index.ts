/**
 * Notebook quickstart: a ModelArts notebook (development environment) declared in code: flavor,
 * image, an EVS volume, SSH access from one network, an OBS bucket mounted under /data/, and an
 * auto-stop after `autoStopHours` of running (0: never). `powerState` STOPPED keeps it stopped.
 *
 *     pulumi config set imageId <image UUID>          # ListImage, or the console's image list
 *     pulumi config set keyPairName <key pair>         # optional: SSH access
 *     pulumi config set datasetsUri obs://bucket/dir/  # optional: mounted at /data/datasets/
 *     pulumi config set autoStopHours 4                # 0..72, default 4
 *     pulumi config set powerState STOPPED             # default RUNNING
 */
import * as pulumi from "@pulumi/pulumi";
import { Notebook } from "pulumi-modelarts";

const config = new pulumi.Config();
const autoStopHours = config.getNumber("autoStopHours") ?? 4;
if (!Number.isInteger(autoStopHours) || autoStopHours < 0 || autoStopHours > 72) {
    throw new Error(`config autoStopHours must be a whole number of hours from 0 (never) to 72, got ${autoStopHours}`);
}
const keyPairName = config.get("keyPairName");
const datasetsUri = config.get("datasetsUri");

const nb = new Notebook("team-notebook", {
    name: config.get("notebookName") ?? "team-notebook",
    description: "declared with Pulumi",
    flavor: config.get("flavor") ?? "modelarts.vm.cpu.2u",
    imageId: config.require("imageId"),
    volume: { category: "EVS", capacity: config.getNumber("volumeGb") ?? 50 },
    ssh: keyPairName ? { keyPairName, allowedAccessIps: config.getObject<string[]>("allowedAccessIps") } : undefined,
    autoStop: autoStopHours > 0 ? { enabled: true, duration: autoStopHours * 3600 } : { enabled: false },
    storages: datasetsUri ? [{ category: "OBS", uri: datasetsUri, mountPath: "/data/datasets/" }] : undefined,
    powerState: config.get("powerState") === "STOPPED" ? "STOPPED" : "RUNNING",
});

export const notebookId = nb.id;
export const status = nb.status;
export const url = nb.url;
export const sshUri = nb.sshUri;
/** When the lease stops the running notebook (ISO 8601), absent when it never does. */
export const stopsAt = nb.lease.apply((l) => l?.stopsAt);
export const mounted = nb.mountedStorages;
