// Mijnwebwinkel end to end against the fake MyOnlineStore Connect API (loopback HTTP, token + partner_token checked,
// rate-limited) and real PostgreSQL: the poll (open, paid, never test orders; the invoice address when there is no
// delivery address; a second poll with nothing new as cheap as the API allows; orders leaving the to-ship statuses),
// the write-back PATCH, the rate limit, and two stores never seeing each other's orders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { orders } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import type { ShopAccess } from "~/core/ports";
import { connectShop } from "~/core/connect-shop";
import { syncShop } from "~/core/sync.server";
import { createMijnwebwinkelPlatform } from "~/platforms/mijnwebwinkel/adapter.server";
import { startFakeMijnwebwinkel, STATUS, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { runtime } from "./helpers";

let rt: Runtime;
let mww: RunningFakeMijnwebwinkel;
let virtual = Date.parse("2026-12-01T09:00:00Z");
const waits: number[] = [];
const shopIds: number[] = [];
const access: ShopAccess[] = [];
const DOMAINS = ["koffie.myonline.store", "thee.myonline.store"];

const adapter = () =>
  createMijnwebwinkelPlatform({
    config: () => ({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken }),
    now: () => new Date(virtual),
    sleep: async (ms) => {
      waits.push(ms);
      virtual += ms;
    },
  });
let platform = adapter();
const poll = (i = 0) => syncShop({ db: rt.db, platform, clock: rt.clock, encryptionKey: rt.encryptionKey }, shopIds[i]!);
const rows = (i = 0) => rt.db.select().from(orders).where(eq(orders.shopId, shopIds[i]!));
const toShip = async (i = 0) => (await rows(i)).filter((r) => r.status === "to_ship").map((r) => r.number).sort();
/** Requests per endpoint since `before`. */
const callsSince = (before: Record<string, number>) =>
  Object.fromEntries(Object.entries(mww.fake.calls).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));

beforeAll(async () => {
  rt = await runtime();
  mww = await startFakeMijnwebwinkel({ stores: [{ token: "tok-koffie", name: "Koffie" }, { token: "tok-thee", name: "Thee" }], now: () => virtual, seed: "demo" });
  for (const [i, token] of mww.tokens.entries()) {
    const credentials = { shopUrl: DOMAINS[i]!, apiToken: token };
    const shop = await connectShop(rt, { platform: "mijnwebwinkel", domain: DOMAINS[i]!, credentials });
    if (!shop.ok) throw new Error(shop.reason);
    shopIds.push(shop.value.id);
    access.push({ shopId: shop.value.id, platform: "mijnwebwinkel", domain: DOMAINS[i]!, credentials });
  }
});
afterAll(async () => {
  await mww?.close();
  await rt?.stop();
});

describe("Mijnwebwinkel poll", () => {
  const OPEN_PAID = ["1004", "1007", "1008", "1009", "1010", "1011", "1014", "1015"];

  it("the first poll imports the open, paid orders once; never a test order; no delivery address → the invoice address", async () => {
    const before = { ...mww.fake.calls };
    const result = await poll();
    expect(result).toMatchObject({ status: "done", imported: OPEN_PAID.length, failed: 0 });
    expect(await toShip()).toEqual(OPEN_PAID);
    expect((await rows()).some((r) => r.number.startsWith("T-"))).toBe(false);
    // Asked without test orders, per to-ship status (Nieuw, In behandeling), never archived.
    const lists = mww.fake.requests.filter((r) => r.endpoint === "GET /v1/orders");
    expect(lists.every((r) => /test=false/.test(r.path) && /archived=false/.test(r.path) && /partner_token=REDACTED/.test(r.path) && /token=REDACTED/.test(r.path))).toBe(true);
    expect(callsSince(before)).toEqual({ "GET /v1/orderstatuses": 1, "GET /v1/orders": 2, "GET /v1/orders/{number}/payments": OPEN_PAID.length });
    const [noDelivery] = await rt.db.select().from(orders).where(and(eq(orders.shopId, shopIds[0]!), eq(orders.number, "1007")));
    expect(noDelivery!.shipTo).toMatchObject({ name: "Lotte Smit", street: "Stratumseind", houseNumber: "30", postcode: "5611 ET", city: "Eindhoven", country: "NL" });
    const [suffix] = await rt.db.select().from(orders).where(and(eq(orders.shopId, shopIds[0]!), eq(orders.number, "1004")));
    expect(suffix!.shipTo).toMatchObject({ name: "Khadija El Amrani", street: "Melkmarkt", houseNumber: "8", houseNumberAddition: "2" });
  });

  it("a second poll with nothing new imports nothing and makes one list call per to-ship status", async () => {
    virtual += 5 * 60_000;
    const before = { ...mww.fake.calls };
    const result = await poll();
    expect(result).toMatchObject({ status: "done", imported: 0, failed: 0 });
    expect(callsSince(before)).toEqual({ "GET /v1/orders": 2 });
    expect(await toShip()).toEqual(OPEN_PAID);
  });

  it("an order that leaves the to-ship statuses or is archived leaves the list at the next poll", async () => {
    virtual += 5 * 60_000;
    mww.fake.setStatus(1014, STATUS.VERZONDEN, "tok-koffie");
    mww.fake.store("tok-koffie").update(1010, { archived: true });
    await poll();
    expect(await toShip()).toEqual(OPEN_PAID.filter((n) => n !== "1010" && n !== "1014"));
    const gone = (await rows()).filter((r) => r.number === "1010" || r.number === "1014").map((r) => r.status);
    expect(gone).toEqual(["fulfilled_elsewhere", "fulfilled_elsewhere"]);
  });

  it("a 429 is waited out and the poll succeeds", async () => {
    virtual += 5 * 60_000;
    mww.fake.rateLimitNext(1);
    waits.length = 0;
    expect(await poll()).toMatchObject({ status: "done", failed: 0 });
    expect(waits).toEqual([60_000]);
  });
});

