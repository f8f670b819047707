// What a platform may send that PostgreSQL or JavaScript cannot take as is: NUL and lone surrogates, ids above 2^53,
// bodies nested 10 000 deep, zero / negative / overflowing quantities. Real PostgreSQL, the fake Shopify's signer and
// its GraphQL API. Each must be answered, stored and imported (or refused with a reason) without stopping anything else.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { Session } from "@shopify/shopify-api";
import { action as ordersWebhook } from "../../app/routes/webhooks.orders";
import { action as complianceWebhook } from "../../app/routes/webhooks.compliance";
import { activity, deliveries, orders, shops } from "../../app/db/schema";
import { rowsOf } from "../../app/db/client.server";
import { sessionStorage, SHOPIFY_API_VERSION } from "../../app/shopify.server";
import { installShop } from "../../app/core/shops.server";
import { syncShop } from "../../app/core/sync.server";
import { fromJsonb } from "../../app/core/text";
import { createShopifyPlatform } from "../../app/platforms/shopify/adapter.server";
import { createSessionGraphqlTransport } from "../../app/platforms/shopify/graphql-transport.server";
import { createFakeShopify, dutchOrder, ManualClock, orderWebhookPayload, signedWebhookRequest, startFakeShopifyServer, type FakeOrder } from "../fakes/shopify";
import { countRows, drainDeliveries, orderWebhook, runtime, SECRET } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

const SHOP = "payload-edges.myshopify.com";
const SYNC_SHOP = "payload-sync.myshopify.com";
const TOKEN = "shpat_payload_edges";
const clock = new ManualClock("2026-11-27T09:00:00Z");
const { fake, handlers } = createFakeShopify({ clock });
const server = startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
fake.addShop(SHOP, { accessToken: TOKEN });
fake.addShop(SYNC_SHOP, { accessToken: TOKEN });

const platform = createShopifyPlatform({
  transport: createSessionGraphqlTransport({ apiVersion: SHOPIFY_API_VERSION, loadOfflineSession: (s) => sessionStorage.loadSession(`offline_${s}`) }),
  sleep: async (ms: number) => clock.advance(ms),
});

let rt: Runtime;
let shopId: number;
let syncShopId: number;
const call = (request: Request, handler = ordersWebhook) => handler({ request, params: {}, context: {} });
const signed = (rawBody: string, webhookId: string, topic = "orders/paid") =>
  signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic, shop: SHOP, rawBody, secret: SECRET, webhookId });
const orderRow = async (sid: number, platformOrderId: string) =>
  (await rt.db.select().from(orders).where(and(eq(orders.shopId, sid), eq(orders.platformOrderId, platformOrderId))))[0];
const deliveryRow = async (webhookId: string) => (await rt.db.select().from(deliveries).where(eq(deliveries.webhookId, webhookId)))[0];
const text = async <T>(query: string) => rowsOf<T>(await rt.db.execute(sql.raw(query)));

beforeAll(async () => {
  rt = await runtime();
  // Both shops installed Koppel (order webhooks are for installed shops).
  shopId = (await installShop(rt.db, "shopify", SHOP)).id;
  syncShopId = (await installShop(rt.db, "shopify", SYNC_SHOP)).id;
  await sessionStorage.storeSession(new Session({ id: `offline_${SYNC_SHOP}`, shop: SYNC_SHOP, state: "s", isOnline: false, accessToken: TOKEN }));
});
afterAll(async () => {
  server.close();
  await rt.stop();
});
beforeEach(() => clock.advance(60_000));

