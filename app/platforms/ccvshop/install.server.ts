// CCV Shop's App Store install (contract §2, issue 10): the handshake (server to server, signed with the app's secret)
// brings the shop's API credentials; the signed install link opens "Mijn account" in the merchant's browser; "Koppelen"
// tells CCV the app is installed (GET /apps + PATCH /apps/{id}), registers the order webhooks and starts the sync;
// the uninstall call ends it. Every App Store call is verified with hex HMAC-SHA512(app secret, `URI|payload`), where
// URI is the exact address configured in CCV's Developer App Center: `${APP_URL}/ccvshop/handshake` and so on.
import { randomBytes } from "node:crypto";
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { shops, type FromAddress } from "../../db/schema";
import { connectShop } from "../../core/connect-shop";
import { ensureSyncRunning, findShop, saveFromAddress, type Shop } from "../../core/shops.server";
import { REDACT_AFTER_UNINSTALL_SECONDS, uninstallShop } from "../../core/privacy.server";
import { logActivity } from "../../core/activity.server";
import type { JobQueue } from "../../core/job-queue";
import type { PlatformId, Result, ShopPlatform } from "../../core/ports";
import { shopAccess } from "../../core/shop-access";
import { parseJsonBody } from "../../core/text";
import { createCcvClient, isCcvApiError, type CcvClientDeps } from "./api-client.server";
import { ccvCredentialsOf, HandshakeBodySchema, parseApiRoot, type CcvCredentials } from "./credentials";
import { CCV_ORDER_EVENTS } from "./deliveries";
import { ccvHash, ccvHashMatches } from "./signing";
import { CCV_WEBHOOK_PREFIX, sha256Hex } from "./webhook-door.server";
import { findCcvShopByApiPublic } from "./shops.server";
import { z } from "zod";

export type CcvAppConfig = {
  /** Koppel's public base URL (APP_URL), without a trailing slash: the App Store signs the addresses under it. */
  appUrl: string;
  /** The app's secret key from CCV's Developer App Center (CCVSHOP_APP_SECRET). */
  appSecret: string;
  production: boolean;
};

export const CCV_APP_PATHS = { handshake: "/ccvshop/handshake", install: "/ccvshop/install", uninstall: "/ccvshop/uninstall" } as const;

const appUri = (config: CcvAppConfig, path: string) => `${config.appUrl.replace(/\/+$/, "")}${path}`;

/** The App Store's signature over one of Koppel's App Store addresses and a payload. */
export function appStoreHash(config: CcvAppConfig, path: string, payload: string): string {
  return ccvHash(config.appSecret, [appUri(config, path), payload]);
}

export type HandshakeResult = Result<Shop> & { status?: 400 | 401 };

/** POST /ccvshop/handshake: verified → the shop (created or revived) with its credentials stored encrypted. */
export async function receiveHandshake(
  deps: { db: Db; encryptionKey: string },
  config: CcvAppConfig,
  input: { rawBody: string; hash: string | null },
): Promise<HandshakeResult> {
  if (!ccvHashMatches(input.hash, appStoreHash(config, CCV_APP_PATHS.handshake, input.rawBody))) {
    return { ok: false, status: 401, reason: "The handshake's x-hash does not match" };
  }
  const json = parseJsonBody(input.rawBody);
  const body = json.ok ? HandshakeBodySchema.safeParse(json.value) : null;
  if (!body?.success) return { ok: false, status: 400, reason: "The handshake needs api_public, api_secret and api_root" };
  const root = parseApiRoot(body.data.api_root, { production: config.production });
  if (!root.ok) return { ok: false, status: 400, reason: root.reason };
  const credentials: CcvCredentials = {
    apiPublic: body.data.api_public,
    apiSecret: body.data.api_secret,
    apiRoot: root.origin,
    returnUrl: safeReturnUrl(body.data.return_url ?? null),
    language: body.data.language ?? null,
  };
  const connected = await connectShop(deps, { platform: "ccvshop", domain: root.host, credentials });
  if (!connected.ok) return { ...connected, status: 400 };
  // The install link and the uninstall name the shop by its api_public: it moves to this shop (a shop that changed
  // its address gets a new handshake with the same key).
  await deps.db.transaction(async (tx) => {
    await tx.update(shops).set({ platformKey: null }).where(and(eq(shops.platform, "ccvshop"), eq(shops.platformKey, credentials.apiPublic), ne(shops.id, connected.value.id)));
    await tx.update(shops).set({ platformKey: credentials.apiPublic }).where(eq(shops.id, connected.value.id));
  });
  return { ok: true, value: { ...connected.value, platformKey: credentials.apiPublic } };
}

/** Only an http(s) address is a place to send the merchant back to. */
function safeReturnUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/** GET /ccvshop/install?api_public&language&x-hash: the installed shop the link is for, or why not. */
export async function verifyInstallLink(db: Db, config: CcvAppConfig, query: URLSearchParams): Promise<Result<Shop>> {
  const apiPublic = query.get("api_public") ?? "";
  if (!apiPublic || !ccvHashMatches(query.get("x-hash"), appStoreHash(config, CCV_APP_PATHS.install, apiPublic))) {
    return { ok: false, reason: "install link not valid" };
  }
  const shop = await findCcvShopByApiPublic(db, apiPublic);
  if (!shop || shop.uninstalledAt || !shop.credentialsEncrypted) return { ok: false, reason: "install link for a shop that did not complete the handshake" };
  return { ok: true, value: shop };
}

/** The credentials Koppel holds for a CCV shop (decrypted for the call). */
export function ccvCredentialsOfShop(shop: Shop, encryptionKey: string): Result<CcvCredentials> {
  return ccvCredentialsOf(shopAccess(shop, encryptionKey).credentials);
}

