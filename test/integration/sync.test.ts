// The periodic sync against the fake Shopify (msw intercepts https://*.myshopify.com) and real PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { Session } from "@shopify/shopify-api";
import { createFakeShopify, ManualClock, startFakeShopifyServer, dutchOrder, orderWebhookPayload, signedWebhookRequest } from "../fakes/shopify";
import { deliveries, orders, privacyRequests, shops } from "../../app/db/schema";
import { sessionStorage, SHOPIFY_API_VERSION } from "../../app/shopify.server";
import { installShop } from "../../app/core/shops.server";
import { syncShop } from "../../app/core/sync.server";
import { removeOrders } from "../../app/core/orders.server";
import { createShopifyPlatform } from "../../app/platforms/shopify/adapter.server";
import { createSessionGraphqlTransport } from "../../app/platforms/shopify/graphql-transport.server";
import { drainDeliveries, orderWebhook, runtime, SECRET } from "./helpers";
import { action as ordersWebhook } from "../../app/routes/webhooks.orders";
import { action as complianceWebhook } from "../../app/routes/webhooks.compliance";
import type { Runtime } from "../../app/runtime.server";

const SHOP = "sync-test.myshopify.com";
const TOKEN = "shpat_sync_test";
const clock = new ManualClock("2026-11-27T09:00:00Z");
const { fake, handlers } = createFakeShopify({ clock });
const server = startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
fake.addShop(SHOP, { accessToken: TOKEN });

const sleeps: number[] = [];
// The adapter waits through `sleep`; here waiting means letting the fake's bucket refill.
const platform = createShopifyPlatform({
  transport: createSessionGraphqlTransport({ apiVersion: SHOPIFY_API_VERSION, loadOfflineSession: (s) => sessionStorage.loadSession(`offline_${s}`) }),
  sleep: async (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
  },
});

let rt: Runtime;
let shopId: number;
const sync = () => syncShop({ db: rt.db, platform, clock, encryptionKey: rt.encryptionKey }, shopId);
const rowsOf = async () => rt.db.select().from(orders).where(eq(orders.shopId, shopId));

beforeAll(async () => {
  rt = await runtime();
  shopId = (await installShop(rt.db, "shopify", SHOP)).id;
  await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: TOKEN }));
});
afterAll(async () => {
  server.close();
  await rt.stop();
});
beforeEach(() => {
  fake.resetCounters();
  sleeps.length = 0;
  clock.advance(60_000);
});

describe("periodic sync", () => {
  it("imports paid orders whose webhook never came, and not unpaid ones", async () => {
    const paid = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const unpaid = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PENDING" }));
    const result = await sync();
    expect(result).toMatchObject({ status: "done", imported: 1 });
    const ids = (await rowsOf()).map((r) => r.platformOrderId);
    expect(ids).toContain(String(paid.id));
    expect(ids).not.toContain(String(unpaid.id));
  });

  it("makes exactly one API call when nothing changed", async () => {
    const before = (await rowsOf()).length;
    const result = await sync();
    expect(result).toMatchObject({ status: "done", imported: 0, pages: 1 });
    expect(fake.apiCalls(SHOP)).toBe(1);
    expect((await rowsOf()).length).toBe(before);
  });

  it("follows page cursors through many orders", async () => {
    for (let i = 0; i < 120; i++) fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const result = await sync();
    expect(result).toMatchObject({ status: "done", imported: 120 });
    expect(fake.apiCalls(SHOP)).toBeGreaterThanOrEqual(3);
    expect((await rowsOf()).length).toBeGreaterThanOrEqual(121);
  });

  it("waits when Shopify throttles, then finishes", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    fake.setBucket(SHOP, { currentlyAvailable: 0 });
    const result = await sync();
    expect(result).toMatchObject({ status: "done", imported: 1 });
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect((await rowsOf()).some((r) => r.platformOrderId === String(order.id))).toBe(true);
  });

  it("never brings back an order the merchant removed", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    await sync();
    const [row] = await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.platformOrderId, String(order.id))));
    expect(await removeOrders(rt.db, shopId, [row!.id])).toBe(1);
    clock.advance(10_000);
    fake.upsertOrder(SHOP, { id: order.id, email: "changed-after-removal@example.nl" });
    await sync();
    const [after] = await rt.db.select().from(orders).where(eq(orders.id, row!.id));
    expect(after!.removedAt).not.toBeNull();
    const visible = (await rowsOf()).filter((r) => r.platformOrderId === String(order.id) && r.removedAt === null);
    expect(visible).toHaveLength(0);
  });

  it("a webhook and a sync of the same order give one row", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    await ordersWebhook({ request: orderWebhook({ shop: SHOP, topic: "orders/paid", order }), params: {}, context: {} });
    await drainDeliveries(rt);
    await sync();
    const rows = (await rowsOf()).filter((r) => r.platformOrderId === String(order.id));
    expect(rows).toHaveLength(1);
  });

  it("moves the cursor to the newest order seen", async () => {
    const [shop] = await rt.db.select().from(shops).where(eq(shops.id, shopId));
    const newest = fake.listOrders(SHOP).map((o) => new Date(o.updatedAt).getTime()).reduce((a, b) => Math.max(a, b));
    expect(shop!.syncCursor!.getTime()).toBe(newest);
  });
});

