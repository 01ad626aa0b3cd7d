/**
 * BSS (billing) model: the orders of prepaid (PRE_PAID) DevServers and their subscriptions, per
 * account (domain), no HTTP. Statuses are computed from timestamps like every other model.
 *
 * - A PRE_PAID DevServer create places an order (`DevServerModel.prepaid.place`). With
 *   `is_auto_pay: true` it is processing (3) and completes (5) `timings.bss.orderComplete` ms later;
 *   without, it waits for payment (6) until the admin API pays it (or cancels it: 4). When the order
 *   completes, the server is delivered: it appears in the project, CREATING then RUNNING, carrying
 *   `order_id`, and a subscription (resource id = server id) is recorded.
 * - Unsubscribe deletes the server (DELETING, then gone) and closes the subscription; a second
 *   unsubscribe answers CBC.30000067. Auto-renew on/off is the subscription's `expire_policy`
 *   (3 = renew automatically at expiry, 0 = grace period), as the SDK's OrderInstanceV2 reports it.
 */
import { randomBytes } from "crypto";
import { ApiError, ERROR_CODES } from "../errors";
import { BssTimings, ModelContext } from "./context";
import { BssOrderRecord, BssState, BssSubscriptionRecord, DevServerRecord, PrepaidCharging, projectState, takeFailure } from "./state";

export const DEFAULT_BSS_TIMINGS: BssTimings = Object.freeze({ orderComplete: 2000 });

const ORDER_STATUS = { PROCESSING: 3, CANCELLED: 4, COMPLETED: 5, PENDING_PAYMENT: 6 } as const;

function bad(message: string): never {
    throw new ApiError(400, ERROR_CODES.BSS_INVALID_PARAM, message);
}

