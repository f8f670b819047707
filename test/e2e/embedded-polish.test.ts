// Inside Shopify's admin (App Bridge, the test's stub): the settings forms use App Bridge's contextual save bar and
// results come as App Bridge toasts; outside it (Koppel's own cookie session, as CCV Shop and Mijnwebwinkel shops
// use) the forms keep their Polaris save buttons and banners. And every page fits a 360 px wide admin (Shopify's
// mobile app): no sideways scrolling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startWorld, E2E_API_KEY, E2E_API_SECRET, type E2EWorld } from "./support/harness";
import { eventually, row, runJourney } from "./support/journey";
import { installAppBridge } from "./support/app-bridge-stub";
import { seedShop, FROM_ADDRESS, type SeededShop } from "./support/shops";
import { signSessionToken } from "../fakes/shopify";

const SHOP = "theehuis-instellingen.myshopify.com";
/** A shop whose installation is not finished: /app/setup shows the first-run form (an installed shop goes on to settings). */
const NEW_SHOP = "theehuis-nieuw.myshopify.com";

let world: E2EWorld;
let shop: SeededShop;
let newShop: SeededShop;
/** An order with a label (shipment, timeline) and its batch; an order without one (its label dialog). */
let labelled: { orderId: number; number: string; batchId: number };
let unlabelled: { orderId: number; number: string };
let orderNames: string[] = [];
let labelling: Promise<void> | null = null;

beforeAll(async () => {
  world = await startWorld();
  shop = await seedShop(world, SHOP, { carrier: "staging" });
  newShop = await seedShop(world, NEW_SHOP, { fromAddress: false });
  orderNames = await shop.paidOrders(2, (i) =>
    // Long lines, as real customers write them: the pages must wrap them, not scroll.
    i === 0 ? { shippingAddress: { company: "Groothandel in Thee en Aanverwante Artikelen Oost-Nederland B.V.", address1: "Burgemeester van Roijensingel 1234 A" } } : {},
  );
});

