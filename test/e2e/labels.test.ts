// Journeys 3, 4, 6 and 7: labels for one order and for twenty, the shipment overview with its PDFs, the staging
// banner, and "Adres aanpassen" for an address the carrier would refuse. The carrier is the fake Boekuwzending on loopback; write-back goes to the fake Shopify; pg-boss workers run
// in the server. Signed in with Koppel's own cookie session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { startWorld, type E2EWorld } from "./support/harness";
import { dataRows, eventually, expectCount, row, runJourney, visibleText } from "./support/journey";
import { seedShop } from "./support/shops";
import { downloadPdfByClick } from "./support/pdf";

let world: E2EWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const A4 = { width: 595.28, height: 841.89 };

async function shipmentsOf(shopId: number) {
  const { shipments } = await import("../../app/db/schema");
  return world.koppel.runtime.db.select().from(shipments).where(eq(shipments.shopId, shopId));
}

describe("labels", () => {
  it("3. Label aanmaken: one order, two labels → Verzonden with track & trace, in Zendingen, a two-page PDF", async () => {
    const shop = await seedShop(world, "theehuis-labels.myshopify.com", { carrier: "staging" });
    const names = await shop.paidOrders(3);
    const target = names[1]!;

    await runJourney(world, "label-create", shop.signIn, async ({ page, screenshot }) => {
      await page.goto(`${world.url}/app`);
      await expectCount(dataRows(page), 3);
      await row(page, target).getByRole("button", { name: "Label aanmaken" }).click();

      const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 1 bestelling" });
      await dialog.waitFor();
      // Staging: the dialog says the order WILL be marked shipped.
      expect(await dialog.innerText()).toContain("wel als verzonden gemarkeerd");
      await dialog.getByLabel("Verzendservice").selectOption({ label: "DPD Classic" });
      await dialog.getByLabel("Aantal labels").selectOption("2");
      await dialog.getByLabel("Zendingsvorm").selectOption({ label: "Pakket" });
      await screenshot("label-dialog");
      await dialog.getByRole("button", { name: "Label aanmaken" }).click();

      // The batch's progress; the list refreshes when it is done.
      await page.getByText("1 van 1 klaar").waitFor();
      await dialog.waitFor({ state: "hidden" });
      // The result banner follows the batch: once the label is made it no longer says it is being made.
      await page.getByText("1 label aangemaakt.").waitFor();
      expect(await page.getByText("1 label wordt aangemaakt.").count()).toBe(0);
      // Write-back to Shopify (a separate job) marks the order shipped; it then leaves "Te verzenden".
      const [shipment] = await eventually(() => shipmentsOf(shop.shopId), (rows) => rows.length === 1 && rows[0]!.writebackState === "done");
      expect(world.carrier.fake.shipment(shipment!.carrierShipmentId)?.request.invoiceReference).toBe(target);
      expect(shipment).toMatchObject({ service: "dpd-classic", colli: 2 });
      const fulfillments = world.shopify.fulfillmentCalls(shop.domain);
      expect(fulfillments).toHaveLength(1);
      expect(JSON.stringify(fulfillments[0])).toContain(shipment!.trackingNumber);

      await page.getByRole("tab", { name: "Verzonden" }).click();
      await page.waitForURL((u) => u.searchParams.get("status") === "shipped");
      await expectCount(dataRows(page), 1);
      const shippedRow = row(page, target);
      expect(await visibleText(shippedRow)).toContain("Verzonden");
      const tracking = shippedRow.getByRole("link", { name: shipment!.trackingNumber });
      expect(await tracking.getAttribute("href")).toBe(shipment!.trackingUrl);
      expect(shipment!.trackingUrl).toMatch(/^https:\/\/mijn\.boekuwzending\.com\/track-en-trace\//);
      // The other two are still to ship.
      await page.getByRole("tab", { name: "Te verzenden" }).click();
      await expectCount(dataRows(page), 2);
      expect(await row(page, target).count()).toBe(0);

      // Zendingen lists it.
      await page.getByRole("link", { name: "Zendingen", exact: true }).click();
      await page.getByRole("heading", { name: "Zendingen" }).waitFor();
      await expectCount(dataRows(page), 1);
      const shipmentRow = row(page, target);
      const text = await visibleText(shipmentRow);
      expect(text).toContain(shipment!.trackingNumber);
      expect(text).toContain("Teruggeschreven");
      expect(text).toContain("Staging");

      // "Download label": the PDF has one page per label.
      const pdf = await downloadPdfByClick(page, shipmentRow.getByRole("link", { name: "Download label" }));
      expect(new URL(pdf.url).pathname).toBe("/app/shipments/pdf");
      expect(pdf.status).toBe(200);
      expect(pdf.contentType).toBe("application/pdf");
      expect(pdf.pages).toBe(2);
    });
  });

  it("4. Bulk: twenty orders → progress to 20/20 → one merged A4 PDF of five pages", async () => {
    const shop = await seedShop(world, "theehuis-bulk.myshopify.com", { carrier: "production" });
    const names = await shop.paidOrders(20);

    await runJourney(world, "bulk-labels", shop.signIn, async ({ page, screenshot }) => {
      await page.goto(`${world.url}/app`);
      await expectCount(dataRows(page), 20);
      // Polaris Tabs render once they have measured themselves: wait for them so the picture is complete.
      await page.getByRole("tab", { name: "Te verzenden" }).waitFor();
      await screenshot("orders-list");

      await page.locator("thead").getByRole("checkbox").check();
      await page.getByText("20 geselecteerd").first().waitFor();
      const bulkBar = page.locator('[class*="BulkActions"]').first();
      await bulkBar.getByRole("button", { name: "Label aanmaken", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 20 bestellingen" });
      await dialog.waitFor();
      await dialog.getByRole("button", { name: "Label aanmaken" }).click();

      await page.getByText("20 van 20 klaar").waitFor({ timeout: 60_000 });
      // Polaris' ProgressBar is a <progress> element (implicit role progressbar).
      const bar = page.getByRole("progressbar");
      expect(await bar.evaluate((el) => (el as HTMLProgressElement).value)).toBe(100);
      expect(await visibleText(page.getByText("20 van 20 klaar"))).toContain("20 aangemaakt, 0 mislukt");
      await page.getByText("20 labels aangemaakt.").waitFor();
      expect(await page.getByText("20 labels worden aangemaakt.").count()).toBe(0);

      const all = await eventually(
        () => shipmentsOf(shop.shopId),
        (rows) => rows.length === 20 && rows.every((s) => s.writebackState === "done"),
        60_000,
      );
      expect(all).toHaveLength(20);

      await page.getByRole("link", { name: "Naar Zendingen" }).click();
      await page.getByRole("heading", { name: "Zendingen" }).waitFor();
      await expectCount(dataRows(page), 20);
      for (const name of [names[0]!, names[19]!]) await row(page, name).waitFor();
      await screenshot("shipments");

      await page.locator("thead").getByRole("checkbox").check();
      await page.locator('[class*="BulkActions"]').first().getByRole("button", { name: "Download PDF" }).click();
      const pdfDialog = page.getByRole("dialog", { name: "PDF voor 20 zendingen" });
      await pdfDialog.waitFor();
      await pdfDialog.getByLabel("Formaat").selectOption("A4");
      const pdf = await downloadPdfByClick(page, pdfDialog.getByRole("link", { name: "Download PDF" }));
      expect(new URL(pdf.url).searchParams.get("format")).toBe("A4");
      expect(new URL(pdf.url).searchParams.get("ids")!.split(",")).toHaveLength(20);
      expect(pdf.pages).toBe(5); // four labels per A4 sheet
      for (const size of pdf.pageSizes) {
        expect(size.width).toBeCloseTo(A4.width, 0);
        expect(size.height).toBeCloseTo(A4.height, 0);
      }
    });
  });

  it("6. Staging banner: shown while the carrier is on staging (and says the order WILL be marked shipped), gone on production", async () => {
    const shop = await seedShop(world, "theehuis-staging.myshopify.com", { carrier: "staging" });
    await shop.paidOrders(1);

    await runJourney(world, "staging-banner", shop.signIn, async ({ page }) => {
      const banner = page.getByText("Testomgeving (staging)");
      await page.goto(`${world.url}/app`);
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      const text = await visibleText(banner);
      expect(text).toContain("WEL als verzonden gemarkeerd");
      expect(text).toContain("de klant krijgt een e-mail");

      // Switch the connection to production on Vervoerder (the stored secret is kept).
      await page.getByRole("link", { name: "Naar Vervoerder" }).click();
      await page.getByRole("heading", { name: "Vervoerder" }).waitFor();
      await banner.waitFor(); // still staging
      await page.getByLabel("Omgeving").selectOption("production");
      await page.getByRole("button", { name: "Verbinden" }).click();
      await page.getByText("Verbonden. Er zijn 4 verzendservices beschikbaar.").waitFor();
      await banner.waitFor({ state: "hidden" });

      await page.getByRole("link", { name: "Bestellingen" }).click();
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      await expectCount(dataRows(page), 1);
      expect(await banner.count()).toBe(0);
      await page.reload();
      await expectCount(dataRows(page), 1);
      expect(await banner.count()).toBe(0);
    });
  });

  it("7. Adres aanpassen: an address without a house number is marked, skipped by bulk with a fix button, fixed in the dialog at 390 px, and labelled at the corrected address", async () => {
    const shop = await seedShop(world, "theehuis-adres.myshopify.com", { carrier: "staging" });
    const [target] = await shop.paidOrders(2, (i) =>
      i === 0 ? { shippingAddress: { address1: "Hoofdstraat", address2: null, zip: "1234 AB", city: "Amsterdam", countryCode: "NL", country: "Netherlands" } } : {},
    );

    await runJourney(world, "address-fix", shop.signIn, async ({ page, screenshot }) => {
      await page.goto(`${world.url}/app`);
      await expectCount(dataRows(page), 2);
      const orderRow = row(page, target!);
      // Before any click: the reason, and no "Label aanmaken" for it.
      expect(await visibleText(orderRow)).toContain("De vervoerder weigert dit adres: huisnummer ontbreekt of klopt niet");
      expect(await orderRow.getByRole("button", { name: "Label aanmaken" }).count()).toBe(0);
      await orderRow.getByRole("button", { name: "Adres aanpassen" }).waitFor();

      // Bulk: the good order gets its label, the refused one is listed with its reason and a fix button.
      await page.locator("thead").getByRole("checkbox").check();
      await page.locator('[class*="BulkActions"]').first().getByRole("button", { name: "Label aanmaken", exact: true }).click();
      const bulkDialog = page.getByRole("dialog", { name: "Label aanmaken voor 2 bestellingen" });
      await bulkDialog.waitFor();
      expect(await bulkDialog.innerText()).toContain("1 gekozen bestelling heeft een onvolledig adres");
      await bulkDialog.getByRole("button", { name: "Label aanmaken" }).click();
      await page.getByText("1 van 1 klaar").waitFor();
      const skipped = page.getByText(`${target}: huisnummer ontbreekt of klopt niet`);
      await skipped.waitFor();
      expect(await visibleText(page.getByText("Geen label voor deze bestellingen: de vervoerder weigert het adres."))).toBeTruthy();
      await screenshot("address-fix-bulk-skipped");

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("button", { name: `Adres aanpassen ${target}` }).click();

      // On a phone Polaris' dialog element is a zero-size wrapper (a sheet inside it): wait for it attached, its content visible.
      const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 1 bestelling" });
      await dialog.waitFor({ state: "attached" });
      await dialog.getByLabel("Huisnummer").waitFor();
      expect(await dialog.getByLabel("Straat").inputValue()).toBe("Hoofdstraat");
      // Usable on a phone: every field and the buttons lie within 390 px.
      for (const control of [dialog.getByLabel("Straat"), dialog.getByLabel("Huisnummer"), dialog.getByLabel("Toevoeging"), dialog.getByLabel("Plaats"), dialog.getByRole("button", { name: "Adres opslaan" })]) {
        const box = await control.boundingBox();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // Creating the label waits until the address is saved.
      expect(await dialog.getByRole("button", { name: "Label aanmaken" }).isDisabled()).toBe(true);

      // A wrong house number: the field says why, in Dutch.
      await dialog.getByLabel("Huisnummer").fill("12b");
      await dialog.getByRole("button", { name: "Adres opslaan" }).click();
      await dialog.getByText("Vul een huisnummer in met alleen cijfers, zoals 12").waitFor();

      await dialog.getByLabel("Huisnummer").fill("12");
      await dialog.getByLabel("Toevoeging").fill("b");
      await screenshot("address-fix-form-390");
      await dialog.getByRole("button", { name: "Adres opslaan" }).click();
      await dialog.getByText("Adres opgeslagen. Label aanmaken gebruikt dit adres.").waitFor();
      // The dialog shows the corrected address as the carrier will get it.
      const address = dialog.getByTestId("ship-to-address");
      const shown = await visibleText(address);
      for (const part of ["Hoofdstraat", "12", "b", "1234 AB Amsterdam", "Nederland"]) expect(shown).toContain(part);
      expect(await dialog.innerText()).toContain("Adres aangepast");
      await screenshot("address-fix-saved-390");

      // The list behind the dialog no longer marks the order, and says its address was corrected.
      await eventually(
        () => visibleText(orderRow),
        (text) => text.includes("Adres aangepast") && !text.includes("De vervoerder weigert"),
      );

      await dialog.getByRole("button", { name: "Label aanmaken" }).click();
      await page.getByText("1 van 1 klaar").waitFor();
      const made = await eventually(() => shipmentsOf(shop.shopId), (rows) => rows.length === 2 && rows.every((r) => r.writebackState === "done"));
      const shipment = made.find((m) => world.carrier.fake.shipment(m.carrierShipmentId)?.request.invoiceReference === target);
      // (Order numbers repeat across the file's shops: the shipment is found by the carrier's id.)
      const sent = world.carrier.fake.shipment(shipment!.carrierShipmentId);
      expect(sent!.request).toMatchObject({ invoiceReference: target });
      expect(sent!.request.shipTo.address).toMatchObject({ street: "Hoofdstraat", number: "12", numberAddition: "b", postcode: "1234 AB" });
      expect(sent!.request.shipTo.address).not.toHaveProperty("addressLine1");
      // Written back once, with tracking only: the shop's address stays as the customer typed it.
      const fulfillments = world.shopify.fulfillmentCalls(shop.domain).filter((f) => f.input.trackingInfo?.number === shipment!.trackingNumber);
      expect(fulfillments).toHaveLength(1);
      expect(world.shopify.fulfillmentCalls(shop.domain)).toHaveLength(2); // and the good order's, from the bulk
      const inShop = world.shopify.listOrders(shop.domain).find((o) => o.name === target);
      expect(inShop!.shippingAddress).toMatchObject({ address1: "Hoofdstraat", zip: "1234 AB" });
    });
  });

  it("9. The order page: Label aanmaken, and without a reload the banner says it was made, the shipment shows with its tracking, the timeline has the request", async () => {
    const shop = await seedShop(world, "theehuis-bestelpagina.myshopify.com", { carrier: "staging" });
    const [target] = await shop.paidOrders(1);
    const { orders } = await import("../../app/db/schema");
    const [order] = await world.koppel.runtime.db.select({ id: orders.id }).from(orders).where(eq(orders.shopId, shop.shopId));

    await runJourney(world, "order-page-label", shop.signIn, async ({ page, screenshot }) => {
      await page.goto(`${world.url}/app/orders/${order!.id}`);
      await page.getByRole("heading", { name: `Bestelling ${target}` }).waitFor();
      await page.getByText("Nog geen label voor deze bestelling.").waitFor();
      // A full page load would lose this marker: the page must update itself.
      await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

      await page.getByRole("button", { name: "Label aanmaken" }).first().click();
      const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 1 bestelling" });
      await dialog.getByTestId("ship-to-address").waitFor();
      await dialog.getByRole("button", { name: "Label aanmaken" }).click();

      await page.getByText("1 label aangemaakt.").waitFor();
      const [shipment] = await eventually(() => shipmentsOf(shop.shopId), (rows) => rows.length === 1);
      await page.getByRole("link", { name: shipment!.trackingNumber }).waitFor();
      expect(await page.getByText("1 label wordt aangemaakt.").count()).toBe(0);
      // The write-back follows on the page too, and the timeline has the request, the label and the write-back.
      await page.getByText("Teruggeschreven naar de winkel op", { exact: false }).waitFor();
      const timeline = await visibleText(page.getByRole("list", { name: "Tijdlijn in Koppel" }));
      for (const line of ["Label aangevraagd bij de vervoerder", "Label aangemaakt", "Track & trace teruggeschreven"]) expect(timeline).toContain(line);
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      await screenshot("order-page-label-made");
    });
  });
});
