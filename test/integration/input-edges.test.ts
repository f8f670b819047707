// Text from outside at the edges: a NUL (PostgreSQL's text refuses it) in the order search or in a form field is
// dropped instead of a 500, and a search over 100 characters searches its first 100 and says so (it was dropped,
// listing every order).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { carrierConnections, orders, shops } from "~/db/schema";
import { createMerchantCookieSession } from "~/merchant.server";
import { loader as ordersLoader, action as ordersAction } from "~/routes/app._index";
import { action as settingsAction } from "~/routes/app.settings";
import { action as setupAction } from "~/routes/app.setup";
import { action as carrierAction } from "~/routes/app.carrier";
import { cleanText, MAX_SEARCH_LENGTH } from "~/core/text-input";
import { t } from "~/i18n";
import { startFakeCarrier, type RunningFakeCarrier } from "../fakes/carrier";
import { configureCarrierBaseUrls } from "~/carriers/registry.server";
import { fromAddressFixture } from "../fixtures/from-address";
import { runtime } from "./helpers";
import type { Runtime } from "~/runtime.server";

const CREDS = { clientId: "edges-client", clientSecret: "edges-secret-value-1234" };
let rt: Runtime;
let carrier: RunningFakeCarrier;
let shopId: number;
let cookie: string;

