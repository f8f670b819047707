// Journey: shipping rules (issue 13). At 390 px the merchant makes the rule "NL en ≤ 2 kg → Brievenbuspakje" on
// "Verzendregels" and sees the live preview count; then bulk "Label aanmaken" shows the orders grouped by the service
// their rule chose, with prices; after creating, Zendingen lists each order with its rule's service.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { startWorld, type E2EWorld } from "./support/harness";
import { dataRows, eventually, expectCount, row, runJourney, visibleText } from "./support/journey";
import { seedShop } from "./support/shops";

let world: E2EWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const line = (grams: number) => [{ sku: "THD-LIN-01", title: "Theedoek", quantity: 1, grams, price: "12.50" }];

describe("shipping rules", () => {
  it("10. Verzendregels: a rule NL ≤ 2 kg → Brievenbuspakje, its preview, the grouped bulk dialog, the services in Zendingen", async () => {
    const shop = await seedShop(world, "theehuis-regels.myshopify.com", { carrier: "staging" });
    // Four light Dutch orders, one heavy Dutch order, one light Belgian order.
    const names = await shop.paidOrders(6, (i) => (i < 4 ? { lineItems: line(300) } : i === 4 ? { lineItems: line(5000) } : { country: "BE", lineItems: line(300) }));
    const light = names.slice(0, 4);

    await runJourney(world, "shipping-rules", shop.signIn, async ({ page, screenshot }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${world.url}/app/rules`);
      await page.getByRole("heading", { name: "Verzendregels" }).first().waitFor();
      // The weight per item: Koppel's own Dutch message at the field, not a browser bubble (the form has noValidate).
      const weightForm = page.locator("form").filter({ has: page.getByLabel("Gewicht per artikel", { exact: false }) });
      expect(await weightForm.getAttribute("novalidate")).not.toBeNull();
      await page.getByLabel("Gewicht per artikel", { exact: false }).fill("-5");
      await weightForm.getByRole("button", { name: "Opslaan" }).click();
      await weightForm.getByText("Vul een gewicht in grammen in (0 of meer).").waitFor();
      await page.getByLabel("Gewicht per artikel", { exact: false }).fill("");
      await weightForm.getByRole("button", { name: "Opslaan" }).click();
      await weightForm.getByText("Opgeslagen.").waitFor();
      await page.getByRole("button", { name: "Regel toevoegen" }).click();
      await page.getByLabel("Naam").fill("NL licht");
      await page.getByLabel("Landen").fill("NL");
      await page.getByLabel("Gewicht tot en met").fill("2000");
      // The live preview counts the orders to ship the conditions match.
      await page.getByText("Deze regel past op 4 van je 6 te verzenden bestellingen.").waitFor();
      await page.getByLabel("Verzendservice").selectOption({ label: "PostNL Brievenbuspakje" });
      await page.getByLabel("Zendingsvorm").selectOption({ label: "Envelop" });
      // Usable on a phone: the form fits in 390 px.
      for (const control of [page.getByLabel("Naam"), page.getByLabel("Gewicht tot en met"), page.getByRole("button", { name: "Opslaan" }).first()]) {
        const box = await control.boundingBox();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot("rules-editor");
      await page.getByRole("button", { name: "Opslaan" }).first().click();
      const card = page.getByText("1. NL licht");
      await card.waitFor();
      expect(await visibleText(page.locator("body"))).toContain("Deze regel past op 4 van je 6 te verzenden bestellingen.");
      await screenshot("rules-list");

      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${world.url}/app`);
      await expectCount(dataRows(page), 6);
      await page.locator("thead").getByRole("checkbox").check();
      await page.getByText("6 geselecteerd").first().waitFor();
      await page.locator('[class*="BulkActions"]').first().getByRole("button", { name: "Label aanmaken", exact: true }).click();
      const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 6 bestellingen" });
      await dialog.waitFor();
      await dialog.getByText("4 × PostNL Brievenbuspakje").waitFor();
      await dialog.getByText("2 × PostNL Pakket").waitFor();
      await dialog.getByText("Totaal:", { exact: false }).waitFor();
      const text = await visibleText(dialog);
      expect(text).toContain("Gekozen door: NL licht");
      expect(text).toContain("Totaal:");
      await screenshot("label-dialog-rules");
      await dialog.getByRole("button", { name: "Label aanmaken" }).last().click();
      await page.getByText("6 van 6 klaar").waitFor({ timeout: 60_000 });

      const { shipments } = await import("../../app/db/schema");
      await eventually(
        () => world.koppel.runtime.db.select().from(shipments).where(eq(shipments.shopId, shop.shopId)),
        (rows) => rows.length === 6,
        60_000,
      );
      await page.getByRole("link", { name: "Naar Zendingen" }).click();
      await page.getByRole("heading", { name: "Zendingen" }).waitFor();
      await expectCount(dataRows(page), 6);
      for (const name of names) {
        const service = await visibleText(row(page, name));
        expect(service, name).toContain(light.includes(name) ? "PostNL Brievenbuspakje" : "PostNL Pakket");
      }
      await screenshot("shipments-by-rules");
    });
  }, 180_000);
});
