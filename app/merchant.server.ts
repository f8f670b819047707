// Who is asking: the one place a route learns its shop. One strategy per platform (merchant-strategy.server.ts):
// inside Shopify's admin the library authenticates the request (session token); CCV Shop, Mijnwebwinkel and the demo
// use Koppel's own signed cookie holding the shop id, the strategy asked last.
import { createCookieSessionStorage } from "@remix-run/node";
import { env } from "./env.server";
import { db } from "./db.server";
import { getShop, type Shop } from "./core/shops.server";
import type { PlatformId } from "./core/ports";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale, type Locale } from "./i18n";
import { unauthenticated, type Merchant, type MerchantStrategy } from "./merchant-strategy.server";
import { shopifyMerchantStrategy } from "./platforms/shopify/merchant-strategy.server";

export type { Merchant, MerchantStrategy };

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

/**
 * Each platform's own sign-in, or null: its merchants (and the demo's) use Koppel's signed cookie, which its install
 * (handshake, form, demo login) sets with createMerchantCookieSession. Exhaustive: a new platform must say which.
 */
const PLATFORM_STRATEGIES: Record<PlatformId, MerchantStrategy | null> = {
  shopify: shopifyMerchantStrategy,
  ccvshop: null,
  mijnwebwinkel: null,
};

/** The strategies for these platforms, in the order they are asked: the platforms' own, Koppel's cookie last. */
export function merchantStrategies(platforms: readonly PlatformId[]): MerchantStrategy[] {
  const own = platforms.map((p) => PLATFORM_STRATEGIES[p]).filter((s): s is MerchantStrategy => s !== null);
  return [...own, cookieStrategy];
}

/** requireMerchant for these platforms (the app's is for KOPPEL_PLATFORMS): the first strategy that claims the request decides. */
export function merchantRequirement(strategies: readonly MerchantStrategy[]): (request: Request) => Promise<Merchant> {
  return async (request) => {
    for (const strategy of strategies) if (strategy.claims(request)) return strategy.authenticate(request);
    throw unauthenticated(request);
  };
}

/** Koppel's signed, versioned cookie: claims every request no platform strategy claimed, so it is asked last. */
const cookieStrategy: MerchantStrategy = { name: "cookie", claims: () => true, authenticate: (request) => cookieMerchant(request) };

/** The merchant behind the request, or a thrown 401 / redirect to /login-required (or the platform's own answer). */
export const requireMerchant: (request: Request) => Promise<Merchant> = merchantRequirement(merchantStrategies(env.platforms));

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
