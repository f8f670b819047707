// Journey 7: CCV Shop from the App Store to a shipped order. The fake CCV Shop (loopback HTTP, signed API) plays the
// shop and its App Store: the handshake POSTs the shop's API keys to Koppel's `${APP_URL}/ccvshop/handshake` (signed
// over that exact address, so the world's APP_URL is its own URL), the merchant's browser opens the signed install
// link → "Mijn account" → Koppelen (CCV told the app is installed, webhooks at the shop's token address, the first
// sync) → "Installatie voltooid" → the order list → one label, written back to CCV with one PATCH.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { startWorld, CARRIER_ACCOUNT, type E2EWorld } from "./support/harness";
import { dataRows, eventually, expectCount, row, runJourney, visibleText } from "./support/journey";
import { createFakeAppStore, startFakeCcvShop, type FakeCcvOrder, type RunningFakeCcvShop } from "../fakes/ccvshop";

let world: E2EWorld;
let ccv: RunningFakeCcvShop;
beforeAll(async () => {
  world = await startWorld();
  ccv = await startFakeCcvShop({ seed: "demo" });
});
afterAll(async () => {
  await world?.close();
  await ccv?.close();
});

/** The merchant's from address as typed into Mijn account (postcode left out at first). */
const FORM = {
  Bedrijfsnaam: "Theewinkel Zwolle",
  Contactpersoon: "Anne Bos",
  Straat: "Diezerstraat",
  Huisnummer: "12",
  Plaats: "Zwolle",
  Telefoonnummer: "+31 38 421 0000",
  "E-mailadres": "info@theewinkel.example",
};

/** Orders the sync should bring in: paid, completed, not sent or cancelled yet, and something to ship. */
const toShip = (o: FakeCcvOrder) => o.paid && o.is_completed && o.status !== null && ![5, 6, 7, 8].includes(o.status) && o.deliver_method !== "pickup";
const nameOf = (o: FakeCcvOrder) => o.customer.billingaddress.full_name!;

async function ccvShop() {
  const { shops } = await import("../../app/db/schema");
  const [shop] = await world.koppel.runtime.db.select().from(shops).where(and(eq(shops.platform, "ccvshop"), eq(shops.domain, ccv.host)));
  return shop;
}
async function ordersOf(shopId: number) {
  const { orders } = await import("../../app/db/schema");
  return world.koppel.runtime.db.select().from(orders).where(eq(orders.shopId, shopId));
}
async function shipmentsOf(shopId: number) {
  const { shipments } = await import("../../app/db/schema");
  return world.koppel.runtime.db.select().from(shipments).where(eq(shipments.shopId, shopId));
}

/** The message Polaris links to a field with aria-describedby (its id ends in "Error"). */
async function fieldError(page: import("playwright-core").Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  expect(await field.getAttribute("aria-invalid")).toBe("true");
  const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
  const errorId = describedBy.split(/\s+/).find((id) => id.endsWith("Error"));
  expect(errorId, `aria-describedby="${describedBy}"`).toBeTruthy();
  return visibleText(page.locator(`[id="${errorId}"]`));
}

