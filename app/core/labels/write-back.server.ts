// The write-back job: the shipment's track & trace goes to the shop once (the platform's markShipped), and the order
// becomes "Verzonden". Failures retry with backoff, or give up at once when no retry can succeed (refused, uninstalled).
import { and, eq, notInArray, sql } from "drizzle-orm";
import { orders, shipments, shopMailSettings, shops } from "../../db/schema";
import type { ShipmentTracking } from "../ports";
import { asDistributor } from "../domain";
import { shopAccess } from "../shop-access";
import { logActivity } from "../activity.server";
import { encodeReason, type ReasonCode } from "../reasons";
import type { LabelDeps } from "./deps";
import { enqueueTrackingMail } from "./tracking-mail.server";

export type WriteBackOutcome = "done" | "already_done" | "failed" | "skipped";

/** Thrown and caught within writeBackShipment only (no instanceof across bundles). */
class NotInstalledError extends Error {
  constructor() {
    super("Koppel is no longer installed in this shop: the shop did not get the track & trace");
  }
}

export async function writeBackShipment(deps: LabelDeps, shipmentId: number, opts: { finalAttempt?: boolean } = {}): Promise<WriteBackOutcome> {
  const { db } = deps;
  const started = Date.now();
  // Counts the attempt and reads the shipment in one statement (a bulk "Label aanmaken" runs hundreds of these).
  const [s] = await db
    .update(shipments)
    .set({ writebackAttempts: sql`${shipments.writebackAttempts} + 1` })
    .where(and(eq(shipments.id, shipmentId), notInArray(shipments.writebackState, ["done", "not_needed"])))
    .returning();
  if (!s) {
    const [held] = await db.select({ id: shipments.id }).from(shipments).where(eq(shipments.id, shipmentId));
    return held ? "already_done" : "skipped";
  }
  // The order, its shop and whether Koppel e-mails the customer itself (tracking-mail.server.ts), in one read.
  const [found] = await db
    .select({ order: orders, shop: shops, koppelMails: shopMailSettings.enabled })
    .from(orders)
    .innerJoin(shops, eq(shops.id, orders.shopId))
    .leftJoin(shopMailSettings, eq(shopMailSettings.shopId, orders.shopId))
    .where(and(eq(orders.id, s.orderId), eq(orders.shopId, s.shopId)));
  if (!found) return "skipped";
  const { order, shop } = found;
  const koppelMails = found.koppelMails ?? false;
  const tracking: ShipmentTracking = {
    distributor: asDistributor(s.trackingCompany),
    carrierName: deps.carrierFor(s.carrier).displayName,
    number: s.trackingNumber,
    url: s.trackingUrl,
  };
  let failure: { reason: string; retryable: boolean; code: ReasonCode; summary?: string };
  try {
    // Uninstalled: the shop's token is gone, so no retry can succeed; say so at once instead of 8 backoffs.
    if (shop.uninstalledAt) throw new NotInstalledError();
    const platform = deps.platformFor(shop.platform);
    // Ask the shop to e-mail the customer where it can, unless the merchant chose Koppel's own e-mail instead
    // (tracking-mail.server.ts, queued below with the write-back's commit): the customer gets one e-mail, not two.
    const notifyCustomer = platform.capabilities.notifiesCustomerOnShipment && !koppelMails;
    // The order's platform data (what its import brought, e.g. Shopify's fulfillment order ids) saves the platform calls.
    const answer = await platform.markShipped(shopAccess(shop, deps.encryptionKey), order.platformOrderId, tracking, {
      notifyCustomer,
      platformData: order.platformData,
    });
    if (answer.ok) {
      const r = answer.value;
      await db.transaction(async (tx) => {
        await tx
          .update(shipments)
          .set({ writebackState: "done", writtenBackAt: new Date(), writebackError: null, platformFulfillmentIds: r.platformFulfillmentIds })
          .where(eq(shipments.id, s.id));
        await enqueueTrackingMail(deps, tx, s, koppelMails);
        await tx
          .update(orders)
          .set({ status: "shipped", shippedAt: new Date(), updatedAt: new Date(), ...(r.platformData !== undefined ? { platformData: r.platformData } : {}) })
          .where(eq(orders.id, order.id));
        await logActivity(tx, {
          shopId: s.shopId,
          kind: "writeback",
          source: "system",
          result: "ok",
          summary: r.alreadyShipped ? "writeback.already_shipped" : "writeback.done",
          orderNumber: order.number,
          durationMs: Date.now() - started,
          details: { trackingNumber: s.trackingNumber, fulfillments: r.platformFulfillmentIds },
        });
      });
      return r.alreadyShipped ? "already_done" : "done";
    }
    failure = { reason: answer.reason, retryable: answer.retryable ?? false, code: answer.retryable ? "shop.not_ready" : "shop.refused" };
  } catch (e) {
    failure =
      e instanceof NotInstalledError
        ? { reason: e.message, retryable: false, code: "shop.not_installed", summary: "writeback.not_installed" }
        : { reason: (e as Error).message, retryable: true, code: "shop.unreachable" };
  }
  const giveUp = !failure.retryable || opts.finalAttempt;
  await db
    .update(shipments)
    .set({ writebackError: encodeReason(failure.code, failure.reason), ...(giveUp ? { writebackState: "failed" as const } : {}) })
    .where(eq(shipments.id, s.id));
  await logActivity(db, {
    shopId: s.shopId,
    kind: "writeback",
    source: "system",
    result: "failed",
    summary: failure.summary ?? (giveUp ? "writeback.failed" : "writeback.retry"),
    orderNumber: order.number,
    reason: failure.reason,
    durationMs: Date.now() - started,
    details: { reasonCode: failure.code },
  });
  if (giveUp) return "failed";
  throw new Error(failure.reason);
}
