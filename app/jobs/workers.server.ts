// pg-boss workers: thin wrappers that call the core use cases.
import type { PgBoss } from "pg-boss";
import type { Db } from "../db/client.server";
import type { Clock, PlatformId, ShopPlatform } from "../core/ports";
import { markDeliveryFailed, processDeliveries } from "../core/deliveries.server";
import { syncShop } from "../core/sync.server";
import { getShop } from "../core/shops.server";
import { QUEUES, type JobData, type JobQueue } from "./queue.server";
import { log } from "../log.server";
import { processLabelRequest, writeBackShipment, type LabelDeps } from "../core/labels.server";

export type WorkerDeps = { db: Db; queue: JobQueue; platformFor: (id: PlatformId) => ShopPlatform; clock: Clock } & Partial<
  Pick<LabelDeps, "carrierFor" | "encryptionKey" | "sleep">
>;

/** How many carrier calls one process makes at once (the carrier's rate limit is unconfirmed; be polite). */
export const CARRIER_CONCURRENCY = 8;

/** process-delivery jobs per fetch (imported together); two fetchers, so two batches run at once. */
export const DELIVERY_BATCH_SIZE = 100;

export async function registerWorkers(boss: PgBoss, deps: WorkerDeps, opts: { pollingIntervalSeconds?: number } = {}) {
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 };
  // Deliveries come in bursts (a bulk edit in the shop admin fires thousands of webhooks): fetch them in batches and
  // keep fetching while batches come back full (pg-boss otherwise waits a polling interval after every job). A batch is
  // imported together (processDeliveries: a few statements per shop instead of a few per order); each job still
  // succeeds or fails on its own (perJobResults), with the queue's retries as before.
  await boss.work<JobData["process-delivery"], unknown, { pollingIntervalSeconds: number; batchSize: number; localConcurrency: number; includeMetadata: true; perJobResults: true; burstWhenBatchFull: true }>(
    QUEUES.processDelivery,
    { ...polling, batchSize: DELIVERY_BATCH_SIZE, localConcurrency: 4, includeMetadata: true, perJobResults: true, burstWhenBatchFull: true },
    async (jobs) => {
      const results = await processDeliveries(deps, jobs.map((j) => j.data.deliveryId));
      return Promise.all(
        jobs.map(async (job) => {
          const r = results.get(job.data.deliveryId)!;
          if (!(r instanceof Error)) return { id: job.id, status: "completed" as const, output: { outcome: r } };
          log.warn("process-delivery failed", { deliveryId: job.data.deliveryId, attempt: job.retryCount, error: r.message });
          if (job.retryCount >= job.retryLimit) await markDeliveryFailed(deps.db, job.data.deliveryId, r.message).catch(() => {});
          return { id: job.id, status: "failed" as const, output: { message: r.message } };
        }),
      );
    },
  );
  if (deps.carrierFor && deps.encryptionKey) {
    const labelDeps: LabelDeps = { ...deps, carrierFor: deps.carrierFor, encryptionKey: deps.encryptionKey };
    await boss.work<JobData["create-label"]>(
      QUEUES.createLabel,
      { ...polling, batchSize: 1, localConcurrency: CARRIER_CONCURRENCY, includeMetadata: true },
      async ([job]) => {
        if (!job) return;
        const meta = job as typeof job & { retryCount: number; retryLimit: number };
        return { outcome: await processLabelRequest(labelDeps, job.data.labelRequestId, { finalAttempt: meta.retryCount >= meta.retryLimit }) };
      },
    );
    await boss.work<JobData["write-back"]>(
      QUEUES.writeBack,
      { ...polling, batchSize: 1, localConcurrency: 4, includeMetadata: true },
      async ([job]) => {
        if (!job) return;
        const meta = job as typeof job & { retryCount: number; retryLimit: number };
        return { outcome: await writeBackShipment(labelDeps, job.data.shipmentId, { finalAttempt: meta.retryCount >= meta.retryLimit }) };
      },
    );
  }
  await boss.work<JobData["sync-shop"]>(QUEUES.syncShop, { ...polling, batchSize: 1, localConcurrency: 2 }, async ([job]) => {
    if (!job) return;
    const shop = await getShop(deps.db, job.data.shopId);
    if (!shop) return { status: "skipped" };
    return syncShop({ db: deps.db, platform: deps.platformFor(shop.platform), clock: deps.clock }, shop.id);
  });
}
