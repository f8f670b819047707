import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShopifyPlatform, ShopifyUnauthorizedError } from "../../app/platforms/shopify/adapter.server";
import { createSessionGraphqlTransport } from "../../app/platforms/shopify/graphql-transport.server";
import { splitHouseNumber } from "../../app/core/address";
import type { ShopAccess, ShopPlatform, SyncPage } from "../../app/core/ports";
import { parseJson } from "../../app/core/text";
import { ManualClock, createFakeShopify, dutchOrder, orderWebhookPayload } from "../fakes/shopify";

const clock = new ManualClock("2026-11-27T10:00:00Z");
const { fake, handlers } = createFakeShopify({ clock });
const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

const TOKEN = "shpat_adapter_token";
const transport = createSessionGraphqlTransport({
  loadOfflineSession: async (shop) => (fake.hasShop(shop) ? { accessToken: TOKEN } : undefined),
  apiVersion: "2026-10",
});

function platform() {
  const sleeps: number[] = [];
  const p = createShopifyPlatform({
    transport,
    now: () => clock.now().getTime(),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
  });
  return { p, sleeps };
}

let shopSeq = 0;
function newShop(): string {
  const shop = `adapter-${++shopSeq}.myshopify.com`;
  fake.addShop(shop, { accessToken: TOKEN });
  return shop;
}

/** n orders updated one minute apart, oldest first. */
function seed(shop: string, n: number, start = "2026-11-01T00:00:00Z") {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) =>
    fake.upsertOrder(shop, dutchOrder({ seed: i, createdAt: new Date(t0 - 86400_000), updatedAt: new Date(t0 + i * 60_000) })),
  );
}

const access = (domain: string): ShopAccess => ({ shopId: 1, platform: "shopify", domain, credentials: null });

async function syncAll(p: ShopPlatform, shop: string, since: Date | null) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: SyncPage = await p.listOrders(access(shop), { since, pageCursor: cursor });
    pages.push(page.orders.map((o) => o.platformOrderId));
    cursor = page.nextPageCursor;
  } while (cursor);
  return pages;
}

describe("Shopify adapter: webhook payloads", () => {
  it("parses a realistic orders/create payload", () => {
    const shop = newShop();
    const o = fake.upsertOrder(
      shop,
      dutchOrder({
        seed: 2,
        email: "sanne.devries@example.nl",
        customer: { firstName: "Sanne", lastName: "de Vries" },
        shippingAddress: { name: "Sanne de Vries", company: "Studio Gracht", address1: "Keizersgracht 123-A", address2: null, zip: "1015 CJ", city: "Amsterdam", countryCode: "NL", phone: "+31 6 1234 5678" },
        lineItems: [
          { sku: "KOF-ESP-1000", title: "Koffiebonen Espresso", variantTitle: "1 kg", quantity: 2, grams: 1000, price: "24.95" },
          { sku: null, title: "Cadeaubon", quantity: 1, grams: 0, requiresShipping: false, price: "25.00" },
        ],
        createdAt: "2026-11-20T09:15:00Z",
        updatedAt: "2026-11-20T09:16:00Z",
      }),
    );
    const payload = JSON.parse(JSON.stringify(orderWebhookPayload(o)));
    const r = platform().p.parseOrderWebhook(payload);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      platformOrderId: String(o.id),
      number: o.name,
      financialStatus: "paid",
      fulfillmentStatus: "unfulfilled",
      cancelled: false,
      test: false,
      customerName: "Sanne de Vries",
      email: "sanne.devries@example.nl",
      company: "Studio Gracht",
      totalPrice: "74.90",
      currency: "EUR",
      shipTo: {
        name: "Sanne de Vries",
        company: "Studio Gracht",
        address1: "Keizersgracht 123-A",
        street: "Keizersgracht",
        houseNumber: "123",
        houseNumberAddition: "A",
        postcode: "1015 CJ",
        city: "Amsterdam",
        country: "NL",
        phone: "+31 6 1234 5678",
      },
      lines: [
        { sku: "KOF-ESP-1000", name: "Koffiebonen Espresso - 1 kg", quantity: 2, weightGrams: 1000, requiresShipping: true },
        { sku: null, name: "Cadeaubon", quantity: 1, weightGrams: 0, requiresShipping: false },
      ],
    });
    // REST sends shop-local time with an offset; the instant must be the same.
    expect(r.value.placedAt.toISOString()).toBe("2026-11-20T09:15:00.000Z");
    expect(r.value.updatedAt.toISOString()).toBe("2026-11-20T09:16:00.000Z");
    expect(r.value.raw).toBe(payload);
  });

  it("maps cancelled/refunded/fulfilled states", () => {
    const shop = newShop();
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 4, fulfillmentStatus: "FULFILLED" }));
    const c = fake.cancelOrder(shop, o.id, { refund: true });
    const r = platform().p.parseOrderWebhook(orderWebhookPayload(c));
    expect(r.ok && r.value).toMatchObject({ cancelled: true, financialStatus: "refunded", fulfillmentStatus: "fulfilled" });
  });

  it("returns {ok:false} naming the bad fields instead of throwing", () => {
    const shop = newShop();
    const payload = JSON.parse(JSON.stringify(orderWebhookPayload(fake.upsertOrder(shop, dutchOrder({ seed: 1 })))));
    delete payload.name;
    payload.line_items[0].quantity = "two";
    payload.updated_at = "yesterday";
    const r = platform().p.parseOrderWebhook(payload);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/\bname\b/);
    expect(r.reason).toContain("line_items.0.quantity");
    expect(r.reason).toContain("updated_at");
    for (const bad of [null, "garbage", 42, { id: 1 }]) expect(platform().p.parseOrderWebhook(bad).ok).toBe(false);
  });

  it("splits Dutch and Belgian house numbers", () => {
    expect(splitHouseNumber("Keizersgracht 123", "NL")).toEqual({ street: "Keizersgracht", houseNumber: "123", houseNumberAddition: null });
    expect(splitHouseNumber("Breestraat 112B", "NL")).toEqual({ street: "Breestraat", houseNumber: "112", houseNumberAddition: "B" });
    expect(splitHouseNumber("2e Jan Steenstraat 10-III", "NL")).toEqual({ street: "2e Jan Steenstraat", houseNumber: "10", houseNumberAddition: "III" });
    expect(splitHouseNumber("Laan van Meerdervoort 1001 hs", "NL")).toEqual({ street: "Laan van Meerdervoort", houseNumber: "1001", houseNumberAddition: "hs" });
    expect(splitHouseNumber("Plein 1944 12", "NL")).toEqual({ street: "Plein 1944", houseNumber: "12", houseNumberAddition: null });
    expect(splitHouseNumber("Meir 12 bus 3", "BE")).toEqual({ street: "Meir", houseNumber: "12", houseNumberAddition: "bus 3" });
    expect(splitHouseNumber("Postbus", "NL")).toBeNull();
    expect(splitHouseNumber("10 Downing Street", "GB")).toBeNull();
  });
});

