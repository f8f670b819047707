// pg-boss workers: thin wrappers that call the core use cases.
import type { PgBoss } from "pg-boss";
import type { Db } from "../db/client.server";
import type { Clock, PlatformId, ShopPlatform } from "../core/ports";
import { markDeliveryFailed, processDeliveries } from "../core/deliveries.server";
import { redactIfStillUninstalled } from "../core/privacy.server";
import { syncShop } from "../core/sync.server";
import { getShop } from "../core/shops.server";
import { QUEUES, type JobData, type JobQueue } from "./queue.server";
import { log } from "../log.server";
import type { LabelDeps } from "../core/labels/deps";
import { processLabelRequest } from "../core/labels/label-job.server";
import { writeBackShipment } from "../core/labels/write-back.server";
import { sendTrackingMail } from "../core/labels/tracking-mail.server";
import { applyCarrierWebhook } from "../core/parcels/webhook.server";
import { pollParcels } from "../core/parcels/poll.server";
import { withCarrierSlots } from "./carrier-slots";

export type WorkerDeps = { db: Db; queue: JobQueue; platformFor: (id: PlatformId) => ShopPlatform; clock: Clock } & Pick<
  LabelDeps,
  "carrierFor" | "encryptionKey"
> &
  Partial<Pick<LabelDeps, "sleep" | "mailer">>;

/** A process whose workers cannot all run must not start (it would import orders but never make a label). */
export function assertWorkerDeps(deps: Partial<WorkerDeps>): asserts deps is WorkerDeps {
  const missing = [
    !deps.db && "database",
    !deps.queue && "job queue",
    typeof deps.platformFor !== "function" && "platform registry",
    typeof deps.carrierFor !== "function" && "carrier registry",
    !deps.encryptionKey && "ENCRYPTION_KEY",
  ].filter(Boolean);
  if (missing.length) throw new Error(`Koppel's workers cannot start without: ${missing.join(", ")}`);
}

/** How many carrier calls one process makes at once (the carrier's rate limit is unconfirmed; be polite). */
export const CARRIER_CONCURRENCY = 8;

/**
 * Label jobs one process runs at once: twice the carrier's slots, so that one job's database work overlaps another's
 * carrier call; the carrier calls themselves stay at CARRIER_CONCURRENCY (carrier-slots.ts).
 */
export const LABEL_JOB_CONCURRENCY = 2 * CARRIER_CONCURRENCY;

/** Write-backs one process runs at once (4 did ~9 a second on a loaded 2-core machine, each ~0.45 s). */
export const WRITE_BACK_CONCURRENCY = 8;

/** process-delivery jobs per fetch (each holds one webhook batch, up to 200 deliveries; all imported together). */
export const DELIVERY_JOBS_PER_FETCH = 16;

/** Job data; jobs queued before batching carried a single `deliveryId`. */
export function deliveryIdsOf(data: JobData["process-delivery"] | { deliveryId: number }): number[] {
  return "deliveryIds" in data ? data.deliveryIds : [data.deliveryId];
}

