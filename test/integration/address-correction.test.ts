// Issue 11, item 2 "Before the click, not after": an address the carrier will refuse is marked in the order list
// before any click, with the fields it misses; "Adres aanpassen" (correctShipTo) fixes it in Koppel only, and the
// label then goes to the corrected address. End to end against real PostgreSQL, the fake Shopify (msw) and the fake
// Boekuwzending (loopback), through label-world.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { clearShipToCorrection, correctShipTo, shipToView } from "../../app/core/labels/correct-ship-to.server";
import { importOrder } from "../../app/core/import-order.server";
import { syncShop } from "../../app/core/sync.server";
import { installShop } from "../../app/core/shops.server";
import { carrierFor } from "../../app/carriers/registry.server";
import { platformFor, shopifyAdapter } from "../../app/platforms/registry.server";
import { redactCustomer } from "../../app/core/privacy.server";
import { activity, orders, shipments } from "../../app/db/schema";
import { createMerchantCookieSession } from "../../app/merchant.server";
import { loader as ordersLoader } from "../../app/routes/app._index";
import { dutchOrder, orderWebhookPayload, type OrderInput } from "../fakes/shopify";
import { t, type Locale } from "../../app/i18n";
import { missingFieldsParams } from "../../app/core/labels/ship-to-correction";

const SHOP = "address-fix.myshopify.com";
const OPTIONS = { service: "postnl-standard", colli: 1, packageType: "package" as const };
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP);
});
afterAll(async () => {
  await world.close();
  await rt.stop();
});

/** A paid order in the fake shop with this shipping address, imported into Koppel; both ids. */
async function paidOrderWith(shippingAddress: NonNullable<OrderInput["shippingAddress"]>) {
  const fake = world.shopify.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID", shippingAddress }));
  const orderId = await importFromShop(fake.id, "imported");
  return { orderId, fakeId: fake.id, number: fake.name };
}

/** The fake shop's order, through the webhook parser, into Koppel (as orders/updated would). */
async function importFromShop(fakeId: number, expected: "imported" | "updated") {
  const parsed = shopifyAdapter().parseOrderWebhook(orderWebhookPayload(world.shopify.getOrder(SHOP, fakeId)!));
  if (!parsed.ok) throw new Error(parsed.reason);
  const r = await importOrder(rt.db, { shopId: world.shop.id, paidStatuses: ["paid"], order: parsed.value, source: "webhook", log: false });
  expect(r.outcome).toBe(expected);
  return (r as { orderId: number }).orderId;
}

/** The order list's row for one order, as the loader gives it to the page. */
async function listRow(orderId: number, locale: Locale = "nl") {
  const cookie = (await createMerchantCookieSession(world.shop.id, { locale })).split(";")[0]!;
  const data = await ordersLoader({ request: new Request("http://localhost/app?status=to_ship", { headers: { Cookie: cookie } }), params: {}, context: {} });
  const row = data.orders.find((o) => o.id === String(orderId));
  if (!row) throw new Error(`order ${orderId} not in the list`);
  return row;
}

/** What the fake carrier received for the order (POST /shipments bodies). */
const carrierRequestsFor = (number: string) => world.carrier.fake.shipments().filter((s) => s.request.invoiceReference === number).map((s) => s.request);
const shipmentsOf = (orderId: number) => rt.db.select().from(shipments).where(eq(shipments.orderId, orderId));

const CORRECTION = {
  name: "Anna de Vries",
  company: "",
  street: "Hoofdstraat",
  houseNumber: "12",
  houseNumberAddition: "b",
  address2: "",
  postcode: "1234ab",
  city: "Amsterdam",
  country: "NL",
  phone: "",
};

