// The carrier's label-update webhook: the address's token names the carrier account, the carrier adapter verifies the
// signature with that account's credentials; then the event is stored once (unique on its id) with the job that applies
// it, in one transaction, and only then answered 200. Applying is the job's (applyCarrierWebhook), idempotent.
import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
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

/** The job: the stored event's updates onto the shipment that has its waybill (in the account's shop only). */
export async function applyCarrierWebhook(deps: Pick<LabelDeps, "db">, carrierWebhookId: number): Promise<"applied" | "no_shipment" | "already" | "missing"> {
  const [w] = await deps.db.select().from(carrierWebhooks).where(eq(carrierWebhooks.id, carrierWebhookId));
  if (!w) return "missing";
  if (w.processedAt) return "already";
  const payload = w.payload as { waybill: string | null; updates: StoredUpdate[] };
  const updates: ParcelUpdate[] = payload.updates.map((u) => ({ ...u, at: new Date(u.at) }));
  const waybill = payload.waybill ?? updates.find((u) => u.waybill)?.waybill ?? null;
  const shipment = waybill ? await shipmentByWaybill(deps, w.shopId, waybill) : null;
  return deps.db.transaction(async (tx) => {
    if (shipment) await recordParcelUpdates(tx, shipment, updates, "webhook");
    const outcome = shipment ? "applied" : "no_shipment";
    await tx
      .update(carrierWebhooks)
      .set({ processedAt: new Date(), outcome })
      .where(and(eq(carrierWebhooks.id, w.id), isNull(carrierWebhooks.processedAt)));
    return outcome;
  });
}

async function shipmentByWaybill(deps: Pick<LabelDeps, "db">, shopId: number, waybill: string) {
  const [s] = await deps.db
    .select({ id: shipments.id, shopId: shipments.shopId, labels: shipments.labels })
    .from(shipments)
    // The first label's waybill is the tracking number; the other colli are in `labels`.
    .where(and(eq(shipments.shopId, shopId), eq(shipments.trackingNumber, waybill)))
    .limit(1);
  if (s) return s;
  const [other] = await deps.db
    .select({ id: shipments.id, shopId: shipments.shopId, labels: shipments.labels })
    .from(shipments)
    .where(and(eq(shipments.shopId, shopId), sql`${shipments.labels} @> ${JSON.stringify([{ waybill }])}::jsonb`))
    .limit(1);
  return other ?? null;
}
