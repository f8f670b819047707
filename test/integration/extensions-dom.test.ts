// Each admin UI extension as Shopify runs it (the built bundle, in happy-dom, with a stubbed `shopify` global), clicked
// through against Koppel's real routes on PostgreSQL with the fake Shopify and the fake Boekuwzending.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { Session } from "@shopify/shopify-api";
import { env } from "~/env.server";
import { sessionStorage } from "~/shopify.server";
import { removeOrders } from "~/core/orders.server";
import { deleteRule, saveRule } from "~/core/rules/rules.server";
import { shipments } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";
import { dutchOrder, signSessionToken } from "../fakes/shopify";
import { dispatch, renderExtension, type RenderedExtension } from "./support/extension-dom";

const SHOP = "extensions-dom.myshopify.com";

let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;
let open: RenderedExtension[] = [];

const gid = (platformOrderId: string) => `gid://shopify/Order/${platformOrderId}`;

async function paidOrder() {
  const [id] = await world.paidOrders(1);
  const row = await world.orderRow(id!);
  return { id: row.id, gid: gid(row.platformOrderId), number: row.number };
}

async function render(handle: string, target: string, selected: string[], locale: "nl" | "en" = "nl") {
  const r = await renderExtension({ handle, target, shop: SHOP, selected, locale });
  open.push(r);
  return r;
}

/** A label for the order through the extension route (as the order action asks for it), made by the fake carrier. */
async function labelFor(orderGid: string, colli = 1) {
  const service = (await rt.db.query.carrierConnections.findFirst())!.services[0]!.code;
  const response = await dispatch(
    new Request(`${env.SHOPIFY_APP_URL}/api/extensions/labels`, {
      method: "POST",
      headers: { Authorization: `Bearer ${signSessionToken({ shop: SHOP, apiKey: env.SHOPIFY_API_KEY, apiSecret: env.SHOPIFY_API_SECRET })}`, "Content-Type": "application/json" },
      body: JSON.stringify({ orderId: orderGid, service, colli, packageType: "package" }),
    }),
  );
  expect(response.status).toBe(200);
  await world.drain();
}

/** The PDF behind a signed link the extension shows (the admin would open it). */
async function pdfPages(url: string): Promise<number> {
  expect(url.startsWith(`${env.SHOPIFY_APP_URL}/app/shipments/pdf?`)).toBe(true);
  const response = await dispatch(new Request(url));
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  return (await PDFDocument.load(new Uint8Array(await response.arrayBuffer()))).getPageCount();
}

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP);
  // The session the fake Shopify knows, with the app's scopes: authenticate.admin needs no token exchange.
  await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "shpat_label_world", scope: env.SCOPES }));
});

afterEach(() => {
  for (const r of open) {
    expect(r.missingTexts, "texts the locale file lacks").toEqual([]);
    r.unmount();
  }
  open = [];
});

afterAll(async () => {
  await world.close();
  await rt.stop();
});

