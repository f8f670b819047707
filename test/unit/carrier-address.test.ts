// shipToToCarrier: the order's ship-to in the carrier port's shape (issue 11, item 1).
import { describe, expect, it } from "vitest";
import { createBoekuwzendingCarrier } from "~/carriers/boekuwzending/adapter.server";
import { shipToToCarrier } from "~/core/labels/carrier-address";
import type { ShipTo } from "~/core/domain";

const base: ShipTo = { name: "Jan Jansen", company: null, address1: "", postcode: "1012 LG", city: "Amsterdam", country: "NL", phone: "0612345678" };
const bz = createBoekuwzendingCarrier({ baseUrls: { staging: "http://127.0.0.1:1", production: "http://127.0.0.1:1" } });

describe("shipToToCarrier", () => {
  it("keeps the platform's own split (CCV Shop gives street and number apart)", () => {
    const shipTo: ShipTo = { ...base, address1: "Damrak 1 A", address2: "2e etage", street: "Damrak", houseNumber: "1", houseNumberAddition: "A" };
    expect(shipToToCarrier(shipTo, "jan@example.com")).toEqual({
      name: "Jan Jansen",
      company: null,
      email: "jan@example.com",
      phone: "0612345678",
      street: "Damrak",
      houseNumber: "1",
      houseNumberAddition: "A",
      addressLine1: null,
      addressLine2: "2e etage",
      postcode: "1012 LG",
      city: "Amsterdam",
      country: "NL",
      privateAddress: true,
    });
  });

  it("splits address1 itself when the platform did not", () => {
    expect(shipToToCarrier({ ...base, address1: "Keizersgracht 123-A" }, null)).toMatchObject({
      street: "Keizersgracht",
      houseNumber: "123",
      houseNumberAddition: "A",
      addressLine1: null,
      addressLine2: null,
    });
    const uk = { ...base, address1: "10 Downing Street", postcode: "SW1A 2AA", city: "London", country: "GB", company: "HM Government" };
    expect(shipToToCarrier(uk, null)).toMatchObject({ street: "Downing Street", houseNumber: "10", addressLine1: null, privateAddress: false });
  });

  it("finds the number on the second line", () => {
    expect(shipToToCarrier({ ...base, address1: "Hoofdstraat", address2: "12a" }, null)).toMatchObject({
      street: "Hoofdstraat",
      houseNumber: "12",
      houseNumberAddition: "a",
      addressLine1: null,
      addressLine2: null,
    });
  });

  it("a platform split with an empty number is no split: understandAddress decides", () => {
    expect(shipToToCarrier({ ...base, address1: "Hoofdstraat, 12", street: "Hoofdstraat", houseNumber: " " }, null)).toMatchObject({
      street: "Hoofdstraat",
      houseNumber: "12",
    });
  });

  it("no certain split: the line goes whole as addressLine1, street and number empty", () => {
    const palace = { ...base, address1: "Buckingham Palace", address2: "The Mall", postcode: "SW1A 1AA", city: "London", country: "GB" };
    const a = shipToToCarrier(palace, null);
    expect(a).toMatchObject({ street: "", houseNumber: "", houseNumberAddition: null, addressLine1: "Buckingham Palace", addressLine2: "The Mall" });
    expect(bz.missingAddressFields(a)).toEqual([]);
    expect(shipToToCarrier({ ...base, address1: "123 Main St Apt 4B", country: "US" }, null)).toMatchObject({ addressLine1: "123 Main St Apt 4B", street: "" });
  });

  it("with the carrier's check: GB/IE/US lines pass whole, a Dutch line without a certain number does not", () => {
    const irish = { ...base, address1: "Ballymore", address2: "Co. Westmeath", postcode: "", city: "Mullingar", country: "IE" };
    expect(bz.missingAddressFields(shipToToCarrier(irish, null))).toEqual([]);
    expect(bz.missingAddressFields(shipToToCarrier({ ...base, address1: "Hoofdstraat" }, null))).toEqual(["houseNumber"]);
    expect(bz.missingAddressFields(shipToToCarrier({ ...base, address1: "Hoofdstraat 12 3" }, null))).toEqual(["houseNumber"]);
    expect(bz.missingAddressFields(shipToToCarrier({ ...base, address1: "" }, null))).toEqual(["street", "houseNumber"]);
    expect(bz.missingAddressFields(shipToToCarrier({ ...base, address1: "Hoofdstraat, 12" }, null))).toEqual([]);
  });
});
