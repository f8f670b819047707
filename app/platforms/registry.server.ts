// Picks the adapter for a platform. Exhaustive: adding a platform to PLATFORMS fails to compile until it is handled here.
import type { PlatformId, ShopPlatform } from "../core/ports";
import { sessionStorage, SHOPIFY_API_VERSION } from "../shopify.server";
import { createShopifyPlatform } from "./shopify/adapter.server";
import { createSessionGraphqlTransport } from "./shopify/graphql-transport.server";
import { sessionHousekeeping } from "./shopify/sessions.server";
import { db } from "../db.server";

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
