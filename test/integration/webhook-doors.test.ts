// One webhook entry, one door per platform (app/webhook-route.server.ts): a second platform's door, registered here with
// its own trivial verifier (a shared-secret header), feeds the same inbox as Shopify's, and its deliveries are processed
// by its own adapter (a minimal ShopPlatform below): imported with the shop's decrypted credentials, an uninstall
// answered after the shop's tokens are dropped. Served as npm start serves webhooks (createKoppelHttpServer, Node fast
// path), against real PostgreSQL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createKoppelHttpServer } from "../../server-app";
import { createWebhookEntry, type WebhookRuntime } from "../../app/webhook-route.server";
import { headerValue, type DoorVerdict, type WebhookDoor } from "../../app/platforms/webhook-door";
import { enabledWebhookDoors } from "../../app/platforms/registry.server";
import { processDeliveries } from "../../app/core/deliveries.server";
import { connectShop } from "../../app/core/connect-shop";
import { installShop, findShop } from "../../app/core/shops.server";
import type { PlatformOrder, ShopAccess, ShopPlatform, StoredDelivery } from "../../app/core/ports";
import { parseJsonBody } from "../../app/core/text";
import { deliveries, orders } from "../../app/db/schema";
import { QUEUES, type JobData } from "../../app/jobs/queue.server";
import { FakeShopify, ManualClock, dutchOrder, orderWebhookPayload, signedWebhookRequest } from "../fakes/shopify";
import { countRows, runtime, SECRET } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

// Stands in for the next platform (CCV Shop's adapter comes in its own issue): its id, nothing of its scheme.
const PLATFORM = "ccvshop" as const;
const DOOR_PATH = "/webhooks/test-door";
const DOOR_SECRET = "test-door-shared-secret";
const DOOR_SHOP = "winkel.test-door.example";
const SHOPIFY_SHOP = "doors.myshopify.com";

/** The test door: a shared secret in a header; the body is `{ shop, event, order }`. */
const testDoor: WebhookDoor = {
  platform: PLATFORM,
  paths: { [DOOR_PATH]: ["order.paid", "app.uninstalled"] },
  verify(raw): DoorVerdict {
    if (headerValue(raw.headers, "x-test-secret") !== DOOR_SECRET) return { ok: false, status: 401 };
    const id = headerValue(raw.headers, "x-test-delivery");
    const parsed = parseJsonBody(raw.rawBody);
    if (!id || !parsed.ok) return { ok: false, status: 400 };
    const body = parsed.value as { shop: string; event: string };
    return { ok: true, deliveries: [{ platform: PLATFORM, shopDomain: body.shop, webhookId: id, topic: body.event, payload: body, bodyIsJson: true }] };
  },
  uninstalls: (d) => d.topic === "app.uninstalled",
};

type DoorOrder = { id: string; number: string; email: string; paid: boolean; updatedAt: string };

/** The test platform's adapter: only what processing a delivery and an uninstall use. */
function testPlatform() {
  const seen = { orderFromDelivery: [] as { shop: ShopAccess; webhookId: string }[], uninstalled: [] as string[] };
  const unused = () => Promise.reject(new Error("not used by this test"));
  const adapter = {
    id: PLATFORM,
    capabilities: { intake: "webhooks", notifiesCustomerOnShipment: false, listing: "changed_since" },
    classifyDelivery: (d: StoredDelivery) =>
      d.topic === "order.paid" ? { kind: "order" } : d.topic === "app.uninstalled" ? { kind: "uninstall" } : { kind: "ignore", reason: `topic ${d.topic}` },
    async orderFromDelivery(shop: ShopAccess, d: StoredDelivery) {
      seen.orderFromDelivery.push({ shop, webhookId: d.webhookId });
      const o = (d.payload as { order: DoorOrder }).order;
      const at = new Date(o.updatedAt);
      const order: PlatformOrder = {
        platformOrderId: o.id,
        number: o.number,
        placedAt: at,
        updatedAt: at,
        financialStatus: o.paid ? "paid" : "pending",
        fulfillmentStatus: null,
        cancelled: false,
        test: false,
        customerId: null,
        customerName: "Sanne de Vries",
        email: o.email,
        company: null,
        shipTo: { name: "Sanne de Vries", address1: "Keizersgracht 123", city: "Amsterdam", postcode: "1015 CJ", country: "NL" },
        lines: [{ sku: "MOK-01", name: "Mok", quantity: 1, weightGrams: 300, requiresShipping: true }],
        totalPrice: "12.50",
        currency: "EUR",
        raw: o,
      };
      return { ok: true as const, value: order };
    },
    fetchOrder: unused,
    listOrders: unused,
    markShipped: unused,
    applyPlatformDelivery: unused,
    deliveryMentions: () => [],
    async onUninstall(shop: { domain: string }) {
      seen.uninstalled.push(shop.domain);
    },
    onRedact: unused,
  } satisfies ShopPlatform;
  return { adapter, seen };
}

let rt: Runtime;
let deps: WebhookRuntime & Runtime;
let platform: ReturnType<typeof testPlatform>;
let server: http.Server;
let port: number;
const clock = new ManualClock();
const fake = new FakeShopify({ clock });
fake.addShop(SHOPIFY_SHOP);

