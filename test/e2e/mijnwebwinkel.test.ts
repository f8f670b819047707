// Journey 8: Mijnwebwinkel from the connect form to a shipped order with Koppel's own track & trace e-mail. The fake
// MyOnlineStore Connect API (loopback HTTP, token + partner_token checked) holds the demo store's 15 orders (two test
// orders); a real SMTP server on loopback catches the e-mail. Connect and sign-in pages at 390 px (no horizontal
// scroll) → a wrong API token shows Mijnwebwinkel's reason and connects nothing → the right one: "Installatie voltooid"
// → the order list without the test orders → carrier and e-mail in Instellingen (the status section says Mijnwebwinkel
// e-mails no one) → one label → the fake records one PATCH to Verzonden with the code appended → the SMTP server
// receives exactly one e-mail with the tracking link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { startWorld, CARRIER_ACCOUNT, type E2EWorld } from "./support/harness";
import { dataRows, eventually, expectCount, row, runJourney, visibleText } from "./support/journey";
import { startFakeMijnwebwinkel, STATUS, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { startSmtpCatcher } from "../fakes/smtp/server";

const SHOP_URL = "theehuis.myonline.store";
const TOKEN = "mww-e2e-store-token-8c41d2";
/** Open, paid, not test orders of the demo seed, by customer. */
const OPEN_PAID = 8;
const TARGET = { number: 1007, name: "Lotte Smit" };

let world: E2EWorld;
let mww: RunningFakeMijnwebwinkel;
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
beforeAll(async () => {
  world = await startWorld({ platforms: "shopify,ccvshop,mijnwebwinkel" });
  mww = await startFakeMijnwebwinkel({ stores: [{ token: TOKEN, name: "Theehuis" }], seed: "demo" });
  const { configureMijnwebwinkelApi } = await import("../../app/platforms/registry.server");
  configureMijnwebwinkelApi({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken });
  smtp = await startSmtpCatcher();
});
afterAll(async () => {
  const { configureMijnwebwinkelApi } = await import("../../app/platforms/registry.server");
  configureMijnwebwinkelApi(null);
  await world?.close();
  await mww?.close();
  await smtp?.close();
});

const FORM = {
  Bedrijfsnaam: "Theehuis Deventer",
  Contactpersoon: "Anne Bos",
  Straat: "Brink",
  Huisnummer: "12",
  Postcode: "7411 BT",
  Plaats: "Deventer",
  Telefoonnummer: "+31 570 123 456",
  "E-mailadres": "info@theehuis.example",
};

async function mwwShop() {
  const { shops } = await import("../../app/db/schema");
  const [shop] = await world.koppel.runtime.db.select().from(shops).where(and(eq(shops.platform, "mijnwebwinkel"), eq(shops.domain, SHOP_URL)));
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

describe("Mijnwebwinkel", () => {
  it("8. connect (wrong token: the reason) → right token → Installatie voltooid → orders without test orders → one label → Verzonden in Mijnwebwinkel, e-mail caught", async () => {
    await runJourney(world, "mijnwebwinkel-connect-label", async () => {}, async ({ page, screenshot }) => {
      // Both pages usable on a phone: nothing wider than 390 px, the button in reach.
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [path, heading, button] of [
        ["/mijnwebwinkel/login", "Inloggen met Mijnwebwinkel", "Inloggen"],
        ["/mijnwebwinkel/connect", "Mijnwebwinkel koppelen", "Koppelen"],
      ] as const) {
        await page.goto(`${world.url}${path}`);
        await page.getByRole("heading", { name: heading }).first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
        await page.getByRole("button", { name: button, exact: true }).scrollIntoViewIfNeeded();
        expect(await page.getByRole("button", { name: button, exact: true }).isVisible()).toBe(true);
        await page.evaluate(() => window.scrollTo(0, 0));
        await screenshot(`mijnwebwinkel-${path.split("/")[2]}-390`);
      }
      await page.setViewportSize({ width: 1280, height: 860 });

      // A wrong token: Koppel's sentence, Mijnwebwinkel's reason beneath it, nothing connected, the fields kept.
      await page.getByLabel("Shop-URL").fill(`https://${SHOP_URL}/`);
      await page.getByLabel("API-token").fill("not-the-store-token");
      for (const [label, value] of Object.entries(FORM)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByLabel("Land").selectOption("NL");
      await page.getByRole("button", { name: "Koppelen" }).click();
      await page.getByText("Koppelen is niet gelukt: Mijnwebwinkel accepteerde het API-token niet").waitFor();
      await page.getByText("Mijnwebwinkel answered 401: Unauthorized: Invalid store token").waitFor();
      expect(await mwwShop()).toBeUndefined();
      expect(await page.getByLabel("Shop-URL").inputValue()).toBe(SHOP_URL);
      expect(await page.getByLabel("Bedrijfsnaam").inputValue()).toBe(FORM.Bedrijfsnaam);
      expect(await page.getByLabel("API-token").inputValue()).toBe(""); // never sent back
      await screenshot("mijnwebwinkel-wrong-token");

      // The right one.
      await page.getByLabel("API-token").fill(TOKEN);
      await page.getByRole("button", { name: "Koppelen" }).click();
      await page.getByRole("heading", { name: "Installatie voltooid" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/app/setup/done");
      await screenshot("mijnwebwinkel-installed");
      const shop = (await mwwShop())!;
      expect(shop.fromAddress).toMatchObject({ company: FORM.Bedrijfsnaam, postcode: "7411 BT" });

      // The poll Koppelen queued (the world runs pg-boss workers) imports the open, paid orders — never a test order.
      const synced = await eventually(
        async () => ({ shop: await mwwShop(), orders: await ordersOf(shop.id) }),
        (s) => s.shop!.lastSyncAt !== null && s.orders.length === OPEN_PAID,
        30_000,
      );
      expect(synced.orders.some((o) => o.number.startsWith("T-"))).toBe(false);

      await page.getByRole("link", { name: "Naar de bestellingen" }).click();
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      await expectCount(dataRows(page), OPEN_PAID);
      expect(await page.locator("table").innerText()).not.toMatch(/T-10\d\d/);
      await row(page, TARGET.name).waitFor();

      // Carrier: Boekuwzending on staging.
      await page.getByRole("link", { name: "Vervoerder", exact: true }).click();
      await page.getByRole("heading", { name: "Vervoerder" }).first().waitFor();
      await page.getByLabel("Client ID").fill(CARRIER_ACCOUNT.clientId);
      await page.getByLabel("Client secret").fill(CARRIER_ACCOUNT.clientSecret);
      await page.getByLabel("Omgeving").selectOption("staging");
      await page.getByRole("button", { name: "Verbinden" }).click();
      await page.getByText("Verbonden. Er zijn 4 verzendservices beschikbaar.").waitFor();

      // Instellingen: the status section (Mijnwebwinkel shops only) says Mijnwebwinkel e-mails no one; Koppel's e-mail on.
      await page.getByRole("link", { name: "Instellingen", exact: true }).click();
      await page.getByRole("heading", { name: "Instellingen" }).first().waitFor();
      await page.getByText("Mijnwebwinkel: orderstatussen").waitFor();
      await page.getByText("Mijnwebwinkel stuurt de klant geen e-mail als Koppel deze status zet.").waitFor();
      expect(await page.getByRole("checkbox", { name: "Nieuw" }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "In behandeling" }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "Wacht op betaling" }).isChecked()).toBe(false);
      expect(await page.getByLabel("Verzonden (deze status zet Koppel na het label)").inputValue()).toBe(String(STATUS.VERZONDEN));
      expect(await page.getByRole("checkbox", { name: "Alleen betaalde bestellingen" }).isChecked()).toBe(true);
      await page.getByText("Mijnwebwinkel: orderstatussen").scrollIntoViewIfNeeded();
      await screenshot("mijnwebwinkel-statuses");
      const mailForm = page.locator("form").filter({ has: page.getByLabel("SMTP-server") });
      await mailForm.getByRole("checkbox", { name: "Track & trace e-mail versturen" }).check();
      await mailForm.getByLabel("SMTP-server").fill(smtp.host);
      await mailForm.getByLabel("Poort").fill(String(smtp.port));
      await page.getByLabel("Beveiliging").selectOption("none");
      await mailForm.getByLabel("Afzendernaam").fill("Theehuis Deventer");
      await mailForm.getByLabel("Afzenderadres").fill("winkel@theehuis.example");
      await mailForm.getByRole("button", { name: "Opslaan" }).click();
      await page.getByText("Track & trace e-mail opgeslagen.").waitFor();
      await screenshot("mijnwebwinkel-settings");

      // One label for one order.
      await page.getByRole("link", { name: "Bestellingen", exact: true }).click();
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      await row(page, TARGET.name).getByRole("button", { name: "Label aanmaken" }).click();
      const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 1 bestelling" });
      await dialog.waitFor();
      await dialog.getByText("Koppel e-mailt de klant").first().waitFor();
      await dialog.getByLabel("Verzendservice").selectOption({ label: "PostNL Pakket" });
      await dialog.getByLabel("Aantal labels").selectOption("1");
      await dialog.getByLabel("Zendingsvorm").selectOption({ label: "Pakket" });
      await screenshot("mijnwebwinkel-label-dialog");
      // The merchant does not wait for the carrier's price: with a slow carrier the price is still being asked when
      // "Label aanmaken" is pressed (Remix aborts that load; the label is made all the same).
      world.carrier.fake.setLatency(1_500);
      await dialog.getByLabel("Zendingsvorm").selectOption({ label: "Envelop" });
      await dialog.getByLabel("Zendingsvorm").selectOption({ label: "Pakket" });
      await dialog.getByText("Prijzen ophalen bij de vervoerder…").waitFor();
      await dialog.getByRole("button", { name: "Label aanmaken" }).click();
      await page.getByText("1 van 1 klaar").waitFor();
      world.carrier.fake.setLatency(0);
      await dialog.waitFor({ state: "hidden" });

      // Written back: one PATCH to Verzonden with the code and link appended to the internal comment; one e-mail.
      const [shipment] = await eventually(() => shipmentsOf(shop.id), (rows) => rows.length === 1 && rows[0]!.writebackState === "done" && rows[0]!.mailState === "sent", 30_000);
      expect(mww.fake.patches).toHaveLength(1);
      expect(mww.fake.patches[0]).toMatchObject({ number: String(TARGET.number) });
      expect(mww.fake.patches[0]!.body).toEqual({
        status: STATUS.VERZONDEN,
        comments: { internal: `Verzonden met PostNL, track & trace ${shipment!.trackingNumber}: ${shipment!.trackingUrl}` },
      });
      expect(mww.fake.order(TARGET.number, TOKEN)).toMatchObject({ status: STATUS.VERZONDEN });
      const customer = mww.fake.order(TARGET.number, TOKEN)!.debtor.email!;
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]!.envelope.to).toEqual([customer]);
      expect(smtp.messages[0]!.parsed.text).toContain(shipment!.trackingUrl);

      // Koppel shows it shipped.
      await page.getByRole("tab", { name: "Verzonden" }).click();
      await page.waitForURL((u) => u.searchParams.get("status") === "shipped");
      await expectCount(dataRows(page), 1);
      expect(await visibleText(row(page, TARGET.name))).toContain("Verzonden");
      await screenshot("mijnwebwinkel-shipped");
    });
  });
});
