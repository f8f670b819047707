// The merchant's order list: keyset-paged, searchable, and "Verwijder bestellingen" / restore. Every query is scoped by
// shopId: ids belonging to another shop are simply not found.
import { and, eq, inArray, isNotNull, isNull, not, or, sql, type Column, type SQL } from "drizzle-orm";
import type { PreparedQueryConfig } from "drizzle-orm/pg-core";
import type { Db, DbOrTx } from "../db/client.server";
import { orders, shipments, type OrderStatus } from "../db/schema";
import { toPage, type Page } from "./keyset";
import { logActivity } from "./activity.server";
import {
  DEFAULT_ORDER_SORT,
  decodeSortCursor,
  encodeSortCursor,
  ORDER_SORTS,
  sortCursorValue,
  sortIsDescending,
  sortKeyExpression,
  sortKeyOf,
  sortValueCast,
  type OrderSort,
} from "./order-sort";

export { ORDER_SORTS, DEFAULT_ORDER_SORT, type OrderSort };

export type Order = typeof orders.$inferSelect;

export const ORDER_LIST_FILTERS = ["to_ship", "shipped", "cancelled", "removed", "all"] as const;
export type OrderListFilter = (typeof ORDER_LIST_FILTERS)[number];

/** Platform states that the "Geannuleerd" filter shows. */
export const CANCELLED_STATUSES: OrderStatus[] = ["cancelled", "refunded", "fulfilled_elsewhere"];

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/**
 * The label filter next to the tabs: "nog geen label" (no shipment yet) and "label gemaakt, wacht op terugschrijven"
 * (a shipment exists, the shop has not been told yet: the order is still open at the platform).
 */
export const ORDER_LABEL_FILTERS = ["any", "no_label", "awaiting_writeback"] as const;
export type OrderLabelFilter = (typeof ORDER_LABEL_FILTERS)[number];

export type ListOrdersOptions = {
  status: OrderListFilter;
  search?: string | null;
  label?: OrderLabelFilter;
  sort?: OrderSort;
  /** Opaque cursor from a previous page's nextCursor: the page after it. */
  after?: string | null;
  /** Opaque cursor from a previous page's prevCursor: the page before it. */
  before?: string | null;
  limit?: number;
};

/** What a list row holds: the page shows all of it. */
const listRowColumns = {
  id: orders.id,
  number: orders.number,
  placedAt: orders.placedAt,
  status: orders.status,
  financialStatus: orders.financialStatus,
  fulfillmentStatus: orders.fulfillmentStatus,
  customerName: orders.customerName,
  email: orders.email,
  company: orders.company,
  shipPostcode: orders.shipPostcode,
  shipCity: orders.shipCity,
  shipCountry: orders.shipCountry,
  /** For the carrier's address check on the page (no extra query per row): the imported ship-to and its correction. */
  shipTo: orders.shipTo,
  shipToCorrected: orders.shipToCorrected,
  shipToCorrectedAt: orders.shipToCorrectedAt,
  itemCount: orders.itemCount,
  weightGrams: orders.weightGrams,
  totalPrice: orders.totalPrice,
  currency: orders.currency,
  removedAt: orders.removedAt,
  shippedAt: orders.shippedAt,
};

// The row's columns, then (last) the sort key's value as cursor text (placed_at at full microsecond precision: a JS
// Date keeps only milliseconds).
const listColumnsFor = (sort: OrderSort) => ({
  ...listRowColumns,
  cursorValue: sortCursorValue(sortKeyOf(sort)),
});

export type OrderListRow = Pick<Order, keyof typeof listRowColumns>;

export type OrderPage = Page<OrderListRow>;

// A label exists for the order (a shipment was bought): it leaves "Te verzenden" at once, and shows under "Verzonden"
// as "Label gemaakt" until the write-back marks the order shipped (shipments_order_idx answers it per row).
const hasShipment = sql`exists (select 1 from ${shipments} where ${shipments.orderId} = ${orders.id} and ${shipments.shopId} = ${orders.shopId})`;

