// The order list for a busy shop, against real PostgreSQL: search by city and company (orders imported through the
// import use case, so the search text is the real one), totals per tab, the label filters "nog geen label" and
// "label gemaakt, wacht op terugschrijven", a labelled order leaving "Te verzenden" at once, and every sort paged
// forward and back by its keyset cursor against a reference sorted in JS. Plus: the sorted queries use their index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { database, db } from "~/db.server";
import { labelRequests, orders, shipments, shops } from "~/db/schema";
import { importOrders } from "~/core/import-order.server";
import { countOrdersByTab, listOrders, matchingOrderIds, ORDER_SORTS, type OrderListFilter, type OrderSort } from "~/core/orders.server";
import type { PlatformOrder } from "~/core/ports";

let shopA: number;
let shopB: number;
const base = Date.parse("2026-11-10T09:00:00Z");
const CITIES = ["Antwerpen", "Utrecht", "Gent", "Zwolle"];
const COUNTRIES = ["BE", "NL", "BE", "NL", "DE", "FR"];

function platformOrder(n: number, extra: Partial<PlatformOrder> = {}): PlatformOrder {
  const city = CITIES[n % CITIES.length]!;
  const country = COUNTRIES[n % COUNTRIES.length]!;
  return {
    platformOrderId: `gid://shopify/Order/f-${n}`,
    number: `#${n * 7 + 90}`, // #97 … #510: lengths 3 and 4, so a text sort would put "#1xx" … before "#97"
    placedAt: new Date(base + ((n * 37) % 61) * 60_000), // shuffled in time, some ties
    updatedAt: new Date(base + n * 60_000),
    financialStatus: "paid",
    fulfillmentStatus: null,
    cancelled: false,
    test: false,
    customerName: `Klant ${n}`,
    email: `klant${n}@example.com`,
    company: n % 5 === 0 ? `Koffiebranderij ${n} BV` : null,
    shipTo: { name: `Klant ${n}`, address1: `Meir ${n}`, postcode: `${2000 + n}`, city, country },
    lines: [{ sku: `SKU-${n}`, name: "Koffie", quantity: 1, weightGrams: 100 * ((n * 13) % 9) + 50 }],
    raw: { id: n },
    ...extra,
  } as PlatformOrder;
}

const N = 61;
let ids: Map<string, number>;

beforeAll(async () => {
  const [a] = await db.insert(shops).values({ platform: "shopify", domain: "busy-a.myshopify.com" }).returning();
  const [b] = await db.insert(shops).values({ platform: "shopify", domain: "busy-b.myshopify.com" }).returning();
  shopA = a!.id;
  shopB = b!.id;
  const items = Array.from({ length: N }, (_, i) => ({ order: platformOrder(i + 1), log: false }));
  const results = await importOrders(db, { shopId: shopA, paidStatuses: ["paid"], source: "sync" }, items);
  ids = new Map(items.map((it, i) => [it.order.number, (results[i] as { orderId: number }).orderId]));
  // Shop B has an order in Antwerpen too: never in A's results.
  await importOrders(db, { shopId: shopB, paidStatuses: ["paid"], source: "sync" }, [{ order: platformOrder(1, { platformOrderId: "b-1", number: "#B1" }) }]);
  // Two shipped, one cancelled (by the platform's status); one removed.
  await db.update(orders).set({ status: "shipped" }).where(sql`${orders.shopId} = ${shopA} and ${orders.number} in ('#104', '#111')`);
  await db.update(orders).set({ status: "cancelled" }).where(sql`${orders.shopId} = ${shopA} and ${orders.number} = '#118'`);
  await db.update(orders).set({ removedAt: new Date() }).where(sql`${orders.shopId} = ${shopA} and ${orders.number} = '#125'`);
});

afterAll(async () => {
  await database.close();
});

async function addShipment(orderId: number, writebackState: "pending" | "done" | "failed") {
  const [lr] = await db
    .insert(labelRequests)
    .values({ shopId: shopA, orderId, idempotencyKey: `k-${orderId}`, carrier: "boekuwzending", environment: "staging", service: "s", colli: 1, packageType: "package", state: "created" })
    .returning();
  await db.insert(shipments).values({
    shopId: shopA,
    orderId,
    labelRequestId: lr!.id,
    carrier: "boekuwzending",
    environment: "staging",
    carrierShipmentId: `c-${orderId}`,
    service: "s",
    colli: 1,
    packageType: "package",
    labels: [],
    trackingNumber: `3S${orderId}`,
    trackingUrl: "https://t.example",
    trackingCompany: "PostNL",
    writebackState,
  });
  if (writebackState === "done") await db.update(orders).set({ status: "shipped" }).where(eq(orders.id, orderId));
}

