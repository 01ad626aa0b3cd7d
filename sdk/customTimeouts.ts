/**
 * Pulumi's `customTimeouts` resource option never reaches a dynamic provider: Pulumi's
 * dynamic-provider host drops the timeout the engine sends with each request. So the SDK classes
 * map it onto the resource's own `timeouts` input when that is not given (`create`, `update`,
 * `delete`: the same "30m" / "1h30m" strings). When both are given, `timeouts` wins and a warning,
 * once per process, says that `customTimeouts` is ignored.
 */
import * as pulumi from "@pulumi/pulumi";

let warnedIgnored = false;
let saidMapped = false;

export function withCustomTimeouts<A extends { timeouts?: unknown }>(resource: string, args: A, custom: pulumi.CustomTimeouts | undefined): A {
    if (!custom) return args;
    const mapped: Record<string, string> = {};
    for (const key of ["create", "update", "delete"] as const) if (custom[key] !== undefined) mapped[key] = custom[key]!;
    if (Object.keys(mapped).length === 0) return args;
    if (args.timeouts === undefined) {
        if (!saidMapped) {
            saidMapped = true;
            pulumi.log.info(`${resource}: the customTimeouts resource option is applied as the resource's timeouts input (dynamic providers do not receive customTimeouts)`);
        }
        return { ...args, timeouts: mapped };
    }
    if (!warnedIgnored) {
        warnedIgnored = true;
        pulumi.log.warn(
            `${resource}: the customTimeouts resource option is ignored because the timeouts input is set (dynamic providers do not ` +
                "receive customTimeouts): put every timeout in the timeouts input, e.g. { create: \"60m\", delete: \"30m\" }",
        );
    }
    return args;
}