describe("local pick-up is not shipping", () => {
  const statusOf = async (id: number) => (await rowsOf()).find((r) => r.platformOrderId === String(id))?.status;
  const hook = async (order: ReturnType<typeof fake.upsertOrder>, topic = "orders/paid") => {
    expect((await ordersWebhook({ request: orderWebhook({ shop: SHOP, topic, order }), params: {}, context: {} })).status).toBe(200);
    return drainDeliveries(rt);
  };

  it("an order the customer collects is never imported as to ship: not by sync, not by its webhook", async () => {
    // Its one fulfillment order is a pick-up at the shop's location (Shopify's PICK_UP), even with an address on it.
    const pickup = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", fulfillmentOrders: [{ methodType: "PICK_UP" }] }));
    // Shipped to a carrier's pick-up point (PICKUP_POINT) is shipping; so is an order that is partly collected.
    const toPoint = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", fulfillmentOrders: [{ methodType: "PICKUP_POINT" }] }));
    const mixed = fake.upsertOrder(
      SHOP,
      dutchOrder({
        financialStatus: "PAID",
        lineItems: [
          { sku: "KOF-ESP-1000", title: "Koffiebonen Espresso", quantity: 1, grams: 1000 },
          { sku: "MOK-WIT", title: "Mok wit", quantity: 2, grams: 350 },
        ],
        fulfillmentOrders: [
          { methodType: "PICK_UP", lineIndexes: [0] },
          { methodType: "SHIPPING", lineIndexes: [1] },
        ],
      }),
    );
    await sync();
    expect(await statusOf(pickup.id)).toBeUndefined();
    expect(await statusOf(toPoint.id)).toBe("to_ship");
    expect(await statusOf(mixed.id)).toBe("to_ship");

    // Its webhook: Shopify's order payload has no delivery method, and a pick-up checkout asks no shipping address.
    const counter = fake.upsertOrder(SHOP, { ...dutchOrder({ financialStatus: "PAID", fulfillmentOrders: [{ methodType: "PICK_UP" }] }), shippingAddress: null });
    expect(await hook(counter)).toEqual(["skipped"]);
    await sync();
    expect(await statusOf(counter.id)).toBeUndefined();
  });

  it("an order to ship that becomes a pick-up (or loses its address) leaves the list", async () => {
    const bySync = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const byHook = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    await sync();
    expect(await hook(fake.getOrder(SHOP, byHook.id)!)).toEqual(["updated"]);
    expect(await statusOf(bySync.id)).toBe("to_ship");
    expect(await statusOf(byHook.id)).toBe("to_ship");

    clock.advance(60_000);
    // The merchant changes the delivery to a pick-up in the shop: the sync reads it from the fulfillment orders.
    fake.upsertOrder(SHOP, { id: bySync.id, fulfillmentOrders: [{ methodType: "PICK_UP" }] });
    // …and this one's orders/updated comes without a shipping address.
    const changed = fake.upsertOrder(SHOP, { id: byHook.id, shippingAddress: null, fulfillmentOrders: [{ methodType: "PICK_UP" }] });
    expect(await hook(changed, "orders/updated")).toEqual(["updated"]);
    expect(await statusOf(byHook.id)).toBe("fulfilled_elsewhere");
    await sync();
    expect(await statusOf(bySync.id)).toBe("fulfilled_elsewhere");
    // A later webhook with the old address does not bring it back.
    expect(await hook(fake.getOrder(SHOP, bySync.id)!, "orders/updated")).toEqual(["updated"]);
    expect(await statusOf(bySync.id)).toBe("fulfilled_elsewhere");
  });
});

