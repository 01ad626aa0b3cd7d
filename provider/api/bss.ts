/**
 * BSS (billing) API for prepaid (PRE_PAID) resources: order details, subscriptions (is a resource
 * prepaid?), unsubscribe, auto-renew, and the wait for an order to complete. The calls and codes are
 * those Terraform's provider uses for `huaweicloud_modelarts_devserver` (services/cbc/common.go:
 * WaitOrderComplete, UnsubscribePrePaidResource, UpdateAutoRenew; resourceDevServerDelete), with the
 * bodies of the official SDKs' bss v2 models (huaweicloud-sdk-go-v3 services/bss/v2/model).
 *
 * Response schemas are loose: unknown fields are kept, optional fields accept null.
 */
import { z } from "zod";
import { encodePath, isTransientError, ModelArtsApiError } from "../client";
import type { BssClient } from "../client/bss";
import { defaultSchedule, PollSchedule, waitFor } from "../wait";
import { formatDuration } from "../duration";
import { ModelArtsError, WaitTimeoutError } from "../errors";
import type { Clock } from "../clock";
import { log } from "../log";
import { checkRequest, parseResponse } from "./parse";

/** `order_info.status` (Go SDK model_customer_order_v3.go). */
export const BSS_ORDER_STATUS = {
    PENDING_APPROVAL: 1,
    PENDING_REFUND: 2,
    PROCESSING: 3,
    CANCELLED: 4,
    COMPLETED: 5,
    PENDING_PAYMENT: 6,
    PENDING_CONFIRMATION: 9,
    PENDING_SHIPMENT: 10,
    PENDING_RECEIPT: 11,
    PENDING_PICKUP: 12,
    BEING_EXCHANGED: 13,
} as const;

/** Statuses an order may pass through before it completes (every known one but 4 and 5). */
export const BSS_ORDER_PENDING: readonly number[] = [1, 2, 3, 6, 9, 10, 11, 12, 13];

/** `expire_policy` of a subscription (OrderInstanceV2): 3 = renewed automatically at expiry. */
export const BSS_EXPIRE_POLICY = {
    GRACE_PERIOD: 0,
    TO_PAY_PER_USE: 1,
    DELETE: 2,
    AUTO_RENEW: 3,
    FREEZE: 4,
    DELETE_FROM_RETENTION: 5,
} as const;

/** The resource was already unsubscribed (Terraform's resourceDevServerDelete treats it as gone). */
export const BSS_ALREADY_UNSUBSCRIBED = "CBC.30000067";

/** `unsubscribe_type` 1: the resource and its renewed periods (2 = only the renewed periods). */
export const UNSUBSCRIBE_RESOURCE_AND_RENEWALS = 1;

// ---- bodies ------------------------------------------------------------------------------------

const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const str = () => opt(z.string());
const num = () => opt(z.number());

/** `order_info` (CustomerOrderV3). */
export const BssOrderInfoSchema = z.looseObject({
    order_id: str(),
    customer_id: str(),
    status: num(),
    order_type: num(),
    create_time: str(),
    payment_time: str(),
});

/** GET /v2/orders/customer-orders/details/{order_id} */
export const BssOrderDetailsSchema = z.looseObject({
    total_count: num(),
    order_info: opt(BssOrderInfoSchema),
    order_line_items: opt(z.array(z.looseObject({}))),
});
export type BssOrderDetails = z.output<typeof BssOrderDetailsSchema>;

/** One subscription (OrderInstanceV2). */
export const BssSubscriptionSchema = z.looseObject({
    id: str(),
    resource_id: str(),
    resource_name: str(),
    region_code: str(),
    project_id: str(),
    service_type_code: str(),
    resource_type_code: str(),
    is_main_resource: num(),
    /** 2 in use, 3 closed (not shown in the console), 4 frozen, 5 expired (GO SDK model_order_instance_v2.go). */
    status: num(),
    effective_time: str(),
    expire_time: str(),
    /** See BSS_EXPIRE_POLICY; 3 = auto-renew. */
    expire_policy: num(),
});
export type BssSubscription = z.output<typeof BssSubscriptionSchema>;

/** POST /v2/orders/suscriptions/resources/query */
export const BssSubscriptionListSchema = z.looseObject({
    data: opt(z.array(BssSubscriptionSchema)),
    total_count: num(),
});