/** `labelled`: how the query knows an order has a shipment (per row EXISTS; the counts join the shop's set once). */
function statusWhere(status: OrderListFilter, labelled: SQL = hasShipment): SQL | undefined {
  switch (status) {
    case "to_ship":
      return and(eq(orders.status, "to_ship"), isNull(orders.removedAt), not(labelled));
    case "shipped":
      return and(or(eq(orders.status, "shipped"), and(eq(orders.status, "to_ship"), labelled)), isNull(orders.removedAt));
    case "cancelled":
      return and(inArray(orders.status, CANCELLED_STATUSES), isNull(orders.removedAt));
    case "removed":
      return isNotNull(orders.removedAt);
    case "all":
      return isNull(orders.removedAt);
  }
}

/** Lower-case search terms: the query itself, and for a Dutch postcode both "1015 cj" and "1015cj". */
export function searchVariants(search: string): string[] {
  const q = search.trim().toLowerCase().replace(/\s+/g, " ");
  if (!q) return [];
  const variants = new Set([q]);
  const pc = /^(\d{4}) ?([a-z]{2})$/.exec(q);
  if (pc) {
    variants.add(`${pc[1]} ${pc[2]}`);
    variants.add(`${pc[1]}${pc[2]}`);
  }
  return [...variants];
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The LIKE patterns for a search (at most 3), none for an empty search. */
function searchPatterns(search: string | null | undefined): string[] {
  return searchVariants(search ?? "")
    .slice(0, 3)
    .map((v) => `%${escapeLike(v.slice(0, 100))}%`);
}

function labelWhere(label: OrderLabelFilter, labelled: SQL = hasShipment): SQL | undefined {
  switch (label) {
    case "any":
      return undefined;
    case "no_label":
      return not(labelled);
    case "awaiting_writeback":
      return and(eq(orders.status, "to_ship"), labelled);
  }
}

// The NULLS clauses match orders_list_idx / orders_shop_placed_idx, which drizzle builds as "desc nulls last"; a plain
// `order by placed_at desc` means NULLS FIRST, so PostgreSQL could not read the index in order and sorted every match
// (73 ms instead of 3 ms for a common search term on 100 000 orders). Both columns are NOT NULL: same rows, same order.
const ORDER_NEWEST_FIRST = [sql`${orders.placedAt} desc nulls last`, sql`${orders.id} desc nulls last`];
const ORDER_OLDEST_FIRST = [sql`${orders.placedAt} asc nulls first`, sql`${orders.id} asc nulls first`];

/**
 * ORDER BY for a sort, read forwards (`reverse` false) or backwards (a "before" page, reversed afterwards). The other
 * keys' indexes are built ascending (NULLS LAST); their keys are never NULL, so the default NULLS of ASC/DESC read them
 * in order in either direction.
 */
function orderByFor(sort: OrderSort, reverse: boolean): SQL[] {
  const descending = sortIsDescending(sort) !== reverse;
  const key = sortKeyOf(sort);
  if (key === "date") return descending ? ORDER_NEWEST_FIRST : ORDER_OLDEST_FIRST;
  const expr = sortKeyExpression(key);
  return descending ? [sql`${expr} desc`, sql`${orders.id} desc`] : [sql`${expr} asc`, sql`${orders.id} asc`];
}

// ---- Prepared query shapes ---------------------------------------------------------------------------------------
// The list loader's queries come in few shapes (filter x number of search variants x cursor direction). Each shape is
// built once per database handle, with placeholders for everything that varies per call, and prepared: through the
// `postgres` driver a connection that has run the statement before needs one Bind/Execute, where drizzle's ad-hoc
// query costs Parse/Describe, a wait for the parameter types, then Bind/Execute (two round trips and a parse every
// time), plus building the SQL text again. PGlite ignores the name and runs the same SQL with the same parameters.
// Plans stay per parameters: PostgreSQL (plan_cache_mode auto) only switches a prepared statement to a generic plan
// when that is estimated as cheap as its custom plans, and on the benchmark's 100 000 orders a rare search term kept
// the trigram index and a common one the list index however often and in whichever order they ran.

// Per handle (a transaction is a handle of its own): at most 5 x 4 x 3 x 3 x 8 list shapes and 5 x 4 x 3 x 8 "select
// all" shapes, in practice the few a merchant uses.
const shapesByDb = new WeakMap<Db, Map<string, unknown>>();

function shape<T>(db: Db, key: string, build: () => T): T {
  let shapes = shapesByDb.get(db);
  if (!shapes) shapesByDb.set(db, (shapes = new Map()));
  let prepared = shapes.get(key) as T | undefined;
  if (prepared === undefined) shapes.set(key, (prepared = build()));
  return prepared;
}

type ListShape = { status: OrderListFilter; label: OrderLabelFilter; sort: OrderSort; searchCount: number };

function checkShape(status: OrderListFilter, label: OrderLabelFilter, sort: OrderSort): void {
  // Bounds the shapes (and the WHERE clause) to the known filters and sorts, whatever a caller passes.
  if (!ORDER_LIST_FILTERS.includes(status)) throw new TypeError(`unknown order list filter: ${String(status)}`);
  if (!ORDER_LABEL_FILTERS.includes(label)) throw new TypeError(`unknown order label filter: ${String(label)}`);
  if (!ORDER_SORTS.includes(sort)) throw new TypeError(`unknown order sort: ${String(sort)}`);
}

/** WHERE for the shop, the filters and `searchCount` search patterns ($s0..), as placeholders. */
function shapeWhere(shape: ListShape, extra?: SQL): SQL | undefined {
  const { status, label, searchCount } = shape;
  const conditions: (SQL | undefined)[] = [eq(orders.shopId, sql.placeholder("shopId")), statusWhere(status), labelWhere(label)];
  if (searchCount) {
    conditions.push(or(...Array.from({ length: searchCount }, (_, i) => sql`${orders.searchText} like ${sql.placeholder(`s${i}`)}`)));
  }
  conditions.push(extra);
  return and(...conditions);
}

function placeholderValues(shopId: number, patterns: string[], limit: number): Record<string, unknown> {
  const values: Record<string, unknown> = { shopId, limit };
  for (let i = 0; i < patterns.length; i++) values[`s${i}`] = patterns[i];
  return values;
}

// Raw rows arrive as arrays in select order. They are decoded by each column's own mapFromDriverValue, null staying
// null, exactly as drizzle's row mapping does, but without its per-field type checks and path walking per value
// (that was most of the remaining per-page overhead).
const ROW_KEYS = Object.keys(listRowColumns) as (keyof OrderListRow)[];
const ROW_COLUMNS: Column[] = Object.values(listRowColumns);
const decodeId = (value: unknown) => (value === null ? null : orders.id.mapFromDriverValue(value));

type FetchedPage = { rows: OrderListRow[]; cursors: string[] };

function mapListRows(raw: unknown[][]): FetchedPage {
  const n = ROW_KEYS.length;
  const rows = new Array<OrderListRow>(raw.length);
  const cursors = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    const row: Record<string, unknown> = {};
    for (let j = 0; j < n; j++) {
      const v = r[j];
      row[ROW_KEYS[j]!] = v === null ? null : ROW_COLUMNS[j]!.mapFromDriverValue(v);
    }
    rows[i] = row as OrderListRow;
    cursors[i] = r[n] as string; // cursorValue, selected last
  }
  return { rows, cursors };
}

