// Proves the fake Mijnwebwinkel (MyOnlineStore Connect API v1) against shared/contracts/carrier-and-mijnwebwinkel.md
// §B and its "Added 2026-12-01" section, with plain fetch and hand-built query strings (not the fake's helpers).
// No database; the clock is injected, no sleeps.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeMijnwebwinkel, STATUS, type DemoSeed, type MwwOrder, type RunningFakeMijnwebwinkel, seedDemoOrders } from "../fakes/mijnwebwinkel";

// 09:12 UTC = 10:12 in Amsterdam (CET, +01:00).
const T0 = Date.parse("2026-11-30T09:12:00Z");
let clock = T0;
const now = () => clock;

const PARTNER = "partner-koppel-0001";
const TOKEN_A = "store-token-aaaa";
const TOKEN_B = "store-token-bbbb";

type Answer = { status: number; json: unknown; text: string; headers: Headers };
type Auth = { token?: string | null; partner?: string | null };

/** A request the way a client sends it: both keys in the query string. `null` leaves a key out. */
async function call(mww: RunningFakeMijnwebwinkel, method: string, path: string, query: Record<string, string> = {}, auth: Auth = {}, body?: unknown, contentType = "application/json"): Promise<Answer> {
  const q = new URLSearchParams(query);
  const token = auth.token === undefined ? mww.tokens[0]! : auth.token;
  const partner = auth.partner === undefined ? mww.partnerToken : auth.partner;
  if (token !== null) q.set("token", token);
  if (partner !== null) q.set("partner_token", partner);
  const qs = q.toString();
  const init: RequestInit = { method, headers: body !== undefined ? { "content-type": contentType } : {} };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await fetch(`${mww.apiUrl}${path}${qs ? `?${qs}` : ""}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}
const orders = (a: Answer) => a.json as MwwOrder[];
const order = (a: Answer) => a.json as MwwOrder;
const numbers = (a: Answer) => orders(a).map((o) => o.number);

function expectError(a: Answer, status: number) {
  expect(a.status).toBe(status);
  expect(a.headers.get("content-type")).toContain("application/json");
  expect(a.json).toEqual({ code: status, message: expect.any(String), description: expect.any(String) });
}
function expectProblem(a: Answer, status: number) {
  expect(a.status).toBe(status);
  expect(a.headers.get("content-type")).toContain("application/problem+json");
  expect(a.json).toEqual({ type: expect.any(String), title: expect.any(String), detail: expect.any(String), status });
}

let mww: RunningFakeMijnwebwinkel;
let seed: DemoSeed;
beforeEach(async () => {
  clock = T0;
  mww = await startFakeMijnwebwinkel({ partnerToken: PARTNER, stores: [{ token: TOKEN_A, name: "Koffie & Co" }], now, seed: "none" });
  seed = seedDemoOrders(mww.fake, TOKEN_A);
});
afterEach(async () => {
  await mww.close();
});

describe("authentication: token and partner_token on every request", () => {
  it("answers with both keys; apiUrl is the base without /v1", async () => {
    expect(mww.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const a = await call(mww, "GET", "/v1/orders");
    expect(a.status).toBe(200);
    expect(Array.isArray(a.json)).toBe(true);
  });

  it("refuses a missing or wrong partner_token or token with 401 and the API's error body", async () => {
    for (const auth of [{ partner: null }, { partner: "nope" }, { token: null }, { token: "nope" }, { token: TOKEN_A, partner: TOKEN_A }] satisfies Auth[]) {
      const a = await call(mww, "GET", "/v1/orders", {}, auth);
      expectError(a, 401);
    }
    expect((await call(mww, "GET", "/v1/orders", {}, { partner: null })).json).toMatchObject({ description: expect.stringMatching(/partner/i) });
    expect((await call(mww, "GET", "/v1/orders/1001", {}, { token: "nope" })).json).toMatchObject({ description: "Invalid store token" });
    // PATCH and payments need both keys too; nothing is changed or recorded as a patch.
    expectError(await call(mww, "PATCH", "/v1/orders/1001", {}, { token: null }, { archived: true }), 401);
    expectError(await call(mww, "GET", "/v1/orders/1001/payments", {}, { partner: "nope" }), 401);
    expect(mww.fake.patches).toHaveLength(0);
  });

  it("GET /v1/orderstatuses needs only the partner token (its security is PartnerToken alone)", async () => {
    const a = await call(mww, "GET", "/v1/orderstatuses", {}, { token: null });
    expect(a.status).toBe(200);
    expectError(await call(mww, "GET", "/v1/orderstatuses", {}, { token: TOKEN_A, partner: null }), 401);
  });

  it("records every request with both tokens redacted", async () => {
    await call(mww, "GET", "/v1/orders", { limit: "5" });
    await call(mww, "GET", "/v1/orders", {}, { token: "wrong-token" });
    const recorded = mww.fake.requests;
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({ method: "GET", status: 200, endpoint: "GET /v1/orders", storeId: mww.fake.store().id });
    expect(recorded[0]!.path).toBe("/v1/orders?limit=5&token=REDACTED&partner_token=REDACTED");
    expect(recorded[1]).toMatchObject({ status: 401, storeId: null });
    const all = JSON.stringify(recorded);
    for (const secret of [PARTNER, TOKEN_A, "wrong-token"]) expect(all).not.toContain(secret);
  });
});

describe("shop isolation", () => {
  it("each store token sees only its own store's orders, numbers, statuses and patches", async () => {
    const b = mww.fake.addStore({ token: TOKEN_B, name: "Fietsenwinkel", firstNumber: 5001 });
    b.addOrder({ email: "klant@fietsen.example.nl", invoice: { name: "Kees Fiets" } });
    b.addOrder({ number: 1001, email: "same.number@fietsen.example.nl" });

    const listA = await call(mww, "GET", "/v1/orders", { limit: "100", test: "true" }, { token: TOKEN_A });
    const listB = await call(mww, "GET", "/v1/orders", { limit: "100" }, { token: TOKEN_B });
    expect(orders(listA)).toHaveLength(15);
    expect(numbers(listB)).toEqual([1001, 5001]);
    expect(orders(listA).map((o) => o.debtor.email)).not.toContain("klant@fietsen.example.nl");
    expect(await call(mww, "GET", "/v1/orders/count", {}, { token: TOKEN_B })).toMatchObject({ json: { count: 2 } });

    // The same number in two stores is two different orders.
    const a1001 = order(await call(mww, "GET", "/v1/orders/1001", {}, { token: TOKEN_A }));
    const b1001 = order(await call(mww, "GET", "/v1/orders/1001", {}, { token: TOKEN_B }));
    expect(a1001.debtor.email).toBe("sanne.dejong@example.nl");
    expect(b1001.debtor.email).toBe("same.number@fietsen.example.nl");
    expect(a1001.uuid).not.toBe(b1001.uuid);

    // Store A cannot read, pay-check or patch store B's order 5001.
    expectError(await call(mww, "GET", "/v1/orders/5001", {}, { token: TOKEN_A }), 404);
    expectProblem(await call(mww, "GET", "/v1/orders/5001/payments", {}, { token: TOKEN_A }), 404);
    expectError(await call(mww, "PATCH", "/v1/orders/5001", {}, { token: TOKEN_A }, { status: STATUS.VERZONDEN }), 404);
    expect(b.order(5001)!.status).toBe(1);
    const ok = await call(mww, "PATCH", "/v1/orders/1001", {}, { token: TOKEN_B }, { comments: { internal: "B only" } });
    expect(ok.status).toBe(200);
    expect(mww.fake.order(1001, TOKEN_A)!.comments.internal).toBe("");
    expect(mww.fake.patches.map((p) => [p.storeId, p.number, p.status])).toEqual([
      [mww.fake.store(TOKEN_A).id, "5001", 404],
      [b.id, "1001", 200],
    ]);
    // Payments carry their own store's id.
    const pay = (await call(mww, "GET", "/v1/orders/5001/payments", {}, { token: TOKEN_B })).json as { payments: { storeId: string }[] };
    expect(pay.payments[0]!.storeId).toBe(b.id);
  });
});

describe("GET /v1/orders paging and filters", () => {
  it("limit/offset pages return every (non-test) order once, ordered by number", async () => {
    const count = await call(mww, "GET", "/v1/orders/count");
    expect(count.json).toEqual({ count: 13 });
    const seen: (number | string)[] = [];
    const sizes: number[] = [];
    for (let offset = 0; ; offset += 5) {
      const page = await call(mww, "GET", "/v1/orders", { limit: "5", offset: String(offset) });
      expect(page.status).toBe(200);
      sizes.push(orders(page).length);
      seen.push(...numbers(page));
      if (orders(page).length < 5) break;
    }
    expect(sizes).toEqual([5, 5, 3]);
    expect(new Set(seen.map(String)).size).toBe(13);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
    expect(mww.fake.callCount("GET /v1/orders")).toBe(3);
    expect(mww.fake.callCount("GET /v1/orders/count")).toBe(1);
  });

  it("defaults to 10 ascending; ordering=desc reverses; limit above 100 or malformed parameters → 400", async () => {
    const first = await call(mww, "GET", "/v1/orders");
    expect(orders(first)).toHaveLength(10);
    expect(numbers(first)[0]).toBe(1001);
    const desc = await call(mww, "GET", "/v1/orders", { ordering: "desc", limit: "3" });
    expect(numbers(desc)).toEqual([1015, 1014, 1012]);
    expect(orders(await call(mww, "GET", "/v1/orders", { limit: "100" }))).toHaveLength(13);
    expectError(await call(mww, "GET", "/v1/orders", { limit: "101" }), 400);
    const malformed: Record<string, string>[] = [{ limit: "ten" }, { offset: "-1" }, { ordering: "number" }, { archived: "yes" }, { status_id: "new" }, { start_date: "30-11-2026" }, { status_changed_start_date: "2026-11-30T10:00" }];
    for (const q of malformed) {
      expectError(await call(mww, "GET", "/v1/orders", q), 400);
    }
  });

  it("test=false (the default) excludes test orders; test=true includes them, numbered T-…", async () => {
    const plain = numbers(await call(mww, "GET", "/v1/orders", { limit: "100" }));
    expect(plain.some((n) => String(n).startsWith("T-"))).toBe(false);
    expect(numbers(await call(mww, "GET", "/v1/orders", { limit: "100", test: "false" }))).toEqual(plain);
    const withTest = numbers(await call(mww, "GET", "/v1/orders", { limit: "100", test: "true" }));
    expect(withTest).toHaveLength(15);
    expect(withTest.filter((n) => String(n).startsWith("T-"))).toEqual(["T-1006", "T-1013"]);
    expect(seed.roles.test).toEqual([1006, 1013]);
    expect((await call(mww, "GET", "/v1/orders/count", { test: "true" })).json).toEqual({ count: 15 });
    // A single test order answers by its T- number (and its bare number).
    expect(order(await call(mww, "GET", "/v1/orders/T-1006")).number).toBe("T-1006");
    expect(order(await call(mww, "GET", "/v1/orders/1006")).number).toBe("T-1006");
    expectError(await call(mww, "GET", "/v1/orders/T-1007"), 404);
  });

  it("archived and status_id filter, alone and together, in list and count", async () => {
    const archived = await call(mww, "GET", "/v1/orders", { archived: "true" });
    expect(numbers(archived)).toEqual(seed.roles.archived);
    expect(orders(archived).every((o) => o.archived)).toBe(true);
    const open = await call(mww, "GET", "/v1/orders", { archived: "false", limit: "100" });
    expect(orders(open)).toHaveLength(11);
    expect((await call(mww, "GET", "/v1/orders/count", { archived: "false" })).json).toEqual({ count: 11 });
    const shipped = await call(mww, "GET", "/v1/orders", { status_id: String(STATUS.VERZONDEN), archived: "false" });
    expect(numbers(shipped)).toEqual([1003]);
    expect((await call(mww, "GET", "/v1/orders/count", { status_id: String(STATUS.VERZONDEN) })).json).toEqual({ count: 2 });
  });

  it("status_changed_start_date/end_date (yyyy-mm-dd hh:mm:ss, shop time) pick up a status change made now()", async () => {
    clock = T0 + 60 * 60_000; // 10:12 UTC = 11:12 Amsterdam
    const changed = mww.fake.setStatus(1014, STATUS.IN_BEHANDELING);
    expect(changed).toMatchObject({ status: STATUS.IN_BEHANDELING, status_changed_date: "2026-11-30", status_changed_time: "11:12:00" });

    const since = await call(mww, "GET", "/v1/orders", { status_changed_start_date: "2026-11-30 11:00:00" });
    expect(numbers(since)).toEqual([1014]);
    expect((await call(mww, "GET", "/v1/orders/count", { status_changed_start_date: "2026-11-30 11:12:00" })).json).toEqual({ count: 1 });
    expect(numbers(await call(mww, "GET", "/v1/orders", { status_changed_start_date: "2026-11-30 11:12:01" }))).toEqual([]);
    // An end bound before the change excludes it; a window around older changes finds those.
    const before = numbers(await call(mww, "GET", "/v1/orders", { status_changed_end_date: "2026-11-30 11:00:00", limit: "100" }));
    expect(before).not.toContain(1014);
    expect(before).toHaveLength(12);
    // Setting the same status again changes nothing.
    clock += 60_000;
    expect(mww.fake.setStatus(1014, STATUS.IN_BEHANDELING).status_changed_time).toBe("11:12:00");
  });

  it("start_date/end_date filter on the order date", async () => {
    // T0 is 10:12 on 30 November in Amsterdam: 1014 (10 h earlier, 00:12) is the first order of that day.
    const today = numbers(await call(mww, "GET", "/v1/orders", { start_date: "2026-11-30", limit: "100" }));
    expect(today).toEqual([1014, 1015]);
    const until = numbers(await call(mww, "GET", "/v1/orders", { end_date: "2026-11-20", limit: "100" }));
    expect(until).toEqual([1001]);
  });
});

describe("GET /v1/orders/{number}: the order's real field names", () => {
  it("serves the spec's Order fields, street and house number separate, no suffix field", async () => {
    const o = order(await call(mww, "GET", "/v1/orders/1004"));
    for (const key of ["number", "uuid", "date", "time", "status", "status_changed_date", "status_changed_time", "weight", "archived", "locale", "currency", "business_model", "comments", "debtor", "orderlines", "shipping", "price"]) {
      expect(o).toHaveProperty(key);
    }
    expect(o).toMatchObject({ number: 1004, status: STATUS.IN_BEHANDELING, archived: false, locale: "nl_NL", currency: "EUR", business_model: "B2C" });
    expect(o.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(o.time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(o).not.toHaveProperty("reference");
    expect(o.comments).toEqual({ customer: "Het is een cadeau, graag zonder factuur in het pakket.", internal: "" });
    expect(o.debtor.address.delivery).toEqual({
      gender: "V",
      name: "Khadija El Amrani",
      company: "",
      phone: "0612345044",
      street: "Melkmarkt",
      number: "8-2",
      zipcode: "8011 MC",
      city: "Zwolle",
      country: "Nederland",
      country_code: "NL",
    });
    expect(o.debtor.address.invoice).toMatchObject({ name: "Fatima El Amrani", street: "Diezerstraat", number: "12", taxnumber: "", bankaccount: "" });
    expect(JSON.stringify(o)).not.toMatch(/suffix|housenumber/);
    const articles = o.orderlines.filter((l) => l.type === "article");
    expect(articles.map((l) => [l.quantity, l.description, l.articles![0]!.sku])).toEqual([
      [1, "Theedoos hout, 6 vakken", "THE-DOOS-6"],
      [2, "Delfts blauw mok", "MOK-DB-350"],
    ]);
    expect(o.shipping).toEqual([{ country: { description: "Nederland", isocode: "NL" } }]);
    // 17.50 + 2 × 12.50 + 6.95 shipping, all 21%.
    expect(o.price).toEqual({ total: "49.45", tax: [{ rate: "21.00", amount: "8.58" }] });
    expectError(await call(mww, "GET", "/v1/orders/9999"), 404);
    expectError(await call(mww, "GET", "/v1/orders/abc"), 404);
  });

  it("the seed shows every drift: number as string, price.tax as object, shipping country [], no delivery, B2B", async () => {
    const all = orders(await call(mww, "GET", "/v1/orders", { limit: "100", test: "true" }));
    const byNumber = (n: number) => all.find((o) => String(o.number).replace(/^T-/, "") === String(n))!;

    const stringNumber = byNumber(seed.roles.numberAsString[0]!);
    expect(stringNumber.number).toBe("1009");
    expect(order(await call(mww, "GET", "/v1/orders/1009")).number).toBe("1009");

    const taxObject = byNumber(seed.roles.taxAsObject[0]!);
    expect(Array.isArray(taxObject.price.tax)).toBe(false);
    expect(taxObject.price.tax).toEqual({ rate: "21.00", amount: expect.stringMatching(/^\d+\.\d{2}$/) });

    const noCountry = byNumber(seed.roles.shippingCountryEmpty[0]!);
    expect(noCountry.shipping).toEqual([{ country: [] }]);
    expect(noCountry.debtor.address.invoice.country_code).toBe("BE");

    const noDelivery = byNumber(seed.roles.noDelivery[0]!);
    expect(noDelivery.debtor.address).not.toHaveProperty("delivery");
    expect(noDelivery.debtor.address.invoice).toMatchObject({ name: "Lotte Smit", street: "Stratumseind", number: "30", zipcode: "5611 ET", city: "Eindhoven", country_code: "NL" });

    const b2b = byNumber(seed.roles.b2b[0]!);
    expect(b2b).toMatchObject({ business_model: "B2B", reference: "INK-2026-0412" });
    expect(b2b.debtor.address.invoice).toMatchObject({ company: "Bakkerij Bosman B.V.", taxnumber: "NL812345678B01" });

    // Integer numbers elsewhere; mixed statuses.
    expect(all.filter((o) => typeof o.number === "number")).toHaveLength(12);
    expect(new Set(all.map((o) => o.status))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    const mixedVat = byNumber(1014);
    expect(mixedVat.price.tax).toEqual([
      { rate: "9.00", amount: expect.any(String) },
      { rate: "21.00", amount: expect.any(String) },
    ]);
  });
});

describe("PATCH /v1/orders/{number} (OrderPatchable)", () => {
  it("applies and records status, archived and comments.internal; internal is replaced as sent, not appended", async () => {
    clock = T0 + 5 * 60_000;
    expect(mww.fake.order(1005)!.comments.internal).toBe("Klant belde: betaalt vrijdag per overboeking.");
    const body = { status: STATUS.VERZONDEN, comments: { internal: "Verzonden met PostNL 3SKOPP0001" } };
    const a = await call(mww, "PATCH", "/v1/orders/1005", {}, {}, body);
    expect(a.status).toBe(200);
    expect(order(a)).toMatchObject({ number: 1005, status: STATUS.VERZONDEN, status_changed_date: "2026-11-30", status_changed_time: "10:17:00" });
    expect(order(a).comments).toEqual({ customer: "", internal: "Verzonden met PostNL 3SKOPP0001" });
    expect(mww.fake.order(1005)!.comments.internal).toBe("Verzonden met PostNL 3SKOPP0001");
    expect(mww.fake.patches).toEqual([{ storeId: mww.fake.store().id, number: "1005", body, status: 200, at: clock }]);

    const archive = await call(mww, "PATCH", "/v1/orders/1005", {}, {}, { archived: true });
    expect(order(archive).archived).toBe(true);
    expect(numbers(await call(mww, "GET", "/v1/orders", { archived: "true" }))).toContain(1005);
    expect(mww.fake.callCount("PATCH /v1/orders/{number}")).toBe(2);
    // The reference is B2B-only.
    expect(order(await call(mww, "PATCH", "/v1/orders/1008", {}, {}, { reference: "INK-2026-0413" })).reference).toBe("INK-2026-0413");
    // A test order answers PATCH by its T- number.
    expect((await call(mww, "PATCH", "/v1/orders/T-1006", {}, {}, { status: STATUS.AFGEHANDELD })).status).toBe(200);
  });

  it("refuses anything outside OrderPatchable with 400, changes nothing, and still records the attempt", async () => {
    const before = mww.fake.order(1003)!;
    const bad: unknown[] = [
      { track_and_trace: "3SKOPP0001" },
      { status: STATUS.VERZONDEN, carrier: "PostNL" },
      { comments: { customer: "overwritten" } },
      { comments: { internal: 42 } },
      { status: "4" },
      { status: 99 },
      { status: STATUS.GECREDITEERD },
      { archived: "yes" },
      { reference: "PO-1" },
      [{ status: 4 }],
    ];
    for (const body of bad) expectError(await call(mww, "PATCH", "/v1/orders/1003", {}, {}, body), 400);
    expectError(await call(mww, "PATCH", "/v1/orders/1003", {}, {}, "status=4", "application/x-www-form-urlencoded"), 400);
    expectError(await call(mww, "PATCH", "/v1/orders/1003", {}, {}, "{not json", "application/json"), 400);
    expect((await call(mww, "PATCH", "/v1/orders/1003", {}, {}, { track_and_trace: "x" })).json).toMatchObject({ description: expect.stringContaining("track_and_trace") });
    expect(mww.fake.order(1003)).toEqual(before);
    expect(mww.fake.patches).toHaveLength(bad.length + 3);
    expect(mww.fake.patches.every((p) => p.status === 400)).toBe(true);
    expect(mww.fake.patches[0]!.body).toEqual({ track_and_trace: "3SKOPP0001" });
  });
});

describe("GET /v1/orders/{number}/payments", () => {
  type Payment = { id: string; gateway: string; method: string; gatewayReference: string | null; price: number; currency: string; storeId: string; isTest: boolean; createdAt: string; mutations?: { type: string; price: number; createdAt: string }[] };
  const payments = (a: Answer) => (a.json as { payments: Payment[] }).payments;

  it("answers { payments: [...] }; mutations come with embed=mutations", async () => {
    const plain = await call(mww, "GET", "/v1/orders/1003/payments");
    expect(plain.status).toBe(200);
    expect(Object.keys(plain.json as object)).toEqual(["payments"]);
    expect(payments(plain)).toHaveLength(1);
    expect(payments(plain)[0]).not.toHaveProperty("mutations");

    const withMutations = payments(await call(mww, "GET", "/v1/orders/1003/payments", { embed: "mutations" }))[0]!;
    expect(withMutations).toMatchObject({ gateway: "mollie", method: "ideal", gatewayReference: expect.stringMatching(/^tr_/), price: 5690, currency: "EUR", storeId: mww.fake.store().id, isTest: false });
    expect(withMutations.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+01:00$/);
    expect(withMutations.mutations).toEqual([{ id: expect.any(Number), type: "capture", reference: null, price: 5690, description: null, createdAt: expect.any(String), expiresAt: null }]);
    expect(mww.fake.callCount("GET /v1/orders/{number}/payments")).toBe(2);

    const withOrder = payments(await call(mww, "GET", "/v1/orders/1003/payments", { embed: "mutations,order" }))[0] as Payment & { order: { reference: string; price: number } };
    expect(withOrder.order).toMatchObject({ reference: "1003", price: 5690 });
    expectProblem(await call(mww, "GET", "/v1/orders/1003/payments", { embed: "everything" }), 400);
    expectProblem(await call(mww, "GET", "/v1/orders/4242/payments"), 404);
  });

  it("most demo orders are paid (captured), one is open, one authorized; payment_status is only the deprecated summary", async () => {
    const all = orders(await call(mww, "GET", "/v1/orders", { limit: "100", test: "true" }));
    const kinds: Record<string, string> = {};
    for (const o of all) {
      const ps = payments(await call(mww, "GET", `/v1/orders/${o.number}/payments`, { embed: "mutations" }));
      const types = ps.flatMap((p) => p.mutations!.map((m) => m.type));
      kinds[String(o.number)] = types.includes("refund") ? "refunded" : types.includes("capture") ? "captured" : types.includes("authorize") ? "authorized" : "open";
    }
    expect(Object.values(kinds).filter((k) => k === "captured")).toHaveLength(12);
    expect(Object.entries(kinds).filter(([, k]) => k === "open")).toEqual([["1005", "open"]]);
    expect(kinds["1009"]).toBe("authorized");
    expect(kinds["1012"]).toBe("refunded");

    const open = payments(await call(mww, "GET", "/v1/orders/1005/payments", { embed: "mutations" }));
    expect(open).toEqual([expect.objectContaining({ gateway: "basic", method: "advance", gatewayReference: null, mutations: [] })]);
    expect(mww.fake.order(1005)!.payment_status).toBe("new");
    expect(mww.fake.order(1009)!.payment_status).toBe("authorized");
    expect(payments(await call(mww, "GET", "/v1/orders/T-1006/payments"))[0]!.isTest).toBe(true);

    // The bank transfer arrives: a capture mutation makes the order paid.
    mww.fake.store().addMutation(1005, "capture");
    const paid = payments(await call(mww, "GET", "/v1/orders/1005/payments", { embed: "mutations" }));
    expect(paid[0]!.mutations!.map((m) => m.type)).toEqual(["capture"]);
    expect(mww.fake.order(1005)!.payment_status).toBe("captured");
  });
});

describe("GET /v1/orderstatuses", () => {
  it("lists the store's statuses with ids; a merchant's rename shows for that store only", async () => {
    const a = await call(mww, "GET", "/v1/orderstatuses");
    expect(a.json).toEqual([
      { status: 1, description: "Nieuw", credit_order: false },
      { status: 2, description: "In behandeling", credit_order: false },
      { status: 3, description: "Wacht op betaling", credit_order: false },
      { status: 4, description: "Verzonden", credit_order: false },
      { status: 5, description: "Afgehandeld", credit_order: false },
      { status: 6, description: "Geannuleerd", credit_order: false },
      { status: 7, description: "Gecrediteerd", credit_order: true },
    ]);
    const b = mww.fake.addStore({ token: TOKEN_B });
    b.renameStatus(STATUS.VERZONDEN, "Onderweg naar je toe");
    const renamed = (await call(mww, "GET", "/v1/orderstatuses", {}, { token: TOKEN_B })).json as { status: number; description: string }[];
    expect(renamed.find((s) => s.status === 4)!.description).toBe("Onderweg naar je toe");
    const untouched = (await call(mww, "GET", "/v1/orderstatuses", {}, { token: TOKEN_A })).json as { status: number; description: string }[];
    expect(untouched.find((s) => s.status === 4)!.description).toBe("Verzonden");
  });
});

describe("rate limit and injected failures", () => {
  it("answers 429 (RFC 7807, no Retry-After) once the per-minute budget is used, and again after a minute", async () => {
    await mww.close();
    mww = await startFakeMijnwebwinkel({ partnerToken: PARTNER, stores: [{ token: TOKEN_A }, { token: TOKEN_B }], now, perMinute: 3, seed: "demo" });
    for (let i = 0; i < 3; i++) {
      clock = T0 + i * 1_000;
      expect((await call(mww, "GET", "/v1/orders", {}, { token: TOKEN_A })).status).toBe(200);
    }
    // Unauthenticated requests use up nothing and still get 401.
    expectError(await call(mww, "GET", "/v1/orders", {}, { token: "nope" }), 401);
    const limited = await call(mww, "GET", "/v1/orders/1001", {}, { token: TOKEN_A });
    expectProblem(limited, 429);
    expect(limited.headers.get("retry-after")).toBeNull();
    expect(limited.json).toMatchObject({ title: "Too Many Requests", status: 429 });
    // The budget is per store: store B still answers.
    expect((await call(mww, "GET", "/v1/orders", {}, { token: TOKEN_B })).status).toBe(200);
    // 60 s after the first request one slot is free again (sliding window), the refused one cost nothing.
    clock = T0 + 60_000;
    expect((await call(mww, "GET", "/v1/orders", {}, { token: TOKEN_A })).status).toBe(200);
    expectProblem(await call(mww, "GET", "/v1/orders", {}, { token: TOKEN_A }), 429);
    expect(mww.fake.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(mww.fake.callCount("GET /v1/orders")).toBe(7);
  });

  it("has a partner-wide budget over all stores too", async () => {
    await mww.close();
    mww = await startFakeMijnwebwinkel({ partnerToken: PARTNER, stores: [{ token: TOKEN_A }, { token: TOKEN_B }], now, perMinute: 10, partnerPerMinute: 3 });
    for (const token of [TOKEN_A, TOKEN_B, TOKEN_A]) expect((await call(mww, "GET", "/v1/orders", {}, { token })).status).toBe(200);
    const limited = await call(mww, "GET", "/v1/orders", {}, { token: TOKEN_B });
    expectProblem(limited, 429);
    expect(limited.json).toMatchObject({ detail: expect.stringContaining("partner") });
  });

  it("failNext answers the next n requests (before authentication) with the given status and body", async () => {
    mww.fake.failNext(2, { status: 503, body: { code: 503, message: "Service Unavailable", description: "Onderhoud" } });
    expectError(await call(mww, "GET", "/v1/orders"), 503);
    expectError(await call(mww, "PATCH", "/v1/orders/1003", {}, { token: null }, { status: 4 }), 503);
    expect((await call(mww, "GET", "/v1/orders")).status).toBe(200);
    mww.fake.rateLimitNext(1);
    expectProblem(await call(mww, "GET", "/v1/orderstatuses"), 429);
    expect(mww.fake.requests.map((r) => r.status)).toEqual([503, 503, 200, 429]);
    expect(mww.fake.patches).toHaveLength(0);
  });

  it("answers unknown paths, other versions and methods with the error body", async () => {
    expectError(await call(mww, "GET", "/v1/articles"), 404);
    expectError(await call(mww, "GET", "/v2-beta/orders"), 404);
    expectError(await call(mww, "DELETE", "/v1/orders/1001"), 405);
    expectError(await call(mww, "GET", "/v1/orders", { format: "xml" }), 400);
  });
});
