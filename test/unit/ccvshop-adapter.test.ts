// CCV Shop adapter, pure parts: request signatures, order mapping (real field shapes), webhook summaries, the trigger
// throttle and the api_root rules. The HTTP side is tested against the fake in test/integration/ccvshop-*.test.ts.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ccvDate, ccvHash, ccvHashMatches, signRequest } from "../../app/platforms/ccvshop/signing";
import { CcvOrderSchema, mapCcvOrder, shipToOf } from "../../app/platforms/ccvshop/order-schema";
import { classifyCcvDelivery, eventOfSummary } from "../../app/platforms/ccvshop/deliveries";
import { createFetchThrottle } from "../../app/platforms/ccvshop/fetch-throttle";
import { parseApiRoot } from "../../app/platforms/ccvshop/credentials";
import { queryString, type CcvClient } from "../../app/platforms/ccvshop/api-client.server";
import { createOrderLabelReader } from "../../app/platforms/ccvshop/order-labels";

const order = (over: Record<string, unknown> = {}) =>
  CcvOrderSchema.parse({
    id: 340000001,
    ordernumber: 12,
    ordernumber_prefix: null,
    ordernumber_full: "12",
    create_date: "2026-11-30T09:12:00Z",
    deliver_method: "shipping",
    status: 1,
    is_completed: true,
    paid: true,
    total_price: 590,
    currency: "EUR",
    total_weight: 1.25,
    customer: {
      email: "sanne@example.nl",
      customertype: "b2c",
      billingaddress: { full_name: "Sanne de Vries", company: "", street: "Keizersgracht", housenumber: 123, housenumber_suffix: "A", zipcode: "1015 CJ", city: "Amsterdam", country: "Nederland", country_code: "NL", telephone: "0201234567" },
      deliveryaddress: { full_name: "", company: "", street: "", housenumber: null, housenumber_suffix: "", address_line_1: "", address_line_2: "", zipcode: "", city: "", country: "", country_code: "" },
    },
    ...over,
  });

describe("CCV signatures", () => {
  it("signs public|METHOD|uri-with-query|body|x-date with HMAC-SHA512 of the API secret, lowercase hex", () => {
    const input = { apiPublic: "pub", apiSecret: "sec", method: "get", uri: "/api/rest/v1/orders?is_paid=true&start=0", body: "", date: "2026-12-01T10:00:00+00:00" };
    const expected = createHmac("sha512", "sec").update("pub|GET|/api/rest/v1/orders?is_paid=true&start=0||2026-12-01T10:00:00+00:00").digest("hex");
    expect(signRequest(input)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{128}$/);
  });

  it("x-date is UTC ISO-8601 with +00:00, no milliseconds", () => {
    expect(ccvDate(new Date("2026-12-01T10:00:00.123Z"))).toBe("2026-12-01T10:00:00+00:00");
  });

  it("compares App Store hashes in constant time, any case, and refuses a missing or shorter one", () => {
    const h = ccvHash("app-secret", ["https://koppel.example/ccvshop/install", "pub"]);
    expect(ccvHashMatches(h, h)).toBe(true);
    expect(ccvHashMatches(h.toUpperCase(), h)).toBe(true);
    expect(ccvHashMatches(h.slice(0, 100), h)).toBe(false);
    expect(ccvHashMatches(null, h)).toBe(false);
    expect(ccvHashMatches(ccvHash("other", ["https://koppel.example/ccvshop/install", "pub"]), h)).toBe(false);
  });

  it("keeps the query in the order given (the hash covers it exactly as sent)", () => {
    expect(queryString({ is_paid: true, is_completed: true, min_create_date: "2026-12-01T10:00:00Z", start: 0, skip: undefined })).toBe(
      "?is_paid=true&is_completed=true&min_create_date=2026-12-01T10%3A00%3A00Z&start=0",
    );
  });
});

