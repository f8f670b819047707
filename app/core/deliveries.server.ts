// Webhook deliveries: stored and enqueued before the platform gets its 200; processed by a job, safely more than once.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.server";
import { deliveries, type DeliveryOutcome, type PlatformId } from "../db/schema";
import type { JobQueue } from "../jobs/queue.server";
import type { ShopPlatform } from "./ports";
import { ensureShop, findShop, importFinancialStatuses } from "./shops.server";
import { importOrder } from "./import-order.server";
import { logActivity } from "./activity.server";
import { markUninstalled, recordDataRequest, redactCustomer, redactShop } from "./privacy.server";

export const ORDER_TOPICS = ["orders/create", "orders/paid", "orders/updated", "orders/cancelled", "orders/fulfilled"] as const;
export const APP_TOPICS = ["app/uninstalled", "app/scopes_update"] as const;
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export type IncomingDelivery = {
  platform: PlatformId;
  shopDomain: string;
  webhookId: string;
  eventId?: string | null;
  topic: string;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  /** Parsed JSON, or the raw text when the body was not JSON. */
  payload: unknown;
  bodyIsJson: boolean;
};

export type ReceiveResult = { status: "stored"; deliveryId: number } | { status: "duplicate" } | { status: "invalid"; deliveryId: number };

/** Insert the delivery and its job in one transaction: both stored or neither (then the route answers 5xx and the platform retries). */
export async function receiveDelivery(db: Db, queue: JobQueue, d: IncomingDelivery): Promise<ReceiveResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(deliveries)
      .values({
        platform: d.platform,
        shopDomain: d.shopDomain,
        webhookId: d.webhookId,
        eventId: d.eventId ?? null,
        topic: d.topic,
        apiVersion: d.apiVersion ?? null,
        triggeredAt: d.triggeredAt ?? null,
        payload: d.payload as object,
        outcome: d.bodyIsJson ? "pending" : "invalid",
        reason: d.bodyIsJson ? null : "body is not valid JSON",
        processedAt: d.bodyIsJson ? null : new Date(),
      })
      .onConflictDoNothing({ target: [deliveries.platform, deliveries.webhookId] })
      .returning({ id: deliveries.id });
    if (!row) return { status: "duplicate" } as const;
    if (!d.bodyIsJson) return { status: "invalid", deliveryId: row.id } as const;
    await queue.send("process-delivery", { deliveryId: row.id }, { tx: tx as unknown as Db });
    return { status: "stored", deliveryId: row.id } as const;
  });
}

const CompliancePayload = z.object({
  shop_domain: z.string().optional(),
  customer: z.object({ id: z.union([z.number(), z.string()]).nullish(), email: z.string().nullish() }).nullish(),
  orders_to_redact: z.array(z.union([z.number(), z.string()])).nullish(),
  orders_requested: z.array(z.union([z.number(), z.string()])).nullish(),
});
const ScopesPayload = z.object({ current: z.array(z.string()) });

export type ProcessDeps = {
  db: Db;
  queue: JobQueue;
  platformFor: (id: PlatformId) => ShopPlatform;
};

async function finish(db: Db, id: number, outcome: DeliveryOutcome, reason: string | null = null) {
  await db.update(deliveries).set({ outcome, reason, processedAt: new Date() }).where(eq(deliveries.id, id));
}

/** The job: safe to run twice (a finished delivery is left alone; imports are upserts). */
export async function processDelivery(deps: ProcessDeps, deliveryId: number): Promise<DeliveryOutcome | "missing"> {
  const { db } = deps;
  const [d] = await db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
  if (!d) return "missing";
  if (d.outcome !== "pending" && d.outcome !== "failed") return d.outcome;
  const topic = d.topic;

  if ((ORDER_TOPICS as readonly string[]).includes(topic)) {
    // Read first: ensureShop's upsert rewrites (and row-locks) the shop row, which made every import of a shop wait for
    // the previous one's commit. It is only needed when the shop is new or was uninstalled (the upsert re-activates it).
    const known = await findShop(db, d.platform, d.shopDomain);
    const shop = known && !known.uninstalledAt ? known : await ensureShop(db, d.platform, d.shopDomain);
    const parsed = deps.platformFor(d.platform).parseOrderWebhook(d.payload);
    if (!parsed.ok) {
      await finish(db, d.id, "invalid", parsed.reason);
      await logActivity(db, { shopId: shop.id, kind: "import", source: "webhook", result: "failed", summary: "import.invalid", reason: parsed.reason, details: { topic, webhookId: d.webhookId } });
      return "invalid";
    }
    const r = await importOrder(db, { shopId: shop.id, paidStatuses: importFinancialStatuses(shop), order: parsed.value, source: "webhook" });
    const outcome: DeliveryOutcome = r.outcome === "imported" ? "imported" : r.outcome === "skipped" ? "skipped" : "updated";
    await finish(db, d.id, outcome, r.outcome === "skipped" ? r.reason : r.outcome === "stale" ? "older than stored order" : null);
    return outcome;
  }

  switch (topic) {
    case "app/uninstalled": {
      const { shopId } = await markUninstalled(db, d.platform, d.shopDomain);
      if (shopId) await deps.queue.unscheduleSync(shopId);
      break;
    }
    case "app/scopes_update": {
      const p = ScopesPayload.safeParse(d.payload);
      if (!p.success) {
        await finish(db, d.id, "invalid", p.error.message);
        return "invalid";
      }
      await db.execute(sql`update "session" set scope = ${p.data.current.join(",")} where shop = ${d.shopDomain}`);
      break;
    }
    case "customers/redact":
    case "customers/data_request": {
      const p = CompliancePayload.safeParse(d.payload);
      if (!p.success) {
        await finish(db, d.id, "invalid", p.error.message);
        return "invalid";
      }
      const ref = {
        email: p.data.customer?.email ?? null,
        customerId: p.data.customer?.id != null ? String(p.data.customer.id) : null,
        platformOrderIds: (topic === "customers/redact" ? p.data.orders_to_redact : p.data.orders_requested)?.map(String) ?? [],
      };
      if (topic === "customers/redact") {
        await redactCustomer(db, d.platform, d.shopDomain, ref);
        // The request itself names the customer: keep only that it happened.
        await db.update(deliveries).set({ payload: { redacted: true, orders: ref.platformOrderIds } }).where(eq(deliveries.id, d.id));
      } else await recordDataRequest(db, d.platform, d.shopDomain, ref);
      break;
    }
    case "shop/redact": {
      const { shopId } = await redactShop(db, d.platform, d.shopDomain);
      if (shopId) await deps.queue.unscheduleSync(shopId);
      // The delivery row itself was deleted with everything else of that shop.
      return "done";
    }
    default:
      await finish(db, d.id, "skipped", `topic ${topic} is not handled`);
      return "skipped";
  }
  await finish(db, d.id, "done");
  return "done";
}

/** Called when a job failed for good: the delivery shows why. */
export async function markDeliveryFailed(db: Db, deliveryId: number, reason: string) {
  await finish(db, deliveryId, "failed", reason);
}
