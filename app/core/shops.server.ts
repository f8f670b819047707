// Shops: the tenant of every row. Every query below is scoped by shop id or (platform, domain).
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client.server";
import { shops, type FromAddress, type PlatformId, type ShopSettings } from "../db/schema";
import type { JobQueue } from "./job-queue";
import type { PlatformCapabilities } from "./ports";
import { logActivity } from "./activity.server";

export type Shop = typeof shops.$inferSelect;

export const DEFAULT_IMPORT_FINANCIAL_STATUSES = ["paid"] as const;

export function importFinancialStatuses(shop: Pick<Shop, "settings">): string[] {
  const s = shop.settings?.importFinancialStatuses;
  return s && s.length ? s : [...DEFAULT_IMPORT_FINANCIAL_STATUSES];
}

/** Whether the shop imports the platform's test orders ("Testbestellingen importeren", off unless switched on). */
export function importsTestOrders(shop: Pick<Shop, "settings">): boolean {
  return shop.settings?.importTestOrders === true;
}

/** What the import does with the shop's test orders: its setting, unless its platform never imports them. */
export function testOrderImport(shop: Pick<Shop, "settings">, capabilities: Pick<PlatformCapabilities, "testOrders">): { importTestOrders: boolean; neverTestOrders: boolean } {
  const never = capabilities.testOrders === "never";
  return { importTestOrders: !never && importsTestOrders(shop), neverTestOrders: never };
}

export function syncIntervalMinutes(shop: Pick<Shop, "settings">, fallback: number): number {
  return shop.settings?.syncIntervalMinutes ?? fallback;
}

/**
 * An install — Shopify's token exchange, later the CCV Shop handshake or the Mijnwebwinkel connect — and nothing else:
 * the one way a shop row is created, or an uninstalled shop comes back (clears uninstalledAt). Webhooks and syncs only
 * find shops (findInstalledShop), so a late webhook cannot revive an uninstalled shop or re-create a redacted one.
 * A reinstall also bumps the session version: cookies and download links from before the uninstall stay dead.
 */
export async function installShop(db: DbOrTx, platform: PlatformId, domain: string): Promise<Shop> {
  const [row] = await db
    .insert(shops)
    .values({ platform, domain })
    .onConflictDoUpdate({
      target: [shops.platform, shops.domain],
      set: { uninstalledAt: null, sessionVersion: reinstallSessionVersion, installedAt: reinstalledAt },
    })
    .returning();
  return row!;
}

/** SET value for installed_at: now when an uninstalled shop comes back (an uninstall received before it is stale). */
export const reinstalledAt = sql`case when ${shops.uninstalledAt} is null then ${shops.installedAt} else now() end`;

/** SET value for session_version: bumped when an uninstalled shop comes back (a reinstall), else unchanged. */
export const reinstallSessionVersion = sql`case when ${shops.uninstalledAt} is null then ${shops.sessionVersion} else ${shops.sessionVersion} + 1 end`;

/** SET value that revokes every cookie and download link of the shop. */
export const bumpedSessionVersion = sql`${shops.sessionVersion} + 1`;

/** "Overal uitloggen": every Koppel cookie and label download link of the shop stops working. */
export async function logOutEverywhere(db: Db, shopId: number): Promise<void> {
  await db.update(shops).set({ sessionVersion: bumpedSessionVersion }).where(eq(shops.id, shopId));
  await logActivity(db, { shopId, kind: "settings", source: "merchant", result: "ok", summary: "settings.logged_out_everywhere" });
}

export async function findShop(db: Db, platform: PlatformId, domain: string): Promise<Shop | undefined> {
  const [row] = await db.select().from(shops).where(and(eq(shops.platform, platform), eq(shops.domain, domain)));
  return row;
}

/** The shop for (platform, domain) while it is installed; undefined when unknown, uninstalled or redacted. */
export async function findInstalledShop(db: Db, platform: PlatformId, domain: string): Promise<Shop | undefined> {
  const shop = await findShop(db, platform, domain);
  return shop && !shop.uninstalledAt ? shop : undefined;
}

export async function getShop(db: Db, shopId: number): Promise<Shop | undefined> {
  const [row] = await db.select().from(shops).where(eq(shops.id, shopId));
  return row;
}

export async function listActiveShops(db: Db): Promise<Shop[]> {
  return db.select().from(shops).where(isNull(shops.uninstalledAt)).orderBy(shops.id);
}

/**
 * A shop that has never synced, or whose last sync is older than two intervals (a new install, a reinstall after the
 * uninstall stopped its schedule, a lost schedule): (re)start its schedule and sync once now. Both are idempotent
 * (the schedule is keyed by shop, the sync queue allows one queued sync per shop).
 */
export async function ensureSyncRunning(
  deps: { queue: Pick<JobQueue, "scheduleSync" | "send"> },
  shop: Pick<Shop, "id" | "lastSyncAt" | "settings">,
  defaultIntervalMinutes: number,
  now = new Date(),
): Promise<boolean> {
  const interval = syncIntervalMinutes(shop, defaultIntervalMinutes);
  if (shop.lastSyncAt && now.getTime() - shop.lastSyncAt.getTime() < 2 * interval * 60_000) return false;
  await deps.queue.scheduleSync(shop.id, interval);
  await deps.queue.send("sync-shop", { shopId: shop.id, reason: "install" }, { singletonKey: String(shop.id) });
  return true;
}

/** "Koppelen" / settings: store the default from address and log it. */
export async function saveFromAddress(db: Db, shopId: number, address: FromAddress, summary = "settings.from_address_saved"): Promise<void> {
  await db.update(shops).set({ fromAddress: address }).where(eq(shops.id, shopId));
  await logActivity(db, { shopId, kind: "settings", source: "merchant", result: "ok", summary });
}

/** Import settings: which financial states count as paid, and the sync interval (the schedule follows at once). */
export async function saveImportSettings(
  deps: { db: Db; queue: Pick<JobQueue, "scheduleSync"> },
  shopId: number,
  input: { importFinancialStatuses: string[]; syncIntervalMinutes: number; importTestOrders?: boolean },
): Promise<void> {
  await updateShopSettings(deps.db, shopId, input);
  await deps.queue.scheduleSync(shopId, input.syncIntervalMinutes);
  await logActivity(deps.db, { shopId, kind: "settings", source: "merchant", result: "ok", summary: "settings.import_saved", details: input });
}

export async function updateShopSettings(db: Db, shopId: number, patch: ShopSettings): Promise<void> {
  const shop = await getShop(db, shopId);
  if (!shop) throw new Error(`Shop ${shopId} not found`);
  await db.update(shops).set({ settings: { ...shop.settings, ...patch } }).where(eq(shops.id, shopId));
}
