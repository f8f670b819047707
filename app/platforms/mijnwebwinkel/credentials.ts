// What a Mijnwebwinkel merchant hands Koppel on the connect form, and what Koppel keeps of it (encrypted,
// shops.credentials_encrypted): the Shop-URL ({shop}.myonline.store, the shop's identity in Koppel) and the store's API
// token. The partner token is Koppel's own (MIJNWEBWINKEL_PARTNER_TOKEN), never per shop.
import { z } from "zod";

export const MwwCredentialsSchema = z.object({
  /** `{shop}.myonline.store`, lower case, no scheme or path (the shop's domain in Koppel). */
  shopUrl: z.string().min(1),
  apiToken: z.string().min(1),
});
export type MwwCredentials = z.infer<typeof MwwCredentialsSchema>;

/** The credentials of a ShopAccess (decrypted by the core), or why they cannot be used. */
export function mwwCredentialsOf(credentials: unknown): { ok: true; value: MwwCredentials } | { ok: false; reason: string } {
  const parsed = MwwCredentialsSchema.safeParse(credentials);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: "Mijnwebwinkel credentials are missing for this shop (connect the shop again with its API token)" };
}

/** "https://Koffie.myonline.store/" or "koffie.myonline.store" → "koffie.myonline.store"; anything else is refused. */
export function parseShopUrl(input: string): { ok: true; shopUrl: string } | { ok: false; reason: string } {
  let host = input.trim().toLowerCase();
  host = host.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.myonline\.store$/.test(host)) {
    return { ok: false, reason: "Shop-URL must look like jouwwinkel.myonline.store" };
  }
  return { ok: true, shopUrl: host };
}
