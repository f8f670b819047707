// GDPR requests (what a platform's compliance webhooks ask, classified by its adapter) and uninstall.
// The platform's own clean-up (Shopify: its session table) is its adapter's onUninstall / onRedact.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { deliveries, orders, privacyRequests, shipments, shops, type PlatformId, type ShipTo } from "../db/schema";
import { bumpedSessionVersion, findShop, getShop } from "./shops.server";
import { logActivity } from "./activity.server";
import type { CustomerRef, PayloadMatch, ShopPlatform } from "./ports";

export type { CustomerRef };

type PrivacyDeps = { db: Db; platformFor: (id: PlatformId) => ShopPlatform };

function customerOrdersWhere(shopId: number, ref: CustomerRef) {
  const conds = [];
  if (ref.email) conds.push(sql`lower(${orders.email}) = ${ref.email.toLowerCase()}`);
  if (ref.platformOrderIds?.length) conds.push(inArray(orders.platformOrderId, ref.platformOrderIds));
  if (ref.customerId) conds.push(eq(orders.platformCustomerId, ref.customerId));
  if (!conds.length) return undefined;
  return and(eq(orders.shopId, shopId), or(...conds));
}

/** customers/redact: remove the customer's personal data from imported orders; the order itself (number, status) stays. */
export async function redactCustomer(deps: PrivacyDeps, platform: PlatformId, shopDomain: string, ref: CustomerRef): Promise<number> {
  const { db } = deps;
  const adapter = deps.platformFor(platform);
  const shop = await findShop(db, platform, shopDomain);
  let count = 0;
  if (shop) {
    const where = customerOrdersWhere(shop.id, ref);
    if (where) {
      const scrubbed = await db
        .update(orders)
        .set({
          customerName: null,
          email: null,
          // The customer id links the order to the person as much as the e-mail does: it goes too (a later request for
          // the same customer then finds nothing, which is what is left of them).
          platformCustomerId: null,
          company: null,
          shipTo: sql`case when ${orders.shipTo} is null then null else jsonb_build_object('country', ${orders.shipTo}->>'country') end` as unknown as ShipTo,
          // The merchant's correction of the ship-to ("Adres aanpassen") is the customer's address too.
          shipToCorrected: null,
          shipToCorrectedAt: null,
          billTo: null,
          shipPostcode: null,
          shipCity: null,
          // Merchants' tags may name the customer ("VIP Jansen").
          tags: [],
          raw: null,
          searchText: sql`lower(${orders.number})`,
          redactedAt: new Date(),
        })
        .where(where)
        .returning({ id: orders.id, platformOrderId: orders.platformOrderId });
      count = scrubbed.length;
      // The address Koppel's track & trace e-mail went to is the customer's e-mail too.
      if (scrubbed.length) await db.update(shipments).set({ mailedTo: null }).where(inArray(shipments.orderId, scrubbed.map((r) => r.id)));
      const ids = [...new Set([...(ref.platformOrderIds ?? []), ...scrubbed.map((r) => r.platformOrderId)])];
      await scrubDeliveries(db, platform, shopDomain, adapter.deliveryMentions({ ...ref, platformOrderIds: ids }));
      await logActivity(db, { shopId: shop.id, kind: "privacy", source: "webhook", result: "ok", summary: "privacy.customer_redacted", details: { orders: count } });
    }
  } else {
    await scrubDeliveries(db, platform, shopDomain, adapter.deliveryMentions(ref));
  }
  await scrubDataRequests(db, platform, shopDomain, ref);
  return count;
}

/**
 * An earlier data request of the same customer holds what Koppel held then (names, e-mail, addresses in `findings`):
 * it goes too; the row stays to show the request was answered.
 */
async function scrubDataRequests(db: Db, platform: PlatformId, shopDomain: string, ref: CustomerRef) {
  const conds = [];
  if (ref.email) conds.push(sql`lower(${privacyRequests.customerEmail}) = ${ref.email.toLowerCase()}`);
  if (ref.customerId) conds.push(eq(privacyRequests.customerId, ref.customerId));
  if (!conds.length) return;
  await db
    .update(privacyRequests)
    .set({ customerEmail: null, customerId: null, findings: { redacted: true } })
    .where(and(eq(privacyRequests.platform, platform), eq(privacyRequests.shopDomain, shopDomain), or(...conds)));
}

/** Deliveries whose payload mentions the customer, where their platform says it would (ShopPlatform.deliveryMentions). */
async function scrubDeliveries(db: Db, platform: PlatformId, shopDomain: string, mentions: PayloadMatch[]) {
  const conds = mentions
    .filter((m) => m.path.length && m.values.length)
    .map((m) => {
      const text = sql`${deliveries.payload} #>> ${sql.param([...m.path])}::text[]`;
      return m.caseInsensitive
        ? sql`lower(${text}) = any(${sql.param(m.values.map((v) => v.toLowerCase()))}::text[])`
        : sql`${text} = any(${sql.param([...m.values])}::text[])`;
    });
  if (!conds.length) return;
  await db
    .update(deliveries)
    .set({ payload: null, reason: sql`coalesce(${deliveries.reason}, '') || ' [redacted]'` })
    .where(and(eq(deliveries.platform, platform), eq(deliveries.shopDomain, shopDomain), or(...conds)));
}