describe("Mijnwebwinkel write-back", () => {
  const tracking = { distributor: "PostNL" as const, carrierName: "Boekuwzending", number: "3SKOPP000123", url: "https://mijn.boekuwzending.com/track-en-trace/3SKOPP000123/9711LV" };

  it("one PATCH to Verzonden with the code and link appended to the internal comment; again → already shipped, no PATCH", async () => {
    const r = await platform.markShipped(access[0]!, "1005", tracking, { notifyCustomer: true });
    expect(r).toEqual({ ok: true, value: { platformFulfillmentIds: ["1005"], alreadyShipped: false } });
    const patches = mww.fake.patches.filter((p) => p.number === "1005");
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({
      status: STATUS.VERZONDEN,
      comments: { internal: `Klant belde: betaalt vrijdag per overboeking.\nVerzonden met PostNL, track & trace 3SKOPP000123: ${tracking.url}` },
    });
    expect(mww.fake.order(1005, "tok-koffie")).toMatchObject({ status: STATUS.VERZONDEN });
    expect(await platform.markShipped(access[0]!, "1005", tracking, { notifyCustomer: true })).toEqual({ ok: true, value: { platformFulfillmentIds: ["1005"], alreadyShipped: true } });
    expect(mww.fake.patches.filter((p) => p.number === "1005")).toHaveLength(1);
  });

  it("a rate-limited write-back is a retryable failure with the API's text", async () => {
    mww.fake.rateLimitNext(1);
    const r = await adapter().markShipped(access[0]!, "1015", tracking, { notifyCustomer: false });
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(!r.ok && r.reason).toMatch(/^Mijnwebwinkel answered 429: Too Many Requests/);
  });

  it("a wrong store token: the API's reason, not retryable", async () => {
    const wrong = { ...access[0]!, credentials: { shopUrl: DOMAINS[0]!, apiToken: "wrong" } };
    expect(await platform.markShipped(wrong, "1015", tracking, { notifyCustomer: false })).toEqual({
      ok: false,
      reason: "Mijnwebwinkel answered 401: Unauthorized: Invalid store token",
      retryable: false,
    });
  });
});

describe("Mijnwebwinkel shop isolation", () => {
  it("each shop polls its own store only", async () => {
    platform = adapter();
    await poll(1);
    const a = (await rows(0)).map((r) => r.raw as { uuid: string }).map((o) => o.uuid);
    const b = (await rows(1)).map((r) => r.raw as { uuid: string }).map((o) => o.uuid);
    expect(b.length).toBeGreaterThan(0);
    expect(b.filter((u) => a.includes(u))).toEqual([]);
    const storeB = mww.fake.store("tok-thee").orders().map((o) => o.uuid);
    expect(b.every((u) => storeB.includes(u))).toBe(true);
  });
});
