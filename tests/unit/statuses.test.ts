/**
 * Every status the official SDKs list (huaweicloud-sdk-python-v3 ShowDevServerResponse.status,
 * 18 values) is classified exactly once, so no status can leave a wait undecided.
 */
import {
    DEV_SERVER_FAILED, DEV_SERVER_GONE, DEV_SERVER_IN_PROGRESS, DEV_SERVER_SETTLED, DEV_SERVER_STATUSES,
} from "../../provider/api/devServers";

const SDK_DEV_SERVER_STATUSES = [
    "CREATE_FAILED", "CREATING", "DELETED", "DELETE_FAILED", "DELETING", "ERROR", "RUNNING", "STARTING", "START_FAILED",
    "STOPPED", "STOPPING", "STOP_FAILED", "REBOOTING", "REBOOT_FAILED", "CHANGINGOS", "CHANGINGOS_FAILED",
    "REINSTALLINGOS", "REINSTALLINGOS_FAILED",
];

test("DevServer: every SDK status is settled, in progress, failed or gone, exactly once", () => {
    expect([...DEV_SERVER_STATUSES].sort()).toEqual([...SDK_DEV_SERVER_STATUSES].sort());
    for (const status of SDK_DEV_SERVER_STATUSES) {
        const classes = [DEV_SERVER_SETTLED, DEV_SERVER_IN_PROGRESS, DEV_SERVER_FAILED, DEV_SERVER_GONE]
            .filter((set) => (set as readonly string[]).includes(status));
        expect({ status, classes: classes.length }).toEqual({ status, classes: 1 });
    }
    // Terraform's failure set (refreshDevServerStatusFunc) is ours too.
    expect([...DEV_SERVER_FAILED].sort()).toEqual(
        ["CREATE_FAILED", "ERROR", "DELETE_FAILED", "START_FAILED", "STOP_FAILED", "REBOOT_FAILED", "CHANGINGOS_FAILED", "REINSTALLINGOS_FAILED"].sort(),
    );
});
