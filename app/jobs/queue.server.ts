// Background work on pg-boss: PostgreSQL's SKIP LOCKED queue, so more workers on more machines just work.
// Embedded mode runs pg-boss in-process on the same PGlite instance (https://pgboss.io/database-backends).
import { PgBoss, fromDrizzle, fromPglite } from "pg-boss";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.server";

import { QUEUES, type JobQueue } from "../core/job-queue";

export { QUEUES };
export type { JobData, JobQueue, QueueName } from "../core/job-queue";

// Retry with exponential backoff; after the last try the job stays in pg-boss as `failed` (kept 14 days), visible in
// `npm run koppel -- jobs --failed`.
// A worker that dies (SIGKILL, OOM, a lost machine) leaves its jobs `active`. heartbeatSeconds: the worker touches its
// active jobs every half of it, and the supervisor retries one whose heartbeat stopped; expireInSeconds bounds a
// handler that is alive but stuck (the worker fails it, the supervisor retries it). pg-boss's default expiry is
// 900 s, which kept a dead worker's deliveries pending for 15 minutes.
export const QUEUE_OPTIONS = {
  // A batch of deliveries takes milliseconds to a few seconds (a failed batch is redone one by one).
  [QUEUES.processDelivery]: { retryLimit: 8, retryDelay: 2, retryBackoff: true, retryDelayMax: 600, heartbeatSeconds: 10, expireInSeconds: 60, deleteAfterSeconds: 7 * 86400 },
  // stately: at most one queued and one running sync per shop (singletonKey = shop id). A sync of a large shop under
  // Shopify's throttle takes minutes, hence the long expiry; a dead one is caught by its heartbeat. Its retry goes on
  // from the stored cursor.
  [QUEUES.syncShop]: { policy: "stately", retryLimit: 3, retryDelay: 30, retryBackoff: true, heartbeatSeconds: 30, expireInSeconds: 900, deleteAfterSeconds: 86400 },
  // Carrier 5xx / 429 / timeouts: retried with backoff (the request reconciles first, so a retry never buys twice).
  // expireInSeconds: a worker killed mid-job hands the job to another after 2 minutes; the request then reconciles
  // with the carrier before any new call (a carrier call times out after 20 s).
  [QUEUES.createLabel]: { retryLimit: 6, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 120, deleteAfterSeconds: 7 * 86400 },
  // A write-back that can never succeed (the order is gone from the shop, a refusal that is not marked final) must reach
  // "mislukt" with "Opnieuw" within minutes, not after hours of silent retries: 6 retries, at most a minute apart, end
  // within ~4 minutes (retryScheduleSeconds). Throttling never gets here (the Shopify adapter waits for its bucket).
  [QUEUES.writeBack]: { retryLimit: 6, retryDelay: 5, retryBackoff: true, retryDelayMax: 60, expireInSeconds: 120, deleteAfterSeconds: 7 * 86400 },
  // An SMTP server that is down or answers 4xx: retried with backoff. The e-mail is marked "sending" before each SMTP
  // call, so a job handed over after a crash never sends a second one (it marks the shipment "unknown").
  [QUEUES.sendTrackingMail]: { retryLimit: 6, retryDelay: 30, retryBackoff: true, retryDelayMax: 1800, expireInSeconds: 120, deleteAfterSeconds: 7 * 86400 },
  // Deletes one shop's rows (cascade): seconds. Kept a week, like the other jobs, in case one needs a look.
  [QUEUES.redactShop]: { retryLimit: 8, retryDelay: 60, retryBackoff: true, expireInSeconds: 300, deleteAfterSeconds: 7 * 86400 },
  // Applying a stored label update: a few statements.
  [QUEUES.applyCarrierWebhook]: { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 60, deleteAfterSeconds: 7 * 86400 },
  // stately: one poll queued and one running at most; a failed run is not retried (the next one comes).
  [QUEUES.pollParcels]: { policy: "stately", retryLimit: 0, expireInSeconds: 1800, heartbeatSeconds: 30, deleteAfterSeconds: 86400 },
} as const;

