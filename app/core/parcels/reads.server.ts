// What pages read about parcels: the status of each shipment of some orders (Zendingen, the order page) and one
// shipment's history. Queries only, scoped by shop.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { parcelEvents, shipments } from "../../db/schema";
import type { ParcelStatus } from "../domain";
import { isStuck } from "./stuck";

export type ParcelView = {
  shipmentId: number;
  orderId: number;
  trackingNumber: string;
  trackingUrl: string;
  status: ParcelStatus;
  /** When the current status began (the label's creation while "created"). */
  at: Date;
  description: string | null;
  stuck: boolean;
};

/** The parcels of these orders, newest shipment first (the order page reuses it). */
export async function parcelStatusForOrders(db: Db, shopId: number, orderIds: number[], now: Date = new Date()): Promise<ParcelView[]> {
  if (!orderIds.length) return [];
  const rows = await db
    .select({
      id: shipments.id,
      orderId: shipments.orderId,
      trackingNumber: shipments.trackingNumber,
      trackingUrl: shipments.trackingUrl,
      parcelStatus: shipments.parcelStatus,
      parcelStatusAt: shipments.parcelStatusAt,
      parcelDescription: shipments.parcelDescription,
      createdAt: shipments.createdAt,
    })
    .from(shipments)
    .where(and(eq(shipments.shopId, shopId), inArray(shipments.orderId, orderIds)))
    .orderBy(desc(shipments.createdAt), desc(shipments.id));
  return rows.map((r) => ({
    shipmentId: r.id,
    orderId: r.orderId,
    trackingNumber: r.trackingNumber,
    trackingUrl: r.trackingUrl,
    status: r.parcelStatus,
    at: r.parcelStatusAt ?? r.createdAt,
    description: r.parcelDescription,
    stuck: isStuck(r, now),
  }));
}

/** One shipment's parcel history, oldest first; empty for another shop's shipment. */
export async function parcelHistory(db: Db, shopId: number, shipmentId: number) {
  return db
    .select({ status: parcelEvents.status, at: parcelEvents.occurredAt, description: parcelEvents.description, carrierStatus: parcelEvents.carrierStatus, source: parcelEvents.source })
    .from(parcelEvents)
    .where(and(eq(parcelEvents.shopId, shopId), eq(parcelEvents.shipmentId, shipmentId)))
    .orderBy(asc(parcelEvents.occurredAt), asc(parcelEvents.id));
}