describe("Shopify adapter: payload edges", () => {
  const payloadOf = (o: Parameters<typeof dutchOrder>[0]) => JSON.parse(JSON.stringify(orderWebhookPayload(fake.upsertOrder(newShop(), dutchOrder(o)))));

  it("cleans NUL and lone surrogates from every field it maps, and keeps raw as received", () => {
    const payload = payloadOf({
      customer: { firstName: "San\u0000ne", lastName: "de \ud800Vries" },
      shippingAddress: { name: "San\u0000ne de \ud800Vries", address1: "Keizers\u0000gracht 123", city: "Amster\udc00dam" },
      lineItems: [{ sku: "MOK\u0000", title: "Mok \ud83d", quantity: 1, grams: 380 }],
    });
    const r = platform().p.parseOrderWebhook(payload);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      customerName: "Sanne de \ufffdVries",
      shipTo: { name: "Sanne de \ufffdVries", address1: "Keizersgracht 123", street: "Keizersgracht", houseNumber: "123", city: "Amster\ufffddam" },
      lines: [{ sku: "MOK", name: "Mok \ufffd" }],
    });
    expect(r.value.raw).toBe(payload);
    expect(JSON.stringify({ ...r.value, raw: null })).not.toMatch(/\\u0000|\\ud[89a-f]/);
  });

  it("keeps ids above 2^53 exact: from the lossless parse, or from admin_graphql_api_id when the number was rounded", () => {
    const payload = payloadOf({});
    const text = JSON.stringify({ ...payload, id: "@ID@", admin_graphql_api_id: null }).replace('"@ID@"', "820982911946154508");
    const lossless = platform().p.parseOrderWebhook(parseJson(text));
    expect(lossless.ok && lossless.value.platformOrderId).toBe("820982911946154508");

    const rounded = { ...payload, id: 820982911946154508, admin_graphql_api_id: "gid://shopify/Order/820982911946154508" };
    const fromGid = platform().p.parseOrderWebhook(rounded);
    expect(fromGid.ok && fromGid.value.platformOrderId).toBe("820982911946154508");

    const neither = platform().p.parseOrderWebhook({ ...rounded, admin_graphql_api_id: null });
    expect(neither.ok).toBe(false);
    if (!neither.ok) expect(neither.reason).toMatch(/id: not an exact integer/);
  });

  it("takes zero and negative quantities as they are (the core ships nothing for them), refuses out-of-range ones", () => {
    const odd = platform().p.parseOrderWebhook(payloadOf({ lineItems: [{ title: "a", quantity: 0, grams: 1 }, { title: "b", quantity: -1, grams: 1 }] }));
    expect(odd.ok && odd.value.lines.map((l) => l.quantity)).toEqual([0, -1]);

    const huge = platform().p.parseOrderWebhook(payloadOf({ lineItems: [{ title: "a", quantity: 3_000_000_000, grams: 1 }] }));
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.reason).toContain("line_items.0.quantity");

    const heavy = platform().p.parseOrderWebhook(payloadOf({ lineItems: [{ title: "a", quantity: 1000, grams: 5_000_000 }] }));
    expect(heavy.ok).toBe(false);
    if (!heavy.ok) expect(heavy.reason).toMatch(/weight/);
  });

  it("a sync page hands back an order it cannot take, with what is known of it, and cleans the names of the others", async () => {
    const shop = newShop();
    const nul = fake.upsertOrder(shop, dutchOrder({ seed: 1, customer: { firstName: "Lot\u0000te", lastName: "\udc00Bakker" } }));
    const heavy = fake.upsertOrder(shop, dutchOrder({ seed: 2, lineItems: [{ title: "Zwaar", quantity: 1, grams: 3_000_000_000 }] }));
    const page = await platform().p.listOrdersUpdatedSince(shop, null, null);
    expect(page.orders.map((o) => [o.platformOrderId, o.customerName])).toEqual([[String(nul.id), "Lotte \ufffdBakker"]]);
    expect(page.invalid).toEqual([
      { platformOrderId: String(heavy.id), number: heavy.name, updatedAt: new Date(heavy.updatedAt), reason: expect.stringMatching(/weight 3000000000 g/) },
    ]);
  });
});

