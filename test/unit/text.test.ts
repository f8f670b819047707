// Text and JSON from outside: cleaning for use, escaping for the record, lossless numbers, bounded depth.
import { describe, expect, it } from "vitest";
import { cleanStrings, cleanText, ESCAPED_PREFIX, fromJsonb, fromJsonbText, jsonDepthExceeds, parseJson, parseJsonBody, toJsonb } from "../../app/core/text";
import { finishPlatformOrder, orderTotals } from "../../app/core/platform-order";
import type { PlatformOrder } from "../../app/core/ports";

describe("cleanText", () => {
  it("drops NUL and replaces lone surrogates, keeps real pairs and everything else", () => {
    expect(cleanText("San\u0000ne")).toBe("Sanne");
    expect(cleanText("de \ud800Vries")).toBe("de \ufffdVries");
    expect(cleanText("end\udc00")).toBe("end\ufffd");
    expect(cleanText("\udc00\ud800")).toBe("\ufffd\ufffd"); // reversed: not a pair
    expect(cleanText("Zoë 📦 \t\n")).toBe("Zoë 📦 \t\n");
    const plain = "Keizersgracht 123";
    expect(cleanText(plain)).toBe(plain);
  });

  it("cleanStrings walks plain data, leaves Dates and numbers, and returns the same object when clean", () => {
    const at = new Date("2026-11-27T10:00:00Z");
    const clean = { a: "x", b: [1, "y"], at };
    expect(cleanStrings(clean)).toBe(clean);
    const dirty = { name: "a\u0000b", lines: [{ sku: "\ud800" }], at, n: 3 };
    const out = cleanStrings(dirty);
    expect(out).toEqual({ name: "ab", lines: [{ sku: "\ufffd" }], at, n: 3 });
    expect(out.at).toBe(at);
    expect(dirty.name).toBe("a\u0000b"); // the input is not changed
  });
});

describe("toJsonb / fromJsonb (the record, losslessly)", () => {
  it("escapes what PostgreSQL refuses, reversibly, keys too; other strings are unchanged", () => {
    const value = { "k\u0000": ["San\u0000ne", "de \ud800Vries", "back\\slash \\u0000 literal"], ok: "gewoon", n: 1.5, t: true, z: null };
    const stored = toJsonb(value) as Record<string, unknown>;
    const text = JSON.stringify(stored);
    const strings: string[] = [];
    JSON.parse(text, function (key, v) {
      strings.push(key);
      if (typeof v === "string") strings.push(v);
      return v;
    });
    expect(strings.filter((x) => x.includes("\u0000") || !x.isWellFormed())).toEqual([]); // nothing jsonb would refuse
    expect(stored.ok).toBe("gewoon");
    expect(stored[`${ESCAPED_PREFIX}k\\u0000`]).toEqual([`${ESCAPED_PREFIX}San\\u0000ne`, `${ESCAPED_PREFIX}de \\ud800Vries`, "back\\slash \\u0000 literal"]);
    expect(fromJsonb(JSON.parse(text))).toEqual(value);
    expect(fromJsonbText(text)).toEqual(value);
  });

  it("a string that happens to start with the marker survives the round trip", () => {
    const value = [`${ESCAPED_PREFIX}not escaped \\u0000`, `${ESCAPED_PREFIX}`];
    expect(fromJsonb(JSON.parse(JSON.stringify(toJsonb(value))))).toEqual(value);
  });

  it("returns the same object when there is nothing to escape", () => {
    const value = { a: [{ b: "c" }], d: 1 };
    expect(toJsonb(value)).toBe(value);
  });

  it("writes integers above 2^53 with their exact digits, and reads them back as BigInt", () => {
    const text = '{"id":820982911946154508,"small":12,"price":"24.95","w":1.5,"neg":-9007199254740993}';
    const value = parseJson(text) as Record<string, unknown>;
    expect(value).toEqual({ id: 820982911946154508n, small: 12, price: "24.95", w: 1.5, neg: -9007199254740993n });
    expect(JSON.stringify(toJsonb(value))).toBe(text);
    expect(fromJsonbText(JSON.stringify(toJsonb(value)))).toEqual(value);
    // Digits inside strings are left alone.
    expect(parseJson('{"phone":"31612345678901234","n":1}')).toEqual({ phone: "31612345678901234", n: 1 });
  });
});

