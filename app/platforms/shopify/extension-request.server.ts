// Requests from Koppel's admin UI extensions (extensions/): their `fetch` to the app's URL carries Shopify's session
// token as a Bearer header (https://shopify.dev/docs/api/admin-extensions#app-authentication), from an origin that is not
// the app's, so every answer needs CORS headers and the browser first sends a preflight. authenticate.admin verifies the
// token (signature with the app secret, audience, expiry), answers the OPTIONS preflight (204) and sets the CORS
// headers on what it throws; `cors` sets them on our answers.
import { z } from "zod";
import { db } from "../../db.server";
import { authenticate } from "../../shopify.server";
import { findInstalledShop, type Shop } from "../../core/shops.server";
import { DEFAULT_LOCALE, parseLocale, type Locale } from "../../i18n";
import { isShopifyShopDomain } from "./shop-domain";

export type ExtensionMerchant = {
  shopId: number;
  shop: Shop;
  locale: Locale;
  /** Adds the CORS headers the extension's origin needs (the library's own helper for this request). */
  cors: (response: Response) => Response;
};

/** What every extension answer looks like: JSON, never cached. */
export function extensionJson(merchant: Pick<ExtensionMerchant, "cors"> | null, status: number, body: unknown): Response {
  const response = new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
  return merchant ? merchant.cors(response) : withOpenCors(response);
}

/** Before a token is verified there is no library helper yet: the same headers authenticate.admin would set. */
function withOpenCors(response: Response): Response {
  response.headers.set("Access-Control-Allow-Origin", "*");
  response.headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  return response;
}

/**
 * The shop behind an extension's request, or a thrown Response: 204 for the preflight, 401 without a valid session
 * token (forged, expired, another app's) or for a shop that is not installed in Koppel. The admin's language comes
 * as `?locale=` (the extension's own locale); it is not stored.
 */
export async function requireExtensionMerchant(request: Request): Promise<ExtensionMerchant> {
  const bearer = /^Bearer\s+\S/i.test(request.headers.get("Authorization") ?? "");
  // Without a token the library would treat this as a document load (bounce page, redirects): an API answers 401.
  if (request.method !== "OPTIONS" && !bearer) throw extensionJson(null, 401, { error: "unauthenticated" });
  const { session, cors } = await authenticate.admin(request);
  const merchantCors = (response: Response) => cors(response);
  if (!isShopifyShopDomain(session.shop)) throw extensionJson({ cors: merchantCors }, 401, { error: "unauthenticated" });
  const shop = await findInstalledShop(db, "shopify", session.shop);
  if (!shop) throw extensionJson({ cors: merchantCors }, 401, { error: "not_installed" });
  const locale = parseLocale(new URL(request.url).searchParams.get("locale")) ?? shop.settings?.locale ?? DEFAULT_LOCALE;
  return { shopId: shop.id, shop, locale, cors: merchantCors };
}

/** `gid://shopify/Order/123` → "123" (Koppel's platform order id for Shopify), else null. */
export function shopifyOrderIdOfGid(gid: unknown): string | null {
  if (typeof gid !== "string" || gid.length > 100) return null;
  const m = /^gid:\/\/shopify\/Order\/([1-9]\d{0,19})$/.exec(gid);
  return m ? m[1]! : null;
}

/** The preflight (thrown by requireExtensionMerchant) or 405 for a method the route does not take. */
export async function extensionPreflightOr405(request: Request): Promise<Response> {
  const merchant = await requireExtensionMerchant(request);
  return extensionJson(merchant, 405, { error: "method_not_allowed" });
}

/** A JSON body of at most a few KB (the body limit applies before), or null when it is not JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}

/**
 * An extension's POST `{orderId: "gid://shopify/Order/…"}` (restore, retry, fetch-order): the merchant and Shopify's
 * order id, or a thrown Response (405 for another method, 400 for a missing or malformed id, as requireExtensionMerchant).
 */
const OrderPostSchema = z.object({ orderId: z.string().max(100) });

export async function requireOrderPost(request: Request): Promise<{ merchant: ExtensionMerchant; platformOrderId: string }> {
  const merchant = await requireExtensionMerchant(request);
  if (request.method !== "POST") throw extensionJson(merchant, 405, { error: "method_not_allowed" });
  const parsed = OrderPostSchema.safeParse(await readJsonBody(request));
  const platformOrderId = parsed.success ? shopifyOrderIdOfGid(parsed.data.orderId) : null;
  if (!platformOrderId) throw extensionJson(merchant, 400, { error: "invalid_order_id" });
  return { merchant, platformOrderId };
}
