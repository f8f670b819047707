// Periodic sync: catches what webhooks missed. The cursor moves only after a page is stored.
import { and, eq, isNull } from "drizzle-orm";
import { withoutQueryText, type Db } from "../db/client.server";
import { orders, shops } from "../db/schema";
import type { Clock, ShopAccess, ShopPlatform } from "./ports";
import { getShop, importFinancialStatuses, testOrderImport } from "./shops.server";
import { importOrders, type ImportInput, type ImportItem, type ImportResult } from "./import-order.server";
import { logActivities, logActivity, type NewActivity } from "./activity.server";
import { cleanText } from "./text";
import { shopAccess } from "./shop-access";

/** Orders updated shortly before the cursor are read again: platform clocks and our clock disagree a little. */
export const SYNC_OVERLAP_MS = 2 * 60 * 1000;

export type SyncResult =
  | { status: "skipped"; reason: "unknown_shop" | "uninstalled" }
  | { status: "done"; pages: number; seen: number; imported: number; updated: number; skipped: number; failed: number; cursor: Date | null };

export async function syncShop(
  deps: { db: Db; platform: ShopPlatform; clock: Clock; encryptionKey: string },
  shopId: number,
  source: "sync" = "sync",
): Promise<SyncResult> {
  const { db, platform, clock } = deps;
  const shop = await getShop(db, shopId);
  if (!shop) return { status: "skipped", reason: "unknown_shop" };
  if (shop.uninstalledAt) return { status: "skipped", reason: "uninstalled" };
  const access = shopAccess(shop, deps.encryptionKey);
  const started = clock.now();
  const previousCursor = shop.syncCursor;
  const since = previousCursor ? new Date(previousCursor.getTime() - SYNC_OVERLAP_MS) : null;
  const paid = importFinancialStatuses(shop);
  const testOrders = testOrderImport(shop, platform.capabilities);
  let cursor = previousCursor;
  let pageCursor: string | null = null;
  const totals = { pages: 0, seen: 0, imported: 0, updated: 0, skipped: 0, failed: 0 };
  /** Platform order ids the listing returned (for platforms that list only open orders). */
  const listed = new Set<string>();
  /** Whether the listing returned every open order (a page of a changed-only listing says it did not). */
  let everyOpenListed = true;
  /** Imports the items, counts them in totals, and logs what failed (with `failures` gathered before). */
  async function importCounted(items: ImportItem[], failures: NewActivity[]) {
    const results = await importEach(db, { shopId, paidStatuses: paid, ...testOrders, source }, items);
    results.forEach((r, i) => {
      totals.seen++;
      if (r.outcome === "imported") totals.imported++;
      else if (r.outcome === "updated") totals.updated++;
      else if (r.outcome === "skipped") totals.skipped++;
      else if (r.outcome === "failed") {
        totals.failed++;
        const { order, log } = items[i]!;
        if (log) failures.push(importFailure(shopId, source, "import.failed", { ...order, reason: r.reason }));
      }
    });
    await logActivities(db, failures);
  }
  try {
    do {
      const page = await platform.listOrders(access, { since, pageCursor });
      totals.pages++;
      if (page.changedOnly) everyOpenListed = false;
      // Orders in the overlap window were seen by the previous sync: import again (idempotent) but do not log twice.
      const fresh = (updatedAt: Date | null) => !previousCursor || !updatedAt || updatedAt > previousCursor;
      const items = page.orders.map((order) => ({ order, log: fresh(order.updatedAt) }));
      const failures: NewActivity[] = [];
      // An order the adapter could not read, or PostgreSQL would not store, fails alone: logged, and the sync moves on.
      for (const bad of page.invalid ?? []) {
        totals.seen++;
        totals.failed++;
        if (fresh(bad.updatedAt)) failures.push(importFailure(shopId, source, "import.invalid", bad));
      }
      await importCounted(items, failures);
      for (const o of page.orders) listed.add(o.platformOrderId);
      for (const o of page.invalid ?? []) if (o.platformOrderId) listed.add(o.platformOrderId);
      for (const at of [...page.orders.map((o) => o.updatedAt), ...(page.invalid ?? []).map((o) => o.updatedAt)])
        if (at && (!cursor || at > cursor)) cursor = at;
      await db.update(shops).set({ syncCursor: cursor }).where(eq(shops.id, shopId));
      pageCursor = page.nextPageCursor;
    } while (pageCursor);
    // A platform that lists only its open orders never lists one that was cancelled, refunded or shipped elsewhere:
    // the orders Koppel still has to ship that the listing left out are fetched one by one, so they leave "to ship".
    // Not after a listing of only what changed: what it left out did not change.
    if (platform.capabilities.listing === "open_orders" && everyOpenListed) {
      const failures: NewActivity[] = [];
      const items = await unlistedToShip(db, platform, access, listed, failures, source);
      totals.seen += failures.length;
      totals.failed += failures.length;
      await importCounted(items, failures);
    }
  } catch (e) {
    await logActivity(db, {
      shopId,
      kind: "sync",
      source,
      result: "failed",
      summary: "sync.failed",
      // The driver's message, not drizzle's "Failed query: … params: …" (customer data).
      reason: withoutQueryText(e).message,
      durationMs: clock.now().getTime() - started.getTime(),
      details: totals,
    });
    throw e;
  }
  await db.update(shops).set({ lastSyncAt: clock.now() }).where(eq(shops.id, shopId));
  if (totals.imported > 0 || !previousCursor) {
    await logActivity(db, {
      shopId,
      kind: "sync",
      source,
      result: "ok",
      summary: "sync.completed",
      durationMs: clock.now().getTime() - started.getTime(),
      details: totals,
    });
  }
  return { status: "done", ...totals, cursor };
}

