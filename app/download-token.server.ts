// Short-lived, signed download links for label PDFs. Inside Shopify's admin a new tab (download / print) carries no
// session token, so the page hands out a link that names the shop and expires; the PDF route still scopes every id
// to that shop.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "./env.server";
import type { Locale } from "./i18n";

const Payload = z.object({ s: z.number().int().positive(), l: z.enum(["nl", "en"]), e: z.number().int() });

function mac(body: string): string {
  return createHmac("sha256", `${env.SESSION_SECRET}:label-download`).update(body).digest("base64url");
}

export function createDownloadToken(shopId: number, locale: Locale, ttlSeconds = 15 * 60, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ s: shopId, l: locale, e: Math.floor(now / 1000) + ttlSeconds })).toString("base64url");
  return `${body}.${mac(body)}`;
}

export function verifyDownloadToken(token: string, now = Date.now()): { shopId: number; locale: Locale } | null {
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
  return { shopId: p.data.s, locale: p.data.l };
}
