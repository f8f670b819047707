// The CCV shop rows' own columns: which shop a webhook token or an api_public belongs to.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { shops } from "../../db/schema";
import type { Shop } from "../../core/shops.server";

/** The installed CCV shop whose webhook token has this SHA-256, by its domain; null when none (answered 404). */
export async function ccvShopDomainByTokenHash(db: Db, tokenHash: string): Promise<string | null> {
  const [row] = await db
    .select({ domain: shops.domain })
    .from(shops)
    .where(and(eq(shops.webhookTokenHash, tokenHash), eq(shops.platform, "ccvshop"), isNull(shops.uninstalledAt)));
  return row?.domain ?? null;
}

/** The CCV shop the App Store names by its api_public (install link, uninstall). */
export async function findCcvShopByApiPublic(db: Db, apiPublic: string): Promise<Shop | undefined> {
  const [row] = await db.select().from(shops).where(and(eq(shops.platform, "ccvshop"), eq(shops.platformKey, apiPublic)));
  return row;
}
