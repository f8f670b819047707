// Mijnwebwinkel's status settings in Instellingen (issue 16 items 3–4): the store's statuses shown by name with the
// name-based defaults until the merchant chooses; the chosen to-ship statuses change what the poll imports; the chosen
// shipped status is the one the write-back PATCHes; "Alleen betaalde bestellingen" off imports an unpaid order without
// asking its payments. Through the settings page's loader and action, the registry's adapter, the fake Connect API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { orders } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import { connectShop } from "~/core/connect-shop";
import { syncShop } from "~/core/sync.server";
import { shopAccess } from "~/core/shop-access";
import { getShop } from "~/core/shops.server";
import { createMerchantCookieSession } from "~/merchant.server";
import { configureMijnwebwinkelApi, mijnwebwinkelAdapter } from "~/platforms/registry.server";
import { loadMwwSettings } from "~/platforms/mijnwebwinkel/settings.server";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { startFakeMijnwebwinkel, STATUS, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { runtime } from "./helpers";

const DOMAIN = "instellingen.myonline.store";
const TOKEN = "tok-instellingen";
let rt: Runtime;
let mww: RunningFakeMijnwebwinkel;
let shopId: number;

const poll = () => syncShop({ db: rt.db, platform: mijnwebwinkelAdapter(), clock: rt.clock, encryptionKey: rt.encryptionKey }, shopId);
const toShip = async () =>
  (await rt.db.select().from(orders).where(eq(orders.shopId, shopId)))
    .filter((r) => r.status === "to_ship")
    .map((r) => r.number)
    .sort();
const cookie = async () => (await createMerchantCookieSession(shopId, { locale: "nl" })).split(";")[0]!;
const load = async () => settingsLoader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: await cookie() } }), params: {}, context: {} });
async function save(fields: { toShip: number[]; shipped: number | ""; onlyPaid: boolean }) {
  const body = new URLSearchParams({ intent: "mijnwebwinkel-statuses", shippedStatus: String(fields.shipped), onlyPaid: fields.onlyPaid ? "true" : "false" });
  for (const id of fields.toShip) body.append("toShipStatuses", String(id));
  const request = new Request("http://localhost/app/settings", {
    method: "POST",
    headers: { Cookie: await cookie(), "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  return settingsAction({ request, params: {}, context: {} });
}

beforeAll(async () => {
  rt = await runtime();
  mww = await startFakeMijnwebwinkel({ stores: [{ token: TOKEN, name: "Instellingen" }], seed: "demo" });
  configureMijnwebwinkelApi({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken });
  const shop = await connectShop(rt, { platform: "mijnwebwinkel", domain: DOMAIN, credentials: { shopUrl: DOMAIN, apiToken: TOKEN } });
  if (!shop.ok) throw new Error(shop.reason);
  shopId = shop.value.id;
});
afterAll(async () => {
  configureMijnwebwinkelApi(null);
  await mww?.close();
  await rt?.stop();
});

describe("Mijnwebwinkel status settings", () => {
  it("Instellingen shows the store's statuses by name, the name-based defaults chosen, only paid on, and says Mijnwebwinkel e-mails no one", async () => {
    const data = await load();
    expect(data.mijnwebwinkel).toMatchObject({
      error: null,
      defaults: true,
      toShipStatuses: [STATUS.NIEUW, STATUS.IN_BEHANDELING],
      shippedStatus: STATUS.VERZONDEN,
      onlyPaid: true,
    });
    expect(data.mijnwebwinkel!.statuses!.map((s) => s.name)).toEqual(["Nieuw", "In behandeling", "Wacht op betaling", "Verzonden", "Afgehandeld", "Geannuleerd"]);
    expect(data.mailRecommended).toBe(true);
    // Mijnwebwinkel's test orders are never imported: "Testbestellingen importeren" is not offered.
    expect(data.testOrdersOption).toBe(false);
  });

  it("the default poll imports the open, paid orders in Nieuw and In behandeling", async () => {
    await poll();
    expect(await toShip()).toEqual(["1004", "1007", "1008", "1009", "1010", "1011", "1014", "1015"]);
  });

  it("refuses a choice with nothing to ship, or a shipped status that is also to ship; nothing is saved", async () => {
    expect(await save({ toShip: [], shipped: STATUS.VERZONDEN, onlyPaid: true })).toMatchObject({ saved: false, errors: { toShipStatuses: "Kies minstens één status om te verzenden." } });
    expect(await save({ toShip: [STATUS.NIEUW], shipped: STATUS.NIEUW, onlyPaid: true })).toMatchObject({ saved: false, errors: { shippedStatus: expect.stringMatching(/niet ook/) } });
    expect(await save({ toShip: [999], shipped: STATUS.VERZONDEN, onlyPaid: true })).toMatchObject({ saved: false, errors: { toShipStatuses: expect.any(String) } });
    expect(await loadMwwSettings(rt.db, shopId)).toEqual({ toShipStatuses: null, shippedStatus: null, onlyPaid: true });
  });

  it("Wacht op betaling to ship and only paid off: the unpaid order 1005 is imported, without a payments call", async () => {
    expect(await save({ toShip: [STATUS.NIEUW, STATUS.IN_BEHANDELING, STATUS.WACHT_OP_BETALING], shipped: STATUS.VERZONDEN, onlyPaid: false })).toMatchObject({ saved: true });
    const paymentsBefore = mww.fake.callCount("GET /v1/orders/{number}/payments");
    await poll();
    expect(await toShip()).toEqual(["1004", "1005", "1007", "1008", "1009", "1010", "1011", "1014", "1015"]);
    expect(mww.fake.callCount("GET /v1/orders/{number}/payments")).toBe(paymentsBefore);
  });

  it("only In behandeling to ship: the next poll keeps those two and the others leave the list (1005 too)", async () => {
    expect(await save({ toShip: [STATUS.IN_BEHANDELING], shipped: STATUS.AFGEHANDELD, onlyPaid: true })).toEqual({ intent: "mijnwebwinkel-statuses", saved: true });
    await poll();
    expect(await toShip()).toEqual(["1004", "1008"]);
    const lists = mww.fake.requests.filter((r) => r.endpoint === "GET /v1/orders").slice(-1);
    expect(lists[0]!.path).toMatch(new RegExp(`status_id=${STATUS.IN_BEHANDELING}\\b`));
    expect((await load()).mijnwebwinkel).toMatchObject({ defaults: false, toShipStatuses: [STATUS.IN_BEHANDELING], shippedStatus: STATUS.AFGEHANDELD, onlyPaid: true });
  });

  it("the write-back PATCHes the chosen shipped status (Afgehandeld), with the track & trace appended", async () => {
    const shop = (await getShop(rt.db, shopId))!;
    const tracking = { distributor: "PostNL" as const, carrierName: "Boekuwzending", number: "3SKOPP000777", url: "https://mijn.boekuwzending.com/track-en-trace/3SKOPP000777/9711LV" };
    const r = await mijnwebwinkelAdapter().markShipped(shopAccess(shop, rt.encryptionKey), "1007", tracking, { notifyCustomer: false });
    expect(r).toMatchObject({ ok: true, value: { alreadyShipped: false } });
    const patches = mww.fake.patches.filter((p) => p.number === "1007");
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toMatchObject({ status: STATUS.AFGEHANDELD, comments: { internal: expect.stringContaining("3SKOPP000777") } });
    expect(mww.fake.order(1007, TOKEN)).toMatchObject({ status: STATUS.AFGEHANDELD });
  });
});
