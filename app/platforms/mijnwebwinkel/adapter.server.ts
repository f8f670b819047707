// Mijnwebwinkel (MyOnlineStore Connect API v1) implementation of the ShopPlatform port. Polled: no webhooks. The poll
// lists the store's open orders — not archived, in the to-ship statuses, never test orders (`test=false`, and any
// "T-" number that arrives anyway is handed to the core as a test order, which refuses it) — one status at a time,
// paged with limit/offset (max 100). Every open order is listed at every poll: the core re-reads by number the orders
// it still has to ship that the listing left out (listing "open_orders"), so an order that left the to-ship statuses
// or was archived leaves "to ship". (`status_changed_start_date` is not used: neither a payment nor archiving changes
// it, and listing only changed orders would make the core re-read every unchanged open order one by one.)
// The to-ship and shipped statuses and "only paid" are the shop's settings (settings.server.ts, read at every poll and
// write-back), defaulting to the statuses' names and on.
// "Only paid orders" checks each new order's payments once (GET /v1/orders/{n}/payments?embed=mutations); a paid
// order is remembered per process, an unpaid one is checked again at the next poll. The status list is read once an
// hour per shop. So a poll with nothing new costs one list call per to-ship status.
// Write-back: PATCH /v1/orders/{n} to the "shipped" status with the track & trace code and link appended to
// comments.internal (which the API replaces whole: read first, never overwrite). Mijnwebwinkel e-mails no customer.
import type { MarkShippedResult, PlatformCapabilities, PlatformOrder, Result, ShopAccess, ShopPlatform, ShipmentTracking, SyncPage } from "../../core/ports";
import { createMwwClient, isMwwApiError, type MwwApiConfig, type MwwClient, type MwwClientDeps } from "./api-client.server";
import { mwwCredentialsOf } from "./credentials";
import {
  financialStatusOf,
  formatZodIssues,
  invalidMwwOrder,
  isTestOrder,
  mapMwwOrder,
  MwwOrderSchema,
  MwwPaymentsSchema,
  MwwStatusListSchema,
  statusPolicy,
  type MwwOrder,
  type MwwStatus,
  type MwwStatusPolicy,
} from "./order-schema";
import { DEFAULT_MWW_SETTINGS, type MwwShopSettings } from "./settings.server";

export const MIJNWEBWINKEL_CAPABILITIES: PlatformCapabilities = { intake: "polling", listing: "open_orders", notifiesCustomerOnShipment: false, testOrders: "never" };

/** The API's maximum `limit`. */
export const ORDERS_PAGE_SIZE = 100;
/** The store's status list is read again after this long. */
export const STATUSES_TTL_MS = 60 * 60 * 1000;
/** Orders remembered per shop (payments checked, first seen as they are now); beyond it the memory starts over. */
const MAX_REMEMBERED = 20_000;

export type MijnwebwinkelPlatformDeps = MwwClientDeps & {
  /** Base URL and partner token, read at each call (the registry: MIJNWEBWINKEL_API_URL / _PARTNER_TOKEN, or the demo's fake). */
  config: () => MwwApiConfig;
  now?: () => Date;
  /** Orders per listing page (default and maximum 100). */
  pageSize?: number;
  /** "Only paid orders" when there is no settingsOf (default on): off takes every listed order as paid, without a payments call. */
  onlyPaid?: boolean;
  /** The shop's settings (statuses to ship, shipped, only paid); default: by name, only paid = `onlyPaid`. */
  settingsOf?: (shopId: number) => Promise<MwwShopSettings>;
};

export type MijnwebwinkelPlatform = ShopPlatform & {
  readonly id: "mijnwebwinkel";
  clientFor(shop: ShopAccess): MwwClient;
  /** The store's order statuses (for Instellingen); `fresh` reads them now instead of from the hour's cache. */
  orderStatuses(shop: ShopAccess, opts?: { fresh?: boolean }): Promise<MwwStatus[]>;
  /** The updatedAt the adapter last gave this order (the instant it first saw it as it is now), for tests. */
  updatedAtOf(shopId: number, platformOrderId: string): Date | null;
};

type Seen = { fingerprint: string; at: Date; financial: string | null };

/** The line Koppel appends to the order's internal comment. */
export function trackingComment(tracking: ShipmentTracking): string {
  return `Verzonden met ${tracking.distributor ?? tracking.carrierName}, track & trace ${tracking.number}: ${tracking.url}`;
}

type PageCursor = { s: number; o: number };
function readCursor(c: string | null): PageCursor {
  if (!c) return { s: 0, o: 0 };
  try {
    const v = JSON.parse(c) as PageCursor;
    if (Number.isInteger(v.s) && Number.isInteger(v.o) && v.s >= 0 && v.o >= 0) return v;
  } catch {
    /* below */
  }
  throw new Error(`Mijnwebwinkel page cursor ${JSON.stringify(c)} is not one of Koppel's`);
}

