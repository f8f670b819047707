// Ports: what the core needs from the outside world. Adapters (app/platforms/*, later app/carriers/*) implement them.
import type { OrderLine, PlatformId, ShipTo } from "../db/schema";

export type { PlatformId };

/** An order as every platform adapter must hand it to the core. */
export type PlatformOrder = {
  platformOrderId: string;
  /** What the merchant calls it ("#1001"). */
  number: string;
  placedAt: Date;
  /** Platform's last-modified instant; newer wins on upsert. */
  updatedAt: Date;
  /** Lower-case platform state, Shopify's names: pending, authorized, partially_paid, paid, partially_refunded, refunded, voided. */
  financialStatus: string;
  /** unfulfilled | partial | fulfilled | restocked | null */
  fulfillmentStatus: string | null;
  cancelled: boolean;
  /** Platform test order (Mijnwebwinkel "T-"): never imported. */
  test: boolean;
  customerName: string | null;
  email: string | null;
  company: string | null;
  shipTo: ShipTo | null;
  lines: OrderLine[];
  totalPrice: string | null;
  currency: string | null;
  /** The order's parcel weight in grams when the platform states it (Shopify totalWeight); lines may lack weights. */
  totalWeightGrams?: number | null;
  /** The platform's own representation, kept as jsonb. */
  raw: unknown;
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export type SyncPage = {
  orders: PlatformOrder[];
  /** Pass back to fetch the next page; null when done. */
  nextPageCursor: string | null;
};

/** Access to one shop on one platform, for background work (credentials are resolved by the adapter). */
export interface ShopPlatform {
  readonly id: PlatformId;
  /** Turn a webhook payload of an order topic into a PlatformOrder (zod inside). */
  parseOrderWebhook(payload: unknown): ParseResult<PlatformOrder>;
  /** One page of orders updated at or after `since`, oldest update first. Waits (never fails) when throttled. */
  listOrdersUpdatedSince(shopDomain: string, since: Date | null, pageCursor: string | null): Promise<SyncPage>;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
