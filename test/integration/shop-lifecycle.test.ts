// A shop's life: install (token exchange) → uninstall → redact, and webhooks arriving late. Only an install creates or
// revives a shop; a late order webhook of an uninstalled, redacted or unknown shop is answered 200 and dropped, keeping
// no personal data. The webhook's shop domain (and the session token's) must be {handle}.myshopify.com.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { http, HttpResponse } from "msw";
import { Session } from "@shopify/shopify-api";
import { createFakeShopify, dutchOrder, signedWebhookRequest, signSessionToken, startFakeShopifyServer, type FakeOrder } from "../fakes/shopify";
import { DEMO_DEFAULTS } from "../../app/env.server";

// msw must patch fetch before @shopify/shopify-api is imported (it keeps a reference to fetch): app modules are
// imported dynamically below.
const { fake, handlers } = createFakeShopify({ apiKey: DEMO_DEFAULTS.SHOPIFY_API_KEY, apiSecret: DEMO_DEFAULTS.SHOPIFY_API_SECRET });
const server = startFakeShopifyServer(handlers, { onUnhandledRequest: "error" });

type Helpers = typeof import("./helpers");
let h: Helpers;
let rt: Awaited<ReturnType<Helpers["runtime"]>>;
let app: {
  requireMerchant: typeof import("../../app/merchant.server").requireMerchant;
  createMerchantCookieSession: typeof import("../../app/merchant.server").createMerchantCookieSession;
  sessionStorage: typeof import("../../app/shopify.server").sessionStorage;
  schema: typeof import("../../app/db/schema");
  env: typeof import("../../app/env.server").env;
  installShop: typeof import("../../app/core/shops.server").installShop;
  routes: {
    orders: typeof import("../../app/routes/webhooks.orders").action;
    compliance: typeof import("../../app/routes/webhooks.compliance").action;
    uninstalled: typeof import("../../app/routes/webhooks.app.uninstalled").action;
  };
};

beforeAll(async () => {
  h = await import("./helpers");
  rt = await h.runtime();
  app = {
    ...(await import("../../app/merchant.server")),
    sessionStorage: (await import("../../app/shopify.server")).sessionStorage,
    schema: await import("../../app/db/schema"),
    env: (await import("../../app/env.server")).env,
    installShop: (await import("../../app/core/shops.server")).installShop,
    routes: {
      orders: (await import("../../app/routes/webhooks.orders")).action,
      compliance: (await import("../../app/routes/webhooks.compliance")).action,
      uninstalled: (await import("../../app/routes/webhooks.app.uninstalled")).action,
    },
  };
});
afterAll(async () => {
  server.close();
  await rt.stop();
});

const call = (handler: typeof app.routes.orders, request: Request) => handler({ request, params: {}, context: {} });
const orderWebhook = (shop: string, topic: string, order: FakeOrder, webhookId?: string) => call(app.routes.orders, h.orderWebhook({ shop, topic, order, webhookId }));
const appWebhook = (shop: string, topic: "app/uninstalled" | "shop/redact" | "customers/redact" | "customers/data_request", payload: object) =>
  call(
    topic === "app/uninstalled" ? app.routes.uninstalled : app.routes.compliance,
    signedWebhookRequest({ url: `http://localhost/webhooks/${topic === "app/uninstalled" ? "app/uninstalled" : "compliance"}`, topic, shop, payload, secret: h.SECRET }),
  );

