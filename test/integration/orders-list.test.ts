// The order list against real PostgreSQL: keyset pages, search, status filters, remove/restore, and shop isolation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { database, db } from "~/db.server";
import { activity, orders, shops, type OrderStatus } from "~/db/schema";
import { getOrderForShop, listOrders, removeOrders, restoreOrders, type OrderListFilter } from "~/core/orders.server";

type NewOrder = typeof orders.$inferInsert;

let shopA: number;
let shopB: number;
const base = Date.parse("2026-11-01T12:00:00Z");

function order(shopId: number, n: number, extra: Partial<NewOrder> = {}): NewOrder {
  const number = `#${1000 + n}`;
  const customerName = extra.customerName ?? `Klant ${n}`;
  const email = extra.email ?? `klant${n}@example.com`;
  const postcode = extra.shipPostcode ?? "3511 AB";
  return {
    shopId,
    platformOrderId: `gid://shopify/Order/${shopId}-${n}`,
    number,
    // Every fifth pair shares a placed_at: the id breaks the tie.
    placedAt: new Date(base + (n - (n % 2 === 0 && n % 5 === 0 ? 1 : 0)) * 60_000),
    platformUpdatedAt: new Date(base + n * 60_000),
    status: "to_ship",
    financialStatus: "paid",
    customerName,
    email,
    shipPostcode: postcode,
    shipCity: "Utrecht",
    shipCountry: "NL",
    itemCount: 1,
    weightGrams: 500,
    searchText: [number, number.slice(1), customerName, email, postcode, postcode.replace(/\s+/g, "")].join(" ").toLowerCase(),
    ...extra,
  };
}

beforeAll(async () => {
  const [a] = await db.insert(shops).values({ platform: "shopify", domain: "shop-a.myshopify.com" }).returning();
  const [b] = await db.insert(shops).values({ platform: "shopify", domain: "shop-b.myshopify.com" }).returning();
  shopA = a!.id;
  shopB = b!.id;

  const rowsA: NewOrder[] = [];
  for (let n = 1; n <= 120; n++) rowsA.push(order(shopA, n));
  // Interleave B's orders in time so any missing shop filter would show up in A's pages.
  const rowsB: NewOrder[] = [];
  for (let n = 1; n <= 30; n++) rowsB.push(order(shopB, n, { customerName: `B-klant ${n}`, email: `b${n}@shop-b.example` }));
  await db.insert(orders).values(rowsA);
  await db.insert(orders).values(rowsB);

  const statuses: [number, OrderStatus, Partial<NewOrder>][] = [
    [500, "shipped", {}],
    [501, "cancelled", {}],
    [502, "refunded", {}],
    [503, "fulfilled_elsewhere", {}],
    [504, "unpaid", {}],
    [505, "to_ship", { customerName: "Jan Jansen", email: "jan@voorbeeld.nl", shipPostcode: "1015 CJ", shipCity: "Amsterdam" }],
  ];
  await db.insert(orders).values(statuses.map(([n, status, extra]) => order(shopA, n, { status, ...extra })));
  // An order whose search text only holds the postcode without its space, as another importer might write it.
  await db.insert(orders).values({
    ...order(shopA, 506, { customerName: "Piet Pietersen", email: "piet@voorbeeld.nl" }),
    searchText: "#1506 1506 piet pietersen piet@voorbeeld.nl 1015cj",
  });
  // Microsecond precision in placed_at must not break the cursor.
  await db.execute(
    sql`update ${orders} set placed_at = placed_at + interval '123 microseconds' where ${orders.shopId} = ${shopA} and ${orders.number} in ('#1010', '#1011', '#1060')`,
  );
});

afterAll(async () => {
  await database.close();
});

async function allPages(shopId: number, status: OrderListFilter, search?: string) {
  const seen: number[] = [];
  const pageSizes: number[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const page = await listOrders(db, shopId, { status, search, after, limit: 50 });
    seen.push(...page.rows.map((r) => r.id));
    pageSizes.push(page.rows.length);
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  return { seen, pageSizes };
}

async function idsOf(shopId: number, numbers: string[]): Promise<number[]> {
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), inArray(orders.number, numbers)));
  return rows.map((r) => r.id);
}