type CursorDirection = "first" | "after" | "before";

function listQuery(db: Db, ls: ListShape, direction: CursorDirection) {
  return shape(db, `list|${ls.status}|${ls.label}|${ls.sort}|${ls.searchCount}|${direction}`, () => {
    const key = sortKeyOf(ls.sort);
    // "after" continues in the sort's direction; "before" reads back against it.
    const forward = direction !== "before";
    const less = sortIsDescending(ls.sort) === forward;
    const value = sql`${sql.placeholder("cursorValue")}${sortValueCast(key)}`;
    const keyset =
      direction === "first"
        ? undefined
        : less
          ? sql`(${sortKeyExpression(key)}, ${orders.id}) < (${value}, ${sql.placeholder("cursorId")}::bigint)`
          : sql`(${sortKeyExpression(key)}, ${orders.id}) > (${value}, ${sql.placeholder("cursorId")}::bigint)`;
    const query = db
      .select(listColumnsFor(ls.sort))
      .from(orders)
      .where(shapeWhere(ls, keyset))
      .orderBy(...orderByFor(ls.sort, direction === "before"))
      .limit(sql.placeholder("limit"))
      .toSQL();
    const name = `orders_list_${ls.status}_${ls.label}_${ls.sort}_${ls.searchCount}_${direction}`;
    return db._.session.prepareQuery<PreparedQueryConfig & { execute: FetchedPage }>(query, undefined, name, true, mapListRows);
  });
}