/** customers/data_request: record it, and what Koppel holds for that customer, for the merchant to hand over. */
export async function recordDataRequest(
  db: Db,
  platform: PlatformId,
  shopDomain: string,
  ref: CustomerRef,
  /** The request as its platform named it (kept for the record; the platform's word, e.g. Shopify's topic). */
  topic: string,
): Promise<{ requestId: number; orders: number }> {
  const shop = await findShop(db, platform, shopDomain);
  const where = shop ? customerOrdersWhere(shop.id, ref) : undefined;
  const held = where
    ? await db
        .select({
          number: orders.number,
          placedAt: orders.placedAt,
          customerName: orders.customerName,
          email: orders.email,
          shipTo: orders.shipTo,
          shipToCorrected: orders.shipToCorrected,
          status: orders.status,
        })
        .from(orders)
        .where(where)
    : [];
  const [row] = await db
    .insert(privacyRequests)
    .values({
      shopDomain,
      platform,
      topic,
      customerEmail: ref.email ?? null,
      customerId: ref.customerId ?? null,
      ordersRequested: ref.platformOrderIds ?? [],
      findings: { orders: held },
      completedAt: new Date(),
    })
    .returning({ id: privacyRequests.id });
  if (shop) {
    await logActivity(db, { shopId: shop.id, kind: "privacy", source: "webhook", result: "ok", summary: "privacy.data_request", details: { orders: held.length, requestId: row!.id } });
  }
  return { requestId: row!.id, orders: held.length };
}

/** shop/redact (48 h after uninstall): every row of that shop goes, and the platform's own (tokens, sessions). */
export async function redactShop(deps: PrivacyDeps, platform: PlatformId, shopDomain: string): Promise<{ shopId: number | null }> {
  const { db } = deps;
  const shop = await findShop(db, platform, shopDomain);
  await db.transaction(async (tx) => {
    if (shop) await tx.delete(shops).where(eq(shops.id, shop.id)); // cascades to orders and activity
    await tx.delete(deliveries).where(and(eq(deliveries.platform, platform), eq(deliveries.shopDomain, shopDomain)));
    await tx.delete(privacyRequests).where(and(eq(privacyRequests.platform, platform), eq(privacyRequests.shopDomain, shopDomain)));
  });
  await deps.platformFor(platform).onRedact({ platform, domain: shopDomain });
  return { shopId: shop?.id ?? null };
}

/** Like Shopify's shop/redact, 48 hours after the uninstall, for platforms that send none (CCV Shop). */
export const REDACT_AFTER_UNINSTALL_SECONDS = 48 * 60 * 60;

/**
 * The delayed redact of a platform without its own: everything of the shop goes, unless it was installed again since
 * (a reinstall clears uninstalled_at, or a later uninstall has its own job).
 */
export async function redactIfStillUninstalled(deps: PrivacyDeps, shopId: number, uninstalledAt: string): Promise<"redacted" | "kept"> {
  const shop = await getShop(deps.db, shopId);
  if (!shop?.uninstalledAt || shop.uninstalledAt.toISOString() !== uninstalledAt) return "kept";
  await redactShop(deps, shop.platform, shop.domain);
  return "redacted";
}

/** The shop uninstalled the app: its platform drops the tokens at once, and Koppel stops work for it (markUninstalled). */
export async function uninstallShop(deps: PrivacyDeps, platform: PlatformId, shopDomain: string): Promise<{ shopId: number | null }> {
  await deps.platformFor(platform).onUninstall({ platform, domain: shopDomain });
  return markUninstalled(deps.db, platform, shopDomain);
}

/** Uninstalled: stop work for the shop but keep its data until it is redacted. Idempotent. */
export async function markUninstalled(db: Db, platform: PlatformId, shopDomain: string): Promise<{ shopId: number | null }> {
  const shop = await findShop(db, platform, shopDomain);
  if (!shop) return { shopId: null };
  if (shop.uninstalledAt) return { shopId: shop.id }; // the route and the job both call this: log once
  // The session version bump revokes Koppel's cookies and download links for the shop.
  // The platform credentials Koppel kept for the shop die with the uninstall too (a reinstall or reconnect brings new).
  await db.update(shops).set({ uninstalledAt: new Date(), sessionVersion: bumpedSessionVersion, credentialsEncrypted: null }).where(eq(shops.id, shop.id));
  await logActivity(db, { shopId: shop.id, kind: "uninstall", source: "webhook", result: "ok", summary: "uninstall" });
  return { shopId: shop.id };
}