describe("order action (admin.order-details.action.render)", () => {
  it("Label aanmaken: the app's defaults and the staging warning, progress, then waybill, tracking link and Download label", async () => {
    const order = await paidOrder();
    const ui = await render("order-action", "admin.order-details.action.render", [order.gid]);
    await ui.waitFor(() => ui.find("s-select"), "the form");
    expect(ui.find("s-admin-action")!.getAttribute("heading")).toBe(`Label aanmaken voor ${order.number}`);
    expect(ui.text()).toContain("Testomgeving (staging)");
    // The defaults of the app's dialog: the connection's service and shipment format, one label.
    const conn = await rt.db.query.carrierConnections.findFirst();
    expect(ui.find("s-select")!.getAttribute("value")).toBe(conn!.defaultService ?? conn!.services[0]!.code);
    expect(ui.find("s-number-field")!.getAttribute("value")).toBe("1");
    await ui.change("s-number-field", "2");
    ui.snapshot("order-action-form");
    await ui.click('s-button[slot="primary-action"]', "Label aanmaken");
    await ui.waitFor(() => ui.text().includes("Label wordt aangemaakt"), "the progress");
    const [request] = await world.requestsOf(order.id);
    expect(request).toMatchObject({ state: "queued", colli: 2, packageType: conn!.defaultPackageType });

    await world.drain();
    await ui.waitFor(() => ui.find('s-banner[heading="Label aangemaakt"]'), "the created label");
    const [shipment] = await rt.db.select().from(shipments).where(eq(shipments.orderId, order.id));
    expect(ui.text()).toContain(`Zendingnummer: ${shipment!.trackingNumber}`);
    expect(ui.find("s-link", "Track & trace")!.getAttribute("href")).toBe(shipment!.trackingUrl);
    const download = ui.find("s-button", "Download label")!;
    expect(download.getAttribute("target")).toBe("_blank");
    expect(await pdfPages(download.getAttribute("href")!)).toBe(2);
    expect(ui.toasts).toEqual([{ message: "Label aangemaakt", isError: false }]);
    ui.snapshot("order-action-created");
    // The primary action cannot buy a second label for it.
    expect(ui.find('s-button[slot="primary-action"]')!.hasAttribute("disabled")).toBe(true);
    await ui.click('s-button[slot="secondary-actions"]', "Sluiten");
    expect(ui.closed()).toBe(1);
  });

  it("the shipping rules' choice preselected and named (Gekozen door regel); a rule's no label says so and a label can still be made", async () => {
    /** A shop rule for this test only (the file's other tests keep the carrier's defaults). */
    const withRule = async (rule: Parameters<typeof saveRule>[2], fn: () => Promise<void>) => {
      const saved = await saveRule(rt.db, world.shop.id, rule);
      if (!saved.ok) throw new Error(saved.reason);
      try {
        await fn();
      } finally {
        await deleteRule(rt.db, world.shop.id, saved.rule.id);
      }
    };
    await withRule({ name: "NL → DPD", conditions: { countries: ["NL"] }, action: { kind: "label", service: "dpd-classic", packageType: "package", colli: { mode: "fixed", count: 2 } } }, async () => {
      const order = await paidOrder();
      const ui = await render("order-action", "admin.order-details.action.render", [order.gid]);
      await ui.waitFor(() => ui.find("s-select"), "the form");
      expect(ui.find("s-select")!.getAttribute("value")).toBe("dpd-classic");
      expect(ui.find("s-number-field")!.getAttribute("value")).toBe("2");
      expect(ui.text()).toContain("Gekozen door regel: NL → DPD");
      expect(ui.text()).toMatch(/Prijs bij de vervoerder: € ?\d+,\d{2}/);
      await ui.click('s-button[slot="primary-action"]', "Label aanmaken");
      await ui.waitFor(() => ui.text().includes("Label wordt aangemaakt"), "the progress");
      expect(await world.requestsOf(order.id)).toMatchObject([{ service: "dpd-classic", colli: 2, packageType: "package" }]);
      await world.drain();
    });
    await withRule({ name: "Afhalen", conditions: { countries: ["NL"] }, action: { kind: "skip" } }, async () => {
      const order = await paidOrder();
      const ui = await render("order-action", "admin.order-details.action.render", [order.gid]);
      await ui.waitFor(() => ui.find("s-select"), "the form");
      expect(ui.text()).toContain("Regel Afhalen: geen label maken. Je kunt er toch een maken.");
      const conn = await rt.db.query.carrierConnections.findFirst();
      const service = conn!.defaultService ?? conn!.services[0]!.code;
      expect(ui.find("s-select")!.getAttribute("value")).toBe(service);
      await ui.click('s-button[slot="primary-action"]', "Label aanmaken");
      await ui.waitFor(() => ui.text().includes("Label wordt aangemaakt"), "the progress");
      expect(await world.requestsOf(order.id)).toMatchObject([{ service, colli: 1 }]);
      await world.drain();
    });
  });

  it("a mailbox parcel too heavy for its service: Koppel's sentence with the limit, in Dutch and in English, nothing bought", async () => {
    const saved = await saveRule(rt.db, world.shop.id, { name: "Alles brievenbus", conditions: { countries: ["NL"] }, action: { kind: "label", service: "postnl-mailbox", packageType: "envelop" } });
    if (!saved.ok) throw new Error(saved.reason);
    try {
      for (const [locale, sentence] of [
        ["nl", "Te zwaar voor deze service: 3 kg per doos, de grens is 2 kg."],
        ["en", "Too heavy for this service: 3 kg per box, the limit is 2 kg."],
      ] as const) {
        const [id] = await world.paidOrders(1, { lineItems: [{ sku: "PLD", title: "Plaid", quantity: 1, grams: 3000, price: "59.00" }] });
        const row = await world.orderRow(id!);
        const ui = await render("order-action", "admin.order-details.action.render", [gid(row.platformOrderId)], locale);
        await ui.waitFor(() => ui.find("s-select"), "the form");
        const calls = world.carrier.fake.createCalls();
        await ui.click('s-button[slot="primary-action"]', locale === "nl" ? "Label aanmaken" : "Create label");
        await ui.waitFor(() => ui.find('s-banner[tone="critical"]'), "the refusal");
        expect(ui.find('s-banner[tone="critical"]')!.textContent).toContain(sentence);
        expect(await world.requestsOf(id!)).toEqual([]);
        expect(world.carrier.fake.createCalls()).toBe(calls);
      }
    } finally {
      await deleteRule(rt.db, world.shop.id, saved.rule.id);
    }
  });

  it("an order that is not in Koppel says why, in English when the admin is in English", async () => {
    const ui = await render("order-action", "admin.order-details.action.render", [gid("777000111")], "en");
    await ui.waitFor(() => ui.text().includes("This order is not in Koppel."), "the refusal");
    expect(ui.text()).toContain("Koppel imports paid, open orders only");
    expect(ui.find('s-button[slot="primary-action"]')!.hasAttribute("disabled")).toBe(true);
  });

  it("an order paid a moment ago that is not in Koppel yet: Nu ophalen uit Shopify imports it, then the form", async () => {
    const fresh = world.shopify.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const ui = await render("order-action", "admin.order-details.action.render", [gid(String(fresh.id))]);
    await ui.click("s-button", "Nu ophalen uit Shopify");
    await ui.waitFor(() => ui.find("s-select"), "the form");
    expect(ui.find("s-admin-action")!.getAttribute("heading")).toBe(`Label aanmaken voor ${fresh.name}`);
    expect(ui.text()).not.toContain("staat niet in Koppel");
    expect(ui.toasts.map((t) => t.message)).toEqual(["Bestelling opgehaald"]);
  });

  it("a removed order offers Terugzetten, and after it the form", async () => {
    const order = await paidOrder();
    await removeOrders(rt.db, world.shop.id, [order.id]);
    const ui = await render("order-action", "admin.order-details.action.render", [order.gid]);
    await ui.click("s-button", "Terugzetten");
    await ui.waitFor(() => ui.find("s-select") && !ui.text().includes("Verwijderd uit Koppel"), "the form after restoring");
    expect((await world.orderRow(order.id)).removedAt).toBeNull();
    expect(ui.toasts.map((t) => t.message)).toEqual(["Bestelling teruggezet"]);
  });

  it("a carrier refusal shows Koppel's sentence with the carrier's text, and the form stays for another try", async () => {
    const order = await paidOrder();
    const ui = await render("order-action", "admin.order-details.action.render", [order.gid]);
    await ui.waitFor(() => ui.find("s-select"), "the form");
    await ui.click('s-button[slot="primary-action"]', "Label aanmaken");
    await ui.waitFor(() => ui.text().includes("Label wordt aangemaakt"), "the progress");
    // The carrier refuses it (its validation answer, 422).
    world.carrier.fake.failWhen((req) => req.method === "POST" && req.path === "/shipments", {
      status: 422,
      body: { title: "An error occurred", detail: "shipTo.address.postcode: This value is not valid.", violations: [{ propertyPath: "shipTo.address.postcode", message: "This value is not valid." }] },
    } as never);
    try {
      await world.drain();
    } finally {
      world.carrier.fake.clearFailures();
    }
    expect((await world.requestsOf(order.id))[0]).toMatchObject({ state: "rejected" });
    await ui.waitFor(() => ui.text().includes("shipTo.address.postcode: This value is not valid."), "the carrier's text");
    expect(ui.text()).toContain("Mislukt");
    expect(ui.find('s-button[slot="primary-action"]')!.hasAttribute("disabled")).toBe(false);
  });
});

