// Koppel's own merchant session (CCV Shop, Mijnwebwinkel, demo): a signed cookie holding the shop id. The required
// test: a merchant session of shop A can neither read nor remove shop B's orders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCookieSessionStorage } from "@remix-run/node";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { database, db } from "~/db.server";
import { orders, shops } from "~/db/schema";
import { createMerchantCookieSession, MERCHANT_COOKIE_NAME, MERCHANT_SESSION_MAX_AGE_SECONDS, requireMerchant } from "~/merchant.server";
import { installShop, getShop, logOutEverywhere } from "~/core/shops.server";
import { markUninstalled } from "~/core/privacy.server";
import { createDownloadToken, resolveDownloadToken } from "~/download-token.server";
import { loader as settingsLoader, action as settingsAction } from "~/routes/app.settings";
import { env } from "~/env.server";
import { loader as ordersLoader, action as ordersAction } from "~/routes/app._index";
import { loader as layoutLoader } from "~/routes/app";
import { fromAddressFixture } from "../fixtures/from-address";

let shopA: number;
let shopB: number;
let bOrderIds: number[];
let aOrderIds: number[];

function newOrder(shopId: number, n: number, who: string) {
  return {
    shopId,
    platformOrderId: `${who}-${n}`,
    number: `#${who}${n}`,
    placedAt: new Date(Date.UTC(2026, 10, 1, 12, n)),
    platformUpdatedAt: new Date(Date.UTC(2026, 10, 1, 12, n)),
    status: "to_ship" as const,
    financialStatus: "paid",
    customerName: `${who} klant ${n}`,
    email: `${who.toLowerCase()}${n}@example.com`,
    shipPostcode: "1015 CJ",
    shipCity: "Amsterdam",
    shipCountry: "NL",
    searchText: `#${who}${n} ${who} klant ${n} ${who}${n}@example.com 1015 cj 1015cj`.toLowerCase(),
  };
}

/** "name=value" for a Cookie request header, from a Set-Cookie header value. */
function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0]!;
}

function req(path: string, cookie: string | null, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (cookie) headers.set("Cookie", cookie);
  return new Request(`http://localhost${path}`, { ...init, headers });
}

async function expectResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected a thrown Response");
}

const address = fromAddressFixture("Winkel", "info@winkel.example");

async function versionOf(shopId: number): Promise<number> {
  return (await getShop(db, shopId))!.sessionVersion;
}

beforeAll(async () => {
  const [a] = await db.insert(shops).values({ platform: "ccvshop", domain: "a.ccvshop.example", fromAddress: address }).returning();
  const [b] = await db.insert(shops).values({ platform: "mijnwebwinkel", domain: "b.mijnwebwinkel.example", fromAddress: address }).returning();
  shopA = a!.id;
  shopB = b!.id;
  aOrderIds = (await db.insert(orders).values([1, 2, 3].map((n) => newOrder(shopA, n, "A"))).returning()).map((o) => o.id);
  bOrderIds = (await db.insert(orders).values([1, 2, 3].map((n) => newOrder(shopB, n, "B"))).returning()).map((o) => o.id);
});

afterAll(async () => {
  await database.close();
});

