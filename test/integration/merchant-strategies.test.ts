// requireMerchant is one strategy per platform (app/merchant.server.ts): Shopify's (embedded, authenticate.admin)
// claims requests that look like Shopify's admin; Koppel's signed cookie (CCV Shop, Mijnwebwinkel, the demo) is asked
// last. Only enabled platforms' own strategies are asked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMerchantCookieSession, merchantRequirement, merchantStrategies, requireMerchant } from "~/merchant.server";
import { connectShop } from "~/core/connect-shop";
import { runtime } from "./helpers";
import type { Runtime } from "~/runtime.server";

let rt: Runtime;
let ccvCookie: string;
let ccvShopId: number;

beforeAll(async () => {
  rt = await runtime();
  const connected = await connectShop(rt, { platform: "ccvshop", domain: "strategie.ccvshop.nl", credentials: { apiKey: "k" } });
  if (!connected.ok) throw new Error(connected.reason);
  ccvShopId = connected.value.id;
  ccvCookie = (await createMerchantCookieSession(ccvShopId)).split(";")[0]!;
});
afterAll(async () => {
  await rt.stop();
});

const request = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });

describe("merchant strategies", () => {
  it("asks the enabled platforms' own strategies first and Koppel's cookie last", () => {
    expect(merchantStrategies(["shopify"]).map((s) => s.name)).toEqual(["shopify", "cookie"]);
    expect(merchantStrategies(["ccvshop", "shopify"]).map((s) => s.name)).toEqual(["shopify", "cookie"]);
    expect(merchantStrategies(["ccvshop", "mijnwebwinkel"]).map((s) => s.name)).toEqual(["cookie"]);
  });

  it("Shopify's strategy claims what looks like Shopify's admin (query parameters, a Bearer token); the cookie the rest", () => {
    const claimant = (r: Request) => merchantStrategies(["shopify"]).find((s) => s.claims(r))!.name;
    for (const path of ["/app?shop=x.myshopify.com", "/app?host=abc", "/app?id_token=t", "/app?embedded=1"]) expect(claimant(request(path)), path).toBe("shopify");
    expect(claimant(request("/app", { Authorization: "Bearer token" }))).toBe("shopify");
    expect(claimant(request("/app", { Cookie: ccvCookie }))).toBe("cookie");
  });

  it("a CCV Shop merchant signs in with Koppel's cookie", async () => {
    const merchant = await requireMerchant(request("/app", { Cookie: ccvCookie }));
    expect(merchant).toMatchObject({ shopId: ccvShopId, platform: "ccvshop", embedded: false });
  });

  it("without Shopify enabled, Shopify-looking parameters are no claim: the cookie decides", async () => {
    const ccvOnly = merchantRequirement(merchantStrategies(["ccvshop"]));
    const merchant = await ccvOnly(request("/app?shop=strategie.myshopify.com&host=abc", { Cookie: ccvCookie }));
    expect(merchant.shopId).toBe(ccvShopId);
    // With Shopify enabled the same request is Shopify's to judge (and a cookie does not stand in for its token).
    const withShopify = merchantStrategies(["shopify", "ccvshop"]).find((s) => s.claims(request("/app?shop=strategie.myshopify.com&host=abc")));
    expect(withShopify!.name).toBe("shopify");
  });
});
