// CCV Shop implementation of the ShopPlatform port, over CCV's signed REST API (api-client.server.ts).
// Webhooks are triggers: every order is read by id (GET /orders/{id}, its rows, and its labels: order-labels.ts). The
// sync lists paid, completed orders created since its cursor; the core re-reads Koppel's open orders the listing left out (listing
// "open_orders"), which catches a status changed in CCV whose webhook never came. Write-back is one PATCH.
// Contract: ../shared/contracts/ccvshop.md; facts since: issue 10.
import type { MarkShippedResult, PlatformCapabilities, PlatformOrder, Result, ShopAccess, ShopPlatform, ShipmentTracking, StoredDelivery, SyncPage } from "../../core/ports";
import { createCcvClient, isCcvApiError, type CcvClient, type CcvClientDeps } from "./api-client.server";
import { ccvCredentialsOf } from "./credentials";
import { ccvDeliveryMentions, classifyCcvDelivery, WebhookSummarySchema } from "./deliveries";
import { createFetchThrottle, type FetchThrottle } from "./fetch-throttle";
import { createOrderLabelReader } from "./order-labels";
import {
  CcvCollectionSchema,
  CcvOrderRowSchema,
  CcvOrderSchema,
  formatZodIssues,
  invalidCcvOrder,
  mapCcvOrder,
  isOpenStatus,
  SENT_STATUS,
  SHIPPED_STATUSES,
  type CcvOrder,
  type CcvOrderRow,
} from "./order-schema";

export const CCVSHOP_CAPABILITIES: PlatformCapabilities = { intake: "webhooks", notifiesCustomerOnShipment: true, listing: "open_orders" };

/** A public connector pages with 25; larger pages mean fewer signed calls for the same orders. */
export const ORDERS_PAGE_SIZE = 50;
export const ROWS_PAGE_SIZE = 100;
/**
 * The listing reads orders created this long before the core's since (cursor minus its overlap) as well: an order is
 * created when checkout starts and completed when it ends (an iDEAL round trip can take minutes), and CCV can only
 * filter on the create date.
 */
export const CREATE_DATE_OVERLAP_MS = 60 * 60 * 1000;
/** Triggers for one order cause at most one read per this window (fetch-throttle.ts). */
export const TRIGGER_WINDOW_MS = 5_000;

export type CcvShopPlatformDeps = CcvClientDeps & {
  /** A client per shop (tests inject their own). */
  clientFor?: (shop: ShopAccess) => CcvClient;
  triggerWindowMs?: number;
  /** Orders per listing page (default ORDERS_PAGE_SIZE). */
  pageSize?: number;
  /** Where an order read without its labels is reported (the registry passes the app's logger). */
  log?: (event: string, meta: Record<string, unknown>) => void;
};

export type CcvShopPlatform = ShopPlatform & { readonly id: "ccvshop"; readonly throttle: FetchThrottle; clientFor(shop: ShopAccess): CcvClient };

/** The carrier name CCV shows next to the code: the distributor when known, else the carrier platform. */
export function ccvTrackingCarrier(tracking: ShipmentTracking): string {
  return tracking.distributor ?? tracking.carrierName;
}