describe("Shopify adapter: the customer's id (customers/redact finds orders by it)", () => {
  const BIG = "820982911946154509";

  it("the webhook mapping takes customer.id (exact above 2^53), the GID when the number was rounded, null for a guest", () => {
    const shop = newShop();
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 3 }));
    const payload = JSON.parse(JSON.stringify(orderWebhookPayload(o)));
    const parse = (p: unknown) => platform().p.parseOrderWebhook(p);
    const plain = parse(payload);
    expect(plain.ok && plain.value.customerId).toBe(String(o.customer!.id));

    const text = JSON.stringify({ ...payload, customer: { ...payload.customer, id: "@ID@" } }).replace('"@ID@"', BIG);
    const lossless = parse(parseJson(text));
    expect(lossless.ok && lossless.value.customerId).toBe(BIG);

    const rounded = { ...payload, customer: { ...payload.customer, id: 820982911946154509, admin_graphql_api_id: `gid://shopify/Customer/${BIG}` } };
    const fromGid = parse(rounded);
    expect(fromGid.ok && fromGid.value.customerId).toBe(BIG);

    // An id that cannot be read exactly is left out; the order itself still imports (raw keeps what came).
    for (const id of [820982911946154509, "abc", -1, { nested: 1 }]) {
      const r = parse({ ...payload, customer: { ...payload.customer, id } });
      expect(r.ok && r.value.customerId).toBeNull();
    }
    const guest = parse({ ...payload, customer: null });
    expect(guest.ok && guest.value.customerId).toBeNull();
  });

  it("the sync and fetchOrder (GraphQL) give the customer GID's digits, the same id the webhook gives; null for a guest", async () => {
    const shop = newShop();
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 4 }));
    const guest = fake.upsertOrder(shop, dutchOrder({ seed: 5, customer: null }));
    const { p } = platform();
    const page = await p.listOrdersUpdatedSince(shop, null, null);
    expect(page.orders.map((x) => [x.platformOrderId, x.customerId])).toEqual([
      [String(o.id), String(o.customer!.id)],
      [String(guest.id), null],
    ]);
    const fetched = await p.fetchOrder(access(shop), String(o.id));
    expect(fetched.ok && fetched.value?.customerId).toBe(String(o.customer!.id));
    const hook = p.parseOrderWebhook(orderWebhookPayload(o));
    expect(hook.ok && hook.value.customerId).toBe(String(o.customer!.id));
  });

  it("says where its stored webhooks name a customer: e-mail (any case), order id, customer id", () => {
    const { p } = platform();
    expect(p.deliveryMentions({ email: "A@Example.nl", customerId: BIG, platformOrderIds: ["1", "2"] })).toEqual([
      { path: ["email"], values: ["A@Example.nl"], caseInsensitive: true },
      { path: ["id"], values: ["1", "2"] },
      { path: ["customer", "id"], values: [BIG] },
    ]);
    expect(p.deliveryMentions({ email: null, customerId: null, platformOrderIds: [] })).toEqual([]);
  });
});

