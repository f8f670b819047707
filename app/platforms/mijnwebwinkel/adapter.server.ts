// Mijnwebwinkel (MyOnlineStore Connect API v1) implementation of the ShopPlatform port. Polled: no webhooks.
// Two listings, never of test orders (`test=false`, and any "T-" number that arrives anyway is handed to the core as a
// test order, which refuses it), paged with limit/offset (max 100):
// - every open order: per to-ship status, `archived=false`, no date. At a shop's first poll (and in each new process),
//   when its to-ship statuses or "only paid" changed, and at least every FULL_LISTING_EVERY_MS. The core then re-reads
//   by number the orders it still has to ship that the listing left out, so one that left the to-ship statuses or was
//   archived leaves "to ship".
// - in between, only what changed: `status_changed_start_date` = the start of the last poll that succeeded (this
//   process's last listing, once shops.last_sync_at is later; else the core's `since`, its cursor: the start of the
//   last poll that brought something new), minus the core's overlap (2 min) and STATUS_CHANGED_OVERLAP_MS (3 min), in
//   the store's wall-clock form "yyyy-mm-dd hh:mm:ss" (Europe/Amsterdam), in any status and archived or not: new
//   orders, and the ones that moved on (Verzonden, Geannuleerd), which are handed on only when Koppel has them or saw
//   them open. The page says `changedOnly`, so the core re-reads nothing. What does not move the status date
//   (archiving alone, an edit, a payment) waits for the next full listing — except payments, below.
// The to-ship and shipped statuses and "only paid" are the shop's settings (settings.server.ts, read at every poll and
// write-back), defaulting to the statuses' names and on.
// "Only paid orders" checks each new order's payments once (GET /v1/orders/{n}/payments?embed=mutations); the answer is
// remembered in PostgreSQL (order-memory.server.ts): paid is never asked again, nor is an order Koppel imported to
// ship; unpaid is asked again after PAYMENT_RECHECK_MS, doubling per unpaid answer up to PAYMENT_RECHECK_MAX_MS (in the
// changed-only poll too, and an order that became paid is then read and handed on). The order's updatedAt (the API has
// no modification instant) is when Koppel first saw it as it is now, remembered as well, so an order that cannot be read
// is logged once until it changes, after a restart too. The status list is read once an hour per shop. So a poll with
// nothing new costs one list call.
// Write-back: PATCH /v1/orders/{n} to the "shipped" status with the track & trace code and link appended to
// comments.internal (which the API replaces whole: read first, never overwrite). Mijnwebwinkel e-mails no customer.
import { createHash } from "node:crypto";
import type { InvalidPlatformOrder, MarkShippedResult, PlatformCapabilities, PlatformOrder, Result, ShopAccess, ShopPlatform, ShipmentTracking, SyncPage } from "../../core/ports";
import type { OrderStatus } from "../../db/schema";
import { SYNC_OVERLAP_MS } from "../../core/sync.server";
import { createMwwClient, isMwwApiError, type MwwApiConfig, type MwwClient, type MwwClientDeps } from "./api-client.server";
import { mwwCredentialsOf } from "./credentials";
import {
  amsterdamDateTime,
  amsterdamOffsetMs,
  financialStatusOf,
  formatZodIssues,
  invalidMwwOrder,
  isTestOrder,
  mapMwwOrder,
  MwwOrderSchema,
  MwwPaymentsSchema,
  MwwStatusListSchema,
  readableNumberOf,
  statusPolicy,
  type MwwOrder,
  type MwwStatus,
  type MwwStatusPolicy,
} from "./order-schema";
import type { MwwFinancial, MwwOrderMemory, MwwRemembered } from "./order-memory.server";
import { DEFAULT_MWW_SETTINGS, type MwwShopSettings } from "./settings.server";

export const MIJNWEBWINKEL_CAPABILITIES: PlatformCapabilities = { intake: "polling", listing: "open_orders", notifiesCustomerOnShipment: false, testOrders: "never" };

