// The Shopify session table is the Shopify adapter's own: the core never touches it (it calls onUninstall/onRedact).
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { sessions } from "../../db/schema";

export type ShopifySessionHousekeeping = {
  /** The tokens die with the uninstall (template-remix PR #862). */
  deleteSessions(shopDomain: string): Promise<void>;
  setScopes(shopDomain: string, scopes: string[]): Promise<void>;
};

export function sessionHousekeeping(db: Db): ShopifySessionHousekeeping {
  return {
    async deleteSessions(shopDomain) {
      await db.delete(sessions).where(eq(sessions.shop, shopDomain));
    },
    async setScopes(shopDomain, scopes) {
      await db.update(sessions).set({ scope: scopes.join(",") }).where(eq(sessions.shop, shopDomain));
    },
  };
}