describe("Shopify adapter: sync over GraphQL", () => {
  it("pages through 100 orders in 3 pages of at most 40, oldest update first", async () => {
    const shop = newShop();
    const orders = seed(shop, 100);
    fake.resetCounters();
    const { p, sleeps } = platform();
    const pages = await syncAll(p, shop, new Date("2026-10-01T00:00:00Z"));
    expect(pages.map((x) => x.length)).toEqual([40, 40, 20]);
    expect(pages.flat()).toEqual(orders.map((o) => String(o.id)));
    expect(fake.apiCalls(shop)).toBe(3);
    // Never THROTTLED: the one wait is the pre-emptive one before a page whose 962 requested points the bucket
    // (1000, less the first page's actual cost, refilling at 100/s) does not hold yet.
    expect(sleeps).toEqual([850]);
  });

  it("since filters on updated_at (inclusive); since=null returns everything", async () => {
    const shop = newShop();
    const orders = seed(shop, 30);
    const { p } = platform();
    const since = new Date(orders[20]!.updatedAt);
    expect((await syncAll(p, shop, since)).flat()).toEqual(orders.slice(20).map((o) => String(o.id)));
    expect((await syncAll(p, shop, null)).flat()).toEqual(orders.map((o) => String(o.id)));
  });

  it("takes the billing address from both paths: the webhook's billing_address and the sync's billingAddress; none → null", async () => {
    const shop = newShop();
    const billed = fake.upsertOrder(shop, dutchOrder({ seed: 8, billingAddress: { name: "Administratie Jansen", company: "Jansen B.V.", address1: "Postbus 77", zip: "3500 AB", city: "Utrecht", countryCode: "NL", country: "Netherlands" } }));
    const unbilled = fake.upsertOrder(shop, dutchOrder({ seed: 9, billingAddress: null }));
    const { p } = platform();
    const synced = (await p.listOrdersUpdatedSince(shop, null, null)).orders;
    const hook = p.parseOrderWebhook(JSON.parse(JSON.stringify(orderWebhookPayload(billed))));
    if (!hook.ok) throw new Error(hook.reason);
    const expected = { name: "Administratie Jansen", company: "Jansen B.V.", address1: "Postbus 77", postcode: "3500 AB", city: "Utrecht", country: "NL" };
    expect(hook.value.billTo).toMatchObject(expected);
    expect(synced.find((o) => o.platformOrderId === String(billed.id))?.billTo).toMatchObject(expected);
    expect(synced.find((o) => o.platformOrderId === String(unbilled.id))?.billTo).toBeNull();
    const plainHook = p.parseOrderWebhook(orderWebhookPayload(unbilled));
    expect(plainHook.ok && plainHook.value.billTo).toBeNull();
  });

  it("gives the same PlatformOrder from the GraphQL path as from the webhook", async () => {
    const shop = newShop();
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 6, country: "BE", lineItems: [{ sku: "PLD-WOL-130", title: "Wollen plaid", quantity: 2, grams: 1200 }] }));
    const { p } = platform();
    const [fromSync] = (await p.listOrdersUpdatedSince(shop, null, null)).orders;
    const fromHook = p.parseOrderWebhook(orderWebhookPayload(o));
    expect(fromHook.ok).toBe(true);
    if (!fromHook.ok || !fromSync) throw new Error("missing");
    // Only the sync reads fulfillment orders (webhook payloads carry none): they are its platform data. Only the webhook
    // carries the shipping method (the sync's query leaves it out, for its cost; the import keeps the webhook's).
    const { raw: _a, platformData, shippingMethod: fromSyncMethod, ...a } = fromSync;
    const { raw: _b, shippingMethod: _c, ...b } = fromHook.value;
    expect(a).toEqual(b);
    expect(fromSyncMethod).toBeUndefined();
    expect(fromSync.shipTo?.country).toBe("BE");
    expect(fromHook.value.platformData).toBeUndefined();
    expect(platformData).toEqual({
      fulfillmentOrders: [{ id: `gid://shopify/FulfillmentOrder/${o.fulfillmentOrders[0]!.id}`, status: "OPEN", methodType: "SHIPPING" }],
      complete: true,
    });
  });

  it("a nothing-changed sync makes exactly one API call", async () => {
    const shop = newShop();
    const orders = seed(shop, 5);
    fake.resetCounters();
    const { p } = platform();
    const page = await p.listOrdersUpdatedSince(shop, new Date(Date.parse(orders[4]!.updatedAt) + 1000), null);
    expect(page).toEqual({ orders: [], nextPageCursor: null });
    expect(fake.apiCalls(shop)).toBe(1);
  });

  it("waits out a throttled answer for the computed time, then finishes", async () => {
    const shop = newShop();
    seed(shop, 60);
    fake.setBucket(shop, { currentlyAvailable: 0 });
    fake.resetCounters();
    const { p, sleeps } = platform();
    const pages = await syncAll(p, shop, null);
    expect(pages.flat()).toHaveLength(60);
    // requested cost of the orders query = 2 + 40 × 24 = 962 points; 0 available at 100 points/s → 9.62 s
    expect(sleeps[0]).toBe(9620);
    expect(fake.apiCalls(shop)).toBe(3); // throttled + 2 pages
  });

  it("waits pre-emptively when the last answer left too little in the bucket", async () => {
    const shop = newShop();
    seed(shop, 60);
    fake.setBucket(shop, { currentlyAvailable: 1000 });
    fake.resetCounters();
    const { p, sleeps } = platform();
    const pages = await syncAll(p, shop, null);
    expect(pages.map((x) => x.length)).toEqual([40, 20]);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(fake.apiCalls(shop)).toBe(2); // never throttled
  });

  it("honours HTTP 429 Retry-After and surfaces other errors", async () => {
    const shop = newShop();
    seed(shop, 3);
    fake.failNext(shop, { status: 429, headers: { "Retry-After": "2.0" }, body: { errors: "Exceeded 2 calls per second for api client." } });
    const { p, sleeps } = platform();
    expect((await p.listOrdersUpdatedSince(shop, null, null)).orders).toHaveLength(3);
    expect(sleeps).toEqual([2000]);

    const wrong = createShopifyPlatform({ transport: createSessionGraphqlTransport({ loadOfflineSession: async () => ({ accessToken: "shpat_revoked" }), apiVersion: "2026-10" }) });
    await expect(wrong.listOrdersUpdatedSince(shop, null, null)).rejects.toBeInstanceOf(ShopifyUnauthorizedError);
  });

  it("fetches every line of an order with more than 10 lines", async () => {
    const shop = newShop();
    const lines = Array.from({ length: 13 }, (_, i) => ({ sku: `SKU-${i}`, title: `Artikel ${i}`, quantity: 1, grams: 100 + i }));
    fake.upsertOrder(shop, dutchOrder({ seed: 1, lineItems: lines }));
    const { p } = platform();
    const [o] = (await p.listOrdersUpdatedSince(shop, null, null)).orders;
    expect(o?.lines.map((l) => l.sku)).toEqual(lines.map((l) => l.sku));
    expect(o?.lines[12]?.weightGrams).toBe(112);
  });
});