describe("CCV Shop", () => {
  it("7. install → Mijn account (Shop-URL read-only) → Koppelen without postcode says why → with it: Installatie voltooid → orders → one label → shipped in CCV", async () => {
    const { env } = await import("../../app/env.server");
    expect(env.APP_URL).toBe(world.url);
    expect(env.platforms).toContain("ccvshop");

    // CCV's App Store hands over the shop's API keys, server to server.
    const store = createFakeAppStore({ appUrl: world.url, appSecret: env.CCVSHOP_APP_SECRET, shop: ccv });
    const returnUrl = `${ccv.apiRoot}/admin/appstore/installed`;
    expect((await store.handshake({ returnUrl })).status).toBe(200);
    const handshaken = (await ccvShop())!;
    expect(handshaken).toMatchObject({ platformKey: ccv.apiPublic, fromAddress: null });
    expect(ccv.fake.app.is_installed).toBe(false);

    const expected = ccv.fake.orders().filter(toShip);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const target = expected.find((o) => nameOf(o) === "Lotte Smit")!;
    expect(target).toBeDefined();

    // No cookie beforehand: the signed install link is what signs the merchant in.
    await runJourney(world, "ccvshop-install-label", async () => {}, async ({ page, screenshot }) => {
      await page.goto(store.installUrl());
      await page.getByRole("heading", { name: "Mijn account" }).waitFor();
      const shopUrl = page.getByLabel("Shop-URL");
      expect(await shopUrl.inputValue()).toBe(ccv.host);
      expect(await shopUrl.isEditable()).toBe(false);
      expect(await shopUrl.getAttribute("readonly")).not.toBeNull();
      await page.getByRole("heading", { name: "Standaard afzendadres" }).waitFor();

      // Usable on a phone: nothing wider than 390 px, the button in reach.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.getByRole("button", { name: "Koppelen" }).scrollIntoViewIfNeeded();
      expect(await page.getByRole("button", { name: "Koppelen" }).isVisible()).toBe(true);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot("ccvshop-account-390");
      await page.setViewportSize({ width: 1280, height: 860 });

      for (const [label, value] of Object.entries(FORM)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByLabel("Land").selectOption("NL");
      await page.getByRole("button", { name: "Koppelen" }).click();
      await page.getByText("Controleer de gemarkeerde velden.").waitFor();
      expect(await fieldError(page, "Postcode")).toBe("Vul een postcode in");
      expect(await page.getByLabel("Bedrijfsnaam").inputValue()).toBe(FORM.Bedrijfsnaam); // what was typed stays
      expect(await page.getByLabel("Shop-URL").inputValue()).toBe(ccv.host);
      // Nothing told to CCV, nothing saved.
      expect(ccv.fake.app.is_installed).toBe(false);
      expect(ccv.fake.appPatches).toEqual([]);
      expect(ccv.fake.webhooks).toEqual([]);
      expect((await ccvShop())!.fromAddress).toBeNull();
      await screenshot("ccvshop-postcode-missing");

      await page.getByLabel("Postcode", { exact: true }).fill("8011 RH");
      await page.getByRole("button", { name: "Koppelen" }).click();
      await page.getByRole("heading", { name: "Installatie voltooid" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/app/setup/done");
      expect(await page.getByRole("link", { name: "Terug naar je winkel" }).getAttribute("href")).toBe(returnUrl);
      await screenshot("ccvshop-installed");

      // CCV knows the app is installed, and sends its three order webhooks to the shop's own token address.
      expect(ccv.fake.app.is_installed).toBe(true);
      expect(ccv.fake.appPatches).toEqual([{ is_installed: true }]);
      const hooks = ccv.fake.webhooks.filter((w) => w.is_active);
      expect(hooks.map((w) => w.event).sort()).toEqual(["orders.created", "orders.updated.ispaid", "orders.updated.status"]);
      expect(new Set(hooks.map((w) => w.address)).size).toBe(1);
      expect(hooks[0]!.address).toMatch(new RegExp(`^${world.url}/webhooks/ccvshop/[A-Za-z0-9_-]{43}$`));
      const shop = (await ccvShop())!;
      expect(shop.fromAddress).toMatchObject({ company: FORM.Bedrijfsnaam, postcode: "8011 RH", city: "Zwolle" });

      // The sync Koppelen queued (the world runs pg-boss workers) imports the shop's paid, completed orders.
      const synced = await eventually(
        async () => ({ shop: await ccvShop(), orders: await ordersOf(shop.id) }),
        (s) => s.shop!.lastSyncAt !== null && s.orders.length === expected.length,
        30_000,
      );
      expect(new Set(synced.orders.map((o) => o.platformOrderId))).toEqual(new Set(expected.map((o) => String(o.id))));

      // A new order arrives by webhook at the token address: the worker reads it from CCV and imports it.
      const { deliveries } = await import("../../app/db/schema");
      const fresh = ccv.fake.addOrder({
        paid: true,
        customer: {
          email: "mila.devries@example.nl",
          billingaddress: { first_name: "Mila", last_name: "de Vries", full_name: "Mila de Vries", street: "Grote Houtstraat", housenumber: 70, zipcode: "2011 SR", city: "Haarlem", country: "Nederland", country_code: "NL" },
        },
      });
      const sent = await ccv.sendWebhook("orders.created", fresh.id);
      expect(sent).toEqual([{ address: hooks[0]!.address, status: 200 }]);
      const [delivery] = await eventually(
        () => world.koppel.runtime.db.select().from(deliveries).where(and(eq(deliveries.platform, "ccvshop"), eq(deliveries.shopDomain, ccv.host))),
        (rows) => rows.length === 1 && rows[0]!.processedAt !== null,
      );
      expect(delivery).toMatchObject({ topic: "orders.created", outcome: "imported" });

      // "Naar de bestellingen" → every imported order, the webhook's one too.
      await page.getByRole("link", { name: "Naar de bestellingen" }).click();
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/app");
      await expectCount(dataRows(page), expected.length + 1);
      for (const o of [...expected, fresh]) await row(page, nameOf(o)).waitFor();
      expect(await visibleText(row(page, "Mila de Vries"))).toContain("2011 SR Haarlem");
      await page.getByRole("tab", { name: "Te verzenden" }).waitFor();
      await screenshot("ccvshop-orders");

      // Labels need a carrier connection: Vervoerder, Boekuwzending on staging, then back to the orders.
      await page.getByRole("link", { name: "Vervoerder", exact: true }).click();
      await page.getByRole("heading", { name: "Vervoerder" }).first().waitFor();
      await page.getByLabel("Client ID").fill(CARRIER_ACCOUNT.clientId);
      await page.getByLabel("Client secret").fill(CARRIER_ACCOUNT.clientSecret);
      await page.getByLabel("Omgeving").selectOption("staging");
      await page.getByRole("button", { name: "Verbinden" }).click();
      await page.getByText("Verbonden. Er zijn 4 verzendservices beschikbaar.").waitFor();
      await page.getByRole("link", { name: "Bestellingen", exact: true }).click();
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      await expectCount(dataRows(page), expected.length + 1);

      // One label for one order.
      await row(page, nameOf(target)).getByRole("button", { name: "Label aanmaken" }).click();
      const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 1 bestelling" });
      await dialog.waitFor();
      await dialog.getByLabel("Verzendservice").selectOption({ label: "PostNL Pakket" });
      await dialog.getByLabel("Aantal labels").selectOption("1");
      await dialog.getByLabel("Zendingsvorm").selectOption({ label: "Pakket" });
      await screenshot("ccvshop-label-dialog");
      await dialog.getByRole("button", { name: "Label aanmaken" }).click();
      await page.getByText("1 van 1 klaar").waitFor();
      await dialog.waitFor({ state: "hidden" });

      // The write-back job tells CCV: exactly one PATCH, only status, code, carrier and the customer's e-mail.
      const [shipment] = await eventually(() => shipmentsOf(shop.id), (rows) => rows.length === 1 && rows[0]!.writebackState === "done");
      expect(shipment).toMatchObject({ service: "postnl-standard", colli: 1, environment: "staging" });
      const patches = ccv.fake.patches.filter((p) => p.id === target.id);
      expect(patches).toHaveLength(1);
      expect(patches[0]!.body).toEqual({ status: 5, track_and_trace_code: shipment!.trackingNumber, track_and_trace_carrier: "PostNL", mail: true });
      expect(patches[0]!.body).not.toHaveProperty("orderrows");
      expect(ccv.fake.patches).toHaveLength(1); // no other order touched
      expect(ccv.fake.order(target.id)).toMatchObject({ status: 5, track_and_trace_code: shipment!.trackingNumber });
      expect(ccv.fake.mails.filter((m) => m.orderId === target.id)).toHaveLength(1);

      // Koppel shows it shipped: under "Verzonden", with its track & trace.
      await page.getByRole("tab", { name: "Verzonden" }).click();
      await page.waitForURL((u) => u.searchParams.get("status") === "shipped");
      await expectCount(dataRows(page), 1);
      const shippedRow = row(page, nameOf(target));
      expect(await visibleText(shippedRow)).toContain("Verzonden");
      await shippedRow.getByRole("link", { name: shipment!.trackingNumber }).waitFor();
      await screenshot("ccvshop-shipped");
      await page.getByRole("tab", { name: "Te verzenden" }).click();
      await expectCount(dataRows(page), expected.length);
      expect(await row(page, nameOf(target)).count()).toBe(0);
    });

    const [order] = (await ordersOf((await ccvShop())!.id)).filter((o) => o.platformOrderId === String(target.id));
    expect(order!.status).toBe("shipped");
  });
});
