// Koppel's own track & trace e-mail: once per shipment, never twice. Enqueued in the transaction that marks the
// write-back done (enqueueTrackingMail), when the shop's setting is on — the whole decision, whatever the platform.
//
// At most once: the job claims the e-mail by moving pending → sending (committed) before the SMTP call, under a
// conditional UPDATE, so two runs never both send. A run that finds "sending" left behind (a worker that died between
// the SMTP server's answer and our commit, or a job handed over after its expiry) does NOT send again: it cannot know
// whether the first one got through, so it marks the shipment "unknown" and the merchant decides ("Opnieuw versturen"
// sends it anyway). The e-mail carries a Message-ID derived from the shipment, the same on every attempt, so even a
// resend the merchant asked for is recognisable as the same message. Failures before the server took the message
// (connection, TLS, login, 4xx) go back to pending and the queue retries; refusals no retry changes (login, 5xx) fail
// at once; a failure after the message was handed over (no reply to the end of DATA) counts as "unknown", not retried.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { orders, shipments, shops } from "../../db/schema";
import { logActivity } from "../activity.server";
import { domainOf, loadMailSettings, trackingMailEnabled } from "../mail/settings.server";
import { renderTrackingMail } from "../mail/tracking-template";
import type { Mailer } from "../mail/ports";
import type { LabelDeps } from "./deps";

export type TrackingMailOutcome = "sent" | "already_sent" | "unknown" | "failed" | "not_needed" | "skipped";

/** In the caller's transaction (the write-back's): pending + the job, both or neither; only once per shipment. */
export async function enqueueTrackingMail(
  deps: Pick<LabelDeps, "queue">,
  tx: DbOrTx,
  shipment: { id: number; shopId: number },
  /** The decision already taken (the write-back told the shop not to e-mail because of it); else read now. */
  enabled?: boolean,
): Promise<boolean> {
  if (!(enabled ?? (await trackingMailEnabled(tx, shipment.shopId)))) return false;
  const rows = await tx
    .update(shipments)
    .set({ mailState: "pending", mailError: null })
    .where(and(eq(shipments.id, shipment.id), eq(shipments.mailState, "not_needed")))
    .returning({ id: shipments.id });
  if (!rows.length) return false;
  await deps.queue.send("send-tracking-mail", { shipmentId: shipment.id }, { tx });
  return true;
}

/** The Message-ID of a shipment's e-mail: the same for every attempt. */
export function trackingMessageId(shipmentId: number, fromAddress: string): string {
  return `<koppel-shipment-${shipmentId}@${domainOf(fromAddress)}>`;
}