/**
 * The shop's orders to ship (not removed) that an open-orders listing did not return, fetched by id; an order the
 * platform cannot read is a failure (logged), one it no longer has is left as it is (nothing says it was not shipped).
 */
async function unlistedToShip(
  db: Db,
  platform: ShopPlatform,
  access: ShopAccess,
  listed: ReadonlySet<string>,
  failures: NewActivity[],
  source: "sync",
): Promise<ImportItem[]> {
  const toShip = await db
    .select({ platformOrderId: orders.platformOrderId, number: orders.number })
    .from(orders)
    .where(and(eq(orders.shopId, access.shopId), eq(orders.status, "to_ship"), isNull(orders.removedAt)));
  const items: ImportItem[] = [];
  for (const o of toShip) {
    if (listed.has(o.platformOrderId)) continue;
    const fetched = await platform.fetchOrder(access, o.platformOrderId);
    if (fetched.ok && fetched.value) items.push({ order: fetched.value, log: true });
    else if (!fetched.ok) failures.push(importFailure(access.shopId, source, "import.invalid", { ...o, reason: fetched.reason }));
  }
  return items;
}

/** Activiteit's line for an order of the sync that failed alone. */
function importFailure(
  shopId: number,
  source: "sync",
  summary: "import.invalid" | "import.failed",
  o: { number: string | null; platformOrderId: string | null; reason: string },
): NewActivity {
  return { shopId, kind: "import", source, result: "failed", summary, orderNumber: o.number, reason: o.reason, details: { platformOrderId: o.platformOrderId } };
}

type EachResult = ImportResult | { outcome: "failed"; reason: string };

/**
 * importOrders for a page; when PostgreSQL refuses the page's data, each order on its own, so the refused one fails alone
 * (with the driver's reason). Anything else (the database unreachable, …) fails the page: the cursor stays.
 */
async function importEach(db: Db, input: ImportInput, items: ImportItem[]): Promise<EachResult[]> {
  try {
    return await importOrders(db, input, items);
  } catch (e) {
    if (!isRecordError(e)) throw e;
  }
  const out: EachResult[] = [];
  for (const item of items) {
    try {
      out.push((await importOrders(db, input, [item]))[0]!);
    } catch (e) {
      if (!isRecordError(e)) throw e;
      out.push({ outcome: "failed", reason: cleanText(withoutQueryText(e).message) });
    }
  }
  return out;
}

/**
 * The error says this record cannot be stored — PostgreSQL refused its data (SQLSTATE classes 22 data exception,
 * 23 integrity, 54 program limit, P0 raised by a trigger), or it could not be serialised — rather than that the
 * database is unreachable or busy (then the sync fails and its cursor stays).
 */
export function isRecordError(e: unknown): boolean {
  const err = withoutQueryText(e);
  if (err instanceof RangeError || err instanceof TypeError) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && /^(22|23|54|P0)[0-9A-Z]{3}$/.test(code);
}
