// The fulfillment orders Shopify's order queries (sync, fetchOrder) read with an order, kept as the order's platform
// data (PlatformOrder.platformData) so that markShipped can call fulfillmentCreate straight away instead of reading
// them first: a write-back then costs one mutation (10 points) instead of a read and a mutation.
// A hint, never the truth: Shopify may have moved, split, held or closed them since. markShipped falls back to reading
// them when fulfillmentCreate refuses the id, and when Shopify says afterwards that the order is not wholly fulfilled.
// Order webhooks carry no fulfillment orders (they leave what the sync stored); the sync reads every changed order.
import { z } from "zod";
import { FULFILLABLE_STATUSES, isOurs } from "./fulfillment-order-kinds";

const FULFILLMENT_ORDER_GID = /^gid:\/\/shopify\/FulfillmentOrder\/\d+$/;

const KnownFulfillmentOrdersSchema = z.object({
  fulfillmentOrders: z.array(z.object({ id: z.string().regex(FULFILLMENT_ORDER_GID), status: z.string(), methodType: z.string().nullable() })),
  /** False when the order has more fulfillment orders than were read: then none is fulfilled from here. */
  complete: z.boolean(),
});
export type KnownFulfillmentOrders = z.output<typeof KnownFulfillmentOrdersSchema>;

type QueriedFulfillmentOrders = {
  nodes: { id?: string | null; status?: string | null; deliveryMethod?: { methodType?: string | null } | null }[];
  pageInfo?: { hasNextPage: boolean };
};

/** What an order query read, as platform data; undefined (keep what is stored) when it read none or no usable ids. */
export function knownFulfillmentOrders(fos: QueriedFulfillmentOrders | undefined): KnownFulfillmentOrders | undefined {
  if (!fos || !fos.pageInfo) return undefined;
  const read = fos.nodes.map((fo) => ({ id: fo.id ?? "", status: fo.status ?? "", methodType: fo.deliveryMethod?.methodType ?? null }));
  if (read.some((fo) => !FULFILLMENT_ORDER_GID.test(fo.id) || !fo.status)) return undefined;
  return { fulfillmentOrders: read, complete: !fos.pageInfo.hasNextPage };
}

/**
 * The fulfillment order markShipped may fulfil without reading: the only one of Koppel's that was open when read,
 * from a complete list (one id, so one location). Null when there is none, more than one, or the data is unreadable.
 */
export function fulfillmentOrderToFulfil(platformData: unknown): string | null {
  const known = KnownFulfillmentOrdersSchema.safeParse(platformData);
  if (!known.success || !known.data.complete) return null;
  const open = known.data.fulfillmentOrders.filter((fo) => isOurs(fo) && FULFILLABLE_STATUSES.has(fo.status));
  return open.length === 1 ? open[0]!.id : null;
}

/** The platform data after markShipped fulfilled these fulfillment orders (a later write-back then reads first). */
export function afterFulfilment(platformData: unknown, fulfilledIds: readonly string[]): KnownFulfillmentOrders | undefined {
  const known = KnownFulfillmentOrdersSchema.safeParse(platformData);
  if (!known.success) return undefined;
  const done = new Set(fulfilledIds);
  return { ...known.data, fulfillmentOrders: known.data.fulfillmentOrders.map((fo) => (done.has(fo.id) ? { ...fo, status: "CLOSED" } : fo)) };
}
