// The shop's orders by the platform's own ids (what Shopify's admin hands an extension), scoped to the shop: another
// shop's order is simply not found. Queries only.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { orders } from "../db/schema";
import type { Order } from "./orders.server";

export async function ordersByPlatformIds(db: Db, shopId: number, platformOrderIds: readonly string[]): Promise<Order[]> {
  const ids = [...new Set(platformOrderIds)];
  if (!ids.length) return [];
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.shopId, shopId), inArray(orders.platformOrderId, ids)));
}