/** The API's maximum `limit`. */
export const ORDERS_PAGE_SIZE = 100;
/** The store's status list is read again after this long. */
export const STATUSES_TTL_MS = 60 * 60 * 1000;
/** Every open order is listed again at least this often (archiving, edits: what the status date does not show). */
export const FULL_LISTING_EVERY_MS = 30 * 60 * 1000;
/** status_changed_start_date reaches this much further back than the core's `since`: the store's clock may lag ours. */
export const STATUS_CHANGED_OVERLAP_MS = 3 * 60 * 1000;
/** An unpaid order's payments are asked again after this, doubling per unpaid answer, … */
export const PAYMENT_RECHECK_MS = 5 * 60 * 1000;
/** … up to this. */
export const PAYMENT_RECHECK_MAX_MS = 2 * 60 * 60 * 1000;
/** Unpaid orders asked again per changed-only poll at most (the rest at the next). */
const MAX_PAYMENT_RECHECKS = 50;
/** An order neither open nor changed for this long is forgotten (at a full listing). */
const FORGET_AFTER_MS = 30 * 24 * 60 * 60 * 1000;
/** updatedAtOf's memory per shop (tests); beyond it it starts over. */
const MAX_CACHED = 20_000;

export type MijnwebwinkelPlatformDeps = MwwClientDeps & {
  /** Base URL and partner token, read at each call (the registry: MIJNWEBWINKEL_API_URL / _PARTNER_TOKEN, or the demo's fake). */
  config: () => MwwApiConfig;
  /** What the poll remembers of the orders (pgMwwOrderMemory; inMemoryMwwOrderMemory in unit tests). */
  memory: MwwOrderMemory;
  now?: () => Date;
  /** Orders per listing page (default and maximum 100). */
  pageSize?: number;
  /** "Only paid orders" when there is no settingsOf (default on): off takes every listed order as paid, without a payments call. */
  onlyPaid?: boolean;
  /** The shop's settings (statuses to ship, shipped, only paid); default: by name, only paid = `onlyPaid`. */
  settingsOf?: (shopId: number) => Promise<MwwShopSettings>;
  /** Default FULL_LISTING_EVERY_MS. */
  fullListingEveryMs?: number;
  /** Default PAYMENT_RECHECK_MS (0: an unpaid order is asked again at every poll). */
  paymentRecheckMs?: number;
};

export type MijnwebwinkelPlatform = ShopPlatform & {
  readonly id: "mijnwebwinkel";
  clientFor(shop: ShopAccess): MwwClient;
  /** The store's order statuses (for Instellingen); `fresh` reads them now instead of from the hour's cache. */
  orderStatuses(shop: ShopAccess, opts?: { fresh?: boolean }): Promise<MwwStatus[]>;
  /** The updatedAt the adapter last gave this order in this process (the instant it first saw it as it is now), for tests. */
  updatedAtOf(shopId: number, platformOrderId: string): Date | null;
};

/** The line Koppel appends to the order's internal comment. */
export function trackingComment(tracking: ShipmentTracking): string {
  return `Verzonden met ${tracking.distributor ?? tracking.carrierName}, track & trace ${tracking.number}: ${tracking.url}`;
}

/**
 * A listing under way: every open order (`all`: status index `s`) or what changed since `from` (the store's wall clock);
 * `o` the offset, `t` when the listing began (the updatedAt of what it finds new).
 */
type PageCursor = { m: "all"; s: number; o: number; t: number } | { m: "changed"; from: string; o: number; t: number };
function readCursor(c: string): PageCursor {
  try {
    const v = JSON.parse(c) as PageCursor;
    const n = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
    if (v.m === "all" && n(v.s) && n(v.o) && n(v.t)) return v;
    if (v.m === "changed" && typeof v.from === "string" && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v.from) && n(v.o) && n(v.t)) return v;
  } catch {
    /* below */
  }
  throw new Error(`Mijnwebwinkel page cursor ${JSON.stringify(c)} is not one of Koppel's`);
}

