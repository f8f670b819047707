// `npm start` as production runs it: build/server.js (npm run build) on plain Node, non-demo, with its own pg-boss
// workers, on this file's PostgreSQL database. A signed Shopify webhook goes in over HTTP (the Node fast path) and
// comes out as an imported order; a bad signature is refused. The label PDF route talks to the fake carrier (pointed
// at by a preload, test/e2e/support/carrier-url-preload.mjs): the runtime's carrier adapter lives in build/server.js,
// the route in the Remix build, so an error crossing between the two bundles must still be recognised.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeShopify, dutchOrder, orderWebhookPayload, signedWebhookRequest } from "../fakes/shopify";
import { startFakeCarrier, type RunningFakeCarrier } from "../fakes/carrier";
import { createBoekuwzendingCarrier } from "../../app/carriers/boekuwzending/adapter.server";
import { encryptSecret } from "../../app/crypto.server";
import { startProductionServer, type ProductionServer } from "./support/production-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Shaped like Shopify's client secrets; production refuses weak or demo secrets.
const SECRET = `shpss_${randomBytes(16).toString("hex")}`;
const SHOP = "prod-smoke.myshopify.com";
const SESSION_SECRET = randomBytes(32).toString("base64");
const ENCRYPTION_KEY = randomBytes(32).toString("base64");
// Download links this process signs must verify in the server: app/env.server reads SESSION_SECRET once, on the first
// import by any test below, so it is set before any of them.
process.env.SESSION_SECRET = SESSION_SECRET;
const CARRIER_ACCOUNT = { clientId: "prod-smoke-carrier", clientSecret: "prod-smoke-carrier-secret-1234" };
let carrier: RunningFakeCarrier;
let server: ProductionServer;
let baseUrl: string;

beforeAll(async () => {
  carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT] });
  server = await startProductionServer({
    nodeArgs: ["--import", path.join(ROOT, "test/e2e/support/carrier-url-preload.mjs")],
    env: () => ({
      KOPPEL_WORKERS: "1",
      SHOPIFY_API_KEY: "koppel-prod-smoke-key",
      SHOPIFY_API_SECRET: SECRET,
      SESSION_SECRET,
      ENCRYPTION_KEY,
      KOPPEL_TEST_CARRIER_URL: carrier.baseUrl,
      LOG_LEVEL: "error",
    }),
  });
  baseUrl = server.baseUrl;
});

afterAll(async () => {
  await server?.stop();
  await carrier?.close();
});