/** Every GraphQL call the fake answers for `shop` (what Shopify's bucket accounting sees), until restore(). */
function recordCalls(shop: string) {
  const calls: { query: string; throttled: boolean; requested: number | null; actual: number | null }[] = [];
  const original = fake.executeGraphql.bind(fake);
  fake.executeGraphql = async (domain, query, variables, operationName) => {
    const body = await original(domain, query, variables, operationName);
    const cost = body.extensions?.cost as { requestedQueryCost: number; actualQueryCost: number | null } | undefined;
    const throttled = Array.isArray(body.errors) && body.errors.some((e) => (e as { extensions?: { code?: string } }).extensions?.code === "THROTTLED");
    if (domain === shop) calls.push({ query, throttled, requested: cost?.requestedQueryCost ?? null, actual: cost?.actualQueryCost ?? null });
    return body;
  };
  return { calls, restore: () => void delete (fake as { executeGraphql?: unknown }).executeGraphql };
}

const TRACKING = { distributor: null, carrierName: "Boekuwzending", number: "3SBUZ0001", url: "https://mijn.boekuwzending.com/track-en-trace/3SBUZ0001/1015CJ" };

describe("Shopify adapter: local pick-up", () => {
  it("an order whose every fulfillment order is collected (or not delivered) has no address for a carrier", async () => {
    const shop = newShop();
    const { p } = platform();
    const lines = [
      { sku: "KOF-ESP-1000", title: "Koffiebonen Espresso", quantity: 1, grams: 1000 },
      { sku: "MOK-WIT", title: "Mok wit", quantity: 1, grams: 350 },
    ];
    const made = {
      pickUp: fake.upsertOrder(shop, dutchOrder({ seed: 60, fulfillmentOrders: [{ methodType: "PICK_UP" }] })),
      local: fake.upsertOrder(shop, dutchOrder({ seed: 61, fulfillmentOrders: [{ methodType: "LOCAL" }] })),
      pickUpAndDigital: fake.upsertOrder(shop, dutchOrder({ seed: 62, lineItems: lines, fulfillmentOrders: [{ methodType: "PICK_UP", lineIndexes: [0] }, { methodType: "NONE", lineIndexes: [1] }] })),
      pickupPoint: fake.upsertOrder(shop, dutchOrder({ seed: 63, fulfillmentOrders: [{ methodType: "PICKUP_POINT" }] })),
      mixed: fake.upsertOrder(shop, dutchOrder({ seed: 64, lineItems: lines, fulfillmentOrders: [{ methodType: "PICK_UP", lineIndexes: [0] }, { methodType: "SHIPPING", lineIndexes: [1] }] })),
      shipping: fake.upsertOrder(shop, dutchOrder({ seed: 65 })),
    };
    const listed = new Map((await p.listOrdersUpdatedSince(shop, null, null)).orders.map((o) => [o.platformOrderId, o]));
    const shipTo = (o: { id: number }) => listed.get(String(o.id))?.shipTo ?? null;
    expect(shipTo(made.pickUp)).toBeNull();
    expect(shipTo(made.local)).toBeNull();
    expect(shipTo(made.pickUpAndDigital)).toBeNull();
    expect(shipTo(made.pickupPoint)?.postcode).toBeTruthy();
    expect(shipTo(made.mixed)?.postcode).toBeTruthy();
    expect(shipTo(made.shipping)?.postcode).toBeTruthy();
    // fetchOrder (the sync's re-read by id) reads the same.
    const again = await p.fetchOrder(access(shop), String(made.pickUp.id));
    expect(again.ok && again.value?.shipTo).toBeNull();
  });
});

