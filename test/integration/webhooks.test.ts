// Webhook in → delivery stored → job → order imported, against real PostgreSQL and the fake Shopify's signer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { Session } from "@shopify/shopify-api";
import { action as ordersWebhook } from "../../app/routes/webhooks.orders";
import { action as complianceWebhook } from "../../app/routes/webhooks.compliance";
import { action as uninstalledWebhook } from "../../app/routes/webhooks.app.uninstalled";
import { activity, deliveries, orders, privacyRequests, sessions, shops } from "../../app/db/schema";
import { sessionStorage } from "../../app/shopify.server";
import { FakeShopify, ManualClock, signedWebhookRequest, dutchOrder } from "../fakes/shopify";
import { countRows, drainDeliveries, orderWebhook, runtime, SECRET } from "./helpers";
import type { Runtime } from "../../app/runtime.server";
import { installShop } from "../../app/core/shops.server";

const SHOP = "webhook-test.myshopify.com";
const OTHER = "other-shop.myshopify.com";
let rt: Runtime;
const clock = new ManualClock();
const fake = new FakeShopify({ clock });
fake.addShop(SHOP);
fake.addShop(OTHER);

const call = (request: Request, handler = ordersWebhook) => handler({ request, params: {}, context: {} });

beforeAll(async () => {
  rt = await runtime();
  // Only an install creates a shop; these shops installed the app before their webhooks came.
  for (const domain of [SHOP, OTHER]) await installShop(rt.db, "shopify", domain);
});
afterAll(async () => {
  await rt.stop();
});

async function ordersOf(domain: string) {
  const [shop] = await rt.db.select().from(shops).where(eq(shops.domain, domain));
  if (!shop) return [];
  return rt.db.select().from(orders).where(eq(orders.shopId, shop.id));
}

