// The same import path — delivery stored, pg-boss worker, order upserted — on both database drivers:
// embedded PGlite (pg-boss in-process on it) and PostgreSQL through `postgres`.
import { describe, expect, it, vi } from "vitest";
import { openDatabase, migrateDatabase, type Database } from "../../app/db/client.server";
import { orders } from "../../app/db/schema";
import { createBoss, ensureQueues, jobQueueFor } from "../../app/jobs/queue.server";
import { registerWorkers } from "../../app/jobs/workers.server";
import { receiveDelivery } from "../../app/core/deliveries.server";
import { installShop } from "../../app/core/shops.server";
import { systemClock } from "../../app/core/ports";
import { createShopifyPlatform } from "../../app/platforms/shopify/adapter.server";
import { FakeShopify, orderWebhookPayload, dutchOrder } from "../fakes/shopify";
import { env } from "../../app/env.server";
import { carrierFor } from "../../app/carriers/registry.server";

const SHOP = "both-paths.myshopify.com";
const fake = new FakeShopify();
fake.addShop(SHOP);

const drivers: [string, () => Database][] = [
  ["embedded PGlite", () => openDatabase({ pgliteDir: "memory://" })],
  ["PostgreSQL", () => openDatabase({ url: env.DATABASE_URL!, max: 4 })],
];

describe.each(drivers)("import on %s", (_name, open) => {
  it("turns a delivered webhook (sent twice) into one order through a pg-boss worker", async () => {
    const database = open();
    await migrateDatabase(database);
    await migrateDatabase(database); // a second run is a no-op
    await installShop(database.db, "shopify", SHOP);
    const boss = createBoss(database);
    await boss.start();
    try {
      await ensureQueues(boss);
      const queue = jobQueueFor(boss);
      // Webhook payloads carry the whole order: the worker needs no API call.
      const platform = createShopifyPlatform({
        transport: async () => {
          throw new Error("no API call expected");
        },
      });
      await registerWorkers(
        boss,
        { db: database.db, queue, platformFor: () => platform, clock: systemClock, carrierFor, encryptionKey: env.ENCRYPTION_KEY },
        { pollingIntervalSeconds: 0.5 },
      );
      const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
      const delivery = {
        platform: "shopify" as const,
        shopDomain: SHOP,
        webhookId: `both-${order.id}`,
        topic: "orders/paid",
        payload: orderWebhookPayload(order),
        bodyIsJson: true,
      };
      expect((await receiveDelivery(database.db, queue, delivery)).status).toBe("stored");
      expect((await receiveDelivery(database.db, queue, delivery)).status).toBe("duplicate");
      await vi.waitFor(
        async () => {
          const rows = await database.db.select().from(orders);
          expect(rows.filter((r) => r.platformOrderId === String(order.id))).toHaveLength(1);
          expect(rows[0]!.status).toBe("to_ship");
        },
        { timeout: 20_000, interval: 200 },
      );
    } finally {
      await boss.stop({ graceful: false });
      await database.close();
    }
  });
});
