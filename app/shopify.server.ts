// @shopify/shopify-app-remix configured as Shopify's template does: managed install + token exchange.
// https://shopify.dev/docs/apps/build/authentication-authorization/app-installation
import { afterShopInstalled } from "./demo.server";
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { env } from "./env.server";
import { db } from "./db.server";
import { EncryptedSessionStorage } from "./platforms/shopify/session-storage.server";
import { installShopifyShop } from "./platforms/shopify/install.server";
import { withUnverifiedFrameParent } from "./security-headers.server";

export const SHOPIFY_API_VERSION = ApiVersion.October26;

const storage = new EncryptedSessionStorage(db, env.ENCRYPTION_KEY);

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: env.SCOPES.split(","),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: storage,
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  // After a token exchange, i.e. an install or reinstall: the one way a Shopify shop is created or revived.
  hooks: {
    afterAuth: async ({ session }) => {
      const shop = await installShopifyShop({ db, sessionStorage: storage }, session);
      await afterShopInstalled(shop.id);
    },
  },
  logger: { level: env.LOG_LEVEL === "debug" ? 3 : env.LOG_LEVEL === "silent" ? 0 : 1 },
});

export default shopify;
export const apiVersion = SHOPIFY_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
/**
 * authenticate.admin, except that a page it throws (the bounce page, exit-iframe) may be framed only by Shopify's
 * admin: the library takes that page's frame parent from the unverified `shop` query parameter.
 */
const admin = (async (request: Request) => {
  try {
    return await shopify.authenticate.admin(request);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.headers.has("Content-Security-Policy")) throw withUnverifiedFrameParent(thrown);
    throw thrown;
  }
}) as typeof shopify.authenticate.admin;

export const authenticate = { ...shopify.authenticate, admin };
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