describe("NUL and lone surrogates", () => {
  it("a webhook with NUL and a lone surrogate in the customer's name is answered 200, imported with a clean name, raw kept", async () => {
    const order = fake.upsertOrder(
      SHOP,
      dutchOrder({
        financialStatus: "PAID",
        customer: { firstName: "San\u0000ne", lastName: "de \ud800Vries" },
        shippingAddress: { firstName: "San\u0000ne", lastName: "de \ud800Vries", name: "San\u0000ne de \ud800Vries", city: "Amster\udc00dam" },
      }),
    );
    const sent = JSON.parse(JSON.stringify(orderWebhookPayload(order)));
    const res = await call(orderWebhook({ shop: SHOP, topic: "orders/paid", order, webhookId: "wh-nul" }));
    expect(res.status).toBe(200);
    const stored = await deliveryRow("wh-nul");
    expect(fromJsonb(stored!.payload)).toEqual(sent);

    expect(await drainDeliveries(rt)).toEqual(["imported"]);
    const row = await orderRow(shopId, String(order.id));
    expect(row).toMatchObject({ status: "to_ship", customerName: "Sanne de \ufffdVries" });
    expect(row!.shipTo).toMatchObject({ name: "Sanne de \ufffdVries", city: "Amster\ufffddam" });
    expect(row!.searchText).toContain("sanne de \ufffdvries");
    // The platform's text, exactly as sent, for the record.
    expect(fromJsonb(row!.raw)).toEqual(sent);
  });

  it("a body that is not JSON and holds a NUL is kept as it came (200, invalid)", async () => {
    const res = await call(signed("{not json\u0000", "wh-nul-not-json"));
    expect(res.status).toBe(200);
    const d = await deliveryRow("wh-nul-not-json");
    expect(d).toMatchObject({ outcome: "invalid", reason: "body is not valid JSON" });
    expect(fromJsonb(d!.payload)).toBe("{not json\u0000");
  });

  it("a sync page with poisoned orders imports the others, names the bad ones in Activiteit, moves the cursor, and the next sync works", async () => {
    const before = fake.upsertOrder(SYNC_SHOP, dutchOrder({ financialStatus: "PAID" }));
    clock.advance(1000);
    const nul = fake.upsertOrder(SYNC_SHOP, dutchOrder({ financialStatus: "PAID", customer: { firstName: "Lot\u0000te", lastName: "\udc00Bakker" } }));
    clock.advance(1000);
    // 3 000 tonnes: more grams than an integer column holds.
    const heavy = fake.upsertOrder(SYNC_SHOP, dutchOrder({ financialStatus: "PAID", lineItems: [{ sku: "ZWAAR", title: "Zwaar", quantity: 1, grams: 3_000_000_000 }] }));
    clock.advance(1000);
    const refused = fake.upsertOrder(SYNC_SHOP, dutchOrder({ financialStatus: "PAID" }));
    clock.advance(1000);
    const after = fake.upsertOrder(SYNC_SHOP, dutchOrder({ financialStatus: "PAID" }));
    // An order PostgreSQL refuses to store for a reason no validation foresaw.
    await rt.db.execute(
      sql.raw(`create function refuse_poison() returns trigger language plpgsql as $$
        begin if new.platform_order_id = '${refused.id}' then raise exception 'poisoned order refused'; end if; return new; end $$;
        create trigger refuse_poison before insert or update on orders for each row execute function refuse_poison()`),
    );
    try {
      const result = await syncShop({ db: rt.db, platform, clock, encryptionKey: rt.encryptionKey }, syncShopId);
      expect(result).toMatchObject({ status: "done", imported: 3 });
    } finally {
      await rt.db.execute(sql.raw("drop trigger refuse_poison on orders; drop function refuse_poison()"));
    }
    expect(await orderRow(syncShopId, String(before.id))).toBeDefined();
    expect(await orderRow(syncShopId, String(after.id))).toBeDefined();
    expect((await orderRow(syncShopId, String(nul.id)))!.customerName).toBe("Lotte \ufffdBakker");
    expect(await orderRow(syncShopId, String(heavy.id))).toBeUndefined();
    expect(await orderRow(syncShopId, String(refused.id))).toBeUndefined();

    const log = await rt.db.select().from(activity).where(eq(activity.shopId, syncShopId));
    expect(log.find((a) => a.orderNumber === heavy.name)).toMatchObject({ kind: "import", source: "sync", result: "failed", summary: "import.invalid" });
    expect(log.find((a) => a.orderNumber === heavy.name)!.reason).toMatch(/weight/i);
    expect(log.find((a) => a.orderNumber === refused.name)).toMatchObject({ kind: "import", source: "sync", result: "failed", summary: "import.failed" });
    expect(log.find((a) => a.orderNumber === refused.name)!.reason).toContain("poisoned order refused");
    const [shop] = await rt.db.select().from(shops).where(eq(shops.id, syncShopId));
    expect(shop!.syncCursor!.toISOString()).toBe(new Date(after.updatedAt).toISOString());

    // The next sync re-reads the overlap window: the refused order now goes in, the invalid one is not logged twice.
    clock.advance(60_000);
    const again = await syncShop({ db: rt.db, platform, clock, encryptionKey: rt.encryptionKey }, syncShopId);
    expect(again).toMatchObject({ status: "done" });
    expect(await orderRow(syncShopId, String(refused.id))).toBeDefined();
    const log2 = await rt.db.select().from(activity).where(eq(activity.shopId, syncShopId));
    expect(log2.filter((a) => a.orderNumber === heavy.name)).toHaveLength(1);
  });
});

