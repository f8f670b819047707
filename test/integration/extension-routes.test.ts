// The admin UI extensions' backend (app/routes/api.extensions.*): Shopify session tokens as the extensions' fetch
// carries them (Bearer, signed with the app secret), real PostgreSQL, the fake Shopify and the fake Boekuwzending.
// A valid token works; a forged, expired or another app's token, or a shop that left, is refused; shop A's token with
// shop B's order is 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { Session } from "@shopify/shopify-api";
import { env } from "~/env.server";
import { sessionStorage } from "~/shopify.server";
import { installShop, updateShopSettings } from "~/core/shops.server";
import { removeOrders } from "~/core/orders.server";
import { deleteRule, saveRule } from "~/core/rules/rules.server";
import { orders, shipments, shops } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import { loader as orderLoader, action as orderAction } from "~/routes/api.extensions.order";
import { action as labelsAction } from "~/routes/api.extensions.labels";
import { action as restoreAction } from "~/routes/api.extensions.restore";
import { action as retryAction } from "~/routes/api.extensions.retry-writeback";
import { loader as printLoader, action as printAction } from "~/routes/api.extensions.print";
import { loader as pdfLoader } from "~/routes/app.shipments.pdf";
import { action as fetchOrderAction } from "~/routes/api.extensions.fetch-order";
import { dutchOrder, signSessionToken } from "../fakes/shopify";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";

const SHOP_A = "extensions-a.myshopify.com";
const SHOP_B = "extensions-b.myshopify.com";
const ORIGIN = "https://extensions.shopifycdn.com";

let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;
let orderA: { id: number; gid: string; number: string };
let orderB: { id: number; gid: string };

const gidOf = (platformOrderId: string) => `gid://shopify/Order/${platformOrderId}`;
const tokenFor = (shop: string, opts: { secret?: string; apiKey?: string; ttlSeconds?: number } = {}) =>
  signSessionToken({ shop, apiKey: opts.apiKey ?? env.SHOPIFY_API_KEY, apiSecret: opts.secret ?? env.SHOPIFY_API_SECRET, ttlSeconds: opts.ttlSeconds });

