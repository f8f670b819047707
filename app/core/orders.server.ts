// The merchant's order list: keyset-paged, searchable, and "Verwijder bestellingen" / restore. Every query is scoped by
// shopId: ids belonging to another shop are simply not found.
import { and, eq, inArray, isNotNull, isNull, or, sql, type Column, type SQL } from "drizzle-orm";
import type { PreparedQueryConfig } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.server";
import { orders, type OrderStatus } from "../db/schema";
import { cursorAtOf, pageCursors, toPage, type Page } from "./keyset";
import { logActivity } from "./activity.server";

export type Order = typeof orders.$inferSelect;

export const ORDER_LIST_FILTERS = ["to_ship", "shipped", "cancelled", "removed", "all"] as const;
export type OrderListFilter = (typeof ORDER_LIST_FILTERS)[number];

/** Platform states that the "Geannuleerd" filter shows. */
export const CANCELLED_STATUSES: OrderStatus[] = ["cancelled", "refunded", "fulfilled_elsewhere"];

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export type ListOrdersOptions = {
  status: OrderListFilter;
  search?: string | null;
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

// The row's columns, then (last) the cursor's placed_at at full microsecond precision (a JS Date keeps only milliseconds).
const listColumns = {
  ...listRowColumns,
  cursorAt: cursorAtOf(orders.placedAt),
};

export type OrderListRow = Pick<Order, keyof typeof listRowColumns>;

export type OrderPage = Page<OrderListRow>;

function statusWhere(status: OrderListFilter): SQL | undefined {
  switch (status) {
    case "to_ship":
      return and(eq(orders.status, "to_ship"), isNull(orders.removedAt));
    case "shipped":
      return and(eq(orders.status, "shipped"), isNull(orders.removedAt));
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

// The NULLS clauses match orders_list_idx / orders_shop_placed_idx, which drizzle builds as "desc nulls last"; a plain
// `order by placed_at desc` means NULLS FIRST, so PostgreSQL could not read the index in order and sorted every match
// (73 ms instead of 3 ms for a common search term on 100 000 orders). Both columns are NOT NULL: same rows, same order.
const ORDER_NEWEST_FIRST = [sql`${orders.placedAt} desc nulls last`, sql`${orders.id} desc nulls last`];
const ORDER_OLDEST_FIRST = [sql`${orders.placedAt} asc nulls first`, sql`${orders.id} asc nulls first`];

// ---- Prepared query shapes ---------------------------------------------------------------------------------------
// The list loader's queries come in few shapes (filter x number of search variants x cursor direction). Each shape is
// built once per database handle, with placeholders for everything that varies per call, and prepared: through the
// `postgres` driver a connection that has run the statement before needs one Bind/Execute, where drizzle's ad-hoc
// query costs Parse/Describe, a wait for the parameter types, then Bind/Execute (two round trips and a parse every
// time), plus building the SQL text again. PGlite ignores the name and runs the same SQL with the same parameters.
// Plans stay per parameters: PostgreSQL (plan_cache_mode auto) only switches a prepared statement to a generic plan
// when that is estimated as cheap as its custom plans, and on the benchmark's 100 000 orders a rare search term kept
// the trigram index and a common one the list index however often and in whichever order they ran.

// Per handle (a transaction is a handle of its own): at most 5 x 4 x 3 list shapes and 5 x 4 "select all" shapes.
const shapesByDb = new WeakMap<Db, Map<string, unknown>>();

function shape<T>(db: Db, key: string, build: () => T): T {
  let shapes = shapesByDb.get(db);
  if (!shapes) shapesByDb.set(db, (shapes = new Map()));
  let prepared = shapes.get(key) as T | undefined;
  if (prepared === undefined) shapes.set(key, (prepared = build()));
  return prepared;
}

function checkFilter(status: OrderListFilter): void {
  // Bounds the shapes (and the WHERE clause) to the known filters, whatever a caller passes.
  if (!ORDER_LIST_FILTERS.includes(status)) throw new TypeError(`unknown order list filter: ${String(status)}`);
}

/** WHERE for the shop, the filter and `searchCount` search patterns ($s0..), as placeholders. */
function shapeWhere(status: OrderListFilter, searchCount: number, extra?: SQL): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(orders.shopId, sql.placeholder("shopId")), statusWhere(status)];
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
    cursors[i] = r[n] as string; // cursorAt, selected last
  }
  return { rows, cursors };
}

