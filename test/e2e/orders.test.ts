// Journeys 2 and 5: orders arriving by webhook, search, and removing / restoring orders. Signed in with Koppel's own
// cookie session (createMerchantCookieSession); the embedded Shopify path is journey 1's (shopify-first-run.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { startWorld, E2E_API_SECRET, type E2EWorld } from "./support/harness";
import { dataRows, eventually, expectCount, row, runJourney, visibleText } from "./support/journey";
import { seedShop } from "./support/shops";
import { dutchOrder, orderWebhookPayload, sendWebhook } from "../fakes/shopify";

let world: E2EWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});


describe("orders", () => {
  it("2. orders arrive: three paid orders by webhook show up, the unpaid one does not; search by postcode", async () => {
    const shop = await seedShop(world, "theehuis-webhooks.myshopify.com");
    const { deliveries } = await import("../../app/db/schema");

    await runJourney(world, "orders-arrive", shop.signIn, async ({ page }) => {
      await page.goto(`${world.url}/app`);
      await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
      await page.getByText("Geen bestellingen gevonden").waitFor();

      // Shopify sends orders/create for four new orders; one is not paid yet.
      const seeds = [
        { zip: "1015 CJ", city: "Amsterdam", financialStatus: "PAID" as const },
        { zip: "9712 CA", city: "Groningen", financialStatus: "PAID" as const },
        { zip: "2514 ED", city: "Den Haag", financialStatus: "PENDING" as const },
        { zip: "6511 CB", city: "Nijmegen", financialStatus: "PAID" as const },
      ];
      const orders = seeds.map((s, i) =>
        world.shopify.upsertOrder(
          shop.domain,
          dutchOrder({ seed: 20 + i, financialStatus: s.financialStatus, shippingAddress: { zip: s.zip, city: s.city } }),
        ),
      );
      for (const order of orders) {
        const { response } = await sendWebhook({
          baseUrl: world.url,
          path: "/webhooks/orders",
          topic: "orders/create",
          shop: shop.domain,
          payload: orderWebhookPayload(order),
          secret: E2E_API_SECRET,
        });
        expect(response.status, `webhook for ${order.name}`).toBe(200);
      }
      // The worker handles each delivery (the unpaid one is skipped, not imported).
      const handled = await eventually(
        () => world.koppel.runtime.db.select().from(deliveries).where(eq(deliveries.shopDomain, shop.domain)),
        (rows) => rows.length === 4 && rows.every((d) => d.processedAt !== null),
      );
      expect(handled.map((d) => d.outcome).sort()).toEqual(["imported", "imported", "imported", "skipped"]);

      await page.reload();
      await expectCount(dataRows(page), 3);
      const [paid1, paid2, unpaid, paid3] = orders.map((o) => o.name);
      for (const name of [paid1!, paid2!, paid3!]) await row(page, name).waitFor();
      expect(await row(page, unpaid!).count()).toBe(0);
      expect(await page.getByText("2514 ED").count()).toBe(0);
      // Every imported order shows its destination.
      expect(await visibleText(row(page, paid2!))).toContain("9712 CA Groningen");

      // Search by postcode: exactly the one order.
      await page.getByPlaceholder("Zoek op bestelnummer, naam, bedrijf, e-mail, postcode of plaats").fill("9712 CA");
      await page.getByRole("button", { name: "Zoeken", exact: true }).click();
      await page.waitForURL((u) => u.searchParams.get("q") === "9712 CA");
      await expectCount(dataRows(page), 1);
      await row(page, paid2!).waitFor();
      // The unpaid order cannot be found either.
      await page.getByPlaceholder("Zoek op bestelnummer, naam, bedrijf, e-mail, postcode of plaats").fill("2514 ED");
      await page.getByRole("button", { name: "Zoeken", exact: true }).click();
      await page.getByText("Geen bestellingen gevonden voor deze zoekopdracht.", { exact: false }).waitFor();
      expect(await dataRows(page).count()).toBe(0);
    });
  });

  it("5. Verwijder bestellingen: two removed, found under Verwijderd, one restored", async () => {
    const shop = await seedShop(world, "theehuis-opruimen.myshopify.com");
    const names = await shop.paidOrders(4);

    await runJourney(world, "remove-orders", shop.signIn, async ({ page }) => {
      await page.goto(`${world.url}/app`);
      await expectCount(dataRows(page), 4);
      const [keep1, gone1, gone2, keep2] = names as [string, string, string, string];

      await row(page, gone1).getByRole("checkbox").check();
      await row(page, gone2).getByRole("checkbox").check();
      await page.getByRole("button", { name: "Verwijder bestellingen" }).click();
      const confirm = page.getByRole("dialog", { name: "2 bestellingen verwijderen?" });
      await confirm.waitFor();
      await confirm.getByRole("button", { name: "Verwijderen" }).click();

      await page.getByText("2 bestellingen verwijderd.").waitFor();
      await expectCount(dataRows(page), 2);
      await row(page, keep1).waitFor();
      await row(page, keep2).waitFor();
      expect(await row(page, gone1).count()).toBe(0);
      expect(await row(page, gone2).count()).toBe(0);

      await page.getByRole("tab", { name: "Verwijderd" }).click();
      await page.waitForURL((u) => u.searchParams.get("status") === "removed");
      await expectCount(dataRows(page), 2);
      await row(page, gone1).waitFor();
      await row(page, gone2).waitFor();

      await row(page, gone2).getByRole("checkbox").check();
      await page.getByRole("button", { name: "Herstellen" }).click();
      await page.getByText("1 bestelling hersteld.").waitFor();
      await expectCount(dataRows(page), 1);
      await row(page, gone1).waitFor();

      await page.getByRole("tab", { name: "Te verzenden" }).click();
      await page.waitForURL((u) => u.searchParams.get("status") === "to_ship");
      await expectCount(dataRows(page), 3);
      for (const name of [keep1, gone2, keep2]) await row(page, name).waitFor();
      expect(await row(page, gone1).count()).toBe(0);
    });
  });
});