function request(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Request {
  const headers = new Headers({ Origin: ORIGIN });
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  return new Request(`${env.SHOPIFY_APP_URL}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

/** A route's answer, returned or thrown (authenticate.admin throws its refusals). */
async function call(fn: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> | Response, req: Request): Promise<Response> {
  try {
    return await fn({ request: req, params: {}, context: {} });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

async function json<T = Record<string, unknown>>(r: Response): Promise<T> {
  return (await r.json()) as T;
}

/** A stored offline session with the app's scopes: authenticate.admin needs no token exchange for it. */
async function storeSession(shop: string, accessToken: string) {
  await sessionStorage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken, scope: env.SCOPES }));
}

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP_A);
  await storeSession(SHOP_A, "shpat_label_world"); // the token the fake Shopify knows (label-world)
  const [a] = await world.paidOrders(1);
  const rowA = await world.orderRow(a!);
  orderA = { id: rowA.id, gid: gidOf(rowA.platformOrderId), number: rowA.number };
  // Shop B: installed in Koppel with an order of its own.
  const b = await installShop(rt.db, "shopify", SHOP_B);
  await storeSession(SHOP_B, "shpat_extension_b");
  const [row] = await rt.db
    .insert(orders)
    .values({ shopId: b.id, platformOrderId: "880000001", number: "#B1", placedAt: new Date(), platformUpdatedAt: new Date(), status: "to_ship", financialStatus: "paid" })
    .returning();
  orderB = { id: row!.id, gid: gidOf("880000001") };
});

afterAll(async () => {
  await world.close();
  await rt.stop();
});

describe("session tokens", () => {
  it("a valid token of the shop: the order's view, with CORS headers for the extension's origin", async () => {
    const r = await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderA.gid)}&locale=en`, tokenFor(SHOP_A)));
    expect(r.status).toBe(200);
    expect(r.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(r.headers.get("Cache-Control")).toBe("no-store");
    const view = await json<{ order: { number: string; status: string }; carrier: { environment: string; services: unknown[] }; label: unknown; packageTypes: { value: string; label: string }[] }>(r);
    expect(view.order).toMatchObject({ number: orderA.number, status: "to_ship", missingAddress: [] });
    expect(view.carrier.environment).toBe("staging");
    expect(view.carrier.services.length).toBeGreaterThan(0);
    expect(view.label).toBeNull();
    // Koppel's own texts arrive in the admin's language.
    expect(view.packageTypes.find((p) => p.value === "package")!.label).toBe("Parcel");
  });

  it("answers the CORS preflight without a token (204)", async () => {
    const r = await call(orderAction, new Request(`${env.SHOPIFY_APP_URL}/api/extensions/order`, { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Headers": "authorization" } }));
    expect(r.status).toBe(204);
    expect(r.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(r.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });

  it("refuses no token, a forged one, an expired one and another app's (401), and a shop that uninstalled Koppel", async () => {
    const path = `/api/extensions/order?id=${encodeURIComponent(orderA.gid)}`;
    const refused = [
      null,
      tokenFor(SHOP_A, { secret: "someone-elses-secret" }),
      tokenFor(SHOP_A, { ttlSeconds: -120 }),
      tokenFor(SHOP_A, { apiKey: "another-apps-client-id" }),
      "not.a.jwt",
    ];
    for (const token of refused) {
      const r = await call(orderLoader, request(path, token));
      expect(r.status, String(token)).toBe(401);
      // Nothing of the order leaks in a refusal.
      expect(await r.text()).not.toContain(orderA.number);
    }
    // Shop B uninstalls: its (valid) tokens are refused.
    await rt.db.update(shops).set({ uninstalledAt: new Date() }).where(eq(shops.domain, SHOP_B));
    try {
      const r = await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderB.gid)}`, tokenFor(SHOP_B)));
      expect(r.status).toBe(401);
      expect(await json(r)).toEqual({ error: "not_installed" });
    } finally {
      await rt.db.update(shops).set({ uninstalledAt: null }).where(eq(shops.domain, SHOP_B));
    }
  });

  it("shop A's token with shop B's order id: 404 on every route, and nothing of B's changes", async () => {
    const token = tokenFor(SHOP_A);
    expect((await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderB.gid)}`, token))).status).toBe(404);
    const create = await call(labelsAction, request("/api/extensions/labels", token, { method: "POST", body: { orderId: orderB.gid, service: "postnl-standard", colli: 1, packageType: "package" } }));
    expect(create.status).toBe(404);
    expect((await call(restoreAction, request("/api/extensions/restore", token, { method: "POST", body: { orderId: orderB.gid } }))).status).toBe(404);
    expect((await call(retryAction, request("/api/extensions/retry-writeback", token, { method: "POST", body: { orderId: orderB.gid } }))).status).toBe(404);
    // Shop A's Shopify does not have B's order: "Nu ophalen" finds nothing and imports nothing.
    expect((await call(fetchOrderAction, request("/api/extensions/fetch-order", token, { method: "POST", body: { orderId: orderB.gid } }))).status).toBe(404);
    const print = await json<{ src: string | null; missing: { id: string; number: string | null; why: string }[] }>(
      await call(printLoader, request(`/api/extensions/print?ids=${encodeURIComponent(orderB.gid)}`, token)),
    );
    expect(print).toMatchObject({ src: null, missing: [{ id: orderB.gid, number: null, why: "not_in_koppel" }] });
    expect(await world.requestsOf(orderB.id)).toEqual([]);
    // Shop B's own token sees it.
    expect((await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderB.gid)}`, tokenFor(SHOP_B)))).status).toBe(200);
  });

  it("a malformed order id is 400", async () => {
    for (const id of ["123", "gid://shopify/Product/1", "gid://shopify/Order/abc", ""]) {
      const r = await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(id)}`, tokenFor(SHOP_A)));
      expect(r.status, id).toBe(400);
    }
  });
});

