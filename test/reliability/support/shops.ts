// An installed shop, as managed install leaves it (the shop row; the offline session only when a test syncs), and
// read-only views of what the server stored. App modules load lazily: the test first points this process at the
// server's database and secrets (useInThisProcess), and a test with fakes installs them before @shopify/shopify-api loads.
import postgres from "postgres";
import { fromAddressFixture } from "../../fixtures/from-address";

/**
 * Installs `domain`. Without `accessToken` no offline session is stored, so the server's periodic sync of the shop
 * stops at "no session" instead of reaching for the real *.myshopify.com (these tests talk to loopback only).
 */
export async function installShop(domain: string, opts: { accessToken?: string; fromAddress?: boolean } = {}): Promise<{ shopId: number }> {
  const { db } = await import("../../../app/db.server");
  const { installShop, saveFromAddress } = await import("../../../app/core/shops.server");
  const shop = await installShop(db, "shopify", domain);
  // With a from address ("Koppelen" done) the app's pages show the order list instead of the install step.
  if (opts.fromAddress) await saveFromAddress(db, shop.id, fromAddressFixture());
  if (opts.accessToken) {
    const { Session } = await import("@shopify/shopify-api");
    const { sessionStorage } = await import("../../../app/shopify.server");
    await sessionStorage.storeSession(new Session({ id: `offline_${domain}`, shop: domain, state: "reliability", isOnline: false, accessToken: opts.accessToken }));
  }
  return { shopId: shop.id };
}

/** Cookie header signing the merchant of `shopId` in with Koppel's own session (as the demo login does). */
export async function merchantCookie(shopId: number): Promise<string> {
  const { createMerchantCookieSession } = await import("../../../app/merchant.server");
  const setCookie = await createMerchantCookieSession(shopId, { locale: "nl" });
  return setCookie.split(";")[0]!;
}

/** Closes this process's app database (the one installShop used), if it was opened. */
export async function closeAppDatabase(): Promise<void> {
  if (globalThis.__koppelDatabase) await globalThis.__koppelDatabase.close();
}

export type DeliveryRow = { webhook_id: string; topic: string; outcome: string; reason: string | null };

/** A small connection of the test's own for reading what the server stored. */
export function observer(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {}, connect_timeout: 5 });
  return {
    sql,
    async deliveries(shop: string): Promise<DeliveryRow[]> {
      return sql<DeliveryRow[]>`select webhook_id, topic, outcome, reason from deliveries where shop_domain = ${shop} order by id`;
    },
    /** Orders rows per platform order id of the shop (more than one would be a duplicate). */
    async orderCounts(shop: string): Promise<Map<string, { rows: number; status: string }>> {
      const rows = await sql<{ id: string; n: number; status: string }[]>`
        select o.platform_order_id as id, count(*)::int as n, min(o.status) as status
        from orders o join shops s on s.id = o.shop_id where s.domain = ${shop} group by 1`;
      return new Map(rows.map((r) => [r.id, { rows: r.n, status: r.status }]));
    },
    /** process-delivery jobs by state (pg-boss keeps completed ones). */
    async deliveryJobStates(): Promise<Record<string, number>> {
      const rows = await sql<{ state: string; n: number }[]>`select state::text, count(*)::int as n from pgboss.job where name = 'process-delivery' group by 1`;
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    },
    end: () => sql.end({ timeout: 5 }),
  };
}
