// Boekuwzending's price and service limits as the adapter reads them: a rate's price in the shapes the API may send,
// and mailbox services recognised by code or description (2 kg per parcel).
import { describe, expect, it } from "vitest";
import { MAILBOX_MAX_WEIGHT_GRAMS, ratePrice, serviceLimitsOf } from "../../app/carriers/boekuwzending/adapter.server";

describe("rate price", () => {
  it("reads a number, a decimal string, or an object with amount/value", () => {
    expect(ratePrice(6.25)).toBe(6.25);
    expect(ratePrice("7.75")).toBe(7.75);
    expect(ratePrice({ amount: "3.95", currency: "EUR" })).toBe(3.95);
    expect(ratePrice({ value: 5 })).toBe(5);
  });
  it("is null for what is no price", () => {
    for (const v of [null, undefined, "", "gratis", {}, [], Number.NaN]) expect(ratePrice(v)).toBeNull();
  });
});

describe("service limits", () => {
  it("a mailbox service takes at most 2 kg per parcel; others have no limit Koppel knows", () => {
    expect(MAILBOX_MAX_WEIGHT_GRAMS).toBe(2000);
    expect(serviceLimitsOf("postnl-mailbox", "PostNL Brievenbuspakje")).toEqual({ maxParcelWeightGrams: 2000 });
    expect(serviceLimitsOf("PNL-3085", "Brievenbuspakje")).toEqual({ maxParcelWeightGrams: 2000 });
    expect(serviceLimitsOf("postnl-standard", "PostNL Pakket")).toEqual({ maxParcelWeightGrams: null });
    expect(serviceLimitsOf("dpd-classic", null)).toEqual({ maxParcelWeightGrams: null });
  });
});