/**
 * The longest and shortest waits between a job's first failure and its last attempt, as pg-boss computes them
 * (plans.js: retry n waits min(retryDelayMax, retryDelay · 2^n · (1 + random)) with backoff, retryDelay without).
 */
export function retryScheduleSeconds(o: { retryLimit: number; retryDelay: number; retryBackoff?: boolean; retryDelayMax?: number }): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (let n = 0; n < o.retryLimit; n++) {
    if (!o.retryBackoff) {
      min += o.retryDelay;
      max += o.retryDelay;
      continue;
    }
    const base = Math.max(o.retryDelay, 1) * 2 ** Math.min(16, n + 1) / 2;
    const cap = o.retryDelayMax ?? Infinity;
    min += Math.min(cap, base);
    max += Math.min(cap, 2 * base);
  }
  return { min, max };
}

/** Cron of the parcel poll (app/core/parcels/poll.server.ts): every 30 minutes. */
export const PARCEL_POLL_CRON = "*/30 * * * *";

/** One schedule for the whole deployment (pg-boss keeps one per queue and key, whichever process sets it). */
export async function scheduleParcelPoll(boss: PgBoss): Promise<void> {
  await boss.schedule(QUEUES.pollParcels, PARCEL_POLL_CRON, {}, { key: "all", singletonKey: "all" });
}

/**
 * How often pg-boss's supervisor looks for active jobs whose heartbeat stopped or whose expiry passed (both default to
 * 60 s). With the heartbeats above, a dead worker's delivery is retried within about 10 + 15 + 2 s (heartbeat, this
 * pass, retry delay). Each pass also refreshes the queue counters: one indexed aggregate per pass and deployment.
 */
export const SUPERVISE_INTERVAL_SECONDS = 15;

export function createBoss(database: Database): PgBoss {
  const supervise = { superviseIntervalSeconds: SUPERVISE_INTERVAL_SECONDS, monitorIntervalSeconds: SUPERVISE_INTERVAL_SECONDS };
  const boss =
    database.kind === "postgres"
      ? new PgBoss({ connectionString: database.url, max: 4, application_name: "koppel-jobs", ...supervise })
      : new PgBoss({ db: fromPglite(database.pglite), backend: "pglite", ...supervise });
  return boss;
}

export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const [name, options] of Object.entries(QUEUE_OPTIONS)) {
    const existing = await boss.getQueue(name);
    if (!existing) await boss.createQueue(name, options);
    else {
      // Retry/expiry settings follow the code; the policy of an existing queue cannot change.
      const { policy: _policy, ...updatable } = options as typeof options & { policy?: string };
      await boss.updateQueue(name, updatable);
    }
  }
}

/** Cron for "every N minutes"; N that does not divide 60 falls back to the nearest divisor so runs stay evenly spaced. */
export function cronEvery(minutes: number): string {
  if (minutes >= 60) return `0 */${Math.min(24, Math.round(minutes / 60))} * * *`;
  const divisors = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
  const n = divisors.reduce((best, d) => (Math.abs(d - minutes) < Math.abs(best - minutes) ? d : best), 1);
  return n === 1 ? "* * * * *" : `*/${n} * * * *`;
}

export function jobQueueFor(boss: PgBoss): JobQueue {
  return {
    async send(queue, data, opts) {
      return boss.send(queue, data as object, {
        ...(opts?.singletonKey ? { singletonKey: opts.singletonKey } : {}),
        ...(opts?.startAfterSeconds ? { startAfter: opts.startAfterSeconds } : {}),
        ...(opts?.tx ? { db: fromDrizzle(opts.tx as unknown as Parameters<typeof fromDrizzle>[0], sql) } : {}),
      });
    },
    async scheduleSync(shopId, everyMinutes) {
      await boss.schedule(QUEUES.syncShop, cronEvery(everyMinutes), { shopId, reason: "schedule" }, {
        key: String(shopId),
        singletonKey: String(shopId),
        missed: "once",
      });
    },
    async unscheduleSync(shopId) {
      await boss.unschedule(QUEUES.syncShop, String(shopId));
    },
  };
}