describe("CCV order → PlatformOrder", () => {
  it("reads integers as CCV sends them and ships to billing when the delivery address is all empty", () => {
    const mapped = mapCcvOrder(order(), [{ id: "1", product_name: "Mok", product_number: "MOK-01", sub_sku_number: null, count: 2, weight: 0.35 } as never], new Date("2026-11-30T10:00:00Z"), {});
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const o = mapped.value;
    expect(o.updatedAt.toISOString()).toBe("2026-11-30T10:00:00.000Z"); // when the read began: CCV has no modification instant
    expect(o).toMatchObject({ platformOrderId: "340000001", number: "12", financialStatus: "paid", fulfillmentStatus: "unfulfilled", cancelled: false, totalPrice: "590.00", currency: "EUR", totalWeightGrams: 1250, email: "sanne@example.nl" });
    expect(o.shipTo).toMatchObject({ name: "Sanne de Vries", address1: "Keizersgracht 123A", street: "Keizersgracht", houseNumber: "123", houseNumberAddition: "A", postcode: "1015 CJ", city: "Amsterdam", country: "NL", phone: "0201234567" });
    expect(o.lines).toEqual([{ sku: "MOK-01", name: "Mok", quantity: 2, weightGrams: 350, requiresShipping: true }]);
    // The billing address as CCV gives it, for the order page.
    expect(o.billTo).toMatchObject({ name: "Sanne de Vries", street: "Keizersgracht", houseNumber: "123", postcode: "1015 CJ", city: "Amsterdam", country: "NL" });
  });

  it("prefers a filled delivery address, and reads address_line_1/2 when street and number are not split", () => {
    const o = order({
      customer: {
        email: "x@example.nl",
        billingaddress: { full_name: "Bram Jansen", street: "Oudegracht", housenumber: 1, zipcode: "3511 AA", city: "Utrecht", country_code: "NL" },
        deliveryaddress: { full_name: "Bram Jansen", company: "Jansen BV", address_line_1: "Laan van Meerdervoort 1001 hs", address_line_2: "2e verdieping", zipcode: "2517 AA", city: "Den Haag", country_code: "nl" },
      },
    });
    expect(shipToOf(o)).toMatchObject({ address1: "Laan van Meerdervoort 1001 hs", address2: "2e verdieping", street: null, houseNumber: null, company: "Jansen BV", country: "NL", city: "Den Haag" });
  });

  it("unpaid or not completed is not paid; 5–7 are shipped elsewhere, 8 cancelled; pick-up ships nothing", () => {
    const st = (over: Record<string, unknown>) => {
      const r = mapCcvOrder(order(over), [], new Date(), {});
      if (!r.ok) throw new Error(r.reason);
      return r.value;
    };
    expect(st({ paid: false }).financialStatus).toBe("pending");
    expect(st({ is_completed: false, status: null, ordernumber: null, ordernumber_full: null }).financialStatus).toBe("pending");
    expect(st({ is_completed: false, ordernumber: null, ordernumber_full: null }).number).toBe("340000001");
    for (const s of [5, 6, 7]) expect(st({ status: s }).fulfillmentStatus).toBe("fulfilled");
    expect(st({ status: 8 }).cancelled).toBe(true);
    expect(st({ status: "2" }).fulfillmentStatus).toBe("unfulfilled");
    expect(st({ deliver_method: "pickup" }).shipTo).toBeNull();
    expect(st({ total_price: 616.67 }).totalPrice).toBe("616.67");
    expect(st({ paid: 1 }).financialStatus).toBe("paid");
  });

  it("an order that is not an order fails with the field named", () => {
    expect(CcvOrderSchema.safeParse({ id: "abc", create_date: "x" }).success).toBe(false);
    const r = mapCcvOrder(order({ create_date: "not a date" }), [], new Date(), {});
    expect(r).toMatchObject({ ok: false, reason: expect.stringContaining("create_date") });
  });
});

describe("CCV webhook summaries", () => {
  it("names the event by the fields the summary carries", () => {
    const base = { triggered_at: "2026-11-30T09:12:00Z", href: "x", id: 1, order_number: 3 };
    expect(eventOfSummary({ ...base, previous_status: 1, status: 5 })).toBe("orders.updated.status");
    expect(eventOfSummary({ ...base, paid: true })).toBe("orders.updated.ispaid");
    expect(eventOfSummary({ ...base, track_and_trace_code: "3S", track_and_trace_carrier: "PostNL" })).toBe("orders.updated.trackandtrace");
    expect(eventOfSummary(base)).toBe("orders.created");
  });

  it("an order event is an order trigger; one without an id is invalid; another event is ignored", () => {
    expect(classifyCcvDelivery({ topic: "orders.created", payload: { id: 340000001 } })).toEqual({ kind: "order" });
    expect(classifyCcvDelivery({ topic: "orders.created", payload: { order_number: 3 } }).kind).toBe("invalid");
    expect(classifyCcvDelivery({ topic: "products.updated", payload: { id: 1 } }).kind).toBe("ignore");
  });
});

