// A parcel's updates (from the carrier's webhook or Koppel's poll) into its history, once each, and the shipment's
// current status from the newest of them per label (collo; colli.ts combines several). Idempotent: the same update
// twice (a redelivered webhook, a poll that sees what a webhook brought) is stored once and changes nothing.
import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { parcelEvents, shipments } from "../../db/schema";
import type { ParcelEventSource } from "../domain";
import type { ParcelUpdate } from "../ports";
import { shipmentStatusOfColli, type ColloStatus } from "./colli";

type ShipmentRef = { id: number; shopId: number; labels: { id: string; waybill: string }[] };

/**
 * Returns how many updates were new. In a transaction that first locks the shipment's row: two updates of different
 * colli of one shipment (two webhook jobs, a poll beside a webhook) each hold only their own waybill's lock, and
 * without it each would compute the shipment's status without the other's event and the last to commit would leave a
 * stale one.
 */
export function recordParcelUpdates(db: DbOrTx, s: ShipmentRef, updates: ParcelUpdate[], source: ParcelEventSource, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.select({ id: shipments.id }).from(shipments).where(and(eq(shipments.id, s.id), eq(shipments.shopId, s.shopId))).for("update");
    return recordLocked(tx, s, updates, source, now);
  });
}

async function recordLocked(db: DbOrTx, s: ShipmentRef, updates: ParcelUpdate[], source: ParcelEventSource, now: Date): Promise<number> {
  let added = 0;
  const labelIdOf = (u: ParcelUpdate) => u.labelId ?? s.labels.find((l) => u.waybill !== null && l.waybill === u.waybill)?.id ?? "";
  for (const u of updates) {
    const rows = await db
      .insert(parcelEvents)
      .values({
        shopId: s.shopId,
        shipmentId: s.id,
        labelId: labelIdOf(u),
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
  // Each collo's newest event is its status (an older one arriving late changes the history, not the status); an
  // event naming no known label is the first label's (single-collo shipments, carriers that do not say).
  const events = await db
    .select()
    .from(parcelEvents)
    .where(and(eq(parcelEvents.shipmentId, s.id), eq(parcelEvents.shopId, s.shopId)))
    .orderBy(asc(parcelEvents.occurredAt), asc(parcelEvents.id));
  const ids = s.labels.map((l) => l.id);
  const colloOf = (labelId: string) => (ids.includes(labelId) ? labelId : (ids[0] ?? ""));
  const latest = new Map<string, (typeof events)[number]>();
  for (const e of events) latest.set(colloOf(e.labelId), e);
  if (!latest.size) {
    await db.update(shipments).set({ parcelUpdatedAt: now }).where(and(eq(shipments.id, s.id), eq(shipments.shopId, s.shopId)));
    return added;
  }
  const colli: ColloStatus<(typeof events)[number]>[] = (ids.length ? ids : [""]).map((id) => {
    const e = latest.get(id);
    return e ? { status: e.status, at: e.occurredAt, event: e } : { status: "created", at: null, event: null };
  });
  const shown = shipmentStatusOfColli(colli);
  // Final once every collo's newest status is one nothing follows, as these updates say (a poll asks every collo, so
  // it sees them all; a webhook names one). Kept: a later poll never reopens it.
  const finalSeen = colli.every(
    (c) => c.event !== null && updates.some((u) => u.final && colloOf(labelIdOf(u)) === colloOf(c.event!.labelId) && u.carrierStatus === c.event!.carrierStatus && u.at.getTime() === c.event!.occurredAt.getTime()),
  );
  await db
    .update(shipments)
    .set({
      parcelUpdatedAt: now,
      parcelStatus: shown.status,
      // A collo without news: the shipment is "aangemaakt" since its label (read as the shipment's creation).
      parcelStatusAt: shown.event?.occurredAt ?? null,
      parcelCarrierStatus: shown.event?.carrierStatus ?? null,
      parcelDescription: shown.event?.description ?? null,
      parcelFinal: finalSeen ? true : sql`${shipments.parcelFinal}`,
    })
    .where(and(eq(shipments.id, s.id), eq(shipments.shopId, s.shopId)));
  return added;
}
