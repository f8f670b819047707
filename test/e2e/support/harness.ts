// One end-to-end world per test file, all in this process: fake Shopify (msw on fetch), the fake carrier (loopback
// HTTP), Koppel's production build on express with pg-boss workers (real PostgreSQL: this file's fresh database from
// test/setup/integration-env.ts), and Debian's Chromium through playwright-core.
//
// Order matters: the environment is set and the fakes are installed before anything loads @shopify/shopify-api
// (it keeps a reference to globalThis.fetch when it loads), so every app module is imported dynamically below.
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import type { SetupServer } from "msw/node";
import type { FakeShopify } from "../../fakes/shopify";
import type { RunningFakeCarrier } from "../../fakes/carrier";
import type { RunningKoppel } from "../../../server-app";

export const E2E_API_KEY = "koppel-e2e-api-key";
export const E2E_API_SECRET = "koppel-e2e-api-secret-7f3a9c";
export const CARRIER_ACCOUNT = { clientId: "koppel-e2e-client", clientSecret: "e2e-client-secret-4711" };
export const CHROMIUM_PATH = process.env.KOPPEL_E2E_CHROMIUM ?? "/usr/bin/chromium";

const ROOT = path.resolve(import.meta.dirname, "../../..");
export const RESULTS_DIR = path.join(ROOT, "test-results/e2e");

export type E2EWorld = {
  /** e.g. http://localhost:41234 (also SHOPIFY_APP_URL and APP_URL). */
  url: string;
  koppel: RunningKoppel;
  shopify: FakeShopify;
  carrier: RunningFakeCarrier;
  browser: Browser;
  close(): Promise<void>;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "0.0.0.0", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startWorld(opts: { platforms?: string } = {}): Promise<E2EWorld> {
  if (!existsSync(path.join(ROOT, "build/index.js"))) throw new Error("No production build: run `npx remix build` first.");
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set KOPPEL_E2E_CHROMIUM).`);

  // The app's URL must be known before env.server.ts parses the environment, so the port is picked up front.
  const port = await freePort();
  process.env.PORT = String(port);
  process.env.SHOPIFY_APP_URL = `http://localhost:${port}`;
  // Koppel's own base URL is the world's too: CCV's App Store signs its handshake over `${APP_URL}/ccvshop/handshake`,
  // and Koppelen registers CCV's webhooks under it (integration-env.ts points it at a spare port otherwise).
  process.env.APP_URL = `http://localhost:${port}`;
  // Both platforms served, whatever the outer environment says (journey 7 needs CCV Shop's routes and webhook door).
  // Journey 8 adds mijnwebwinkel (its connect and login pages).
  process.env.KOPPEL_PLATFORMS = opts.platforms ?? "shopify,ccvshop";
  process.env.SHOPIFY_API_KEY = E2E_API_KEY;
  process.env.SHOPIFY_API_SECRET = E2E_API_SECRET;
  process.env.KOPPEL_WORKERS = "1";

  const { createFakeShopify, startFakeShopifyServer } = await import("../../fakes/shopify");
  const { startFakeCarrier } = await import("../../fakes/carrier");
  // Real time (the write-back waits for Shopify's leaky bucket); a Plus-sized bucket keeps the bulk journey quick.
  const { fake: shopify, handlers } = createFakeShopify({
    apiKey: E2E_API_KEY,
    apiSecret: E2E_API_SECRET,
    bucket: { maximumAvailable: 20_000, restoreRate: 1_000 },
  });
  // "bypass": the browser's and the test's own requests to the loopback server pass through.
  const msw: SetupServer = startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
  const carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT] });
  const { configureCarrierBaseUrls } = await import("../../../app/carriers/registry.server");
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });

  const { startKoppelServer } = await import("../../../server-app");
  const koppel = await startKoppelServer({ port, workers: true });
  const url = `http://localhost:${koppel.port}`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    // --lang: Chromium's own widgets (date inputs) in Dutch, as a Dutch merchant sees them.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=nl-NL"],
  });

  return {
    url,
    koppel,
    shopify,
    carrier,
    browser,
    async close() {
      await browser.close().catch(() => {});
      await koppel.close();
      await koppel.runtime.database.close();
      configureCarrierBaseUrls(null);
      await carrier.close();
      msw.close();
    },
  };
}
