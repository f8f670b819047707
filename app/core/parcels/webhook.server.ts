// The carrier's label-update webhook: the address's token names the carrier account, the carrier adapter verifies the
// signature with that account's credentials; then the event is stored once (unique on its id) with the job that applies
// it, in one transaction, and only then answered 200. Applying is the job's (applyCarrierWebhook), idempotent.
import { createHash } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../../db/client.server";
import { carrierAccounts, carrierWebhooks, shipments } from "../../db/schema";
import { decryptSecret } from "../../crypto.server";
import type { CarrierId, ParcelUpdate } from "../ports";
import type { LabelDeps } from "../labels/deps";
import { recordParcelUpdates } from "./record.server";

export const sha256Hex = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

export type WebhookAnswer = { status: 200 | 400 | 401 | 404 | 503; body: string };

type StoredUpdate = Omit<ParcelUpdate, "at"> & { at: string };

/** verify → dedupe + store + enqueue → answer. Never 200 when storing failed. */
export async function receiveLabelWebhook(
  deps: Pick<LabelDeps, "db" | "queue" | "carrierFor" | "encryptionKey">,
  input: { carrier: CarrierId; token: string; rawBody: string },
): Promise<WebhookAnswer> {
  const [account] = await deps.db
    .select()
    .from(carrierAccounts)
    .where(and(eq(carrierAccounts.parcelWebhookTokenHash, sha256Hex(input.token)), eq(carrierAccounts.carrier, input.carrier)));
  if (!account) return { status: 404, body: "Unknown webhook address" };
  const creds = { clientId: account.clientId, clientSecret: decryptSecret(account.clientSecretEncrypted, deps.encryptionKey), environment: account.environment };
  const verified = deps.carrierFor(input.carrier).verifyLabelWebhook(creds, input.rawBody);
  if (!verified.ok) return { status: 401, body: `Webhook refused: ${verified.reason}` };
  const w = verified.value;
  const updates: StoredUpdate[] = w.updates.map((u) => ({ ...u, at: u.at.toISOString() }));
  try {
    await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(carrierWebhooks)
        .values({
          carrier: input.carrier,
          carrierAccountId: account.id,
          shopId: account.shopId,
          eventId: w.eventId,
          event: w.event,
          payload: { waybill: w.waybill, reference: w.reference, updates, body: JSON.parse(input.rawBody) as unknown },
        })
        .onConflictDoNothing()
        .returning({ id: carrierWebhooks.id });
      // A repeat (same event id) is stored once: nothing more to do.
      if (row) await deps.queue.send("apply-carrier-webhook", { carrierWebhookId: row.id }, { tx });
    });
  } catch {
    return { status: 503, body: "Could not store the webhook; please retry" };
  }
  return { status: 200, body: "OK" };
}

/** Stored label updates this old or younger are applied to a shipment stored after them (they came before it). */
export const WAITING_WEBHOOK_MAX_AGE_DAYS = 7;

type ShipmentRef = { id: number; shopId: number; labels: { id: string; waybill: string }[] };

function storedUpdates(payload: unknown): { waybill: string | null; updates: ParcelUpdate[] } {
  const p = payload as { waybill: string | null; updates: StoredUpdate[] };
  const updates: ParcelUpdate[] = p.updates.map((u) => ({ ...u, at: new Date(u.at) }));
  return { waybill: p.waybill ?? updates.find((u) => u.waybill)?.waybill ?? null, updates };
}

/**
 * One waybill of one shop at a time, until the transaction ends: the webhook job looking for its shipment and the
 * label job storing that shipment (applyWaitingWebhooks) take it, so an update is either found by the one or waiting
 * for the other, never missed by both in between.
 */
