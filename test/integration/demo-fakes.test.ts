// A demo that keeps working: its fakes keep their state across a restart (constructed twice on the same state file),
// "Nieuwe testbestelling" goes all the way to a write-back, the README's curl order becomes known to the fake Shopify,
// and a write-back that can never succeed ends "mislukt" within the queue's retry limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { drainDeliveries, runtime } from "./helpers";
import { CARRIER_ACCOUNT, startLabelWorld } from "./support/label-world";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { labelPdfsForShipments } from "../../app/core/labels/pdfs.server";
import { writeBackShipment } from "../../app/core/labels/write-back.server";
import { retryWriteBack } from "../../app/core/labels/retries.server";
import { configureCarrierBaseUrls } from "../../app/carriers/registry.server";
import { activity, orders, shipments } from "../../app/db/schema";
import { QUEUE_OPTIONS, QUEUES } from "../../app/jobs/queue.server";
import { createKoppelHttpServer } from "../../server-app";
import { handleWebhookNode } from "../../app/webhook-route.server";
import { env } from "../../app/env.server";
import { demoHooks } from "../../app/demo.server";
import { startFakeCarrier } from "../fakes/carrier";
import { FakeShopify, seedDemoShop, sendWebhook } from "../fakes/shopify";
import { createTestOrder, learnOrderFromWebhook } from "../demo/demo.server";
import { startFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { startFakeCcvShop } from "../fakes/ccvshop";
import { pdfInfo } from "../e2e/support/pdf";

const SHOP = "demo-fakes-test.myshopify.com";
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;
let stateDir: string;
let koppel: ReturnType<typeof createKoppelHttpServer>;
let appUrl: string;

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), "koppel-demo-state-"));
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP, { carrier: { stateFile: path.join(stateDir, "carrier.json") } });
  // Koppel's webhook door on loopback, as the server runs it (the fakes deliver over HTTP).
  koppel = createKoppelHttpServer({ webhooks: handleWebhookNode, app: (_req, res) => void res.writeHead(404).end() });
  await new Promise<void>((r) => koppel.listen(0, "127.0.0.1", () => r()));
  appUrl = `http://127.0.0.1:${(koppel.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => koppel.close(() => r()));
  await world.close();
  await rt.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

async function labelFor(orderId: number) {
  await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
  await world.drain();
  return (await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId)))[0]!;
}

const orderByPlatformId = async (platformOrderId: string) =>
  (await rt.db.select().from(orders).where(and(eq(orders.shopId, world.shop.id), eq(orders.platformOrderId, platformOrderId))))[0];

describe("after a restart", () => {
  it("the fake carrier still serves a label made before it, and its numbers go on instead of repeating", async () => {
    const [orderId] = await world.paidOrders(1);
    const before = await labelFor(orderId!);
    await world.carrier.close();

    // The "restarted" demo: a new fake carrier process-wise (new port, new tokens), the same state file.
    const again = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT], stateFile: path.join(stateDir, "carrier.json") });
    world.carrier = again;
    configureCarrierBaseUrls({ staging: again.baseUrl, production: again.baseUrl });
    const { pdfs, found } = await labelPdfsForShipments(labelDeps(rt), world.shop.id, [before.id]);
    expect(found).toBe(1);
    expect((await pdfInfo(pdfs[0]!)).pages).toBe(1);

    const [next] = await world.paidOrders(1);
    const after = await labelFor(next!);
    expect(after.trackingNumber).not.toBe(before.trackingNumber);
    expect(Number(after.trackingNumber.replace(/\D/g, ""))).toBeGreaterThan(Number(before.trackingNumber.replace(/\D/g, "")));
    expect(Number(after.sequence!.replace(/\D/g, ""))).toBeGreaterThan(Number(before.sequence!.replace(/\D/g, "")));
  });

  it("the fake Shopify keeps its orders and fulfillments, and the demo seed does not add them twice", async () => {
    const file = path.join(stateDir, "shopify.json");
    const first = new FakeShopify({ stateFile: file });
    const { shop } = await seedDemoShop(first, { shop: "restart-demo.myshopify.com" });
    const seeded = first.listOrders(shop);
    const extra = first.upsertOrder(shop, { financialStatus: "PAID" });

    const second = new FakeShopify({ stateFile: file });
    await seedDemoShop(second, { shop });
    const kept = second.listOrders(shop);
    expect(kept).toHaveLength(seeded.length + 1);
    expect(second.getOrder(shop, extra.id)).toEqual(extra);
    // Ids and order numbers go on.
    const newer = second.upsertOrder(shop, { financialStatus: "PAID" });
    expect(newer.id).toBeGreaterThan(extra.id);
    expect(newer.orderNumber).toBe(extra.orderNumber + 1);
  });

  it("the fake Mijnwebwinkel keeps its orders with the statuses they got, and is not seeded twice", async () => {
    const file = path.join(stateDir, "mijnwebwinkel.json");
    const first = await startFakeMijnwebwinkel({ stores: [{ token: "mww-restart-token" }], seed: "demo", stateFile: file });
    const seeded = first.fake.store().orders();
    const open = first.fake.store().records().find((r) => !r.test)!;
    first.fake.setStatus(open.seq, 4);
    const extra = first.fake.addOrder({});
    await first.close();

    const second = await startFakeMijnwebwinkel({ stores: [{ token: "mww-restart-token" }], seed: "demo", stateFile: file });
    try {
      expect(second.fake.store().orders()).toHaveLength(seeded.length + 1);
      expect(second.fake.order(open.seq)!.status).toBe(4);
      expect(second.fake.addOrder({}).seq).toBe(extra.seq + 1);
    } finally {
      await second.close();
    }
  });

  it("the fake CCV shop comes back on its host with its API keys and orders", async () => {
    const file = path.join(stateDir, "ccvshop.json");
    const first = await startFakeCcvShop({ seed: "demo", stateFile: file });
    const labelled = first.fake.orders().at(-1)!.id;
    const before = { host: first.host, apiPublic: first.apiPublic, apiSecret: first.apiSecret, orders: first.fake.orders().length, labels: first.fake.labels(), orderLabels: first.fake.labelIdsOf(labelled) };
    expect(before.labels.map((l) => l.tooltip)).toEqual(["Express"]);
    await first.close();
    const second = await startFakeCcvShop({ seed: "demo", stateFile: file });
    try {
      expect({ host: second.host, apiPublic: second.apiPublic, apiSecret: second.apiSecret, orders: second.fake.orders().length, labels: second.fake.labels(), orderLabels: second.fake.labelIdsOf(labelled) }).toEqual(before);
    } finally {
      await second.close();
    }
  });
});

describe("Nieuwe testbestelling", () => {
  it("creates the order in the fake shop, delivers its signed webhooks, and the order is listed, labelled and written back", async () => {
    const made = await createTestOrder({ fake: world.shopify, shop: SHOP }, appUrl, env.SHOPIFY_API_SECRET);
    expect(made.status).toBe(200);
    await drainDeliveries(rt);
    const order = await orderByPlatformId(String(made.orderId));
    expect(order).toMatchObject({ number: made.number, status: "to_ship" });
    const s = await labelFor(order!.id);
    expect(s.writebackState).toBe("done");
    expect((await orderByPlatformId(String(made.orderId)))!.status).toBe("shipped");
    expect(world.shopify.getOrder(SHOP, made.orderId)!.fulfillmentStatus).toBe("FULFILLED");
  });
});

/** The README's example body, with its own id (so tests do not collide). */
function readmeBody(id: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: "#9001",
    order_number: 9001,
    email: "sanne@example.nl",
    created_at: "2026-11-27T10:00:00Z",
    updated_at: "2026-11-27T10:00:00Z",
    cancelled_at: null,
    financial_status: "paid",
    fulfillment_status: null,
    test: false,
    currency: "EUR",
    total_price: "24.95",
    total_weight: 500,
    customer: { first_name: "Sanne", last_name: "de Vries" },
    shipping_address: { first_name: "Sanne", last_name: "de Vries", name: "Sanne de Vries", company: null, address1: "Keizersgracht 123", address2: null, city: "Amsterdam", zip: "1015 CJ", province: null, country: "Netherlands", country_code: "NL", phone: "+31612345678" },
    line_items: [{ id: 1, sku: "MOK-01", name: "Mok", title: "Mok", quantity: 2, grams: 250, requires_shipping: true }],
  };
}

describe("the README's curl example", () => {
  it("in the demo, the fake Shopify learns the order from its verified webhook, so the write-back succeeds", async () => {
    const hooks = demoHooks();
    const demoWas = env.demo;
    (env as { demo: boolean }).demo = true;
    hooks.webhookStored = (d) => void learnOrderFromWebhook({ fake: world.shopify, shop: SHOP }, d);
    try {
      const sent = await sendWebhook({ baseUrl: appUrl, path: "/webhooks/orders", topic: "orders/paid", shop: SHOP, payload: readmeBody(990001), secret: env.SHOPIFY_API_SECRET });
      expect(sent.response.status).toBe(200);
      // A forged one teaches the fake nothing (it is refused before it is stored).
      const forged = await sendWebhook({ baseUrl: appUrl, path: "/webhooks/orders", topic: "orders/paid", shop: SHOP, payload: readmeBody(990002), secret: "not-the-secret" });
      expect(forged.response.status).toBe(401);
    } finally {
      (env as { demo: boolean }).demo = demoWas;
      hooks.webhookStored = undefined;
    }
    expect(world.shopify.getOrder(SHOP, 990001)).toMatchObject({ name: "#9001", email: "sanne@example.nl" });
    expect(world.shopify.getOrder(SHOP, 990002)).toBeUndefined();
    await drainDeliveries(rt);
    const order = await orderByPlatformId("990001");
    const s = await labelFor(order!.id);
    expect(s.writebackState).toBe("done");
    expect(world.shopify.getOrder(SHOP, 990001)!.fulfillmentStatus).toBe("FULFILLED");
  });
});

describe("a write-back that can never succeed", () => {
  it("is 'mislukt' with Opnieuw after the write-back queue's retries, which end within five minutes", async () => {
    const options = QUEUE_OPTIONS[QUEUES.writeBack];
    // An order the fake shop does not know (outside the demo nothing teaches it): every attempt fails.
    const sent = await sendWebhook({ baseUrl: appUrl, path: "/webhooks/orders", topic: "orders/paid", shop: SHOP, payload: readmeBody(990003), secret: env.SHOPIFY_API_SECRET });
    expect(sent.response.status).toBe(200);
    await drainDeliveries(rt);
    const order = await orderByPlatformId("990003");
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [order!.id], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    // Labels only: take the write-back job off the queue and run its attempts as pg-boss would (retryLimit retries).
    await world.drain({ createLabel: 0, writeBack: options.retryLimit });
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, order!.id));
    expect(s!.writebackState).toBe("failed");
    expect(s!.writebackAttempts).toBe(options.retryLimit + 1);
    const rows = await rt.db.select().from(activity).where(and(eq(activity.shopId, world.shop.id), eq(activity.orderNumber, order!.number), eq(activity.kind, "writeback")));
    expect(rows.filter((r) => r.summary === "writeback.retry")).toHaveLength(options.retryLimit);
    expect(rows.filter((r) => r.summary === "writeback.failed")).toHaveLength(1);
    // "Opnieuw": pending again with its job.
    expect(await retryWriteBack(labelDeps(rt), world.shop.id, s!.id)).toBe(true);
    expect(await writeBackShipment(labelDeps(rt), s!.id, { finalAttempt: true })).toBe("failed");
  });
});
