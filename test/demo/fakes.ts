// The demo's fakes, started before anything loads @shopify/shopify-api (it captures fetch at import):
// fake Shopify (msw in this process) with the demo shop's orders, the fake Boekuwzending, and a fake CCV Shop and a fake
// Mijnwebwinkel on loopback. The fake Shopify and the fake carrier keep their state in JSON files next to the embedded
// database (.koppel/demo-fakes/), so a restarted demo still knows its orders and labels and never repeats a number.
import path from "node:path";
import { createFakeShopify, seedDemoShop, startFakeShopifyServer, type FakeShopify } from "../fakes/shopify";
import { startFakeCarrier, type RunningFakeCarrier } from "../fakes/carrier";
import { startFakeCcvShop, type RunningFakeCcvShop } from "../fakes/ccvshop";
import { startFakeMijnwebwinkel, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { startSmtpCatcher } from "../fakes/smtp/server";
import { DEMO_SHOP_DOMAIN } from "../../app/demo.server";
import { configureCarrierBaseUrls } from "../../app/carriers/registry.server";
import { env } from "../../app/env.server";

/**
 * Where the demo's fakes keep their state: next to the embedded database (PGLITE_DIR's parent, default .koppel/), so
 * the two are kept and deleted together. With DATABASE_URL (an external PostgreSQL, as the tests use) there is no such
 * place: null, the fakes start fresh every time.
 */
export function demoStateDir(): string | null {
  return env.DATABASE_URL ? null : path.join(path.dirname(path.resolve(env.PGLITE_DIR)), "demo-fakes");
}

/** The demo shop's Boekuwzending account at the fake carrier (seeded as its carrier connection, on staging). */
export const DEMO_CARRIER_ACCOUNT = { clientId: "koppel-demo-client", clientSecret: "koppel-demo-client-secret" };

/** The demo's Mijnwebwinkel store: the Shop-URL and token the connect form is prefilled with. */
export const DEMO_MWW_SHOP_URL = "demo-webwinkel.myonline.store";
export const DEMO_MWW_TOKEN = "koppel-demo-mijnwebwinkel-store-token";

export type DemoFakes = {
  fake: FakeShopify;
  shop: string;
  accessToken: string;
  carrier: RunningFakeCarrier;
  ccvshop: RunningFakeCcvShop;
  mijnwebwinkel: RunningFakeMijnwebwinkel;
  /** A real SMTP server on loopback: the demo Mijnwebwinkel shop's track & trace e-mail goes here (/demo/mail shows it). */
  smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
};
let fakes: Promise<DemoFakes> | undefined;

/** Once per process. `stateDir`: where the fakes keep their state (default demoStateDir(); null: nowhere). */
export function startDemoFakes(opts: { stateDir?: string | null } = {}): Promise<DemoFakes> {
  return (fakes ??= (async () => {
    const stateDir = opts.stateDir === undefined ? demoStateDir() : opts.stateDir;
    const stateFile = (name: string) => (stateDir ? path.join(stateDir, name) : undefined);
    const { fake, handlers } = createFakeShopify({ stateFile: stateFile("shopify.json") });
    startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
    const { shop, accessToken } = await seedDemoShop(fake, { shop: DEMO_SHOP_DOMAIN });
    const carrier = await startFakeCarrier({ accounts: [DEMO_CARRIER_ACCOUNT], stateFile: stateFile("carrier.json") });
    // A little latency so the progress bar has something to show.
    carrier.fake.setLatency(150);
    configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
    // A CCV shop on loopback with ~15 Dutch orders; "CCV Shop demo" plays its App Store against Koppel.
    const ccvshop = await startFakeCcvShop({ seed: "demo", stateFile: stateFile("ccvshop.json") });
    // A Mijnwebwinkel store with ~15 orders (two test orders); used only while MIJNWEBWINKEL_API_URL is unset.
    const mijnwebwinkel = await startFakeMijnwebwinkel({
      stores: [{ token: DEMO_MWW_TOKEN, name: "Demo Webwinkel" }],
      seed: "demo",
      stateFile: stateFile("mijnwebwinkel.json"),
    });
    // Imported here, not at the top: the registry loads @shopify/shopify-api, which must come after fake Shopify.
    const { configureMijnwebwinkelApi } = await import("../../app/platforms/registry.server");
    configureMijnwebwinkelApi({ apiUrl: mijnwebwinkel.apiUrl, partnerToken: mijnwebwinkel.partnerToken }, { demo: true });
    const smtp = await startSmtpCatcher();
    return { fake, shop, accessToken, carrier, ccvshop, mijnwebwinkel, smtp };
  })());
}
