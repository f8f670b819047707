// A parcel's updates (from the carrier's webhook or Koppel's poll) into its history, once each, and the shipment's
// current status from the newest of them. Idempotent: the same update twice (a redelivered webhook, a poll that sees
// what a webhook brought) is stored once and changes nothing.
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { parcelEvents, shipments } from "../../db/schema";
import type { ParcelEventSource } from "../domain";
import type { ParcelUpdate } from "../ports";

type ShipmentRef = { id: number; shopId: number; labels: { id: string; waybill: string }[] };

/** Returns how many updates were new. */
export async function recordParcelUpdates(db: DbOrTx, s: ShipmentRef, updates: ParcelUpdate[], source: ParcelEventSource, now: Date = new Date()): Promise<number> {
  let added = 0;
  for (const u of updates) {
    const labelId = u.labelId ?? s.labels.find((l) => u.waybill !== null && l.waybill === u.waybill)?.id ?? "";
    const rows = await db
      .insert(parcelEvents)
      .values({
        shopId: s.shopId,
        shipmentId: s.id,
        labelId,
        status: u.status,
        carrierStatus: u.carrierStatus,
        carrierCode: u.carrierCode,
        description: u.description,
        occurredAt: u.at,
        source,
      })
      .onConflictDoNothing()
      .returning({ id: parcelEvents.id });
    added += rows.length;
  }
  // The newest event is the parcel's status (an older one arriving late changes the history, not the status).
  const [latest] = await db
    .select()
    .from(parcelEvents)
    .where(and(eq(parcelEvents.shipmentId, s.id), eq(parcelEvents.shopId, s.shopId)))
    .orderBy(desc(parcelEvents.occurredAt), desc(parcelEvents.id))
    .limit(1);
  const finalSeen = updates.some((u) => u.final && latest && u.carrierStatus === latest.carrierStatus && u.at.getTime() === latest.occurredAt.getTime());
  await db
    .update(shipments)
    .set({
      parcelUpdatedAt: now,
      ...(latest
        ? {
            parcelStatus: latest.status,
            parcelStatusAt: latest.occurredAt,
            parcelCarrierStatus: latest.carrierStatus,
            parcelDescription: latest.description,
            // Final once the newest status is one nothing follows (kept: a later poll never reopens it).
            parcelFinal: finalSeen ? true : sql`${shipments.parcelFinal}`,
          }
        : {}),
    })
    .where(and(eq(shipments.id, s.id), eq(shipments.shopId, s.shopId)));
  return added;
}
