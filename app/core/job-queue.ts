// The job queue as the core sees it: a port. app/jobs/ implements it on pg-boss; tests may pass an in-memory one.
import type { DbOrTx } from "../db/client.server";

export const QUEUES = {
  processDelivery: "process-delivery",
  syncShop: "sync-shop",
  createLabel: "create-label",
  writeBack: "write-back",
  sendTrackingMail: "send-tracking-mail",
  redactShop: "redact-shop",
  /** A stored carrier label-update webhook, applied to its shipment. */
  applyCarrierWebhook: "apply-carrier-webhook",
  /** The scheduled poll of the carrier's track & trace for parcels whose webhooks did not come. */
  pollParcels: "poll-parcels",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type JobData = {
  /** The deliveries one webhook batch stored (group commit): one job per batch, not per delivery. */
  "process-delivery": { deliveryIds: number[] };
  "sync-shop": { shopId: number; reason?: "schedule" | "cli" | "install" | "demo" };
  "create-label": { labelRequestId: number };
  "write-back": { shipmentId: number };
  /** Koppel's own track & trace e-mail for one shipment (at most once: see app/core/labels/tracking-mail.server.ts). */
  "send-tracking-mail": { shipmentId: number };
  /** A shop uninstalled on a platform that sends no later redact (CCV Shop): its data goes this long after, unless it came back. */
  "redact-shop": { shopId: number; uninstalledAt: string };
  "apply-carrier-webhook": { carrierWebhookId: number };
  "poll-parcels": Record<string, never>;
};

/** The port the core enqueues through; `tx` puts the job in the caller's transaction (stored together or not at all). */
export interface JobQueue {
  send<Q extends QueueName>(queue: Q, data: JobData[Q], opts?: { tx?: DbOrTx; singletonKey?: string; startAfterSeconds?: number }): Promise<string | null>;
  scheduleSync(shopId: number, everyMinutes: number): Promise<void>;
  unscheduleSync(shopId: number): Promise<void>;
}
