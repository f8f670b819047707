// Inside Shopify's admin (App Bridge, the test's stub): the settings forms use App Bridge's contextual save bar and
// results come as App Bridge toasts; outside it (Koppel's own cookie session, as CCV Shop and Mijnwebwinkel shops
// use) the forms keep their Polaris save buttons and banners. And every page fits a 360 px wide admin (Shopify's
// mobile app): no sideways scrolling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startWorld, E2E_API_KEY, E2E_API_SECRET, type E2EWorld } from "./support/harness";
import { eventually, runJourney } from "./support/journey";
import { installAppBridge } from "./support/app-bridge-stub";
import { seedShop, FROM_ADDRESS, type SeededShop } from "./support/shops";
import { signSessionToken } from "../fakes/shopify";

const SHOP = "theehuis-instellingen.myshopify.com";

let world: E2EWorld;
let shop: SeededShop;
beforeAll(async () => {
  world = await startWorld();
  shop = await seedShop(world, SHOP, { carrier: "staging" });
  await shop.paidOrders(2);
});
afterAll(async () => {
  await world?.close();
});

const sessionToken = () => signSessionToken({ shop: SHOP, apiKey: E2E_API_KEY, apiSecret: E2E_API_SECRET });

/** The document request as Shopify's admin makes it inside its iframe. */
function embeddedUrl(path: string): string {
  const host = Buffer.from(`admin.shopify.com/store/${SHOP.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
  const params = new URLSearchParams({ embedded: "1", shop: SHOP, host, locale: "nl", id_token: sessionToken() });
  return `${world.url}${path}?${params}`;
}

type Calls = { toasts: { message: string }[]; saveBar: { id: string; action: string }[] };
const calls = (page: Page) => page.evaluate(() => (window as unknown as { __appBridgeCalls: Calls }).__appBridgeCalls);
const saveBarShowing = (page: Page, id: string) =>
  page.evaluate((i) => (window as unknown as { __appBridgeSaveBar: { showing(id: string): boolean } }).__appBridgeSaveBar.showing(i), id);
/** The merchant clicks the admin's Save / Discard of the save bar (drawn by the admin, outside the app's frame). */
const clickSaveBar = (page: Page, id: string, button: "save" | "discard") =>
  page.evaluate(([i, b]) => (window as unknown as { __appBridgeSaveBar: Record<string, (id: string) => void> }).__appBridgeSaveBar[b]!(i), [id, button] as const);

async function storedShop() {
  const { findShop } = await import("../../app/core/shops.server");
  return (await findShop(world.koppel.runtime.db, "shopify", SHOP))!;
}

describe("inside Shopify: save bar and toasts", () => {
  it("shows App Bridge's save bar while a settings form is changed; its Save submits, its Discard restores", async () => {
    await runJourney(
      world,
      "embedded-save-bar",
      async (context) => {
        await installAppBridge(context, sessionToken);
      },
      async ({ page }) => {
        await page.goto(embeddedUrl("/app/settings"));
        await page.getByRole("heading", { name: "Instellingen" }).first().waitFor();
        const interval = page.getByLabel("Synchroniseer elke (minuten)");
        const before = await interval.inputValue();
        expect(await saveBarShowing(page, "settings-import")).toBe(false);

        // Changed: the bar shows. Discard: the stored value is back and the bar goes.
        await interval.fill("45");
        await eventually(() => saveBarShowing(page, "settings-import"));
        await clickSaveBar(page, "settings-import", "discard");
        await eventually(() => interval.inputValue(), (v) => v === before);
        expect(await saveBarShowing(page, "settings-import")).toBe(false);

        // Changed again: the admin's Save submits the form; stored, a toast says so, the bar goes.
        await interval.fill("45");
        await eventually(() => saveBarShowing(page, "settings-import"));
        await clickSaveBar(page, "settings-import", "save");
        await eventually(async () => (await calls(page)).toasts.map((t) => t.message), (m) => m.includes("Importinstellingen opgeslagen."));
        await eventually(async () => !(await saveBarShowing(page, "settings-import")));
        expect((await storedShop()).settings?.syncIntervalMinutes).toBe(45);
        // Inside Shopify the toast is the message: no banner on the page.
        expect(await page.getByText("Importinstellingen opgeslagen.").count()).toBe(0);

        // A save that fails keeps the bar (and what was typed); Discard then brings the stored address back.
        const postcode = page.getByLabel("Postcode");
        await postcode.fill("12345");
        await eventually(() => saveBarShowing(page, "settings-from-address"));
        // Only the changed form's bar shows.
        expect(await saveBarShowing(page, "settings-import")).toBe(false);
        await clickSaveBar(page, "settings-from-address", "save");
        await page.getByText("Controleer de gemarkeerde velden.").waitFor();
        expect(await postcode.inputValue()).toBe("12345");
        expect(await saveBarShowing(page, "settings-from-address")).toBe(true);
        await clickSaveBar(page, "settings-from-address", "discard");
        await eventually(() => page.getByLabel("Postcode").inputValue(), (v) => v === FROM_ADDRESS.postcode);
        await eventually(() => page.getByText("Controleer de gemarkeerde velden.").count(), (n) => n === 0);
        expect(await saveBarShowing(page, "settings-from-address")).toBe(false);
        expect((await storedShop()).fromAddress?.postcode).toBe(FROM_ADDRESS.postcode);

        // The carrier page's defaults: a form whose state the page holds.
        await page.goto(embeddedUrl("/app/carrier"));
        const packageType = page.getByLabel("Standaard zendingsvorm");
        const storedType = await packageType.inputValue();
        const other = storedType === "envelop" ? "document" : "envelop";
        await packageType.selectOption(other);
        await eventually(() => saveBarShowing(page, "carrier-defaults"));
        await clickSaveBar(page, "carrier-defaults", "discard");
        await eventually(() => packageType.inputValue(), (v) => v === storedType);
        await packageType.selectOption(other);
        await eventually(() => saveBarShowing(page, "carrier-defaults"));
        await clickSaveBar(page, "carrier-defaults", "save");
        await eventually(async () => (await calls(page)).toasts.map((t) => t.message), (m) => m.includes("Standaarden opgeslagen."));
        await eventually(async () => !(await saveBarShowing(page, "carrier-defaults")));
        const { getCarrierConnection } = await import("../../app/core/labels/connection.server");
        expect((await getCarrierConnection(world.koppel.runtime.db, shop.shopId))?.defaultPackageType).toBe(other);
        // Every show was followed by a hide: nothing is left open.
        const events = (await calls(page)).saveBar.filter((e) => e.id === "carrier-defaults").map((e) => e.action);
        expect(events).toEqual(["show", "hide", "show", "hide"]);
      },
    );
  });

  it("outside Shopify the forms keep their Polaris save buttons and success banners, and no save bar", async () => {
    await runJourney(
      world,
      "cookie-settings-save",
      async (context) => {
        await shop.signIn(context);
      },
      async ({ page }) => {
        await page.goto(`${world.url}/app/settings`);
        await page.getByLabel("Synchroniseer elke (minuten)").fill("30");
        expect(await page.locator("ui-save-bar").count()).toBe(0);
        await page.getByRole("button", { name: "Opslaan" }).nth(1).click();
        await page.getByText("Importinstellingen opgeslagen.").waitFor();
        expect((await storedShop()).settings?.syncIntervalMinutes).toBe(30);
      },
    );
  });
});

// Every page of the app, as Shopify's mobile admin shows it (360 px wide) and as a phone shows Koppel's own pages.
const PAGES = [
  { path: "/app", heading: "Geïmporteerde bestellingen" },
  { path: "/app/shipments", heading: "Zendingen" },
  { path: "/app/activity", heading: "Activiteit" },
  { path: "/app/settings", heading: "Instellingen" },
  { path: "/app/carrier", heading: "Vervoerder" },
  { path: "/app/setup/done", heading: "Installatie voltooid" },
];

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth);
}

async function checkNarrow(page: Page, open: (path: string) => string, screenshot: (name: string) => Promise<void>, prefix: string) {
  const wide: string[] = [];
  for (const p of PAGES) {
    await page.goto(open(p.path));
    await page.getByRole("heading", { name: p.heading }).first().waitFor();
    // Remix fetches the route manifest for the links in view (lazy route discovery); a goto while it is under way
    // would abort it, which no merchant's click does.
    await page.waitForLoadState("networkidle");
    const scrollWidth = await pageWidth(page);
    if (scrollWidth > 360) {
      wide.push(`${p.path}: ${scrollWidth}px`);
      await screenshot(`${prefix}-360-${p.path.replace(/\W+/g, "-")}`);
    }
  }
  expect(wide, "pages wider than 360 px").toEqual([]);
}

describe("360 px wide", () => {
  it("inside Shopify's mobile admin no page scrolls sideways", async () => {
    await runJourney(
      world,
      "embedded-360",
      async (context) => {
        await installAppBridge(context, sessionToken);
      },
      async ({ page, screenshot }) => {
        await page.setViewportSize({ width: 360, height: 740 });
        await checkNarrow(page, embeddedUrl, screenshot, "embedded");
      },
    );
  });

  it("on Koppel's own pages (cookie session) no page scrolls sideways", async () => {
    await runJourney(
      world,
      "cookie-360",
      async (context) => {
        await shop.signIn(context);
      },
      async ({ page, screenshot }) => {
        await page.setViewportSize({ width: 360, height: 740 });
        await checkNarrow(page, (path) => `${world.url}${path}`, screenshot, "cookie");
      },
    );
  });

  it("the 404 page fits too", async () => {
    // Unknown /app paths are Koppel's page inside the app's layout (app.$.tsx), in the merchant's language.
    await runJourney(
      world,
      "notfound-360",
      async (context) => {
        await shop.signIn(context);
      },
      async ({ page, expectStatus }) => {
        await page.setViewportSize({ width: 360, height: 740 });
        expectStatus(404, /\/app\/bestaat-niet/);
        const response = await page.goto(`${world.url}/app/bestaat-niet`);
        expect(response?.status()).toBe(404);
        await page.getByRole("heading", { name: "Pagina niet gevonden" }).waitFor();
        await page.waitForLoadState("networkidle");
        expect(await pageWidth(page)).toBeLessThanOrEqual(360);
      },
    );
  });
});
