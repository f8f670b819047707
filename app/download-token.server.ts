// Short-lived, signed download links for label PDFs. Inside Shopify's admin a new tab (download / print) carries no
// session token, so the page hands out a link that names the shop and expires; the PDF route still scopes every id
// to that shop. The link also carries the shop's session version, so uninstall, reinstall and "log out everywhere"
// revoke it like a cookie.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "./env.server";
import type { Db } from "./db/client.server";
import { getShop, type Shop } from "./core/shops.server";
import type { Locale } from "./i18n";

const Payload = z.object({ s: z.number().int().positive(), v: z.number().int(), l: z.enum(["nl", "en"]), e: z.number().int() });

function mac(body: string): string {
  return createHmac("sha256", `${env.SESSION_SECRET}:label-download`).update(body).digest("base64url");
}

export function createDownloadToken(
  shop: Pick<Shop, "id" | "sessionVersion">,
  locale: Locale,
  ttlSeconds = 15 * 60,
  now = Date.now(),
): string {
  const payload = { s: shop.id, v: shop.sessionVersion, l: locale, e: Math.floor(now / 1000) + ttlSeconds };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${mac(body)}`;
}

/** The signature and expiry only; `resolveDownloadToken` also checks the shop's current session version. */
export function verifyDownloadToken(token: string, now = Date.now()): { shopId: number; sessionVersion: number; locale: Locale } | null {
  const [body, sig] = token.split(".");
  if (!body || !sig || body.length > 200) return null;
  const expected = Buffer.from(mac(body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const p = Payload.safeParse(payload);
  if (!p.success || p.data.e * 1000 < now) return null;
  return { shopId: p.data.s, sessionVersion: p.data.v, locale: p.data.l };
}

/** A valid, unexpired link of an installed shop whose session version it still carries; else null. */
export async function resolveDownloadToken(db: Db, token: string, now = Date.now()): Promise<{ shopId: number; locale: Locale } | null> {
  const claim = verifyDownloadToken(token, now);
  if (!claim) return null;
  const shop = await getShop(db, claim.shopId);
  if (!shop || shop.uninstalledAt || shop.sessionVersion !== claim.sessionVersion) return null;
  return { shopId: shop.id, locale: claim.locale };
}
