// Who is asking: the one place a route learns its shop. Inside Shopify Admin the library authenticates the request
// (session token); CCV Shop, Mijnwebwinkel and the demo use Koppel's own signed cookie holding the shop id.
import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { env } from "./env.server";
import { db } from "./db.server";
import { authenticate, sessionStorage } from "./shopify.server";
import { ensureSyncRunning, findInstalledShop, getShop, updateShopSettings, type Shop } from "./core/shops.server";
import { isShopifyShopDomain } from "./platforms/shopify/shop-domain";
import { getRuntime } from "./runtime.server";
import type { PlatformId } from "./db/schema";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale, type Locale } from "./i18n";

export type Merchant = {
  shopId: number;
  platform: PlatformId;
  domain: string;
  locale: Locale;
  embedded: boolean;
  shop: Shop;
  /** Set-Cookie value to send back when the cookie session changed (e.g. a new `locale`); the app layout sends it. */
  setCookie?: string;
};

/**
 * `v` is the shop's session_version when the cookie was made: uninstall, reinstall and "log out everywhere" bump it,
 * which revokes every cookie made before. `iat` (seconds) bounds a cookie's life server-side, whatever the browser keeps.
 */
type SessionData = { shopId: number; v: number; iat: number; locale?: Locale };

export const MERCHANT_COOKIE_NAME = "__koppel_session";
export const MERCHANT_SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

const storage = createCookieSessionStorage<SessionData>({
  cookie: {
    name: MERCHANT_COOKIE_NAME,
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    path: "/",
    maxAge: MERCHANT_SESSION_MAX_AGE_SECONDS,
    secrets: [env.SESSION_SECRET],
  },
});

/** Set-Cookie header value that signs the merchant of `shopId` in (demo login, CCV Shop / Mijnwebwinkel install). */
export async function createMerchantCookieSession(shopId: number, opts: { locale?: Locale; now?: number } = {}): Promise<string> {
  if (!Number.isSafeInteger(shopId) || shopId <= 0) throw new Error(`Invalid shop id ${shopId}`);
  const shop = await getShop(db, shopId);
  if (!shop) throw new Error(`Shop ${shopId} not found`);
  const session = await storage.getSession();
  session.set("shopId", shopId);
  session.set("v", shop.sessionVersion);
  session.set("iat", Math.floor((opts.now ?? Date.now()) / 1000));
  if (opts.locale) session.set("locale", opts.locale);
  return storage.commitSession(session);
}

/** Set-Cookie header value that signs the merchant out. */
export async function destroyMerchantCookieSession(request: Request): Promise<string> {
  const session = await storage.getSession(request.headers.get("Cookie"));
  return storage.destroySession(session);
}

/** True when the request comes from Shopify Admin (first load with its query params, or App Bridge's fetch). */
export function isShopifyRequest(request: Request): boolean {
  const url = new URL(request.url);
  if (["id_token", "shop", "host", "embedded"].some((p) => url.searchParams.has(p))) return true;
  return /^Bearer\s+\S/i.test(request.headers.get("Authorization") ?? "");
}

/** The merchant behind the request, or a thrown 401 / redirect to /login-required. */
export async function requireMerchant(request: Request): Promise<Merchant> {
  return isShopifyRequest(request) ? shopifyMerchant(request) : cookieMerchant(request);
}

async function shopifyMerchant(request: Request): Promise<Merchant> {
  // Throws the library's own responses (bounce page, 401 with retry header, redirects) when not authenticated. A token
  // exchange in there (install, reinstall) creates or revives the shop: afterAuth in shopify.server.ts.
  let { session } = await authenticate.admin(request);
  if (!isShopifyShopDomain(session.shop)) throw new Response("Not a Shopify shop domain", { status: 400 });
  let shop = await findInstalledShop(db, "shopify", session.shop);
  if (!shop) {
    // A stored token without an installed shop is stale (it outlived app/uninstalled by a moment): drop it, so the
    // library exchanges the session token again. Only Shopify accepting that exchange counts as an install.
    await sessionStorage.deleteSession(session.id);
    ({ session } = await authenticate.admin(request));
    shop = await findInstalledShop(db, "shopify", session.shop);
    if (!shop) throw unauthenticated(request);
  }
  // Shopify passes the admin's language as ?locale=… on the first load; later fetches do not, so keep it on the shop.
  const fromQuery = parseLocale(new URL(request.url).searchParams.get("locale"));
  if (fromQuery && fromQuery !== shop.settings?.locale) {
    await updateShopSettings(db, shop.id, { locale: fromQuery });
    shop = { ...shop, settings: { ...shop.settings, locale: fromQuery } };
  }
  const locale =
    fromQuery ??
    shop.settings?.locale ??
    parseLocale(session.onlineAccessInfo?.associated_user?.locale) ??
    localeFromAcceptLanguage(request.headers.get("Accept-Language")) ??
    DEFAULT_LOCALE;
  // Managed install has no install callback: the first authenticated load starts the shop's periodic sync.
  await ensureSyncRunning(await getRuntime(), shop, env.SYNC_INTERVAL_MINUTES);
  return { shopId: shop.id, platform: shop.platform, domain: shop.domain, locale, embedded: true, shop };
}

async function cookieMerchant(request: Request): Promise<Merchant> {
  const session = await storage.getSession(request.headers.get("Cookie"));
  const shopId = session.get("shopId");
  const shop = typeof shopId === "number" && Number.isSafeInteger(shopId) && shopId > 0 ? await getShop(db, shopId) : undefined;
  if (!shop || shop.uninstalledAt || !cookieIsCurrent(session.get("v"), session.get("iat"), shop)) throw unauthenticated(request);

  const fromQuery = parseLocale(new URL(request.url).searchParams.get("locale"));
  const remembered = parseLocale(session.get("locale"));
  let setCookie: string | undefined;
  if (fromQuery && fromQuery !== remembered) {
    session.set("locale", fromQuery);
    setCookie = await storage.commitSession(session);
  }
  const locale = fromQuery ?? remembered ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
  return {
    shopId: shop.id,
    platform: shop.platform,
    domain: shop.domain,
    locale,
    embedded: false,
    shop,
    ...(setCookie ? { setCookie } : {}),
  };
}

/** Made for the shop's current session version, and not older than the max age (a clock skew of a minute allowed). */
function cookieIsCurrent(version: unknown, issuedAt: unknown, shop: Shop, now = Date.now()): boolean {
  if (version !== shop.sessionVersion || typeof issuedAt !== "number" || !Number.isFinite(issuedAt)) return false;
  const ageSeconds = now / 1000 - issuedAt;
  return ageSeconds >= -60 && ageSeconds <= MERCHANT_SESSION_MAX_AGE_SECONDS;
}

/** A page load in the browser goes to the explanation page; data requests and API calls get a plain 401. */
function unauthenticated(request: Request): Response {
  const accept = request.headers.get("Accept") ?? "";
  const url = new URL(request.url);
  const isDocument = request.method === "GET" && accept.includes("text/html") && !url.pathname.endsWith(".data");
  if (isDocument) return redirect("/login-required");
  return new Response("Unauthorized", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