type CursorDirection = "first" | "after" | "before";

function listQuery(db: Db, status: OrderListFilter, searchCount: number, direction: CursorDirection) {
  return shape(db, `list|${status}|${searchCount}|${direction}`, () => {
    const keyset =
      direction === "after"
        ? sql`(${orders.placedAt}, ${orders.id}) < (${sql.placeholder("at")}::timestamptz, ${sql.placeholder("cursorId")}::bigint)`
        : direction === "before"
          ? sql`(${orders.placedAt}, ${orders.id}) > (${sql.placeholder("at")}::timestamptz, ${sql.placeholder("cursorId")}::bigint)`
          : undefined;
    const query = db
      .select(listColumns)
      .from(orders)
      .where(shapeWhere(status, searchCount, keyset))
      .orderBy(...(direction === "before" ? ORDER_OLDEST_FIRST : ORDER_NEWEST_FIRST))
      .limit(sql.placeholder("limit"))
      .toSQL();
    const name = `orders_list_${status}_${searchCount}_${direction}`;
    return db._.session.prepareQuery<PreparedQueryConfig & { execute: FetchedPage }>(query, undefined, name, true, mapListRows);
  });
}

function matchingIdsQuery(db: Db, status: OrderListFilter, searchCount: number) {
  return shape(db, `ids|${status}|${searchCount}`, () => {
    const query = db
      .select({ id: orders.id })
      .from(orders)
      .where(shapeWhere(status, searchCount))
      .orderBy(...ORDER_NEWEST_FIRST)
      .limit(sql.placeholder("limit"))
      .toSQL();
    const name = `orders_ids_${status}_${searchCount}`;
    return db._.session.prepareQuery<PreparedQueryConfig & { execute: number[] }>(query, undefined, name, true, (raw) => raw.map((r) => decodeId(r[0]) as number));
  });
}

/**
 * "Select all matching": the ids of every order of the shop under this filter and search, newest first, at most
 * `max` (callers ask for one more than they accept, to tell "too many").
 */
export async function matchingOrderIds(db: Db, shopId: number, opts: { status: OrderListFilter; search?: string | null; max: number }): Promise<number[]> {
  checkFilter(opts.status);
  const patterns = searchPatterns(opts.search);
  const limit = Math.max(1, Math.min(opts.max, 10_000));
  return matchingIdsQuery(db, opts.status, patterns.length).execute(placeholderValues(shopId, patterns, limit));
}

/** A page of the shop's orders, newest first, keyset-paged on (placed_at desc, id desc). */
export async function listOrders(db: Db, shopId: number, opts: ListOrdersOptions): Promise<OrderPage> {
  const limit = Math.max(1, Math.min(Math.trunc(opts.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
  const { after, before } = pageCursors(opts);
  checkFilter(opts.status);

  const patterns = searchPatterns(opts.search);
  const values = placeholderValues(shopId, patterns, limit + 1);
  const cursor = after ?? before;
  if (cursor) {
    values.at = cursor.at;
    values.cursorId = cursor.id;
  }
  const direction = after ? "after" : before ? "before" : "first";
  const { rows, cursors } = await listQuery(db, opts.status, patterns.length, direction).execute(values);

  return toPage(rows, cursors, { limit, after, before });
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

/** "Verwijder bestellingen": hides the shop's orders from the list (kept, so a sync never brings them back). */
export function removeOrders(db: Db, shopId: number, orderIds: readonly number[]): Promise<number> {
  return setRemoved(db, shopId, orderIds, true);
}

/** Brings removed orders of the shop back into the list. */
export function restoreOrders(db: Db, shopId: number, orderIds: readonly number[]): Promise<number> {
  return setRemoved(db, shopId, orderIds, false);
}

/** Only rows of this shop whose state changes are touched; one activity row when anything changed. */
async function setRemoved(db: Db, shopId: number, orderIds: readonly number[], remove: boolean): Promise<number> {
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