export function createCcvShopPlatform(deps: CcvShopPlatformDeps = {}): CcvShopPlatform {
  const clientFor =
    deps.clientFor ??
    ((shop: ShopAccess) => {
      const creds = ccvCredentialsOf(shop.credentials);
      if (!creds.ok) throw new Error(creds.reason);
      return createCcvClient(creds.value, deps);
    });
  const throttle = createFetchThrottle({ windowMs: deps.triggerWindowMs ?? TRIGGER_WINDOW_MS, sleep: deps.sleep, now: deps.now ? () => deps.now!().getTime() : undefined });

  /** Every row of an order (rows are their own collection; most orders have one page). */
  async function rowsOf(client: CcvClient, orderId: string, onBusy: "wait" | "fail"): Promise<Result<CcvOrderRow[]>> {
    const rows: CcvOrderRow[] = [];
    let answer = await client.call({ method: "GET", resource: `orders/${orderId}/orderrows`, query: { start: 0, size: ROWS_PAGE_SIZE }, onBusy });
    for (let page = 0; page < 100; page++) {
      const parsed = CcvCollectionSchema.safeParse(answer.body);
      if (!parsed.success) return { ok: false, reason: `order rows: ${formatZodIssues(parsed.error)}` };
      for (const [i, item] of parsed.data.items.entries()) {
        const row = CcvOrderRowSchema.safeParse(item);
        if (!row.success) return { ok: false, reason: `order row ${i + 1}: ${formatZodIssues(row.error)}` };
        rows.push(row.data);
      }
      if (!parsed.data.next) return { ok: true, value: rows };
      answer = await client.follow(parsed.data.next, { onBusy });
    }
    return { ok: false, reason: "order rows: more than 100 pages" };
  }

  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const labels = createOrderLabelReader(() => now().getTime());

  /**
   * An order resource (read at `readAt`), its rows and its labels → PlatformOrder (raw keeps them as CCV sent them).
   * Labels that cannot be read leave `tags` out (the import keeps the stored ones) and are logged: the order still imports.
   */
  async function complete(shop: ShopAccess, client: CcvClient, order: CcvOrder, item: unknown, readAt: Date, onBusy: "wait" | "fail"): Promise<Result<PlatformOrder>> {
    const rows = await rowsOf(client, order.id, onBusy);
    if (!rows.ok) return rows;
    const read = await labels.read(String(shop.shopId), client, order.id, onBusy);
    if (!read.ok) log("ccvshop.orderlabels.unread", { shop: shop.domain, order: order.id, reason: read.reason });
    const raw = { order: item, orderrows: rows.value, orderlabels: read.ok ? read.raw : { unread: read.reason } };
    return mapCcvOrder(order, rows.value, readAt, raw, read.ok ? read.tags : undefined);
  }

  function parseOrder(item: unknown): Result<CcvOrder> {
    const order = CcvOrderSchema.safeParse(item);
    return order.success ? { ok: true, value: order.data } : { ok: false, reason: `CCV order: ${formatZodIssues(order.error)}` };
  }

  /** GET /orders/{id}: ok + null when CCV has no such order (404). */
  async function readOrder(shop: ShopAccess, id: string, onBusy: "wait" | "fail"): Promise<Result<PlatformOrder | null>> {
    if (!/^\d{1,20}$/.test(id)) return { ok: false, reason: `order id ${JSON.stringify(id)} is not a CCV order id` };
    const client = clientFor(shop);
    const readAt = now();
    let answer;
    try {
      answer = await client.call({ method: "GET", resource: `orders/${id}`, onBusy });
    } catch (e) {
      if (isCcvApiError(e) && e.status === 404) return { ok: true, value: null };
      throw e;
    }
    const order = parseOrder(answer.body);
    return order.ok ? complete(shop, client, order.value, answer.body, readAt, onBusy) : order;
  }

  return {
    id: "ccvshop",
    capabilities: CCVSHOP_CAPABILITIES,
    throttle,
    clientFor,
    classifyDelivery: classifyCcvDelivery,
    deliveryMentions: ccvDeliveryMentions,

    async orderFromDelivery(shop, d: StoredDelivery): Promise<Result<PlatformOrder>> {
      const summary = WebhookSummarySchema.safeParse(d.payload);
      if (!summary.success) return { ok: false, reason: "the webhook does not name an order id" };
      const id = summary.data.id;
      // A rate limit or an unreachable shop throws: the delivery's job is retried with backoff (that is the wait).
      const read = await throttle.read(`${shop.shopId}:${id}`, () => readOrder(shop, id, "fail"));
      if (read.ok && read.value === null) return { ok: false, reason: `CCV Shop has no order ${id} (deleted?)` };
      return read as Result<PlatformOrder>;
    },

    fetchOrder(shop, platformOrderId) {
      return readOrder(shop, platformOrderId, "wait");
    },

    async listOrders(shop, query): Promise<SyncPage> {
      const client = clientFor(shop);
      const readAt = now();
      let answer;
      if (query.pageCursor) answer = await client.follow(query.pageCursor);
      else {
        const since = query.since ? new Date(query.since.getTime() - CREATE_DATE_OVERLAP_MS) : null;
        answer = await client.call({
          method: "GET",
          resource: "orders",
          query: {
            is_paid: true,
            is_completed: true,
            ...(since ? { min_create_date: since.toISOString().replace(/\.\d{3}Z$/, "Z") } : {}),
            orderby: "create_date",
            start: 0,
            size: deps.pageSize ?? ORDERS_PAGE_SIZE,
          },
        });
      }
      const page = CcvCollectionSchema.safeParse(answer.body);
      if (!page.success) throw new Error(`CCV Shop's order list is not a collection: ${formatZodIssues(page.error)}`);
      const orders: PlatformOrder[] = [];
      const invalid: SyncPage["invalid"] = [];
      for (const item of page.data.items) {
        const order = parseOrder(item);
        if (!order.ok) {
          invalid.push(invalidCcvOrder(item, order.reason));
          continue;
        }
        // Only open orders (listing "open_orders"): one that already left the shop (sent, delivered, completed,
        // cancelled) or is picked up is left out, unread — Koppel's own orders to ship that the listing leaves out are
        // re-read by id by the core, and any other would only be skipped, with a line in Activiteit at every sync.
        if (!isOpenStatus(order.value.status) || order.value.deliver_method?.toLowerCase() === "pickup") continue;
        const done = await complete(shop, client, order.value, item, readAt, "wait");
        if (done.ok) orders.push(done.value);
        else invalid.push(invalidCcvOrder(item, done.reason));
      }
      return { orders, invalid, nextPageCursor: page.data.next || null };
    },

    async markShipped(shop, platformOrderId, tracking, opts): Promise<MarkShippedResult> {
      const creds = ccvCredentialsOf(shop.credentials);
      if (!creds.ok) return { ok: false, reason: creds.reason, retryable: false };
      const client = clientFor(shop);
      // CCV ships the order as a whole: the order itself is what was fulfilled.
      const fulfilled = [platformOrderId];
      try {
        // Safe to call again: an order CCV already has as sent with this code needs no second PATCH (no second e-mail).
        const current = await client.call({ method: "GET", resource: `orders/${platformOrderId}`, onBusy: "fail" });
        const order = CcvOrderSchema.safeParse(current.body);
        if (order.success && order.data.status !== null && SHIPPED_STATUSES.has(order.data.status) && order.data.track_and_trace_code === tracking.number) {
          return { ok: true, value: { platformFulfillmentIds: fulfilled, alreadyShipped: true } };
        }
        // Only these fields: PATCH /orders also takes `orderrows`, which replaces every row of the order.
        await client.call({
          method: "PATCH",
          resource: `orders/${platformOrderId}`,
          body: { status: SENT_STATUS, track_and_trace_code: tracking.number, track_and_trace_carrier: ccvTrackingCarrier(tracking), mail: opts.notifyCustomer },
          onBusy: "fail",
        });
        return { ok: true, value: { platformFulfillmentIds: fulfilled, alreadyShipped: false } };
      } catch (e) {
        if (!isCcvApiError(e)) throw e;
        return { ok: false, reason: e.message, retryable: e.retryable };
      }
    },

    async applyPlatformDelivery() {
      return { ok: false, reason: "CCV Shop sends no platform deliveries" };
    },
    // The credentials live in shops.credentials_encrypted, which the core clears on uninstall and redact.
    async onUninstall() {},
    async onRedact() {},
  };
}