/** status_changed_start_date for a poll from `since`: a little earlier, and an hour more across a summer-time change. */
export function statusChangedFrom(since: Date, now: Date): string {
  let from = since.getTime() - STATUS_CHANGED_OVERLAP_MS;
  // The store's wall clock jumps an hour there: written in its time, the bound must not skip what fell in the jump.
  if (amsterdamOffsetMs(from) !== amsterdamOffsetMs(now.getTime())) from -= 60 * 60 * 1000;
  return amsterdamDateTime(new Date(from));
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const isOpen = (order: MwwOrder, policy: MwwStatusPolicy) => policy.toShip.has(order.status) && !order.archived;
/** Koppel imported it to ship: its payments were checked then. */
const IMPORTED_PAID: ReadonlySet<OrderStatus> = new Set(["to_ship", "shipped"]);

type Policy = MwwStatusPolicy & { onlyPaid: boolean };
/** What is known of an order before it is completed: what was remembered, and Koppel's status of it. */
/** `freshPayments`: ask the payments even while an unpaid answer is remembered (one order read on purpose: "Nu ophalen"). */
type Known = { remembered?: MwwRemembered; koppelStatus?: OrderStatus; freshPayments?: boolean };

export function createMijnwebwinkelPlatform(deps: MijnwebwinkelPlatformDeps): MijnwebwinkelPlatform {
  const now = deps.now ?? (() => new Date());
  const memory = deps.memory;
  const pageSize = Math.min(deps.pageSize ?? ORDERS_PAGE_SIZE, ORDERS_PAGE_SIZE);
  const fullEveryMs = deps.fullListingEveryMs ?? FULL_LISTING_EVERY_MS;
  const recheckMs = deps.paymentRecheckMs ?? PAYMENT_RECHECK_MS;
  const defaults: MwwShopSettings = { ...DEFAULT_MWW_SETTINGS, onlyPaid: deps.onlyPaid ?? true };
  const settingsOf = deps.settingsOf ?? (async () => defaults);
  const statuses = new Map<number, { list: MwwStatus[]; at: number }>();
  /** Per shop: when the last listing of every open order began, and under which statuses / only paid. */
  const lastFull = new Map<number, { at: number; key: string }>();
  /** Per shop: when the last listing this process went through to its last page began. */
  const lastListed = new Map<number, number>();
  const updatedAts = new Map<number, Map<string, Date>>();

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
  async function policyFor(shop: ShopAccess, client: MwwClient, onBusy: "wait" | "fail"): Promise<Policy> {
    const settings = await settingsOf(shop.shopId);
    return { ...statusPolicy(await statusList(shop, client, onBusy), settings), onlyPaid: settings.onlyPaid };
  }

  function noteUpdatedAt(shopId: number, number: string, at: Date) {
    let m = updatedAts.get(shopId);
    if (!m) updatedAts.set(shopId, (m = new Map()));
    if (m.size > MAX_CACHED) m.clear();
    m.set(number, at);
  }

  /** When an unpaid order is asked again, after its n-th unpaid answer in a row. */
  const recheckAt = (checks: number) => new Date(now().getTime() + Math.min(recheckMs * 2 ** Math.max(0, checks - 1), PAYMENT_RECHECK_MAX_MS));

  /** Why an order's payments cannot be used, or null when the failure is the API's and worth trying again. */
  function unreadablePayments(e: unknown, shown: string): string | null {
    if (isMwwApiError(e)) return e.retryable ? null : `Mijnwebwinkel's payments of order ${shown}: ${e.message}`;
    return e instanceof Error && e.message.startsWith("Mijnwebwinkel's payments of order") ? e.message : null;
  }

  async function paymentsOf(client: MwwClient, number: string, shown: string, onBusy: "wait" | "fail"): Promise<MwwFinancial> {
    const answer = await client.call({ method: "GET", resource: `orders/${number}/payments`, query: { embed: "mutations" }, onBusy });
    const payments = MwwPaymentsSchema.safeParse(answer.body);
    if (!payments.success) throw new Error(`Mijnwebwinkel's payments of order ${shown} cannot be read: ${formatZodIssues(payments.error)}`);
    return financialStatusOf(payments.data);
  }

  /** A payments answer into what is remembered: unpaid is asked again later, backing off. */
  function withPayments(rem: Pick<MwwRemembered, "paymentChecks">, financial: MwwFinancial): Pick<MwwRemembered, "financial" | "paymentChecks" | "paymentCheckAt"> {
    if (financial !== "pending") return { financial, paymentChecks: 0, paymentCheckAt: null };
    const checks = rem.paymentChecks + 1;
    return { financial, paymentChecks: checks, paymentCheckAt: recheckAt(checks) };
  }

  /**
   * The order as Koppel hands it on: paid, refunded or pending by its payments — asked only when nothing remembered or
   * known answers it (`financialNow`: just asked) — and updatedAt moving only when the order (or its payment state)
   * changed; one that cannot be mapped is invalid, dated the same way. What is to be remembered goes to `writes`.
   */
  async function complete(
    shop: ShopAccess,
    client: MwwClient,
    policy: Policy,
    order: MwwOrder,
    item: unknown,
    readAt: Date,
    onBusy: "wait" | "fail",
    known: Known,
    writes: MwwRemembered[],
    financialNow?: MwwFinancial,
  ): Promise<{ ok: true; value: PlatformOrder } | { ok: false; invalid: InvalidPlatformOrder }> {
    const number = order.number.digits;
    const rem = known.remembered;
    const open = isOpen(order, policy);
    let pay: Pick<MwwRemembered, "financial" | "paymentChecks" | "paymentCheckAt"> = {
      financial: rem?.financial ?? null,
      paymentChecks: rem?.paymentChecks ?? 0,
      paymentCheckAt: rem?.paymentCheckAt ?? null,
    };
    let financial: MwwFinancial;
    if (!policy.onlyPaid) financial = "paid"; // every listed order counts as paid, nothing asked
    else if (isTestOrder(order)) financial = "pending"; // refused by the core anyway: no call
    else if (financialNow) financial = (pay = withPayments(pay, financialNow)).financial!;
    else if (rem?.financial === "paid" || rem?.financial === "refunded") financial = rem.financial;
    else if (known.koppelStatus && IMPORTED_PAID.has(known.koppelStatus)) financial = (pay = withPayments(pay, "paid")).financial!;
    else if (!known.freshPayments && rem?.financial === "pending" && rem.paymentCheckAt && rem.paymentCheckAt > now()) financial = "pending";
    else {
      let asked: MwwFinancial;
      try {
        asked = await paymentsOf(client, number, order.number.shown, onBusy);
      } catch (e) {
        // Payments this order's answer cannot be read from (a 4xx, a shape Koppel does not know) fail only this order,
        // shown with the reason; a busy or failing API (429, 5xx) still fails the poll, which is tried again.
        const reason = unreadablePayments(e, order.number.shown);
        if (reason === null) throw e;
        return { ok: false, invalid: invalidMwwOrder(item, reason, readAt) };
      }
      financial = (pay = withPayments(pay, asked)).financial!;
    }
    // The policy is part of the order's state: a changed choice of statuses changes what the order means.
    const fingerprint = sha256(`${financial}|${open ? 1 : 0}|${JSON.stringify(item)}`);
    const seenAt = rem && rem.fingerprint === fingerprint ? rem.seenAt : readAt;
    const row: MwwRemembered = { number, fingerprint, seenAt, open, ...pay };
    if (!rem || rememberedChanged(rem, row)) writes.push(row);
    noteUpdatedAt(shop.shopId, number, seenAt);
    const mapped = mapMwwOrder(order, policy, financial, seenAt, item);
    return mapped.ok ? mapped : { ok: false, invalid: invalidMwwOrder(item, mapped.reason, seenAt) };
  }

  /** An order that cannot be read: dated when first seen as it is, so the sync logs it once until it changes. */
  function unreadable(known: Map<string, MwwRemembered>, item: unknown, reason: string, readAt: Date, writes: MwwRemembered[]) {
    const fingerprint = sha256(`invalid|${JSON.stringify(item) ?? "undefined"}`);
    const key = memoryKeyOf(item, fingerprint);
    const rem = known.get(key);
    const seenAt = rem && rem.fingerprint === fingerprint ? rem.seenAt : readAt;
    const row: MwwRemembered = { number: key, fingerprint, seenAt, open: rem?.open ?? false, financial: rem?.financial ?? null, paymentChecks: rem?.paymentChecks ?? 0, paymentCheckAt: rem?.paymentCheckAt ?? null };
    if (!rem || rememberedChanged(rem, row)) writes.push(row);
    return invalidMwwOrder(item, reason, seenAt);
  }

  /** One listing page's orders, completed; in a changed-only listing, one that is not open is handed on only when Koppel has it or saw it open. */
  async function pageOf(shop: ShopAccess, client: MwwClient, policy: Policy, items: unknown[], readAt: Date, changedOnly: boolean): Promise<Pick<SyncPage, "orders" | "invalid">> {
    const parsed = items.map((item) => ({ item, order: MwwOrderSchema.safeParse(item) }));
    const keys = parsed.map(({ item, order }) => (order.success ? order.data.number.digits : memoryKeyOf(item, sha256(`invalid|${JSON.stringify(item) ?? "undefined"}`))));
    const [remembered, koppel] = await Promise.all([memory.recall(shop.shopId, keys), memory.koppelStatuses(shop.shopId, keys.filter((k) => !k.startsWith("?")))]);
    const orders: PlatformOrder[] = [];
    const invalid: NonNullable<SyncPage["invalid"]> = [];
    const writes: MwwRemembered[] = [];
    for (const [i, { item, order }] of parsed.entries()) {
      if (!order.success) {
        // One that plainly moved on and was never Koppel's is not news either, readable or not.
        const key = keys[i]!;
        if (changedOnly && !mayBeOpen(item, policy) && !remembered.get(key)?.open && !koppel.has(key)) continue;
        invalid.push(unreadable(remembered, item, `Mijnwebwinkel order: ${formatZodIssues(order.error)}`, readAt, writes));
        continue;
      }
      const number = order.data.number.digits;
      const known: Known = { remembered: remembered.get(number), koppelStatus: koppel.get(number) };
      // Moved on (or never to ship) and never Koppel's: nothing to tell the core, nothing to remember.
      if (changedOnly && !isOpen(order.data, policy) && !known.remembered?.open && !known.koppelStatus) continue;
      const done = await complete(shop, client, policy, order.data, item, readAt, "wait", known, writes);
      if (done.ok) orders.push(done.value);
      else invalid.push(done.invalid);
    }
    await memory.remember(shop.shopId, writes);
    return { orders, invalid };
  }

  /**
   * After a changed-only listing: the open, unpaid orders whose payments are due to be asked again (not those asked
   * during this listing, which began at `began`). One that is paid now is read and handed on.
   */
  async function recheckPayments(shop: ShopAccess, client: MwwClient, policy: Policy, readAt: Date, began: Date): Promise<Pick<SyncPage, "orders" | "invalid">> {
    const orders: PlatformOrder[] = [];
    const invalid: NonNullable<SyncPage["invalid"]> = [];
    if (!policy.onlyPaid) return { orders, invalid };
    const due = await memory.paymentsDue(shop.shopId, began, MAX_PAYMENT_RECHECKS);
    if (!due.length) return { orders, invalid };
    const remembered = await memory.recall(shop.shopId, due);
    const writes: MwwRemembered[] = [];
    const gone = (rem: MwwRemembered) => writes.push({ ...rem, open: false });
    for (const number of due) {
      const rem = remembered.get(number);
      if (!rem) continue;
      let financial: MwwFinancial;
      let answer;
      try {
        financial = await paymentsOf(client, number, number, "wait");
        if (financial === "pending") {
          writes.push({ ...rem, ...withPayments(rem, financial) });
          continue;
        }
        answer = await client.call({ method: "GET", resource: `orders/${number}` });
      } catch (e) {
        if (isMwwApiError(e) && e.status === 404) {
          gone(rem); // the store no longer has it
          continue;
        }
        // Payments Koppel cannot read: asked again later (backing off) instead of failing every poll of the shop.
        if (unreadablePayments(e, number) !== null) {
          writes.push({ ...rem, ...withPayments(rem, "pending") });
          continue;
        }
        throw e;
      }
      const order = MwwOrderSchema.safeParse(answer.body);
      if (!order.success) {
        invalid.push(unreadable(remembered, answer.body, `Mijnwebwinkel order: ${formatZodIssues(order.error)}`, readAt, writes));
        continue;
      }
      const done = await complete(shop, client, policy, order.data, answer.body, readAt, "wait", { remembered: rem }, writes, financial);
      if (done.ok) orders.push(done.value);
      else invalid.push(done.invalid);
    }
    await memory.remember(shop.shopId, writes);
    return { orders, invalid };
  }

  /**
   * From when a changed-only listing asks: the core's `since` (its cursor — the start of the last listing that brought
   * something new — minus its overlap), or later, the start of the last listing whose sync then succeeded (minus the
   * same overlap): orders that moved on and were never Koppel's move no cursor, and are not asked again and again.
   */
  async function changedSince(shopId: number, since: Date): Promise<Date> {
    const listed = lastListed.get(shopId);
    if (listed === undefined || listed - SYNC_OVERLAP_MS <= since.getTime()) return since;
    const synced = await memory.lastSyncAt(shopId);
    return synced && synced.getTime() >= listed ? new Date(listed - SYNC_OVERLAP_MS) : since;
  }

  async function readOrder(shop: ShopAccess, id: string, onBusy: "wait" | "fail"): Promise<Result<PlatformOrder | null>> {
    if (!/^\d{1,12}$/.test(id)) return { ok: false, reason: `order ${JSON.stringify(id)} is not a Mijnwebwinkel order number` };
    const client = clientFor(shop);
    const policy = await policyFor(shop, client, onBusy);
    const readAt = now();
    const [remembered, koppel] = await Promise.all([memory.recall(shop.shopId, [id]), memory.koppelStatuses(shop.shopId, [id])]);
    const rem = remembered.get(id);
    let answer;
    try {
      answer = await client.call({ method: "GET", resource: `orders/${id}`, onBusy });
    } catch (e) {
      if (isMwwApiError(e) && e.status === 404) {
        if (rem?.open) await memory.remember(shop.shopId, [{ ...rem, open: false }]);
        return { ok: true, value: null };
      }
      throw e;
    }
    const order = MwwOrderSchema.safeParse(answer.body);
    if (!order.success) return { ok: false, reason: `Mijnwebwinkel order: ${formatZodIssues(order.error)}` };
    const writes: MwwRemembered[] = [];
    const done = await complete(shop, client, policy, order.data, answer.body, readAt, onBusy, { remembered: rem, koppelStatus: koppel.get(id), freshPayments: true }, writes);
    await memory.remember(shop.shopId, writes);
    return done.ok ? done : { ok: false, reason: done.invalid.reason };
  }

  return {
    id: "mijnwebwinkel",
    capabilities: MIJNWEBWINKEL_CAPABILITIES,
    clientFor,
    orderStatuses: (shop, opts = {}) => statusList(shop, clientFor(shop), "fail", opts.fresh),
    updatedAtOf: (shopId, id) => updatedAts.get(shopId)?.get(id) ?? null,

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
      const policyKey = `${toShip.join(",")}|${policy.onlyPaid}`;
      let cursor: PageCursor;
      if (query.pageCursor) cursor = readCursor(query.pageCursor);
      else {
        const t = now().getTime();
        const last = lastFull.get(shop.shopId);
        const changedOnly = query.since !== null && !!last && last.key === policyKey && t - last.at < fullEveryMs;
        cursor = changedOnly ? { m: "changed", from: statusChangedFrom(await changedSince(shop.shopId, query.since!), new Date(t)), o: 0, t } : { m: "all", s: 0, o: 0, t };
      }
      const began = new Date(cursor.t);
      const readAt = began; // what this listing finds new is dated when it began: the next one's since reaches back to it

      if (cursor.m === "changed") {
        const answer = await client.call({
          method: "GET",
          resource: "orders",
          query: { status_changed_start_date: cursor.from, test: false, ordering: "asc", limit: pageSize, offset: cursor.o },
        });
        if (!Array.isArray(answer.body)) throw new Error("Mijnwebwinkel's order list is not a list");
        const page = await pageOf(shop, client, policy, answer.body, readAt, true);
        if (answer.body.length >= pageSize) return { ...page, changedOnly: true, nextPageCursor: JSON.stringify({ ...cursor, o: cursor.o + pageSize }) };
        const rechecked = await recheckPayments(shop, client, policy, readAt, began);
        lastListed.set(shop.shopId, cursor.t);
        return { orders: [...page.orders, ...rechecked.orders], invalid: [...(page.invalid ?? []), ...(rechecked.invalid ?? [])], changedOnly: true, nextPageCursor: null };
      }

      const status = toShip[cursor.s];
      let page: Pick<SyncPage, "orders" | "invalid"> = { orders: [], invalid: [] };
      let full = false;
      if (status !== undefined) {
        const answer = await client.call({
          method: "GET",
          resource: "orders",
          query: { status_id: status, archived: false, test: false, ordering: "asc", limit: pageSize, offset: cursor.o },
        });
        if (!Array.isArray(answer.body)) throw new Error("Mijnwebwinkel's order list is not a list");
        page = await pageOf(shop, client, policy, answer.body, readAt, false);
        full = answer.body.length >= pageSize;
      }
      const next: PageCursor | null = full ? { ...cursor, o: cursor.o + pageSize } : cursor.s + 1 < toShip.length ? { ...cursor, s: cursor.s + 1, o: 0 } : null;
      if (!next) {
        lastFull.set(shop.shopId, { at: cursor.t, key: policyKey });
        lastListed.set(shop.shopId, cursor.t);
        await memory.prune(shop.shopId, new Date(cursor.t - FORGET_AFTER_MS));
      }
      return { ...page, nextPageCursor: next ? JSON.stringify(next) : null };
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

function rememberedChanged(a: MwwRemembered, b: MwwRemembered): boolean {
  return (
    a.fingerprint !== b.fingerprint ||
    a.seenAt.getTime() !== b.seenAt.getTime() ||
    a.open !== b.open ||
    a.financial !== b.financial ||
    a.paymentChecks !== b.paymentChecks ||
    (a.paymentCheckAt?.getTime() ?? null) !== (b.paymentCheckAt?.getTime() ?? null)
  );
}

/** Where an order is remembered: its number's digits, or "?" + its fingerprint when its number cannot be read. */
function memoryKeyOf(item: unknown, fingerprint: string): string {
  return readableNumberOf(item)?.replace(/^T-/, "") ?? `?${fingerprint}`;
}

/** Whether an order that does not parse may be open: not archived, and in a to-ship status as far as that can be read. */
function mayBeOpen(item: unknown, policy: MwwStatusPolicy): boolean {
  const o = (item && typeof item === "object" ? item : {}) as { archived?: unknown; status?: unknown };
  if (o.archived === true) return false;
  const status = typeof o.status === "number" ? o.status : typeof o.status === "string" && /^\d+$/.test(o.status) ? Number(o.status) : null;
  return status === null || policy.toShip.has(status);
}