describe("Shopify adapter: fulfillment", () => {
  it("concurrent write-backs of one shop read their fulfillment orders with one nodes(ids:) query", async () => {
    const shop = newShop();
    const { p } = platform();
    const os = Array.from({ length: 6 }, (_, i) => fake.upsertOrder(shop, dutchOrder({ seed: 40 + i })));
    const rec = recordCalls(shop);
    try {
      const results = await Promise.all(os.map((o) => p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: true })));
      expect(results.every((r) => r.ok && r.value.platformFulfillmentIds.length === 1)).toBe(true);
      const reads = rec.calls.filter((c) => !/^\s*mutation/.test(c.query));
      expect(reads).toHaveLength(1);
      expect(reads[0]!.query).toMatch(/nodes\(ids: \$ids\)/);
      expect(reads[0]!.requested).toBe(6 * 13);
      expect(rec.calls).toHaveLength(7);
      for (const o of os) expect(fake.getOrder(shop, o.id)!.fulfillmentStatus).toBe("FULFILLED");
    } finally {
      rec.restore();
    }
  });

  it("waits for what the bucket must hold, so a burst of write-backs is not throttled", async () => {
    const shop = newShop();
    const { p, sleeps } = platform();
    // One write-back first: the adapter learns what its read and its mutation cost.
    const first = fake.upsertOrder(shop, dutchOrder({ seed: 70 }));
    expect(await p.markShipped(access(shop), String(first.id), TRACKING, { notifyCustomer: true })).toMatchObject({ ok: true });
    const os = Array.from({ length: 12 }, (_, i) => fake.upsertOrder(shop, dutchOrder({ seed: 71 + i })));
    // Something else (another app instance) empties the bucket: the first call learns it from Shopify's THROTTLED.
    fake.setBucket(shop, { currentlyAvailable: 0 });
    const rec = recordCalls(shop);
    try {
      const results = await Promise.all(os.map((o) => p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: true })));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(rec.calls.map((c) => c.throttled)).toEqual([true, ...Array<boolean>(13).fill(false)]);
      expect(rec.calls.filter((c) => !/^\s*mutation/.test(c.query))).toHaveLength(2); // the throttled read and its retry
      // The read of 12 orders asks for 12 × 13 = 156 points: waited for at 100 points/s from an empty bucket. It keeps
      // 60 (5 per order) and gives back 96; the twelve mutations (10 each) wait only for what that leaves short:
      // nine go at once, then 40 ms for the tenth (6 left + 4 restored) and 100 ms for each of the last two.
      expect(sleeps).toEqual([1560, 40, 100, 100]);
    } finally {
      rec.restore();
    }
  });

  it("fulfils only the fulfillment orders that ship, one call per location", async () => {
    const shop = newShop();
    const { p } = platform();
    const lines = ["A", "B", "C"].map((x) => ({ sku: `SKU-${x}`, title: `Artikel ${x}`, quantity: 1, grams: 100 }));
    const o = fake.upsertOrder(
      shop,
      dutchOrder({
        seed: 90,
        lineItems: lines,
        fulfillmentOrders: [
          { methodType: "PICK_UP", lineIndexes: [0] },
          { methodType: "SHIPPING", lineIndexes: [1] },
          { methodType: "SHIPPING", lineIndexes: [2], locationName: "Magazijn Utrecht" },
        ],
      }),
    );
    const r = await p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: false });
    expect(r.ok && r.value.platformFulfillmentIds).toHaveLength(2);
    const calls = fake.fulfillmentCalls(shop);
    expect(calls.map((c) => c.userErrors)).toEqual([[], []]);
    expect(calls.map((c) => c.input.lineItemsByFulfillmentOrder.length)).toEqual([1, 1]);
    expect(fake.getOrder(shop, o.id)!.fulfillmentOrders.map((fo) => [fo.methodType, fo.status])).toEqual([
      ["PICK_UP", "OPEN"],
      ["SHIPPING", "CLOSED"],
      ["SHIPPING", "CLOSED"],
    ]);
  });

  it("lists fulfillment orders and creates a fulfillment; a second try surfaces userErrors", async () => {
    const shop = newShop();
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 9 }));
    const { p } = platform();
    const fos = await p.getFulfillmentOrders(shop, String(o.id));
    expect(fos).toHaveLength(1);
    expect(fos[0]).toMatchObject({ status: "OPEN", methodType: "SHIPPING", locationName: "Magazijn Amsterdam" });
    expect(fos[0]!.lineItems.map((l) => l.remainingQuantity)).toEqual(o.lineItems.map((l) => l.quantity));

    const input = {
      fulfillmentOrderIds: fos.map((f) => f.id),
      tracking: { company: "DHL Express", number: "JVGL0612345678", url: "https://www.dhl.com/nl-nl/home/tracking.html?tracking-id=JVGL0612345678" },
      notifyCustomer: true,
    };
    const ok = await p.createFulfillment(shop, input);
    expect(ok).toMatchObject({ ok: true, status: "SUCCESS", trackingInfo: [input.tracking] });
    expect(fake.getOrder(shop, o.id)!.fulfillmentStatus).toBe("FULFILLED");
    const [call] = fake.fulfillmentCalls(shop);
    expect(call?.input).toEqual({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fos[0]!.id }], notifyCustomer: true, trackingInfo: input.tracking });

    const again = await p.createFulfillment(shop, input);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.reason).toMatch(/unfulfillable status= closed/);
    expect((await p.getFulfillmentOrders(shop, String(o.id)))[0]!.status).toBe("CLOSED");
  });

  it("markShipped maps the neutral distributor to Shopify's tracking company (or the carrier's name)", async () => {
    const shop = newShop();
    const { p } = platform();
    const dhl = fake.upsertOrder(shop, dutchOrder({ seed: 11 }));
    const other = fake.upsertOrder(shop, dutchOrder({ seed: 12 }));
    const url = "https://mijn.boekuwzending.com/track-en-trace/3S1/1015CJ";
    expect(await p.markShipped(access(shop), String(dhl.id), { distributor: "DHL", carrierName: "Boekuwzending", number: "3S1", url }, { notifyCustomer: true })).toMatchObject({ ok: true });
    expect(await p.markShipped(access(shop), String(other.id), { distributor: null, carrierName: "Boekuwzending", number: "3S2", url }, { notifyCustomer: false })).toMatchObject({ ok: true });
    const calls = fake.fulfillmentCalls(shop);
    expect(calls.map((c) => c.input.trackingInfo?.company)).toEqual(["DHL Parcel", "Boekuwzending"]);
    expect(calls.map((c) => c.input.notifyCustomer)).toEqual([true, false]);
  });
});