describe("listOrders", () => {
  it("pages 120+ orders by cursor, newest first, without overlap or gaps", async () => {
    const expected = await db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.shopId, shopA), eq(orders.status, "to_ship")))
      .orderBy(sql`placed_at desc, id desc`);
    expect(expected.length).toBe(122);

    const { seen, pageSizes } = await allPages(shopA, "to_ship");
    expect(pageSizes).toEqual([50, 50, 22]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected.map((r) => r.id));
  });

  it("walks back with prevCursor to exactly the previous page", async () => {
    const p1 = await listOrders(db, shopA, { status: "to_ship" });
    expect(p1.prevCursor).toBeNull();
    const p2 = await listOrders(db, shopA, { status: "to_ship", after: p1.nextCursor });
    const p3 = await listOrders(db, shopA, { status: "to_ship", after: p2.nextCursor });
    expect(p3.nextCursor).toBeNull();
    const back2 = await listOrders(db, shopA, { status: "to_ship", before: p3.prevCursor });
    expect(back2.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
    const back1 = await listOrders(db, shopA, { status: "to_ship", before: back2.prevCursor });
    expect(back1.rows.map((r) => r.id)).toEqual(p1.rows.map((r) => r.id));
    expect(back1.prevCursor).toBeNull();
    expect(back1.nextCursor).not.toBeNull();
  });

  it("ignores a garbage cursor instead of failing", async () => {
    const page = await listOrders(db, shopA, { status: "to_ship", after: "not-a-cursor" });
    expect(page.rows).toHaveLength(50);
  });

  it('finds a postcode as "1015 cj" and as "1015CJ", whichever way it was stored', async () => {
    for (const q of ["1015 cj", "1015CJ", "1015 CJ", " 1015cj "]) {
      const page = await listOrders(db, shopA, { status: "all", search: q });
      expect(page.rows.map((r) => r.number).sort(), q).toEqual(["#1505", "#1506"]);
    }
  });

  it("finds by e-mail, by number and by name, case-insensitively", async () => {
    expect((await listOrders(db, shopA, { status: "all", search: "JAN@voorbeeld.nl" })).rows.map((r) => r.number)).toEqual(["#1505"]);
    expect((await listOrders(db, shopA, { status: "all", search: "#1042" })).rows.map((r) => r.number)).toEqual(["#1042"]);
    expect((await listOrders(db, shopA, { status: "all", search: "1042" })).rows.map((r) => r.number)).toEqual(["#1042"]);
    expect((await listOrders(db, shopA, { status: "all", search: "jan jansen" })).rows.map((r) => r.number)).toEqual(["#1505"]);
    expect((await listOrders(db, shopA, { status: "all", search: "%" })).rows).toEqual([]);
  });

  it("filters by status", async () => {
    const numbers = async (status: OrderListFilter) =>
      (await listOrders(db, shopA, { status, limit: 200 })).rows.map((r) => r.number).sort();
    expect(await numbers("shipped")).toEqual(["#1500"]);
    expect(await numbers("cancelled")).toEqual(["#1501", "#1502", "#1503"]);
    expect((await numbers("all")).length).toBe(127);
    expect(await numbers("removed")).toEqual([]);
  });

  it("never returns another shop's orders", async () => {
    const { seen } = await allPages(shopA, "all");
    const bIds = (await db.select({ id: orders.id }).from(orders).where(eq(orders.shopId, shopB))).map((r) => r.id);
    expect(seen.filter((id) => bIds.includes(id))).toEqual([]);
    expect((await listOrders(db, shopA, { status: "all", search: "shop-b.example" })).rows).toEqual([]);
    expect((await listOrders(db, shopB, { status: "all" })).rows).toHaveLength(30);
  });
});

describe("removeOrders / restoreOrders", () => {
  it("removes from to_ship into removed, and restores back, logging one activity row each", async () => {
    const ids = await idsOf(shopA, ["#1001", "#1002", "#1003"]);
    expect(await removeOrders(db, shopA, ids)).toBe(3);
    // Removing again changes nothing.
    expect(await removeOrders(db, shopA, ids)).toBe(0);

    const toShip = await allPages(shopA, "to_ship");
    expect(toShip.seen.filter((id) => ids.includes(id))).toEqual([]);
    expect(toShip.seen).toHaveLength(119);
    const all = await allPages(shopA, "all");
    expect(all.seen.filter((id) => ids.includes(id))).toEqual([]);
    const removed = await listOrders(db, shopA, { status: "removed" });
    expect(removed.rows.map((r) => r.id).sort()).toEqual([...ids].sort());

    expect(await restoreOrders(db, shopA, ids)).toBe(3);
    expect((await listOrders(db, shopA, { status: "removed" })).rows).toEqual([]);
    expect((await allPages(shopA, "to_ship")).seen).toHaveLength(122);

    const log = await db.select().from(activity).where(eq(activity.shopId, shopA)).orderBy(activity.id);
    expect(log.map((e) => [e.kind, e.source, e.summary, (e.details as { count: number }).count])).toEqual([
      ["orders", "merchant", "orders.removed", 3],
      ["orders", "merchant", "orders.restored", 3],
    ]);
  });

  it("shop A can neither remove, restore nor read shop B's orders", async () => {
    const bIds = (await db.select({ id: orders.id }).from(orders).where(eq(orders.shopId, shopB))).map((r) => r.id);
    const before = await db.select().from(orders).where(eq(orders.shopId, shopB)).orderBy(orders.id);

    expect(await removeOrders(db, shopA, bIds)).toBe(0);
    // Mixed ids: only A's own one changes.
    const [aId] = await idsOf(shopA, ["#1100"]);
    expect(await removeOrders(db, shopA, [aId!, ...bIds.slice(0, 5)])).toBe(1);
    expect(await restoreOrders(db, shopA, [aId!])).toBe(1);

    // B removes one of its own; A cannot restore it.
    expect(await removeOrders(db, shopB, [bIds[0]!])).toBe(1);
    expect(await restoreOrders(db, shopA, [bIds[0]!])).toBe(0);
    expect((await listOrders(db, shopA, { status: "removed" })).rows).toEqual([]);
    expect(await restoreOrders(db, shopB, [bIds[0]!])).toBe(1);

    expect(await getOrderForShop(db, shopA, bIds[1]!)).toBeUndefined();
    expect((await getOrderForShop(db, shopB, bIds[1]!))?.shopId).toBe(shopB);
    expect((await getOrderForShop(db, shopA, aId!))?.number).toBe("#1100");

    const after = await db.select().from(orders).where(eq(orders.shopId, shopB)).orderBy(orders.id);
    expect(after.map((o) => [o.id, o.removedAt, o.status])).toEqual(before.map((o) => [o.id, o.removedAt, o.status]));
    // Nothing was logged for B by A's attempts (only B's own remove + restore).
    const bLog = await db.select().from(activity).where(eq(activity.shopId, shopB));
    expect(bLog.map((e) => e.summary).sort()).toEqual(["orders.removed", "orders.restored"]);
  });

  it("ignores empty and invalid id lists", async () => {
    expect(await removeOrders(db, shopA, [])).toBe(0);
    expect(await removeOrders(db, shopA, [-1, 0, 1.5, Number.NaN])).toBe(0);
  });
});