describe("trigger throttle", () => {
  it("a flood of triggers for one order costs one read per window, and none is answered with a read older than itself", async () => {
    let t = 0;
    const sleeps: number[] = [];
    const throttle = createFetchThrottle({
      windowMs: 5000,
      now: () => t,
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
    });
    let reads = 0;
    const read = async () => {
      const at = t;
      reads++;
      return at;
    };
    const first = await throttle.read("1:42", read);
    expect(first).toBe(0);
    t = 100;
    const flood = await Promise.all(Array.from({ length: 50 }, () => throttle.read("1:42", read)));
    expect(reads).toBe(2);
    expect(new Set(flood)).toEqual(new Set([5000])); // the shared read started after every trigger of the flood
    expect(sleeps).toEqual([4900]);
    // Another order is not held up by this one.
    expect(await throttle.read("1:43", read)).toBe(5000);
    t = 20_000;
    expect(await throttle.read("1:42", read)).toBe(20_000);
    expect(throttle.started).toBe(4);
  });
});

describe("api_root", () => {
  it("is an https origin; outside production http on loopback is allowed (the fakes); the host with its port names the shop", () => {
    expect(parseApiRoot("https://demo.ccvshop.nl", { production: true })).toEqual({ ok: true, origin: "https://demo.ccvshop.nl", host: "demo.ccvshop.nl" });
    expect(parseApiRoot("https://Demo.CCVShop.nl:8443/", { production: true })).toMatchObject({ ok: true, host: "demo.ccvshop.nl:8443" });
    expect(parseApiRoot("http://127.0.0.1:5050", { production: false })).toMatchObject({ ok: true, host: "127.0.0.1:5050" });
    expect(parseApiRoot("http://127.0.0.1:5050", { production: true }).ok).toBe(false);
    expect(parseApiRoot("http://evil.example", { production: false }).ok).toBe(false);
    expect(parseApiRoot("https://demo.ccvshop.nl/api", { production: true }).ok).toBe(false);
    expect(parseApiRoot("https://user:pw@demo.ccvshop.nl", { production: true }).ok).toBe(false);
    expect(parseApiRoot("javascript:alert(1)", { production: false }).ok).toBe(false);
  });
});

describe("CCV order labels", () => {
  /** A client answering GETs from a table of resources (no HTTP: the fake CCV Shop tests the wire). */
  const clientOf = (answers: Record<string, unknown>, calls: string[]): CcvClient => ({
    credentials: { apiPublic: "p", apiSecret: "s", apiRoot: "https://shop.example" } as never,
    async call(req) {
      calls.push(req.resource);
      if (!(req.resource in answers)) throw Object.assign(new Error("CCV Shop answered 404"), { name: "CcvApiError", status: 404 });
      return { status: 200, body: answers[req.resource], raw: "" };
    },
    async follow() {
      throw new Error("no paging here");
    },
  });

  it("reads ids as numbers or strings, names them by tooltip (label-<id> without one), and lists each name once", async () => {
    const calls: string[] = [];
    const client = clientOf(
      {
        "orders/1/orderlabels": { href: "x", items: [{ label_id: "7", parent: "o" }, { label_id: 8 }, { label_id: 7 }] },
        labels: { href: "y", items: [{ id: 7, tooltip: " express " }, { id: "8", tooltip: null, image_location: "i" }] },
      },
      calls,
    );
    const reader = createOrderLabelReader(() => 0);
    expect(await reader.read("1", client, "1", "wait")).toMatchObject({ ok: true, tags: ["express", "label-8"] });
    expect(await reader.read("1", client, "1", "wait")).toMatchObject({ ok: true, tags: ["express", "label-8"] });
    expect(calls).toEqual(["orders/1/orderlabels", "labels", "orders/1/orderlabels"]);
  });

  it("an answer that is not a list of labels is a reason, not an exception", async () => {
    const reader = createOrderLabelReader(() => 0);
    const bad = clientOf({ "orders/1/orderlabels": { href: "x", items: [{ label_id: "seven" }] } }, []);
    expect(await reader.read("1", bad, "1", "wait")).toMatchObject({ ok: false, reason: expect.stringContaining("order label 1") });
    const notCollection = clientOf({ "orders/2/orderlabels": { error: true } }, []);
    expect(await reader.read("1", notCollection, "2", "wait")).toMatchObject({ ok: false });
    expect(await reader.read("1", notCollection, "3", "wait")).toMatchObject({ ok: false, reason: expect.stringContaining("404") });
  });
});
