// The order page's view model (/app/orders/:id): the order as the platform sent it, its ship-to as the carrier will
// receive it, its items, its shipments with tracking and write-back state, its latest label request, and its Koppel
// timeline (the shop's activity rows naming the order). Queries only; every one scoped by the shop: another shop's
// order id is simply not found (null).
import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { activity, labelRequests, shipments, type OrderLine, type ShipTo } from "../db/schema";
import { getOrderForShop } from "./orders.server";
import { activityParams, activityReasonCode } from "./activity.server";
import { shipToView, type CarrierLookup, type ShipToView } from "./labels/correct-ship-to.server";
import { decodeReason, type Reason } from "./reasons";

/** At most this many timeline rows (the newest); Activiteit has them all. */
export const ORDER_TIMELINE_LIMIT = 200;

export type OrderTimelineEntry = {
  id: number;
  at: string;
  kind: string;
  source: string;
  result: string;
  /** A message key (app/i18n) and the values it may show. */
  summary: string;
  params: Record<string, string | number>;
  /** The platform's or carrier's own text; with `reasonCode`, Koppel's sentence for it. */
  reason: string | null;
  reasonCode: string | null;
};

export type OrderShipmentView = {
  id: number;
  createdAt: string;
  service: string;
  colli: number;
  packageType: string;
  environment: string;
  trackingNumber: string;
  trackingUrl: string;
  trackingCompany: string;
  /** Where the parcel is (PARCEL_STATUSES: from the carrier's webhooks or Koppel's poll), and since when. */
  status: string;
  statusAt: string | null;
  writebackState: string;
  writebackError: Reason | null;
  writtenBackAt: string | null;
  mailState: string;
};

export type OrderPageView = {
  id: number;
  number: string;
  placedAt: string;
  status: string;
  financialStatus: string;
  fulfillmentStatus: string | null;
  removed: boolean;
  shippedAt: string | null;
  customerName: string | null;
  email: string | null;
  /** The ship-to's phone (the platforms give the customer's phone there). */
  phone: string | null;
  company: string | null;
  totalPrice: string | null;
  currency: string | null;
  itemCount: number;
  weightGrams: number;
  /** The ship-to exactly as the platform sent it (null: a pick-up order, or erased on request). */
  shipToImported: ShipTo | null;
  /** The billing address as the platform sent it; null when the platform gives Koppel none (Shopify, Mijnwebwinkel today). */
  billToImported: ShipTo | null;
  /** The effective ship-to as the shop's carrier will receive it, what it would refuse, and the correction if any. */
  carrierShipTo: ShipToView;
  lines: { sku: string | null; name: string; quantity: number; weightGrams: number | null; requiresShipping: boolean }[];
  shipments: OrderShipmentView[];
  /** The latest label request (state, attempts, Koppel's reason) — what the list's label column shows. */
  labelRequest: { state: string; attempts: number; reason: Reason | null; createdAt: string } | null;
  /** Newest first. */
  timeline: OrderTimelineEntry[];
};

/** The order page's view of one order of the shop; null when the order is not the shop's. */
export async function orderPageView(db: Db, shopId: number, orderId: number, lookup: CarrierLookup = {}): Promise<OrderPageView | null> {
  const order = await getOrderForShop(db, shopId, orderId);
  if (!order) return null;
  const [carrierShipTo, shipmentRows, [latestRequest], timelineRows] = await Promise.all([
    shipToView(db, shopId, orderId, lookup),
    db
      .select()
      .from(shipments)
      .where(and(eq(shipments.shopId, shopId), eq(shipments.orderId, orderId)))
      .orderBy(asc(shipments.createdAt), asc(shipments.id)),
    db
      .select({ state: labelRequests.state, attempts: labelRequests.attempts, lastError: labelRequests.lastError, createdAt: labelRequests.createdAt })
      .from(labelRequests)
      .where(and(eq(labelRequests.shopId, shopId), eq(labelRequests.orderId, orderId)))
      .orderBy(desc(labelRequests.id))
      .limit(1),
    orderTimelineRows(db, shopId, order.number),
  ]);
  if (!carrierShipTo) return null;
  return {
    id: order.id,
    number: order.number,
    placedAt: order.placedAt.toISOString(),
    status: order.status,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    removed: order.removedAt !== null,
    shippedAt: order.shippedAt?.toISOString() ?? null,
    customerName: order.customerName,
    email: order.email,
    phone: order.shipTo?.phone ?? null,
    company: order.company,
    totalPrice: order.totalPrice,
    currency: order.currency,
    itemCount: order.itemCount,
    weightGrams: order.weightGrams,
    shipToImported: order.shipTo,
    billToImported: order.billTo,
    carrierShipTo,
    lines: (order.lines as OrderLine[]).map((l) => ({
      sku: l.sku ?? null,
      name: l.name,
      quantity: l.quantity,
      weightGrams: l.weightGrams ?? null,
      requiresShipping: l.requiresShipping !== false,
    })),
    shipments: shipmentRows.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      service: s.service,
      colli: s.colli,
      packageType: s.packageType,
      environment: s.environment,
      trackingNumber: s.trackingNumber,
      trackingUrl: s.trackingUrl,
      trackingCompany: s.trackingCompany,
      status: s.parcelStatus,
      statusAt: s.parcelStatusAt?.toISOString() ?? null,
      writebackState: s.writebackState,
      writebackError: decodeReason(s.writebackError),
      writtenBackAt: s.writtenBackAt?.toISOString() ?? null,
      mailState: s.mailState,
    })),
    labelRequest: latestRequest
      ? { state: latestRequest.state, attempts: latestRequest.attempts, reason: decodeReason(latestRequest.lastError), createdAt: latestRequest.createdAt.toISOString() }
      : null,
    timeline: timelineRows.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      kind: e.kind,
      source: e.source,
      result: e.result,
      summary: e.summary,
      params: activityParams(e.details),
      reason: e.reason,
      reasonCode: activityReasonCode(e.details),
    })),
  };
}

/**
 * The shop's activity rows about this order, newest first. Activity names orders by number (its rows outlive ids: an
 * order removed and imported again keeps its history); a row about several orders at once (removed or restored in
 * bulk) lists their numbers in details.numbers. Two index scans (activity_shop_order_idx, activity_numbers_idx)
 * merged here: one query with OR would read all the shop's activity.
 */
async function orderTimelineRows(db: Db, shopId: number, orderNumber: string) {
  const newest = (where: SQL) => db.select().from(activity).where(where).orderBy(desc(activity.id)).limit(ORDER_TIMELINE_LIMIT);
  const [own, bulk] = await Promise.all([
    newest(and(eq(activity.shopId, shopId), eq(activity.orderNumber, orderNumber))!),
    newest(and(eq(activity.shopId, shopId), isNull(activity.orderNumber), sql`(${activity.details} -> 'numbers') @> ${JSON.stringify([orderNumber])}::jsonb`)!),
  ]);
  return [...own, ...bulk].sort((a, b) => b.id - a.id).slice(0, ORDER_TIMELINE_LIMIT);
}