describe("Shopify order webhooks", () => {
  it("rejects a bad HMAC with 401 and stores nothing", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", email: "bad@example.nl" }));
    const request = signedWebhookRequest({
      url: "http://localhost/webhooks/orders",
      topic: "orders/paid",
      shop: SHOP,
      payload: { id: order.id },
      secret: "not-the-app-secret",
    });
    const res = await call(request);
    expect(res.status).toBe(401);
    // Missing HMAC header: also 401.
    const noHmac = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/paid", shop: SHOP, payload: {}, secret: SECRET, headers: { "X-Shopify-Hmac-Sha256": null } });
    expect((await call(noHmac)).status).toBe(401);
    expect(await countRows(rt, "deliveries")).toBe(0);
    expect(await countRows(rt, "pgboss.job", "name = 'process-delivery'")).toBe(0);
  });

  it("answers 503 before Shopify's 5 s when storing hangs (database connections open, no answer)", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const receive = rt.inbox.receive;
    rt.inbox.receive = () => new Promise(() => {}); // a store that never comes back
    try {
      const started = Date.now();
      const res = await call(orderWebhook({ shop: SHOP, topic: "orders/paid", order, webhookId: "wh-hang" }));
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000); // a bound Shopify sets, not a speed claim
    } finally {
      rt.inbox.receive = receive;
    }
  }, 15_000);

  it("stores the same delivery sent three times at once as one order", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const webhookId = `wh-${order.id}`;
    const responses = await Promise.all([1, 2, 3].map(() => call(orderWebhook({ shop: SHOP, topic: "orders/paid", order, webhookId }))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await countRows(rt, "deliveries", `webhook_id = '${webhookId}'`)).toBe(1);
    expect(await countRows(rt, "pgboss.job", "name = 'process-delivery'")).toBe(1);
    expect(await drainDeliveries(rt)).toEqual(["imported"]);
    const rows = (await ordersOf(SHOP)).filter((o) => o.platformOrderId === String(order.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("to_ship");
    expect(rows[0]!.number).toBe(order.name);
  });

  it("does not list an unpaid order, and lists it once it is paid", async () => {
    const unpaid = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PENDING" }));
    expect((await call(orderWebhook({ shop: SHOP, topic: "orders/create", order: unpaid }))).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["skipped"]);
    expect((await ordersOf(SHOP)).some((o) => o.platformOrderId === String(unpaid.id))).toBe(false);
    const [skip] = await rt.db.select().from(activity).where(eq(activity.orderNumber, unpaid.name));
    expect(skip).toMatchObject({ kind: "import", result: "skipped", reason: "not_paid", source: "webhook" });

    const paid = fake.upsertOrder(SHOP, { id: unpaid.id, financialStatus: "PAID" });
    expect((await call(orderWebhook({ shop: SHOP, topic: "orders/paid", order: paid }))).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["imported"]);
    const rows = (await ordersOf(SHOP)).filter((o) => o.platformOrderId === String(paid.id));
    expect(rows.map((r) => r.status)).toEqual(["to_ship"]);
  });

  it("keeps one order when orders/updated arrives before orders/create, with the newest data", async () => {
    const created = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", email: "first@example.nl" }));
    clock.advance(5000);
    const updated = fake.upsertOrder(SHOP, { id: created.id, email: "changed@example.nl" });
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThan(new Date(created.updatedAt).getTime());
    await call(orderWebhook({ shop: SHOP, topic: "orders/updated", order: updated }));
    await call(orderWebhook({ shop: SHOP, topic: "orders/create", order: created }));
    await drainDeliveries(rt);
    const rows = (await ordersOf(SHOP)).filter((o) => o.platformOrderId === String(created.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.email).toBe("changed@example.nl");
  });

  it("moves an imported order out of 'to ship' when it is cancelled", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    await call(orderWebhook({ shop: SHOP, topic: "orders/paid", order }));
    await drainDeliveries(rt);
    clock.advance(1000);
    const cancelled = fake.cancelOrder(SHOP, order.id, { refund: true });
    await call(orderWebhook({ shop: SHOP, topic: "orders/cancelled", order: cancelled }));
    await drainDeliveries(rt);
    const [row] = (await ordersOf(SHOP)).filter((o) => o.platformOrderId === String(order.id));
    expect(row!.status).toBe("cancelled");
  });

  it("keeps a payload that does not parse, with its reason, and answers 200", async () => {
    const bad = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/create", shop: SHOP, payload: { id: "not-a-number", name: 42 }, secret: SECRET, webhookId: "wh-bad-payload" });
    expect((await call(bad)).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["invalid"]);
    const [d] = await rt.db.select().from(deliveries).where(eq(deliveries.webhookId, "wh-bad-payload"));
    expect(d!.outcome).toBe("invalid");
    expect(d!.reason).toMatch(/\w+/);
    expect(d!.payload).toEqual({ id: "not-a-number", name: 42 });

    const notJson = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/create", shop: SHOP, rawBody: "{not json", secret: SECRET, webhookId: "wh-not-json" });
    expect((await call(notJson)).status).toBe(200);
    const [d2] = await rt.db.select().from(deliveries).where(eq(deliveries.webhookId, "wh-not-json"));
    expect(d2).toMatchObject({ outcome: "invalid", payload: "{not json" });
  });

  it("answers 503 (so Shopify retries) when the delivery cannot be stored", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    await rt.db.execute(sql.raw("alter table deliveries rename to deliveries_away"));
    try {
      const res = await call(orderWebhook({ shop: SHOP, topic: "orders/paid", order, webhookId: "wh-store-fails" }));
      expect(res.status).toBe(503);
    } finally {
      await rt.db.execute(sql.raw("alter table deliveries_away rename to deliveries"));
    }
    // Shopify's retry then succeeds.
    const retry = await call(orderWebhook({ shop: SHOP, topic: "orders/paid", order, webhookId: "wh-store-fails" }));
    expect(retry.status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["imported"]);
  });
});