const args = (request: Request) => ({ request, params: {}, context: {} });
function get(path: string): Request {
  return new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
}
function post(path: string, fields: Record<string, string>): Request {
  const form = new FormData(); // multipart: a NUL arrives as sent
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return new Request(`http://localhost${path}`, { method: "POST", body: form, headers: { Cookie: cookie } });
}
async function settled<T>(p: Promise<T>): Promise<T | Response> {
  try {
    return await p;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function order(n: number, name: string) {
  const number = `#${2000 + n}`;
  return {
    shopId,
    platformOrderId: `edges-${n}`,
    number,
    placedAt: new Date(Date.UTC(2026, 10, 1, 12, n)),
    platformUpdatedAt: new Date(Date.UTC(2026, 10, 1, 12, n)),
    status: "to_ship" as const,
    financialStatus: "paid",
    customerName: name,
    email: `klant${n}@example.com`,
    shipPostcode: "1015 CJ",
    shipCity: "Amsterdam",
    shipCountry: "NL",
    searchText: `${number} ${number.slice(1)} ${name} klant${n}@example.com 1015 cj 1015cj`.toLowerCase(),
  };
}

beforeAll(async () => {
  rt = await runtime();
  carrier = await startFakeCarrier({ accounts: [CREDS] });
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
  const [shop] = await rt.db.insert(shops).values({ platform: "shopify", domain: "edges.myshopify.com", fromAddress: fromAddressFixture("Oud BV") }).returning();
  shopId = shop!.id;
  cookie = (await createMerchantCookieSession(shopId)).split(";")[0]!;
  await rt.db.insert(orders).values([order(1, "Jan Jansen"), order(2, "Piet Pietersen"), order(3, "Klaas Vaak")]);
});
afterAll(async () => {
  configureCarrierBaseUrls(null);
  await carrier.close();
  await rt.stop();
});

describe("the order search", () => {
  it("drops a NUL in the search instead of failing (it was a 500 with the SQL)", async () => {
    const data = await ordersLoader(args(get(`/app?status=all&q=${encodeURIComponent("jan\u0000sen")}`)));
    expect(data.q).toBe("jansen");
    expect(data.orders.map((o) => o.customerName)).toEqual(["Jan Jansen"]);
    const onlyNul = await ordersLoader(args(get(`/app?status=all&q=%00`)));
    expect(onlyNul.orders).toHaveLength(3);
  });

  it("searches the first 100 characters of a longer search and says so, instead of listing every order", async () => {
    const long = "Jansen" + " ".repeat(MAX_SEARCH_LENGTH - 6) + "en nog veel meer tekst die niemand zoekt";
    const data = await ordersLoader(args(get(`/app?status=all&q=${encodeURIComponent(long)}`)));
    expect(data.orders.map((o) => o.customerName)).toEqual(["Jan Jansen"]);
    expect(data.searchTruncated).toBe(true);
    expect(data.q).toBe("Jansen");
    const exactly = await ordersLoader(args(get(`/app?status=all&q=${encodeURIComponent("p".repeat(MAX_SEARCH_LENGTH))}`)));
    expect(exactly.searchTruncated).toBe(false);
    expect(exactly.orders).toEqual([]);
    // The page's sentence, in both languages.
    expect(t("nl", "orders.search.truncated", { max: MAX_SEARCH_LENGTH })).toMatch(/eerste 100/);
    expect(t("en", "orders.search.truncated", { max: MAX_SEARCH_LENGTH })).toMatch(/first 100/);
  });

  it("'select all matching' uses the same search as the list (NUL dropped, first 100 characters)", async () => {
    const long = "pietersen\u0000" + " ".repeat(MAX_SEARCH_LENGTH) + "x";
    const r = await settled(ordersAction(args(post("/app", { intent: "remove", scope: "matching", status: "all", q: long }))));
    expect(r).toMatchObject({ ok: true, intent: "remove", count: 1 });
    const [piet] = await rt.db.select().from(orders).where(eq(orders.platformOrderId, "edges-2"));
    expect(piet!.removedAt).not.toBeNull();
  });
});

describe("form fields", () => {
  const fields = (overrides: Record<string, string>) => ({ intent: "from-address", ...fromAddressFixture(), houseNumberAddition: "", ...overrides });
  const stored = async () => (await rt.db.select().from(shops).where(eq(shops.id, shopId)))[0]!.fromAddress!;

  it("saves a from-address with NULs in its fields, without them (settings)", async () => {
    const r = await settled(
      settingsAction(args(post("/app/settings", fields({ company: "Nul\u0000 BV", street: "\u0000Damrak", city: "Amster\u0000dam", phone: "+31 20\u0000 123 4567" })))),
    );
    expect(r).toEqual({ intent: "from-address", saved: true });
    expect(await stored()).toMatchObject({ company: "Nul BV", street: "Damrak", city: "Amsterdam", phone: "+31 20 123 4567" });
  });

  it("keeps a postcode outside NL/BE/DE/… as typed, without the NUL (setup)", async () => {
    const r = await settled(setupAction(args(post("/app/setup", fields({ country: "GB", postcode: "SW1A\u0000 1AA", company: "Londen Ltd" })))));
    expect(r).toBeInstanceOf(Response); // the redirect to /app/setup/done
    expect((r as Response).status).toBe(302);
    expect(await stored()).toMatchObject({ company: "Londen Ltd", postcode: "SW1A 1AA", country: "GB" });
  });

  it("a field that is only a NUL is empty: the field's own message, no 500", async () => {
    const r = await settled(settingsAction(args(post("/app/settings", fields({ company: "\u0000" })))));
    expect(r).toMatchObject({ intent: "from-address", saved: false, errors: { company: t("nl", "fromAddress.error.company") } });
  });

  it("connects the carrier with NULs in the credentials, as without them", async () => {
    const r = await settled(
      carrierAction(
        args(post("/app/carrier", { intent: "connect", carrier: "boekuwzending", environment: "staging", clientId: `edges\u0000-client`, clientSecret: `${CREDS.clientSecret}\u0000` })),
      ),
    );
    expect(r).toMatchObject({ intent: "connect", ok: true });
    const [conn] = await rt.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
    expect(conn).toBeDefined();
  });
});

describe("cleanText", () => {
  it("drops NUL and replaces lone surrogates, keeping pairs (emoji) and everything else", () => {
    expect(cleanText("a\u0000b")).toBe("ab");
    expect(cleanText("x\uD800y\uDC00z")).toBe("x\uFFFDy\uFFFDz");
    expect(cleanText("🚚 Zoë\tß")).toBe("🚚 Zoë\tß");
    expect(cleanText("end\uD83D")).toBe("end\uFFFD");
  });
});