export async function registerWorkers(boss: PgBoss, deps: WorkerDeps, opts: { pollingIntervalSeconds?: number } = {}) {
  assertWorkerDeps(deps);
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 };
  // Deliveries come in bursts (a bulk edit in the shop admin fires thousands of webhooks). Each job carries the
  // deliveries of one stored webhook batch; a fetch takes several jobs and imports all their deliveries together
  // (processDeliveries: a few statements per shop instead of a few per order), and keeps fetching while fetches come
  // back full (pg-boss otherwise waits a polling interval). Each job succeeds or fails on its own (perJobResults): it
  // fails when one of its deliveries failed, and its retry redoes only the unfinished ones.
  await boss.work<JobData["process-delivery"], unknown, { pollingIntervalSeconds: number; batchSize: number; localConcurrency: number; includeMetadata: true; perJobResults: true; burstWhenBatchFull: true }>(
    QUEUES.processDelivery,
    { ...polling, batchSize: DELIVERY_JOBS_PER_FETCH, localConcurrency: 2, includeMetadata: true, perJobResults: true, burstWhenBatchFull: true },
    async (jobs) => {
      const results = await processDeliveries(deps, jobs.flatMap((j) => deliveryIdsOf(j.data)));
      return Promise.all(
        jobs.map(async (job) => {
          const failed = deliveryIdsOf(job.data).flatMap((id) => {
            const r = results.get(id);
            return r instanceof Error ? [{ id, message: r.message }] : [];
          });
          if (!failed.length) return { id: job.id, status: "completed" as const, output: { deliveries: deliveryIdsOf(job.data).length } };
          const message = failed.map((f) => `delivery ${f.id}: ${f.message}`).join("; ");
          log.warn("process-delivery failed", { deliveryIds: failed.map((f) => f.id), attempt: job.retryCount, error: message });
          if (job.retryCount >= job.retryLimit) {
            for (const f of failed) await markDeliveryFailed(deps.db, f.id, f.message).catch(() => {});
          }
          return { id: job.id, status: "failed" as const, output: { message } };
        }),
      );
    },
  );
  const labelDeps: LabelDeps = deps;
  const labelJobDeps: LabelDeps = { ...deps, carrierFor: withCarrierSlots((id) => deps.carrierFor(id), CARRIER_CONCURRENCY) };
  await boss.work<JobData["create-label"]>(
    QUEUES.createLabel,
    { ...polling, batchSize: 1, localConcurrency: LABEL_JOB_CONCURRENCY, includeMetadata: true, burstWhenReadyExceeds: 1 },
    async ([job]) => {
      if (!job) return;
      const meta = job as typeof job & { retryCount: number; retryLimit: number };
      return { outcome: await processLabelRequest(labelJobDeps, job.data.labelRequestId, { finalAttempt: meta.retryCount >= meta.retryLimit }) };
    },
  );
  await boss.work<JobData["write-back"]>(
    QUEUES.writeBack,
    // A bulk "Label aanmaken" leaves hundreds of write-backs ready: fetch the next at once instead of after a polling
    // interval per job (4 workers × 0.5 s capped it at 8 a second, below what Shopify's bucket allows). A write-back
    // is mostly waiting (a dozen database round trips, one Shopify call): WRITE_BACK_CONCURRENCY of them at once keep
    // up with Shopify's 10 fulfillmentCreate a second (Standard plan) on a busy machine; the adapter paces the calls.
    { ...polling, batchSize: 1, localConcurrency: WRITE_BACK_CONCURRENCY, includeMetadata: true, burstWhenReadyExceeds: 1 },
    async ([job]) => {
      if (!job) return;
      const meta = job as typeof job & { retryCount: number; retryLimit: number };
      return { outcome: await writeBackShipment(labelDeps, job.data.shipmentId, { finalAttempt: meta.retryCount >= meta.retryLimit }) };
    },
  );
  await boss.work<JobData["send-tracking-mail"]>(
    QUEUES.sendTrackingMail,
    { ...polling, batchSize: 1, localConcurrency: 2, includeMetadata: true },
    async ([job]) => {
      if (!job) return;
      const meta = job as typeof job & { retryCount: number; retryLimit: number };
      return { outcome: await sendTrackingMail(labelDeps, job.data.shipmentId, { finalAttempt: meta.retryCount >= meta.retryLimit }) };
    },
  );
  await boss.work<JobData["redact-shop"]>(QUEUES.redactShop, { ...polling, batchSize: 1, localConcurrency: 1 }, async ([job]) => {
    if (!job) return;
    return { outcome: await redactIfStillUninstalled(deps, job.data.shopId, job.data.uninstalledAt) };
  });
  await boss.work<JobData["apply-carrier-webhook"]>(QUEUES.applyCarrierWebhook, { ...polling, batchSize: 1, localConcurrency: 2 }, async ([job]) => {
    if (!job) return;
    return { outcome: await applyCarrierWebhook(labelDeps, job.data.carrierWebhookId) };
  });
  // One call at a time against the carrier's track & trace (its limits are unpublished): see poll.server.ts.
  await boss.work<JobData["poll-parcels"]>(QUEUES.pollParcels, { ...polling, batchSize: 1, localConcurrency: 1 }, async ([job]) => {
    if (!job) return;
    return pollParcels(labelDeps);
  });
  await boss.work<JobData["sync-shop"]>(QUEUES.syncShop, { ...polling, batchSize: 1, localConcurrency: 2 }, async ([job]) => {
    if (!job) return;
    const shop = await getShop(deps.db, job.data.shopId);
    if (!shop) return { status: "skipped" };
    return syncShop({ db: deps.db, platform: deps.platformFor(shop.platform), clock: deps.clock, encryptionKey: deps.encryptionKey }, shop.id);
  });
}
