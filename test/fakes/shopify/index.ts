// Fake Shopify for tests and the demo: in-memory shops + msw handlers for https://{shop}.myshopify.com.
import { http, type RequestHandler } from "msw";
import { setupServer, type SetupServer } from "msw/node";
import { FakeShopify, type FakeShopifyOptions } from "./fake";

export * from "./fake";
export * from "./orders";
export * from "./session-token";
export * from "./webhooks";
export * from "./from-webhook";
export type * from "./types";
export { ManualClock, gid, parseGid, isoSeconds } from "./util";

export function shopifyHandlers(fake: FakeShopify): RequestHandler[] {
  return [
    http.post("https://*.myshopify.com/admin/api/:version/graphql.json", ({ request }) => fake.handleGraphqlRequest(request)),
    http.post("https://*.myshopify.com/admin/oauth/access_token", ({ request }) => fake.handleAccessTokenRequest(request)),
  ];
}

export function createFakeShopify(opts: FakeShopifyOptions = {}): { fake: FakeShopify; handlers: RequestHandler[] } {
  const fake = new FakeShopify(opts);
  return { fake, handlers: shopifyHandlers(fake) };
}

/**
 * Start intercepting fetch in this Node process. Loopback and other hosts pass through ("bypass") unless
 * `onUnhandledRequest` says otherwise (tests use "error").
 */
export function startFakeShopifyServer(
  handlers: RequestHandler[],
  opts: { onUnhandledRequest?: "bypass" | "warn" | "error" } = {},
): SetupServer {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: opts.onUnhandledRequest ?? "bypass" });
  return server;
}

/** Seed the demo shop with demoOrders(); returns the access token to store as its offline session. */
export async function seedDemoShop(fake: FakeShopify, opts: { shop?: string; accessToken?: string; now?: Date } = {}) {
  const { DEMO_SHOP, demoOrders } = await import("./orders");
  const shop = opts.shop ?? DEMO_SHOP;
  const accessToken = opts.accessToken ?? "shpat_koppel_demo_offline_token";
  // A fake started on its state file again already has the shop and its orders: seeded once, never twice.
  const seeded = fake.hasShop(shop) && fake.listOrders(shop).length > 0;
  fake.addShop(shop, { accessToken, name: "Koppel Demo" });
  if (!seeded) for (const o of demoOrders(opts.now ?? fake.clock.now())) fake.upsertOrder(shop, o);
  return { shop, accessToken };
}