export async function sendTrackingMail(deps: LabelDeps, shipmentId: number, opts: { finalAttempt?: boolean } = {}): Promise<TrackingMailOutcome> {
  const { db } = deps;
  const [s] = await db.select().from(shipments).where(eq(shipments.id, shipmentId));
  if (!s) return "skipped";
  if (s.mailState === "sent") return "already_sent";
  const [order] = await db.select().from(orders).where(and(eq(orders.id, s.orderId), eq(orders.shopId, s.shopId)));
  const log = (result: "ok" | "failed" | "skipped", summary: string, reason?: string | null, details?: Record<string, unknown>) =>
    logActivity(db, { shopId: s.shopId, kind: "mail", source: "system", result, summary, orderNumber: order?.number ?? null, reason: reason ?? null, details: { shipmentId: s.id, ...details } });

  if (s.mailState === "sending") {
    // Claimed before and never finished: it may have gone out. Never a second one without the merchant's say.
    const rows = await db
      .update(shipments)
      .set({ mailState: "unknown", mailError: "mail.error.interrupted" })
      .where(and(eq(shipments.id, s.id), eq(shipments.mailState, "sending")))
      .returning({ id: shipments.id });
    if (rows.length) await log("failed", "mail.unknown", "an earlier attempt was interrupted after it started sending; not sent again");
    return "unknown";
  }
  if (s.mailState !== "pending") return "skipped";

  if (!deps.mailer) throw new Error("No mailer configured: the track & trace e-mail cannot be sent");
  const [shop] = await db.select().from(shops).where(eq(shops.id, s.shopId));
  const settings = await loadMailSettings(db, s.shopId, deps.encryptionKey);
  if (!settings?.enabled || !order || !shop) {
    // Switched off after the label was made: nothing to send.
    await db.update(shipments).set({ mailState: "not_needed" }).where(and(eq(shipments.id, s.id), eq(shipments.mailState, "pending")));
    await log("skipped", "mail.not_needed");
    return "not_needed";
  }
  if (!order.email) {
    await db.update(shipments).set({ mailState: "failed", mailError: "mail.error.no_address" }).where(eq(shipments.id, s.id));
    await log("failed", "mail.failed", "the order has no e-mail address");
    return "failed";
  }

  const messageId = trackingMessageId(s.id, settings.from.address);
  // The claim: committed before the SMTP call. Only one run gets it.
  const claimed = await db
    .update(shipments)
    .set({ mailState: "sending", mailSendingAt: new Date(), mailAttempts: sql`${shipments.mailAttempts} + 1`, mailMessageId: messageId })
    .where(and(eq(shipments.id, s.id), eq(shipments.mailState, "pending")))
    .returning({ id: shipments.id });
  if (!claimed.length) return "skipped";

  const mail = renderTrackingMail({
    locale: settings.locale,
    shopName: shop.name || settings.from.name,
    customerName: order.customerName,
    orderNumber: order.number,
    carrierName: deps.carrierFor(s.carrier).displayName,
    trackingNumber: s.trackingNumber,
    trackingUrl: s.trackingUrl,
  });
  const started = Date.now();
  const result = await (deps.mailer as Mailer).send(settings.smtp, {
    from: settings.from,
    to: order.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId,
    headers: { "X-Koppel-Shipment": String(s.id) },
  });
  const durationMs = Date.now() - started;
  // From "sending" (or "unknown", when a handed-over job marked it meanwhile): what the SMTP server said wins.
  const mine = and(eq(shipments.id, s.id), inArray(shipments.mailState, ["sending", "unknown"]));
  if (result.ok) {
    await db.update(shipments).set({ mailState: "sent", mailedAt: new Date(), mailedTo: order.email, mailError: null }).where(mine);
    await logActivity(db, { shopId: s.shopId, kind: "mail", source: "system", result: "ok", summary: "mail.sent", orderNumber: order.number, durationMs, details: { shipmentId: s.id, messageId } });
    return "sent";
  }
  if (result.maybeDelivered) {
    await db.update(shipments).set({ mailState: "unknown", mailError: result.reason }).where(mine);
    await log("failed", "mail.unknown", result.reason, { durationMs });
    return "unknown";
  }
  const giveUp = !result.retryable || opts.finalAttempt;
  await db
    .update(shipments)
    .set({ mailState: giveUp ? "failed" : "pending", mailError: result.reason })
    .where(mine);
  await log("failed", giveUp ? "mail.failed" : "mail.retry", result.reason, { durationMs });
  if (giveUp) return "failed";
  throw new Error(result.reason);
}

/**
 * "Opnieuw versturen": a failed e-mail, or one whose fate is unknown (the merchant chose to send it anyway), goes back
 * to pending with its job, in one transaction.
 */
export async function retryTrackingMail(deps: Pick<LabelDeps, "db" | "queue">, shopId: number, shipmentId: number): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .update(shipments)
      .set({ mailState: "pending", mailError: null })
      .where(and(eq(shipments.id, shipmentId), eq(shipments.shopId, shopId), inArray(shipments.mailState, ["failed", "unknown"])))
      .returning({ id: shipments.id });
    if (!rows.length) return false;
    await deps.queue.send("send-tracking-mail", { shipmentId }, { tx });
    return true;
  });
}