describe("an address the carrier refuses", () => {
  it("is marked before any click, fixed with Adres aanpassen, and the label goes to the corrected address (never written to the shop)", async () => {
    const shopAddress = { name: "Anna de Vries", address1: "Hoofdstraat", address2: null, zip: "1234 AB", city: "Amsterdam", countryCode: "NL", country: "Netherlands" };
    const { orderId, fakeId, number } = await paidOrderWith(shopAddress);
    const fakeBefore = world.shopify.getOrder(SHOP, fakeId)!;
    const createsBefore = world.carrier.fake.createCalls();

    // Before any click: the list marks it, with the field the carrier misses, in Dutch and English.
    const marked = await listRow(orderId);
    expect(marked.missingAddress).toEqual(["houseNumber"]);
    expect(marked.addressCorrected).toBe(false);
    const nl = (k: string, p?: Record<string, unknown> | null) => t("nl", k, p);
    const en = (k: string, p?: Record<string, unknown> | null) => t("en", k, p);
    expect(nl("labels.incompleteBadge", missingFieldsParams(nl, marked.missingAddress))).toBe("De vervoerder weigert dit adres: huisnummer ontbreekt of klopt niet");
    expect(en("labels.incompleteBadge", missingFieldsParams(en, ["houseNumber", "postcode"]))).toBe(
      "The carrier won't take this address: house number, postcode missing or invalid",
    );
    // The same check as requestLabels: the click would skip it, with the same fields.
    const refused = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId], options: OPTIONS, source: "merchant" });
    expect(refused).toMatchObject({ ok: true, queued: [], incomplete: [{ orderId, number, missing: ["houseNumber"] }] });
    expect(world.carrier.fake.createCalls()).toBe(createsBefore);

    // The dialog's view: the whole line, as the carrier would get it, and the form's first values.
    const before = await shipToView(rt.db, world.shop.id, orderId, { carrierFor });
    expect(before).toMatchObject({
      number,
      corrected: false,
      missing: ["houseNumber"],
      address: { street: null, houseNumber: null, addressLine1: "Hoofdstraat", postcode: "1234 AB", city: "Amsterdam", country: "NL" },
      values: { street: "Hoofdstraat", houseNumber: "", postcode: "1234 AB", country: "NL" },
    });

    // Another shop cannot correct (or even see) it.
    const other = await installShop(rt.db, "shopify", "someone-else-address.myshopify.com");
    expect(await correctShipTo(rt.db, other.id, orderId, CORRECTION, { carrierFor })).toEqual({ ok: false, reason: "not_found" });
    expect(await shipToView(rt.db, other.id, orderId, { carrierFor })).toBeNull();
    expect(await clearShipToCorrection(rt.db, other.id, orderId)).toBe(false);
    expect((await world.orderRow(orderId)).shipToCorrected).toBeNull();

    // Adres aanpassen.
    const corrected = await correctShipTo(rt.db, world.shop.id, orderId, CORRECTION, { carrierFor, locale: "nl" });
    expect(corrected).toMatchObject({
      ok: true,
      shipTo: { street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: "b", address1: "Hoofdstraat 12b", postcode: "1234 AB", country: "NL" },
    });
    const row = await world.orderRow(orderId);
    expect(row.shipToCorrected).toMatchObject({ street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: "b" });
    expect(row.shipToCorrectedAt).toBeInstanceOf(Date);
    expect(row.shipTo).toMatchObject({ address1: "Hoofdstraat", street: null, houseNumber: null });
    const [logged] = await rt.db.select().from(activity).where(and(eq(activity.shopId, world.shop.id), eq(activity.summary, "orders.address_corrected")));
    expect(logged).toMatchObject({ kind: "orders", source: "merchant", result: "ok", orderNumber: number });
    expect(t("nl", logged!.summary)).toBe("Verzendadres aangepast in Koppel (niet in de winkel)");
    expect(t("en", logged!.summary)).toBe("Shipping address corrected in Koppel (not in the shop)");

    // The list no longer marks it, and says it was corrected; the dialog shows the split the carrier will get.
    const fixed = await listRow(orderId);
    expect(fixed).toMatchObject({ missingAddress: [], addressCorrected: true, postcode: "1234 AB", city: "Amsterdam", country: "NL" });
    expect(await shipToView(rt.db, world.shop.id, orderId, { carrierFor })).toMatchObject({
      corrected: true,
      missing: [],
      address: { street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: "b", addressLine1: null },
      imported: { addressLine1: "Hoofdstraat" },
    });

    // A later import of the order with a new ship_to from the shop (webhook, then the periodic sync) keeps the correction.
    world.shopify.upsertOrder(SHOP, { id: fakeId, shippingAddress: { address1: "Hoofdstraat (achterom)", phone: "+31 6 1111 2222" } });
    await importFromShop(fakeId, "updated");
    const sync = await syncShop({ db: rt.db, platform: shopifyAdapter(), clock: { now: () => new Date() }, encryptionKey: rt.encryptionKey }, world.shop.id);
    expect(sync).toMatchObject({ status: "done" });
    const reimported = await world.orderRow(orderId);
    expect(reimported.shipTo).toMatchObject({ address1: "Hoofdstraat (achterom)", phone: "+31 6 1111 2222" });
    expect(reimported.shipToCorrected).toEqual(row.shipToCorrected);
    expect(reimported.shipToCorrectedAt).toEqual(row.shipToCorrectedAt);
    expect((await listRow(orderId)).missingAddress).toEqual([]);

    // Label aanmaken: one shipment, sent to the corrected street and number.
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId], options: OPTIONS, source: "merchant" });
    expect(r).toMatchObject({ ok: true, queued: [{ orderId }], incomplete: [] });
    await world.drain();
    expect(await shipmentsOf(orderId)).toHaveLength(1);
    const sent = carrierRequestsFor(number);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.shipTo).toMatchObject({
      contact: { name: "Anna de Vries" },
      address: { street: "Hoofdstraat", number: "12", numberAddition: "b", postcode: "1234 AB", city: "Amsterdam", country: "NL" },
    });
    expect(sent[0]!.shipTo.address).not.toHaveProperty("addressLine1");

    // The shop: one fulfillment with tracking, and no address written (its order's address is the shop's own change only).
    const [shipment] = await shipmentsOf(orderId);
    const mine = world.shopify.fulfillmentCalls(SHOP).filter((c) => c.input.trackingInfo?.number === shipment!.trackingNumber);
    expect(mine).toHaveLength(1);
    expect(Object.keys(mine[0]!.input).sort()).toEqual(["lineItemsByFulfillmentOrder", "notifyCustomer", "trackingInfo"]);
    expect(JSON.stringify(mine[0]!.input)).not.toMatch(/Hoofdstraat|Anna|address/i);
    const fakeAfter = world.shopify.getOrder(SHOP, fakeId)!;
    expect(fakeAfter.shippingAddress).toEqual({ ...fakeBefore.shippingAddress, address1: "Hoofdstraat (achterom)", phone: "+31 6 1111 2222" });
    expect((await world.orderRow(orderId)).status).toBe("shipped");
  });

  it("a correction the carrier would still refuse is not stored, with the reason on the field; undo brings the shop's address back", async () => {
    const { orderId } = await paidOrderWith({ address1: "Kerkweg", address2: null, zip: "", city: "Utrecht", countryCode: "NL", country: "Netherlands" });
    expect((await listRow(orderId)).missingAddress).toEqual(["houseNumber", "postcode"]);

    const invalid = await correctShipTo(rt.db, world.shop.id, orderId, { ...CORRECTION, houseNumber: "12b", postcode: "", city: "" }, { carrierFor, locale: "nl" });
    expect(invalid).toMatchObject({
      ok: false,
      reason: "invalid",
      errors: {
        houseNumber: "Vul een huisnummer in met alleen cijfers, zoals 12; een toevoeging zoals A hoort bij Toevoeging",
        postcode: "Vul een geldige postcode in",
        city: "Vul de plaats in",
      },
    });
    // Free-form postcodes abroad: the carrier's own check refuses an empty one (it needs a postcode for GB).
    const noPostcode = await correctShipTo(rt.db, world.shop.id, orderId, { ...CORRECTION, country: "GB", postcode: "", city: "London" }, { carrierFor, locale: "en" });
    expect(noPostcode).toMatchObject({ ok: false, reason: "invalid", errors: { postcode: "The carrier won't take this: postcode missing or invalid" } });
    expect((await world.orderRow(orderId)).shipToCorrected).toBeNull();

    expect(await correctShipTo(rt.db, world.shop.id, orderId, { ...CORRECTION, city: "Utrecht" }, { carrierFor })).toMatchObject({ ok: true });
    expect((await listRow(orderId)).missingAddress).toEqual([]);
    expect(await clearShipToCorrection(rt.db, world.shop.id, orderId)).toBe(true);
    expect(await clearShipToCorrection(rt.db, world.shop.id, orderId)).toBe(false);
    const back = await listRow(orderId);
    expect(back).toMatchObject({ missingAddress: ["houseNumber", "postcode"], addressCorrected: false });
    const log = await rt.db.select({ summary: activity.summary }).from(activity).where(eq(activity.summary, "orders.address_correction_cleared"));
    expect(log).toHaveLength(1);
  });
});