describe("requireMerchant with Koppel's cookie session", () => {
  it("accepts a cookie made by createCookieSessionStorage for shop A", async () => {
    const setCookie = await createMerchantCookieSession(shopA);
    expect(setCookie).toMatch(new RegExp(`^${MERCHANT_COOKIE_NAME}=`));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const merchant = await requireMerchant(req("/app", cookiePair(setCookie)));
    expect(merchant).toMatchObject({ shopId: shopA, platform: "ccvshop", domain: "a.ccvshop.example", embedded: false, locale: "nl" });
    expect(merchant.shop.id).toBe(shopA);
    expect(merchant.setCookie).toBeUndefined();
  });

  it("accepts a session written by another createCookieSessionStorage with the same secret, version and issued-at", async () => {
    const storage = createCookieSessionStorage({ cookie: { name: MERCHANT_COOKIE_NAME, secrets: [env.SESSION_SECRET] } });
    const session = await storage.getSession();
    session.set("shopId", shopA);
    session.set("v", await versionOf(shopA));
    session.set("iat", Math.floor(Date.now() / 1000));
    const merchant = await requireMerchant(req("/app", cookiePair(await storage.commitSession(session))));
    expect(merchant.shopId).toBe(shopA);
  });

  it("refuses a signed cookie that is only {shopId} (no session version, no issued-at): it would never expire", async () => {
    const storage = createCookieSessionStorage({ cookie: { name: MERCHANT_COOKIE_NAME, secrets: [env.SESSION_SECRET] } });
    const session = await storage.getSession();
    session.set("shopId", shopA);
    expect((await expectResponse(requireMerchant(req("/app", cookiePair(await storage.commitSession(session)))))).status).toBe(401);
  });

  it("refuses a cookie older than the server-side max age, or issued in the future", async () => {
    const day = 24 * 3600_000;
    const old = cookiePair(await createMerchantCookieSession(shopA, { now: Date.now() - MERCHANT_SESSION_MAX_AGE_SECONDS * 1000 - day }));
    expect((await expectResponse(requireMerchant(req("/app", old)))).status).toBe(401);
    const future = cookiePair(await createMerchantCookieSession(shopA, { now: Date.now() + day }));
    expect((await expectResponse(requireMerchant(req("/app", future)))).status).toBe(401);
    const recent = cookiePair(await createMerchantCookieSession(shopA, { now: Date.now() - MERCHANT_SESSION_MAX_AGE_SECONDS * 1000 + day }));
    expect((await requireMerchant(req("/app", recent))).shopId).toBe(shopA);
  });

  it("rejects a tampered cookie with 401", async () => {
    const pair = cookiePair(await createMerchantCookieSession(shopA));
    const [name, value] = [pair.slice(0, pair.indexOf("=")), decodeURIComponent(pair.slice(pair.indexOf("=") + 1))];
    // Re-point the payload at shop B but keep A's signature.
    const dot = value.lastIndexOf(".");
    const forgedPayload = Buffer.from(JSON.stringify({ shopId: shopB })).toString("base64");
    const forged = `${name}=${encodeURIComponent(`${forgedPayload}${value.slice(dot)}`)}`;
    expect((await expectResponse(requireMerchant(req("/app", forged)))).status).toBe(401);
    // A flipped character in the signature.
    const flipped = `${name}=${encodeURIComponent(value.slice(0, -2) + (value.at(-2) === "A" ? "B" : "A") + value.slice(-1))}`;
    expect((await expectResponse(requireMerchant(req("/app", flipped)))).status).toBe(401);
  });

  it("rejects a cookie signed with another secret, and no cookie at all", async () => {
    const storage = createCookieSessionStorage({ cookie: { name: MERCHANT_COOKIE_NAME, secrets: ["some-other-secret-of-length"] } });
    const session = await storage.getSession();
    session.set("shopId", shopA);
    const other = cookiePair(await storage.commitSession(session));
    expect((await expectResponse(requireMerchant(req("/app", other)))).status).toBe(401);
    expect((await expectResponse(requireMerchant(req("/app", null)))).status).toBe(401);
  });

  it("sends a browser page load without a session to /login-required", async () => {
    const res = await expectResponse(requireMerchant(req("/app", null, { headers: { Accept: "text/html,application/xhtml+xml" } })));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login-required");
  });

  it("refuses a session for a shop that uninstalled the app", async () => {
    const [c] = await db.insert(shops).values({ platform: "ccvshop", domain: "gone.example", uninstalledAt: new Date() }).returning();
    const cookie = cookiePair(await createMerchantCookieSession(c!.id));
    expect((await expectResponse(requireMerchant(req("/app", cookie)))).status).toBe(401);
  });

  it("a cookie (also one minted with the secret for the old version) is refused after the shop's version is bumped", async () => {
    const [c] = await db.insert(shops).values({ platform: "ccvshop", domain: "bump.ccvshop.example", fromAddress: address }).returning();
    const before = cookiePair(await createMerchantCookieSession(c!.id));
    expect((await requireMerchant(req("/app", before))).shopId).toBe(c!.id);
    await logOutEverywhere(db, c!.id);
    expect(await versionOf(c!.id)).toBe(2);
    expect((await expectResponse(requireMerchant(req("/app", before)))).status).toBe(401);
    // Someone holding SESSION_SECRET and an old version number gets nowhere either.
    const storage = createCookieSessionStorage({ cookie: { name: MERCHANT_COOKIE_NAME, secrets: [env.SESSION_SECRET] } });
    const session = await storage.getSession();
    session.set("shopId", c!.id);
    session.set("v", 1);
    session.set("iat", Math.floor(Date.now() / 1000));
    expect((await expectResponse(requireMerchant(req("/app", cookiePair(await storage.commitSession(session)))))).status).toBe(401);
    // A new sign-in works.
    expect((await requireMerchant(req("/app", cookiePair(await createMerchantCookieSession(c!.id))))).shopId).toBe(c!.id);
  });

  it("uninstall revokes an existing cookie and download link; a reinstall does not bring them back", async () => {
    const [c] = await db.insert(shops).values({ platform: "ccvshop", domain: "uninstall.ccvshop.example", fromAddress: address }).returning();
    const cookie = cookiePair(await createMerchantCookieSession(c!.id));
    const link = createDownloadToken((await getShop(db, c!.id))!, "nl");
    expect((await requireMerchant(req("/app", cookie))).shopId).toBe(c!.id);
    expect(await resolveDownloadToken(db, link)).toEqual({ shopId: c!.id, locale: "nl" });

    await markUninstalled(db, "ccvshop", "uninstall.ccvshop.example");
    expect((await expectResponse(requireMerchant(req("/app", cookie)))).status).toBe(401);
    expect(await resolveDownloadToken(db, link)).toBeNull();

    await installShop(db, "ccvshop", "uninstall.ccvshop.example"); // reinstall
    expect((await getShop(db, c!.id))!.uninstalledAt).toBeNull();
    expect((await expectResponse(requireMerchant(req("/app", cookie)))).status).toBe(401);
    expect(await resolveDownloadToken(db, link)).toBeNull();
    expect((await requireMerchant(req("/app", cookiePair(await createMerchantCookieSession(c!.id))))).shopId).toBe(c!.id);
  });

  it("a reinstall bumps the version on its own too (an uninstall that predates session versions)", async () => {
    const [c] = await db.insert(shops).values({ platform: "ccvshop", domain: "reinstall.ccvshop.example", fromAddress: address }).returning();
    const cookie = cookiePair(await createMerchantCookieSession(c!.id));
    await db.update(shops).set({ uninstalledAt: new Date() }).where(eq(shops.id, c!.id));
    await installShop(db, "ccvshop", "reinstall.ccvshop.example");
    expect((await expectResponse(requireMerchant(req("/app", cookie)))).status).toBe(401);
    await installShop(db, "ccvshop", "reinstall.ccvshop.example"); // an installed shop seen again keeps its sessions
    const fresh = cookiePair(await createMerchantCookieSession(c!.id));
    await installShop(db, "ccvshop", "reinstall.ccvshop.example");
    expect((await requireMerchant(req("/app", fresh))).shopId).toBe(c!.id);
  });

  it("'Overal uitloggen' in Instellingen signs this browser out and revokes every other cookie of the shop", async () => {
    const [c] = await db.insert(shops).values({ platform: "mijnwebwinkel", domain: "logout.mijnwebwinkel.example", fromAddress: address }).returning();
    const here = cookiePair(await createMerchantCookieSession(c!.id));
    const elsewhere = cookiePair(await createMerchantCookieSession(c!.id, { locale: "en" }));
    const page = await settingsLoader({ request: req("/app/settings", here), params: {}, context: {} });
    expect(page.cookieSession).toBe(true);
    const form = new FormData();
    form.set("intent", "logout-everywhere");
    const res = await expectResponse(settingsAction({ request: req("/app/settings", here, { method: "POST", body: form }), params: {}, context: {} }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login-required");
    expect(res.headers.get("Set-Cookie")).toMatch(new RegExp(`^${MERCHANT_COOKIE_NAME}=;.*Expires=Thu, 01 Jan 1970`, "i"));
    expect((await expectResponse(requireMerchant(req("/app", here)))).status).toBe(401);
    expect((await expectResponse(requireMerchant(req("/app", elsewhere)))).status).toBe(401);
  });

  it("takes the locale from ?locale=, remembers it in the cookie, else from Accept-Language", async () => {
    const cookie = cookiePair(await createMerchantCookieSession(shopA));
    const m1 = await requireMerchant(req("/app?locale=en-US", cookie));
    expect(m1.locale).toBe("en");
    expect(m1.setCookie).toBeTruthy();
    const m2 = await requireMerchant(req("/app", cookiePair(m1.setCookie!), { headers: { "Accept-Language": "nl-NL" } }));
    expect(m2.locale).toBe("en");
    const m3 = await requireMerchant(req("/app", cookie, { headers: { "Accept-Language": "de-DE, en;q=0.8, nl;q=0.5" } }));
    expect(m3.locale).toBe("en");
    const m4 = await requireMerchant(req("/app", cookie, { headers: { "Accept-Language": "fr-FR" } }));
    expect(m4.locale).toBe("nl");
    const m5 = await requireMerchant(req("/app", cookiePair(await createMerchantCookieSession(shopA, { locale: "en" }))));
    expect(m5.locale).toBe("en");
  });
});

describe("a merchant session of shop A can neither read nor remove shop B's orders", () => {
  const args = (request: Request) => ({ request, params: {}, context: {} });

  it("the order list loader shows only A's orders, whatever the search", async () => {
    const cookie = cookiePair(await createMerchantCookieSession(shopA));
    const all = await ordersLoader(args(req("/app?status=all", cookie)));
    expect(all.orders.map((o) => Number(o.id)).sort()).toEqual([...aOrderIds].sort());
    const search = await ordersLoader(args(req("/app?status=all&q=b1%40example.com", cookie)));
    expect(search.orders).toEqual([]);
    const byNumber = await ordersLoader(args(req("/app?status=all&q=%23B1", cookie)));
    expect(byNumber.orders).toEqual([]);
  });

  it("the order list action does not remove or restore B's orders when A posts B's ids", async () => {
    const cookie = cookiePair(await createMerchantCookieSession(shopA));
    const before = await db.select().from(orders).where(eq(orders.shopId, shopB)).orderBy(orders.id);

    const remove = new FormData();
    remove.set("intent", "remove");
    bOrderIds.forEach((id) => remove.append("ids", String(id)));
    const removed = await ordersAction(args(req("/app?index", cookie, { method: "POST", body: remove })));
    expect(removed).toEqual({ ok: true, intent: "remove", count: 0 });

    // B removes its own order; A's restore with that id must not bring it back.
    await db.update(orders).set({ removedAt: new Date("2026-11-02T00:00:00Z") }).where(eq(orders.id, bOrderIds[0]!));
    const restore = new FormData();
    restore.set("intent", "restore");
    restore.append("ids", String(bOrderIds[0]));
    const restored = await ordersAction(args(req("/app?index", cookie, { method: "POST", body: restore })));
    expect(restored).toEqual({ ok: true, intent: "restore", count: 0 });

    const after = await db.select().from(orders).where(eq(orders.shopId, shopB)).orderBy(orders.id);
    expect(after.map((o) => [o.id, o.removedAt?.toISOString() ?? null])).toEqual(
      before.map((o, i) => [o.id, i === 0 ? "2026-11-02T00:00:00.000Z" : (o.removedAt?.toISOString() ?? null)]),
    );
    expect(after.every((o) => o.shopId === shopB)).toBe(true);
    await db.update(orders).set({ removedAt: null }).where(eq(orders.id, bOrderIds[0]!));
  });

  it("A's own remove through the action works (the same request shape is not simply refused)", async () => {
    const cookie = cookiePair(await createMerchantCookieSession(shopA));
    const form = new FormData();
    form.set("intent", "remove");
    form.append("ids", String(aOrderIds[0]));
    form.append("ids", String(bOrderIds[1]));
    expect(await ordersAction(args(req("/app?index", cookie, { method: "POST", body: form })))).toEqual({ ok: true, intent: "remove", count: 1 });
    const [bRow] = await db.select().from(orders).where(eq(orders.id, bOrderIds[1]!));
    expect(bRow!.removedAt).toBeNull();
  });

  it("'all matching' (select all across pages) removes every match of A's filter and search, and nothing of B", async () => {
    const cookie = cookiePair(await createMerchantCookieSession(shopA));
    const many = (await db.insert(orders).values(Array.from({ length: 60 }, (_, i) => newOrder(shopA, 100 + i, "A"))).returning()).map((o) => o.id);
    const list = (await ordersLoader(args(req("/app", cookie)))) as { matchingCount: number; nextCursor: string | null };
    expect(list.nextCursor).not.toBeNull();
    const form = new FormData();
    form.set("intent", "remove");
    form.set("scope", "matching");
    form.set("status", "to_ship");
    form.set("q", "");
    const result = (await ordersAction(args(req("/app?index", cookie, { method: "POST", body: form })))) as { ok: boolean; count: number };
    expect(result.ok).toBe(true);
    expect(result.count).toBe(list.matchingCount);
    const visibleA = await db.select().from(orders).where(and(eq(orders.shopId, shopA), isNull(orders.removedAt)));
    expect(visibleA).toHaveLength(0);
    const visibleB = await db.select().from(orders).where(and(eq(orders.shopId, shopB), isNull(orders.removedAt)));
    expect(visibleB.length).toBeGreaterThan(0);
    await db.update(orders).set({ removedAt: null }).where(inArray(orders.id, [...many, ...aOrderIds]));
  });

  it("the action and loader refuse a tampered cookie", async () => {
    const pair = cookiePair(await createMerchantCookieSession(shopA));
    const tampered = pair.slice(0, -3) + (pair.at(-3) === "x" ? "y" : "x") + pair.slice(-2);
    const form = new FormData();
    form.set("intent", "remove");
    bOrderIds.forEach((id) => form.append("ids", String(id)));
    expect((await expectResponse(ordersAction(args(req("/app?index", tampered, { method: "POST", body: form }))))).status).toBe(401);
    expect((await expectResponse(ordersLoader(args(req("/app", tampered))))).status).toBe(401);
  });

  it("the app layout sends a shop without a sender address to setup", async () => {
    const [c] = await db.insert(shops).values({ platform: "ccvshop", domain: "new.ccvshop.example" }).returning();
    const cookie = cookiePair(await createMerchantCookieSession(c!.id));
    const res = await expectResponse(layoutLoader(args(req("/app?status=all", cookie))));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/app/setup?status=all");
    const setup = await layoutLoader(args(req("/app/setup", cookie)));
    expect(setup).toBeTruthy();
  });
});
