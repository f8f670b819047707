// Shopify-managed install + token exchange: the first embedded load carries a session token; the library exchanges it
// for an offline token at the fake Shopify, stores it (encrypted) and Koppel creates the shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createFakeShopify, signSessionToken, startFakeShopifyServer } from "../fakes/shopify";
import { DEMO_DEFAULTS } from "../../app/env.server";

const SHOP = "install-test.myshopify.com";
// msw must patch fetch before @shopify/shopify-api is imported (it keeps a reference to fetch): app modules are
// imported dynamically below.
const { fake, handlers } = createFakeShopify({ apiKey: DEMO_DEFAULTS.SHOPIFY_API_KEY, apiSecret: DEMO_DEFAULTS.SHOPIFY_API_SECRET });
const server = startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
fake.addShop(SHOP);

let app: {
  requireMerchant: typeof import("../../app/merchant.server").requireMerchant;
  sessionStorage: typeof import("../../app/shopify.server").sessionStorage;
  db: typeof import("../../app/db.server").db;
  schema: typeof import("../../app/db/schema");
  env: typeof import("../../app/env.server").env;
};

beforeAll(async () => {
  const { getRuntime } = await import("../../app/runtime.server");
  await getRuntime({ workers: false });
  app = {
    requireMerchant: (await import("../../app/merchant.server")).requireMerchant,
    sessionStorage: (await import("../../app/shopify.server")).sessionStorage,
    db: (await import("../../app/db.server")).db,
    schema: await import("../../app/db/schema"),
    env: (await import("../../app/env.server")).env,
  };
});
afterAll(async () => {
  server.close();
  const { getRuntime } = await import("../../app/runtime.server");
  await (await getRuntime()).stop();
});

function embeddedRequest(idToken: string) {
  const url = new URL("/app", app.env.SHOPIFY_APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", SHOP);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${SHOP.split(".")[0]}`).toString("base64url"));
  url.searchParams.set("locale", "nl");
  url.searchParams.set("id_token", idToken);
  return new Request(url);
}

describe("first load inside Shopify's admin", () => {
  it("exchanges the session token, stores the offline token encrypted, and creates the shop", async () => {
    const merchant = await app.requireMerchant(embeddedRequest(fake.sessionToken(SHOP)));
    expect(merchant).toMatchObject({ domain: SHOP, platform: "shopify", embedded: true, locale: "nl" });
    const session = await app.sessionStorage.loadSession(`offline_${SHOP}`);
    expect(session?.accessToken).toBeTruthy();
    expect(fake.isValidToken(SHOP, session!.accessToken!)).toBe(true);
    const [row] = await app.db.select().from(app.schema.sessions).where(eq(app.schema.sessions.id, `offline_${SHOP}`));
    expect(row!.accessToken).not.toBe(session!.accessToken); // encrypted at rest
    const [shop] = await app.db.select().from(app.schema.shops).where(eq(app.schema.shops.domain, SHOP));
    expect(shop!.id).toBe(merchant.shopId);
    // No install callback with managed install: the first load starts the periodic sync and a first sync now.
    const { getRuntime } = await import("../../app/runtime.server");
    const rt = await getRuntime();
    expect(await rt.boss.getSchedules("sync-shop", String(shop!.id))).toHaveLength(1);
    const queued = await rt.boss.findJobs<{ shopId: number }>("sync-shop", { queued: true });
    expect(queued.filter((j) => j.data.shopId === shop!.id)).toHaveLength(1);
    // A second load does not queue another.
    await app.requireMerchant(embeddedRequest(fake.sessionToken(SHOP)));
    expect((await rt.boss.findJobs<{ shopId: number }>("sync-shop", { queued: true })).filter((j) => j.data.shopId === shop!.id)).toHaveLength(1);
  });

  it("refuses a session token signed with another secret", async () => {
    const forged = signSessionToken({ shop: SHOP, apiKey: DEMO_DEFAULTS.SHOPIFY_API_KEY, apiSecret: "someone-elses-secret" });
    const outcome = await app.requireMerchant(embeddedRequest(forged)).then(
      () => "accepted",
      (e: unknown) => (e instanceof Response ? e.status : "threw"),
    );
    expect(outcome).not.toBe("accepted");
    expect([302, 401, 403, 400]).toContain(outcome);
  });
});