export function createMijnwebwinkelPlatform(deps: MijnwebwinkelPlatformDeps): MijnwebwinkelPlatform {
  const now = deps.now ?? (() => new Date());
  const pageSize = Math.min(deps.pageSize ?? ORDERS_PAGE_SIZE, ORDERS_PAGE_SIZE);
  const defaults: MwwShopSettings = { ...DEFAULT_MWW_SETTINGS, onlyPaid: deps.onlyPaid ?? true };
  const settingsOf = deps.settingsOf ?? (async () => defaults);
  const statuses = new Map<number, { list: MwwStatus[]; at: number }>();
  const seen = new Map<number, Map<string, Seen>>();

  function clientFor(shop: ShopAccess): MwwClient {
    const creds = mwwCredentialsOf(shop.credentials);
    if (!creds.ok) throw new Error(creds.reason);
    return createMwwClient(deps.config(), creds.value.apiToken, deps);
  }

  async function statusList(shop: ShopAccess, client: MwwClient, onBusy: "wait" | "fail", fresh = false): Promise<MwwStatus[]> {
    const cached = statuses.get(shop.shopId);
    if (!fresh && cached && now().getTime() - cached.at < STATUSES_TTL_MS) return cached.list;
    const answer = await client.call({ method: "GET", resource: "orderstatuses", onBusy });
    const list = MwwStatusListSchema.safeParse(answer.body);
    if (!list.success) throw new Error(`Mijnwebwinkel's order statuses cannot be read: ${formatZodIssues(list.error)}`);
    statuses.set(shop.shopId, { list: list.data, at: now().getTime() });
    return list.data;
  }

  /** The statuses' meaning for this shop now, and its "only paid". */
  async function policyFor(shop: ShopAccess, client: MwwClient, onBusy: "wait" | "fail"): Promise<MwwStatusPolicy & { onlyPaid: boolean }> {
    const settings = await settingsOf(shop.shopId);
    return { ...statusPolicy(await statusList(shop, client, onBusy), settings), onlyPaid: settings.onlyPaid };
  }

  function memoryOf(shopId: number): Map<string, Seen> {
    let m = seen.get(shopId);
    if (!m) seen.set(shopId, (m = new Map()));
    if (m.size > MAX_REMEMBERED) m.clear();
    return m;
  }

  /** Paid, refunded or pending: once known paid (or refunded) it is not asked again. */
  async function financialOf(shop: ShopAccess, client: MwwClient, onlyPaid: boolean, order: MwwOrder, onBusy: "wait" | "fail"): Promise<string> {
    if (!onlyPaid) return "paid";
    if (isTestOrder(order)) return "pending"; // refused by the core anyway: no call
    const known = memoryOf(shop.shopId).get(order.number.digits)?.financial;
    if (known === "paid" || known === "refunded") return known;
    const answer = await client.call({ method: "GET", resource: `orders/${order.number.digits}/payments`, query: { embed: "mutations" }, onBusy });
    const payments = MwwPaymentsSchema.safeParse(answer.body);
    if (!payments.success) throw new Error(`Mijnwebwinkel's payments of order ${order.number.shown} cannot be read: ${formatZodIssues(payments.error)}`);
    return financialStatusOf(payments.data);
  }

  /** The order as Koppel hands it on; updatedAt moves only when the order (or its payment state) changed. */
  async function complete(shop: ShopAccess, client: MwwClient, policy: MwwStatusPolicy & { onlyPaid: boolean }, order: MwwOrder, item: unknown, readAt: Date, onBusy: "wait" | "fail"): Promise<Result<PlatformOrder>> {
    const financial = await financialOf(shop, client, policy.onlyPaid, order, onBusy);
    const memory = memoryOf(shop.shopId);
    // The policy is part of the order's state: a changed choice of statuses changes what the order means.
    const fingerprint = `${financial}|${policy.toShip.has(order.status) ? 1 : 0}|${JSON.stringify(item)}`;
    const before = memory.get(order.number.digits);
    const at = before && before.fingerprint === fingerprint ? before.at : readAt;
    // Only a payments check is remembered (with "only paid" off every order is taken as paid without asking).
    memory.set(order.number.digits, { fingerprint, at, financial: policy.onlyPaid ? financial : (before?.financial ?? null) });
    return mapMwwOrder(order, policy, financial, at, item);
  }

  async function readOrder(shop: ShopAccess, id: string, onBusy: "wait" | "fail"): Promise<Result<PlatformOrder | null>> {
    if (!/^\d{1,12}$/.test(id)) return { ok: false, reason: `order ${JSON.stringify(id)} is not a Mijnwebwinkel order number` };
    const client = clientFor(shop);
    const policy = await policyFor(shop, client, onBusy);
    const readAt = now();
    let answer;
    try {
      answer = await client.call({ method: "GET", resource: `orders/${id}`, onBusy });
    } catch (e) {
      if (isMwwApiError(e) && e.status === 404) return { ok: true, value: null };
      throw e;
    }
    const order = MwwOrderSchema.safeParse(answer.body);
    if (!order.success) return { ok: false, reason: `Mijnwebwinkel order: ${formatZodIssues(order.error)}` };
    return complete(shop, client, policy, order.data, answer.body, readAt, onBusy);
  }

  return {
    id: "mijnwebwinkel",
    capabilities: MIJNWEBWINKEL_CAPABILITIES,
    clientFor,
    orderStatuses: (shop, opts = {}) => statusList(shop, clientFor(shop), "fail", opts.fresh),
    updatedAtOf: (shopId, id) => seen.get(shopId)?.get(id)?.at ?? null,

    classifyDelivery: () => ({ kind: "ignore", reason: "Mijnwebwinkel sends no webhooks (polled)" }),
    async orderFromDelivery() {
      return { ok: false, reason: "Mijnwebwinkel sends no webhooks (polled)" };
    },
    // Koppel stores no Mijnwebwinkel payloads (nothing is delivered); were it to, debtor.email names the customer.
    deliveryMentions: (ref) => (ref.email ? [{ path: ["debtor", "email"], values: [ref.email.toLowerCase()], caseInsensitive: true }] : []),

    fetchOrder(shop, platformOrderId) {
      return readOrder(shop, platformOrderId, "wait");
    },

    async listOrders(shop, query): Promise<SyncPage> {
      const client = clientFor(shop);
      const policy = await policyFor(shop, client, "wait");
      const toShip = [...policy.toShip].sort((a, b) => a - b);
      const cursor = readCursor(query.pageCursor);
      const status = toShip[cursor.s];
      if (status === undefined) return { orders: [], invalid: [], nextPageCursor: null };
      const readAt = now();
      const answer = await client.call({
        method: "GET",
        resource: "orders",
        query: { status_id: status, archived: false, test: false, ordering: "asc", limit: pageSize, offset: cursor.o },
      });
      if (!Array.isArray(answer.body)) throw new Error("Mijnwebwinkel's order list is not a list");
      const orders: PlatformOrder[] = [];
      const invalid: NonNullable<SyncPage["invalid"]> = [];
      for (const item of answer.body) {
        const order = MwwOrderSchema.safeParse(item);
        if (!order.success) {
          invalid.push(invalidMwwOrder(item, `Mijnwebwinkel order: ${formatZodIssues(order.error)}`));
          continue;
        }
        const done = await complete(shop, client, policy, order.data, item, readAt, "wait");
        if (done.ok) orders.push(done.value);
        else invalid.push(invalidMwwOrder(item, done.reason));
      }
      const next: PageCursor | null = answer.body.length >= pageSize ? { s: cursor.s, o: cursor.o + pageSize } : cursor.s + 1 < toShip.length ? { s: cursor.s + 1, o: 0 } : null;
      return { orders, invalid, nextPageCursor: next ? JSON.stringify(next) : null };
    },

    async markShipped(shop, platformOrderId, tracking): Promise<MarkShippedResult> {
      const creds = mwwCredentialsOf(shop.credentials);
      if (!creds.ok) return { ok: false, reason: creds.reason, retryable: false };
      if (!/^\d{1,12}$/.test(platformOrderId)) return { ok: false, reason: `order ${JSON.stringify(platformOrderId)} is not a Mijnwebwinkel order number`, retryable: false };
      const client = createMwwClient(deps.config(), creds.value.apiToken, deps);
      const fulfilled = [platformOrderId];
      try {
        const policy = await policyFor(shop, client, "fail");
        if (policy.shipped === null) return { ok: false, reason: "Mijnwebwinkel has no order status named Verzonden or Shipped for this shop: choose the shipped status in Instellingen", retryable: false };
        const current = await client.call({ method: "GET", resource: `orders/${platformOrderId}`, onBusy: "fail" });
        const order = MwwOrderSchema.safeParse(current.body);
        if (!order.success) return { ok: false, reason: `Mijnwebwinkel order: ${formatZodIssues(order.error)}`, retryable: false };
        const internal = order.data.comments?.internal ?? "";
        const hasCode = internal.includes(tracking.number);
        // Safe to call again: already at the shipped status with this code in the comment → no second PATCH.
        if (order.data.status === policy.shipped && hasCode) return { ok: true, value: { platformFulfillmentIds: fulfilled, alreadyShipped: true } };
        const line = trackingComment(tracking);
        await client.call({
          method: "PATCH",
          resource: `orders/${platformOrderId}`,
          body: { status: policy.shipped, ...(hasCode ? {} : { comments: { internal: internal ? `${internal}\n${line}` : line } }) },
          onBusy: "fail",
        });
        return { ok: true, value: { platformFulfillmentIds: fulfilled, alreadyShipped: false } };
      } catch (e) {
        if (!isMwwApiError(e)) throw e;
        return { ok: false, reason: e.message, retryable: e.retryable };
      }
    },

    async applyPlatformDelivery() {
      return { ok: false, reason: "Mijnwebwinkel sends no platform deliveries" };
    },
    // The token lives in shops.credentials_encrypted, which the core clears on uninstall and redact.
    async onUninstall() {},
    async onRedact() {},
  };
}