async function lockWaybill(tx: Tx, shopId: number, waybill: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`parcel-waybill:${shopId}:${waybill}`}, 0))`);
}

/**
 * The job: the stored event's updates onto the shipment that has its waybill (in the account's shop only). None yet
 * (the carrier can send a label's first update before Koppel has stored the label): "no_shipment", and the label job
 * applies it when it stores the shipment (applyWaitingWebhooks).
 */
export async function applyCarrierWebhook(deps: Pick<LabelDeps, "db">, carrierWebhookId: number): Promise<"applied" | "no_shipment" | "already" | "missing"> {
  const [w] = await deps.db.select().from(carrierWebhooks).where(eq(carrierWebhooks.id, carrierWebhookId));
  if (!w) return "missing";
  if (w.processedAt) return "already";
  const { waybill, updates } = storedUpdates(w.payload);
  return deps.db.transaction(async (tx) => {
    if (waybill) await lockWaybill(tx, w.shopId, waybill);
    // Looked up under the lock: a shipment whose label job holds it is committed by the time this reads.
    const shipment = waybill ? await shipmentByWaybill(tx, w.shopId, waybill) : null;
    if (shipment) await recordParcelUpdates(tx, shipment, updates, "webhook");
    const outcome = shipment ? "applied" : "no_shipment";
    await tx
      .update(carrierWebhooks)
      .set({ processedAt: new Date(), outcome })
      .where(and(eq(carrierWebhooks.id, w.id), isNull(carrierWebhooks.processedAt)));
    return outcome;
  });
}

/**
 * In the transaction that stores a new shipment (create or reconcile): the label updates that came for its waybills
 * before it existed ("no_shipment", same shop, recent) are applied to it now and marked applied. Idempotent: a row is
 * taken once (its outcome changes in this transaction) and recording an update twice stores it once. Returns how many.
 */
export async function applyWaitingWebhooks(tx: Tx, shipment: ShipmentRef, now: Date = new Date()): Promise<number> {
  const waybills = [...new Set(shipment.labels.map((l) => l.waybill).filter((w) => w))].sort();
  if (!waybills.length) return 0;
  // Sorted: two label jobs never wait on each other's waybills in opposite orders.
  for (const waybill of waybills) await lockWaybill(tx, shipment.shopId, waybill);
  const since = new Date(now.getTime() - WAITING_WEBHOOK_MAX_AGE_DAYS * 86400_000);
  const waiting = await tx
    .select()
    .from(carrierWebhooks)
    .where(
      and(
        eq(carrierWebhooks.shopId, shipment.shopId),
        eq(carrierWebhooks.outcome, "no_shipment"),
        gt(carrierWebhooks.receivedAt, since),
        inArray(sql`coalesce(${carrierWebhooks.payload}->>'waybill', ${carrierWebhooks.payload}->'updates'->0->>'waybill')`, waybills),
      ),
    )
    .orderBy(asc(carrierWebhooks.receivedAt), asc(carrierWebhooks.id));
  let applied = 0;
  for (const w of waiting) {
    const { updates } = storedUpdates(w.payload);
    const [taken] = await tx
      .update(carrierWebhooks)
      .set({ outcome: "applied", processedAt: now })
      .where(and(eq(carrierWebhooks.id, w.id), eq(carrierWebhooks.outcome, "no_shipment")))
      .returning({ id: carrierWebhooks.id });
    if (!taken) continue;
    await recordParcelUpdates(tx, shipment, updates, "webhook", now);
    applied++;
  }
  return applied;
}

async function shipmentByWaybill(db: DbOrTx, shopId: number, waybill: string) {
  const [s] = await db
    .select({ id: shipments.id, shopId: shipments.shopId, labels: shipments.labels })
    .from(shipments)
    // The first label's waybill is the tracking number; the other colli are in `labels`.
    .where(and(eq(shipments.shopId, shopId), eq(shipments.trackingNumber, waybill)))
    .limit(1);
  if (s) return s;
  const [other] = await db
    .select({ id: shipments.id, shopId: shipments.shopId, labels: shipments.labels })
    .from(shipments)
    .where(and(eq(shipments.shopId, shopId), sql`${shipments.labels} @> ${JSON.stringify([{ waybill }])}::jsonb`))
    .limit(1);
  return other ?? null;
}