function embeddedRequest(shop: string, idToken = fake.sessionToken(shop)) {
  const url = new URL("/app", app.env.SHOPIFY_APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"));
  url.searchParams.set("id_token", idToken);
  return new Request(url);
}
const cookieRequest = (setCookie: string) => new Request("http://localhost/app", { headers: { Cookie: setCookie.split(";")[0]! } });

/** The thrown Response's status, or "accepted". */
async function outcomeOf(p: Promise<unknown>): Promise<number | "accepted"> {
  try {
    await p;
    return "accepted";
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

async function shopRow(domain: string) {
  const [row] = await rt.db.select().from(app.schema.shops).where(eq(app.schema.shops.domain, domain));
  return row;
}

/** Rows of `table` whose whole text mentions any of `needles` (case-insensitive). */
async function rowsMentioning(table: string, needles: string[]): Promise<number> {
  const where = needles.map((n) => `t::text ilike '%${n.replace(/'/g, "''")}%'`).join(" or ");
  return h.countRows(rt, `${table} t`, where);
}

async function deliveryOf(webhookId: string) {
  const [d] = await rt.db.select().from(app.schema.deliveries).where(eq(app.schema.deliveries.webhookId, webhookId));
  return d!;
}

describe("after app/uninstalled", () => {
  const SHOP = "uninstalled-late.myshopify.com";

  it("a late orders/updated is dropped: the shop stays uninstalled and its old cookie stays refused", async () => {
    fake.addShop(SHOP);
    const merchant = await app.requireMerchant(embeddedRequest(SHOP)); // the install: token exchange
    const cookie = await app.createMerchantCookieSession(merchant.shopId);
    expect((await app.requireMerchant(cookieRequest(cookie))).shopId).toBe(merchant.shopId);
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", email: "voor.uninstall@example.nl" }));
    expect((await orderWebhook(SHOP, "orders/paid", order)).status).toBe(200);
    expect(await h.drainDeliveries(rt)).toEqual(["imported"]);

    expect((await appWebhook(SHOP, "app/uninstalled", { id: 1, domain: SHOP })).status).toBe(200);
    await h.drainDeliveries(rt);
    expect((await shopRow(SHOP))!.uninstalledAt).not.toBeNull();
    expect(await outcomeOf(app.requireMerchant(cookieRequest(cookie)))).toBe(401);

    const updated = fake.upsertOrder(SHOP, { id: order.id, email: "na.uninstall@example.nl" });
    expect((await orderWebhook(SHOP, "orders/updated", updated, "late-update")).status).toBe(200);
    expect(await h.drainDeliveries(rt)).toEqual(["skipped"]);
    const d = await deliveryOf("late-update");
    expect(d).toMatchObject({ outcome: "skipped", reason: "shop not installed" });
    expect(JSON.stringify(d.payload)).not.toContain("na.uninstall");
    expect((await shopRow(SHOP))!.uninstalledAt).not.toBeNull();
    expect(await outcomeOf(app.requireMerchant(cookieRequest(cookie)))).toBe(401);
    expect(await rowsMentioning("orders", ["na.uninstall"])).toBe(0);
  });

  it("a stored token that outlived the uninstall does not revive the shop: only Shopify accepting a token exchange does", async () => {
    const shopId = (await shopRow(SHOP))!.id;
    // The token was loaded (or stored) just before app/uninstalled deleted the sessions.
    await app.sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_stale" }));
    // Shopify refuses the exchange (the app is no longer installed there).
    server.use(http.post(`https://${SHOP}/admin/oauth/access_token`, () => HttpResponse.json({ error: "invalid_subject_token" }, { status: 400 }), { once: true }));
    expect(await outcomeOf(app.requireMerchant(embeddedRequest(SHOP)))).not.toBe("accepted");
    expect((await shopRow(SHOP))!.uninstalledAt).not.toBeNull();
    expect(await app.sessionStorage.loadSession(`offline_${SHOP}`)).toBeUndefined();

    // Reinstall: the next embedded load exchanges its session token and the shop is back, with the same id.
    const merchant = await app.requireMerchant(embeddedRequest(SHOP));
    expect(merchant.shopId).toBe(shopId);
    expect((await shopRow(SHOP))!.uninstalledAt).toBeNull();
    expect(await rt.boss.getSchedules("sync-shop", String(shopId))).toHaveLength(1); // the uninstall had stopped it
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    expect((await orderWebhook(SHOP, "orders/paid", order)).status).toBe(200);
    expect(await h.drainDeliveries(rt)).toEqual(["imported"]);
  });

  it("an uninstall job that runs only after a reinstall (the queue was behind) does not undo the reinstall", async () => {
    const shop = "uninstall-behind.myshopify.com";
    fake.addShop(shop);
    const first = await app.requireMerchant(embeddedRequest(shop)); // install
    expect((await appWebhook(shop, "app/uninstalled", { id: 2, domain: shop })).status).toBe(200); // stored + fast ack
    expect((await shopRow(shop))!.uninstalledAt).not.toBeNull();
    // The merchant reinstalls before the worker got to the uninstall.
    expect((await app.requireMerchant(embeddedRequest(shop))).shopId).toBe(first.shopId);
    expect(await h.drainDeliveries(rt)).toEqual(["skipped"]);
    const row = (await shopRow(shop))!;
    expect(row.uninstalledAt).toBeNull();
    expect(await app.sessionStorage.loadSession(`offline_${shop}`)).toBeDefined();
    expect(await rt.boss.getSchedules("sync-shop", String(row.id))).toHaveLength(1);
  });
});

describe("after shop/redact", () => {
  const SHOP = "redacted-late.myshopify.com";

  it("a late orders/paid creates no shop and stores the customer's name and e-mail nowhere", async () => {
    fake.addShop(SHOP);
    await app.installShop(rt.db, "shopify", SHOP);
    const before = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    await orderWebhook(SHOP, "orders/paid", before);
    await h.drainDeliveries(rt);
    await appWebhook(SHOP, "app/uninstalled", { id: 2, domain: SHOP });
    await appWebhook(SHOP, "shop/redact", { shop_id: 2, shop_domain: SHOP });
    await h.drainDeliveries(rt);
    expect(await shopRow(SHOP)).toBeUndefined();

    const late = fake.upsertOrder(
      SHOP,
      dutchOrder({
        financialStatus: "PAID",
        email: "griet.laatkomer@example.nl",
        customer: { firstName: "Griet", lastName: "Laatkomer" },
        shippingAddress: { firstName: "Griet", lastName: "Laatkomer", name: "Griet Laatkomer", phone: "+31 6 9876 5432" },
      }),
    );
    const needles = ["griet", "laatkomer", "9876 5432"];
    expect(JSON.stringify(late)).toContain("Laatkomer");
    expect((await orderWebhook(SHOP, "orders/paid", late, "after-redact")).status).toBe(200);
    expect(await h.drainDeliveries(rt)).toEqual(["skipped"]);
    expect(await shopRow(SHOP)).toBeUndefined();
    expect(await deliveryOf("after-redact")).toMatchObject({ outcome: "skipped", reason: "shop not installed" });
    for (const table of ["deliveries", "orders", "activity", "shops", "privacy_requests"]) {
      expect(await rowsMentioning(table, needles), table).toBe(0);
    }
  });

  it("compliance webhooks of an unknown shop create no shop", async () => {
    const UNKNOWN = "never-installed.myshopify.com";
    const customer = { id: 5, email: "onbekend@example.nl" };
    expect((await appWebhook(UNKNOWN, "customers/data_request", { shop_domain: UNKNOWN, customer, orders_requested: [1] })).status).toBe(200);
    expect((await appWebhook(UNKNOWN, "customers/redact", { shop_domain: UNKNOWN, customer, orders_to_redact: [1] })).status).toBe(200);
    expect((await appWebhook(UNKNOWN, "shop/redact", { shop_domain: UNKNOWN })).status).toBe(200);
    expect((await appWebhook(UNKNOWN, "app/uninstalled", { domain: UNKNOWN })).status).toBe(200);
    await h.drainDeliveries(rt);
    expect(await shopRow(UNKNOWN)).toBeUndefined();
    // Nor does an order webhook of it.
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    expect((await orderWebhook(UNKNOWN, "orders/create", order)).status).toBe(200);
    expect(await h.drainDeliveries(rt)).toEqual(["skipped"]);
    expect(await shopRow(UNKNOWN)).toBeUndefined();
  });
});

describe("the shop domain must be {handle}.myshopify.com", () => {
  const order = () => fake.upsertOrder("domain-check.myshopify.com", dutchOrder({ financialStatus: "PAID" }));
  const longHandle = "a".repeat(8 * 1024);

  it.each([
    ["another domain", "evil.example.com"],
    ["an 8 KB domain", `${longHandle}.myshopify.com`],
    ["a look-alike", "evil.myshopify.com.example.com"],
    ["upper case", "Evil.myshopify.com"],
    ["a path", "evil.myshopify.com/admin"],
    ["empty", ""],
  ])("a signed webhook for %s is refused with 400 and stores nothing", async (_what, domain) => {
    fake.addShop("domain-check.myshopify.com");
    const webhookId = `bad-domain-${domain.length}-${domain.slice(0, 8)}`;
    const res = await call(app.routes.orders, h.orderWebhook({ shop: domain, topic: "orders/paid", order: order(), webhookId }));
    expect(res.status).toBe(400);
    expect(await h.countRows(rt, "deliveries", `webhook_id = '${webhookId}'`)).toBe(0);
    expect(await h.countRows(rt, "shops", `domain not like '%.myshopify.com' or length(domain) > 80`)).toBe(0);
  });

  it("accepts a real one", async () => {
    expect((await call(app.routes.orders, h.orderWebhook({ shop: "mijn-winkel-2.myshopify.com", topic: "orders/paid", order: order() }))).status).toBe(200);
    await h.drainDeliveries(rt); // dropped: never installed
  });

  it("a session token whose dest is not a myshopify.com shop creates no shop", async () => {
    const shop = `${longHandle}.myshopify.com`;
    const token = signSessionToken({ shop, apiKey: DEMO_DEFAULTS.SHOPIFY_API_KEY, apiSecret: DEMO_DEFAULTS.SHOPIFY_API_SECRET });
    expect(await outcomeOf(app.requireMerchant(embeddedRequest(shop, token)))).toBe(400);
    expect(await h.countRows(rt, "shops", `length(domain) > 80`)).toBe(0);
    expect(await h.countRows(rt, "session", `length(shop) > 80`)).toBe(0);
  });
});
