// listOrders / matchingOrderIds run one prepared query per shape (filter x number of search variants x cursor
// direction), built once per database handle. Every shape, on both drivers (PostgreSQL and embedded PGlite), against
// a reference computed in plain JS from the shop's orders; shapes reused with other shops and other parameters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq, sql } from "drizzle-orm";
import { database as pgDatabase } from "~/db.server";
import { migrateDatabase, openDatabase, type Database, type Db } from "~/db/client.server";
import { orders, shops, type OrderStatus } from "~/db/schema";
import {
  CANCELLED_STATUSES,
  listOrders,
  matchingOrderIds,
  ORDER_LIST_FILTERS,
  searchVariants,
  type OrderListFilter,
  type OrderListRow,
} from "~/core/orders.server";

type NewOrder = typeof orders.$inferInsert;
type Order = typeof orders.$inferSelect;

const STATUSES: OrderStatus[] = ["to_ship", "to_ship", "shipped", "cancelled", "to_ship", "refunded", "fulfilled_elsewhere", "unpaid"];
// No search, one variant, two variants (a postcode matches "1015 cj" and "1015cj"), a term matching nothing.
const SEARCHES = [undefined, "jansen", "1015 CJ", "nergens"];
const LIMIT = 7;
const base = Date.parse("2026-10-01T08:00:00Z");

function order(shopId: number, n: number): NewOrder {
  const number = `#${2000 + n}`;
  const customerName = n % 2 === 0 ? `Jan Jansen ${n}` : `Klant ${n}`;
  const email = `klant${n}@example.com`;
  const postcode = n % 4 === 0 ? "1015 CJ" : "3511 AB";
  const status = STATUSES[n % STATUSES.length]!;
  return {
    shopId,
    platformOrderId: `gid://shopify/Order/${shopId}-${n}`,
    number,
    // Pairs share a placed_at every so often: the id breaks the tie.
    placedAt: new Date(base + (n - (n % 7 === 0 ? 1 : 0)) * 60_000),
    platformUpdatedAt: new Date(base + n * 60_000),
    status,
    financialStatus: status === "refunded" ? "refunded" : "paid",
    fulfillmentStatus: status === "shipped" ? "fulfilled" : null,
    customerName,
    email,
    company: n % 5 === 0 ? `Bedrijf ${n} B.V.` : null,
    shipTo: n % 6 === 0 ? null : { name: customerName, address1: `Keizersgracht ${n}`, postcode, city: "Amsterdam", country: "NL" },
    shipPostcode: postcode,
    shipCity: "Amsterdam",
    shipCountry: "NL",
    itemCount: 1 + (n % 3),
    weightGrams: 250 * (1 + (n % 3)),
    totalPrice: n % 8 === 0 ? null : `${10 + n}.95`,
    currency: "EUR",
    removedAt: n % 9 === 0 ? new Date(base + n * 60_000 + 1000) : null,
    shippedAt: status === "shipped" ? new Date(base + n * 60_000 + 5000) : null,
    // Postcodes stored either way: with and without the space.
    searchText: [number, number.slice(1), customerName, email, n % 8 === 0 ? postcode.replace(/\s+/g, "") : postcode].join(" ").toLowerCase(),
  };
}

function inFilter(o: Order, status: OrderListFilter): boolean {
  switch (status) {
    case "to_ship":
    case "shipped":
      return o.status === status && !o.removedAt;
    case "cancelled":
      return CANCELLED_STATUSES.includes(o.status) && !o.removedAt;
    case "removed":
      return o.removedAt !== null;
    case "all":
      return !o.removedAt;
  }
}

function rowOf(o: Order): OrderListRow {
  return {
    id: o.id,
    number: o.number,
    placedAt: o.placedAt,
    status: o.status,
    financialStatus: o.financialStatus,
    fulfillmentStatus: o.fulfillmentStatus,
    customerName: o.customerName,
    email: o.email,
    company: o.company,
    shipPostcode: o.shipPostcode,
    shipCity: o.shipCity,
    shipCountry: o.shipCountry,
    shipTo: o.shipTo,
    shipToCorrected: o.shipToCorrected,
    shipToCorrectedAt: o.shipToCorrectedAt,
    itemCount: o.itemCount,
    weightGrams: o.weightGrams,
    totalPrice: o.totalPrice,
    currency: o.currency,
    removedAt: o.removedAt,
    shippedAt: o.shippedAt,
  };
}

async function seed(db: Db, domain: string, count: number): Promise<{ shopId: number; all: Order[] }> {
  const [shop] = await db.insert(shops).values({ platform: "shopify", domain }).returning();
  const shopId = shop!.id;
  await db.insert(orders).values(Array.from({ length: count }, (_, i) => order(shopId, i + 1)));
  // Microseconds in placed_at (a JS Date cannot hold them) must not break the cursor.
  await db.execute(sql`update ${orders} set placed_at = placed_at + interval '321 microseconds' where ${orders.shopId} = ${shopId} and ${orders.id} % 5 = 0`);
  // The reference order comes from PostgreSQL itself (microseconds included).
  const all = await db.select().from(orders).where(eq(orders.shopId, shopId)).orderBy(desc(orders.placedAt), desc(orders.id));
  return { shopId, all };
}

function expected(all: Order[], status: OrderListFilter, search: string | undefined): Order[] {
  const variants = searchVariants(search ?? "");
  return all.filter((o) => inFilter(o, status) && (!variants.length || variants.some((v) => o.searchText.includes(v))));
}