describe("the production server (build/server.js)", () => {
  it("answers health on PostgreSQL, imports a signed webhook through its workers, refuses a forged one", async () => {
    const health = await (await fetch(`${baseUrl}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, database: "postgres" });

    const fake = new FakeShopify();
    fake.addShop(SHOP);
    // Only an install creates a shop (a token exchange, which this smoke test does not drive): install it directly.
    const setup = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await setup`insert into shops (platform, domain) values ('shopify', ${SHOP}) on conflict do nothing`;
    await setup.end();
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const send = (secret: string, webhookId: string) => {
      const req = signedWebhookRequest({ url: `${baseUrl}/webhooks/orders`, topic: "orders/paid", shop: SHOP, payload: orderWebhookPayload(order), secret, webhookId });
      return fetch(req);
    };
    expect((await send("forged-secret", "prod-forged")).status).toBe(401);
    expect((await send(SECRET, "prod-1")).status).toBe(200);

    const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      let imported: { number: string; status: string }[] = [];
      for (let i = 0; i < 100 && !imported.length; i++) {
        imported = await sql<{ number: string; status: string }[]>`
          select o.number, o.status from orders o join shops s on s.id = o.shop_id
          where s.domain = ${SHOP} and o.platform_order_id = ${String(order.id)}`;
        if (!imported.length) await new Promise((r) => setTimeout(r, 200));
      }
      expect(imported).toEqual([{ number: order.name, status: "to_ship" }]);
      const [forged] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries where webhook_id = 'prod-forged'`;
      expect(forged!.n).toBe(0);
    } finally {
      await sql.end();
    }
  });

  it("refuses to start with the .env.example secrets, naming each and printing none", async () => {
    const { DEMO_DEFAULTS } = await import("../../app/env.server");
    const refused = spawn(path.join(ROOT, "node_modules/.bin/node"), [path.join(ROOT, "build/server.js")], {
      cwd: ROOT,
      // Every platform enabled, so each demo secret is checked (CCVSHOP_APP_SECRET and MIJNWEBWINKEL_PARTNER_TOKEN only count when their platform is).
      env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: "3999", DATABASE_URL: process.env.DATABASE_URL, SHOPIFY_APP_URL: baseUrl, KOPPEL_PLATFORMS: "shopify,ccvshop,mijnwebwinkel", ...DEMO_DEFAULTS },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    refused.stdout!.on("data", (b: Buffer) => (out += b.toString()));
    refused.stderr!.on("data", (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => refused.once("exit", resolve));
    expect(code).not.toBe(0);
    for (const name of Object.keys(DEMO_DEFAULTS)) expect(out).toMatch(new RegExp(`${name}: is the public demo value`));
    expect(out).toContain("openssl rand -base64 32");
    for (const value of Object.values(DEMO_DEFAULTS)) expect(out).not.toContain(value);
  });

  it("label PDF: a carrier failure thrown by the server bundle's adapter gives the Dutch carrier message, not 500", async () => {
    const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    let shipmentId: number;
    try {
      // A shop with a carrier connection (secret encrypted with the server's key) and one shipment made at the fake.
      const [shop] = await sql<{ id: number }[]>`insert into shops (platform, domain) values ('ccvshop', 'prod-pdf.example') returning id`;
      await sql`insert into carrier_connections (shop_id, carrier, environment, client_id, client_secret_encrypted, client_secret_last4)
        values (${shop!.id}, 'boekuwzending', 'staging', ${CARRIER_ACCOUNT.clientId}, ${encryptSecret(CARRIER_ACCOUNT.clientSecret, ENCRYPTION_KEY)}, '1234')`;
      const [order] = await sql<{ id: number }[]>`insert into orders (shop_id, platform_order_id, number, placed_at, platform_updated_at, status, financial_status)
        values (${shop!.id}, 'pdf-1', '#5001', now(), now(), 'shipped', 'paid') returning id`;
      const address = { name: "Jan Jansen", street: "Coolsingel", houseNumber: "40", postcode: "3011 AD", city: "Rotterdam", country: "NL" };
      const created = await createBoekuwzendingCarrier({ baseUrls: { staging: carrier.baseUrl, production: carrier.baseUrl } }).createShipment(
        { ...CARRIER_ACCOUNT, environment: "staging" },
        { idempotencyKey: "prod-pdf-key", reference: "#5001", service: "postnl-standard", packageType: "package", colli: 1, shipFrom: address, shipTo: address },
      );
      const [lr] = await sql<{ id: number }[]>`insert into label_requests (shop_id, order_id, idempotency_key, carrier, environment, service, colli, package_type, state)
        values (${shop!.id}, ${order!.id}, 'prod-pdf-key', 'boekuwzending', 'staging', 'postnl-standard', 1, 'package', 'created') returning id`;
      const [s] = await sql<{ id: number }[]>`insert into shipments (shop_id, order_id, label_request_id, carrier, environment, carrier_shipment_id, service, colli,
          package_type, labels, tracking_number, tracking_url, tracking_company)
        values (${shop!.id}, ${order!.id}, ${lr!.id}, 'boekuwzending', 'staging', ${created.carrierShipmentId}, 'postnl-standard', 1, 'package',
          ${sql.json(created.labels)}, ${created.labels[0]!.waybill}, ${created.labels[0]!.trackingUrl}, 'PostNL') returning id`;
      shipmentId = s!.id;
      // The link the Zendingen page hands out, signed with the server's SESSION_SECRET (env.server reads it on first import).
      process.env.SESSION_SECRET = SESSION_SECRET;
      const { createDownloadToken } = await import("../../app/download-token.server");
      const pdfUrl = `${baseUrl}/app/shipments/pdf?ids=${shipmentId}&dt=${createDownloadToken({ id: Number(shop!.id), sessionVersion: 1 }, "nl")}`;

      const ok = await fetch(pdfUrl);
      expect(ok.status, await ok.clone().text()).toBe(200);
      expect(ok.headers.get("content-type")).toBe("application/pdf");
      await ok.arrayBuffer();

      // The carrier is down for label downloads: the adapter (in build/server.js) throws; the route (in build/index.js) must know it.
      carrier.fake.failWhen((r) => r.method === "GET" && r.path.includes("/labels/download"), { status: 503 });
      const failed = await fetch(pdfUrl);
      const body = await failed.text();
      expect(failed.status, body).toBe(502);
      expect(body).toContain("De labels konden niet bij de vervoerder worden opgehaald");
      // The carrier's own words beneath Koppel's sentence.
      expect(body).toContain("Boekuwzending had a server error 503");
    } finally {
      carrier.fake.clearFailures();
      await sql.end();
    }
  });
});
