// Journey 1 — Shopify first run: the merchant opens Koppel from Shopify Admin right after the managed install.
// The page is loaded as Admin loads it (embedded=1, shop, host, locale, id_token), App Bridge is the test's stub
// (test/e2e/support/app-bridge-stub.ts), and the token exchange goes to the fake Shopify.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Request } from "playwright-core";
import { startWorld, E2E_API_KEY, E2E_API_SECRET, type E2EWorld } from "./support/harness";
import { runJourney, visibleText } from "./support/journey";
import { installAppBridge } from "./support/app-bridge-stub";
import { signSessionToken } from "../fakes/shopify";

const SHOP = "theehuis-eerste-keer.myshopify.com";
const STORE = SHOP.replace(/\.myshopify\.com$/, "");

let world: E2EWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

/** A session token as Shopify signs it: HS256 over header.payload with the app's client secret, 60 s lifetime. */
const sessionToken = () => signSessionToken({ shop: SHOP, apiKey: E2E_API_KEY, apiSecret: E2E_API_SECRET });

describe("Shopify first run", () => {
  it("installs through the token exchange, asks for the from address, and lands on the order list", async () => {
    expect(world.shopify.hasShop(SHOP)).toBe(false); // nothing but Shopify's managed install happened yet
    const { sessionStorage } = await import("../../app/shopify.server");
    expect(await sessionStorage.loadSession(`offline_${SHOP}`)).toBeUndefined();

    await runJourney(
      world,
      "shopify-first-run",
      async (context) => {
        await installAppBridge(context, sessionToken);
      },
      async ({ page, screenshot }) => {
        const appRequests: Request[] = [];
        page.on("request", (r) => {
          if (new URL(r.url()).origin === world.url && r.resourceType() === "fetch") appRequests.push(r);
        });

        const host = Buffer.from(`admin.shopify.com/store/${STORE}`).toString("base64url");
        const params = new URLSearchParams({ embedded: "1", shop: SHOP, host, locale: "nl", id_token: sessionToken() });
        await page.goto(`${world.url}/app?${params}`);

        // The layout sends a shop without a from address to setup; the query (shop, host, id_token) goes along.
        await page.getByRole("heading", { name: "Koppel instellen" }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/app/setup");
        await page.getByRole("heading", { name: "Standaard afzendadres" }).waitFor();
        // The token exchange stored Shopify's offline token for the shop.
        const session = await sessionStorage.loadSession(`offline_${SHOP}`);
        expect(session?.accessToken).toMatch(/^shpat_/);
        expect(world.shopify.isValidToken(SHOP, session!.accessToken!)).toBe(true);
        // App Bridge's title bar names the page (Koppel's name during setup).
        expect(await page.locator("ui-title-bar").getAttribute("title")).toBe("Koppel");
        // App Bridge (the stub) is what the page talks to: the script ran before hydration.
        expect(await page.evaluate(() => typeof (window as unknown as { shopify?: unknown }).shopify)).toBe("object");

        await page.getByLabel("Bedrijfsnaam").fill("Theehuis De Eerste Keer");
        await page.getByLabel("Contactpersoon").fill("Femke Visser");
        await page.getByLabel("Straat").fill("Oudegracht");
        await page.getByLabel("Huisnummer").fill("45");
        await page.getByLabel("Postcode").fill("12345");
        await page.getByLabel("Plaats").fill("Utrecht");
        await page.getByLabel("Land").selectOption("NL");
        await page.getByLabel("Telefoonnummer").fill("+31 30 234 5678");
        await page.getByLabel("E-mailadres").fill("hallo@theehuis.nl");
        await page.getByRole("button", { name: "Koppelen" }).click();

        // The Dutch message sits next to the postcode field (Polaris links it with aria-describedby).
        const postcode = page.getByLabel("Postcode");
        await page.getByText("Controleer de gemarkeerde velden.").waitFor();
        expect(await postcode.getAttribute("aria-invalid")).toBe("true");
        const describedBy = (await postcode.getAttribute("aria-describedby")) ?? "";
        const errorId = describedBy.split(/\s+/).find((id) => id.endsWith("Error"));
        expect(errorId, `aria-describedby="${describedBy}"`).toBeTruthy();
        expect(await visibleText(page.locator(`[id="${errorId}"]`))).toBe("Vul een geldige Nederlandse postcode in, zoals 1234 AB");
        // What was typed stays in the form.
        expect(await page.getByLabel("Bedrijfsnaam").inputValue()).toBe("Theehuis De Eerste Keer");
        await screenshot("setup-postcode-error");

        await postcode.fill("3511 AB");
        await page.getByRole("button", { name: "Koppelen" }).click();
        await page.getByRole("heading", { name: "Installatie voltooid" }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/app/setup/done");

        await page.getByRole("link", { name: "Naar de bestellingen" }).click();
        await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).waitFor();
        await page.getByText("Geen bestellingen gevonden").waitFor();
        expect(new URL(page.url()).pathname).toBe("/app");
        expect(await page.locator("ui-title-bar").getAttribute("title")).toBe("Bestellingen");

        // Every request the app made after the document carried App Bridge's session token.
        expect(appRequests.length).toBeGreaterThanOrEqual(3); // setup POST, done page data, order list data
        for (const r of appRequests) {
          expect(await r.headerValue("authorization"), r.url()).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
        }
      },
    );

    // Saved for the shop that Shopify installed.
    const { findShop } = await import("../../app/core/shops.server");
    const shop = await findShop(world.koppel.runtime.db, "shopify", SHOP);
    expect(shop?.fromAddress).toMatchObject({ company: "Theehuis De Eerste Keer", postcode: "3511 AB", city: "Utrecht" });
  });
});
