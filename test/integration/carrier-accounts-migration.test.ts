// Migration 0006 (carrier_accounts) on a database with labels from before it, on both drivers: each shop's connection
// becomes its first account, and the requests and shipments made in that connection's environment point at it; one
// made in another environment (the shop switched since) keeps no account, so Koppel refuses it rather than guess.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "../../app/db/client.server";
import { MIGRATION_DRIVERS, MIGRATIONS_FOLDER, migrateWith, migrationsUpTo } from "./support/migrations";

const BEFORE = "0005_ccvshop_install_keys";

describe.each(MIGRATION_DRIVERS)("migration 0006 on %s", { timeout: 120_000 }, (_name, open) => {
  it("backfills carrier accounts from the connections, and the requests and shipments of the same environment", async () => {
    const database = await open();
    await migrateWith(database, migrationsUpTo(BEFORE));
    const { db } = database;
    const [shop] = rowsOf<{ id: number }>(await db.execute(sql`insert into shops (platform, domain) values ('shopify', 'before-0006.myshopify.com') returning id`));
    const [bare] = rowsOf<{ id: number }>(await db.execute(sql`insert into shops (platform, domain) values ('shopify', 'no-carrier.myshopify.com') returning id`));
    await db.execute(sql`insert into carrier_connections (shop_id, carrier, environment, client_id, client_secret_encrypted, client_secret_last4)
      values (${shop!.id}, 'boekuwzending', 'production', 'prod-client', 'v1:encrypted', '1234')`);
    const [order] = rowsOf<{ id: number }>(
      await db.execute(sql`insert into orders (shop_id, platform_order_id, number, placed_at, platform_updated_at, status, financial_status)
        values (${shop!.id}, '1', '#1', now(), now(), 'to_ship', 'paid') returning id`),
    );
    const request = async (key: string, environment: string) => {
      const [r] = rowsOf<{ id: number }>(
        await db.execute(sql`insert into label_requests (shop_id, order_id, idempotency_key, carrier, environment, service, colli, package_type, state)
          values (${shop!.id}, ${order!.id}, ${key}, 'boekuwzending', ${environment}, 'postnl', 1, 'package', 'rejected') returning id`),
      );
      await db.execute(sql`insert into shipments (shop_id, order_id, label_request_id, carrier, environment, carrier_shipment_id, service, colli, package_type, labels, tracking_number, tracking_url, tracking_company)
        values (${shop!.id}, ${order!.id}, ${r!.id}, 'boekuwzending', ${environment}, ${"shp-" + key}, 'postnl', 1, 'package', '[]'::jsonb, '3S', 'https://t', 'PostNL')`);
      return r!.id;
    };
    const prodRequest = await request("prod", "production");
    const stagingRequest = await request("staging", "staging");

    await migrateWith(database, MIGRATIONS_FOLDER);
    const accounts = rowsOf<{ id: number; shop_id: number; environment: string; client_id: string; client_secret_encrypted: string }>(
      await db.execute(sql`select id, shop_id, environment, client_id, client_secret_encrypted from carrier_accounts`),
    );
    // bigint columns come back as text from postgres.js, as numbers from PGlite.
    expect(accounts.map((a) => ({ ...a, id: Number(a.id), shop_id: Number(a.shop_id) }))).toEqual([
      { id: expect.any(Number), shop_id: Number(shop!.id), environment: "production", client_id: "prod-client", client_secret_encrypted: "v1:encrypted" },
    ]);
    const accountId = Number(accounts[0]!.id);
    const [conn] = rowsOf<{ account_id: number }>(await db.execute(sql`select account_id from carrier_connections where shop_id = ${shop!.id}`));
    expect(Number(conn!.account_id)).toBe(accountId);
    const requests = rowsOf<{ id: number; carrier_account_id: number | null }>(await db.execute(sql`select id, carrier_account_id from label_requests order by id`));
    expect(requests.map((r) => [Number(r.id), r.carrier_account_id === null ? null : Number(r.carrier_account_id)])).toEqual([
      [Number(prodRequest), accountId],
      [Number(stagingRequest), null],
    ]);
    const ships = rowsOf<{ environment: string; carrier_account_id: number | null }>(await db.execute(sql`select environment, carrier_account_id from shipments order by id`));
    expect(ships.map((s) => [s.environment, s.carrier_account_id === null ? null : Number(s.carrier_account_id)])).toEqual([
      ["production", accountId],
      ["staging", null],
    ]);
    expect(rowsOf(await db.execute(sql`select 1 from carrier_accounts where shop_id = ${bare!.id}`))).toEqual([]);
  });
});
