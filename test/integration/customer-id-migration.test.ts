// Migration 0004 (orders.platform_customer_id) on a database that holds orders from before it, on both drivers: the
// column is backfilled from Shopify's raw payload, so customers/redact by customer id alone still finds those orders.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../app/db/client.server";
import { MIGRATION_DRIVERS, MIGRATIONS_FOLDER, migrateWith, migrationsUpTo } from "./support/migrations";
import { redactCustomer } from "../../app/core/privacy.server";
import { createShopifyPlatform } from "../../app/platforms/shopify/adapter.server";

const BIG = "820982911946154509";

const BEFORE = "0003_shop_session_version";

describe.each(MIGRATION_DRIVERS)("migration 0004 on %s", { timeout: 120_000 }, (_name, open) => {
  it("backfills platform_customer_id from Shopify's raw (exact digits), only for Shopify orders; the redact then finds them", async () => {
    const database = await open();
    await migrateWith(database, migrationsUpTo(BEFORE));
    const { db } = database;
    const [shopify] = rowsOf<{ id: number }>(await db.execute(sql`insert into shops (platform, domain) values ('shopify', 'before-0004.myshopify.com') returning id`));
    const [other] = rowsOf<{ id: number }>(await db.execute(sql`insert into shops (platform, domain) values ('ccvshop', 'before-0004.ccvshop.nl') returning id`));
    const order = (shopId: number, id: string, raw: string | null, email: string | null = null) =>
      db.execute(sql`insert into orders (shop_id, platform_order_id, number, placed_at, platform_updated_at, status, financial_status, customer_name, email, raw)
        values (${shopId}, ${id}, ${"#" + id}, now(), now(), 'to_ship', 'paid', 'Voor Migratie', ${email}, ${raw}::jsonb)`);
    await order(shopify!.id, "1", `{"id": 1, "customer": {"id": 4242, "email": "x@example.nl"}}`);
    await order(shopify!.id, "2", `{"id": 2, "customer": {"id": ${BIG}}}`);
    await order(shopify!.id, "3", `{"id": 3, "customer": null}`);
    await order(shopify!.id, "4", `{"id": "gid://shopify/Order/4", "customer": {"id": "gid://shopify/Customer/77"}}`);
    await order(shopify!.id, "5", null);
    await order(shopify!.id, "6", `["not", "an", "object"]`);
    await order(other!.id, "7", `{"customer": {"id": 4242}}`);

    await migrateWith(database, MIGRATIONS_FOLDER);
    const rows = rowsOf<{ platform_order_id: string; platform_customer_id: string | null }>(
      await db.execute(sql`select platform_order_id, platform_customer_id from orders order by platform_order_id`),
    );
    expect(rows.map((r) => [r.platform_order_id, r.platform_customer_id])).toEqual([
      ["1", "4242"],
      ["2", BIG],
      ["3", null],
      ["4", "77"],
      ["5", null],
      ["6", null],
      // Another platform's raw is its own shape: not read.
      ["7", null],
    ]);

    const platform = createShopifyPlatform({ transport: async () => Promise.reject(new Error("no API call expected")) });
    const n = await redactCustomer({ db, platformFor: () => platform }, "shopify", "before-0004.myshopify.com", { customerId: BIG });
    expect(n).toBe(1);
    const [redacted] = rowsOf<{ customer_name: string | null; raw: unknown; platform_customer_id: string | null; redacted: boolean }>(
      await db.execute(sql`select customer_name, raw, platform_customer_id, redacted_at is not null as redacted from orders where platform_order_id = '2'`),
    );
    expect(redacted).toEqual({ customer_name: null, raw: null, platform_customer_id: null, redacted: true });
  });
});
