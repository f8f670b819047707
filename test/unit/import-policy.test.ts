// The import policy's test-order rule: the shop's "Testbestellingen importeren", unless its platform never imports
// test orders (Mijnwebwinkel's "T-" orders), which then skips them with a reason that does not point to the setting.
import { describe, expect, it } from "vitest";
import { decideImport } from "../../app/core/import-policy";
import { testOrderImport } from "../../app/core/shops.server";
import type { PlatformOrder } from "../../app/core/ports";

const order: PlatformOrder = {
  platformOrderId: "1006",
  number: "T-1006",
  placedAt: new Date(0),
  updatedAt: new Date(0),
  financialStatus: "paid",
  fulfillmentStatus: "unfulfilled",
  cancelled: false,
  test: true,
  customerName: "Sanne",
  email: null,
  customerId: null,
  company: null,
  totalPrice: "10.00",
  currency: "EUR",
  shipTo: { name: "Sanne", address1: "Keizersgracht 1", postcode: "1015 CJ", city: "Amsterdam", country: "NL" },
  lines: [{ sku: null, name: "Koffie", quantity: 1, requiresShipping: true }],
  raw: {},
};
const on = { settings: { importTestOrders: true } };
const off = { settings: {} };

describe("test orders", () => {
  it("by the shop's setting where the platform leaves it to the setting", () => {
    expect(decideImport(order, ["paid"], undefined, testOrderImport(on, {}))).toEqual({ action: "upsert", status: "to_ship" });
    expect(decideImport(order, ["paid"], undefined, testOrderImport(off, { testOrders: "setting" }))).toEqual({ action: "skip", reason: "test_order" });
  });
  it("never, whatever the setting, where the platform never imports them", () => {
    expect(testOrderImport(on, { testOrders: "never" })).toEqual({ importTestOrders: false, neverTestOrders: true });
    expect(decideImport(order, ["paid"], undefined, testOrderImport(on, { testOrders: "never" }))).toEqual({ action: "skip", reason: "test_order_never" });
    expect(decideImport(order, ["paid"], { status: "to_ship" }, testOrderImport(on, { testOrders: "never" }))).toEqual({ action: "skip", reason: "test_order_never" });
  });
});
