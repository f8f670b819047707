// Mijnwebwinkel end to end against the fake MyOnlineStore Connect API (loopback HTTP, token + partner_token checked,
// rate-limited) and real PostgreSQL: the poll (open, paid, never test orders; the invoice address when there is no
// delivery address; a second poll with nothing new as cheap as the API allows, asking only what changed with
// status_changed_start_date; orders leaving the to-ship statuses, by status at once or archived at the next listing of
// every open order; payments remembered across a restart, an unpaid order asked again at an interval; an unreadable
// order logged once),
// the write-back PATCH, the rate limit, and two stores never seeing each other's orders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { activity, mijnwebwinkelOrders, orders, shops } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import type { ShopAccess } from "~/core/ports";
import { connectShop } from "~/core/connect-shop";
import { syncShop } from "~/core/sync.server";
import { createMijnwebwinkelPlatform, FULL_LISTING_EVERY_MS } from "~/platforms/mijnwebwinkel/adapter.server";
import { pgMwwOrderMemory } from "~/platforms/mijnwebwinkel/order-memory.server";
import { localDateTime, startFakeMijnwebwinkel, STATUS, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
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
    memory: pgMwwOrderMemory(() => rt.db),
  });
let platform = adapter();
// The sync runs on the same virtual clock as the adapter and the fake.
const poll = (i = 0) => syncShop({ db: rt.db, platform, clock: { now: () => new Date(virtual) }, encryptionKey: rt.encryptionKey }, shopIds[i]!);
const rows = (i = 0) => rt.db.select().from(orders).where(eq(orders.shopId, shopIds[i]!));
const toShip = async (i = 0) => (await rows(i)).filter((r) => r.status === "to_ship").map((r) => r.number).sort();
/** A recorded list call's query. */
const listQuery = (r: { path: string }) => new URL(r.path, "http://fake").searchParams;
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
  const importRows = () => rt.db.select().from(activity).where(and(eq(activity.shopId, shopIds[0]!), eq(activity.kind, "import")));

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
    // The shipping method is the order line of type "shipping" (shipping rules match it).
    expect(suffix!.shippingMethod).toBe("Verzendkosten");
    // The first poll lists every open order: no date.
    expect(lists.some((r) => listQuery(r).has("status_changed_start_date"))).toBe(false);
  });

  it("a second poll asks only what changed since the last one (status_changed_start_date, with an overlap): one list call, nothing imported", async () => {
    const [shop] = await rt.db.select().from(shops).where(eq(shops.id, shopIds[0]!));
    // The last poll began at 09:00 UTC: asked from its start minus the core's overlap (2 min) and the adapter's (3 min),
    // in the store's wall clock (Europe/Amsterdam, UTC+1 in December).
    expect(shop!.syncCursor?.toISOString()).toBe("2026-12-01T09:00:00.000Z");
    virtual += 5 * 60_000;
    const before = { ...mww.fake.calls };
    const sent = mww.fake.requests.length;
    const result = await poll();
    expect(result).toMatchObject({ status: "done", imported: 0, failed: 0 });
    expect(callsSince(before)).toEqual({ "GET /v1/orders": 1 });
    const query = listQuery(mww.fake.requests.slice(sent).find((r) => r.endpoint === "GET /v1/orders")!);
    expect(query.get("status_changed_start_date")).toBe("2026-12-01 09:55:00");
    // Every status (an order that moved on is seen leaving), archived or not, never test orders.
    expect({ status: query.get("status_id"), archived: query.get("archived"), test: query.get("test") }).toEqual({ status: null, archived: null, test: "false" });
    expect(await toShip()).toEqual(OPEN_PAID);
  });

  it("a new order and one that moved on to Verzonden are seen at the next changed-only poll, without re-reading the others", async () => {
    virtual += 5 * 60_000;
    const fresh = mww.fake.store("tok-koffie").addOrder({ status: STATUS.NIEUW });
    mww.fake.setStatus(1014, STATUS.VERZONDEN, "tok-koffie");
    const before = { ...mww.fake.calls };
    expect(await poll()).toMatchObject({ status: "done", imported: 1, failed: 0 });
    expect(callsSince(before)).toEqual({ "GET /v1/orders": 1, "GET /v1/orders/{number}/payments": 1 });
    expect(await toShip()).toEqual([...OPEN_PAID.filter((n) => n !== "1014"), String(fresh.seq)].sort());
    expect((await rows()).find((r) => r.number === "1014")!.status).toBe("fulfilled_elsewhere");
    OPEN_PAID.splice(OPEN_PAID.indexOf("1014"), 1, String(fresh.seq));
    OPEN_PAID.sort();
  });

  it("orders that moved on and were never Koppel's are not handed on, and the next poll asks from the last successful one", async () => {
    virtual += 5 * 60_000;
    // The merchant closes old orders from before Koppel (Verzonden → Afgehandeld): status changes in the list.
    mww.fake.setStatus(1003, STATUS.AFGEHANDELD, "tok-koffie");
    mww.fake.setStatus(1002, STATUS.AFGEHANDELD, "tok-koffie");
    const logged = (await importRows()).length;
    const started = virtual;
    expect(await poll()).toMatchObject({ status: "done", imported: 0, failed: 0 });
    expect((await importRows()).length).toBe(logged);
    expect((await rows()).some((r) => r.number === "1003" || r.number === "1002")).toBe(false);
    // Nothing new moved the core's cursor; the poll succeeded, so the next one asks from its start (minus 5 minutes).
    virtual += 5 * 60_000;
    const sent = mww.fake.requests.length;
    await poll();
    const query = listQuery(mww.fake.requests.slice(sent).find((r) => r.endpoint === "GET /v1/orders")!);
    expect(query.get("status_changed_start_date")).toBe(localDateTime(started - 5 * 60_000));
  });

  it("an order archived without a status change leaves to ship at the next listing of every open order (at most 30 minutes on)", async () => {
    virtual += 5 * 60_000;
    mww.fake.store("tok-koffie").update(1010, { archived: true });
    await poll();
    expect(await toShip()).toContain("1010"); // the changed-only poll cannot see it
    virtual += FULL_LISTING_EVERY_MS;
    const before = { ...mww.fake.calls };
    const sent = mww.fake.requests.length;
    await poll();
    // Every open order, per to-ship status, without the date; the core re-reads the one that was not listed.
    expect(callsSince(before)).toEqual({ "GET /v1/orders": 2, "GET /v1/orders/{number}": 1 });
    expect(mww.fake.requests.slice(sent).filter((r) => r.endpoint === "GET /v1/orders").every((r) => !listQuery(r).has("status_changed_start_date"))).toBe(true);
    expect((await rows()).find((r) => r.number === "1010")!.status).toBe("fulfilled_elsewhere");
    OPEN_PAID.splice(OPEN_PAID.indexOf("1010"), 1);
    expect(await toShip()).toEqual(OPEN_PAID);
  });

  it("a restart remembers the payments: the new process lists every open order once and asks no payments again, also before anything was remembered (Koppel's own to-ship orders)", async () => {
    virtual += 5 * 60_000;
    const logged = (await importRows()).length;
    platform = adapter(); // a new process
    let before = { ...mww.fake.calls };
    expect(await poll()).toMatchObject({ status: "done", imported: 0, failed: 0 });
    expect(callsSince(before)).toEqual({ "GET /v1/orderstatuses": 1, "GET /v1/orders": 2 });
    // As after the upgrade that brought the memory: Koppel's own to-ship orders were paid when imported.
    await rt.db.delete(mijnwebwinkelOrders).where(eq(mijnwebwinkelOrders.shopId, shopIds[0]!));
    platform = adapter();
    virtual += 5 * 60_000;
    before = { ...mww.fake.calls };
    expect(await poll()).toMatchObject({ status: "done", imported: 0, failed: 0 });
    expect(callsSince(before)).toEqual({ "GET /v1/orderstatuses": 1, "GET /v1/orders": 2 });
    expect(await toShip()).toEqual(OPEN_PAID);
    expect((await importRows()).length).toBe(logged);
  });

  it("an unpaid order's payments are asked once, then again only after 5 minutes, backing off; paid → imported at the next poll", async () => {
    const store = mww.fake.store("tok-koffie");
    const unpaid = store.addOrder({ status: STATUS.NIEUW, payment: "open" });
    const n = String(unpaid.seq);
    const paymentCalls = () => mww.fake.requests.filter((r) => r.endpoint === "GET /v1/orders/{number}/payments" && r.path.startsWith(`/v1/orders/${n}/`)).length;
    const pollAfter = async (minutes: number) => {
      virtual += minutes * 60_000;
      await poll();
      return paymentCalls();
    };
    expect(await pollAfter(1)).toBe(1); // new: asked
    expect(await pollAfter(1)).toBe(1); // within 5 minutes: not asked
    expect(await pollAfter(5)).toBe(2); // due: asked, still unpaid → again after 10 minutes
    // Another new order moves the poll's cursor on: the unpaid one is no longer among what changed since.
    const other = store.addOrder({ status: STATUS.NIEUW });
    expect(await pollAfter(5)).toBe(2);
    expect((await importRows()).filter((a) => a.orderNumber === n).map((a) => [a.result, a.reason])).toEqual([["skipped", "not_paid"]]);
    store.addMutation(unpaid.seq, "capture"); // the bank transfer arrived
    const before = { ...mww.fake.calls };
    const sent = mww.fake.requests.length;
    expect(await pollAfter(6)).toBe(3);
    // Not listed (its status did not change): asked because it was due, then read and imported.
    expect(mww.fake.requests.slice(sent).filter((r) => r.endpoint === "GET /v1/orders/{number}").map((r) => r.path.split("?")[0])).toEqual([`/v1/orders/${n}`]);
    expect(callsSince(before)).toEqual({ "GET /v1/orders": 1, "GET /v1/orders/{number}/payments": 1, "GET /v1/orders/{number}": 1 });
    expect((await rows()).find((r) => r.number === n)!.status).toBe("to_ship");
    OPEN_PAID.push(n, String(other.seq));
    OPEN_PAID.sort();
    expect(await toShip()).toEqual(OPEN_PAID);
  });

  it("an order whose payments Koppel cannot read fails only itself, with the reason; the other new order is imported", async () => {
    const store = mww.fake.store("tok-koffie");
    const odd = String(store.addOrder({ status: STATUS.NIEUW }).seq);
    const fine = String(store.addOrder({ status: STATUS.NIEUW }).seq);
    mww.fake.failNext(1, { status: 200, body: { payments: "none" } }, `/v1/orders/${odd}/payments`);
    virtual += 60_000;
    expect(await poll()).toMatchObject({ status: "done", failed: 1 });
    const logged = (await importRows()).filter((a) => a.orderNumber === odd && a.summary === "import.invalid");
    expect(logged).toHaveLength(1);
    expect(logged[0]!.reason).toContain(`Mijnwebwinkel's payments of order ${odd}`);
    OPEN_PAID.push(fine);
    // A 4xx the API gives for one order's payments fails only that order too; its payments are asked again next time.
    mww.fake.failNext(1, { status: 403 }, `/v1/orders/${odd}/payments`);
    virtual += 60_000;
    expect(await poll()).toMatchObject({ status: "done", failed: 1 });
    virtual += 60_000;
    expect(await poll()).toMatchObject({ status: "done", failed: 0 });
    OPEN_PAID.push(odd);
    OPEN_PAID.sort();
    expect(await toShip()).toEqual(OPEN_PAID);
  });

  it("Nu ophalen asks the payments again even while an unpaid answer is remembered: paid since → imported", async () => {
    const store = mww.fake.store("tok-koffie");
    const unpaid = store.addOrder({ status: STATUS.NIEUW, payment: "open" });
    const n = String(unpaid.seq);
    virtual += 60_000;
    await poll(); // asked: unpaid, asked again in 5 minutes
    store.addMutation(unpaid.seq, "capture");
    const fetched = await platform.fetchOrder(access[0]!, n);
    expect(fetched).toMatchObject({ ok: true, value: { platformOrderId: n, financialStatus: "paid" } });
    OPEN_PAID.push(n);
    OPEN_PAID.sort();
  });

  it("an order that cannot be read is logged in Activiteit once until it changes, also after a restart", async () => {
    const store = mww.fake.store("tok-koffie");
    const broken = store.addOrder({ status: STATUS.NIEUW });
    (broken.order as { date: string }).date = "";
    const n = String(broken.seq);
    const invalidLogged = async () => (await importRows()).filter((a) => a.orderNumber === n && a.summary === "import.invalid").length;
    virtual += 60_000;
    expect(await poll()).toMatchObject({ failed: 1 });
    expect(await invalidLogged()).toBe(1);
    virtual += 60_000;
    expect(await poll()).toMatchObject({ failed: 1 }); // listed again (changed-only, within the overlap)
    platform = adapter(); // a restart: every open order listed
    virtual += 60_000;
    expect(await poll()).toMatchObject({ failed: 1 });
    expect(await invalidLogged()).toBe(1);
    broken.order.comments.internal = "Klant belde"; // the merchant edits it: it is another order now
    virtual += FULL_LISTING_EVERY_MS;
    await poll();
    expect(await invalidLogged()).toBe(2);
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
