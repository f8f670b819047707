// A shop as its platform adapter gets it (ShopAccess): who it is, and the credentials Koppel keeps for it, decrypted
// only here, only for the call. Shopify keeps its tokens in its own session table (the adapter loads them);
// CCV Shop and Mijnwebwinkel keep theirs in shops.credentials_encrypted (AES-256-GCM, see connect-shop.ts).
import type { Shop } from "./shops.server";
import type { ShopAccess } from "./ports";
import { decryptSecret } from "../crypto.server";

export function shopAccess(shop: Pick<Shop, "id" | "platform" | "domain" | "credentialsEncrypted">, encryptionKey: string): ShopAccess {
  let credentials: unknown = null;
  if (shop.credentialsEncrypted) {
    try {
      credentials = JSON.parse(decryptSecret(shop.credentialsEncrypted, encryptionKey));
    } catch {
      // Never the secret itself in the message.
      throw new Error(`The stored credentials of shop ${shop.id} cannot be decrypted with this ENCRYPTION_KEY`);
    }
  }
  return { shopId: shop.id, platform: shop.platform, domain: shop.domain, credentials };
}
