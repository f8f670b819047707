// The demo's fake Shopify, started before anything loads @shopify/shopify-api (it captures fetch at import).
import { createFakeShopify, seedDemoShop, startFakeShopifyServer, type FakeShopify } from "../fakes/shopify";
import { DEMO_SHOP_DOMAIN } from "../../app/demo.server";

export type DemoFakes = { fake: FakeShopify; shop: string; accessToken: string };
let fakes: Promise<DemoFakes> | undefined;

/** Fake Shopify (msw in this process) with the demo shop's orders; once per process. */
export function startDemoFakes(): Promise<DemoFakes> {
  return (fakes ??= (async () => {
    const { fake, handlers } = createFakeShopify();
    startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
    const { shop, accessToken } = await seedDemoShop(fake, { shop: DEMO_SHOP_DOMAIN });
    return { fake, shop, accessToken };
  })());
}