/** The first order's label, made once (inside a test: the server's workers make it, the test waits for it). */
function ensureLabelled(): Promise<void> {
  labelling ??= (async () => {
    const { eq } = await import("drizzle-orm");
    const { orders, shipments } = await import("../../app/db/schema");
    const { requestLabels } = await import("../../app/core/labels/request-labels.server");
    const { labelDeps } = await import("../../app/runtime.server");
    const rt = world.koppel.runtime;
    const rows = await rt.db.select({ id: orders.id, number: orders.number }).from(orders).where(eq(orders.shopId, shop.shopId));
    const [first, second] = orderNames.map((n) => rows.find((r) => r.number === n)!);
    const r = await requestLabels(labelDeps(rt), shop.shopId, { orderIds: [first!.id], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    if (!r.ok || r.batchId === null) throw new Error(`no label requested: ${JSON.stringify(r)}`);
    await eventually(() => rt.db.select().from(shipments).where(eq(shipments.shopId, shop.shopId)), (s) => s.length === 1 && s[0]!.writebackState === "done");
    labelled = { orderId: first!.id, number: first!.number, batchId: r.batchId };
    unlabelled = { orderId: second!.id, number: second!.number };
  })();
  return labelling;
}
afterAll(async () => {
  await world?.close();
});

const sessionToken = (domain = SHOP) => signSessionToken({ shop: domain, apiKey: E2E_API_KEY, apiSecret: E2E_API_SECRET });

/** The document request as Shopify's admin makes it inside its iframe (the path may carry its own query). */
function embeddedUrl(path: string, domain = SHOP): string {
  const host = Buffer.from(`admin.shopify.com/store/${domain.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
  const [pathname, query] = path.split("?");
  const params = new URLSearchParams(query);
  for (const [k, v] of Object.entries({ embedded: "1", shop: domain, host, locale: "nl", id_token: sessionToken(domain) })) params.set(k, v);
  return `${world.url}${pathname}?${params}`;
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
/** `inner`: no box of the page scrolls sideways either. */
type NarrowPage = { path: () => string; heading: (() => string) | string | null; name?: string; inner?: boolean };
const PAGES: NarrowPage[] = [
  { path: () => "/app", heading: "Geïmporteerde bestellingen" },
  { path: () => "/app/shipments", heading: "Zendingen", inner: true },
  { path: () => "/app/activity", heading: "Activiteit", inner: true },
  { path: () => "/app/settings", heading: "Instellingen" },
  { path: () => "/app/carrier", heading: "Vervoerder" },
  { path: () => "/app/rules", heading: "Verzendregels", inner: true },
  { path: () => "/app/field-mapping", heading: "Gegevens naar de vervoerder", inner: true },
  // An order with its shipment, tracking and timeline, and one without a label yet.
  { path: () => `/app/orders/${labelled.orderId}`, heading: () => `Bestelling ${labelled.number}`, name: "/app/orders/:labelled", inner: true },
  { path: () => `/app/orders/${unlabelled.orderId}`, heading: () => `Bestelling ${unlabelled.number}`, name: "/app/orders/:id", inner: true },
  // The list with a finished batch's progress card, and the batch's own resource (JSON, as the browser shows it).
  { path: () => `/app?batch=${labelled.batchId}`, heading: "Labels aanmaken", name: "/app?batch", inner: true },
  { path: () => `/app/batches/${labelled.batchId}`, heading: null, name: "/app/batches/:id", inner: true },
  { path: () => "/app/setup/done", heading: "Installatie voltooid" },
];

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth);
}

/**
 * A box inside `selector` that scrolls sideways (its content wider than itself: a dialog or a table the merchant would
 * have to swipe), or null. The document's own width is pageWidth.
 */
async function innerOverflow(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((sel) => {
    for (const root of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
      for (const el of [root, ...Array.from(root.querySelectorAll<HTMLElement>("*"))]) {
        const style = getComputedStyle(el);
        // Polaris' tabs scroll sideways by design on a phone (the list's status tabs).
        if (el.classList.contains("Polaris-Tabs__Wrapper")) continue;
        if ((style.overflowX === "auto" || style.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1 && el.getClientRects().length > 0)
          return `${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`;
      }
    }
    return null;
  }, selector);
}

async function settled(page: Page) {
  // Remix fetches the route manifest for the links in view (lazy route discovery); a goto while it is under way
  // would abort it, which no merchant's click does.
  await page.waitForLoadState("networkidle");
}

async function checkNarrow(page: Page, open: (path: string) => string, screenshot: (name: string) => Promise<void>, prefix: string) {
  const wide: string[] = [];
  const check = async (name: string, withInner = true) => {
    const scrollWidth = await pageWidth(page);
    const inner = withInner ? await innerOverflow(page, "body") : null;
    if (scrollWidth > 360 || inner) {
      wide.push(`${name}: ${scrollWidth}px${inner ? `, ${inner}` : ""}`);
      await screenshot(`${prefix}-360-${name.replace(/\W+/g, "-")}`);
    }
  };
  for (const p of PAGES) {
    await page.goto(open(p.path()));
    const heading = typeof p.heading === "function" ? p.heading() : p.heading;
    if (heading) await page.getByRole("heading", { name: heading }).first().waitFor();
    else await page.locator("body").getByText(`"batchId":${labelled.batchId}`).waitFor();
    await settled(page);
    await check(p.name ?? p.path(), p.inner ?? false);
  }

  // The rule editor, open on Verzendregels.
  await page.goto(open("/app/rules"));
  await page.getByRole("heading", { name: "Verzendregels" }).first().waitFor();
  await settled(page);
  await page.getByRole("button", { name: "Regel toevoegen" }).click();
  await page.getByText("Nieuwe regel").first().waitFor();
  await page.getByLabel("Landen").waitFor();
  // The editor's live preview (a fetcher load after typing settles): its answer shows before the next page.
  await page.getByText(/Deze regel past op/).first().waitFor();
  await settled(page);
  await check("rule editor");

  // The label dialog, open on the order page, with its ship-to as the carrier gets it, then with Adres aanpassen open.
  await page.goto(open(`/app/orders/${unlabelled.orderId}`));
  await page.getByRole("heading", { name: `Bestelling ${unlabelled.number}` }).first().waitFor();
  await settled(page);
  await page.getByRole("button", { name: "Label aanmaken" }).first().click();
  // (Polaris' dialog element itself has no box of its own on a phone: its content is what shows.)
  const dialog = page.getByRole("dialog", { name: "Label aanmaken voor 1 bestelling" });
  await dialog.getByTestId("ship-to-address").waitFor();
  await settled(page);
  await check("label dialog");
  await dialog.getByRole("button", { name: "Adres aanpassen" }).click();
  await dialog.getByLabel("Huisnummer").waitFor();
  await check("label dialog, Adres aanpassen");
  await page.keyboard.press("Escape");
  await dialog.getByTestId("ship-to-address").waitFor({ state: "detached" }).catch(() => {});
  await dialog.waitFor({ state: "detached" });
  // The page's links show again: Remix discovers their routes; let that finish before the next page.
  await settled(page);

  // …and from the list (one order, then the whole selection).
  await page.goto(open("/app"));
  await page.getByRole("heading", { name: "Geïmporteerde bestellingen" }).first().waitFor();
  await settled(page);
  await row(page, unlabelled.number).getByRole("button", { name: "Label aanmaken" }).click();
  await dialog.getByTestId("ship-to-address").waitFor();
  await settled(page);
  await check("label dialog from the list");
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
        await ensureLabelled();
        await page.setViewportSize({ width: 360, height: 740 });
        await checkNarrow(page, (path) => embeddedUrl(path), screenshot, "embedded");
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
        await ensureLabelled();
        await page.setViewportSize({ width: 360, height: 740 });
        await checkNarrow(page, (path) => `${world.url}${path}`, screenshot, "cookie");
      },
    );
  });

  it("the first-run screen (/app/setup) fits, inside Shopify and on Koppel's own pages", async () => {
    for (const embedded of [true, false]) {
      await runJourney(
        world,
        embedded ? "setup-360-embedded" : "setup-360-cookie",
        async (context) => {
          if (embedded) await installAppBridge(context, () => sessionToken(NEW_SHOP));
          else await newShop.signIn(context);
        },
        async ({ page, screenshot }) => {
          await page.setViewportSize({ width: 360, height: 740 });
          await page.goto(embedded ? embeddedUrl("/app/setup", NEW_SHOP) : `${world.url}/app/setup`);
          await page.getByRole("heading", { name: "Koppel instellen" }).first().waitFor();
          await settled(page);
          const width = await pageWidth(page);
          const inner = await innerOverflow(page, "body");
          if (width > 360 || inner) await screenshot(`setup-360-${embedded ? "embedded" : "cookie"}`);
          expect({ width, inner }).toEqual({ width: expect.any(Number), inner: null });
          expect(width).toBeLessThanOrEqual(360);
        },
      );
    }
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
