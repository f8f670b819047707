// Shops for the journeys that skip Shopify's install (2–6): the offline session managed install leaves behind, the
// from address, optionally a carrier connection at the fake carrier, paid orders in the fake shop imported into
// Koppel, and Koppel's own merchant cookie for the browser.
// App modules are imported lazily: they load @shopify/shopify-api, which must come after the fakes (harness.ts).
import type { BrowserContext } from "playwright-core";
import type { OrderInput } from "../../fakes/shopify";
import { CARRIER_ACCOUNT, type E2EWorld } from "./harness";
import { fromAddressFixture } from "../../fixtures/from-address";

export const FROM_ADDRESS = fromAddressFixture("Theehuis Utrecht BV", "verzending@theehuis-utrecht.nl");

export type SeededShop = Awaited<ReturnType<typeof seedShop>>;

/** `fromAddress: false`: the installation is not finished yet (the first-run screen, /app/setup). */
export async function seedShop(world: E2EWorld, domain: string, opts: { carrier?: "staging" | "production"; fromAddress?: boolean } = {}) {
  const { Session } = await import("@shopify/shopify-api");
  const { sessionStorage } = await import("../../../app/shopify.server");
  const { installShop, saveFromAddress } = await import("../../../app/core/shops.server");
  const { connectCarrier } = await import("../../../app/core/labels/connection.server");
  const { labelDeps } = await import("../../../app/runtime.server");
  const rt = world.koppel.runtime;

  const accessToken = `shpat_e2e_${domain.split(".")[0]!.replace(/-/g, "_")}`;
  world.shopify.addShop(domain, { accessToken, name: domain.split(".")[0] });
  const shop = await installShop(rt.db, "shopify", domain);
  await sessionStorage.storeSession(new Session({ id: `offline_${domain}`, shop: domain, state: "e2e", isOnline: false, accessToken }));
  if (opts.fromAddress !== false) await saveFromAddress(rt.db, shop.id, FROM_ADDRESS);
  if (opts.carrier) {
    const r = await connectCarrier(labelDeps(rt), shop.id, { carrier: "boekuwzending", environment: opts.carrier, ...CARRIER_ACCOUNT });
    if (!r.ok) throw new Error(`carrier connection failed: ${r.reason}`);
  }

  return {
    shopId: shop.id,
    domain,
    /** Signs the browser in with Koppel's own cookie session (createMerchantCookieSession), as the demo login does. */
    async signIn(context: BrowserContext) {
      const { createMerchantCookieSession } = await import("../../../app/merchant.server");
      const setCookie = await createMerchantCookieSession(shop.id, { locale: "nl" });
      const [pair] = setCookie.split(";");
      const eq = pair!.indexOf("=");
      await context.addCookies([{ name: pair!.slice(0, eq), value: pair!.slice(eq + 1), url: world.url, httpOnly: true, sameSite: "Lax" }]);
    },
    /**
     * Orders in the fake shop, imported into Koppel through the same parser a webhook goes through (fast, no queue).
     * Returns their order names (#1001 …) in creation order.
     */
    async paidOrders(n: number, each: (i: number) => Partial<OrderInput> = () => ({})) {
      const { dutchOrder, orderWebhookPayload } = await import("../../fakes/shopify");
      const { shopifyAdapter } = await import("../../../app/platforms/registry.server");
      const { importOrder } = await import("../../../app/core/import-order.server");
      const names: string[] = [];
      for (let i = 0; i < n; i++) {
        const placed = new Date(Date.now() - (n - i) * 60_000);
        const o = world.shopify.upsertOrder(domain, dutchOrder({ seed: i + 1, financialStatus: "PAID", createdAt: placed, updatedAt: placed, ...each(i) }));
        const parsed = shopifyAdapter().parseOrderWebhook(orderWebhookPayload(o));
        if (!parsed.ok) throw new Error(parsed.reason);
        const r = await importOrder(rt.db, { shopId: shop.id, paidStatuses: ["paid"], order: parsed.value, source: "webhook", log: false });
        if (r.outcome !== "imported") throw new Error(`not imported: ${JSON.stringify(r)}`);
        names.push(o.name);
      }
      return names;
    },
  };
}
