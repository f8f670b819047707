// The order page (/app/orders/:id) against real PostgreSQL, the fake Shopify and the fake Boekuwzending: an order
// imported from a webhook payload shows its addresses (as sent and as the carrier gets them), items and Koppel
// timeline, its shipment after the label and write-back; another shop's order id is 404 for loader and action; removing
// an order whose write-back is pending asks first, and "stop" keeps the shop from being told.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Runtime } from "~/runtime.server";
import { labelDeps } from "~/runtime.server";
import { activity, orders, shipments, shops } from "~/db/schema";
import { importOrder } from "~/core/import-order.server";
import { requestLabels } from "~/core/labels/request-labels.server";
import { orderPageView } from "~/core/order-page.server";
import { boekuwzendingAdapter } from "~/carriers/registry.server";
import { createMerchantCookieSession } from "~/merchant.server";
import { shopifyAdapter } from "~/platforms/registry.server";
import { loader as orderLoader, action as orderAction } from "~/routes/app.orders.$orderId._index";
import { action as listAction } from "~/routes/app._index";
import { dutchOrder, orderWebhookPayload } from "../fakes/shopify";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";
import { fromAddressFixture } from "../fixtures/from-address";

const SHOP = "order-page.myshopify.com";
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP);
});

afterAll(async () => {
  await world?.close();
  await rt.stop();
});

const carrierFor = () => boekuwzendingAdapter();

/** A paid order in the fake shop, imported from its orders/create payload (with its activity row, as a webhook does). */
async function importFromWebhook(overrides: Parameters<typeof dutchOrder>[0] = {}) {
  const o = world.shopify.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", ...overrides }));
  const parsed = shopifyAdapter().parseOrderWebhook(orderWebhookPayload(o));
  if (!parsed.ok) throw new Error(parsed.reason);
  const r = await importOrder(rt.db, { shopId: world.shop.id, paidStatuses: ["paid"], order: parsed.value, source: "webhook" });
  if (r.outcome !== "imported") throw new Error(`not imported: ${JSON.stringify(r)}`);
  return { orderId: r.orderId, fake: o, platformOrder: parsed.value };
}

