// "Adres aanpassen": the correction form's parse (one message per field, in the merchant's language) and its result,
// a ShipTo with street and number apart that the carrier gets exactly as typed, or without a number the whole line
// (issue 11, item 2).
import { describe, expect, it } from "vitest";
import { createBoekuwzendingCarrier } from "~/carriers/boekuwzending/adapter.server";
import { missingShipToFields, shipToToCarrier } from "~/core/labels/carrier-address";
import { carrierFieldErrors, isCountryCode, parseShipToCorrection, shipToFormValues, streetLine } from "~/core/labels/ship-to-correction";
import type { ShipTo } from "~/core/domain";

const bz = createBoekuwzendingCarrier({ baseUrls: { staging: "http://127.0.0.1:1", production: "http://127.0.0.1:1" } });
const form = { name: "Jan Jansen", company: "", street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: "a", address2: "", postcode: "1234ab", city: "Amsterdam", country: "nl", phone: "" };

describe("parseShipToCorrection", () => {
  it("gives a ShipTo with street, number and addition apart, the postcode normalised, the line as the country writes it", () => {
    const r = parseShipToCorrection("nl", form);
    expect(r).toEqual({
      ok: true,
      shipTo: {
        name: "Jan Jansen",
        company: null,
        address1: "Hoofdstraat 12a",
        address2: null,
        street: "Hoofdstraat",
        houseNumber: "12",
        houseNumberAddition: "a",
        postcode: "1234 AB",
        city: "Amsterdam",
        country: "NL",
        phone: null,
      },
    });
    const shipTo = (r as { shipTo: ShipTo }).shipTo;
    expect(shipToToCarrier(shipTo, null)).toMatchObject({ street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: "a", addressLine1: null });
    expect(missingShipToFields(bz, { shipTo: null, shipToCorrected: shipTo })).toEqual([]);
    const uk = parseShipToCorrection("en", { ...form, street: "Downing Street", houseNumber: "10", houseNumberAddition: "", postcode: "sw1a 2aa", city: "London", country: "GB" });
    expect(uk).toMatchObject({ ok: true, shipTo: { address1: "10 Downing Street", postcode: "SW1A 2AA", country: "GB" } });
  });

  it("one message per field, in the merchant's language", () => {
    const r = parseShipToCorrection("nl", { ...form, name: "", street: "12", houseNumber: "12a", houseNumberAddition: "<b>", postcode: "12", country: "UK", phone: "x" });
    expect(r).toMatchObject({
      ok: false,
      errors: {
        name: "Vul de naam van de ontvanger in",
        street: "Vul de straat in, zonder huisnummer",
        houseNumber: "Vul een huisnummer in met alleen cijfers, zoals 12; een toevoeging zoals A hoort bij Toevoeging",
        houseNumberAddition: "Vul een korte toevoeging in, zoals A of bis",
        country: "Kies een land",
        phone: "Vul een geldig telefoonnummer in, zoals +31 20 123 4567",
      },
    });
    expect(parseShipToCorrection("en", { ...form, postcode: "" })).toMatchObject({ ok: false, errors: { postcode: "Enter a valid postcode" } });
    expect(parseShipToCorrection("nl", { ...form, country: "DE", postcode: "1234" })).toMatchObject({
      ok: false,
      errors: { postcode: "Vul een geldige postcode van 5 cijfers in, zoals 10115" },
    });
    expect(parseShipToCorrection("nl", { ...form, country: "US", postcode: "" })).toMatchObject({ ok: true });
  });

  it("no house number: Straat is the whole line, which the carrier takes as addressLine1 outside NL", () => {
    const cottage = parseShipToCorrection("en", { ...form, street: "Rose Cottage", houseNumber: "", houseNumberAddition: "", address2: "Church Lane", postcode: "ox1 1aa", city: "Oxford", country: "GB" });
    expect(cottage).toEqual({
      ok: true,
      shipTo: {
        name: "Jan Jansen",
        company: null,
        address1: "Rose Cottage",
        address2: "Church Lane",
        street: null,
        houseNumber: null,
        houseNumberAddition: null,
        postcode: "OX1 1AA",
        city: "Oxford",
        country: "GB",
        phone: null,
      },
    });
    const shipTo = (cottage as { shipTo: ShipTo }).shipTo;
    expect(shipToToCarrier(shipTo, null)).toMatchObject({ street: "", houseNumber: "", addressLine1: "Rose Cottage", addressLine2: "Church Lane" });
    expect(missingShipToFields(bz, { shipTo: null, shipToCorrected: shipTo })).toEqual([]);
    // A range is no single house number: the line goes whole, as typed.
    const range = parseShipToCorrection("en", { ...form, street: "12-14 High Street", houseNumber: "", houseNumberAddition: "", postcode: "SW1A 1AA", city: "London", country: "GB" });
    expect(range).toMatchObject({ ok: true, shipTo: { address1: "12-14 High Street", street: null, houseNumber: null } });
    expect(shipToToCarrier((range as { shipTo: ShipTo }).shipTo, null)).toMatchObject({ addressLine1: "12-14 High Street", houseNumber: "" });
    // Germany and Belgium take the line whole too (the carrier decides per country).
    expect(parseShipToCorrection("nl", { ...form, street: "Hof ter Linden", houseNumber: "", houseNumberAddition: "", postcode: "1000", city: "Brussel", country: "BE" })).toMatchObject({
      ok: true,
      shipTo: { address1: "Hof ter Linden", houseNumber: null },
    });
    // The form opens again with the line in Straat and Huisnummer empty.
    expect(shipToFormValues(shipTo, null, true)).toMatchObject({ street: "Rose Cottage", houseNumber: "", houseNumberAddition: "", address2: "Church Lane" });
  });

  it("NL always needs a house number; an addition needs its number; a number is digits only", () => {
    expect(parseShipToCorrection("nl", { ...form, houseNumber: "", houseNumberAddition: "" })).toMatchObject({
      ok: false,
      errors: { houseNumber: "Vul het huisnummer in: een Nederlands adres heeft er altijd een" },
    });
    expect(parseShipToCorrection("en", { ...form, houseNumber: " ", houseNumberAddition: "" })).toMatchObject({
      ok: false,
      errors: { houseNumber: "Enter the house number: a Dutch address always has one" },
    });
    expect(parseShipToCorrection("en", { ...form, street: "High Street", houseNumber: "", houseNumberAddition: "B", postcode: "SW1A 1AA", country: "GB" })).toMatchObject({
      ok: false,
      errors: { houseNumber: "Enter the house number the addition belongs to" },
    });
    const r = parseShipToCorrection("en", { ...form, houseNumber: "12-14", country: "GB", postcode: "SW1A 1AA" });
    expect(r).toMatchObject({ ok: false, errors: { houseNumber: expect.stringMatching(/^Enter a house number with digits only/) } });
    expect(Object.keys((r as { errors: object }).errors)).toEqual(["houseNumber"]);
  });

  it("the carrier's refusals as field messages", () => {
    expect(carrierFieldErrors("nl", ["postcode", "address"])).toEqual({
      postcode: "De vervoerder accepteert dit niet: postcode ontbreekt of klopt niet",
      street: "De vervoerder accepteert dit niet: adres ontbreekt of klopt niet",
    });
  });
});

