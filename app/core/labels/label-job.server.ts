// The create-label job: one carrier shipment per label request, whatever happens. The request is marked sending
// (committed) before the carrier is called, and a request sent before first asks the carrier for the shipment made with
// its key, so a retried job or a worker killed after the carrier answered never buys a second label. The shipment is
// stored with its write-back job in one transaction. Next: write-back.server.ts.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { labelRequests, orders, shipments, shops } from "../../db/schema";
import {
  CarrierError,
  isCarrierError,
  type Carrier,
  type CarrierAddress,
  type CarrierService,
  type CreatedShipment,
  type PackageType,
} from "../ports";
import { logActivity } from "../activity.server";
import { carrierReasonCode, encodeReason, type ReasonCode } from "../reasons";
import { effectiveShipTo, fromAddressToCarrier, shipToToCarrier } from "./carrier-address";
import { loadAccountCredentials, loadCredentials, servicesOfAccount } from "./connection.server";
import type { LabelDeps } from "./deps";
import { fieldMappingOf, mapShipmentFields } from "../rules/field-mapping";
import { ruleWeightGrams } from "../rules/choose";
import { applyWaitingWebhooks } from "../parcels/webhook.server";

export type ProcessLabelOutcome = "created" | "reconciled" | "rejected" | "failed" | "skipped";

function toTracking(carrier: Carrier, service: CarrierService | null, created: CreatedShipment, postcode: string) {
  const first = created.labels[0];
  if (!first) throw new CarrierError("rejected", "The carrier returned a shipment without labels");
  return {
    trackingNumber: first.waybill,
    trackingUrl: first.trackingUrl || carrier.trackingUrl(first.waybill, postcode),
    // Who delivers, by the distributor's own name (the shop platform maps it to its names); else the carrier's name.
    trackingCompany: carrier.distributorOf(service) ?? carrier.displayName,
  };
}

/**
 * The job. State machine: queued → sending (committed before the call) → created | rejected | failed.
 * A request found in `sending` (or failed after it was sent) first asks the carrier for the shipment made with its
 * key, so a crash between the carrier's answer and our commit never buys a second label.
 */
