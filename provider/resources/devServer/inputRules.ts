/**
 * The rules of single DevServer inputs, each failure naming its field: names, UUIDs, the password
 * (seed 002), volumes, billing, address pairs (bounds from huaweicloudsdkmodelarts' models).
 */
import { z } from "zod";

export const NAME = /^[-_.a-zA-Z0-9]{1,64}$/;
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const PASSWORD_SPECIALS = "!@%-_=+[{}]:,./?";
export const MAX_USER_DATA = 32 * 1024;

export const uuid = (field: string) =>
    z.string().regex(UUID, `${field} must be a UUID such as 05982b48-a70f-43a1-a2b0-1fe36a236172`);

export const required = (field: string, what: string) => ({
    error: (issue: { input: unknown }) =>
        issue.input === undefined ? `${field} is required: ${what}` : `${field} must be ${what}`,
});

/** The password rules of the create API (seed 002), each failure named. */
export function passwordProblems(password: string): string[] {
    const problems: string[] = [];
    if (password.length < 8 || password.length > 26) problems.push("must be 8 to 26 characters long");
    const specials = PASSWORD_SPECIALS.replace(/[-\]\\[]/g, "\\$&");
    const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, new RegExp(`[${specials}]`)];
    if (classes.filter((re) => re.test(password)).length < 3) {
        problems.push(`must contain at least three of: uppercase letters, lowercase letters, digits, special characters ${PASSWORD_SPECIALS}`);
    }
    if (!new RegExp(`^[A-Za-z0-9${specials}]*$`).test(password)) problems.push(`may only contain letters, digits and ${PASSWORD_SPECIALS}`);
    const lower = password.toLowerCase();
    for (const word of ["root", "administrator"]) {
        const reversed = [...word].reverse().join("");
        if (lower.includes(word) || lower.includes(reversed)) {
            problems.push(`must not contain "${word}" or "${reversed}" (the username or its reverse)`);
        }
    }
    return problems;
}

export const VOLUME_TYPES = ["ESSD", "GPSSD", "SAS", "SATA", "SSD"] as const;
export const volumeType = (field: string) => z.enum(VOLUME_TYPES, { error: `${field} must be one of ${VOLUME_TYPES.join(", ")}` });
export const wholeNumber = (field: string, unit: string, min: number, max: number) =>
    z
        .number({ error: `${field} must be a number of ${unit}` })
        .int(`${field} must be a whole number of ${unit}`)
        .min(min, `${field} must be at least ${min}${unit === "GB" ? " GB" : ""}`)
        .max(max, `${field} must be at most ${max}${unit === "GB" ? " GB" : ""}`);

export const chargingInfoSchema = z
    .strictObject({
        chargingMode: z.enum(["COMMON", "POST_PAID", "PRE_PAID"], {
            error: "chargingInfo.chargingMode must be one of COMMON, POST_PAID, PRE_PAID",
        }),
        periodType: z
            .enum(["ABSOLUTE", "DAY", "HOUR", "MONTH", "WEEK", "YEAR"], {
                error: "chargingInfo.periodType must be one of ABSOLUTE, DAY, HOUR, MONTH, WEEK, YEAR",
            })
            .optional(),
        periodNum: wholeNumber("chargingInfo.periodNum", "periods", 1, 11).optional(),
        /** Pay the order from the account balance at once (default), as Terraform always does. */
        isAutoPay: z.boolean({ error: "chargingInfo.isAutoPay must be true or false" }).default(true),
        isAutoRenew: z.boolean({ error: "chargingInfo.isAutoRenew must be true or false" }).optional(),
    })
    .superRefine((c, ctx) => {
        // POST_PAID (pay-per-use) is the default and needs no period: it is then not sent at all.
        if (c.chargingMode === "POST_PAID" && c.periodType === undefined && c.periodNum === undefined) return;
        for (const key of ["periodType", "periodNum"] as const) {
            if (c[key] === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `chargingInfo.${key} is required when chargingInfo.chargingMode is ${c.chargingMode} (the API needs a billing period)`,
                });
            }
        }
    });

/** The API's EvsVolume: 100..1024 GB (huaweicloudsdkmodelarts evs_volume.py). */
export const rootVolumeSchema = z.strictObject({
    size: wholeNumber("rootVolume.size", "GB", 100, 1024).optional(),
    type: volumeType("rootVolume.type").optional(),
});

/** The API's ServerDataVolume: ONE object, `count` disks of `size` GB each (server_data_volume.py). */
export const dataVolumeSchema = z.strictObject({
    size: z.number(required("dataVolume.size", "a number of GB (100 to 32768)")).pipe(wholeNumber("dataVolume.size", "GB", 100, 32768)),
    type: volumeType("dataVolume.type").optional(),
    count: wholeNumber("dataVolume.count", "disks", 1, 8).optional(),
});

/** The API's AllowedAddressPairs (allowed_address_pairs.py); 0.0.0.0/0 is refused by the API. */
export const allowedAddressPairSchema = z.strictObject({
    ipAddress: z
        .string(required("allowedAddressPairs[].ipAddress", "an IP address or CIDR"))
        .min(1, "allowedAddressPairs[].ipAddress must not be empty")
        .refine((ip) => ip.trim() !== "0.0.0.0/0", "allowedAddressPairs[].ipAddress must not be 0.0.0.0/0 (the API does not support it)"),
    macAddress: z
        .string({ error: "allowedAddressPairs[].macAddress must be a string" })
        .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "allowedAddressPairs[].macAddress must be a MAC address such as fa:16:3e:aa:bb:cc")
        .optional(),
});

export const EVS_ID = /^[-_a-zA-Z0-9]{1,64}$/;
export const trigger = (field: string) =>
    z.string({ error: `${field} must be a string` }).min(1, `${field} must not be empty`).max(256, `${field} must be at most 256 characters`);
