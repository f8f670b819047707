// The import use case: one PlatformOrder in, at most one row per (shop, platform order id) out.
import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.server";
import { bulkInsert } from "../db/bulk.server";
import { orders, type OrderStatus } from "../db/schema";
import type { PlatformOrder } from "./ports";
import { decideImport, type SkipReason } from "./import-policy";
import { logActivities, type NewActivity } from "./activity.server";
import { orderTotals } from "./platform-order";
import { toJsonb } from "./text";

export type ImportSource = "webhook" | "sync";

export type ImportResult =
  | { outcome: "imported" | "updated"; orderId: number; status: OrderStatus }
  | { outcome: "stale"; orderId: number }
  | { outcome: "skipped"; reason: SkipReason };

export function searchTextFor(o: PlatformOrder): string {
  const postcode = o.shipTo?.postcode ?? "";
  return [o.number, o.number.replace(/^#/, ""), o.customerName, o.shipTo?.name, o.company ?? o.shipTo?.company, o.email, postcode, postcode.replace(/\s+/g, ""), o.shipTo?.city]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
}

export type ImportInput = { shopId: number; paidStatuses: readonly string[]; source: ImportSource; importTestOrders?: boolean; neverTestOrders?: boolean };
/** One order to import; `log: false` imports without an activity row (sync re-reading its overlap window). */
export type ImportItem = { order: PlatformOrder; log?: boolean };

export async function importOrder(db: Db, input: ImportInput & { order: PlatformOrder; log?: boolean }): Promise<ImportResult> {
  return (await importOrders(db, input, [{ order: input.order, log: input.log }]))[0]!;
}

/**
 * The columns an import writes (never Koppel's own removed_at / shipped_at / redacted_at, nor the merchant's
 * correction of the ship-to, ship_to_corrected / _at: a new ship_to from the shop leaves "Adres aanpassen" standing).
 */
const IMPORTED_COLUMNS = [
  "platformOrderId", "number", "placedAt", "platformUpdatedAt", "status", "financialStatus", "fulfillmentStatus", "customerName",
  "email", "platformCustomerId", "company", "shipTo", "billTo", "shipPostcode", "shipCity", "shipCountry", "lines", "itemCount", "weightGrams", "totalPrice",
  "currency", "tags", "shippingMethod", "searchText", "raw", "platformData", "updatedAt",
] as const;
/**
 * Columns an import without a value for them leaves as they are (PlatformOrder.platformData: undefined; the shipping
 * method, which Shopify's sync query leaves out). Tags absent (CCV Shop's labels could not be read) keep the stored ones
 * too, but the column is NOT NULL, so that is done in orderValues from the row read before the upsert.
 */
const KEPT_WHEN_ABSENT: ReadonlySet<(typeof IMPORTED_COLUMNS)[number]> = new Set(["platformData", "shippingMethod"]);
type ImportedRow = { [K in (typeof IMPORTED_COLUMNS)[number]]: (typeof orders.$inferInsert)[K] };
// Koppel's own columns stay out of the list (the compiler says so when one is added).
const _koppelOwnColumns: Extract<(typeof IMPORTED_COLUMNS)[number], "removedAt" | "shippedAt" | "redactedAt" | "shipToCorrected" | "shipToCorrectedAt"> extends never
  ? true
  : never = true;

function orderValues(order: PlatformOrder, status: OrderStatus, storedTags: string[] | undefined): ImportedRow {
  const { itemCount, weightGrams } = orderTotals(order);
  return {
    platformOrderId: order.platformOrderId,
    number: order.number,
    placedAt: order.placedAt,
    platformUpdatedAt: order.updatedAt,
    status,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus ?? null,
    customerName: order.customerName ?? null,
    email: order.email ?? null,
    platformCustomerId: order.customerId ?? null,
    company: order.company ?? order.shipTo?.company ?? null,
    shipTo: order.shipTo ?? null,
    billTo: order.billTo ?? null,
    shipPostcode: order.shipTo?.postcode ?? null,
    shipCity: order.shipTo?.city ?? null,
    shipCountry: order.shipTo?.country ?? null,
    lines: order.lines,
    itemCount,
    weightGrams,
    totalPrice: order.totalPrice ?? null,
    currency: order.currency ?? null,
    tags: order.tags === undefined ? (storedTags ?? []) : [...new Set(order.tags.map((t) => t.trim()).filter(Boolean))].slice(0, 100),
    shippingMethod: order.shippingMethod?.trim() || null,
    searchText: searchTextFor(order),
    // Kept as received, escaped where PostgreSQL would refuse it (app/core/text.ts).
    raw: (toJsonb(order.raw) as object) ?? null,
    // Undefined (the import knows nothing of it, e.g. a Shopify webhook) keeps what an earlier import stored.
    platformData: order.platformData ?? null,
    updatedAt: new Date(),
  };
}

// Upsert; an update older than what we hold never overwrites it (webhooks arrive out of order).
// removed_at and shipped_at are Koppel's own and never touched here, so a removed order stays removed.
const UPSERT_TAIL = sql.raw(`on conflict (shop_id, platform_order_id) do update set ${IMPORTED_COLUMNS.filter((k) => k !== "platformOrderId")
  .map((k) => {
    const name = getTableColumns(orders)[k].name;
    return KEPT_WHEN_ABSENT.has(k) ? `"${name}" = coalesce(excluded."${name}", orders."${name}")` : `"${name}" = excluded."${name}"`;
  })
  .join(", ")}
  where orders.platform_updated_at <= excluded.platform_updated_at and orders.redacted_at is null
  returning id, platform_order_id, (xmax = 0) as inserted`);

/**
 * Imports many orders of one shop with a handful of statements (read existing, one upsert, one activity insert) instead
 * of a few per order; results in input order. An order that appears twice is imported in a second round, so the
 * outcome is the same as importing the items one after another.
 */
export async function importOrders(db: Db, input: ImportInput, items: readonly ImportItem[]): Promise<ImportResult[]> {
  const results: ImportResult[] = new Array(items.length);
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = seen.get(item.order.platformOrderId) ?? 0;
    seen.set(item.order.platformOrderId, k + 1);
    (rounds[k] ??= []).push(i);
  });
  for (const round of rounds) await importRound(db, input, items, round, results);
  return results;
}

