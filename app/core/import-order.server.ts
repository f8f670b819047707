// The import use case: one PlatformOrder in, at most one row per (shop, platform order id) out.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { orders, type OrderStatus } from "../db/schema";
import type { PlatformOrder } from "./ports";
import { decideImport, type SkipReason } from "./import-policy";
import { logActivity } from "./activity.server";

export type ImportSource = "webhook" | "sync";

export type ImportResult =
  | { outcome: "imported" | "updated"; orderId: number; status: OrderStatus }
  | { outcome: "stale"; orderId: number }
  | { outcome: "skipped"; reason: SkipReason };

export function searchTextFor(o: PlatformOrder): string {
  const postcode = o.shipTo?.postcode ?? "";
  return [o.number, o.number.replace(/^#/, ""), o.customerName, o.shipTo?.name, o.company, o.email, postcode, postcode.replace(/\s+/g, "")]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
}

export async function importOrder(
  db: Db,
  input: { shopId: number; paidStatuses: readonly string[]; order: PlatformOrder; source: ImportSource; log?: boolean },
): Promise<ImportResult> {
  const { shopId, order, source } = input;
  const [existing] = await db
    .select({ id: orders.id, status: orders.status })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), eq(orders.platformOrderId, order.platformOrderId)));
  const decision = decideImport(order, input.paidStatuses, existing);

  if (decision.action === "skip") {
    if (input.log !== false) {
      await logActivity(db, { shopId, kind: "import", source, result: "skipped", summary: "import.skipped", orderNumber: order.number, reason: decision.reason });
    }
    return { outcome: "skipped", reason: decision.reason };
  }

  const linesKnown = order.lines.every((l) => l.weightGrams != null);
  const linesWeight = order.lines.reduce((sum, l) => sum + (l.weightGrams ?? 0) * l.quantity, 0);
  const weightGrams = linesKnown ? linesWeight : (order.totalWeightGrams ?? linesWeight);
  const values = {
    shopId,
    platformOrderId: order.platformOrderId,
    number: order.number,
    placedAt: order.placedAt,
    platformUpdatedAt: order.updatedAt,
    status: decision.status,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    customerName: order.customerName,
    email: order.email,
    company: order.company ?? order.shipTo?.company ?? null,
    shipTo: order.shipTo,
    shipPostcode: order.shipTo?.postcode ?? null,
    shipCity: order.shipTo?.city ?? null,
    shipCountry: order.shipTo?.country ?? null,
    lines: order.lines,
    itemCount: order.lines.filter((l) => l.requiresShipping !== false).reduce((n, l) => n + l.quantity, 0),
    weightGrams,
    totalPrice: order.totalPrice,
    currency: order.currency,
    searchText: searchTextFor(order),
    raw: order.raw as object,
    updatedAt: new Date(),
  };
  const { shopId: _s, platformOrderId: _p, ...updatable } = values;
  // Upsert; an update older than what we hold never overwrites it (webhooks arrive out of order).
  // removed_at and shipped_at are Koppel's own and never touched here, so a removed order stays removed.
  const rows = await db
    .insert(orders)
    .values(values)
    .onConflictDoUpdate({
      target: [orders.shopId, orders.platformOrderId],
      set: updatable,
      setWhere: sql`${orders.platformUpdatedAt} <= excluded.platform_updated_at and ${orders.redactedAt} is null`,
    })
    .returning({ id: orders.id, inserted: sql<boolean>`(xmax = 0)` });
  const row = rows[0];
  if (!row) {
    return { outcome: "stale", orderId: existing!.id };
  }
  const outcome = row.inserted ? "imported" : "updated";
  const changed = row.inserted || existing?.status !== decision.status;
  if (input.log !== false && (changed || source === "webhook")) {
    await logActivity(db, {
      shopId,
      kind: "import",
      source,
      result: "ok",
      summary: `import.${outcome}`,
      orderNumber: order.number,
      details: { status: decision.status, financialStatus: order.financialStatus },
    });
  }
  return { outcome, orderId: row.id, status: decision.status };
}