describe("order block (admin.order-details.block.render)", () => {
  it("to ship, then shipped with waybill and tracking link; a failed write-back with its reason and Retry", async () => {
    const order = await paidOrder();
    const toShip = await render("order-block", "admin.order-details.block.render", [order.gid], "en");
    await toShip.waitFor(() => toShip.text().includes("To ship"), "to ship");
    await toShip.click("s-button", "Create label");
    expect(toShip.navigations).toEqual(["extension://order-action"]);

    await labelFor(order.gid);
    const shipped = await render("order-block", "admin.order-details.block.render", [order.gid], "en");
    await shipped.waitFor(() => shipped.text().includes("Shipped"), "shipped");
    const [shipment] = await rt.db.select().from(shipments).where(eq(shipments.orderId, order.id));
    expect(shipped.text()).toContain(`Waybill: ${shipment!.trackingNumber}`);
    expect(shipped.find("s-link", "Track & trace")!.getAttribute("href")).toBe(shipment!.trackingUrl);
    shipped.snapshot("order-block-shipped");

    await rt.db.update(shipments).set({ writebackState: "failed", writebackError: "[shop.refused] Fulfillment order is closed" }).where(eq(shipments.id, shipment!.id));
    const failed = await render("order-block", "admin.order-details.block.render", [order.gid], "en");
    await failed.waitFor(() => failed.text().includes("Reporting to Shopify failed"), "the failed write-back");
    // Koppel's sentence, the shop's own text beneath.
    expect(failed.text()).toContain("Refused by the shop");
    expect(failed.find('s-text[color="subdued"]', "Fulfillment order is closed")).not.toBeNull();
    failed.snapshot("order-block-writeback-failed");
    await failed.click("s-button", "Retry");
    await failed.waitFor(() => failed.toasts.length > 0, "the toast");
    expect(failed.toasts).toEqual([{ message: "Reporting to Shopify again", isError: false }]);
    const [after] = await rt.db.select().from(shipments).where(eq(shipments.id, shipment!.id));
    expect(after!.writebackState).toBe("pending");
    await world.drain();
  });

  it("an order that is not in Koppel", async () => {
    const ui = await render("order-block", "admin.order-details.block.render", [gid("777000222")]);
    await ui.waitFor(() => ui.text().includes("Niet in Koppel"), "not in Koppel");
  });
});

