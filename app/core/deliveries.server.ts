// Webhook deliveries: stored and enqueued before the platform gets its 200; processed by a job, safely more than once.
import { eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { rowsOf, withoutQueryText, type Db } from "../db/client.server";
import { bulkInsert } from "../db/bulk.server";
import { deliveries, type DeliveryOutcome, type PlatformId } from "../db/schema";
import type { JobQueue } from "./job-queue";
import type { DeliveryKind, ShopPlatform, StoredDelivery } from "./ports";
import { findInstalledShop, findShop, importFinancialStatuses, testOrderImport } from "./shops.server";
import { importOrders, type ImportResult } from "./import-order.server";
import { logActivities, type NewActivity } from "./activity.server";
import { recordDataRequest, redactCustomer, redactShop, uninstallShop } from "./privacy.server";
import { shopAccess } from "./shop-access";
import { log } from "../log.server";
import { fromJsonbText, toJsonb } from "./text";

export type IncomingDelivery = {
  platform: PlatformId;
  shopDomain: string;
  webhookId: string;
  eventId?: string | null;
  topic: string;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  /** Parsed JSON (integers above 2^53 as BigInt: app/core/text.ts parseJson), or the raw text when the body was refused. */
  payload: unknown;
  bodyIsJson: boolean;
  /** Why the body was refused (kept as text, answered 200, never processed); default "body is not valid JSON". */
  invalidReason?: string | null;
};

export type ReceiveResult = { status: "stored"; deliveryId: number } | { status: "duplicate" } | { status: "invalid"; deliveryId: number };

/** Insert the delivery and its job in one transaction: both stored or neither (then the route answers 5xx and the platform retries). */
export async function receiveDelivery(db: Db, queue: JobQueue, d: IncomingDelivery): Promise<ReceiveResult> {
  return (await receiveDeliveries(db, queue, [d]))[0]!;
}

const deliveryKey = (d: Pick<IncomingDelivery, "platform" | "webhookId">) => `${d.platform}\u0000${d.webhookId}`;

/**
 * Many deliveries and their job in one transaction (one INSERT of all rows, one job for all): all stored or none.
 * Results come back in input order; a webhook id seen twice (here or earlier) is stored once, the rest are duplicates.
 */
export async function receiveDeliveries(db: Db, queue: JobQueue, ds: readonly IncomingDelivery[]): Promise<ReceiveResult[]> {
  const firstOf = new Map<string, IncomingDelivery>();
  for (const d of ds) if (!firstOf.has(deliveryKey(d))) firstOf.set(deliveryKey(d), d);
  const unique = [...firstOf.values()];
  const stored = await db.transaction(async (tx) => {
    const rows = rowsOf<{ id: number | string; platform: PlatformId; webhook_id: string; outcome: DeliveryOutcome }>(
      await tx.execute(
        bulkInsert({
          table: deliveries,
          keys: ["platform", "shopDomain", "webhookId", "eventId", "topic", "apiVersion", "triggeredAt", "payload", "outcome", "reason", "processedAt"],
          rows: unique.map((d) => ({
            platform: d.platform,
            shopDomain: d.shopDomain,
            webhookId: d.webhookId,
            eventId: d.eventId ?? null,
            topic: d.topic,
            apiVersion: d.apiVersion ?? null,
            triggeredAt: d.triggeredAt ?? null,
            // Kept as received, escaped where PostgreSQL would refuse it (NUL, lone surrogates; app/core/text.ts).
            payload: toJsonb(d.payload),
            outcome: d.bodyIsJson ? "pending" : "invalid",
            reason: d.bodyIsJson ? null : (d.invalidReason ?? "body is not valid JSON"),
            processedAt: d.bodyIsJson ? null : new Date(),
          })),
          tail: sql`on conflict (platform, webhook_id) do nothing returning id, platform, webhook_id, outcome`,
        }),
      ),
    ).map((r) => ({ id: Number(r.id), platform: r.platform, webhookId: r.webhook_id, outcome: r.outcome }));
    // One job for the batch: the worker imports them together anyway, and a job row per delivery was ~40 % of the
    // database work of storing a webhook. Processing is per delivery and idempotent, so a retried job redoes only
    // the deliveries that are not finished.
    const deliveryIds = rows.filter((r) => r.outcome === "pending").map((r) => r.id);
    if (deliveryIds.length) await queue.send("process-delivery", { deliveryIds }, { tx: tx });
    return new Map(rows.map((r) => [deliveryKey(r), r]));
  });
  const answered = new Set<string>();
  return ds.map((d): ReceiveResult => {
    const key = deliveryKey(d);
    const row = stored.get(key);
    if (!row || answered.has(key)) return { status: "duplicate" };
    answered.add(key);
    return row.outcome === "pending" ? { status: "stored", deliveryId: row.id } : { status: "invalid", deliveryId: row.id };
  });
}

/**
 * Group commit for webhook deliveries: concurrent requests share one transaction instead of one each. A delivery is
 * answered only after the transaction holding it committed, so "200 = stored" still holds; while one batch commits,
 * the next one gathers (no timer, so a lone webhook is not delayed); up to three batches are in flight, so building
 * one overlaps another's round trips. If a batch fails, its deliveries are retried one by one, so one delivery
 * PostgreSQL refuses fails alone.
 */
export class DeliveryInbox {
  private waiting: { d: IncomingDelivery; resolve: (r: ReceiveResult) => void; reject: (e: unknown) => void }[] = [];
  private flushes = 0;
  private scheduled = false;
  /** Batches committed (and their sizes), for tests and benchmarks. */
  readonly stats = { batches: 0, deliveries: 0, largestBatch: 0 };

  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly opts: { maxBatch: number; maxConcurrentBatches: number; maxWaiting?: number } = {
      maxBatch: 200,
      maxConcurrentBatches: 3,
      maxWaiting: 1000,
    },
  ) {}

  receive(d: IncomingDelivery): Promise<ReceiveResult> {
    return new Promise((resolve, reject) => {
      // While the database hangs, batches stop committing and deliveries would pile up here with their payloads
      // (the sender got its 503 after the store timeout, and retries): past the cap they are refused at once.
      if (this.waiting.length >= (this.opts.maxWaiting ?? 1000)) return reject(new Error("too many webhook deliveries waiting to be stored"));
      this.waiting.push({ d, resolve, reject });
      if (!this.scheduled && this.flushes < this.opts.maxConcurrentBatches) {
        this.scheduled = true;
        // Let the requests already parsed in this tick join the batch.
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushes++;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.opts.maxBatch);
        await this.store(batch);
      }
    } finally {
      this.flushes--;
    }
  }

  private async store(batch: typeof this.waiting): Promise<void> {
    try {
      const results = await receiveDeliveries(this.db, this.queue, batch.map((w) => w.d));
      this.stats.batches++;
      this.stats.deliveries += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (batchError) {
      if (batch.length === 1) return batch[0]!.reject(batchError);
      await Promise.all(
        batch.map(async (w) => {
          try {
            w.resolve(await receiveDelivery(this.db, this.queue, w.d));
          } catch (e) {
            w.reject(e);
          }
        }),
      );
    }
  }
}

/**
 * Deliveries as stored, the payload read back as toJsonb was given it: jsonb read as text and parsed here, so integers
 * above 2^53 keep their digits (the driver's JSON.parse would round them) and the escaping is undone.
 */
const DELIVERY_COLUMNS = {
  ...getTableColumns(deliveries),
  payload: sql<unknown>`${deliveries.payload}::text`.mapWith((v: string | null) => fromJsonbText(v)),
};

export type ProcessDeps = {
  db: Db;
  queue: JobQueue;
  platformFor: (id: PlatformId) => ShopPlatform;
  /** Decrypts a shop's stored platform credentials for its adapter (shop-access.ts). */
  encryptionKey: string;
};

type DeliveryRow = typeof deliveries.$inferSelect;

const stored = (d: DeliveryRow): StoredDelivery => ({
  id: d.id,
  platform: d.platform,
  shopDomain: d.shopDomain,
  webhookId: d.webhookId,
  topic: d.topic,
  payload: d.payload,
});

function safeKindOf(deps: Pick<ProcessDeps, "platformFor">, d: DeliveryRow): DeliveryKind["kind"] | "unknown" {
  try {
    return kindOf(deps, d).kind;
  } catch {
    return "unknown";
  }
}

/** What the delivery is, in its platform's words (topics and payload shapes are the adapter's). */
function kindOf(deps: Pick<ProcessDeps, "platformFor">, d: DeliveryRow): DeliveryKind {
  return deps.platformFor(d.platform).classifyDelivery(stored(d));
}

async function finish(db: Db, id: number, outcome: DeliveryOutcome, reason: string | null = null) {
  await db.update(deliveries).set({ outcome, reason, processedAt: new Date() }).where(eq(deliveries.id, id));
}

/** The job: safe to run twice (a finished delivery is left alone; imports are upserts). */
export async function processDelivery(deps: ProcessDeps, deliveryId: number): Promise<DeliveryOutcome | "missing"> {
  const { db } = deps;
  const [d] = await db.select(DELIVERY_COLUMNS).from(deliveries).where(eq(deliveries.id, deliveryId));
  if (!d) return "missing";
  if (d.outcome !== "pending" && d.outcome !== "failed") return d.outcome;
  const kind = kindOf(deps, d);
  switch (kind.kind) {
    case "order":
      return (await importOrderDeliveries(deps, [d])).get(d.id)!;
    case "uninstall": {
      // Received before a reinstall (the queue was behind): that uninstall is over; it must not undo the new install.
      const current = await findShop(db, d.platform, d.shopDomain);
      if (current && !current.uninstalledAt && current.installedAt > d.receivedAt) {
        await finish(db, d.id, "skipped", "the shop was installed again after this uninstall");
        return "skipped";
      }
      const { shopId } = await uninstallShop(deps, d.platform, d.shopDomain);
      if (shopId) await deps.queue.unscheduleSync(shopId);
      break;
    }
    case "platform": {
      const applied = await deps.platformFor(d.platform).applyPlatformDelivery(stored(d));
      if (!applied.ok) {
        await finish(db, d.id, "invalid", applied.reason);
        return "invalid";
      }
      break;
    }
    case "privacy": {
      const request = kind.request;
      if (request.type === "shop_redact") {
        const { shopId } = await redactShop(deps, d.platform, d.shopDomain);
        if (shopId) await deps.queue.unscheduleSync(shopId);
        // The delivery row itself was deleted with everything else of that shop.
        return "done";
      }
      const ref = { email: request.customer.email ?? null, customerId: request.customer.customerId ?? null, platformOrderIds: request.customer.platformOrderIds ?? [] };
      if (request.type === "customer_redact") {
        await redactCustomer(deps, d.platform, d.shopDomain, ref);
        // The request itself names the customer: keep only that it happened.
        await db.update(deliveries).set({ payload: { redacted: true, orders: ref.platformOrderIds } }).where(eq(deliveries.id, d.id));
      } else await recordDataRequest(db, d.platform, d.shopDomain, ref, d.topic);
      break;
    }
    case "ignore":
      await finish(db, d.id, "skipped", kind.reason);
      return "skipped";
    case "invalid":
      await finish(db, d.id, "invalid", kind.reason);
      return "invalid";
    default: {
      const unreachable: never = kind;
      throw new Error(`Unknown delivery kind ${JSON.stringify(unreachable)}`);
    }
  }
  await finish(db, d.id, "done");
  return "done";
}

const IMPORT_CHUNK = 250;
/** A platform that fetches each order (its webhooks carry a summary) gets at most this many calls at once per shop. */
export const ORDER_FETCH_CONCURRENCY = 8;

/** fn over items, at most `limit` at a time, results in input order. */
async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
export type DeliveryResult = DeliveryOutcome | "missing" | Error;

/**
 * The process-delivery jobs of one fetch, together: the order webhooks of one shop are imported with importOrders (a
 * few statements for all of them instead of a few each). Other topics, and every delivery of a group that failed as a
 * whole, go one by one through processDelivery, so a bad delivery fails only its own job. Same outcomes as processing
 * them one after another in id (arrival) order.
 */
export async function processDeliveries(deps: ProcessDeps, deliveryIds: readonly number[]): Promise<Map<number, DeliveryResult>> {
  const ids = [...new Set(deliveryIds)].sort((a, b) => a - b);
  const out = new Map<number, DeliveryResult>();
  const rows = ids.length ? await deps.db.select(DELIVERY_COLUMNS).from(deliveries).where(inArray(deliveries.id, ids)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const oneByOne: number[] = [];
  const orderGroups = new Map<string, DeliveryRow[]>();
  for (const id of ids) {
    const d = byId.get(id);
    if (!d) out.set(id, "missing");
    else if (d.outcome !== "pending" && d.outcome !== "failed") out.set(id, d.outcome);
    else if (safeKindOf(deps, d) !== "order") oneByOne.push(id); // a classifier that throws fails that delivery alone
    else {
      const key = `${d.platform}\u0000${d.shopDomain}`;
      orderGroups.set(key, [...(orderGroups.get(key) ?? []), d]);
    }
  }
  for (const group of orderGroups.values()) {
    // Chunks keep each statement's parameters well under PostgreSQL's 65 535.
    for (let i = 0; i < group.length; i += IMPORT_CHUNK) {
      const chunk = group.slice(i, i + IMPORT_CHUNK);
      try {
        for (const [id, outcome] of await importOrderDeliveries(deps, chunk)) out.set(id, outcome);
      } catch {
        oneByOne.push(...chunk.map((d) => d.id));
      }
    }
  }
  await Promise.all(
    oneByOne.map(async (id) => {
      try {
        out.set(id, await processDelivery(deps, id));
      } catch (e) {
        out.set(id, withoutQueryText(e));
      }
    }),
  );
  return out;
}

function deliveryOutcomeOf(r: ImportResult): { outcome: DeliveryOutcome; reason: string | null } {
  if (r.outcome === "skipped") return { outcome: "skipped", reason: r.reason };
  if (r.outcome === "stale") return { outcome: "updated", reason: "older than stored order" };
  return { outcome: r.outcome, reason: null };
}

/** Order webhooks of one shop (pending or failed, in id order) → orders, activity and delivery outcomes. */
async function importOrderDeliveries(deps: ProcessDeps, group: DeliveryRow[]): Promise<Map<number, DeliveryOutcome>> {
  const { db } = deps;
  const { platform, shopDomain } = group[0]!;
  // Only an install creates or revives a shop: a late webhook of an uninstalled or redacted shop (or one of a shop
  // that never installed) is dropped here rather than at receive, which stays one INSERT without a lookup.
  const shop = await findInstalledShop(db, platform, shopDomain);
  if (!shop) return dropDeliveries(db, group, "shop not installed");
  const adapter = deps.platformFor(platform);
  const access = shopAccess(shop, deps.encryptionKey);
  const finished: { id: number; outcome: DeliveryOutcome; reason: string | null }[] = [];
  const invalid: NewActivity[] = [];
  const valid: { id: number; order: Parameters<typeof importOrders>[2][number]["order"] }[] = [];
  // Parsed from the payload (Shopify) or fetched by the id it names (CCV Shop): the adapter knows which.
  const orders = await mapWithLimit(group, ORDER_FETCH_CONCURRENCY, (d) => adapter.orderFromDelivery(access, stored(d)));
  for (const [k, d] of group.entries()) {
    const parsed = orders[k]!;
    if (parsed.ok) valid.push({ id: d.id, order: parsed.value });
    else {
      finished.push({ id: d.id, outcome: "invalid", reason: parsed.reason });
      invalid.push({ shopId: shop.id, kind: "import", source: "webhook", result: "failed", summary: "import.invalid", reason: parsed.reason, details: { topic: d.topic, webhookId: d.webhookId } });
    }
  }
  const results = await importOrders(db, { shopId: shop.id, paidStatuses: importFinancialStatuses(shop), ...testOrderImport(shop, adapter.capabilities), source: "webhook" }, valid);
  results.forEach((r, k) => finished.push({ id: valid[k]!.id, ...deliveryOutcomeOf(r) }));
  await logActivities(db, invalid);
  await db.execute(sql`
    update ${deliveries} set outcome = v.outcome, reason = v.reason, processed_at = now()
    from (values ${sql.join(
      finished.map((f) => sql`(${f.id}::bigint, ${f.outcome}::text, ${f.reason}::text)`),
      sql`, `,
    )}) as v(id, outcome, reason)
    where ${deliveries.id} = v.id`);
  return new Map(finished.map((f) => [f.id, f.outcome]));
}

/**
 * Order webhooks Koppel must not keep: outcome skipped with the reason, and the payload (the customer's name, e-mail
 * and address) replaced by a stub, so nothing personal stays of a shop that is gone.
 */
async function dropDeliveries(db: Db, group: DeliveryRow[], reason: string): Promise<Map<number, DeliveryOutcome>> {
  const ids = group.map((d) => d.id);
  await db
    .update(deliveries)
    .set({ outcome: "skipped", reason, payload: { dropped: reason }, processedAt: new Date() })
    .where(inArray(deliveries.id, ids));
  log.info("order webhooks dropped", { platform: group[0]!.platform, shop: group[0]!.shopDomain, reason, deliveries: ids.length });
  return new Map(ids.map((id) => [id, "skipped" as const]));
}

/** Called when a job failed for good: the delivery shows why. */
export async function markDeliveryFailed(db: Db, deliveryId: number, reason: string) {
  await finish(db, deliveryId, "failed", reason);
}
