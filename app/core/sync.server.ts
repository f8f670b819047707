// Periodic sync: catches what webhooks missed. The cursor moves only after a page is stored.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { shops } from "../db/schema";
import type { Clock, ShopPlatform } from "./ports";
import { getShop, importFinancialStatuses } from "./shops.server";
import { importOrders } from "./import-order.server";
import { logActivities, logActivity } from "./activity.server";
import { shopAccess } from "./shop-access";

/** Orders updated shortly before the cursor are read again: platform clocks and our clock disagree a little. */
export const SYNC_OVERLAP_MS = 2 * 60 * 1000;

export type SyncResult =
  | { status: "skipped"; reason: "unknown_shop" | "uninstalled" }
  | { status: "done"; pages: number; seen: number; imported: number; updated: number; skipped: number; cursor: Date | null };

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
  let cursor = previousCursor;
  let pageCursor: string | null = null;
  const totals = { pages: 0, seen: 0, imported: 0, updated: 0, skipped: 0 };
  try {
    do {
      const page = await platform.listOrders(access, { since, pageCursor });
      totals.pages++;
      // Orders in the overlap window were seen by the previous sync: import again (idempotent) but do not log twice.
      const items = page.orders.map((order) => ({ order, log: !previousCursor || order.updatedAt > previousCursor }));
      for (const r of await importOrders(db, { shopId, paidStatuses: paid, source }, items)) {
        totals.seen++;
        if (r.outcome === "imported") totals.imported++;
        else if (r.outcome === "updated") totals.updated++;
        else if (r.outcome === "skipped") totals.skipped++;
      }
      // An order the platform sent but its adapter could not read is skipped with its reason; the sync goes on.
      if (page.invalid?.length) {
        totals.skipped += page.invalid.length;
        await logActivities(
          db,
          page.invalid.map((bad) => ({
            shopId,
            kind: "import" as const,
            source,
            result: "failed" as const,
            summary: "import.invalid",
            reason: bad.reason,
            details: { platformOrderId: bad.platformOrderId },
          })),
        );
      }
      for (const order of page.orders) if (!cursor || order.updatedAt > cursor) cursor = order.updatedAt;
      await db.update(shops).set({ syncCursor: cursor }).where(eq(shops.id, shopId));
      pageCursor = page.nextPageCursor;
    } while (pageCursor);
  } catch (e) {
    await logActivity(db, {
      shopId,
      kind: "sync",
      source,
      result: "failed",
      summary: "sync.failed",
      reason: (e as Error).message,
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