describe("print actions", () => {
  it("a selection in the order list: one PDF of the labels, the orders without one listed; A4 from position 3 is kept", async () => {
    const labelled = await paidOrder();
    const unlabelled = await paidOrder();
    await labelFor(labelled.gid, 2);

    const ui = await render("order-print", "admin.order-index.selection-print-action.render", [labelled.gid, unlabelled.gid, gid("777000333")]);
    const printAction = await ui.waitFor(() => ui.find("s-admin-print-action[src]"), "the PDF link");
    expect(await pdfPages(printAction.getAttribute("src")!)).toBe(2);
    expect(ui.text()).toContain(`Labels van: ${labelled.number}`);
    expect(ui.text()).toContain(`${unlabelled.number}: nog geen label`);
    expect(ui.text()).toContain("Bestelling 777000333: niet in Koppel");
    ui.snapshot("order-print-selection");

    await ui.change("s-select", "A4", "Formaat");
    await ui.waitFor(() => ui.find('s-select[label="Begin op positie"]'), "the start position");
    await ui.change("s-select", "3", "Begin op positie");
    const a4 = await ui.waitFor(() => {
      const src = ui.find("s-admin-print-action")!.getAttribute("src");
      return src && new URL(src).searchParams.get("start") === "3" ? src : null;
    }, "the A4 link");
    expect(new URL(a4).searchParams.get("format")).toBe("A4");
    expect(await pdfPages(a4)).toBe(1);

    // One order's page uses the same module and the shop's kept choice.
    const single = await render("order-print", "admin.order-details.print-action.render", [labelled.gid], "en");
    const src = await single.waitFor(() => single.find("s-admin-print-action[src]")?.getAttribute("src"), "the PDF link");
    expect(new URL(src).searchParams.get("format")).toBe("A4");
    expect(single.find("s-select")!.getAttribute("value")).toBe("A4");
  });

  it("nothing to print: says so, no PDF", async () => {
    const order = await paidOrder();
    const ui = await render("order-print", "admin.order-details.print-action.render", [order.gid], "en");
    await ui.waitFor(() => ui.text().includes("no label yet"), "the list");
    expect(ui.find("s-banner")!.getAttribute("heading")).toBe("No labels to print");
    expect(ui.find("s-admin-print-action")!.hasAttribute("src")).toBe(false);
  });
});
