// The label dialog sets each parcel's size per group (issue 13 item 4: "a rule or the dialog can set dimensions"),
// through the app's own routes against real PostgreSQL and the fake Boekuwzending: the dialog's plan asks the carrier's
// price for that size (rate request), "Label aanmaken" by rules with the override sends it in the shipment request,
// an empty size keeps the rule's, and a size that is not one is refused with its own reason before anything is queued.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Runtime } from "~/runtime.server";
import { labelDeps } from "~/runtime.server";
import { labelRequests, shippingRules } from "~/db/schema";
import { createMerchantCookieSession } from "~/merchant.server";
import { saveRule } from "~/core/rules/rules.server";
import { clearRateCache } from "~/core/rules/rates.server";
import { requestLabels } from "~/core/labels/request-labels.server";
import { loader as planLoader, type LabelPlanResult } from "~/routes/app.label-plan";
import { action as ordersAction } from "~/routes/app._index";
import { action as orderAction } from "~/routes/app.orders.$orderId._index";
import { t } from "~/i18n";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";

const SHOP = "dialog-dimensions.myshopify.com";
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;
let cookie: string;

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP);
  cookie = (await createMerchantCookieSession(world.shop.id, { locale: "nl" })).split(";")[0]!;
  await rt.db.delete(shippingRules).where(eq(shippingRules.shopId, world.shop.id));
  // Belgium by rule with its own box; the rest by the connection's default (postnl-standard), no size.
  const saved = await saveRule(rt.db, world.shop.id, { name: "België", conditions: { countries: ["BE"] }, action: { kind: "label", service: "dpd-classic", dimensions: { lengthCm: 40, widthCm: 30, heightCm: 20 } } });
  if (!saved.ok) throw new Error(saved.detail);
});

afterAll(async () => {
  await world?.close();
  await rt.stop();
});

const line = (grams: number) => [{ sku: "DOOS", title: "Artikel", quantity: 1, grams, price: "10.00" }];
const BIG = { lengthCm: 60, widthCm: 40, heightCm: 35 };
const overridesOf = (o: unknown) => JSON.stringify(o);
const keep = { service: null, packageType: null, colli: null };

const plan = async (ids: number[], overrides: unknown) => {
  const q = new URLSearchParams();
  for (const id of ids) q.append("ids", String(id));
  q.set("overrides", typeof overrides === "string" ? overrides : overridesOf(overrides));
  return planLoader({ request: new Request(`http://localhost/app/label-plan?${q}`, { headers: { Cookie: cookie } }), params: {}, context: {} }) as Promise<LabelPlanResult>;
};

const createByRules = (ids: number[], overrides: unknown) => {
  const form = new FormData();
  form.set("intent", "create-labels");
  form.set("mode", "rules");
  for (const id of ids) form.append("ids", String(id));
  form.set("overrides", overridesOf(overrides));
  return ordersAction({ request: new Request("http://localhost/app?index", { method: "POST", headers: { Cookie: cookie }, body: form }), params: {}, context: {} });
};

/** The rate-request bodies the fake carrier receives while `run` runs (a matcher that only looks, fails nothing). */
async function rateBodiesDuring(run: () => Promise<unknown>) {
  const bodies: { items: { dimensions?: unknown; weight?: number }[]; shipTo: { address: { country: string } } }[] = [];
  world.carrier.fake.failWhen((req) => {
    if (req.method === "POST" && req.path === "/rate-request") bodies.push(JSON.parse(req.body));
    return false;
  }, { status: 500 });
  try {
    await run();
  } finally {
    world.carrier.fake.clearFailures();
  }
  return bodies;
}