describe("parseJsonBody", () => {
  it("refuses bodies that are not JSON or nest deeper than the limit, with the reason", () => {
    expect(parseJsonBody("{not json")).toEqual({ ok: false, reason: "body is not valid JSON" });
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    expect(parseJsonBody(`{"a":${deep}}`)).toEqual({ ok: false, reason: "body is nested deeper than 100 levels" });
    expect(parseJsonBody('{"a":{"b":[1,{"c":2}]}}')).toEqual({ ok: true, value: { a: { b: [1, { c: 2 }] } } });
    expect(jsonDepthExceeds({ a: { b: 1 } }, 2)).toBe(false);
    expect(jsonDepthExceeds({ a: { b: {} } }, 2)).toBe(true);
  });
});

describe("finishPlatformOrder (every adapter's last step)", () => {
  const order = (o: Partial<PlatformOrder> = {}): PlatformOrder => ({
    platformOrderId: "1",
    number: "#1001",
    placedAt: new Date("2026-11-27T10:00:00Z"),
    updatedAt: new Date("2026-11-27T10:00:00Z"),
    financialStatus: "paid",
    fulfillmentStatus: "unfulfilled",
    cancelled: false,
    test: false,
    customerName: "San\u0000ne de \ud800Vries",
    email: "sanne@example.nl",
    customerId: null,
    company: null,
    shipTo: { name: "Sanne\u0000", address1: "Keizersgracht 123", postcode: "1015 CJ", city: "Amsterdam", country: "NL" },
    lines: [{ sku: "A\u0000", name: "Mok", quantity: 2, weightGrams: 250, requiresShipping: true }],
    totalPrice: "24.95",
    currency: "EUR",
    totalWeightGrams: 500,
    raw: { customer: "San\u0000ne" },
    ...o,
  });

  it("cleans every string but keeps raw as received", () => {
    const r = finishPlatformOrder(order());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ customerName: "Sanne de \ufffdVries", shipTo: { name: "Sanne" }, lines: [{ sku: "A" }] });
    expect(r.value.raw).toEqual({ customer: "San\u0000ne" });
    expect(r.value.placedAt).toBeInstanceOf(Date);
  });

  it("refuses numbers Koppel cannot store, with the reason", () => {
    const bad = (o: Partial<PlatformOrder>) => {
      const r = finishPlatformOrder(order(o));
      return r.ok ? "ok" : r.reason;
    };
    expect(bad({ lines: [{ name: "x", quantity: 3_000_000_000, weightGrams: 1 }] })).toMatch(/line 1: quantity 3000000000/);
    expect(bad({ lines: [{ name: "x", quantity: 1.5, weightGrams: 1 }] })).toMatch(/quantity/);
    expect(bad({ lines: [{ name: "x", quantity: 1000, weightGrams: 5_000_000 }] })).toMatch(/order weight 5000000000 g/);
    expect(bad({ lines: [{ name: "x", quantity: 1, weightGrams: -5 }] })).toMatch(/line 1: weight -5 g/);
    expect(bad({ lines: [{ name: "x", quantity: 1, weightGrams: null }], totalWeightGrams: Number.NaN })).toMatch(/order weight NaN g/);
    expect(bad({ number: "\u0000" })).toBe("order number is empty");
    expect(bad({ lines: [{ name: "x", quantity: -1, weightGrams: 100 }] })).toBe("ok"); // ships nothing, but valid
  });

  it("counts only lines with a positive quantity that need shipping", () => {
    const lines = [
      { name: "a", quantity: 2, weightGrams: 500 },
      { name: "b", quantity: -1, weightGrams: 500 },
      { name: "c", quantity: 0, weightGrams: 500 },
      { name: "bon", quantity: 1, weightGrams: 0, requiresShipping: false },
    ];
    expect(orderTotals({ lines, totalWeightGrams: null })).toEqual({ itemCount: 2, weightGrams: 1000 });
  });
});