describe("Shopify adapter: write-back with the fulfillment orders the sync read", () => {
  /** The order as the sync hands it to the core: its platform data holds the fulfillment orders it read. */
  async function synced(p: ShopPlatform, shop: string, id: number) {
    const r = await p.fetchOrder(access(shop), String(id));
    if (!r.ok || !r.value) throw new Error("order not read");
    return r.value.platformData;
  }

  it("fulfils the one open fulfillment order it knows with a single call; the next write-back reads first", async () => {
    const shop = newShop();
    const { p } = platform();
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 120 }));
    const platformData = await synced(p, shop, o.id);
    const rec = recordCalls(shop);
    try {
      const r = await p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: true, platformData });
      expect(rec.calls).toHaveLength(1);
      expect(rec.calls[0]!.query).toMatch(/^\s*mutation KoppelFulfillmentCreate/);
      expect(r).toMatchObject({ ok: true, value: { alreadyShipped: false } });
      if (!r.ok) throw new Error(r.reason);
      expect(r.value.platformFulfillmentIds).toHaveLength(1);
      expect(fake.getOrder(shop, o.id)!.fulfillmentStatus).toBe("FULFILLED");
      expect(fake.fulfillmentCalls(shop).map((c) => c.input.lineItemsByFulfillmentOrder)).toEqual([
        [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${o.fulfillmentOrders[0]!.id}` }],
      ]);
      // What it hands back to be stored says the fulfillment order is done: a second write-back reads, sends nothing.
      const again = await p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: true, platformData: r.value.platformData });
      expect(again).toMatchObject({ ok: true, value: { alreadyShipped: true, platformFulfillmentIds: [] } });
      expect(rec.calls.map((c) => /^\s*mutation/.test(c.query))).toEqual([true, false]);
      expect(fake.fulfillmentCalls(shop)).toHaveLength(1);
    } finally {
      rec.restore();
    }
  });

  it("fulfillment orders replaced since the sync: Shopify refuses the old id, the adapter reads and fulfils once", async () => {
    const shop = newShop();
    const { p } = platform();
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 121 }));
    const platformData = await synced(p, shop, o.id);
    // Moved to another location after the sync: the fulfillment order the sync saw is gone, a new one is open.
    fake.upsertOrder(shop, { id: o.id, fulfillmentOrders: [{ locationName: "Magazijn Utrecht" }] });
    const now = fake.getOrder(shop, o.id)!;
    const rec = recordCalls(shop);
    try {
      const r = await p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: false, platformData });
      expect(r).toMatchObject({ ok: true, value: { alreadyShipped: false } });
      expect(rec.calls.map((c) => (/^\s*mutation/.test(c.query) ? "mutation" : "read"))).toEqual(["mutation", "read", "mutation"]);
      const calls = fake.fulfillmentCalls(shop);
      expect(calls.map((c) => c.userErrors.map((e) => e.message))).toEqual([["Fulfillment order does not exist."], []]);
      expect(calls[1]!.input.lineItemsByFulfillmentOrder).toEqual([{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${now.fulfillmentOrders[0]!.id}` }]);
      const after = fake.getOrder(shop, o.id)!;
      expect(after.fulfillments).toHaveLength(1);
      expect(after.fulfillmentStatus).toBe("FULFILLED");
    } finally {
      rec.restore();
    }
  });

  it("a fulfillment order added since the sync: Shopify says the order is not wholly fulfilled, the adapter fulfils the rest", async () => {
    const shop = newShop();
    const { p } = platform();
    const lines = ["A", "B"].map((x) => ({ sku: `SKU-${x}`, title: `Artikel ${x}`, quantity: 1, grams: 100 }));
    const o = fake.upsertOrder(
      shop,
      dutchOrder({ seed: 122, lineItems: lines, fulfillmentOrders: [{ lineIndexes: [0] }, { lineIndexes: [1], locationName: "Magazijn Utrecht" }] }),
    );
    // What a sync saw before the second one was split off: only the first, complete.
    const first = `gid://shopify/FulfillmentOrder/${o.fulfillmentOrders[0]!.id}`;
    const platformData = { fulfillmentOrders: [{ id: first, status: "OPEN", methodType: "SHIPPING" }], complete: true };
    const r = await p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: false, platformData });
    expect(r.ok && r.value.platformFulfillmentIds).toHaveLength(2);
    const calls = fake.fulfillmentCalls(shop);
    expect(calls.map((c) => c.userErrors)).toEqual([[], []]);
    expect(calls.map((c) => c.input.lineItemsByFulfillmentOrder[0]!.fulfillmentOrderId)).toEqual([
      first,
      `gid://shopify/FulfillmentOrder/${o.fulfillmentOrders[1]!.id}`,
    ]);
    expect(fake.getOrder(shop, o.id)!.fulfillmentStatus).toBe("FULFILLED");
  });

  it("reads first when what it knows is not one open fulfillment order of its own, or not readable", async () => {
    const shop = newShop();
    const { p } = platform();
    const cases = [
      undefined,
      null,
      { junk: true },
      // More than were read, or two open (they may sit at two locations), or none open when read.
      { fulfillmentOrders: [{ id: "gid://shopify/FulfillmentOrder/1", status: "OPEN", methodType: "SHIPPING" }], complete: false },
      { fulfillmentOrders: [1, 2].map((n) => ({ id: `gid://shopify/FulfillmentOrder/${n}`, status: "OPEN", methodType: "SHIPPING" })), complete: true },
      { fulfillmentOrders: [{ id: "gid://shopify/FulfillmentOrder/1", status: "ON_HOLD", methodType: "SHIPPING" }], complete: true },
      { fulfillmentOrders: [{ id: "gid://shopify/FulfillmentOrder/1", status: "OPEN", methodType: "PICK_UP" }], complete: true },
    ];
    for (const [i, platformData] of cases.entries()) {
      const o = fake.upsertOrder(shop, dutchOrder({ seed: 130 + i }));
      const rec = recordCalls(shop);
      try {
        expect(await p.markShipped(access(shop), String(o.id), TRACKING, { notifyCustomer: false, platformData })).toMatchObject({ ok: true });
        expect(rec.calls.map((c) => /^\s*mutation/.test(c.query))).toEqual([false, true]);
      } finally {
        rec.restore();
      }
    }
    expect(fake.fulfillmentCalls(shop).every((c) => c.userErrors.length === 0)).toBe(true);
  });
});
