// Shopify's merchant strategy: Koppel embedded in Shopify's admin, authenticated by the library (session token, token
// exchange). Other platforms and the demo use Koppel's signed cookie (app/merchant.server.ts).
import { env } from "../../env.server";
import { db } from "../../db.server";
import { authenticate, sessionStorage } from "../../shopify.server";
import { ensureSyncRunning, findInstalledShop, updateShopSettings } from "../../core/shops.server";
import { getRuntime } from "../../runtime.server";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale } from "../../i18n";
import { unauthenticated, type Merchant, type MerchantStrategy } from "../../merchant-strategy.server";
import { isShopifyShopDomain } from "./shop-domain";
import { isShopifyRequest } from "./admin-request";

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

export const shopifyMerchantStrategy: MerchantStrategy = { name: "shopify", claims: isShopifyRequest, authenticate: shopifyMerchant };
