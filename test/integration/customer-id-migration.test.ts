// Migration 0004 (orders.platform_customer_id) on a database that holds orders from before it, on both drivers: the
// column is backfilled from Shopify's raw payload, so customers/redact by customer id alone still finds those orders.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { sql } from "drizzle-orm";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { MIGRATIONS_FOLDER, openDatabase, rowsOf, type Database } from "../../app/db/client.server";
import { redactCustomer } from "../../app/core/privacy.server";
import { createShopifyPlatform } from "../../app/platforms/shopify/adapter.server";
import { adminSql, urlFor } from "../setup/pg";

const BEFORE = "0003_shop_session_version";
const BIG = "820982911946154509";

/** drizzle/ as it was before 0004: the same files, the journal cut after BEFORE. */
function migrationsBefore(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koppel-migrations-"));
  fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === BEFORE);
  expect(cut).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, cut + 1);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

async function migrateWith(database: Database, folder: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  if (database.kind === "postgres") await migratePostgres(database.db as any, { migrationsFolder: folder });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  else await migratePglite(database.db as any, { migrationsFolder: folder });
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshPostgres(): Promise<Database> {
  const name = `${inject("koppelRunPrefix")}mig_${randomBytes(4).toString("hex")}`;
  const admin = adminSql();
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const database = openDatabase({ url: urlFor(name), max: 2 });
  cleanups.push(async () => {
    await database.close();
    const a = adminSql();
    await a.unsafe(`drop database if exists "${name}" with (force)`);
    await a.end();
  });
  return database;
}

async function freshPglite(): Promise<Database> {
  const database = openDatabase({ pgliteDir: "memory://" });
  cleanups.push(() => database.close());
  return database;
}

const drivers: [string, () => Promise<Database>][] = [
  ["embedded PGlite", freshPglite],
  ["PostgreSQL", freshPostgres],
];

describe.each(drivers)("migration 0004 on %s", { timeout: 120_000 }, (_name, open) => {
  it("backfills platform_customer_id from Shopify's raw (exact digits), only for Shopify orders; the redact then finds them", async () => {
    const database = await open();
    await migrateWith(database, migrationsBefore());
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