describe("privacy requests for orders the sync imported", () => {
  const compliance = (topic: "customers/redact" | "customers/data_request", payload: object) =>
    complianceWebhook({
      request: signedWebhookRequest({ url: "http://localhost/webhooks/compliance", topic, shop: SHOP, payload: { shop_id: 1, shop_domain: SHOP, ...payload }, secret: SECRET }),
      params: {},
      context: {},
    });

  it("customers/data_request and customers/redact naming only the customer id find an order that came in by sync", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", email: "alleen.sync@example.nl", customer: { firstName: "Fenna", lastName: "Synchrones" } }));
    const customerId = order.customer!.id;
    // An unpaid order of the same customer under another e-mail: its webhook is kept (skipped), never imported.
    const unpaid = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PENDING", email: "ander.adres@example.nl" }));
    const unpaidPayload = { ...orderWebhookPayload(unpaid), customer: { id: customerId, email: "ander.adres@example.nl", first_name: "Fenna", last_name: "Synchrones" } };
    const hook = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/create", shop: SHOP, payload: unpaidPayload, secret: SECRET, webhookId: "sync-redact-unpaid" });
    expect((await ordersWebhook({ request: hook, params: {}, context: {} })).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["skipped"]);

    expect(await sync()).toMatchObject({ status: "done" });
    const rowOf = async () => (await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.platformOrderId, String(order.id)))))[0]!;
    expect(await rowOf()).toMatchObject({ email: "alleen.sync@example.nl", customerName: "Fenna Synchrones", redactedAt: null });

    // No e-mail, no order ids: only the customer id.
    expect((await compliance("customers/data_request", { customer: { id: customerId }, orders_requested: [] })).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["done"]);
    const [request] = await rt.db.select().from(privacyRequests).where(eq(privacyRequests.customerId, String(customerId)));
    expect(request!.findings).toMatchObject({ orders: [{ number: order.name, email: "alleen.sync@example.nl" }] });

    expect((await compliance("customers/redact", { customer: { id: customerId }, orders_to_redact: [] })).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["done"]);
    const row = await rowOf();
    expect(row).toMatchObject({ email: null, customerName: null, company: null, raw: null, platformCustomerId: null, shipPostcode: null, shipCity: null });
    expect(row.redactedAt).not.toBeNull();
    expect(JSON.stringify(row)).not.toMatch(/Fenna|Synchrones|alleen\.sync/);
    // The unpaid order's webhook named the customer by id only: its payload goes too.
    const [kept] = await rt.db.select({ payload: deliveries.payload, reason: deliveries.reason }).from(deliveries).where(eq(deliveries.webhookId, "sync-redact-unpaid"));
    expect(kept).toMatchObject({ payload: null, reason: expect.stringContaining("[redacted]") });
    // The earlier data request held the customer's data in its findings: gone too, the request itself kept.
    const [answered] = await rt.db.select().from(privacyRequests).where(eq(privacyRequests.id, request!.id));
    expect(answered).toMatchObject({ customerId: null, customerEmail: null, findings: { redacted: true }, topic: "customers/data_request" });
    expect(JSON.stringify(answered)).not.toMatch(/Fenna|Synchrones|alleen\.sync/);

    // A later change of the order in Shopify, synced: a redacted order stays redacted.
    clock.advance(1000);
    fake.upsertOrder(SHOP, { id: order.id, totalPrice: "99.00" });
    await sync();
    expect(await rowOf()).toMatchObject({ email: null, customerName: null, platformCustomerId: null });
  });
});