describe("a correction without a house number", () => {
  it("'Rose Cottage' (GB) and '12-14 High Street' are stored whole and the carrier receives them as addressLine1; NL still asks for the number", async () => {
    // The customer chose the wrong country: a British cottage the carrier refuses as a Dutch address.
    const cottage = await paidOrderWith({ name: "Jane Doe", address1: "Rose Cottage", address2: "Church Lane", zip: "OX1 1AA", city: "Oxford", countryCode: "NL", country: "Netherlands" });
    expect((await listRow(cottage.orderId)).missingAddress).toEqual(["houseNumber", "postcode"]);
    const range = await paidOrderWith({ name: "Tom Jones", address1: "", address2: null, zip: "SW1A 1AA", city: "London", countryCode: "GB", country: "United Kingdom" });
    expect((await listRow(range.orderId)).missingAddress.length).toBeGreaterThan(0);

    // NL without a number: refused by the form itself, nothing stored.
    const dutch = { ...CORRECTION, name: "Jane Doe", street: "Rose Cottage", houseNumber: "", houseNumberAddition: "", address2: "Church Lane", postcode: "1234 AB", city: "Oxford" };
    expect(await correctShipTo(rt.db, world.shop.id, cottage.orderId, dutch, { carrierFor, locale: "nl" })).toMatchObject({
      ok: false,
      reason: "invalid",
      errors: { houseNumber: "Vul het huisnummer in: een Nederlands adres heeft er altijd een" },
      values: { street: "Rose Cottage", houseNumber: "" },
    });
    expect((await world.orderRow(cottage.orderId)).shipToCorrected).toBeNull();

    // GB without a number: stored as the whole line.
    const fixed = await correctShipTo(rt.db, world.shop.id, cottage.orderId, { ...dutch, postcode: "ox1 1aa", country: "GB" }, { carrierFor, locale: "en" });
    expect(fixed).toMatchObject({ ok: true, shipTo: { address1: "Rose Cottage", address2: "Church Lane", street: null, houseNumber: null, postcode: "OX1 1AA", country: "GB" } });
    expect(await shipToView(rt.db, world.shop.id, cottage.orderId, { carrierFor })).toMatchObject({
      corrected: true,
      missing: [],
      address: { street: null, houseNumber: null, addressLine1: "Rose Cottage", addressLine2: "Church Lane", country: "GB" },
      values: { street: "Rose Cottage", houseNumber: "", address2: "Church Lane", country: "GB" },
    });
    const ranged = await correctShipTo(
      rt.db,
      world.shop.id,
      range.orderId,
      { ...CORRECTION, name: "Tom Jones", street: "12-14 High Street", houseNumber: "", houseNumberAddition: "", postcode: "SW1A 1AA", city: "London", country: "GB" },
      { carrierFor, locale: "en" },
    );
    expect(ranged).toMatchObject({ ok: true, shipTo: { address1: "12-14 High Street", houseNumber: null } });
    for (const o of [cottage, range]) expect(await listRow(o.orderId)).toMatchObject({ missingAddress: [], addressCorrected: true });

    // Label aanmaken: the carrier receives each line whole, as addressLine1, with no street / number of its own.
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [cottage.orderId, range.orderId], options: OPTIONS, source: "merchant" });
    expect(r).toMatchObject({ ok: true, incomplete: [] });
    expect(r.ok && r.queued).toHaveLength(2);
    await world.drain();
    expect(carrierRequestsFor(cottage.number)[0]!.shipTo.address).toEqual({
      addressLine1: "Rose Cottage",
      addressLine2: "Church Lane",
      postcode: "OX1 1AA",
      city: "Oxford",
      country: "GB",
      privateAddress: true,
    });
    expect(carrierRequestsFor(range.number)[0]!.shipTo.address).toEqual({ addressLine1: "12-14 High Street", postcode: "SW1A 1AA", city: "London", country: "GB", privateAddress: true });
    for (const o of [cottage, range]) {
      expect(carrierRequestsFor(o.number)).toHaveLength(1);
      expect(await shipmentsOf(o.orderId)).toHaveLength(1);
      // The shop's own address is untouched.
      expect((await world.orderRow(o.orderId)).shipTo).toMatchObject({ country: o === cottage ? "NL" : "GB" });
    }
  });
});

