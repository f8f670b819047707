// pg-boss workers: thin wrappers that call the core use cases.
import type { PgBoss } from "pg-boss";
import type { Db } from "../db/client.server";
import type { Clock, PlatformId, ShopPlatform } from "../core/ports";
import { markDeliveryFailed, processDelivery } from "../core/deliveries.server";
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

export async function registerWorkers(boss: PgBoss, deps: WorkerDeps, opts: { pollingIntervalSeconds?: number } = {}) {
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 };
  await boss.work<JobData["process-delivery"]>(
    QUEUES.processDelivery,
    { ...polling, batchSize: 1, localConcurrency: 4, includeMetadata: true },
    async ([job]) => {
      if (!job) return;
      const meta = job as typeof job & { retryCount: number; retryLimit: number };
      try {
        return { outcome: await processDelivery(deps, job.data.deliveryId) };
      } catch (e) {
        const err = e as Error;
        log.warn("process-delivery failed", { deliveryId: job.data.deliveryId, attempt: meta.retryCount, error: err.message });
        if (meta.retryCount >= meta.retryLimit) await markDeliveryFailed(deps.db, job.data.deliveryId, err.message);
        throw e;
      }
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
