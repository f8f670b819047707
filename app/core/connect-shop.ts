// "Connect a shop": the install of a platform that connects by handshake or form (CCV Shop's App Store handshake,
// Mijnwebwinkel's token form). The shop is created or revived through installShop (the one way in), and the
// platform's credentials are stored encrypted (AES-256-GCM, app/crypto.server.ts) in shops.credentials_encrypted;
// shopAccess (shop-access.ts) decrypts them for the adapter, only for the call. Shopify does not use this: its tokens
// live in its own session table, written by the library's token exchange.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { shops, type PlatformId } from "../db/schema";
import { encryptSecret } from "../crypto.server";
import { installShop, type Shop } from "./shops.server";
import { logActivity } from "./activity.server";
import type { Result } from "./ports";

export type ConnectShopInput = {
  platform: PlatformId;
  /** The platform's identity of the shop (CCV Shop's API host, Mijnwebwinkel's shop name): what its webhooks name. */
  domain: string;
  /** The shop's display name, when the platform tells it; kept in the activity entry. */
  name?: string | null;
  /** The platform's credentials in its own shape (keys, tokens): JSON, stored only encrypted. */
  credentials: unknown;
};

export type ConnectShopDeps = { db: Db; encryptionKey: string };

export async function connectShop(deps: ConnectShopDeps, input: ConnectShopInput): Promise<Result<Shop>> {
  const domain = typeof input.domain === "string" ? input.domain.trim() : "";
  if (!domain) return { ok: false, reason: "The shop's domain is missing" };
  if (input.credentials === undefined || input.credentials === null) return { ok: false, reason: "The shop's credentials are missing" };
  let plaintext: string;
  try {
    plaintext = JSON.stringify(input.credentials);
  } catch {
    // A BigInt or a cycle: say what, never the value.
    return { ok: false, reason: "The shop's credentials cannot be stored (not JSON)" };
  }
  const credentialsEncrypted = encryptSecret(plaintext, deps.encryptionKey);
  // One transaction: a revived shop never runs on the credentials of its previous install.
  const shop = await deps.db.transaction(async (tx) => {
    const installed = await installShop(tx, input.platform, domain);
    const [row] = await tx.update(shops).set({ credentialsEncrypted }).where(eq(shops.id, installed.id)).returning();
    await logActivity(tx, {
      shopId: installed.id,
      kind: "install",
      source: "merchant",
      result: "ok",
      summary: "install",
      details: { platform: input.platform, ...(input.name ? { name: input.name } : {}) },
    });
    return row!;
  });
  return { ok: true, value: shop };
}