beforeAll(async () => {
  rt = await runtime();
  platform = testPlatform();
  deps = { ...rt, platformFor: (id) => (id === PLATFORM ? platform.adapter : rt.platformFor(id)) };
  await installShop(rt.db, "shopify", SHOPIFY_SHOP);
  const connected = await connectShop(rt, { platform: PLATFORM, domain: DOOR_SHOP, credentials: { apiKey: "door-api-key" } });
  expect(connected.ok).toBe(true);
  // The app's Shopify door plus the test's (standing in for CCV Shop's real door): one entry in the list.
  const entry = createWebhookEntry({ doors: [...enabledWebhookDoors(["shopify"]), testDoor], runtime: async () => deps });
  server = createKoppelHttpServer({ webhooks: entry.handleNode, app: (_req, res) => void res.writeHead(299).end("not a webhook") });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rt.stop();
});

function sendToDoor(body: unknown, opts: { id: string; secret?: string; path?: string }) {
  return fetch(`http://127.0.0.1:${port}${opts.path ?? DOOR_PATH}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Test-Secret": opts.secret ?? DOOR_SECRET, "X-Test-Delivery": opts.id },
    body: JSON.stringify(body),
  });
}

async function sendToShopify(request: Request) {
  return fetch(`http://127.0.0.1:${port}${new URL(request.url).pathname}`, { method: "POST", headers: request.headers, body: await request.text() });
}

/** Every queued process-delivery job, processed as the worker does, with this test's adapters. */
async function drain(): Promise<Map<number, unknown>> {
  const out = new Map<number, unknown>();
  for (;;) {
    const jobs = await rt.boss.fetch<JobData["process-delivery"]>(QUEUES.processDelivery, { batchSize: 50 });
    if (!jobs.length) return out;
    const results = await processDeliveries(deps, jobs.flatMap((j) => j.data.deliveryIds));
    for (const [id, r] of results) out.set(id, r);
    for (const job of jobs) await rt.boss.complete(QUEUES.processDelivery, job.id);
  }
}

const doorOrder = (id: string): DoorOrder => ({ id, number: `W-${id}`, email: "sanne@example.nl", paid: true, updatedAt: "2026-11-27T10:00:00Z" });

describe("a second platform's webhook door", () => {
  it("feeds the same inbox as Shopify's door; each delivery is imported by its own platform's adapter", async () => {
    const batchesBefore = rt.inbox.stats.deliveries;
    const shopifyOrder = fake.upsertOrder(SHOPIFY_SHOP, dutchOrder({ financialStatus: "PAID" }));
    const [doorRes, shopifyRes] = await Promise.all([
      sendToDoor({ shop: DOOR_SHOP, event: "order.paid", order: doorOrder("d-1") }, { id: "door-1" }),
      sendToShopify(
        signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/paid", shop: SHOPIFY_SHOP, payload: orderWebhookPayload(shopifyOrder), secret: SECRET, webhookId: "shopify-1" }),
      ),
    ]);
    expect([doorRes.status, shopifyRes.status]).toEqual([200, 200]);
    // One inbox, one deliveries table: both stored through rt.inbox.
    expect(rt.inbox.stats.deliveries - batchesBefore).toBe(2);
    const stored = await rt.db.select().from(deliveries);
    expect(stored.map((d) => [d.platform, d.webhookId, d.topic]).sort()).toEqual([
      [PLATFORM, "door-1", "order.paid"],
      ["shopify", "shopify-1", "orders/paid"],
    ]);
    // A redelivery is stored once, as for Shopify.
    expect((await sendToDoor({ shop: DOOR_SHOP, event: "order.paid", order: doorOrder("d-1") }, { id: "door-1" })).status).toBe(200);
    expect(await countRows(rt, "deliveries", `webhook_id = 'door-1'`)).toBe(1);

    const outcomes = await drain();
    expect([...outcomes.values()].sort()).toEqual(["imported", "imported"]);
    // The test platform's adapter read its delivery, with the shop's credentials decrypted (stored by connectShop).
    expect(platform.seen.orderFromDelivery).toHaveLength(1);
    expect(platform.seen.orderFromDelivery[0]).toMatchObject({ webhookId: "door-1", shop: { platform: PLATFORM, domain: DOOR_SHOP, credentials: { apiKey: "door-api-key" } } });
    const doorShop = (await findShop(rt.db, PLATFORM, DOOR_SHOP))!;
    const [imported] = await rt.db.select().from(orders).where(and(eq(orders.shopId, doorShop.id), eq(orders.platformOrderId, "d-1")));
    expect(imported).toMatchObject({ number: "W-d-1", status: "to_ship", email: "sanne@example.nl" });
    const shopifyShop = (await findShop(rt.db, "shopify", SHOPIFY_SHOP))!;
    expect(await countRows(rt, "orders", `shop_id = ${shopifyShop.id} and platform_order_id = '${shopifyOrder.id}'`)).toBe(1);
  });

  it("refuses with its own verifier's answer, a topic its path does not take with 400, and variants of its path with 404", async () => {
    expect((await sendToDoor({ shop: DOOR_SHOP, event: "order.paid", order: doorOrder("d-2") }, { id: "door-bad", secret: "wrong" })).status).toBe(401);
    expect((await sendToDoor({ shop: DOOR_SHOP, event: "order.refunded", order: doorOrder("d-2") }, { id: "door-topic" })).status).toBe(400);
    for (const path of [`${DOOR_PATH}/`, "/Webhooks/test-door", `${DOOR_PATH}.data`]) {
      expect((await sendToDoor({ shop: DOOR_SHOP, event: "order.paid", order: doorOrder("d-2") }, { id: "door-variant", path })).status, path).toBe(404);
    }
    // Shopify's door still verifies Shopify's way: the test door's secret header opens nothing there.
    expect((await sendToDoor({ shop: SHOPIFY_SHOP, event: "order.paid" }, { id: "door-on-shopify", path: "/webhooks/orders" })).status).toBe(401);
    expect(await countRows(rt, "deliveries", `webhook_id in ('door-bad', 'door-topic', 'door-variant', 'door-on-shopify')`)).toBe(0);
  });

  it("an uninstall through the door drops the shop's access (its adapter's onUninstall) before the answer", async () => {
    const res = await sendToDoor({ shop: DOOR_SHOP, event: "app.uninstalled" }, { id: "door-uninstall" });
    expect(res.status).toBe(200);
    // Already done when the 200 came, before any job ran.
    expect(platform.seen.uninstalled).toEqual([DOOR_SHOP]);
    expect((await findShop(rt.db, PLATFORM, DOOR_SHOP))!.uninstalledAt).not.toBeNull();
    await drain();
    // A late order delivery of the uninstalled shop is dropped, as for Shopify.
    expect((await sendToDoor({ shop: DOOR_SHOP, event: "order.paid", order: doorOrder("d-3") }, { id: "door-late" })).status).toBe(200);
    expect([...(await drain()).values()]).toEqual(["skipped"]);
    expect(platform.seen.orderFromDelivery.map((c) => c.webhookId)).not.toContain("door-late");
  });
});

describe("the door registry", () => {
  it("a platform that is not enabled gets no webhook path: its paths answer 404", async () => {
    const entry = createWebhookEntry({ doors: enabledWebhookDoors(["mijnwebwinkel"]), runtime: async () => deps });
    expect(entry.paths.size).toBe(0);
    expect([...createWebhookEntry({ doors: enabledWebhookDoors(["shopify"]), runtime: async () => deps }).paths.keys()].sort()).toEqual([
      "/webhooks/app/scopes_update",
      "/webhooks/app/uninstalled",
      "/webhooks/compliance",
      "/webhooks/orders",
    ]);
    const s = http.createServer((req, res) => void (entry.handleNode(req, res) || res.writeHead(299).end()));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    try {
      const request = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/paid", shop: SHOPIFY_SHOP, payload: {}, secret: SECRET, webhookId: "not-served" });
      const res = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/webhooks/orders`, { method: "POST", headers: request.headers, body: "{}" });
      expect(res.status).toBe(404);
      expect(await countRows(rt, "deliveries", `webhook_id = 'not-served'`)).toBe(0);
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  it("CCV Shop's door serves /webhooks/ccvshop/{token}: one token segment only; anything else under it is 404 unread", () => {
    const entry = createWebhookEntry({ doors: enabledWebhookDoors(["shopify", "ccvshop"]), runtime: async () => deps });
    const token = "A".repeat(43);
    expect(entry.servedPath(`/webhooks/ccvshop/${token}`)?.door.platform).toBe("ccvshop");
    expect(entry.servedPath("/webhooks/orders")?.door.platform).toBe("shopify");
    for (const path of ["/webhooks/ccvshop", "/webhooks/ccvshop/", "/webhooks/ccvshop/short", `/webhooks/ccvshop/${token}/x`, `/webhooks/ccvshop/${token}.data`, `/webhooks/CCVSHOP/${token}`]) {
      expect(entry.servedPath(path), path).toBeUndefined();
    }
    expect(createWebhookEntry({ doors: enabledWebhookDoors(["shopify"]), runtime: async () => deps }).servedPath(`/webhooks/ccvshop/${token}`)).toBeUndefined();
  });

  it("refuses two doors on one path, and a path that is not exact and under /webhooks/", () => {
    const runtimeOf = async () => deps;
    const thief: WebhookDoor = { ...testDoor, paths: { "/webhooks/orders": ["order.paid"] } };
    expect(() => createWebhookEntry({ doors: [...enabledWebhookDoors(["shopify"]), thief], runtime: runtimeOf })).toThrow(/\/webhooks\/orders is claimed by both shopify and ccvshop/);
    for (const path of ["/hooks/x", "/webhooks/x/", "/webhooks//x", "/webhooks/X"]) {
      expect(() => createWebhookEntry({ doors: [{ ...testDoor, paths: { [path]: ["order.paid"] } }], runtime: runtimeOf }), path).toThrow(/must be lower case/);
    }
  });
});
