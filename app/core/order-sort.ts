// The order list's sort orders and their keyset cursors. Every sort is a key plus the id as tie-breaker, both in the
// same direction, so a page is "the rows after (key, id)" whatever the sort; each key has an index per (shop, status)
// (app/db/schema.ts: orders_list_idx, orders_list_number_idx, orders_list_country_idx, orders_list_weight_idx).
import { sql, type SQL } from "drizzle-orm";
import { orders } from "../db/schema";
import { cursorAtOf, decodeCursor, encodeCursor } from "./keyset";

export const ORDER_SORTS = ["date_desc", "date_asc", "number_desc", "number_asc", "country_asc", "country_desc", "weight_desc", "weight_asc"] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];
export const DEFAULT_ORDER_SORT: OrderSort = "date_desc";

export type SortKeyName = "date" | "number" | "country" | "weight";

/** A position in a sorted list: the key's value as text (microsecond ISO for dates) and the row's id. */
export type SortCursor = { value: string; id: number };

export function sortKeyOf(sort: OrderSort): SortKeyName {
  return sort.slice(0, sort.indexOf("_")) as SortKeyName;
}

export function sortIsDescending(sort: OrderSort): boolean {
  return sort.endsWith("_desc");
}

/**
 * The key expression, exactly as its index is built: order numbers compare by length first ("#999" before "#1001")
 * through a space-padded "C"-collated text; a missing country sorts as "".
 */
export function sortKeyExpression(key: SortKeyName): SQL {
  switch (key) {
    case "date":
      return sql`${orders.placedAt}`;
    case "number":
      return sql`(lpad(${orders.number}, 40) collate "C")`;
    case "country":
      return sql`coalesce(${orders.shipCountry}, '')`;
    case "weight":
      return sql`${orders.weightGrams}`;
  }
}

/** The key's value as cursor text (selected next to the row). */
export function sortCursorValue(key: SortKeyName): SQL<string> {
  return key === "date" ? cursorAtOf(orders.placedAt) : sql<string>`(${sortKeyExpression(key)})::text`;
}

/** The placeholder's type in the keyset comparison. */
export function sortValueCast(key: SortKeyName): SQL {
  return key === "date" ? sql`::timestamptz` : key === "weight" ? sql`::integer` : sql`::text`;
}

// Date cursors keep the format shared with the other lists (app/core/keyset.ts), so old addresses keep working;
// other sorts carry their sort's name, so a cursor of one sort is never read as another's.
export function encodeSortCursor(sort: OrderSort, c: SortCursor): string {
  if (sortKeyOf(sort) === "date") return encodeCursor({ at: c.value, id: c.id });
  return Buffer.from(JSON.stringify([sortKeyOf(sort), c.value, c.id]), "utf8").toString("base64url");
}

/** undefined for anything that is not this sort's cursor (never throws on user input). */
export function decodeSortCursor(sort: OrderSort, value: string | null | undefined): SortCursor | undefined {
  if (!value || value.length > 400) return undefined;
  const key = sortKeyOf(sort);
  if (key === "date") {
    const c = decodeCursor(value);
    return c ? { value: c.at, id: c.id } : undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== key) return undefined;
  const [, v, id] = parsed as [unknown, unknown, unknown];
  if (typeof v !== "string" || v.length > 200 || typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) return undefined;
  if (key === "weight" && !/^-?\d{1,10}$/.test(v)) return undefined;
  return { value: v, id };
}
