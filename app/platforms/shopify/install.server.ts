// Shopify's install: with managed installation there is no install callback; the library's token exchange (the first
// embedded load after an install or reinstall, when no valid offline token is stored) is the moment Shopify confirms
// the app is installed on the shop. Its afterAuth hook (shopify.server.ts) is the only place a Shopify shop is created
// or revived.
import type { Session } from "@shopify/shopify-api";
import type { Db } from "../../db/client.server";
import { installShop, type Shop } from "../../core/shops.server";
import { isShopifyShopDomain } from "./shop-domain";

export async function installShopifyShop(
  deps: { db: Db; sessionStorage: { deleteSession(id: string): Promise<boolean> } },
  session: Pick<Session, "id" | "shop">,
): Promise<Shop> {
  // The session token is signed, but its `dest` is still checked: a shop row is only ever a real myshopify.com shop
  // (the library's own check also lets through other Shopify domains, upper case, underscores and any length).
  if (!isShopifyShopDomain(session.shop)) {
    await deps.sessionStorage.deleteSession(session.id);
    throw new Response("Not a Shopify shop domain", { status: 400 });
  }
  return installShop(deps.db, "shopify", session.shop);
}
