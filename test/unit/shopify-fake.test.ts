import { createHmac, timingSafeEqual } from "node:crypto";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ManualClock,
  createFakeShopify,
  dutchOrder,
  orderWebhookPayload,
  signSessionToken,
  signedWebhookRequest,
} from "../fakes/shopify";

const clock = new ManualClock("2026-11-27T10:00:00Z");
const { fake, handlers } = createFakeShopify({ clock });
// A second fake on the real clock, for the token exchange that the real library signs with Date.now().
const realtime = createFakeShopify({ apiKey: "real-key", apiSecret: "real-secret" });
const server = setupServer(...handlers);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

const SHOP = "fake-test.myshopify.com";
const TOKEN = "shpat_test_token";
fake.addShop(SHOP, { accessToken: TOKEN });

async function gql(query: string, variables: Record<string, unknown> = {}, opts: { token?: string | null; version?: string; shop?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token) headers["X-Shopify-Access-Token"] = token;
  const res = await fetch(`https://${opts.shop ?? SHOP}/admin/api/${opts.version ?? "2026-10"}/graphql.json`, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

describe("fake Shopify Admin GraphQL", () => {
  it("rejects a missing or wrong access token with Shopify's 401, and an unknown API version with 404", async () => {
    const q = "{ shop { name } }";
    for (const token of [null, "shpat_wrong"]) {
      const r = await gql(q, {}, { token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    expect((await gql(q, {}, { version: "2019-04" })).status).toBe(404);
    const ok = await gql(q);
    expect(ok.status).toBe(200);
    expect(ok.body.data.shop.name).toBe("fake-test");
  });

  it("rejects an unknown field with a Shopify-shaped GraphQL error", async () => {
    const r = await gql("{ orders(first: 1) { nodes { id shoeSize } } }");
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toMatchObject({
      message: "Field 'shoeSize' doesn't exist on type 'Order'",
      locations: [{ line: 1, column: 33 }],
      extensions: { code: "undefinedField", typeName: "Order", fieldName: "shoeSize" },
    });
  });

  it("pages orders by cursor with an updated_at filter, oldest update first", async () => {
    const shop = "paging.myshopify.com";
    fake.addShop(shop, { accessToken: TOKEN });
    const times = ["2026-11-01T09:00:00Z", "2026-11-01T10:00:00Z", "2026-11-01T11:00:00Z", "2026-11-02T08:00:00Z", "2026-11-01T10:30:00Z", "2026-10-30T12:00:00Z"];
    const created = times.map((t, i) => fake.upsertOrder(shop, dutchOrder({ seed: i, createdAt: "2026-10-29T00:00:00Z", updatedAt: t })));
    const query = `query($after: String) { orders(first: 2, after: $after, sortKey: UPDATED_AT, query: "updated_at:>'2026-11-01T10:00:00Z' financial_status:paid") {
      edges { cursor node { name updatedAt } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await gql(query, { after }, { shop });
      expect(r.body.errors).toBeUndefined();
      const conn = r.body.data.orders;
      seen.push(...conn.edges.map((e: { node: { name: string } }) => e.node.name));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
      pages++;
    } while (after);
    // strictly after 10:00: 10:30, 11:00, 08:00 next day
    expect(seen).toEqual([created[4]!.name, created[2]!.name, created[3]!.name]);
    expect(pages).toBe(2);

    const ge = await gql(`{ orders(first: 10, sortKey: UPDATED_AT, query: "updated_at:>='2026-11-01T10:00:00Z'") { nodes { name } } }`, {}, { shop });
    expect(ge.body.data.orders.nodes.map((n: { name: string }) => n.name)).toEqual([created[1]!.name, created[4]!.name, created[2]!.name, created[3]!.name]);

    fake.upsertOrder(shop, { id: created[0]!.id, financialStatus: "REFUNDED", updatedAt: "2026-11-03T00:00:00Z" });
    const paid = await gql(`{ orders(first: 10, query: "updated_at:>'2026-11-02T12:00:00Z' financial_status:paid") { nodes { name } } }`, {}, { shop });
    expect(paid.body.data.orders.nodes).toEqual([]);

    const tooMany = await gql("{ orders(first: 251) { nodes { id } } }", {}, { shop });
    expect(tooMany.body.errors[0].message).toMatch(/250/);
    const noFirst = await gql("{ orders { nodes { id } } }", {}, { shop });
    expect(noFirst.body.errors[0].message).toBe("you must provide one of first or last");
  });

  it("throttles on an empty bucket with Shopify's answer, and recovers as the clock moves on", async () => {
    const shop = "throttle.myshopify.com";
    fake.addShop(shop, { accessToken: TOKEN });
    fake.upsertOrder(shop, dutchOrder({ seed: 3 }));
    const q = "{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { sku } } } } }";
    const requested = 2 + 10 * (1 + 2 + 5 * 1);
    fake.setBucket(shop, { currentlyAvailable: 0 });
    const t = await gql(q, {}, { shop });
    expect(t.status).toBe(200);
    expect(t.body.data).toBeUndefined();
    expect(t.body.errors).toEqual([
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
    ]);
    expect(t.body.extensions.cost).toEqual({
      requestedQueryCost: requested,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 },
    });

    clock.advance(((requested - 1) * 1000) / 100);
    expect((await gql(q, {}, { shop })).body.errors?.[0]?.message).toBe("Throttled");
    clock.advance(10);
    const ok = await gql(q, {}, { shop });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.orders.nodes).toHaveLength(1);
    const cost = ok.body.extensions.cost;
    expect(cost.requestedQueryCost).toBe(requested);
    expect(cost.actualQueryCost).toBeLessThan(requested);
    expect(cost.throttleStatus.currentlyAvailable).toBe(requested - cost.actualQueryCost);
  });

  it("rejects a single query above the 1000-point limit", async () => {
    const r = await gql("{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }");
    expect(r.body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", maxCost: 1000 });
  });

  it("fulfillmentCreate fulfils an open fulfillment order, records the call, and rejects a closed one", async () => {
    const shop = "fulfil.myshopify.com";
    fake.addShop(shop, { accessToken: TOKEN });
    const order = fake.upsertOrder(shop, dutchOrder({ seed: 5, updatedAt: "2026-11-20T10:00:00Z" }));
    const fos = await gql(`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id status deliveryMethod { methodType } } } } }`, { id: `gid://shopify/Order/${order.id}` }, { shop });
    const fo = fos.body.data.order.fulfillmentOrders.nodes[0];
    expect(fo).toMatchObject({ status: "OPEN", deliveryMethod: { methodType: "SHIPPING" } });

    const mutation = `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id status trackingInfo { company number url } } userErrors { field message } } }`;
    const f = { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }], notifyCustomer: true, trackingInfo: { company: "PostNL", number: "3SKAAA0001234", url: "https://postnl.nl/tracktrace/?B=3SKAAA0001234" } };
    const ok = await gql(mutation, { f }, { shop });
    expect(ok.body.data.fulfillmentCreate.userErrors).toEqual([]);
    expect(ok.body.data.fulfillmentCreate.fulfillment).toMatchObject({ status: "SUCCESS", trackingInfo: [f.trackingInfo] });
    expect(ok.body.extensions.cost.requestedQueryCost).toBe(10);
    const after = fake.getOrder(shop, order.id)!;
    expect(after.fulfillmentStatus).toBe("FULFILLED");
    expect(after.fulfillmentOrders[0]!.status).toBe("CLOSED");
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(order.updatedAt));

    const again = await gql(mutation, { f }, { shop });
    expect(again.body.data.fulfillmentCreate.fulfillment).toBeNull();
    expect(again.body.data.fulfillmentCreate.userErrors[0].message).toMatch(/unfulfillable status= closed/);
    const calls = fake.fulfillmentCalls(shop);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ input: f, fulfillmentId: ok.body.data.fulfillmentCreate.fulfillment.id, userErrors: [] });
    expect(calls[1]!.fulfillmentId).toBeNull();
  });

  it("nodes(ids:) answers each id in its place (null for one it does not know), charged per id", async () => {
    const shop = "nodes.myshopify.com";
    fake.addShop(shop, { accessToken: TOKEN });
    const ship = fake.upsertOrder(shop, dutchOrder({ seed: 21 }));
    const pickup = fake.upsertOrder(shop, dutchOrder({ seed: 22, fulfillmentOrders: [{ methodType: "PICK_UP" }] }));
    const q = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id fulfillmentOrders(first: 5) { nodes { id status deliveryMethod { methodType } } } } } }`;
    const ids = [`gid://shopify/Order/${pickup.id}`, "gid://shopify/Order/999", `gid://shopify/Order/${ship.id}`];
    const before = fake.throttleStatus(shop).currentlyAvailable;
    const r = await gql(q, { ids }, { shop });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.nodes.map((n: { id: string } | null) => n?.id ?? null)).toEqual([ids[0], null, ids[2]]);
    expect(r.body.data.nodes[0].fulfillmentOrders.nodes[0]).toMatchObject({ status: "OPEN", deliveryMethod: { methodType: "PICK_UP" } });
    expect(r.body.data.nodes[2].fulfillmentOrders.nodes[0].deliveryMethod.methodType).toBe("SHIPPING");
    // Requested: per id 1 order + (2 + 5 × (1 fulfillment order + 1 delivery method)) = 13. Actual: per order found
    // 1 + 2 + 1 × 2 = 5, the unknown id nothing; the bucket keeps the difference.
    expect(r.body.extensions.cost).toMatchObject({ requestedQueryCost: 3 * 13, actualQueryCost: 10 });
    expect(r.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(before - 10);

    // node(id:) for a fulfillment order; a malformed id is an error; more than 250 ids are refused before any charge.
    const fo = await gql(`query($id: ID!) { node(id: $id) { id ... on FulfillmentOrder { status } } }`, { id: r.body.data.nodes[0].fulfillmentOrders.nodes[0].id }, { shop });
    expect(fo.body.data.node).toMatchObject({ status: "OPEN" });
    const bad = await gql(q, { ids: ["not-a-gid"] }, { shop });
    expect(bad.body.errors[0].message).toBe("Invalid global id 'not-a-gid'");
    const level = fake.throttleStatus(shop).currentlyAvailable;
    const tooMany = await gql(q, { ids: Array.from({ length: 251 }, (_, i) => `gid://shopify/Order/${i + 1}`) }, { shop });
    expect(tooMany.body.errors[0]).toMatchObject({ extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } });
    expect(fake.throttleStatus(shop).currentlyAvailable).toBe(level);
  });

  it("admits a query only when the bucket holds its requested cost, and keeps only the actual cost", async () => {
    const shop = "admit.myshopify.com";
    fake.addShop(shop, { accessToken: TOKEN });
    const o = fake.upsertOrder(shop, dutchOrder({ seed: 23 }));
    const q = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { fulfillmentOrders(first: 5) { nodes { id deliveryMethod { methodType } } } } } }`;
    const ids = Array.from({ length: 10 }, () => `gid://shopify/Order/${o.id}`);
    fake.setBucket(shop, { currentlyAvailable: 129 }); // 10 × 13 = 130 requested; the actual cost would be 50
    expect((await gql(q, { ids }, { shop })).body.errors[0].extensions.code).toBe("THROTTLED");
    clock.advance(10); // +1 point
    const ok = await gql(q, { ids }, { shop });
    expect(ok.body.extensions.cost).toMatchObject({ requestedQueryCost: 130, actualQueryCost: 50, throttleStatus: { currentlyAvailable: 80 } });
  });

  it("counts API calls per shop and resets", async () => {
    fake.resetCounters();
    await gql("{ shop { name } }");
    await gql("{ shop { name } }", {}, { token: "nope" });
    expect(fake.apiCalls(SHOP)).toBe(2);
    fake.resetCounters();
    expect(fake.apiCalls(SHOP)).toBe(0);
  });
});