describe("order page view", () => {
  it("shows the addresses, items and timeline of an imported order, then its shipment and write-back", async () => {
    const { orderId, fake, platformOrder } = await importFromWebhook({
      seed: 4,
      shippingAddress: { company: "Theehuis Oost B.V.", address1: "Keizersgracht 123-A", zip: "1015 CJ", city: "Amsterdam", phone: "+31 6 1234 5678" },
    });
    const before = await orderPageView(rt.db, world.shop.id, orderId, { carrierFor });
    expect(before).not.toBeNull();
    const v = before!;
    expect(v.number).toBe(fake.name);
    expect(v.status).toBe("to_ship");
    expect(v.email).toBe(fake.email);
    expect(v.phone).toBe("+31 6 1234 5678");
    // As the platform sent it: one line, whole.
    expect(v.shipToImported).toMatchObject({ address1: "Keizersgracht 123-A", postcode: "1015 CJ", city: "Amsterdam", country: "NL", company: "Theehuis Oost B.V." });
    // As the carrier will receive it: street, number and addition apart; nothing it would refuse.
    expect(v.carrierShipTo.address).toMatchObject({ street: "Keizersgracht", houseNumber: "123", houseNumberAddition: "A", postcode: "1015 CJ", city: "Amsterdam" });
    expect(v.carrierShipTo.missing).toEqual([]);
    // Items with SKU, quantity and weight, as imported.
    expect(v.lines.length).toBeGreaterThan(0);
    expect(v.lines).toEqual(
      platformOrder.lines.map((l) => ({ sku: l.sku ?? null, name: l.name, quantity: l.quantity, weightGrams: l.weightGrams ?? null, requiresShipping: l.requiresShipping !== false })),
    );
    expect(v.lines.every((l) => l.sku && l.quantity > 0 && (l.weightGrams ?? 0) > 0)).toBe(true);
    expect(v.itemCount).toBe(platformOrder.lines.reduce((n, l) => n + l.quantity, 0));
    // The timeline starts with the import by webhook.
    expect(v.timeline.map((e) => [e.summary, e.source])).toEqual([["import.imported", "webhook"]]);
    expect(v.shipments).toEqual([]);

    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    expect(r.ok && r.queued.length).toBe(1);
    // Requested, before any carrier call: the timeline says so, by the merchant.
    const requested = (await orderPageView(rt.db, world.shop.id, orderId, { carrierFor }))!;
    expect(requested.timeline.map((e) => [e.summary, e.source, e.result])).toEqual([
      ["carrier.label_requested", "merchant", "ok"],
      ["import.imported", "webhook", "ok"],
    ]);
    expect(requested.timeline[0]!.params).toMatchObject({ service: "postnl-standard", colli: 1, packageType: "package" });
    await world.drain();

    const after = (await orderPageView(rt.db, world.shop.id, orderId, { carrierFor }))!;
    expect(after.status).toBe("shipped");
    expect(after.shipments).toHaveLength(1);
    const [s] = after.shipments;
    expect(s!.trackingNumber).not.toBe("");
    expect(s!.trackingUrl).toMatch(/^https?:\/\//);
    expect(s!.writebackState).toBe("done");
    expect(s!.status).toBe("created"); // the parcel's status: no scan yet
    expect(after.labelRequest?.state).toBe("created");
    // Newest first: written back, label made, label requested, imported.
    const summaries = after.timeline.map((e) => e.summary);
    expect(summaries).toEqual(["writeback.done", "carrier.label_created", "carrier.label_requested", "import.imported"]);
    // The shipment's tracking is in the fake shop too.
    expect(world.shopify.listOrders(SHOP).find((o) => o.name === fake.name)!.fulfillments).toHaveLength(1);
  });
});

describe("order page timeline of bulk actions", () => {
  it("a bulk Label aanmaken gives each order its own 'label requested' row (one INSERT), a second click none", async () => {
    const picked = await Promise.all([importFromWebhook({ seed: 41 }), importFromWebhook({ seed: 42 }), importFromWebhook({ seed: 43 })]);
    const other = await importFromWebhook({ seed: 44 });
    const options = { service: "postnl-standard", colli: 2, packageType: "package" as const };
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: picked.map((p) => p.orderId), options, source: "cli" });
    expect(r.ok && r.queued.length).toBe(3);
    const batchId = r.ok ? r.batchId : null;
    // Joining the live requests (a double click) requests nothing new.
    const again = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: picked.map((p) => p.orderId), options, source: "merchant" });
    expect(again.ok && again.alreadyRequested.length).toBe(3);
    for (const p of picked) {
      const v = (await orderPageView(rt.db, world.shop.id, p.orderId, { carrierFor }))!;
      expect(v.timeline.map((e) => [e.summary, e.source])).toEqual([
        ["carrier.label_requested", "cli"],
        ["import.imported", "webhook"],
      ]);
      expect(v.timeline[0]!.params).toMatchObject({ service: "postnl-standard", colli: 2, batchId: batchId! });
    }
    expect((await orderPageView(rt.db, world.shop.id, other.orderId, { carrierFor }))!.timeline.map((e) => e.summary)).toEqual(["import.imported"]);
    const rows = await rt.db.select().from(activity).where(and(eq(activity.shopId, world.shop.id), eq(activity.summary, "carrier.label_requested")));
    expect(rows.filter((a) => picked.some((p) => p.fake.name === a.orderNumber))).toHaveLength(3);
    const { t } = await import("~/i18n");
    expect(t("nl", "carrier.label_requested")).toBe("Label aangevraagd bij de vervoerder");
    expect(t("en", "carrier.label_requested")).toBe("Label requested from the carrier");
    await world.drain();
  });

  it("shows a bulk removal and restore on each order it named, and not on the others", async () => {
    const { removeOrders, restoreOrders } = await import("~/core/orders.server");
    const a = await importFromWebhook({ seed: 31 });
    const b = await importFromWebhook({ seed: 32 });
    const c = await importFromWebhook({ seed: 33 });
    expect(await removeOrders(rt.db, world.shop.id, [a.orderId, b.orderId])).toBe(2);
    expect(await restoreOrders(rt.db, world.shop.id, [a.orderId, b.orderId])).toBe(2);
    const timeline = async (id: number) => (await orderPageView(rt.db, world.shop.id, id, { carrierFor }))!.timeline.map((e) => e.summary);
    expect(await timeline(a.orderId)).toEqual(["orders.restored", "orders.removed", "import.imported"]);
    expect(await timeline(b.orderId)).toEqual(["orders.restored", "orders.removed", "import.imported"]);
    expect(await timeline(c.orderId)).toEqual(["import.imported"]);
    // The rows are one per bulk action (Activiteit shows "2 bestellingen"), with the count for the sentence.
    const bulk = (await orderPageView(rt.db, world.shop.id, a.orderId, { carrierFor }))!.timeline[0]!;
    expect(bulk.params).toMatchObject({ count: 2 });
  });
});