describe("privacy and uninstall webhooks", () => {
  it("customers/redact scrubs that customer's personal data", async () => {
    const order = fake.upsertOrder(OTHER, dutchOrder({ financialStatus: "PAID", email: "redact.me@example.nl" }));
    await call(orderWebhook({ shop: OTHER, topic: "orders/paid", order }));
    await drainDeliveries(rt);
    const req = signedWebhookRequest({
      url: "http://localhost/webhooks/compliance",
      topic: "customers/redact",
      shop: OTHER,
      payload: { shop_id: 1, shop_domain: OTHER, customer: { id: order.customer?.id ?? 1, email: "redact.me@example.nl" }, orders_to_redact: [order.id] },
      secret: SECRET,
    });
    expect((await call(req, complianceWebhook)).status).toBe(200);
    await drainDeliveries(rt);
    const [row] = (await ordersOf(OTHER)).filter((o) => o.platformOrderId === String(order.id));
    expect(row).toMatchObject({ email: null, customerName: null, raw: null });
    expect(row!.redactedAt).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain("redact.me");
    const leftovers = await countRows(rt, "deliveries", `payload::text ilike '%redact.me%'`);
    expect(leftovers).toBe(0);
  });

  it("customers/data_request records the request and what Koppel holds for that customer", async () => {
    const order = fake.upsertOrder(OTHER, dutchOrder({ financialStatus: "PAID", email: "wants.data@example.nl" }));
    await call(orderWebhook({ shop: OTHER, topic: "orders/paid", order }));
    await drainDeliveries(rt);
    const req = signedWebhookRequest({
      url: "http://localhost/webhooks/compliance",
      topic: "customers/data_request",
      shop: OTHER,
      payload: { shop_id: 1, shop_domain: OTHER, customer: { id: 77, email: "wants.data@example.nl" }, orders_requested: [order.id], data_request: { id: 9 } },
      secret: SECRET,
    });
    expect((await call(req, complianceWebhook)).status).toBe(200);
    await drainDeliveries(rt);
    const [request] = await rt.db.select().from(privacyRequests).where(eq(privacyRequests.customerEmail, "wants.data@example.nl"));
    expect(request).toMatchObject({ topic: "customers/data_request", shopDomain: OTHER, ordersRequested: [String(order.id)] });
    expect(request!.completedAt).not.toBeNull();
    const findings = request!.findings as { orders: { number: string; email: string }[] };
    expect(findings.orders).toEqual([expect.objectContaining({ number: order.name, email: "wants.data@example.nl" })]);
  });

  it("app/uninstalled deletes the sessions and stops the sync", async () => {
    const [shop] = await rt.db.select().from(shops).where(eq(shops.domain, OTHER));
    await rt.queue.scheduleSync(shop!.id, 10);
    await sessionStorage.storeSession(new Session({ id: `offline_${OTHER}`, shop: OTHER, state: "x", isOnline: false, accessToken: "shpat_secret" }));
    const stored = await rt.db.select().from(sessions).where(eq(sessions.shop, OTHER));
    expect(stored[0]!.accessToken).not.toContain("shpat_secret"); // encrypted at rest
    expect((await sessionStorage.loadSession(`offline_${OTHER}`))?.accessToken).toBe("shpat_secret");
    const req = signedWebhookRequest({ url: "http://localhost/webhooks/app/uninstalled", topic: "app/uninstalled", shop: OTHER, payload: { id: 1, domain: OTHER }, secret: SECRET });
    expect((await call(req, uninstalledWebhook)).status).toBe(200);
    expect(await rt.db.select().from(sessions).where(eq(sessions.shop, OTHER))).toHaveLength(0);
    await drainDeliveries(rt);
    expect(await rt.boss.getSchedules("sync-shop", String(shop!.id))).toHaveLength(0);
    const [after] = await rt.db.select().from(shops).where(eq(shops.domain, OTHER));
    expect(after!.uninstalledAt).not.toBeNull();
  });

  it("shop/redact deletes every row of that shop and nothing of another", async () => {
    const before = (await ordersOf(SHOP)).length;
    expect(before).toBeGreaterThan(0);
    const req = signedWebhookRequest({ url: "http://localhost/webhooks/compliance", topic: "shop/redact", shop: OTHER, payload: { shop_id: 1, shop_domain: OTHER }, secret: SECRET });
    expect((await call(req, complianceWebhook)).status).toBe(200);
    await drainDeliveries(rt);
    expect(await rt.db.select().from(shops).where(eq(shops.domain, OTHER))).toHaveLength(0);
    expect(await countRows(rt, "deliveries", `shop_domain = '${OTHER}'`)).toBe(0);
    expect(await countRows(rt, "privacy_requests", `shop_domain = '${OTHER}'`)).toBe(0);
    expect(await countRows(rt, "session", `shop = '${OTHER}'`)).toBe(0);
    const [shopRow] = await rt.db.select().from(shops).where(eq(shops.domain, SHOP));
    expect(await countRows(rt, "activity", `shop_id = ${shopRow!.id}`)).toBeGreaterThan(0);
    expect((await ordersOf(SHOP)).length).toBe(before);
  });
});