async function importRound(db: Db, input: ImportInput, items: readonly ImportItem[], indexes: number[], results: ImportResult[]) {
  const { shopId, source } = input;
  const ids = indexes.map((i) => items[i]!.order.platformOrderId);
  const existingRows = await db
    .select({ id: orders.id, status: orders.status, platformOrderId: orders.platformOrderId, tags: orders.tags })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), inArray(orders.platformOrderId, ids)));
  const existingOf = new Map(existingRows.map((r) => [r.platformOrderId, r]));
  const log: NewActivity[] = [];
  const upserts: { i: number; status: OrderStatus }[] = [];
  for (const i of indexes) {
    const { order } = items[i]!;
    const decision = decideImport(order, input.paidStatuses, existingOf.get(order.platformOrderId), { importTestOrders: input.importTestOrders, neverTestOrders: input.neverTestOrders });
    if (decision.action === "skip") {
      results[i] = { outcome: "skipped", reason: decision.reason };
      if (items[i]!.log !== false) {
        log.push({ shopId, kind: "import", source, result: "skipped", summary: "import.skipped", orderNumber: order.number, reason: decision.reason });
      }
    } else upserts.push({ i, status: decision.status });
  }
  if (upserts.length) {
    const rows = rowsOf<{ id: number | string; platform_order_id: string; inserted: boolean }>(
      await db.execute(
        bulkInsert({
          table: orders,
          keys: IMPORTED_COLUMNS,
          constants: { shopId },
          rows: upserts.map((u) => orderValues(items[u.i]!.order, u.status, existingOf.get(items[u.i]!.order.platformOrderId)?.tags)),
          tail: UPSERT_TAIL,
        }),
      ),
    ).map((r) => ({ id: Number(r.id), platformOrderId: r.platform_order_id, inserted: r.inserted }));
    const written = new Map(rows.map((r) => [r.platformOrderId, r]));
    for (const { i, status } of upserts) {
      const { order } = items[i]!;
      const existing = existingOf.get(order.platformOrderId);
      const row = written.get(order.platformOrderId);
      if (!row) {
        results[i] = { outcome: "stale", orderId: existing!.id };
        continue;
      }
      const outcome = row.inserted ? "imported" : "updated";
      results[i] = { outcome, orderId: row.id, status };
      const changed = row.inserted || existing?.status !== status;
      if (items[i]!.log !== false && (changed || source === "webhook")) {
        log.push({
          shopId,
          kind: "import",
          source,
          result: "ok",
          summary: `import.${outcome}`,
          orderNumber: order.number,
          details: { status, financialStatus: order.financialStatus },
        });
      }
    }
  }
  await logActivities(db, log);
}