export const QuerySubscriptionsRequestSchema = z.looseObject({ resource_ids: z.array(z.string().min(1)).min(1) });
export const UnsubscribeRequestSchema = z.looseObject({
    resource_ids: z.array(z.string().min(1)).min(1).max(10),
    unsubscribe_type: z.number().int(),
});

/** POST /v2/orders/subscriptions/resources/unsubscribe */
export const UnsubscribeResponseSchema = z.looseObject({ order_ids: opt(z.array(z.string())) });

// ---- calls -------------------------------------------------------------------------------------

export async function getOrder(client: BssClient, orderId: string): Promise<BssOrderDetails> {
    const res = await client.request({ method: "GET", path: encodePath`/v2/orders/customer-orders/details/${orderId}` });
    return parseResponse("getOrder", BssOrderDetailsSchema, res);
}

/**
 * The subscriptions of these resources (empty for pay-per-use ones). Terraform decides "prepaid"
 * by a non-empty answer. The path is spelled "suscriptions" by the API itself.
 */
export async function querySubscriptions(client: BssClient, resourceIds: string[]): Promise<BssSubscription[]> {
    const body = checkRequest("querySubscriptions", QuerySubscriptionsRequestSchema, { resource_ids: resourceIds });
    const res = await client.request({ method: "POST", path: "/v2/orders/suscriptions/resources/query", body });
    return parseResponse("querySubscriptions", BssSubscriptionListSchema, res).data ?? [];
}

/** The subscription of one resource, or undefined when it has none (pay-per-use, or unsubscribed). */
export async function findSubscription(client: BssClient, resourceId: string): Promise<BssSubscription | undefined> {
    return (await querySubscriptions(client, [resourceId])).find((s) => s.resource_id === resourceId || s.id === resourceId);
}

/** True when the subscription renews automatically at expiry. */
export function isAutoRenew(subscription: BssSubscription): boolean {
    return subscription.expire_policy === BSS_EXPIRE_POLICY.AUTO_RENEW;
}

export interface UnsubscribeResult {
    /** Orders BSS created for the refund. */
    orderIds: string[];
    /** BSS answered CBC.30000067: nothing left to unsubscribe (done before, e.g. by an earlier run). */
    alreadyUnsubscribed: boolean;
}

/**
 * Unsubscribes prepaid resources (and their renewed periods): what deletes a prepaid DevServer.
 * "Already unsubscribed" (CBC.30000067) counts as done. The caller then waits for the resource to
 * be gone through its own API.
 */
export async function unsubscribeResources(client: BssClient, resourceIds: string[]): Promise<UnsubscribeResult> {
    const body = checkRequest("unsubscribeResources", UnsubscribeRequestSchema, {
        resource_ids: resourceIds,
        unsubscribe_type: UNSUBSCRIBE_RESOURCE_AND_RENEWALS,
    });
    try {
        const res = await client.request({ method: "POST", path: "/v2/orders/subscriptions/resources/unsubscribe", body });
        return { orderIds: parseResponse("unsubscribeResources", UnsubscribeResponseSchema, res ?? {}).order_ids ?? [], alreadyUnsubscribed: false };
    } catch (err) {
        if (isAlreadyUnsubscribed(err)) return { orderIds: [], alreadyUnsubscribed: true };
        throw err;
    }
}

export function isAlreadyUnsubscribed(err: unknown): boolean {
    const name = (err as { name?: unknown } | null)?.name;
    if (!(err instanceof ModelArtsApiError) && name !== "ModelArtsApiError") return false;
    const e = err as { status: number; errorCode?: string };
    return e.status < 500 && e.errorCode === BSS_ALREADY_UNSUBSCRIBED;
}

/** Turns automatic renewal on (POST) or off (DELETE) for a prepaid resource; BSS answers 204. */
export async function setAutoRenew(client: BssClient, resourceId: string, enabled: boolean): Promise<void> {
    await client.request({
        method: enabled ? "POST" : "DELETE",
        path: encodePath`/v2/orders/subscriptions/resources/autorenew/${resourceId}`,
    });
}

// ---- waiting for an order ----------------------------------------------------------------------

