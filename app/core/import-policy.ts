// Which orders Koppel keeps, and in which status. Pure: no platform, no database.
import type { OrderStatus } from "./domain";
import type { PlatformOrder } from "./ports";
import { shipsSomething } from "./platform-order";

export type ImportDecision =
  | { action: "upsert"; status: OrderStatus }
  | { action: "skip"; reason: SkipReason };

export const SKIP_REASONS = ["test_order", "test_order_never", "cancelled", "refunded", "not_paid", "already_fulfilled", "nothing_to_ship"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

const REFUNDED = new Set(["refunded", "voided"]);

/**
 * New orders are imported only when paid (per shop: which financial states count), open, and with something for a
 * carrier (an address, and a line that ships: the adapter gives no address for an order the customer collects).
 * An order already imported follows the platform: cancelled, refunded or fulfilled elsewhere leaves "to ship", and so
 * does one that no longer has anything for a carrier (it became a local pick-up, or its shipping lines went): it is
 * handled outside Koppel. One Koppel shipped stays shipped.
 */
export function decideImport(
  order: PlatformOrder,
  paidStatuses: readonly string[],
  existing: { status: OrderStatus } | undefined,
  opts: { importTestOrders?: boolean; neverTestOrders?: boolean } = {},
): ImportDecision {
  // A platform whose test orders are never imported (Mijnwebwinkel's "T-" orders): whatever the shop's setting.
  if (order.test && opts.neverTestOrders) return { action: "skip", reason: "test_order_never" };
  // Test orders (a development store's, a test payment) only when the shop asked for them ("Testbestellingen importeren").
  if (order.test && !opts.importTestOrders) return { action: "skip", reason: "test_order" };
  const shippable = order.shipTo !== null && order.lines.some(shipsSomething);
  if (!existing) {
    if (order.cancelled) return { action: "skip", reason: "cancelled" };
    if (REFUNDED.has(order.financialStatus)) return { action: "skip", reason: "refunded" };
    if (!paidStatuses.includes(order.financialStatus)) return { action: "skip", reason: "not_paid" };
    if (order.fulfillmentStatus === "fulfilled") return { action: "skip", reason: "already_fulfilled" };
    if (!shippable) return { action: "skip", reason: "nothing_to_ship" };
    return { action: "upsert", status: "to_ship" };
  }
  if (existing.status === "shipped") return { action: "upsert", status: "shipped" };
  if (order.cancelled) return { action: "upsert", status: "cancelled" };
  if (REFUNDED.has(order.financialStatus)) return { action: "upsert", status: "refunded" };
  if (order.fulfillmentStatus === "fulfilled") return { action: "upsert", status: "fulfilled_elsewhere" };
  if (!shippable && (existing.status === "to_ship" || existing.status === "unpaid")) return { action: "upsert", status: "fulfilled_elsewhere" };
  // Paid earlier; a later non-paid state other than refunded (e.g. partially_refunded) keeps it where it was.
  return { action: "upsert", status: existing.status === "unpaid" ? "to_ship" : existing.status };
}