/** Every page forward (after), then every page back (before) from the last; checks rows, cursors and page sizes. */
async function checkShape(db: Db, shopId: number, all: Order[], status: OrderListFilter, search: string | undefined) {
  const want = expected(all, status, search);
  const label = `${status} / ${search ?? "(no search)"}`;
  const forward: OrderListRow[][] = [];
  const prevCursors: (string | null)[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page = await listOrders(db, shopId, { status, search, after, limit: LIMIT });
    forward.push(page.rows);
    prevCursors.push(page.prevCursor);
    expect(page.prevCursor === null, label).toBe(after === null);
    if (!page.nextCursor) break;
    expect(page.rows, label).toHaveLength(LIMIT);
    after = page.nextCursor;
  }
  expect(forward.flat(), label).toEqual(want.map(rowOf));
  expect(forward.flat().every((r) => !("cursorAt" in r)), label).toBe(true);

  // Back again: each "before" page is exactly the page seen going forward.
  let before = prevCursors.at(-1) ?? null;
  for (let i = forward.length - 2; i >= 0; i--) {
    const page = await listOrders(db, shopId, { status, search, before, limit: LIMIT });
    expect(page.rows.map((r) => r.id), `${label}, back to page ${i + 1}`).toEqual(forward[i]!.map((r) => r.id));
    expect(page.nextCursor, label).not.toBeNull();
    expect(page.prevCursor === null, label).toBe(i === 0);
    before = page.prevCursor;
  }

  expect(await matchingOrderIds(db, shopId, { status, search, max: 1000 }), label).toEqual(want.map((o) => o.id));
  if (want.length > 3) expect(await matchingOrderIds(db, shopId, { status, search, max: 3 }), label).toEqual(want.slice(0, 3).map((o) => o.id));
}

const drivers: { name: string; open: () => Promise<Database>; close: boolean }[] = [
  { name: "postgres", open: async () => pgDatabase, close: true },
  {
    name: "pglite",
    open: async () => {
      const database = openDatabase({ pgliteDir: "memory://" });
      await migrateDatabase(database);
      return database;
    },
    close: true,
  },
];

describe.each(drivers)("listOrders shapes on $name", (driver) => {
  let database: Database;
  let db: Db;
  let a: { shopId: number; all: Order[] };
  let b: { shopId: number; all: Order[] };

  beforeAll(async () => {
    database = await driver.open();
    db = database.db;
    a = await seed(db, `shapes-a-${driver.name}.myshopify.com`, 90);
    b = await seed(db, `shapes-b-${driver.name}.myshopify.com`, 40);
  });

  afterAll(async () => {
    if (driver.close) await database.close();
  });

  it("every filter x search shape, forward and back, matches the reference", async () => {
    for (const status of ORDER_LIST_FILTERS) for (const search of SEARCHES) await checkShape(db, a.shopId, a.all, status, search);
  });

  it("reuses a shape with another shop and other parameters without mixing them up", async () => {
    for (const status of ORDER_LIST_FILTERS) {
      for (const search of SEARCHES) {
        await checkShape(db, b.shopId, b.all, status, search);
        // And straight back to shop A on the same shapes.
        const page = await listOrders(db, a.shopId, { status, search, limit: LIMIT });
        expect(page.rows).toEqual(expected(a.all, status, search).slice(0, LIMIT).map(rowOf));
      }
    }
  });

  it("default and clamped page sizes, and a garbage cursor", async () => {
    const all = expected(a.all, "all", undefined);
    expect((await listOrders(db, a.shopId, { status: "all" })).rows.map((r) => r.id)).toEqual(all.slice(0, 50).map((o) => o.id));
    expect((await listOrders(db, a.shopId, { status: "all", limit: 0 })).rows).toHaveLength(50);
    expect((await listOrders(db, a.shopId, { status: "all", limit: 1 })).rows.map((r) => r.id)).toEqual([all[0]!.id]);
    expect((await listOrders(db, a.shopId, { status: "all", limit: 10_000 })).rows).toHaveLength(all.length);
    const garbage = await listOrders(db, a.shopId, { status: "all", after: "bm9wZQ", limit: LIMIT });
    expect(garbage.rows.map((r) => r.id)).toEqual(all.slice(0, LIMIT).map((o) => o.id));
    expect(garbage.prevCursor).toBeNull();
  });

  it("works inside a transaction (its own handle)", async () => {
    const want = expected(a.all, "to_ship", "jansen").slice(0, LIMIT).map((o) => o.id);
    const ids = await db.transaction(async (tx) => (await listOrders(tx as unknown as Db, a.shopId, { status: "to_ship", search: "jansen", limit: LIMIT })).rows.map((r) => r.id));
    expect(ids).toEqual(want);
  });

  it("refuses an unknown filter instead of listing without one", async () => {
    await expect(listOrders(db, a.shopId, { status: "bogus" as OrderListFilter })).rejects.toBeInstanceOf(TypeError);
    await expect(matchingOrderIds(db, a.shopId, { status: "bogus" as OrderListFilter, max: 10 })).rejects.toBeInstanceOf(TypeError);
  });

  it("the reference itself is not trivial", () => {
    // Guards the fixture: every filter and every non-empty search term has rows, and the cursor crosses pages.
    for (const status of ORDER_LIST_FILTERS) expect(expected(a.all, status, undefined).length, status).toBeGreaterThan(LIMIT);
    expect(expected(a.all, "to_ship", "jansen").length).toBeGreaterThan(LIMIT);
    expect(expected(a.all, "all", "1015 CJ").some((o) => o.searchText.includes("1015cj"))).toBe(true);
    expect(expected(a.all, "all", "1015 CJ").some((o) => o.searchText.includes("1015 cj"))).toBe(true);
    expect(expected(a.all, "all", "nergens")).toEqual([]);
  });
});
