/**
 * NotebookAutoStop's field table on the legacy demanager API's wire (`spec.auto_stop` of its update),
 * and the rules the API module used to check again refused at check, naming the input.
 */
import { checkInputs } from "../../provider/resources/common";
import { notebookAutoStopShape } from "../../provider/resources/notebookAutoStop/fields";
import { requestBody } from "../../provider/resources/wire";

const ID = "6fa459ea-ee8a-3ca4-894e-db77e160355e";

test("a policy goes to spec.auto_stop of the demanager update; the lease-only type does not", () => {
    expect(requestBody(notebookAutoStopShape, "demanagerUpdate", { enabled: true, duration: 7200, prompt: false, type: "TIMING" })).toEqual({
        spec: { auto_stop: { enable: true, duration: 7200, prompt: false } },
    });
    expect(requestBody(notebookAutoStopShape, "demanagerUpdate", { enabled: false })).toEqual({ spec: { auto_stop: { enable: false } } });
});

test.each([
    ["enabled without a duration", { enabled: true }, "duration", "duration is required when enabled is true"],
    ["a duration under an hour", { enabled: true, duration: 60 }, "duration", "at least 3600 seconds"],
    ["over 24 hours on the demanager API", { enabled: true, duration: 90000, api: "demanager" }, "duration", "at most 86400 seconds"],
])("%s is refused at check", (_what, declared, property, reason) => {
    const { failures } = checkInputs(notebookAutoStopShape, { instanceId: ID, ...declared });
    expect(failures.find((f) => f.property === property)?.reason).toContain(reason);
});