/** `yyyy-MM-ddTHH:mm:ssZ`, the BSS time format. */
function bssTime(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function addPeriod(from: number, type: string, num: number): number {
    const d = new Date(from);
    switch (type) {
        case "YEAR":
            d.setUTCFullYear(d.getUTCFullYear() + num);
            break;
        case "MONTH":
            d.setUTCMonth(d.getUTCMonth() + num);
            break;
        case "WEEK":
            d.setUTCDate(d.getUTCDate() + 7 * num);
            break;
        case "DAY":
            d.setUTCDate(d.getUTCDate() + num);
            break;
        case "HOUR":
            d.setUTCHours(d.getUTCHours() + num);
            break;
        default:
            d.setUTCMonth(d.getUTCMonth() + num);
    }
    return d.getTime();
}

export class BssModel {
    constructor(
        private readonly ctx: ModelContext,
        /** The account (domain) a project belongs to. */
        private readonly domainOf: (projectId: string) => string | undefined,
        /** Deletes a delivered server (DELETING, then gone) whatever its status: what unsubscribing does. */
        private readonly deleteServer: (projectId: string, id: string) => void,
    ) {}

    private get s(): BssState {
        const state = this.ctx.state;
        state.bss ??= { orders: [], subscriptions: [] };
        return state.bss;
    }

    // ----- called by the DevServer model -------------------------------------------------------

    /** Places the order of a PRE_PAID create; the server is delivered when the order completes. */
    place(record: DevServerRecord, charging: PrepaidCharging): void {
        const now = this.ctx.now();
        const domainId = this.domainOf(record.projectId) ?? "";
        this.s.orders.push({
            orderId: record.orderId!,
            domainId,
            projectId: record.projectId,
            orderType: 1,
            createdAt: now,
            isAutoPay: charging.isAutoPay,
            completesAt: charging.isAutoPay ? now + this.orderDelay() : undefined,
            charging,
            pendingServer: record,
            resourceIds: [record.id],
        });
    }

    /** Delivers the servers of every order completed by now (idempotent); called before a project is read. */
    deliver(now: number = this.ctx.now()): void {
        let changed = false;
        for (const order of this.s.orders) {
            if (!order.pendingServer || order.completesAt === undefined || now < order.completesAt) continue;
            const record = order.pendingServer;
            order.pendingServer = undefined;
            const at = order.completesAt;
            record.createAt = at;
            record.updateAt = at;
            const failure = takeFailure(this.ctx.state, "devServer", "create", record.projectId, record.id);
            record.status = "CREATING";
            record.transition = {
                kind: "create",
                startedAt: at,
                steps: [{ status: "CREATING", durationMs: this.ctx.timings().devServer.create }],
                final: failure ? failure.status : "RUNNING",
                failedReasons: failure?.reason,
            };
            projectState(this.ctx.state, record.projectId).devServers.push(record);
            const charging = order.charging!;
            this.s.subscriptions.push({
                resourceId: record.id,
                domainId: order.domainId,
                projectId: record.projectId,
                orderId: order.orderId,
                resourceName: record.name,
                effectiveAt: at,
                expiresAt: addPeriod(at, charging.periodType, charging.periodNum),
                autoRenew: charging.isAutoRenew,
            });
            changed = true;
        }
        if (changed) this.ctx.mutated();
    }

    // ----- tenant API ---------------------------------------------------------------------------

    /** GET /v2/orders/customer-orders/details/{order_id}: only the caller's own orders. */
    orderDetails(domainId: string, orderId: string): Record<string, unknown> {
        this.deliver();
        const order = this.s.orders.find((o) => o.orderId === orderId && o.domainId === domainId);
        if (!order) bad(`order ${orderId} does not exist`);
        const now = this.ctx.now();
        const status = this.orderStatus(order, now);
        const info: Record<string, unknown> = {
            order_id: order.orderId,
            customer_id: order.domainId,
            service_type_code: "hws.service.type.modelarts",
            source_type: 1,
            status,
            order_type: order.orderType,
            create_time: bssTime(order.createdAt),
        };
        if (status === ORDER_STATUS.COMPLETED && order.completesAt !== undefined) info.payment_time = bssTime(order.completesAt);
        const items = order.resourceIds.map((id, i) => ({
            order_line_item_id: `${order.orderId}-${i + 1}`,
            service_type_code: "hws.service.type.modelarts",
            period_type: order.charging?.periodType,
            period_num: order.charging?.periodNum,
            subscription_num: 1,
            resource_id: id,
        }));
        return { total_count: 1, order_info: info, order_line_items: items };
    }

    /** POST /v2/orders/suscriptions/resources/query {resource_ids}: the caller's live subscriptions. */
    query(domainId: string, input: unknown): { total_count: number; data: Record<string, unknown>[] } {
        this.deliver();
        const ids = this.resourceIds(input, 100);
        const data = this.s.subscriptions
            .filter((s) => s.domainId === domainId && s.unsubscribedAt === undefined && ids.includes(s.resourceId))
            .map((s) => this.renderSubscription(s));
        return { total_count: data.length, data };
    }

    /** POST /v2/orders/subscriptions/resources/unsubscribe {resource_ids, unsubscribe_type}. */
    unsubscribe(domainId: string, input: unknown): { order_ids: string[] } {
        this.deliver();
        const ids = this.resourceIds(input, 10);
        const type = (input as Record<string, unknown>).unsubscribe_type;
        if (type !== 1 && type !== 2) bad("unsubscribe_type must be 1 (resource and renewed periods) or 2 (renewed periods only)");
        const subs = ids.map((id) => {
            const all = this.s.subscriptions.filter((s) => s.domainId === domainId && s.resourceId === id);
            if (all.length === 0) bad(`resource ${id} has no subscription of this account`);
            return all.find((s) => s.unsubscribedAt === undefined) ?? all[all.length - 1];
        });
        const done = subs.find((s) => s.unsubscribedAt !== undefined);
        if (done) {
            throw new ApiError(400, ERROR_CODES.BSS_ALREADY_UNSUBSCRIBED, `resource ${done.resourceId} has already been unsubscribed`);
        }
        const now = this.ctx.now();
        const orderId = newOrderId(now);
        for (const sub of subs) {
            if (type === 2) continue; // only renewed periods: nothing renewed in the emulator, the resource stays
            sub.unsubscribedAt = now;
            try {
                this.deleteServer(sub.projectId, sub.resourceId);
            } catch (err) {
                if (!(err instanceof ApiError) || err.code !== ERROR_CODES.DEV_SERVER_NOT_FOUND) throw err;
            }
        }
        this.s.orders.push({
            orderId,
            domainId,
            projectId: subs[0].projectId,
            orderType: 4,
            createdAt: now,
            isAutoPay: true,
            completesAt: now,
            resourceIds: subs.map((s) => s.resourceId),
        });
        this.ctx.mutated();
        return { order_ids: [orderId] };
    }

    /** POST (on) / DELETE (off) /v2/orders/subscriptions/resources/autorenew/{resource_id}. */
    setAutoRenew(domainId: string, resourceId: string, on: boolean): void {
        this.deliver();
        const sub = this.s.subscriptions.find((s) => s.domainId === domainId && s.resourceId === resourceId && s.unsubscribedAt === undefined);
        if (!sub) bad(`resource ${resourceId} has no subscription of this account`);
        sub.autoRenew = on;
        this.ctx.mutated();
    }

    // ----- admin --------------------------------------------------------------------------------

    /** What the user does in the console's billing center: pays a pending order (then it completes). */
    pay(orderId: string): Record<string, unknown> {
        const order = this.adminOrder(orderId);
        const now = this.ctx.now();
        const status = this.orderStatus(order, now);
        if (status !== ORDER_STATUS.PENDING_PAYMENT) {
            throw new ApiError(400, ERROR_CODES.ADMIN_BAD_REQUEST, `order ${orderId} is not pending payment (status ${status})`);
        }
        order.completesAt = now;
        this.ctx.mutated();
        this.deliver(now);
        return this.orderDetails(order.domainId, orderId);
    }

    /** Cancels a pending order (status 4): its server never appears. */
    cancel(orderId: string): Record<string, unknown> {
        const order = this.adminOrder(orderId);
        const status = this.orderStatus(order, this.ctx.now());
        if (status === ORDER_STATUS.COMPLETED || status === ORDER_STATUS.CANCELLED) {
            throw new ApiError(400, ERROR_CODES.ADMIN_BAD_REQUEST, `order ${orderId} can no longer be cancelled (status ${status})`);
        }
        order.cancelledAt = this.ctx.now();
        order.completesAt = undefined;
        order.pendingServer = undefined;
        this.ctx.mutated();
        return this.orderDetails(order.domainId, orderId);
    }

    dump(): { orders: Record<string, unknown>[]; subscriptions: Record<string, unknown>[] } {
        this.deliver();
        const now = this.ctx.now();
        return {
            orders: this.s.orders.map((o) => ({
                orderId: o.orderId,
                domainId: o.domainId,
                projectId: o.projectId,
                orderType: o.orderType,
                status: this.orderStatus(o, now),
                isAutoPay: o.isAutoPay,
                resourceIds: o.resourceIds,
            })),
            subscriptions: this.s.subscriptions.map((s) => ({ ...this.renderSubscription(s), unsubscribed: s.unsubscribedAt !== undefined })),
        };
    }

    reset(): void {
        this.ctx.state.bss = { orders: [], subscriptions: [] };
    }

    // ----- internals ----------------------------------------------------------------------------

    private orderDelay(): number {
        return this.ctx.timings().bss?.orderComplete ?? DEFAULT_BSS_TIMINGS.orderComplete;
    }

    private orderStatus(order: BssOrderRecord, now: number): number {
        if (order.cancelledAt !== undefined) return ORDER_STATUS.CANCELLED;
        if (order.completesAt !== undefined && now >= order.completesAt) return ORDER_STATUS.COMPLETED;
        return order.isAutoPay ? ORDER_STATUS.PROCESSING : ORDER_STATUS.PENDING_PAYMENT;
    }

    private adminOrder(orderId: string): BssOrderRecord {
        this.deliver();
        const order = this.s.orders.find((o) => o.orderId === orderId);
        if (!order) throw new ApiError(404, ERROR_CODES.ADMIN_NOT_FOUND, `no order ${orderId}`);
        return order;
    }

    private resourceIds(input: unknown, max: number): string[] {
        if (typeof input !== "object" || input === null || Array.isArray(input)) bad("request body must be a JSON object");
        const ids = (input as Record<string, unknown>).resource_ids;
        if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string" || id === "")) {
            bad("resource_ids must be a non-empty array of resource IDs");
        }
        if (ids.length > max) bad(`resource_ids may hold at most ${max} IDs`);
        return ids as string[];
    }

    private renderSubscription(s: BssSubscriptionRecord): Record<string, unknown> {
        return {
            id: `${s.orderId}-${s.resourceId.slice(0, 8)}`,
            resource_id: s.resourceId,
            resource_name: s.resourceName,
            project_id: s.projectId,
            service_type_code: "hws.service.type.modelarts",
            resource_type_code: "hws.resource.type.modelarts.devserver",
            is_main_resource: 1,
            status: 2,
            effective_time: bssTime(s.effectiveAt),
            expire_time: bssTime(s.expiresAt),
            expire_policy: s.autoRenew ? 3 : 0,
        };
    }
}

/** An order id like the real ones (`CS` + digits + letters). */
export function newOrderId(now: number): string {
    return `CS${now}${randomBytes(5).toString("hex").toUpperCase()}`;
}
