// What every platform adapter does last with an order it mapped: clean its text and check its numbers, so that what
// reaches the core can be stored (PostgreSQL text refuses NUL; item_count and weight_grams are integer columns).
// Pure: no platform, no database.
import type { OrderLine } from "../db/schema";
import type { ParseResult, PlatformOrder } from "./ports";
import { cleanStrings } from "./text";

/** PostgreSQL `integer`. */
export const INT4_MAX = 2_147_483_647;
/** Per line; far above any real order, far below what sums of a few lines could overflow. */
export const MAX_LINE_QUANTITY = 1_000_000;

/** A line Koppel ships: it needs shipping and has a positive quantity (zero or negative lines ship nothing). */
export function shipsSomething(line: Pick<OrderLine, "quantity" | "requiresShipping">): boolean {
  return line.requiresShipping !== false && line.quantity > 0;
}

/** Items to ship and parcel weight (grams) of an order, as stored in item_count and weight_grams. */
export function orderTotals(order: Pick<PlatformOrder, "lines" | "totalWeightGrams">): { itemCount: number; weightGrams: number } {
  const counted = order.lines.filter((l) => l.quantity > 0);
  const linesKnown = counted.every((l) => l.weightGrams != null);
  const linesWeight = counted.reduce((sum, l) => sum + (l.weightGrams ?? 0) * l.quantity, 0);
  const weight = linesKnown ? linesWeight : (order.totalWeightGrams ?? linesWeight);
  return {
    itemCount: counted.filter(shipsSomething).reduce((n, l) => n + l.quantity, 0),
    weightGrams: Math.round(weight),
  };
}

/** Longest e-mail address there can be (RFC 5321 path limit); a longer one cannot be mailed and is dropped. */
export const MAX_EMAIL_LENGTH = 254;
/**
 * Longest text field Koppel takes from a platform (names, address lines, skus): far above any real one, far below what
 * PostgreSQL's indexes take (a btree entry must fit in ~2.7 KB: a 3 KB e-mail failed its order's every import).
 */
export const MAX_TEXT_LENGTH = 1000;

/** The first text field of the order (outside `raw`) longer than MAX_TEXT_LENGTH, by its path. */
function overlongField(value: unknown, path: string): string | null {
  if (typeof value === "string") return value.length > MAX_TEXT_LENGTH ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = overlongField(v, `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      const hit = overlongField(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return null;
}

const grams = (g: number | null | undefined) => g == null || (Number.isFinite(g) && g >= 0 && g <= INT4_MAX);

/**
 * The adapter's last step: every string of the order (not `raw`, which is kept as received) without NUL and with lone
 * surrogates replaced, and its numbers within what Koppel stores; otherwise the reason the order is invalid.
 */
export function finishPlatformOrder(order: PlatformOrder): ParseResult<PlatformOrder> {
  // raw and platformData are the platform's own, kept as they came.
  const { raw, platformData, ...fields } = order;
  const o: PlatformOrder = { ...cleanStrings(fields), raw, ...(platformData !== undefined ? { platformData } : {}) };
  if (!o.platformOrderId) return { ok: false, reason: "order id is empty" };
  if (!o.number) return { ok: false, reason: "order number is empty" };
  if (o.email && o.email.length > MAX_EMAIL_LENGTH) o.email = null;
  const overlong = overlongField({ ...o, raw: undefined, platformData: undefined }, "");
  if (overlong) return { ok: false, reason: `${overlong} is longer than ${MAX_TEXT_LENGTH} characters` };
  for (const [i, l] of o.lines.entries()) {
    if (!Number.isSafeInteger(l.quantity) || Math.abs(l.quantity) > MAX_LINE_QUANTITY)
      return { ok: false, reason: `line ${i + 1}: quantity ${l.quantity} is outside -${MAX_LINE_QUANTITY}…${MAX_LINE_QUANTITY}` };
    if (!grams(l.weightGrams)) return { ok: false, reason: `line ${i + 1}: weight ${l.weightGrams} g is outside 0…${INT4_MAX} g` };
  }
  if (!grams(o.totalWeightGrams)) return { ok: false, reason: `order weight ${o.totalWeightGrams} g is outside 0…${INT4_MAX} g` };
  const totals = orderTotals(o);
  if (totals.itemCount > INT4_MAX) return { ok: false, reason: `${totals.itemCount} items is more than ${INT4_MAX}` };
  if (!grams(totals.weightGrams)) return { ok: false, reason: `order weight ${totals.weightGrams} g is outside 0…${INT4_MAX} g` };
  return { ok: true, value: o };
}