describe("ids above 2^53", () => {
  const ORDER_ID = "820982911946154508";
  const CUSTOMER_ID = "820982911946154509";
  const LINE_ID = "866550311766439020";

  it("a webhook with Shopify's test-notification ids imports the order under its exact id, and customers/redact finds it by customer id", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", email: "big.ids@example.nl" }));
    const p = orderWebhookPayload(order);
    // JSON.stringify cannot write these numbers from JavaScript: put them into the text, as Shopify sends them.
    const body = JSON.stringify({
      ...p,
      id: "@ORDER@",
      admin_graphql_api_id: `gid://shopify/Order/${ORDER_ID}`,
      customer: { ...p.customer, id: "@CUSTOMER@" },
      line_items: p.line_items.map((l) => ({ ...l, id: "@LINE@" })),
    })
      .replace('"@ORDER@"', ORDER_ID)
      .replace('"@CUSTOMER@"', CUSTOMER_ID)
      .replaceAll('"@LINE@"', LINE_ID);
    expect((await call(signed(body, "wh-big-ids"))).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["imported"]);
    const row = await orderRow(shopId, ORDER_ID);
    expect(row).toMatchObject({ platformOrderId: ORDER_ID, status: "to_ship" });
    // jsonb keeps the exact digits, as numbers.
    const [raw] = await text<{ id: string; customer: string; line: string; type: string }>(
      `select raw->>'id' as id, raw->'customer'->>'id' as customer, raw->'line_items'->0->>'id' as line, jsonb_typeof(raw->'id') as type from orders where id = ${row!.id}`,
    );
    expect(raw).toEqual({ id: ORDER_ID, customer: CUSTOMER_ID, line: LINE_ID, type: "number" });
    const [payload] = await text<{ id: string }>(`select payload->>'id' as id from deliveries where webhook_id = 'wh-big-ids'`);
    expect(payload!.id).toBe(ORDER_ID);

    const redact = `{"shop_id":1,"shop_domain":"${SHOP}","customer":{"id":${CUSTOMER_ID},"email":"someone.else@example.nl"},"orders_to_redact":[]}`;
    const req = signedWebhookRequest({ url: "http://localhost/webhooks/compliance", topic: "customers/redact", shop: SHOP, rawBody: redact, secret: SECRET });
    expect((await call(req, complianceWebhook)).status).toBe(200);
    expect(await drainDeliveries(rt)).toEqual(["done"]);
    expect(await orderRow(shopId, ORDER_ID)).toMatchObject({ customerName: null, email: null, raw: null });
  });
});

