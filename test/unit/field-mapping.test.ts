// The datamapper (issue 13 item 5): an order's fields → the shipment's, defaults and each alternative.
import { describe, expect, it } from "vitest";
import { DEFAULT_FIELD_MAPPING, fieldMappingOf, mapShipmentFields, type MappableOrder } from "../../app/core/rules/field-mapping";

const order: MappableOrder = {
  number: "#1042",
  email: "sanne@example.nl",
  company: "Sanne BV",
  lines: [
    { sku: "MOK-01", name: "Mok", quantity: 2 },
    { sku: "THD-01", name: "Theedoek", quantity: 1 },
    { sku: "KAD-01", name: "Cadeaubon", quantity: 1, requiresShipping: false },
    { sku: "PLD-01", name: "Plaid", quantity: 1 },
  ],
  shipTo: { name: "Sanne de Vries", address1: "Keizersgracht 1", postcode: "1015 CJ", city: "Amsterdam", country: "NL", phone: "+31612345678", company: null },
  billTo: { name: "Sanne de Vries", address1: "Herengracht 2", postcode: "1015 BA", city: "Amsterdam", country: "NL", phone: "+31201234567", company: "Sanne Facturen BV" },
};

describe("field mapping", () => {
  it("billing: the billing phone and company where the shipping address has none", () => {
    const noShipPhone = { ...order, shipTo: { ...order.shipTo!, phone: null } };
    expect(mapShipmentFields(noShipPhone, DEFAULT_FIELD_MAPPING)).toMatchObject({ phone: "+31201234567", company: "Sanne Facturen BV" });
    expect(mapShipmentFields(order, { ...DEFAULT_FIELD_MAPPING, phone: "billing" }).phone).toBe("+31201234567");
    expect(mapShipmentFields(noShipPhone, { ...DEFAULT_FIELD_MAPPING, phone: "shipping" }).phone).toBeNull();
  });

  it("defaults: order number, first item names, shipping phone, order e-mail, shipping company else the billing's", () => {
    expect(mapShipmentFields(order, DEFAULT_FIELD_MAPPING)).toEqual({
      reference: "#1042",
      description: "Mok, Theedoek, …",
      phone: "+31612345678",
      email: "sanne@example.nl",
      company: "Sanne Facturen BV",
    });
  });
  it("alternatives", () => {
    expect(mapShipmentFields(order, { reference: "number_plain", description: "all_items", phone: "none", email: "none", company: "shipping" })).toEqual({
      reference: "1042",
      description: "2× Mok, Theedoek, Plaid",
      phone: null,
      email: null,
      company: null,
    });
    expect(mapShipmentFields(order, { ...DEFAULT_FIELD_MAPPING, description: "skus", company: "none" })).toMatchObject({ description: "MOK-01, THD-01, PLD-01", company: null });
    expect(mapShipmentFields(order, { ...DEFAULT_FIELD_MAPPING, description: "none" }).description).toBeNull();
  });
  it("a stored mapping with unknown keys or values falls back to the defaults", () => {
    expect(fieldMappingOf({ reference: "number_plain", phone: "fax", extra: "x" })).toEqual({ ...DEFAULT_FIELD_MAPPING, reference: "number_plain" });
    expect(fieldMappingOf(undefined)).toEqual(DEFAULT_FIELD_MAPPING);
  });
});