async function allNumbers(status: OrderListFilter, opts: { search?: string; label?: "any" | "no_label" | "awaiting_writeback"; sort?: OrderSort } = {}) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page = await listOrders(db, shopA, { status, ...opts, after, limit: 7 });
    seen.push(...page.rows.map((r) => r.number));
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  return seen;
}

describe("search", () => {
  it("matches the city and the company, only the shop's own orders", async () => {
    const antwerpen = await allNumbers("all", { search: "Antwerpen" });
    // Every fourth order ships to Antwerpen (the removed #125 does not); shop B's #B1 does, but is B's.
    const expected = Array.from({ length: N }, (_, i) => i + 1)
      .filter((n) => CITIES[n % CITIES.length] === "Antwerpen")
      .map((n) => `#${n * 7 + 90}`);
    expect(expected.length).toBe(15);
    expect([...antwerpen].sort()).toEqual([...expected].sort());
    expect(antwerpen).not.toContain("#B1");
    // Case and part of the name.
    expect((await allNumbers("all", { search: "antwerp" })).sort()).toEqual([...antwerpen].sort());
    // The company ("Koffiebranderij 10 BV") finds its order.
    expect(await allNumbers("all", { search: "koffiebranderij 10 " })).toEqual(["#160"]);
  });
});

describe("tabs, label filters and the labelled order", () => {
  it("counts per tab; a labelled order leaves Te verzenden at once and is found by the two filters", async () => {
    const before = await countOrdersByTab(db, shopA);
    // 61 orders: 2 shipped, 1 cancelled, 1 removed (a to_ship one), 57 to ship.
    expect(before).toEqual({ to_ship: 57, shipped: 2, cancelled: 1, removed: 1, all: 60 });
    expect(before.to_ship).toBe((await allNumbers("to_ship")).length);
    expect(before.all).toBe((await matchingOrderIds(db, shopA, { status: "all", max: 1000 })).length);
    // Per search as well.
    const gent = await countOrdersByTab(db, shopA, { search: "gent" });
    expect(gent.all).toBe((await allNumbers("all", { search: "gent" })).length);

    // A label for #97 (write-back pending) and #146 (write-back failed); #153 labelled and written back.
    await addShipment(ids.get("#97")!, "pending");
    await addShipment(ids.get("#146")!, "failed");
    await addShipment(ids.get("#153")!, "done");
    const after = await countOrdersByTab(db, shopA);
    expect(after).toEqual({ to_ship: 54, shipped: 5, cancelled: 1, removed: 1, all: 60 });
    const toShip = await allNumbers("to_ship");
    expect(toShip).not.toContain("#97");
    expect(toShip).not.toContain("#146");
    // "Verzonden" holds it as "Label gemaakt" until the write-back (the page shows the status per row).
    expect(await allNumbers("shipped")).toEqual(expect.arrayContaining(["#97", "#146", "#153", "#104", "#111"]));

    expect((await allNumbers("all", { label: "awaiting_writeback" })).sort()).toEqual(["#146", "#97"]);
    const noLabel = await allNumbers("all", { label: "no_label" });
    expect(noLabel).toHaveLength(60 - 3);
    expect(noLabel).not.toContain("#153");
    expect(await countOrdersByTab(db, shopA, { label: "awaiting_writeback" })).toEqual({ to_ship: 0, shipped: 2, cancelled: 0, removed: 0, all: 2 });
    // "Select all matching" follows the filter too.
    expect((await matchingOrderIds(db, shopA, { status: "all", label: "awaiting_writeback", max: 100 })).sort()).toEqual([ids.get("#97")!, ids.get("#146")!].sort());
  });
});

