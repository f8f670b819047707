// "Connect a shop": the install of a platform that connects by handshake or form (CCV Shop's App Store handshake,
// Mijnwebwinkel's token form). The shop is created or revived through installShop (the one way in), and the
// platform's credentials are stored encrypted (AES-256-GCM, app/crypto.server.ts) in shops.credentials_encrypted;
// shopAccess (shop-access.ts) decrypts them for the adapter, only for the call. Shopify does not use this: its tokens
// live in its own session table, written by the library's token exchange. A reconnect with other credentials than the
// stored ones bumps the shop's session version: every cookie and download link from before stops working.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { shops, type PlatformId } from "../db/schema";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { bumpedSessionVersion, installShop, type Shop } from "./shops.server";
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
    const [before] = await tx.select().from(shops).where(and(eq(shops.platform, input.platform), eq(shops.domain, domain))).for("update");
    const installed = await installShop(tx, input.platform, domain);
    // New credentials for an installed shop (a new token, another key): whoever signed in with the old ones is signed
    // out (the session version bumps, as on a reinstall, which installShop does itself). The same ones again: nothing.
    const replaced = Boolean(before && !before.uninstalledAt && before.credentialsEncrypted && !holds(before.credentialsEncrypted, plaintext, deps.encryptionKey));
    const [row] = await tx
      .update(shops)
      .set({ credentialsEncrypted, ...(replaced ? { sessionVersion: bumpedSessionVersion } : {}) })
      .where(eq(shops.id, installed.id))
      .returning();
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

/** The envelope decrypts to exactly this plaintext (one that does not decrypt, e.g. under another key, does not). */
function holds(envelope: string, plaintext: string, encryptionKey: string): boolean {
  try {
    return decryptSecret(envelope, encryptionKey) === plaintext;
  } catch {
    return false;
  }
}