export type FinishInstallDeps = {
  db: Db;
  queue: Pick<JobQueue, "scheduleSync" | "send">;
  encryptionKey: string;
  syncIntervalMinutes: number;
  client?: CcvClientDeps;
};

/** A fresh webhook token: 32 random bytes, URL-safe. Only its SHA-256 is stored. */
export function newWebhookToken(): string {
  return randomBytes(32).toString("base64url");
}

const AppsSchema = z.object({ items: z.array(z.object({ id: z.union([z.number(), z.string()]).transform(String) }).passthrough()) });
const WebhooksSchema = z.object({ items: z.array(z.object({ id: z.union([z.number(), z.string()]).transform(String), address: z.string().nullish() }).passthrough()) });

/**
 * "Koppelen" for a CCV shop, after its from address validated: tell CCV the app is installed, register the order
 * webhooks at a new per-shop token address (replacing Koppel's earlier ones), then store the address and start the
 * sync. A CCV call that fails leaves the shop not connected, with CCV's reason.
 */
export async function finishCcvInstall(deps: FinishInstallDeps, config: CcvAppConfig, shop: Shop, address: FromAddress): Promise<Result<{ returnUrl: string | null }>> {
  const creds = ccvCredentialsOfShop(shop, deps.encryptionKey);
  if (!creds.ok) return creds;
  const client = createCcvClient(creds.value, { ...deps.client });
  const token = newWebhookToken();
  const webhookAddress = `${config.appUrl.replace(/\/+$/, "")}${CCV_WEBHOOK_PREFIX}/${token}`;
  try {
    const apps = AppsSchema.safeParse((await client.call({ method: "GET", resource: "apps", onBusy: "fail" })).body);
    const app = apps.success ? apps.data.items[0] : undefined;
    if (!app) return { ok: false, reason: "CCV Shop did not name this app (GET /apps)" };
    await client.call({ method: "PATCH", resource: `apps/${app.id}`, body: { is_installed: true }, onBusy: "fail" });
    // The new token is live before CCV can send to it; the old one dies here (its webhooks are removed below).
    await deps.db.update(shops).set({ webhookTokenHash: sha256Hex(token) }).where(eq(shops.id, shop.id));
    const existing = WebhooksSchema.safeParse((await client.call({ method: "GET", resource: "webhooks", query: { start: 0, size: 100 }, onBusy: "fail" })).body);
    for (const hook of existing.success ? existing.data.items : []) {
      if (hook.address?.startsWith(`${config.appUrl.replace(/\/+$/, "")}${CCV_WEBHOOK_PREFIX}/`)) {
        await client.call({ method: "DELETE", resource: `webhooks/${hook.id}`, onBusy: "fail" });
      }
    }
    for (const event of CCV_ORDER_EVENTS) {
      await client.call({ method: "POST", resource: "webhooks", body: { event, address: webhookAddress, is_active: true }, onBusy: "fail" });
    }
  } catch (e) {
    if (!isCcvApiError(e)) throw e;
    await logActivity(deps.db, { shopId: shop.id, kind: "install", source: "merchant", result: "failed", summary: "install.failed", reason: e.message });
    return { ok: false, reason: e.message };
  }
  await saveFromAddress(deps.db, shop.id, address, "install");
  const fresh = (await findShop(deps.db, "ccvshop", shop.domain)) ?? shop;
  await ensureSyncRunning({ queue: deps.queue }, { ...fresh, lastSyncAt: null }, deps.syncIntervalMinutes);
  return { ok: true, value: { returnUrl: creds.value.returnUrl } };
}

/**
 * POST /ccvshop/uninstall: verified → the shop's sync stops, its credentials and webhook token go at once, and — CCV
 * sends no later redact call like Shopify's shop/redact — everything else of the shop 48 hours later, unless it is
 * installed again before.
 */
export async function receiveUninstall(
  deps: { db: Db; queue: Pick<JobQueue, "unscheduleSync" | "send">; platformFor: (id: PlatformId) => ShopPlatform },
  config: CcvAppConfig,
  input: { rawBody: string; hash: string | null },
): Promise<Result<{ shopId: number | null }> & { status?: 400 | 401 }> {
  if (!ccvHashMatches(input.hash, appStoreHash(config, CCV_APP_PATHS.uninstall, input.rawBody))) {
    return { ok: false, status: 401, reason: "The uninstall's x-hash does not match" };
  }
  const json = parseJsonBody(input.rawBody);
  const body = json.ok ? z.object({ api_public: z.string().min(1) }).safeParse(json.value) : null;
  if (!body?.success) return { ok: false, status: 400, reason: "The uninstall needs api_public" };
  const shop = await findCcvShopByApiPublic(deps.db, body.data.api_public);
  if (!shop) return { ok: true, value: { shopId: null } }; // already gone: the App Store's retry is answered the same
  await deps.queue.unscheduleSync(shop.id);
  await uninstallShop(deps, "ccvshop", shop.domain);
  const [gone] = await deps.db.update(shops).set({ webhookTokenHash: null }).where(eq(shops.id, shop.id)).returning();
  if (gone?.uninstalledAt && !shop.uninstalledAt) {
    await deps.queue.send(
      "redact-shop",
      { shopId: shop.id, uninstalledAt: gone.uninstalledAt.toISOString() },
      { startAfterSeconds: REDACT_AFTER_UNINSTALL_SECONDS, singletonKey: `${shop.id}:${gone.uninstalledAt.toISOString()}` },
    );
  }
  return { ok: true, value: { shopId: shop.id } };
}