describe("bodies nested 10 000 levels deep", () => {
  it("are kept as invalid with their reason and answered 200, and never retried", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const body = JSON.stringify({ ...orderWebhookPayload(order), note_attributes: "@DEEP@" }).replace('"@DEEP@"', deep);
    expect((await call(signed(body, "wh-deep"))).status).toBe(200);
    // The body is kept as it came, as a jsonb string (read as text: drizzle would JSON.parse that string once more).
    const [d] = await text<{ outcome: string; reason: string; body: string }>(`select outcome, reason, payload #>> '{}' as body from deliveries where webhook_id = 'wh-deep'`);
    expect(d).toMatchObject({ outcome: "invalid" });
    expect(d!.reason).toMatch(/nested deeper than \d+ levels/);
    expect(d!.body === body).toBe(true);
    expect(await drainDeliveries(rt)).toEqual([]);
    expect(await orderRow(shopId, String(order.id))).toBeUndefined();
    // Shopify's redelivery is a duplicate.
    expect((await call(signed(body, "wh-deep"))).status).toBe(200);
    expect(await countRows(rt, "deliveries", "webhook_id = 'wh-deep'")).toBe(1);
  });
});

describe("quantities", () => {
  const lines = (...qs: number[]) => qs.map((quantity, i) => ({ sku: `Q-${i}`, title: `Artikel ${i}`, quantity, grams: 500 }));
  const send = async (order: FakeOrder, webhookId: string) => {
    expect((await call(orderWebhook({ shop: SHOP, topic: "orders/paid", order, webhookId }))).status).toBe(200);
    return drainDeliveries(rt);
  };

  it("an order with only zero and negative quantities is nothing to ship", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", lineItems: lines(0, -1) }));
    expect(await send(order, "wh-qty-zero")).toEqual(["skipped"]);
    expect(await deliveryRow("wh-qty-zero")).toMatchObject({ outcome: "skipped", reason: "nothing_to_ship" });
    expect(await orderRow(shopId, String(order.id))).toBeUndefined();
    const [skip] = await rt.db.select().from(activity).where(and(eq(activity.shopId, shopId), eq(activity.orderNumber, order.name)));
    expect(skip).toMatchObject({ result: "skipped", reason: "nothing_to_ship" });
  });

  it("a zero or negative line ships nothing: not counted in items or weight", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", lineItems: lines(2, -1, 0) }));
    expect(await send(order, "wh-qty-mixed")).toEqual(["imported"]);
    expect(await orderRow(shopId, String(order.id))).toMatchObject({ status: "to_ship", itemCount: 2, weightGrams: 1000 });
  });

  it("a quantity of 3 000 000 000 makes the order invalid with a clear reason: answered 200, not retried, no database error", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", lineItems: lines(3_000_000_000) }));
    expect(await send(order, "wh-qty-huge")).toEqual(["invalid"]);
    const d = await deliveryRow("wh-qty-huge");
    expect(d!.reason).toContain("line_items.0.quantity");
    expect(await orderRow(shopId, String(order.id))).toBeUndefined();
    const [entry] = await rt.db.select().from(activity).where(and(eq(activity.shopId, shopId), eq(activity.summary, "import.invalid")));
    expect(entry).toMatchObject({ result: "failed", source: "webhook" });
  });

  it("text longer than an index takes: a 3 KB e-mail is dropped (the order ships), a 5 KB city makes it invalid; never retried", async () => {
    // Before: "index row size … exceeds btree maximum 2704" on orders_shop_email_idx, the delivery retried 8 times.
    const long = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", email: `${randomBytes(1500).toString("hex")}@example.nl` })); // incompressible
    expect(await send(long, "wh-long-email")).toEqual(["imported"]);
    expect(await orderRow(shopId, String(long.id))).toMatchObject({ status: "to_ship", email: null });
    const city = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", shippingAddress: { city: "Amsterdam".repeat(600) } }));
    expect(await send(city, "wh-long-city")).toEqual(["invalid"]);
    expect((await deliveryRow("wh-long-city"))!.reason).toMatch(/shipTo\.city is longer than 1000 characters/);
  });

  it("lines within range whose total weight overflows make the order invalid too", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", lineItems: [{ sku: "Z", title: "Zwaar", quantity: 1000, grams: 5_000_000 }] }));
    expect(await send(order, "wh-weight-huge")).toEqual(["invalid"]);
    expect((await deliveryRow("wh-weight-huge"))!.reason).toMatch(/weight/i);
  });
});