function matchingIdsQuery(db: Db, ls: ListShape) {
  return shape(db, `ids|${ls.status}|${ls.label}|${ls.sort}|${ls.searchCount}`, () => {
    const query = db
      .select({ id: orders.id })
      .from(orders)
      .where(shapeWhere(ls))
      .orderBy(...orderByFor(ls.sort, false))
      .limit(sql.placeholder("limit"))
      .toSQL();
    const name = `orders_ids_${ls.status}_${ls.label}_${ls.sort}_${ls.searchCount}`;
    return db._.session.prepareQuery<PreparedQueryConfig & { execute: number[] }>(query, undefined, name, true, (raw) => raw.map((r) => decodeId(r[0]) as number));
  });
}

export type MatchingOrdersOptions = { status: OrderListFilter; search?: string | null; label?: OrderLabelFilter; sort?: OrderSort; max: number };

/**
 * "Select all matching": the ids of every order of the shop under this filter and search, in the list's order, at
 * most `max` (callers ask for one more than they accept, to tell "too many").
 */
export async function matchingOrderIds(db: Db, shopId: number, opts: MatchingOrdersOptions): Promise<number[]> {
  const label = opts.label ?? "any";
  const sort = opts.sort ?? DEFAULT_ORDER_SORT;
  checkShape(opts.status, label, sort);
  const patterns = searchPatterns(opts.search);
  const limit = Math.max(1, Math.min(opts.max, 10_000));
  return matchingIdsQuery(db, { status: opts.status, label, sort, searchCount: patterns.length }).execute(placeholderValues(shopId, patterns, limit));
}

/** A page of the shop's orders in the chosen sort (default newest first), keyset-paged on (sort key, id). */
export async function listOrders(db: Db, shopId: number, opts: ListOrdersOptions): Promise<OrderPage> {
  const limit = Math.max(1, Math.min(Math.trunc(opts.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
  const label = opts.label ?? "any";
  const sort = opts.sort ?? DEFAULT_ORDER_SORT;
  checkShape(opts.status, label, sort);
  // `after` (forward) wins over `before` (back); a bad cursor, or one of another sort, is ignored.
  const after = decodeSortCursor(sort, opts.after);
  const before = after ? undefined : decodeSortCursor(sort, opts.before);

  const patterns = searchPatterns(opts.search);
  const values = placeholderValues(shopId, patterns, limit + 1);
  const cursor = after ?? before;
  if (cursor) {
    values.cursorValue = cursor.value;
    values.cursorId = cursor.id;
  }
  const direction = after ? "after" : before ? "before" : "first";
  const { rows, cursors } = await listQuery(db, { status: opts.status, label, sort, searchCount: patterns.length }, direction).execute(values);

  return toPage(rows, cursors, { limit, after, before, encode: (value, id) => encodeSortCursor(sort, { value, id }) });
}

export type OrderTabCounts = Record<OrderListFilter, number>;

/**
 * How many orders each tab holds under the search and label filter ("Te verzenden (62)"): one pass over the shop's
 * matching orders (by the shop's index, or the trigram index when searching), joined once to the set of the shop's
 * labelled orders — a per-row EXISTS probe made it ~0.7 s for 100 000 orders, the hash join ~50 ms.
 */
export async function countOrdersByTab(db: Db, shopId: number, opts: { search?: string | null; label?: OrderLabelFilter } = {}): Promise<OrderTabCounts> {
  const label = opts.label ?? "any";
  if (!ORDER_LABEL_FILTERS.includes(label)) throw new TypeError(`unknown order label filter: ${String(label)}`);
  const patterns = searchPatterns(opts.search);
  const labelledOrders = db.selectDistinct({ orderId: shipments.orderId }).from(shipments).where(eq(shipments.shopId, shopId)).as("labelled_orders");
  const labelled = sql`${labelledOrders.orderId} is not null`;
  const where = and(
    eq(orders.shopId, shopId),
    labelWhere(label, labelled),
    patterns.length ? or(...patterns.map((p) => sql`${orders.searchText} like ${p}`)) : undefined,
  );
  const count = (f: OrderListFilter) => sql<number>`(count(*) filter (where ${statusWhere(f, labelled)}))::int`;
  const [row] = await db
    .select({ to_ship: count("to_ship"), shipped: count("shipped"), cancelled: count("cancelled"), removed: count("removed"), all: count("all") })
    .from(orders)
    .leftJoin(labelledOrders, eq(labelledOrders.orderId, orders.id))
    .where(where);
  return { to_ship: row?.to_ship ?? 0, shipped: row?.shipped ?? 0, cancelled: row?.cancelled ?? 0, removed: row?.removed ?? 0, all: row?.all ?? 0 };
}

export async function getOrderForShop(db: Db, shopId: number, orderId: number): Promise<Order | undefined> {
  if (!Number.isSafeInteger(orderId) || orderId <= 0) return undefined;
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.shopId, shopId), eq(orders.id, orderId)));
  return row;
}

