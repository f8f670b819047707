// 5. sync-idle: a shop with 10 000 orders in the fake Shopify, all imported, cursor current; one periodic sync.
import { eq, sql } from "drizzle-orm";
import { Session } from "@shopify/shopify-api";
import type { FakeShopify } from "../../test/fakes/shopify";
import { dutchOrder, orderWebhookPayload } from "../../test/fakes/shopify";
import type { Runtime } from "../../app/runtime.server";
import { sessionStorage } from "../../app/shopify.server";
import { installShop } from "../../app/core/shops.server";
import { importOrder, searchTextFor } from "../../app/core/import-order.server";
import { syncShop } from "../../app/core/sync.server";
import { shopifyAdapter } from "../../app/platforms/registry.server";
import { orders, shops } from "../../app/db/schema";
import { systemClock } from "../../app/core/ports";
import { pool, round } from "../lib/stats";
import type { BenchResult } from "../lib/result";

export const SYNC_SHOP = "bench-sync.myshopify.com";

export async function syncIdle(rt: Runtime, shopify: FakeShopify, opts: { orders: number; log: (s: string) => void }): Promise<BenchResult> {
  shopify.addShop(SYNC_SHOP, { accessToken: "shpat_bench_sync" });
  const shop = await installShop(rt.db, "shopify", SYNC_SHOP);
  await sessionStorage.storeSession(new Session({ id: `offline_${SYNC_SHOP}`, shop: SYNC_SHOP, state: "s", isOnline: false, accessToken: "shpat_bench_sync" }));
  // A shop's history: one order a minute, the last one an hour ago.
  const now = Date.now();
  const t0 = performance.now();
  const fakeOrders = Array.from({ length: opts.orders }, (_, i) => {
    const at = new Date(now - 3600_000 - (opts.orders - i) * 60_000);
    return shopify.upsertOrder(SYNC_SHOP, dutchOrder({ seed: 50_000 + i, financialStatus: "PAID", createdAt: at, updatedAt: at }));
  });
  const adapter = shopifyAdapter();
  // The first 20 through the import use case itself; the rest as the same rows in multi-row inserts (fast set-up).
  const parsedOrders = fakeOrders.map((o) => {
    const parsed = adapter.parseOrderWebhook(orderWebhookPayload(o));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value;
  });
  await pool(20, 4, async (i) => {
    const r = await importOrder(rt.db, { shopId: shop.id, paidStatuses: ["paid"], order: parsedOrders[i]!, source: "sync", log: false });
    if (r.outcome !== "imported") throw new Error(`sync-idle set-up: ${JSON.stringify(r)}`);
  });
  for (let i = 20; i < parsedOrders.length; i += 500) {
    await rt.db.insert(orders).values(
      parsedOrders.slice(i, i + 500).map((o) => ({
        shopId: shop.id,
        platformOrderId: o.platformOrderId,
        number: o.number,
        placedAt: o.placedAt,
        platformUpdatedAt: o.updatedAt,
        status: "to_ship" as const,
        financialStatus: o.financialStatus,
        fulfillmentStatus: o.fulfillmentStatus,
        customerName: o.customerName,
        email: o.email,
        company: o.company ?? null,
        shipTo: o.shipTo,
        shipPostcode: o.shipTo?.postcode ?? null,
        shipCity: o.shipTo?.city ?? null,
        shipCountry: o.shipTo?.country ?? null,
        lines: o.lines,
        itemCount: o.lines.reduce((n, l) => n + l.quantity, 0),
        weightGrams: o.lines.reduce((n, l) => n + (l.weightGrams ?? 0) * l.quantity, 0),
        totalPrice: o.totalPrice,
        currency: o.currency,
        searchText: searchTextFor(o),
        raw: o.raw as object,
      })),
    );
  }
  const [{ max }] = (await rt.db.execute(sql`select max(platform_updated_at) as max from orders where shop_id = ${shop.id}`)) as unknown as [{ max: string }];
  await rt.db.update(shops).set({ syncCursor: new Date(max) }).where(eq(shops.id, shop.id));
  opts.log(`  set up ${opts.orders} orders (fake + imported) in ${round((performance.now() - t0) / 1000, 1)} s`);

  const before = shopify.apiCalls(SYNC_SHOP);
  const started = performance.now();
  const r = await syncShop({ db: rt.db, platform: adapter, clock: systemClock, encryptionKey: rt.encryptionKey }, shop.id);
  const ms = performance.now() - started;
  const calls = shopify.apiCalls(SYNC_SHOP) - before;
  // A second idle sync: steady state (nothing new since the first).
  const started2 = performance.now();
  const before2 = shopify.apiCalls(SYNC_SHOP);
  await syncShop({ db: rt.db, platform: adapter, clock: systemClock, encryptionKey: rt.encryptionKey }, shop.id);
  const ms2 = performance.now() - started2;
  const calls2 = shopify.apiCalls(SYNC_SHOP) - before2;
  return {
    value: calls,
    floor: 1,
    ratio: calls / 1,
    goal: "= 1 API call",
    met: calls === 1,
    unit: "API calls",
    timeMs: round(ms, 1),
    secondSyncCalls: calls2,
    secondSyncMs: round(ms2, 1),
    ordersInShop: opts.orders,
    seenInOverlap: r.status === "done" ? r.seen : null,
    imported: r.status === "done" ? r.imported : null,
    pages: r.status === "done" ? r.pages : null,
  };
}