describe("billing address", () => {
  it("shows the billing address the platform sent, and customers/redact erases it with the rest", async () => {
    const { importOrders } = await import("~/core/import-order.server");
    const { redactCustomer } = await import("~/core/privacy.server");
    const base = (await importFromWebhook({ seed: 9 })).platformOrder;
    const order = {
      ...base,
      platformOrderId: `${base.platformOrderId}-billing`,
      number: `${base.number}-F`,
      billTo: { name: "Boekhouding Theehuis", company: "Theehuis Oost B.V.", address1: "Postbus 12", postcode: "1000 AA", city: "Amsterdam", country: "NL" },
    };
    const [r] = await importOrders(rt.db, { shopId: world.shop.id, paidStatuses: ["paid"], source: "webhook" }, [{ order }]);
    const orderId = (r as { orderId: number }).orderId;
    const v = (await orderPageView(rt.db, world.shop.id, orderId, { carrierFor }))!;
    expect(v.billToImported).toMatchObject({ name: "Boekhouding Theehuis", address1: "Postbus 12", postcode: "1000 AA" });
    // A Shopify order's billing_address comes through its webhook as sent.
    const billed = await importFromWebhook({ billingAddress: { name: "Inkoop Bakkerij", company: "Bakkerij Zoet B.V.", address1: "Postbus 5", zip: "2500 AA", city: "Den Haag", countryCode: "NL", country: "Netherlands" } });
    expect((await orderPageView(rt.db, world.shop.id, billed.orderId, { carrierFor }))!.billToImported).toMatchObject({ name: "Inkoop Bakkerij", address1: "Postbus 5", city: "Den Haag" });
    // An order without a billing address says so (null), it is not the ship-to.
    const plain = (await orderPageView(rt.db, world.shop.id, (await importFromWebhook({ billingAddress: null })).orderId, { carrierFor }))!;
    expect(plain.billToImported).toBeNull();

    await redactCustomer({ db: rt.db, platformFor: () => shopifyAdapter() as never }, "shopify", SHOP, { platformOrderIds: [order.platformOrderId] });
    const [row] = await rt.db.select().from(orders).where(eq(orders.id, orderId));
    expect(row!.billTo).toBeNull();
  });
});