export async function processLabelRequest(deps: LabelDeps, labelRequestId: number, opts: { finalAttempt?: boolean } = {}): Promise<ProcessLabelOutcome> {
  const { db } = deps;
  // The request with its order (of the same shop) and shop, in one read: a bulk "Label aanmaken" runs hundreds of these.
  const [found] = await db
    .select({ req: labelRequests, order: orders, shop: shops })
    .from(labelRequests)
    .leftJoin(orders, and(eq(orders.id, labelRequests.orderId), eq(orders.shopId, labelRequests.shopId)))
    .leftJoin(shops, eq(shops.id, labelRequests.shopId))
    .where(eq(labelRequests.id, labelRequestId));
  const req = found?.req;
  if (!req || req.state === "created" || req.state === "rejected" || req.state === "failed") return "skipped";
  const { order, shop } = found;
  // Bought with the account it was requested with, never the one the shop switched to since (staging ≠ production).
  const account = await loadAccountCredentials(deps, req.shopId, { accountId: req.carrierAccountId, carrier: req.carrier, environment: req.environment });
  const current = await loadCredentials(deps, req.shopId);
  // The merchant's correction ("Adres aanpassen") when there is one, else the imported address: read now, so a
  // correction made after the click but before the job ran is the one the carrier gets.
  const shipTo = order ? effectiveShipTo(order) : null;
  if (!order || !shop?.fromAddress || !account || !shipTo) {
    const reason = !account
      ? current
        ? encodeReason("carrier.account_gone", `the ${req.environment} carrier account this label was requested with is no longer connected`)
        : encodeReason("carrier.not_connected", "no carrier connection")
      : encodeReason("label.missing_data", "order or from address missing");
    await markRequest(db, req.id, "failed", reason);
    return "failed";
  }
  // The services of the account it is bought with (codes are per account), not of the one connected now.
  const conn = { creds: account.creds, services: await servicesOfAccount(deps, account, current) };
  // A request from before accounts were kept gets the account it was found to belong to.
  const made = { ...req, carrierAccountId: account.accountId };
  const carrier = deps.carrierFor(req.carrier);
  const service = conn.services.find((s) => s.code === req.service) ?? null;
  // The shop's field mapping ("datamapper"): reference, description, phone, e-mail and company, defaults unless changed.
  const mapped = mapShipmentFields({ ...order, shipTo }, fieldMappingOf(shop.settings?.fieldMapping));
  const request = {
    idempotencyKey: req.idempotencyKey,
    reference: mapped.reference,
    service: req.service,
    packageType: req.packageType as PackageType,
    colli: req.colli,
    // The weight the rules and the dialog's price reasoned with (the order's, else items × the shop's default item
    // weight), so the label bought is the one priced; the adapter divides it over the colli.
    weightGrams: ruleWeightGrams(order, { defaultItemWeightGrams: shop.settings?.defaultItemWeightGrams ?? 0 }) || null,
    description: mapped.description,
    dimensions: req.dimensions ?? null,
    shipFrom: fromAddressToCarrier(shop.fromAddress),
    shipTo: shipToToCarrier({ ...shipTo, phone: mapped.phone, company: mapped.company }, mapped.email) as CarrierAddress,
  };
  const started = Date.now();
  const summary = { orderNumber: order.number, service: req.service, colli: req.colli, packageType: req.packageType, environment: req.environment };

  // Every run that talks to the carrier is an attempt, the reconciling ones too: the order list and the batch say
  // "nieuwe poging (poging n)" from the first failure on.
  const firstSend = !req.sentAt;
  try {
    if (!firstSend) {
      await db.update(labelRequests).set({ attempts: sql`${labelRequests.attempts} + 1`, updatedAt: new Date() }).where(eq(labelRequests.id, req.id));
      const existing = await carrier.findShipmentByIdempotencyKey(conn.creds, request);
      if (existing) {
        await storeShipment(deps, made, order.number, shipTo.postcode ?? "", carrier, service, existing, Date.now() - started, true);
        return "reconciled";
      }
    }
    await db
      .update(labelRequests)
      .set({ state: "sending", sentAt: new Date(), ...(firstSend ? { attempts: sql`${labelRequests.attempts} + 1` } : {}), updatedAt: new Date() })
      .where(eq(labelRequests.id, req.id));
    let created: CreatedShipment | undefined;
    for (let tries = 0; !created; tries++) {
      try {
        created = await carrier.createShipment(conn.creds, request);
      } catch (e) {
        // Honour a short Retry-After inside the job; longer waits go back to the queue's backoff.
        if (isCarrierError(e) && e.kind === "transient" && e.status === 429 && tries < 2 && (e.retryAfterMs ?? 1000) <= 10_000) {
          await (deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(e.retryAfterMs ?? 1000);
          continue;
        }
        throw e;
      }
    }
    await storeShipment(deps, made, order.number, shipTo.postcode ?? "", carrier, service, created, Date.now() - started, false);
    return "created";
  } catch (e) {
    const err = isCarrierError(e) ? e : null;
    const reason = (e as Error).message;
    const permanent = err?.kind === "rejected" || err?.kind === "invalid_credentials";
    // Stored with a code, so pages say it in the merchant's language with the carrier's text beneath.
    const code: ReasonCode = err ? carrierReasonCode(err.kind) : "internal";
    const stored = encodeReason(code, reason);
    await logActivity(db, {
      shopId: req.shopId,
      kind: "carrier",
      source: "system",
      result: "failed",
      summary: permanent ? "carrier.label_rejected" : "carrier.label_retry",
      orderNumber: order.number,
      reason,
      durationMs: Date.now() - started,
      details: { ...summary, status: err?.status ?? null, kind: err?.kind ?? "error", reasonCode: code },
    });
    if (permanent) {
      await markRequest(db, req.id, "rejected", stored);
      return "rejected";
    }
    if (opts.finalAttempt) {
      await markRequest(db, req.id, "failed", stored);
      return "failed";
    }
    // Still "sending": the last transient error and the attempt count are visible while the queue retries.
    await db.update(labelRequests).set({ lastError: stored, updatedAt: new Date() }).where(eq(labelRequests.id, req.id));
    throw e;
  }
}

async function markRequest(db: Db, id: number, state: "rejected" | "failed", reason: string) {
  await db.update(labelRequests).set({ state, lastError: reason, updatedAt: new Date() }).where(eq(labelRequests.id, id));
}

async function storeShipment(
  deps: LabelDeps,
  req: typeof labelRequests.$inferSelect,
  orderNumber: string,
  postcode: string,
  carrier: Carrier,
  service: CarrierService | null,
  created: CreatedShipment,
  durationMs: number,
  reconciled: boolean,
) {
  const tracking = toTracking(carrier, service, created, postcode);
  await deps.db.transaction(async (tx) => {
    const [s] = await tx
      .insert(shipments)
      .values({
        shopId: req.shopId,
        orderId: req.orderId,
        labelRequestId: req.id,
        carrier: req.carrier,
        environment: req.environment,
        carrierAccountId: req.carrierAccountId,
        carrierShipmentId: created.carrierShipmentId,
        sequence: created.sequence,
        service: req.service,
        colli: req.colli,
        packageType: req.packageType,
        labels: created.labels,
        ...tracking,
        status: created.status ?? "created",
        raw: created.raw as object,
      })
      .onConflictDoNothing()
      .returning({ id: shipments.id });
    await tx.update(labelRequests).set({ state: "created", lastError: null, updatedAt: new Date() }).where(eq(labelRequests.id, req.id));
    if (s) {
      await deps.queue.send("write-back", { shipmentId: s.id }, { tx: tx });
      // Label updates the carrier sent before this shipment was stored (its webhook can beat this commit). In a
      // savepoint: whatever goes wrong there must not undo storing a label the carrier has sold (the updates stay
      // waiting, and the parcel poll brings the status).
      await tx.transaction((sp) => applyWaitingWebhooks(sp, { id: s.id, shopId: req.shopId, labels: created.labels })).catch(() => 0);
    }
    await logActivity(tx, {
      shopId: req.shopId,
      kind: "carrier",
      source: "system",
      result: "ok",
      summary: reconciled ? "carrier.label_reconciled" : "carrier.label_created",
      orderNumber,
      durationMs,
      details: { service: req.service, colli: req.colli, packageType: req.packageType, environment: req.environment, waybill: tracking.trackingNumber, carrierShipmentId: created.carrierShipmentId },
    });
  });
}