describe("the dialog's parcel size per group", () => {
  it("reaches the rate request and the shipment request at the carrier; empty keeps the rule's size", async () => {
    clearRateCache();
    const nl = await world.paidOrders(2, { lineItems: line(3000) });
    const [be] = await world.paidOrders(1, { country: "BE", lineItems: line(3000) });
    const ids = [...nl, be!];

    // As the rules say first: the NL group without size, Belgium with its rule's box.
    const before = await rateBodiesDuring(() => plan(ids, {}));
    const nlBefore = before.filter((b) => b.shipTo.address.country === "NL");
    expect(nlBefore.length).toBeGreaterThanOrEqual(1);
    expect(nlBefore.every((b) => b.items[0]!.dimensions === undefined)).toBe(true);
    expect(before.find((b) => b.shipTo.address.country === "BE")?.items[0]!.dimensions).toEqual({ length: 40, width: 30, height: 20 });

    // The dialog gives the NL group 60 × 40 × 35 cm and leaves Belgium's size empty (as the rule says).
    const overrides = { "postnl-standard": { ...keep, dimensions: BIG }, "dpd-classic": { ...keep, colli: 1, dimensions: null } };
    let shown: LabelPlanResult | undefined;
    const asked = await rateBodiesDuring(async () => (shown = await plan(ids, overrides)));
    if (!shown?.ok) throw new Error(`no plan: ${JSON.stringify(shown)}`);
    expect(shown.orders.map((o) => [o.orderId, o.service, o.dimensions, o.ruleDimensions])).toEqual([
      [nl[0], "postnl-standard", BIG, null],
      [nl[1], "postnl-standard", BIG, null],
      [be, "dpd-classic", { lengthCm: 40, widthCm: 30, heightCm: 20 }, { lengthCm: 40, widthCm: 30, heightCm: 20 }],
    ]);
    // A new size is a new price question (not the cached answer for the parcel without size).
    const nlAsked = asked.filter((b) => b.shipTo.address.country === "NL");
    expect(nlAsked.length).toBeGreaterThanOrEqual(1);
    for (const b of nlAsked) expect(b.items).toEqual([expect.objectContaining({ quantity: 1, weight: 3, dimensions: { length: 60, width: 40, height: 35 } })]);
    expect(shown.orders.every((o) => o.price?.ok)).toBe(true);

    // "Label aanmaken" for the selection with the same overrides, as the order list posts it.
    const r = await createByRules(ids, overrides);
    expect(r).toMatchObject({ intent: "create-labels", ok: true, queued: 3, refused: [], skipped: [] });
    await world.drain();
    const sizeAtCarrier = async (orderId: number) => {
      const number = (await world.orderRow(orderId)).number;
      const sent = world.carrier.fake.shipments().filter((s) => s.request.invoiceReference === number);
      expect(sent, number).toHaveLength(1);
      return (sent[0]!.request as { items: { dimensions?: unknown }[] }).items.map((i) => i.dimensions);
    };
    expect(await sizeAtCarrier(nl[0]!)).toEqual([{ length: 60, width: 40, height: 35 }]);
    expect(await sizeAtCarrier(nl[1]!)).toEqual([{ length: 60, width: 40, height: 35 }]);
    expect(await sizeAtCarrier(be!)).toEqual([{ length: 40, width: 30, height: 20 }]);
    expect((await world.requestsOf(nl[0]!))[0]!.dimensions).toEqual(BIG);
  });

  it("a size that is not one is refused with its own reason (nl, en) before anything is queued or the carrier is asked", async () => {
    const [id] = await world.paidOrders(1, { lineItems: line(1000) });
    const calls = world.carrier.fake.requestCount();
    const bad = [
      { lengthCm: 0, widthCm: 40, heightCm: 35 },
      { lengthCm: 1001, widthCm: 40, heightCm: 35 },
      { lengthCm: 60.5, widthCm: 40, heightCm: 35 },
      { lengthCm: 60, widthCm: 40 },
      { lengthCm: "60", widthCm: "40", heightCm: "35" },
    ];
    for (const dimensions of bad) {
      const overrides = { "postnl-standard": { ...keep, dimensions } };
      expect(await createByRules([id!], overrides), JSON.stringify(dimensions)).toEqual({ intent: "create-labels", ok: false, reason: "bad_dimensions" });
      expect(await plan([id!], overrides)).toEqual({ ok: false, reason: "bad_dimensions" });
    }
    // The order page's "Label aanmaken" (one order) says the same.
    const form = new FormData();
    form.set("intent", "create-label");
    form.set("mode", "rules");
    form.set("overrides", overridesOf({ "postnl-standard": { ...keep, dimensions: bad[0] } }));
    const page = await orderAction({ request: new Request(`http://localhost/app/orders/${id}`, { method: "POST", headers: { Cookie: cookie }, body: form }), params: { orderId: String(id) }, context: {} });
    expect(page).toEqual({ intent: "create-label", ok: false, reason: "bad_dimensions" });
    // The core refuses it too, for a caller past the routes.
    expect(await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [id!], overrides: { "postnl-standard": { ...keep, dimensions: { lengthCm: 0, widthCm: 1, heightCm: 1 } } }, source: "merchant" })).toEqual({
      ok: false,
      reason: "bad_dimensions",
      detail: "postnl-standard",
    });
    expect(await rt.db.select().from(labelRequests).where(eq(labelRequests.orderId, id!))).toEqual([]);
    expect(world.carrier.fake.requestCount()).toBe(calls);
    // The reason the merchant reads (labels.error.<reason>, as the order list and the order page show it).
    expect(t("nl", "labels.error.bad_dimensions")).toBe("Ongeldige afmetingen: vul lengte, breedte en hoogte in als hele centimeters (1 tot 1000), of laat alle drie leeg.");
    expect(t("en", "labels.error.bad_dimensions")).toBe("Invalid size: enter length, width and height in whole centimetres (1 to 1000), or leave all three empty.");
  });
});