describe("fake Shopify webhooks", () => {
  it("signs the raw body like Shopify (base64 HMAC-SHA256 with the app secret) and sets the headers", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ seed: 8 }));
    const payload = orderWebhookPayload(order);
    const req = signedWebhookRequest({ url: "http://127.0.0.1:1/webhooks", topic: "orders/create", shop: SHOP, payload, secret: fake.apiSecret, webhookId: "wh-1" });
    const raw = await req.text();
    const expected = createHmac("sha256", fake.apiSecret).update(raw).digest();
    const given = Buffer.from(req.headers.get("X-Shopify-Hmac-Sha256")!, "base64");
    expect(given.length).toBe(expected.length);
    expect(timingSafeEqual(given, expected)).toBe(true);
    expect(createHmac("sha256", "another-secret").update(raw).digest().equals(given)).toBe(false);
    expect(req.headers.get("X-Shopify-Topic")).toBe("orders/create");
    expect(req.headers.get("X-Shopify-Shop-Domain")).toBe(SHOP);
    expect(req.headers.get("X-Shopify-Webhook-Id")).toBe("wh-1");
    expect(req.headers.get("X-Shopify-Event-Id")).toBeTruthy();
    expect(req.headers.get("X-Shopify-API-Version")).toBe("2026-10");
    expect(JSON.parse(raw)).toMatchObject({ id: order.id, name: order.name, financial_status: "paid", fulfillment_status: null });
    expect(JSON.parse(raw).created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });
});