describe("sorting", () => {
  type Ref = { id: number; number: string; placedAt: Date; shipCountry: string | null; weightGrams: number };
  let reference: Ref[];

  beforeAll(async () => {
    reference = await db
      .select({ id: orders.id, number: orders.number, placedAt: orders.placedAt, shipCountry: orders.shipCountry, weightGrams: orders.weightGrams })
      .from(orders)
      .where(sql`${orders.shopId} = ${shopA} and ${orders.removedAt} is null`);
  });

  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  function expectedOrder(sort: OrderSort): string[] {
    const key = (r: Ref): number | string => {
      if (sort.startsWith("date")) return r.placedAt.getTime();
      if (sort.startsWith("number")) return r.number.padStart(40, " ");
      if (sort.startsWith("country")) return r.shipCountry ?? "";
      return r.weightGrams;
    };
    const dir = sort.endsWith("_desc") ? -1 : 1;
    return [...reference].sort((a, b) => dir * (cmp(key(a), key(b)) || cmp(a.id, b.id))).map((r) => r.number);
  }

  it.each(ORDER_SORTS.map((s) => [s]))("%s: every page forward, then back, in the sort's order", async (sort) => {
    const expected = expectedOrder(sort as OrderSort);
    const pages: { numbers: string[]; next: string | null; prev: string | null }[] = [];
    let after: string | null = null;
    for (let i = 0; i < 30; i++) {
      const page = await listOrders(db, shopA, { status: "all", sort: sort as OrderSort, after, limit: 7 });
      pages.push({ numbers: page.rows.map((r) => r.number), next: page.nextCursor, prev: page.prevCursor });
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(pages.flatMap((p) => p.numbers)).toEqual(expected);
    // Back from the last page: each page again, the same rows.
    let before = pages[pages.length - 1]!.prev;
    for (let i = pages.length - 2; i >= 0; i--) {
      const page = await listOrders(db, shopA, { status: "all", sort: sort as OrderSort, before, limit: 7 });
      expect(page.rows.map((r) => r.number)).toEqual(pages[i]!.numbers);
      before = page.prevCursor;
    }
    expect(before).toBeNull();
  });

  it("order numbers sort by their number (#97 before #104), not as text", async () => {
    const page = await listOrders(db, shopA, { status: "all", sort: "number_asc", limit: 3 });
    expect(page.rows.map((r) => r.number)).toEqual(["#97", "#104", "#111"]);
  });

  it("a cursor of another sort (or garbage) is ignored: the first page", async () => {
    const byDate = await listOrders(db, shopA, { status: "all", sort: "date_desc", limit: 5 });
    const first = await listOrders(db, shopA, { status: "all", sort: "weight_desc", limit: 5 });
    const mixed = await listOrders(db, shopA, { status: "all", sort: "weight_desc", after: byDate.nextCursor, limit: 5 });
    expect(mixed.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    const garbage = await listOrders(db, shopA, { status: "all", sort: "country_asc", after: "W1siY291bnRyeSJd", limit: 5 });
    expect(garbage.prevCursor).toBeNull();
  });

  it.each([
    ["number_desc", "orders_list_number_idx"],
    ["country_asc", "orders_list_country_idx"],
    ["weight_desc", "orders_list_weight_idx"],
    ["date_desc", "orders_list_idx"],
  ] as const)("to ship, sorted by %s: PostgreSQL reads %s in order (no sort of every match)", async (sort, index) => {
    // Many rows for a planner to prefer the index: shop B gets 3 000 more orders to ship.
    const [{ n }] = (await db.execute(sql`select count(*)::int as n from ${orders} where ${orders.shopId} = ${shopB}`)) as unknown as [{ n: number }];
    if (n < 3000) {
      await db.execute(sql`
        insert into ${orders} (shop_id, platform_order_id, number, placed_at, platform_updated_at, status, financial_status, ship_country, weight_grams, search_text)
        select ${shopB}, 'gen-' || i, '#' || i, now() - i * interval '1 minute', now(), case when i % 4 = 0 then 'shipped' else 'to_ship' end, 'paid',
               (array['NL','BE','DE'])[1 + i % 3], i % 5000, '#' || i
        from generate_series(1, 3000) i`);
      await db.execute(sql`analyze ${orders}`);
    }
    const page = await listOrders(db, shopB, { status: "to_ship", sort, limit: 50 });
    expect(page.rows).toHaveLength(50);
    // The WHERE and ORDER BY listOrders builds for this tab and sort, explained.
    const plan = await explainList(shopB, sort);
    expect(plan).toContain(index);
    expect(plan).not.toMatch(/\bSort\b/);
  });
});

/** EXPLAIN of the first-page query for `status: to_ship` in this sort: the WHERE and ORDER BY orders.server.ts builds. */
async function explainList(shopId: number, sort: OrderSort): Promise<string> {
  const { sortKeyExpression, sortKeyOf, sortIsDescending } = await import("~/core/order-sort");
  const key = sortKeyOf(sort);
  const dir = sortIsDescending(sort) ? sql`desc` : sql`asc`;
  const order = key === "date" ? sql`${orders.placedAt} ${dir} nulls last, ${orders.id} ${dir} nulls last` : sql`${sortKeyExpression(key)} ${dir}, ${orders.id} ${dir}`;
  const rows = (await db.execute(sql`explain select ${orders.id} from ${orders}
    where ${orders.shopId} = ${shopId} and ${orders.status} = 'to_ship' and ${orders.removedAt} is null
      and not exists (select 1 from ${shipments} where ${shipments.orderId} = ${orders.id} and ${shipments.shopId} = ${orders.shopId})
    order by ${order} limit 51`)) as unknown as { "QUERY PLAN": string }[];
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}
