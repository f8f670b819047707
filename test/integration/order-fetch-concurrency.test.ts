// A platform whose webhooks carry only a summary fetches each order (orderFromDelivery): a burst of one shop's
// deliveries must not become hundreds of API calls at once. The import asks at most ORDER_FETCH_CONCURRENCY at a time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { deliveries } from "../../app/db/schema";
import { ORDER_FETCH_CONCURRENCY, processDeliveries, receiveDeliveries, type IncomingDelivery } from "../../app/core/deliveries.server";
import { installShop } from "../../app/core/shops.server";
import { shopifyAdapter } from "../../app/platforms/registry.server";
import type { ShopPlatform } from "../../app/core/ports";
import { FakeShopify, ManualClock, dutchOrder, orderWebhookPayload } from "../fakes/shopify";
import { runtime } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

const SHOP = "fetch-burst.myshopify.com";
let rt: Runtime;
const fake = new FakeShopify({ clock: new ManualClock() });
fake.addShop(SHOP);

beforeAll(async () => {
  rt = await runtime();
  await installShop(rt.db, "shopify", SHOP);
});
afterAll(async () => {
  await rt.stop();
});

describe("orders fetched per delivery", () => {
  it(`asks the platform for at most ${ORDER_FETCH_CONCURRENCY} orders at once, and imports them all`, async () => {
    const base = shopifyAdapter();
    let active = 0;
    let most = 0;
    // Shopify's adapter, but its orderFromDelivery takes a while, like a fetch over the network.
    const fetching: ShopPlatform = {
      ...base,
      async orderFromDelivery(shop, d) {
        most = Math.max(most, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return base.orderFromDelivery(shop, d);
      },
    };
    const burst: IncomingDelivery[] = Array.from({ length: 60 }, (_, i) => ({
      platform: "shopify",
      shopDomain: SHOP,
      webhookId: `burst-${i}`,
      topic: "orders/paid",
      payload: orderWebhookPayload(fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }))),
      bodyIsJson: true,
    }));
    const stored = await receiveDeliveries(rt.db, rt.queue, burst);
    const ids = stored.flatMap((r) => (r.status === "stored" ? [r.deliveryId] : []));
    expect(ids).toHaveLength(60);
    const results = await processDeliveries({ ...rt, platformFor: () => fetching }, ids);
    expect([...results.values()]).toEqual(Array(60).fill("imported"));
    expect(most).toBeGreaterThan(1); // concurrent, not one by one
    expect(most).toBeLessThanOrEqual(ORDER_FETCH_CONCURRENCY);
    const rows = await rt.db.select({ outcome: deliveries.outcome }).from(deliveries).where(inArray(deliveries.id, ids));
    expect(rows.every((r) => r.outcome === "imported")).toBe(true);
  });
});