/** An order will not complete by waiting: it was cancelled, or it waits for a payment nobody will make. */
export class BssOrderError extends ModelArtsError {
    constructor(
        readonly orderId: string,
        readonly status: number | undefined,
        readonly reason: "cancelled" | "awaiting-payment",
        message: string,
    ) {
        super(message);
        this.name = "BssOrderError";
    }
}

export interface WaitForOrderOptions {
    /** Whether the order was placed with `is_auto_pay: true` (charging_info). */
    isAutoPay: boolean;
    timeoutMs: number;
    /**
     * With auto-pay off, how long an order may stay pending payment (6) before the wait stops and
     * tells the user to pay it. Default 60 polls' minimum interval (60 s unscaled).
     */
    paymentGraceMs?: number;
    /** Says what the order is for, e.g. `DevServer gpu-box`. */
    what?: string;
    schedule?: PollSchedule;
    clock?: Clock;
}

function payInstructions(orderId: string): string {
    return (
        `pay order ${orderId} in the Huawei Cloud console (Billing Center > Orders > My Orders) and adopt the server it ` +
        "makes with the 'import' resource option (running pulumi up again would place a second order); or cancel the order " +
        "and let the provider pay from the account balance with isAutoPay: true"
    );
}

/**
 * Waits until the order is completed (status 5), with progress lines, as Terraform's
 * WaitOrderComplete does. Fails with a BssOrderError when it is cancelled (4), or when it still waits
 * for payment (6) `paymentGraceMs` after the start while auto-pay is off; a timeout while pending
 * payment with auto-pay on says that the automatic payment did not go through.
 */
export async function waitForOrder(client: BssClient, orderId: string, options: WaitForOrderOptions): Promise<BssOrderDetails> {
    const schedule = options.schedule ?? defaultSchedule();
    const clock = options.clock;
    const graceMs = options.paymentGraceMs ?? 60 * schedule.minIntervalMs;
    const what = `order ${orderId}${options.what ? ` (${options.what})` : ""} to complete`;
    const now = () => (clock ? clock.now() : Date.now());
    const started = now();
    const statusName = (s: string) => {
        const entry = Object.entries(BSS_ORDER_STATUS).find(([, v]) => String(v) === s);
        return entry ? `${s} (${entry[0].toLowerCase().replace(/_/g, " ")})` : s;
    };
    try {
        const result = await waitFor<BssOrderDetails>({
            what,
            refresh: async () => {
                const details = await getOrder(client, orderId);
                const status = details.order_info?.status;
                if (status === BSS_ORDER_STATUS.CANCELLED) {
                    throw new BssOrderError(
                        orderId,
                        status,
                        "cancelled",
                        `BSS order ${orderId} was cancelled, so the resource was not created; ` +
                            "remove the cancelled purchase from the stack or run `pulumi up` again to place a new order.",
                    );
                }
                if (status === BSS_ORDER_STATUS.PENDING_PAYMENT && !options.isAutoPay && now() - started >= graceMs) {
                    throw new BssOrderError(
                        orderId,
                        status,
                        "awaiting-payment",
                        `BSS order ${orderId} is waiting for payment (auto-pay is off) after ${formatDuration(now() - started)}: ` +
                            `${payInstructions(orderId)}.`,
                    );
                }
                return { status: status === undefined ? "(no status)" : String(status), value: details };
            },
            pending: BSS_ORDER_PENDING.map(String),
            target: [String(BSS_ORDER_STATUS.COMPLETED)],
            timeoutMs: options.timeoutMs,
            schedule,
            clock,
            isTransient: isTransientError,
            onStatus: (status, elapsed) =>
                log.info(`waiting for ${what}: status ${statusName(status)} after ${formatDuration(elapsed)}`),
        });
        return result.last!.value;
    } catch (err) {
        if (err instanceof WaitTimeoutError && err.lastStatus === String(BSS_ORDER_STATUS.PENDING_PAYMENT)) {
            throw new BssOrderError(
                orderId,
                BSS_ORDER_STATUS.PENDING_PAYMENT,
                "awaiting-payment",
                `BSS order ${orderId} was still waiting for payment after ${formatDuration(err.elapsedMs)}` +
                    (options.isAutoPay ? " although auto-pay is on (is the account balance sufficient?)" : "") +
                    `: ${payInstructions(orderId)}.`,
            );
        }
        throw err;
    }
}
