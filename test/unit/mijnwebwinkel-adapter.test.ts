import { describe, expect, it } from "vitest";
import { mwwErrorText } from "../../app/platforms/mijnwebwinkel/api-client.server";
import { statusChangedFrom } from "../../app/platforms/mijnwebwinkel/adapter.server";
import { financialStatusOf, mapMwwOrder, MwwOrderSchema, MwwPaymentsSchema, splitHouseNumber, statusPolicy } from "../../app/platforms/mijnwebwinkel/order-schema";
import { DEFAULT_STATUSES } from "../fakes/mijnwebwinkel";

const policy = statusPolicy([...DEFAULT_STATUSES]);
const base = {
  number: 1009,
  date: "2026-12-01",
  time: "10:15:00",
  status: 1,
  archived: false,
  debtor: { email: "a@example.nl", address: { invoice: { name: "Lotte Smit", street: "Stratumseind", number: "30", zipcode: "5611 ET", city: "Eindhoven", country_code: "NL" } } },
  price: { total: "24.95", tax: { rate: "21.00", amount: "4.33" } },
  shipping: [{ country: [] }],
  orderlines: [{ type: "article", quantity: 2, weight: "2100", description: "Koffie", articles: [{ sku: "KOF" }] }, { type: "shipping", quantity: 1, description: "Verzending" }],
};
const map = (o: unknown) => {
  const parsed = MwwOrderSchema.parse(o);
  const r = mapMwwOrder(parsed, policy, "paid", new Date(0), o);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe("Mijnwebwinkel mapping", () => {
  it("takes the drift shapes: number as string, price.tax as object, shipping country []; no delivery → invoice", () => {
    const o = map({ ...base, number: "1009" });
    expect(o).toMatchObject({ platformOrderId: "1009", number: "1009", test: false, totalPrice: "24.95", fulfillmentStatus: "unfulfilled" });
    expect(o.placedAt.toISOString()).toBe("2026-12-01T09:15:00.000Z");
    expect(o.shipTo).toMatchObject({ name: "Lotte Smit", street: "Stratumseind", houseNumber: "30", houseNumberAddition: null, country: "NL" });
    expect(o.lines).toEqual([{ sku: "KOF", name: "Koffie", quantity: 2, weightGrams: 1050, requiresShipping: true }]);
  });
  it("the billing address is the invoice address, also when the order ships elsewhere", () => {
    const delivery = { name: "Kees Smit", street: "Markt", number: "1", zipcode: "5611 EB", city: "Eindhoven", country_code: "NL" };
    const o = map({ ...base, debtor: { ...base.debtor, address: { ...base.debtor.address, delivery } } });
    expect(o.shipTo).toMatchObject({ name: "Kees Smit", street: "Markt" });
    expect(o.billTo).toMatchObject({ name: "Lotte Smit", street: "Stratumseind", houseNumber: "30", postcode: "5611 ET", city: "Eindhoven" });
    expect(map({ ...base, debtor: { email: "a@example.nl" } }).billTo).toBeNull();
  });
  it("a test order by T- or by flag", () => {
    expect(map({ ...base, number: "T-1006" })).toMatchObject({ test: true, platformOrderId: "1006" });
    expect(map({ ...base, test: true }).test).toBe(true);
  });
  it("status and archive: Verzonden or archived → fulfilled; Geannuleerd → cancelled; credit → refunded", () => {
    expect(map({ ...base, status: 4 }).fulfillmentStatus).toBe("fulfilled");
    expect(map({ ...base, archived: true }).fulfillmentStatus).toBe("fulfilled");
    expect(map({ ...base, status: 6 }).cancelled).toBe(true);
    expect(map({ ...base, status: 7 }).financialStatus).toBe("refunded");
    expect(policy).toMatchObject({ shipped: 4, toShip: new Set([1, 2]) });
  });
  it("country: the address's country_code, else the shipping country's isocode; none at all → empty (incomplete), never NL", () => {
    const invoice = base.debtor.address.invoice;
    const withInvoice = (a: Record<string, unknown>, shipping: unknown = [{ country: [] }]) => map({ ...base, shipping, debtor: { ...base.debtor, address: { invoice: { ...invoice, ...a } } } });
    expect(withInvoice({ country_code: "be" }).shipTo?.country).toBe("BE");
    const belgium = [{ country: { description: "België", isocode: "BE" } }];
    expect(withInvoice({ country_code: undefined }, belgium).shipTo?.country).toBe("BE");
    expect(withInvoice({ country_code: "" }, belgium).shipTo?.country).toBe("BE");
    expect(withInvoice({ country_code: "Belgium" }, [{ country: { isocode: "be" } }]).shipTo?.country).toBe("BE");
    // No code anywhere: not guessed as NL; the carrier check then calls the address incomplete (country missing).
    expect(withInvoice({ country_code: undefined }).shipTo?.country).toBe("");
    expect(withInvoice({ country_code: undefined }, []).shipTo?.country).toBe("");
    expect(withInvoice({ country_code: undefined }, null).shipTo?.country).toBe("");
    expect(withInvoice({ country_code: undefined }, [{ country: { isocode: "XYZ" } }]).shipTo?.country).toBe("");
  });
  it("shippingMethod: the name of the order line of type shipping (none → null)", () => {
    expect(map(base).shippingMethod).toBe("Verzending");
    const pickup = { ...base, orderlines: [base.orderlines[0], { type: "shipping", quantity: 1, description: "  Afhalen in de winkel " }] };
    expect(map(pickup).shippingMethod).toBe("Afhalen in de winkel");
    expect(map({ ...base, orderlines: [base.orderlines[0]] }).shippingMethod).toBeNull();
    expect(map({ ...base, orderlines: [base.orderlines[0], { type: "shipping", quantity: 1, description: "" }] }).shippingMethod).toBeNull();
  });
  it("splits the house number suffix", () => {
    expect(splitHouseNumber("123A")).toEqual({ houseNumber: "123", addition: "A" });
    expect(splitHouseNumber("8-2")).toEqual({ houseNumber: "8", addition: "2" });
    expect(splitHouseNumber("45 bis")).toEqual({ houseNumber: "45", addition: "bis" });
    expect(splitHouseNumber("112-B")).toEqual({ houseNumber: "112", addition: "B" });
    expect(splitHouseNumber("12")).toEqual({ houseNumber: "12", addition: null });
  });
  it("paid once a transaction is pending, authorized or captured", () => {
    expect(financialStatusOf({ payments: [{ gatewayReference: null, mutations: [] }] })).toBe("pending");
    expect(financialStatusOf({ payments: [{ gatewayReference: "tr_1", mutations: [] }] })).toBe("paid");
    expect(financialStatusOf({ payments: [{ gatewayReference: "tr_1", mutations: [{ type: "authorize" }] }] })).toBe("paid");
    expect(financialStatusOf({ payments: [{ gatewayReference: "tr_1", mutations: [{ type: "capture" }, { type: "refund" }] }] })).toBe("refunded");
  });
  it("reads payments leniently where the meaning is clear (null flags and types, a numeric reference, a bare list)", () => {
    const read = (body: unknown) => {
      const r = MwwPaymentsSchema.safeParse(body);
      return r.success ? financialStatusOf(r.data) : `unreadable`;
    };
    expect(read({ payments: [{ gatewayReference: 12345, isTest: null, mutations: null }] })).toBe("paid");
    expect(read({ payments: [{ gatewayReference: "tr_1", mutations: [{ type: null }, { type: "capture" }] }] })).toBe("paid");
    expect(read({ payments: [{ gatewayReference: null, isTest: null, mutations: [{ type: null }] }] })).toBe("pending");
    expect(read([{ gatewayReference: "tr_1", mutations: [{ type: "refund" }] }])).toBe("refunded");
    expect(read({ payments: "none" })).toBe("unreadable");
  });
  it("reads both error shapes", () => {
    expect(mwwErrorText({ code: 401, message: "Unauthorized", description: "Invalid store token" })).toBe("Unauthorized: Invalid store token");
    expect(mwwErrorText({ type: "about:blank", title: "Unprocessable Entity", detail: "embed is invalid", status: 422 })).toBe("Unprocessable Entity: embed is invalid");
    expect(mwwErrorText("<html>")).toBeNull();
  });
});

describe("status_changed_start_date", () => {
  it("the core's since minus 3 minutes, in the store's wall clock (yyyy-mm-dd hh:mm:ss, Europe/Amsterdam)", () => {
    expect(statusChangedFrom(new Date("2026-12-01T08:58:00Z"), new Date("2026-12-01T09:05:00Z"))).toBe("2026-12-01 09:55:00");
    expect(statusChangedFrom(new Date("2026-07-01T10:00:30.900Z"), new Date("2026-07-01T10:05:00Z"))).toBe("2026-07-01 11:57:30");
  });
  it("an hour earlier across a summer-time change, so nothing in the wall clock's jump is skipped", () => {
    // 02:50 summer time; the clocks go back at 03:00 to 02:00: a change at 02:05 winter time comes after it.
    expect(statusChangedFrom(new Date("2026-10-25T00:50:00Z"), new Date("2026-10-25T01:10:00Z"))).toBe("2026-10-25 01:47:00");
    expect(statusChangedFrom(new Date("2026-03-29T00:50:00Z"), new Date("2026-03-29T01:10:00Z"))).toBe("2026-03-29 00:47:00");
  });
});
