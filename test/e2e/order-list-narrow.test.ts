// The list a busy shop needs, in the browser: 62 orders to ship show "Te verzenden (62)" and "Alle 62 bestellingen
// selecteren"; the order number opens the order page; /app/setup after installation, required markers and Koppel's own
// validation, the 404 page and the language switch; at 390 px wide (a phone) order number, customer, status and the
// "Label aanmaken" button are on screen without scrolling sideways.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorld, type E2EWorld } from "./support/harness";
import { runJourney } from "./support/journey";
import { seedShop } from "./support/shops";

let world: E2EWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe("order list for a busy shop", () => {
  it("tab totals, select all 62, the order page, and a 390 px layout with the action in view", async () => {
    const shop = await seedShop(world, "theehuis-druk.myshopify.com", { carrier: "staging" });
    const names = await shop.paidOrders(62, (i) => (i === 61 ? { shippingAddress: { city: "Antwerpen", zip: "2000", countryCode: "BE", country: "Belgium" } } : {}));
    const newest = names[names.length - 1]!;

    await runJourney(world, "order-list-narrow", shop.signIn, async ({ page, screenshot, expectStatus }) => {
      await page.goto(`${world.url}/app`);
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      await page.getByRole("tab", { name: "Te verzenden (62)" }).waitFor();
      await page.getByRole("tab", { name: "Alle (62)" }).waitFor();

      // Select the page, then every matching order across pages.
      await page.locator("table thead input[type=checkbox]").first().check({ force: true });
      await page.getByRole("button", { name: "Alle 62 bestellingen selecteren" }).click();
      await page.getByText("Alle 62 bestellingen geselecteerd").waitFor();

      // The order number opens the order page.
      await page.getByRole("link", { name: newest, exact: true }).click();
      await page.waitForURL(/\/app\/orders\/\d+$/);
      await page.getByRole("heading", { name: `Bestelling ${newest}` }).waitFor();
      await page.getByText("Verzendadres zoals de winkel het stuurde").waitFor();
      await page.getByText("Antwerpen", { exact: false }).first().waitFor();
      await page.getByRole("columnheader", { name: "SKU" }).waitFor();
      await screenshot("order-page");

      // Installed: /app/setup goes to Instellingen; the from address marks every required field and validates itself.
      await page.goto(`${world.url}/app/setup`);
      await page.waitForURL((u) => u.pathname === "/app/settings");
      const fromForm = page.locator("form").filter({ has: page.locator("#fromAddress-company") });
      // Polaris draws the required marker as the label text's ::after content ("*").
      const requiredMark = (id: string) =>
        page.locator(`label[for="fromAddress-${id}"]`).evaluate((l) => getComputedStyle(l, "::after").content.replace(/"/g, "") || "none");
      expect(await fromForm.getAttribute("novalidate")).not.toBeNull();
      for (const id of ["company", "contactName", "street", "houseNumber", "postcode", "city", "country", "phone", "email"]) {
        await expect.poll(() => requiredMark(id), { timeout: 5000 }).toBe("*");
      }
      expect(await requiredMark("houseNumberAddition")).toBe("none");
      // An empty required field is Koppel's own Dutch message after submitting, not a browser bubble.
      await page.locator("#fromAddress-city").fill("");
      await fromForm.getByRole("button", { name: "Opslaan" }).click();
      await page.getByText("Vul de plaats in", { exact: false }).waitFor();

      // An unknown path: Koppel's own page, in Dutch, with the navigation.
      expectStatus(404, /\/app\/bestaat-niet/);
      await page.goto(`${world.url}/app/bestaat-niet`);
      await page.getByRole("heading", { name: "Pagina niet gevonden" }).waitFor();
      await page.getByRole("link", { name: "Bestellingen" }).first().waitFor();

      // The language switch (Koppel's own pages): English, remembered by the cookie session, then back.
      await page.goto(`${world.url}/app`);
      await page.getByRole("link", { name: "English" }).click();
      await page.getByRole("heading", { name: "Imported orders" }).waitFor();
      await page.goto(`${world.url}/app`);
      await page.getByRole("heading", { name: "Imported orders" }).waitFor();
      await page.getByRole("link", { name: "Nederlands" }).click();
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();

      // A phone: 390 px wide.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${world.url}/app`);
      await page.getByRole("tab", { name: "Te verzenden (62)" }).waitFor();
      const action = page.getByRole("button", { name: "Label aanmaken", exact: true }).first();
      await action.waitFor({ state: "visible" });
      const box = await action.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      // Number, customer and status of the first row are in view too.
      const number = page.getByRole("link", { name: newest, exact: true });
      const numberBox = await number.boundingBox();
      expect(numberBox && numberBox.x + numberBox.width).toBeLessThanOrEqual(390);
      const status = page.getByText("Te verzenden", { exact: true }).first();
      const statusBox = await status.boundingBox();
      expect(statusBox && statusBox.x + statusBox.width).toBeLessThanOrEqual(390);
      // Nothing scrolls sideways: not the page, not the list (Polaris' tab bar scrolls its own tabs, by design).
      const overflow = await page.evaluate(() => {
        const doc = document.documentElement;
        const wide = [...document.querySelectorAll<HTMLElement>("*")].filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "hidden" && getComputedStyle(el).overflowX !== "visible" && !el.closest(".Polaris-Tabs__Wrapper"));
        return { page: doc.scrollWidth - doc.clientWidth, scrollers: wide.map((el) => `${el.tagName}.${el.className}`.slice(0, 80)) };
      });
      expect(overflow.page).toBeLessThanOrEqual(0);
      expect(overflow.scrollers).toEqual([]);
      await screenshot("order-list-390");

      // The order page on the phone: one column, nothing wider than the screen.
      await number.click();
      await page.getByRole("heading", { name: `Bestelling ${newest}` }).waitFor();
      await page.getByRole("button", { name: "Label aanmaken" }).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await screenshot("order-page-390");
    });
  });
});