describe("fake Shopify token exchange", () => {
  const url = `https://${SHOP}/admin/oauth/access_token`;
  const post = async (body: Record<string, string>) => {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json()) as any };
  };
  const base = () => ({
    client_id: fake.apiKey,
    client_secret: fake.apiSecret,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: fake.sessionToken(SHOP),
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
  });

  it("rejects a wrong client secret", async () => {
    const r = await post({ ...base(), client_secret: "wrong" });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_client");
  });

  it("rejects a session token signed with another secret, or expired, or for another shop", async () => {
    for (const subject_token of [
      signSessionToken({ shop: SHOP, apiKey: fake.apiKey, apiSecret: "not-the-secret", now: clock.now() }),
      signSessionToken({ shop: SHOP, apiKey: fake.apiKey, apiSecret: fake.apiSecret, now: new Date(clock.now().getTime() - 3600_000) }),
      signSessionToken({ shop: "other.myshopify.com", apiKey: fake.apiKey, apiSecret: fake.apiSecret, now: clock.now() }),
    ]) {
      const r = await post({ ...base(), subject_token });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe("invalid_subject_token");
    }
  });

  it("accepts a correct exchange; expiring tokens come with a refresh token that works once", async () => {
    const plain = await post(base());
    expect(plain.status).toBe(200);
    expect(plain.body.access_token).toMatch(/^shpat_/);
    expect(plain.body.expires_in).toBeUndefined();
    expect((await gql("{ shop { name } }", {}, { token: plain.body.access_token })).status).toBe(200);

    const exp = await post({ ...base(), expiring: "1" });
    expect(exp.body).toMatchObject({ expires_in: 3600, refresh_token_expires_in: 7776000 });
    expect(exp.body.refresh_token).toMatch(/^shprt_/);
    const refresh = { client_id: fake.apiKey, client_secret: fake.apiSecret, grant_type: "refresh_token", refresh_token: exp.body.refresh_token };
    const refreshed = await post(refresh);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(exp.body.access_token);
    expect((await post(refresh)).body.error).toBe("invalid_grant");

    clock.advance(3601_000);
    expect((await gql("{ shop { name } }", {}, { token: exp.body.access_token })).status).toBe(401);
  });

  it("accepts exactly what @shopify/shopify-api sends", async () => {
    // The library's node adapter captures globalThis.fetch when imported: import it while msw is listening.
    server.use(...realtime.handlers);
    const { ApiVersion, RequestedTokenType, shopifyApi } = await import("@shopify/shopify-api");
    await import("@shopify/shopify-api/adapters/node");
    try {
      const api = shopifyApi({
        apiKey: "real-key",
        apiSecretKey: "real-secret",
        apiVersion: ApiVersion.October26,
        hostName: "koppel.example",
        isEmbeddedApp: true,
        scopes: ["read_orders"],
        logger: { level: 0 },
      });
      const sessionToken = realtime.fake.sessionToken("lib.myshopify.com");
      const { session } = await api.auth.tokenExchange({
        shop: "lib.myshopify.com",
        sessionToken,
        requestedTokenType: RequestedTokenType.OfflineAccessToken,
        expiring: true,
      });
      expect(session.accessToken).toMatch(/^shpat_/);
      expect(session.refreshToken).toMatch(/^shprt_/);
      expect(session.expires).toBeInstanceOf(Date);
      expect(realtime.fake.isValidToken("lib.myshopify.com", session.accessToken!)).toBe(true);
      const { session: s2 } = await api.auth.refreshToken({ shop: "lib.myshopify.com", refreshToken: session.refreshToken! });
      expect(realtime.fake.isValidToken("lib.myshopify.com", s2.accessToken!)).toBe(true);
    } finally {
      server.resetHandlers();
    }
  });
});
