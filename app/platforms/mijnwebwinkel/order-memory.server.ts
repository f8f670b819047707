// What the Mijnwebwinkel poll remembers of a store's orders, in PostgreSQL (table mijnwebwinkel_orders) so that a
// restart forgets nothing: when it first saw each order as it is now (the order's updatedAt: the API has none), whether
// it was open, and its payments' answer (paid is never asked again; unpaid again later, backing off). It also asks
// Koppel's own orders table which of a page's orders Koppel holds: one it imported to ship was paid then (no payments
// call), and one that left the to-ship statuses is handed on only when Koppel has it (or saw it open).
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { mijnwebwinkelOrders, orders, shops, type OrderStatus } from "../../db/schema";

export type MwwFinancial = "paid" | "refunded" | "pending";

export type MwwRemembered = {
  /** The order number's digits; "?" + fingerprint for an order whose number cannot be read. */
  number: string;
  fingerprint: string;
  seenAt: Date;
  open: boolean;
  /** The last payments answer (null: never asked). */
  financial: MwwFinancial | null;
  /** Unpaid answers in a row. */
  paymentChecks: number;
  /** When an unpaid order's payments are asked again. */
  paymentCheckAt: Date | null;
};

export type MwwOrderMemory = {
  recall(shopId: number, numbers: readonly string[]): Promise<Map<string, MwwRemembered>>;
  remember(shopId: number, rows: readonly MwwRemembered[]): Promise<void>;
  /** Koppel's status of those of these orders it holds (orders.platform_order_id = the number's digits). */
  koppelStatuses(shopId: number, numbers: readonly string[]): Promise<Map<string, OrderStatus>>;
  /** Open, unpaid orders whose payments are due to be asked again before `before`, the longest due first. */
  paymentsDue(shopId: number, before: Date, limit: number): Promise<string[]>;
  /** Forgets the orders that are not open and were last seen changing before `before`. */
  prune(shopId: number, before: Date): Promise<void>;
  /** When the shop's last sync finished without failing (shops.last_sync_at), or null. */
  lastSyncAt(shopId: number): Promise<Date | null>;
};

const FINANCIALS: ReadonlySet<string> = new Set(["paid", "refunded", "pending"]);

export function pgMwwOrderMemory(db: () => DbOrTx): MwwOrderMemory {
  return {
    async recall(shopId, numbers) {
      const out = new Map<string, MwwRemembered>();
      if (!numbers.length) return out;
      const rows = await db()
        .select()
        .from(mijnwebwinkelOrders)
        .where(and(eq(mijnwebwinkelOrders.shopId, shopId), inArray(mijnwebwinkelOrders.number, [...new Set(numbers)])));
      for (const r of rows) {
        out.set(r.number, {
          number: r.number,
          fingerprint: r.fingerprint,
          seenAt: r.seenAt,
          open: r.open,
          financial: r.financial && FINANCIALS.has(r.financial) ? (r.financial as MwwFinancial) : null,
          paymentChecks: r.paymentChecks,
          paymentCheckAt: r.paymentCheckAt,
        });
      }
      return out;
    },
    async remember(shopId, rows) {
      if (!rows.length) return;
      // One row per number (the last one wins), so the upsert never touches a row twice.
      const byNumber = new Map(rows.map((r) => [r.number, r]));
      await db()
        .insert(mijnwebwinkelOrders)
        .values([...byNumber.values()].map((r) => ({ shopId, ...r, updatedAt: new Date() })))
        .onConflictDoUpdate({
          target: [mijnwebwinkelOrders.shopId, mijnwebwinkelOrders.number],
          set: {
            fingerprint: sql`excluded.fingerprint`,
            seenAt: sql`excluded.seen_at`,
            open: sql`excluded.open`,
            financial: sql`excluded.financial`,
            paymentChecks: sql`excluded.payment_checks`,
            paymentCheckAt: sql`excluded.payment_check_at`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    },
    async koppelStatuses(shopId, numbers) {
      const out = new Map<string, OrderStatus>();
      if (!numbers.length) return out;
      const rows = await db()
        .select({ id: orders.platformOrderId, status: orders.status })
        .from(orders)
        .where(and(eq(orders.shopId, shopId), inArray(orders.platformOrderId, [...new Set(numbers)])));
      for (const r of rows) out.set(r.id, r.status);
      return out;
    },
    async paymentsDue(shopId, before, limit) {
      const rows = await db()
        .select({ number: mijnwebwinkelOrders.number })
        .from(mijnwebwinkelOrders)
        .where(
          and(
            eq(mijnwebwinkelOrders.shopId, shopId),
            eq(mijnwebwinkelOrders.open, true),
            eq(mijnwebwinkelOrders.financial, "pending"),
            isNotNull(mijnwebwinkelOrders.paymentCheckAt),
            lt(mijnwebwinkelOrders.paymentCheckAt, before),
          ),
        )
        .orderBy(mijnwebwinkelOrders.paymentCheckAt)
        .limit(limit);
      return rows.map((r) => r.number);
    },
    async prune(shopId, before) {
      await db()
        .delete(mijnwebwinkelOrders)
        .where(and(eq(mijnwebwinkelOrders.shopId, shopId), eq(mijnwebwinkelOrders.open, false), lt(mijnwebwinkelOrders.seenAt, before)));
    },
    async lastSyncAt(shopId) {
      const [row] = await db().select({ at: shops.lastSyncAt }).from(shops).where(eq(shops.id, shopId));
      return row?.at ?? null;
    },
  };
}

/** The same in this process only (unit tests; nothing survives a restart, and Koppel's orders are not known). */
export function inMemoryMwwOrderMemory(): MwwOrderMemory & { rows: Map<number, Map<string, MwwRemembered>> } {
  const rows = new Map<number, Map<string, MwwRemembered>>();
  const of = (shopId: number) => {
    let m = rows.get(shopId);
    if (!m) rows.set(shopId, (m = new Map()));
    return m;
  };
  return {
    rows,
    async recall(shopId, numbers) {
      const m = of(shopId);
      return new Map(numbers.flatMap((n) => (m.has(n) ? [[n, { ...m.get(n)! }] as const] : [])));
    },
    async remember(shopId, list) {
      for (const r of list) of(shopId).set(r.number, { ...r });
    },
    async koppelStatuses() {
      return new Map();
    },
    async paymentsDue(shopId, before, limit) {
      return [...of(shopId).values()]
        .filter((r) => r.open && r.financial === "pending" && r.paymentCheckAt && r.paymentCheckAt < before)
        .sort((a, b) => a.paymentCheckAt!.getTime() - b.paymentCheckAt!.getTime())
        .slice(0, limit)
        .map((r) => r.number);
    },
    async prune(shopId, before) {
      const m = of(shopId);
      for (const [n, r] of m) if (!r.open && r.seenAt < before) m.delete(n);
    },
    async lastSyncAt() {
      return null;
    },
  };
}
