// Journeys 3, 4 and 6: labels for one order and for twenty, the shipment overview with its PDFs, and the staging
// banner. The carrier is the fake Boekuwzending on loopback; write-back goes to the fake Shopify; pg-boss workers run
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
      // Write-back to Shopify (a separate job) marks the order shipped; it then leaves "Te verzenden".
      const [shipment] = await eventually(() => shipmentsOf(shop.shopId), (rows) => rows.length === 1 && rows[0]!.writebackState === "done");
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
});