describe("customers/redact", () => {
  it("clears the correction too: it is the customer's address", async () => {
    const { orderId } = await paidOrderWith({ address1: "Hoofdstraat", address2: null, zip: "1234 AB", city: "Amsterdam", countryCode: "NL", country: "Netherlands" });
    expect(await correctShipTo(rt.db, world.shop.id, orderId, CORRECTION, { carrierFor })).toMatchObject({ ok: true });
    const email = (await world.orderRow(orderId)).email!;
    expect(await redactCustomer({ db: rt.db, platformFor }, "shopify", SHOP, { email })).toBeGreaterThanOrEqual(1);
    expect(await world.orderRow(orderId)).toMatchObject({ shipToCorrected: null, shipToCorrectedAt: null, shipTo: { country: "NL" } });
  });
});

describe("addresses understood end to end: one label and one write-back each", () => {
  it("a number-first UK line, an NL number in address2, and a UK line without a certain number (whole, as addressLine1)", async () => {
    const uk = await paidOrderWith({
      name: "Rishi Sunak",
      address1: "10 Downing Street",
      address2: null,
      zip: "SW1A 2AA",
      city: "London",
      province: null,
      provinceCode: null,
      countryCode: "GB",
      country: "United Kingdom",
    });
    const nlSecondLine = await paidOrderWith({ name: "Joost Bakker", address1: "Hoofdstraat", address2: "12a", zip: "9711 AB", city: "Groningen", countryCode: "NL", country: "Netherlands" });
    const cottage = await paidOrderWith({
      name: "Jane Doe",
      address1: "Rose Cottage",
      address2: "Church Lane",
      zip: "OX1 1AA",
      city: "Oxford",
      province: null,
      provinceCode: null,
      countryCode: "GB",
      country: "United Kingdom",
    });
    const all = [uk, nlSecondLine, cottage];
    for (const o of all) expect((await listRow(o.orderId)).missingAddress).toEqual([]);
    const fulfillmentsBefore = world.shopify.fulfillmentCalls(SHOP).length;

    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: all.map((o) => o.orderId), options: OPTIONS, source: "merchant" });
    expect(r).toMatchObject({ ok: true, incomplete: [], notAllowed: [] });
    expect(r.ok && r.queued).toHaveLength(3);
    await world.drain();

    for (const o of all) {
      const made = await shipmentsOf(o.orderId);
      expect(made).toHaveLength(1);
      expect(made[0]!.writebackState).toBe("done");
      expect(carrierRequestsFor(o.number)).toHaveLength(1);
      expect((await world.orderRow(o.orderId)).status).toBe("shipped");
    }
    expect(world.shopify.fulfillmentCalls(SHOP).length - fulfillmentsBefore).toBe(3);

    // "10 Downing Street": number first, split certain.
    expect(carrierRequestsFor(uk.number)[0]!.shipTo.address).toEqual({
      street: "Downing Street",
      number: "10",
      postcode: "SW1A 2AA",
      city: "London",
      country: "GB",
      privateAddress: true,
    });
    // "Hoofdstraat" + "12a": the number from the second line, nothing left for addressLine2.
    expect(carrierRequestsFor(nlSecondLine.number)[0]!.shipTo.address).toEqual({
      street: "Hoofdstraat",
      number: "12",
      numberAddition: "a",
      postcode: "9711 AB",
      city: "Groningen",
      country: "NL",
      privateAddress: true,
    });
    // "Rose Cottage" / "Church Lane": no number, the lines go whole.
    expect(carrierRequestsFor(cottage.number)[0]!.shipTo.address).toEqual({
      addressLine1: "Rose Cottage",
      addressLine2: "Church Lane",
      postcode: "OX1 1AA",
      city: "Oxford",
      country: "GB",
      privateAddress: true,
    });
    const rows = await rt.db.select({ id: orders.id, corrected: orders.shipToCorrected }).from(orders).where(eq(orders.shopId, world.shop.id));
    for (const o of all) expect(rows.find((x) => x.id === o.orderId)!.corrected).toBeNull();
  });
});