describe("order page route", () => {
  let otherShop: number;
  let cookieOther: string;
  let cookieOwn: string;
  let ownShop: number;

  beforeAll(async () => {
    // Cookie sessions (CCV Shop, Mijnwebwinkel): Koppel's own merchant strategy.
    const [a] = await rt.db.insert(shops).values({ platform: "ccvshop", domain: "a.order-page.example", fromAddress: fromAddressFixture() }).returning();
    const [b] = await rt.db.insert(shops).values({ platform: "ccvshop", domain: "b.order-page.example", fromAddress: fromAddressFixture() }).returning();
    ownShop = a!.id;
    otherShop = b!.id;
    cookieOwn = (await createMerchantCookieSession(ownShop)).split(";")[0]!;
    cookieOther = (await createMerchantCookieSession(otherShop)).split(";")[0]!;
  });

  async function insertOrder(shopId: number, n: number) {
    const [o] = await rt.db
      .insert(orders)
      .values({
        shopId,
        platformOrderId: `op-${shopId}-${n}`,
        number: `#${5000 + n}`,
        placedAt: new Date(),
        platformUpdatedAt: new Date(),
        status: "to_ship",
        financialStatus: "paid",
        customerName: "Fatima El Amrani",
        email: "fatima@example.nl",
        shipTo: { name: "Fatima El Amrani", address1: "Diezerstraat 12", postcode: "8011 RH", city: "Zwolle", country: "NL" },
        shipCity: "Zwolle",
        lines: [{ sku: "THEE-01", name: "Thee", quantity: 2, weightGrams: 250 }],
        itemCount: 2,
        weightGrams: 500,
      })
      .returning();
    return o!;
  }

  const req = (path: string, cookie: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("Cookie", cookie);
    return new Request(`http://localhost${path}`, { ...init, headers });
  };
  const post = (path: string, cookie: string, fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return req(path, cookie, { method: "POST", body: form });
  };
  async function thrown(p: Promise<unknown>): Promise<Response> {
    try {
      await p;
    } catch (e) {
      if (e instanceof Response) return e;
      throw e;
    }
    throw new Error("expected a thrown Response");
  }

  it("shop B's order id is 404 for shop A (loader and action), and nothing changes", async () => {
    const theirs = await insertOrder(otherShop, 1);
    const own = await insertOrder(ownShop, 2);
    const ok = await orderLoader({ request: req(`/app/orders/${own.id}`, cookieOwn), params: { orderId: String(own.id) }, context: {} });
    expect(ok.order.number).toBe("#5002");
    expect(ok.order.lines).toEqual([{ sku: "THEE-01", name: "Thee", quantity: 2, weightGrams: 250, requiresShipping: true }]);

    // B opens its own order; A gets 404 for it.
    expect((await orderLoader({ request: req(`/app/orders/${theirs.id}`, cookieOther), params: { orderId: String(theirs.id) }, context: {} })).order.id).toBe(theirs.id);
    const foreign = await thrown(orderLoader({ request: req(`/app/orders/${theirs.id}`, cookieOwn), params: { orderId: String(theirs.id) }, context: {} }));
    expect(foreign.status).toBe(404);
    const foreignPost = await thrown(orderAction({ request: post(`/app/orders/${theirs.id}`, cookieOwn, { intent: "remove" }), params: { orderId: String(theirs.id) }, context: {} }));
    expect(foreignPost.status).toBe(404);
    const [still] = await rt.db.select().from(orders).where(eq(orders.id, theirs.id));
    expect(still!.removedAt).toBeNull();
    // Not a number, or unknown: 404 as well.
    expect((await thrown(orderLoader({ request: req(`/app/orders/x`, cookieOwn), params: { orderId: "x" }, context: {} }))).status).toBe(404);
    expect((await thrown(orderLoader({ request: req(`/app/orders/99999999`, cookieOwn), params: { orderId: "99999999" }, context: {} }))).status).toBe(404);
  });

  it("removing an order whose write-back is pending asks first; 'stop' cancels the write-back, 'keep' lets it go on", async () => {
    const rows = await Promise.all([importFromWebhook(), importFromWebhook()]);
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: rows.map((x) => x.orderId), options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    expect(r.ok).toBe(true);
    // Labels only: run the create-label jobs, leave the write-backs queued.
    const { processLabelRequest } = await import("~/core/labels/label-job.server");
    for (const q of r.ok ? r.queued : []) await processLabelRequest(labelDeps(rt), q.labelRequestId);
    // Shopify shops sign in through Shopify's session token: the core decision is tested here, the route's below.
    const { ordersAwaitingWriteBack, removeOrders } = await import("~/core/orders.server");
    const [stop, keep] = rows.map((x) => x.orderId);
    expect((await ordersAwaitingWriteBack(rt.db, world.shop.id, [stop!, keep!])).map((o) => o.id).sort()).toEqual([stop!, keep!].sort());

    expect(await removeOrders(rt.db, world.shop.id, [stop!], { cancelWriteBack: true })).toBe(1);
    expect(await removeOrders(rt.db, world.shop.id, [keep!], { cancelWriteBack: false })).toBe(1);
    const [stopped] = await rt.db.select().from(shipments).where(eq(shipments.orderId, stop!));
    const [kept] = await rt.db.select().from(shipments).where(eq(shipments.orderId, keep!));
    expect(stopped!.writebackState).toBe("not_needed");
    expect(kept!.writebackState).toBe("pending");
    const cancelledRows = await rt.db
      .select()
      .from(activity)
      .where(and(eq(activity.shopId, world.shop.id), eq(activity.summary, "writeback.cancelled")));
    expect(cancelledRows.map((a) => a.orderNumber)).toEqual([rows[0]!.fake.name]);

    // The queued write-backs run: the stopped one tells the shop nothing, the kept one marks the order shipped.
    await world.drain();
    const inShop = (name: string) => world.shopify.listOrders(SHOP).find((o) => o.name === name)!;
    expect(inShop(rows[0]!.fake.name).fulfillments).toHaveLength(0);
    expect(inShop(rows[1]!.fake.name).fulfillments).toHaveLength(1);
  });

  async function withPendingShipment(orderId: number) {
    const { labelRequests } = await import("~/db/schema");
    const [lr] = await rt.db
      .insert(labelRequests)
      .values({ shopId: ownShop, orderId, idempotencyKey: `op-${orderId}`, carrier: "boekuwzending", environment: "staging", service: "s", colli: 1, packageType: "package", state: "created" })
      .returning();
    await rt.db.insert(shipments).values({
      shopId: ownShop,
      orderId,
      labelRequestId: lr!.id,
      carrier: "boekuwzending",
      environment: "staging",
      carrierShipmentId: `op-ship-${orderId}`,
      service: "s",
      colli: 1,
      packageType: "package",
      labels: [],
      trackingNumber: `3SKOPP${orderId}`,
      trackingUrl: `https://tracking.example/3SKOPP${orderId}`,
      trackingCompany: "PostNL",
    });
  }

  it("the list's bulk remove asks about pending write-backs, then 'keep' removes and lets the write-back go on", async () => {
    const plain = await insertOrder(ownShop, 10);
    const labelled = await insertOrder(ownShop, 11);
    await withPendingShipment(labelled.id);
    const form = (extra: Record<string, string> = {}) => {
      const f = new FormData();
      f.set("intent", "remove");
      f.append("ids", String(plain.id));
      f.append("ids", String(labelled.id));
      for (const [k, v] of Object.entries(extra)) f.set(k, v);
      return req("/app?index", cookieOwn, { method: "POST", body: f });
    };
    expect(await listAction({ request: form(), params: {}, context: {} })).toEqual({ ok: false, intent: "remove", count: 0, awaitingWriteBack: 1 });
    const stillThere = await rt.db.select().from(orders).where(eq(orders.id, plain.id));
    expect(stillThere[0]!.removedAt).toBeNull();
    expect(await listAction({ request: form({ writeBack: "keep" }), params: {}, context: {} })).toEqual({ ok: true, intent: "remove", count: 2 });
    expect((await rt.db.select().from(shipments).where(eq(shipments.orderId, labelled.id)))[0]!.writebackState).toBe("pending");
  });

  it("the route asks before removing an order with a pending write-back, then removes it with the answer", async () => {
    const own = await insertOrder(ownShop, 3);
    // A shipment without its write-back done (as the label job leaves it), bought for this shop.
    const { labelRequests } = await import("~/db/schema");
    const [lr] = await rt.db
      .insert(labelRequests)
      .values({ shopId: ownShop, orderId: own.id, idempotencyKey: `op-${own.id}`, carrier: "boekuwzending", environment: "staging", service: "s", colli: 1, packageType: "package", state: "created" })
      .returning();
    await rt.db.insert(shipments).values({
      shopId: ownShop,
      orderId: own.id,
      labelRequestId: lr!.id,
      carrier: "boekuwzending",
      environment: "staging",
      carrierShipmentId: `op-ship-${own.id}`,
      service: "s",
      colli: 1,
      packageType: "package",
      labels: [],
      trackingNumber: "3SKOPP000000001",
      trackingUrl: "https://tracking.example/3SKOPP000000001",
      trackingCompany: "PostNL",
    });
    const path = `/app/orders/${own.id}`;
    const params = { orderId: String(own.id) };
    const asked = await orderAction({ request: post(path, cookieOwn, { intent: "remove" }), params, context: {} });
    expect(asked).toEqual({ intent: "remove", ok: false, needsWriteBackChoice: true });
    expect((await rt.db.select().from(orders).where(eq(orders.id, own.id)))[0]!.removedAt).toBeNull();
    const done = await orderAction({ request: post(path, cookieOwn, { intent: "remove", writeBack: "cancel" }), params, context: {} });
    expect(done).toEqual({ intent: "remove", ok: true });
    expect((await rt.db.select().from(shipments).where(eq(shipments.orderId, own.id)))[0]!.writebackState).toBe("not_needed");
    const view = await orderLoader({ request: req(path, cookieOwn), params, context: {} });
    expect(view.order.removed).toBe(true);
    expect(view.order.timeline.map((e) => e.summary)).toEqual(expect.arrayContaining(["orders.removed", "writeback.cancelled"]));
  });
});
