// Picks the adapter for a platform. Exhaustive: adding a platform to PLATFORMS fails to compile until it is handled here.
import type { PlatformId, ShopPlatform } from "../core/ports";
import { sessionStorage, SHOPIFY_API_VERSION } from "../shopify.server";
import { createShopifyPlatform } from "./shopify/adapter.server";
import { createSessionGraphqlTransport } from "./shopify/graphql-transport.server";
import { sessionHousekeeping } from "./shopify/sessions.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { log } from "../log.server";
import type { WebhookDoor } from "./webhook-door";
import { shopifyWebhookDoor } from "./shopify/webhook-door.server";
import { createCcvShopPlatform } from "./ccvshop/adapter.server";
import { createCcvWebhookDoor } from "./ccvshop/webhook-door.server";
import { ccvShopDomainByTokenHash } from "./ccvshop/shops.server";
import { ccvCredentialsOfShop, finishCcvInstall, type CcvAppConfig } from "./ccvshop/install.server";
import { createMijnwebwinkelPlatform } from "./mijnwebwinkel/adapter.server";
import { DEFAULT_MWW_API_URL, type MwwApiConfig } from "./mijnwebwinkel/api-client.server";
import { finishMwwSetup } from "./mijnwebwinkel/connect.server";
import { loadMwwSettings } from "./mijnwebwinkel/settings.server";
import { pgMwwOrderMemory } from "./mijnwebwinkel/order-memory.server";
import { saveFromAddress, type Shop } from "../core/shops.server";
import type { FromAddress } from "../core/domain";
import type { Result } from "../core/ports";
import type { Runtime } from "../runtime.server";

let shopifyPlatform: ReturnType<typeof createShopifyPlatform> | undefined;

export function shopifyAdapter() {
  return (shopifyPlatform ??= createShopifyPlatform({
    transport: createSessionGraphqlTransport({
      apiVersion: SHOPIFY_API_VERSION,
      // Offline session id is "offline_{shop}" (@shopify/shopify-api session.getOfflineId).
      loadOfflineSession: (shop: string) => sessionStorage.loadSession(`offline_${shop}`),
    }),
    sessions: sessionHousekeeping(db),
  }));
}

let ccvShopPlatform: ReturnType<typeof createCcvShopPlatform> | undefined;

export function ccvShopAdapter() {
  return (ccvShopPlatform ??= createCcvShopPlatform({ log: (event, meta) => log.warn(event, meta) }));
}

// Kept on globalThis like the carrier registry: the server's modules and the Remix build are two module instances.
declare global {
  var __koppelMwwApi: MwwApiConfig | null | undefined;
}

/**
 * Point the Mijnwebwinkel adapter at another API (the demo's or a test's fake), or back to the environment with null.
 * A MIJNWEBWINKEL_API_URL set in the environment always wins over the demo's fake (the demo passes `{ demo: true }`).
 */
export function configureMijnwebwinkelApi(config: MwwApiConfig | null, opts: { demo?: boolean } = {}): void {
  globalThis.__koppelMwwApi = opts.demo && env.MIJNWEBWINKEL_API_URL ? null : config;
}

/** Base URL and partner token the adapter calls with now. */
export function mijnwebwinkelApiConfig(): MwwApiConfig {
  return globalThis.__koppelMwwApi ?? { apiUrl: env.MIJNWEBWINKEL_API_URL ?? DEFAULT_MWW_API_URL, partnerToken: env.MIJNWEBWINKEL_PARTNER_TOKEN };
}

let mijnwebwinkelPlatform: ReturnType<typeof createMijnwebwinkelPlatform> | undefined;

export function mijnwebwinkelAdapter() {
  return (mijnwebwinkelPlatform ??= createMijnwebwinkelPlatform({
    config: mijnwebwinkelApiConfig,
    settingsOf: (shopId) => loadMwwSettings(db, shopId),
    memory: pgMwwOrderMemory(() => db),
  }));
}

export function platformFor(id: PlatformId): ShopPlatform {
  switch (id) {
    case "shopify":
      return shopifyAdapter();
    case "ccvshop":
      return ccvShopAdapter();
    case "mijnwebwinkel":
      return mijnwebwinkelAdapter();
    default: {
      const unreachable: never = id;
      throw new Error(`Unknown platform ${String(unreachable)}`);
    }
  }
}

/**
 * Each platform's webhook door (app/webhook-route.server.ts serves them), or null for a platform that sends none.
 * Exhaustive like platformFor: a new platform fails to compile until it says.
 */
const WEBHOOK_DOORS: Record<PlatformId, WebhookDoor | null> = {
  shopify: shopifyWebhookDoor,
  ccvshop: createCcvWebhookDoor({ shopDomainByTokenHash: (hash) => ccvShopDomainByTokenHash(db, hash) }),
  mijnwebwinkel: null, // polled: no webhooks
};

/** The doors of the enabled platforms (KOPPEL_PLATFORMS): a platform that is not enabled gets no webhook path. */
export function enabledWebhookDoors(platforms: readonly PlatformId[] = env.platforms): WebhookDoor[] {
  return platforms.map((p) => WEBHOOK_DOORS[p]).filter((d): d is WebhookDoor => d !== null);
}

/** This installation serves Mijnwebwinkel (KOPPEL_PLATFORMS): its connect and login pages exist. */
export function mijnwebwinkelServed(): boolean {
  return env.platforms.includes("mijnwebwinkel");
}

/** What "Koppelen" needs of the runtime. */
export type SetupRuntime = Pick<Runtime, "db" | "queue" | "encryptionKey">;

/** The CCV App Store's view of Koppel: its public base URL and the app secret that signs the App Store's calls. */
export function ccvAppConfig(): CcvAppConfig {
  return { appUrl: env.APP_URL, appSecret: env.CCVSHOP_APP_SECRET, production: env.NODE_ENV === "production" };
}

/**
 * "Koppelen": what completes a platform's installation once the from address validated — Shopify and the form
 * platforms store it; CCV Shop first tells CCV the app is installed and registers its webhooks. Exhaustive.
 */
const SETUP_FINISHERS: Record<PlatformId, (rt: SetupRuntime, shop: Shop, address: FromAddress) => Promise<Result<{ returnUrl: string | null }>>> = {
  shopify: async (rt, shop, address) => {
    await saveFromAddress(rt.db, shop.id, address, "install");
    return { ok: true, value: { returnUrl: null } };
  },
  ccvshop: (rt, shop, address) => finishCcvInstall({ ...rt, syncIntervalMinutes: env.SYNC_INTERVAL_MINUTES }, ccvAppConfig(), shop, address),
  // Connected (token proven) on /mijnwebwinkel/connect; the setup step only stores the address and starts the poll.
  mijnwebwinkel: (rt, shop, address) => finishMwwSetup(rt, shop, address),
};

export function finishSetup(rt: SetupRuntime, shop: Shop, address: FromAddress) {
  return SETUP_FINISHERS[shop.platform](rt, shop, address);
}

/** Where the installation's completion page links back to the shop (CCV Shop's return_url), if anywhere. */
export function setupReturnUrl(shop: Shop, encryptionKey: string): string | null {
  if (shop.platform !== "ccvshop" || !shop.credentialsEncrypted) return null;
  const creds = ccvCredentialsOfShop(shop, encryptionKey);
  return creds.ok ? creds.value.returnUrl : null;
}