describe("helpers", () => {
  it("streetLine, isCountryCode", () => {
    expect(streetLine("NL", "Keizersgracht", "123", "A")).toBe("Keizersgracht 123A");
    expect(streetLine("NL", "Keizersgracht", "123", "2")).toBe("Keizersgracht 123-2");
    expect(streetLine("NL", "Keizersgracht", "123", "3 hoog")).toBe("Keizersgracht 123 3 hoog");
    expect(streetLine("GB", "Baker Street", "221", "B")).toBe("221B Baker Street");
    expect(["NL", "GB", "US", "HK"].every(isCountryCode)).toBe(true);
    expect(["UK", "EU", "XX", "nl", "NLD"].some(isCountryCode)).toBe(false);
  });

  it("the form starts from the carrier's reading of the shop's address, or from the correction", () => {
    const imported: ShipTo = { name: "Jan", address1: "Hoofdstraat", address2: "12a", postcode: "1234 AB", city: "Amsterdam", country: "NL" };
    expect(shipToFormValues(imported, shipToToCarrier(imported, null), false)).toMatchObject({ street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: "a", address2: "" });
    const whole: ShipTo = { ...imported, address1: "Hoofdstraat", address2: "achterom" };
    expect(shipToFormValues(whole, shipToToCarrier(whole, null), false)).toMatchObject({ street: "Hoofdstraat", houseNumber: "", address2: "achterom" });
  });
});