function cleanIds(orderIds: readonly number[]): number[] {
  return [...new Set(orderIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
}

/**
 * Of these orders of the shop, the ones whose label exists but whose write-back has not succeeded yet (pending, or
 * failed and open to "Opnieuw"): removing one of them must ask whether the shop should still be told it shipped.
 */
export async function ordersAwaitingWriteBack(db: DbOrTx, shopId: number, orderIds: readonly number[]): Promise<{ id: number; number: string }[]> {
  const ids = cleanIds(orderIds);
  if (!ids.length) return [];
  return db
    .selectDistinct({ id: orders.id, number: orders.number })
    .from(orders)
    .innerJoin(shipments, and(eq(shipments.orderId, orders.id), eq(shipments.shopId, orders.shopId)))
    .where(and(eq(orders.shopId, shopId), inArray(orders.id, ids), isNull(orders.removedAt), inArray(shipments.writebackState, ["pending", "failed"])));
}

export type RemoveOrdersOptions = {
  /**
   * For orders whose write-back is still pending: true stops it (the shop is not told the order shipped: the
   * shipment's write-back becomes not_needed, which the write-back job skips); false or absent lets it go on.
   */
  cancelWriteBack?: boolean;
};

/** "Verwijder bestellingen": hides the shop's orders from the list (kept, so a sync never brings them back). */
export async function removeOrders(db: Db, shopId: number, orderIds: readonly number[], opts: RemoveOrdersOptions = {}): Promise<number> {
  if (!opts.cancelWriteBack) return setRemoved(db, shopId, orderIds, true);
  return db.transaction(async (tx) => {
    const awaiting = await ordersAwaitingWriteBack(tx, shopId, orderIds);
    const count = await setRemoved(tx, shopId, orderIds, true);
    if (awaiting.length) {
      const cancelled = await tx
        .update(shipments)
        .set({ writebackState: "not_needed", writebackError: null })
        .where(and(eq(shipments.shopId, shopId), inArray(shipments.orderId, awaiting.map((o) => o.id)), inArray(shipments.writebackState, ["pending", "failed"])))
        .returning({ id: shipments.id, orderId: shipments.orderId });
      if (cancelled.length) {
        await logActivity(tx, {
          shopId,
          kind: "writeback",
          source: "merchant",
          result: "skipped",
          summary: "writeback.cancelled",
          orderNumber: awaiting.length === 1 ? awaiting[0]!.number : null,
          details: { count: awaiting.length, shipmentIds: cancelled.map((c) => c.id), numbers: awaiting.map((o) => o.number) },
        });
      }
    }
    return count;
  });
}

/** Brings removed orders of the shop back into the list. */
export function restoreOrders(db: Db, shopId: number, orderIds: readonly number[]): Promise<number> {
  return setRemoved(db, shopId, orderIds, false);
}

/** Only rows of this shop whose state changes are touched; one activity row when anything changed. */
async function setRemoved(db: DbOrTx, shopId: number, orderIds: readonly number[], remove: boolean): Promise<number> {
  const ids = cleanIds(orderIds);
  if (!ids.length) return 0;
  const changed = await db
    .update(orders)
    .set({ removedAt: remove ? new Date() : null, updatedAt: new Date() })
    .where(and(eq(orders.shopId, shopId), inArray(orders.id, ids), remove ? isNull(orders.removedAt) : isNotNull(orders.removedAt)))
    .returning({ id: orders.id, number: orders.number });
  if (changed.length) {
    await logActivity(db, {
      shopId,
      kind: "orders",
      source: "merchant",
      result: "ok",
      summary: remove ? "orders.removed" : "orders.restored",
      orderNumber: changed.length === 1 ? changed[0]!.number : null,
      details: { count: changed.length, orderIds: changed.map((r) => r.id), numbers: changed.map((r) => r.number) },
    });
  }
  return changed.length;
}
