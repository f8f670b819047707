// The process runtime: database (migrated), pg-boss, adapters. Built once per process, on first use or at boot.
import type { PgBoss } from "pg-boss";
import { env } from "./env.server";
import { database } from "./db.server";
import { migrateDatabase, type Database, type Db } from "./db/client.server";
import { createBoss, ensureQueues, jobQueueFor, scheduleParcelPoll, type JobQueue } from "./jobs/queue.server";
import { registerWorkers } from "./jobs/workers.server";
import { platformFor } from "./platforms/registry.server";
import { carrierFor } from "./carriers/registry.server";
import { systemClock, type Carrier, type CarrierId, type Clock, type PlatformId, type ShopPlatform } from "./core/ports";
import type { LabelDeps } from "./core/labels/deps";
import { listActiveShops, syncIntervalMinutes } from "./core/shops.server";
import { log } from "./log.server";
import { DeliveryInbox } from "./core/deliveries.server";
import type { Mailer } from "./core/mail/ports";
import { smtpMailer } from "./mail/smtp.server";

export type Runtime = {
  database: Database;
  db: Db;
  boss: PgBoss;
  queue: JobQueue;
  /** Webhook deliveries are stored through this (group commit). */
  inbox: DeliveryInbox;
  platformFor: (id: PlatformId) => ShopPlatform;
  carrierFor: (id: CarrierId) => Carrier;
  encryptionKey: string;
  /** Koppel's own track & trace e-mail, through each shop's SMTP server. */
  mailer: Mailer;
  clock: Clock;
  stop(): Promise<void>;
};

/** What label use cases need, from the runtime. */
export const labelDeps = (rt: Runtime): LabelDeps => rt;

declare global {
  var __koppelRuntime: Promise<Runtime> | undefined;
}

async function start(opts: { workers: boolean }): Promise<Runtime> {
  await migrateDatabase(database);
  const boss = createBoss(database);
  boss.on("error", (e: Error) => log.error("pg-boss error", { error: e.message }));
  await boss.start();
  await ensureQueues(boss);
  const queue = jobQueueFor(boss);
  const runtime: Runtime = {
    database,
    db: database.db,
    boss,
    queue,
    inbox: new DeliveryInbox(database.db, queue),
    platformFor,
    carrierFor,
    encryptionKey: env.ENCRYPTION_KEY,
    mailer: smtpMailer(),
    clock: systemClock,
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
  if (opts.workers) {
    await registerWorkers(boss, runtime);
    await scheduleParcelPoll(boss);
    for (const shop of await listActiveShops(runtime.db)) {
      await queue.scheduleSync(shop.id, syncIntervalMinutes(shop, env.SYNC_INTERVAL_MINUTES));
    }
  }
  log.info("runtime started", { database: database.kind, workers: opts.workers });
  return runtime;
}

/** The runtime; the first caller decides whether this process also runs workers (web server: yes by default). */
export function getRuntime(opts: { workers?: boolean } = {}): Promise<Runtime> {
  return (globalThis.__koppelRuntime ??= start({ workers: opts.workers ?? env.workers }));
}
