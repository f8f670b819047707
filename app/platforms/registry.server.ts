// Picks the adapter for a platform. Exhaustive: adding a platform to PLATFORMS fails to compile until it is handled here.
import type { PlatformId, ShopPlatform } from "../core/ports";
import { sessionStorage, SHOPIFY_API_VERSION } from "../shopify.server";
import { createShopifyPlatform } from "./shopify/adapter.server";
import { createSessionGraphqlTransport } from "./shopify/graphql-transport.server";
import { sessionHousekeeping } from "./shopify/sessions.server";
import { db } from "../db.server";
import { env } from "../env.server";
import type { WebhookDoor } from "./webhook-door";
import { shopifyWebhookDoor } from "./shopify/webhook-door.server";

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

export function platformFor(id: PlatformId): ShopPlatform {
  switch (id) {
    case "shopify":
      return shopifyAdapter();
    case "ccvshop":
    case "mijnwebwinkel":
      throw new Error(`Platform ${id} is not available yet`);
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
  ccvshop: null, // its door comes with its adapter
  mijnwebwinkel: null, // polled: no webhooks
};

/** The doors of the enabled platforms (KOPPEL_PLATFORMS): a platform that is not enabled gets no webhook path. */
export function enabledWebhookDoors(platforms: readonly PlatformId[] = env.platforms): WebhookDoor[] {
  return platforms.map((p) => WEBHOOK_DOORS[p]).filter((d): d is WebhookDoor => d !== null);
}
