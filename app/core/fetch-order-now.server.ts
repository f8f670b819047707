// "Nu ophalen": one order read from its platform now and imported by the import policy, for an order the merchant is
// looking at in the shop's admin that is not in Koppel yet (a webhook still on its way, or a sync not yet run). The
// same import as webhooks and the sync (importOrder): an unpaid order (or a test order, unless the
// shop imports them) is still not stored, and says why.
import type { Db } from "../db/client.server";
import type { PlatformId, ShopPlatform } from "./ports";
import type { SkipReason } from "./import-policy";
import { importOrder } from "./import-order.server";
import { importFinancialStatuses, testOrderImport, type Shop } from "./shops.server";
import { shopAccess } from "./shop-access";

export type FetchOrderNowDeps = { db: Db; platformFor: (id: PlatformId) => ShopPlatform; encryptionKey: string };

export type FetchOrderNowResult =
  | { ok: true; orderId: number }
  | { ok: false; reason: "not_found" | "unreadable"; detail?: string }
  | { ok: false; reason: "skipped"; skip: SkipReason };

export async function fetchOrderNow(deps: FetchOrderNowDeps, shop: Shop, platformOrderId: string): Promise<FetchOrderNowResult> {
  const platform = deps.platformFor(shop.platform);
  const fetched = await platform.fetchOrder(shopAccess(shop, deps.encryptionKey), platformOrderId);
  if (!fetched.ok) return { ok: false, reason: "unreadable", detail: fetched.reason };
  if (!fetched.value) return { ok: false, reason: "not_found" };
  const r = await importOrder(deps.db, { shopId: shop.id, paidStatuses: importFinancialStatuses(shop), ...testOrderImport(shop, platform.capabilities), source: "sync", order: fetched.value });
  if (r.outcome === "skipped") return { ok: false, reason: "skipped", skip: r.reason };
  return { ok: true, orderId: r.orderId };
}