describe("the flows", () => {
  it("Label aanmaken: queued through the app's use case, a second click joins it, then the waybill, tracking link and a signed PDF", async () => {
    const token = tokenFor(SHOP_A);
    const before = await json<{ carrier: { services: { code: string }[]; defaultService: string } }>(
      await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderA.gid)}`, token)),
    );
    const body = { orderId: orderA.gid, service: before.carrier.defaultService, colli: 2, packageType: "package" };
    const first = await call(labelsAction, request("/api/extensions/labels", token, { method: "POST", body }));
    expect(first.status).toBe(200);
    expect((await json<{ view: { label: { state: string } } }>(first)).view.label.state).toBe("queued");
    const second = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body }));
    expect(second.status).toBe(200);
    expect(await world.requestsOf(orderA.id)).toHaveLength(1);

    await world.drain();
    const after = await json<{ label: { state: string; trackingNumber: string; trackingUrl: string; pdfUrl: string; writeback: { state: string } } }>(
      await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderA.gid)}`, tokenFor(SHOP_A))),
    );
    expect(after.label).toMatchObject({ state: "created", writeback: { state: "done" } });
    expect(after.label.trackingNumber).toBeTruthy();
    expect(after.label.trackingUrl).toMatch(/^https?:\/\//);
    expect(after.label.pdfUrl.startsWith(`${env.SHOPIFY_APP_URL}/app/shipments/pdf?`)).toBe(true);
    const pdf = await call(pdfLoader, new Request(after.label.pdfUrl));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");

    // Shipped now: another request is refused with the view saying why.
    const again = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body }));
    expect(again.status).toBe(422);
    expect(await json(again)).toMatchObject({ error: "not_to_ship" });
  });

  it("a mailbox parcel too heavy for its service is refused before any carrier call, and says so", async () => {
    const [id] = await world.paidOrders(1, { lineItems: [{ sku: "PLD", title: "Plaid", quantity: 1, grams: 3000, price: "59.00" }] });
    const row = await world.orderRow(id!);
    const calls = world.carrier.fake.requestCount();
    const body = { orderId: gidOf(row.platformOrderId), service: "postnl-mailbox", colli: 1, packageType: "envelop" };
    const r = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body }));
    expect(r.status).toBe(422);
    // The limit it is over, for the extension's sentence ("de grens is 2 kg").
    expect(await json(r)).toMatchObject({ error: "too_heavy", detail: { service: "postnl-mailbox", limitGrams: 2000, parcelGrams: 3000 } });
    expect(await world.requestsOf(id!)).toEqual([]);
    expect(world.carrier.fake.requestCount()).toBe(calls);
  });

  it("the merchant's options are bought as chosen when the rules have no plan (the connection names no default service)", async () => {
    const { carrierConnections } = await import("~/db/schema");
    const [conn] = await rt.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, world.shop.id));
    await rt.db.update(carrierConnections).set({ services: [], defaultService: null }).where(eq(carrierConnections.shopId, world.shop.id));
    try {
      const [id] = await world.paidOrders(1);
      const row = await world.orderRow(id!);
      const body = { orderId: gidOf(row.platformOrderId), service: "dpd-classic", colli: 2, packageType: "package" };
      const r = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body }));
      expect(r.status, JSON.stringify(await r.clone().json())).toBe(200);
      expect(await world.requestsOf(id!)).toMatchObject([{ service: "dpd-classic", colli: 2, packageType: "package" }]);
      // Without a service to go on there is nothing to buy: a clear refusal, not the rules' silence.
      const [other] = await world.paidOrders(1);
      const otherRow = await world.orderRow(other!);
      const colliOnly = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body: { orderId: gidOf(otherRow.platformOrderId), colli: 2 } }));
      expect(colliOnly.status).toBe(422);
      expect(await json(colliOnly)).toMatchObject({ error: "bad_options", detail: "service" });
      expect(await world.requestsOf(other!)).toEqual([]);
      // The weight checked is the one the label job sends: no weight from Shopify, 3 kg per item by the shop's setting.
      await updateShopSettings(rt.db, world.shop.id, { defaultItemWeightGrams: 3000 });
      try {
        const [light] = await world.paidOrders(1, { lineItems: [{ sku: "ZG", title: "Zonder gewicht", quantity: 1, grams: 0, price: "5.00" }] });
        const lightRow = await world.orderRow(light!);
        const mailbox = { orderId: gidOf(lightRow.platformOrderId), service: "postnl-mailbox", colli: 1, packageType: "envelop" };
        const heavy = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body: mailbox }));
        expect(heavy.status).toBe(422);
        expect(await json(heavy)).toMatchObject({ error: "too_heavy", detail: { limitGrams: 2000, parcelGrams: 3000 } });
      } finally {
        await updateShopSettings(rt.db, world.shop.id, { defaultItemWeightGrams: 0 });
      }
    } finally {
      await rt.db.update(carrierConnections).set({ services: conn!.services, defaultService: conn!.defaultService }).where(eq(carrierConnections.shopId, world.shop.id));
    }
    await world.drain();
  });

  it("refuses label options that do not parse, with nothing queued", async () => {
    const [id] = await world.paidOrders(1);
    const row = await world.orderRow(id!);
    for (const body of [{ orderId: gidOf(row.platformOrderId), service: "", colli: 1, packageType: "package" }, { orderId: gidOf(row.platformOrderId), service: "x", colli: 0, packageType: "package" }, { orderId: gidOf(row.platformOrderId), service: "x", colli: 1, packageType: "crate" }, "not json"]) {
      const r = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body }));
      expect(r.status).toBe(400);
    }
    expect(await world.requestsOf(id!)).toEqual([]);
  });

  it("Nu ophalen: a paid order not in Koppel yet is read from Shopify and imported; an unpaid one is not, and says why", async () => {
    const paid = world.shopify.upsertOrder(SHOP_A, dutchOrder({ financialStatus: "PAID" }));
    const paidGid = gidOf(String(paid.id));
    expect((await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(paidGid)}`, tokenFor(SHOP_A)))).status).toBe(404);
    const fetched = await call(fetchOrderAction, request("/api/extensions/fetch-order", tokenFor(SHOP_A), { method: "POST", body: { orderId: paidGid } }));
    expect(fetched.status).toBe(200);
    expect((await json<{ view: { order: { number: string; status: string } } }>(fetched)).view.order).toMatchObject({ number: paid.name, status: "to_ship" });
    expect((await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(paidGid)}`, tokenFor(SHOP_A)))).status).toBe(200);

    const unpaid = world.shopify.upsertOrder(SHOP_A, dutchOrder({ financialStatus: "PENDING" }));
    const unpaidGid = gidOf(String(unpaid.id));
    const refused = await call(fetchOrderAction, request("/api/extensions/fetch-order", tokenFor(SHOP_A), { method: "POST", body: { orderId: unpaidGid } }));
    expect(refused.status).toBe(422);
    expect(await json(refused)).toEqual({ error: "not_imported", skip: "not_paid" });
    expect((await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(unpaidGid)}`, tokenFor(SHOP_A)))).status).toBe(404);
  });

  it("Nu ophalen follows the shop's 'Testbestellingen importeren': a test order is refused by default, imported when on", async () => {
    const testOrder = world.shopify.upsertOrder(SHOP_A, dutchOrder({ financialStatus: "PAID", test: true }));
    const testGid = gidOf(String(testOrder.id));
    const refused = await call(fetchOrderAction, request("/api/extensions/fetch-order", tokenFor(SHOP_A), { method: "POST", body: { orderId: testGid } }));
    expect(refused.status).toBe(422);
    expect(await json(refused)).toEqual({ error: "not_imported", skip: "test_order" });
    await updateShopSettings(rt.db, world.shop.id, { importTestOrders: true });
    try {
      const fetched = await call(fetchOrderAction, request("/api/extensions/fetch-order", tokenFor(SHOP_A), { method: "POST", body: { orderId: testGid } }));
      expect(fetched.status).toBe(200);
      expect((await json<{ view: { order: { status: string } } }>(fetched)).view.order.status).toBe("to_ship");
    } finally {
      await updateShopSettings(rt.db, world.shop.id, { importTestOrders: false });
    }
  });

  it("a removed order says so and is restored", async () => {
    const [id] = await world.paidOrders(1);
    const row = await world.orderRow(id!);
    await removeOrders(rt.db, world.shop.id, [id!]);
    const seen = await json<{ order: { removed: boolean } }>(await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(gidOf(row.platformOrderId))}`, tokenFor(SHOP_A))));
    expect(seen.order.removed).toBe(true);
    const restored = await call(restoreAction, request("/api/extensions/restore", tokenFor(SHOP_A), { method: "POST", body: { orderId: gidOf(row.platformOrderId) } }));
    expect(restored.status).toBe(200);
    expect((await json<{ view: { order: { removed: boolean } } }>(restored)).view.order.removed).toBe(false);
    expect((await world.orderRow(id!)).removedAt).toBeNull();
  });

  it("Opnieuw for a failed write-back queues it again; with nothing failed it is 409", async () => {
    const [shipment] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderA.id));
    const none = await call(retryAction, request("/api/extensions/retry-writeback", tokenFor(SHOP_A), { method: "POST", body: { orderId: orderA.gid } }));
    expect(none.status).toBe(409);
    await rt.db.update(shipments).set({ writebackState: "failed", writebackError: "[shop.not_installed] gone" }).where(eq(shipments.id, shipment!.id));
    const failed = await json<{ label: { writeback: { state: string; reason: { text: string } } } }>(
      await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderA.gid)}&locale=nl`, tokenFor(SHOP_A))),
    );
    expect(failed.label.writeback.state).toBe("failed");
    expect(failed.label.writeback.reason.text.length).toBeGreaterThan(0);
    const retried = await call(retryAction, request("/api/extensions/retry-writeback", tokenFor(SHOP_A), { method: "POST", body: { orderId: orderA.gid } }));
    expect(retried.status).toBe(200);
    expect((await json<{ view: { label: { writeback: { state: string } } } }>(retried)).view.label.writeback.state).toBe("pending");
    await world.drain();
  });

  it("print: one PDF of the selection's labels in the shop's format; orders without a label are listed", async () => {
    const [unlabelled] = await world.paidOrders(1);
    const unlabelledRow = await world.orderRow(unlabelled!);
    const ids = [orderA.gid, gidOf(unlabelledRow.platformOrderId), orderB.gid].join(",");
    const view = await json<{ src: string; format: { format: string }; printed: string[]; missing: { number: string | null; why: string }[] }>(
      await call(printLoader, request(`/api/extensions/print?ids=${encodeURIComponent(ids)}`, tokenFor(SHOP_A))),
    );
    expect(view.format).toEqual({ format: "A6", start: 1 });
    expect(view.printed).toEqual([orderA.number]);
    expect(view.missing).toEqual([
      { id: gidOf(unlabelledRow.platformOrderId), number: unlabelledRow.number, why: "no_label" },
      { id: orderB.gid, number: null, why: "not_in_koppel" },
    ]);
    const pdf = await call(pdfLoader, new Request(view.src));
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");

    // The merchant picks A4 from position 3: stored for the shop, and the next print uses it.
    const chosen = await json<{ src: string; format: unknown }>(
      await call(printAction, request("/api/extensions/print", tokenFor(SHOP_A), { method: "POST", body: { ids: [orderA.gid], format: "A4", start: 3 } })),
    );
    expect(chosen.format).toEqual({ format: "A4", start: 3 });
    expect(new URL(chosen.src).searchParams.get("format")).toBe("A4");
    expect(new URL(chosen.src).searchParams.get("start")).toBe("3");
    const next = await json<{ format: unknown }>(await call(printLoader, request(`/api/extensions/print?ids=${encodeURIComponent(orderA.gid)}`, tokenFor(SHOP_A))));
    expect(next.format).toEqual({ format: "A4", start: 3 });
  });
});

describe("shipping rules (the app's label dialog plan)", () => {
  /** A shop rule for the duration of one test (the file's other tests keep the carrier's defaults). */
  async function withRule(rule: Parameters<typeof saveRule>[2], fn: () => Promise<void>) {
    const saved = await saveRule(rt.db, world.shop.id, rule);
    if (!saved.ok) throw new Error(saved.reason);
    try {
      await fn();
    } finally {
      await deleteRule(rt.db, world.shop.id, saved.rule.id);
    }
  }
  const viewOf = async (orderGid: string) =>
    json<{ rules: Record<string, unknown> | null }>(await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(orderGid)}`, tokenFor(SHOP_A))));
  const atCarrier = (number: string) => world.carrier.fake.shipments().find((s) => s.request.invoiceReference === number || s.request.invoiceReference === number.replace("#", ""));
  const dimensions = { lengthCm: 40, widthCm: 30, heightCm: 20 };

  it("a rule NL → DPD Classic: the order view carries its choice; a POST without options buys DPD Classic at the carrier, chosen options override it", async () => {
    await withRule({ name: "NL → DPD", conditions: { countries: ["NL"] }, action: { kind: "label", service: "dpd-classic", packageType: "package", colli: { mode: "fixed", count: 2 }, dimensions } }, async () => {
      const [byRule, byMerchant] = await world.paidOrders(2);
      const ruled = await world.orderRow(byRule!);
      const view = await viewOf(gidOf(ruled.platformOrderId));
      expect(view.rules).toEqual({ group: "dpd-classic", rule: "NL → DPD", skip: false, service: "dpd-classic", packageType: "package", colli: 2, dimensions, price: null });
      // The dialog's first load asks the carrier's price of that choice too (as the app's dialog shows it).
      const priced = await json<{ rules: { price: { amount: number; currency: string } } }>(
        await call(orderLoader, request(`/api/extensions/order?id=${encodeURIComponent(gidOf(ruled.platformOrderId))}&prices=1`, tokenFor(SHOP_A))),
      );
      expect(priced.rules.price.currency).toBe("EUR");
      expect(priced.rules.price.amount).toBeGreaterThan(0);

      const r = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body: { orderId: gidOf(ruled.platformOrderId) } }));
      expect(r.status).toBe(200);
      expect(await world.requestsOf(byRule!)).toMatchObject([{ service: "dpd-classic", colli: 2, packageType: "package" }]);
      await world.drain();
      const sent = atCarrier(ruled.number)!.request;
      expect(sent.service).toBe("dpd-classic");
      expect(sent.items).toMatchObject([{ quantity: 2, dimensions: { length: 40, width: 30, height: 20 } }]);

      const chosen = await world.orderRow(byMerchant!);
      const body = { orderId: gidOf(chosen.platformOrderId), service: "postnl-standard", colli: 1, packageType: "package" };
      expect((await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body }))).status).toBe(200);
      await world.drain();
      expect(atCarrier(chosen.number)!.request).toMatchObject({ service: "postnl-standard", items: [{ quantity: 1 }] });
    });
  });

  it("a rule that makes no label: the view says so, a POST without options queues nothing and names the rule, the merchant's choice still makes one", async () => {
    await withRule({ name: "Afhalen", conditions: { countries: ["NL"] }, action: { kind: "skip" } }, async () => {
      const [id] = await world.paidOrders(1);
      const row = await world.orderRow(id!);
      expect((await viewOf(gidOf(row.platformOrderId))).rules).toMatchObject({ group: "skip", rule: "Afhalen", skip: true, service: null });
      const r = await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body: { orderId: gidOf(row.platformOrderId) } }));
      expect(r.status).toBe(422);
      expect(await json(r)).toMatchObject({ error: "skipped_by_rule", detail: "Afhalen" });
      expect(await world.requestsOf(id!)).toEqual([]);
      const body = { orderId: gidOf(row.platformOrderId), service: "postnl-standard", colli: 1, packageType: "package" };
      expect((await call(labelsAction, request("/api/extensions/labels", tokenFor(SHOP_A), { method: "POST", body }))).status).toBe(200);
      expect(await world.requestsOf(id!)).toMatchObject([{ service: "postnl-standard", colli: 1 }]);
      await world.drain();
    });
  });
});
