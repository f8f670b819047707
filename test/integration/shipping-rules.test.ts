// Shipping rules applied (issue 13): a bulk of 60 mixed orders by rules through the real pg-boss workers and the fake
// Boekuwzending — each shipment at the carrier has the service and colli its rule chose, the order's weight divided
// over the colli; a mailbox parcel too heavy for its service is refused before any carrier call; the dialog's price is
// the fake carrier's rate, cached, and a failing rate request still lets the label through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getRuntime, labelDeps, type Runtime } from "../../app/runtime.server";
import { CARRIER_ACCOUNT, startLabelWorld } from "./support/label-world";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { saveRule, listRules, moveRule, setRuleEnabled, deleteRule } from "../../app/core/rules/rules.server";
import { labelDialogPlan } from "../../app/core/rules/dialog-plan.server";
import { clearRateCache } from "../../app/core/rules/rates.server";
import { shipments, shippingRules } from "../../app/db/schema";
import { installShop } from "../../app/core/shops.server";
import { DEFAULT_SERVICES } from "../fakes/carrier/fake";
import type { RuleDraft } from "../../app/core/rules/rule";

const SHOP = "rules-test.myshopify.com";
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;

beforeAll(async () => {
  // The real workers: create-label and write-back jobs run as in production.
  rt = await getRuntime({ workers: true });
  world = await startLabelWorld(rt, SHOP);
});
afterAll(async () => {
  await world.close();
  await rt.stop();
});

const line = (grams: number, sku = "KOF-ESP") => [{ sku, title: "Artikel", quantity: 1, grams, price: "10.00" }];

async function saveRules(shopId: number, rules: RuleDraft[]) {
  await rt.db.delete(shippingRules).where(eq(shippingRules.shopId, shopId));
  for (const r of rules) {
    const saved = await saveRule(rt.db, shopId, r);
    if (!saved.ok) throw new Error(`rule not saved: ${saved.detail}`);
  }
}

const RULES: RuleDraft[] = [
  { name: "Afhalen", conditions: { shippingMethodContains: "afhalen" }, action: { kind: "skip" } },
  { name: "Express", conditions: { tags: ["express"] }, action: { kind: "label", service: "dhl-parcel" } },
  { name: "NL licht", conditions: { countries: ["NL"], weightMaxGrams: 2000 }, action: { kind: "label", service: "postnl-mailbox", packageType: "envelop" } },
  { name: "Zwaar", conditions: { weightMinGrams: 10_001 }, action: { kind: "label", colli: { mode: "perKg", kg: 10 } } },
  { name: "België", conditions: { countries: ["BE"] }, action: { kind: "label", service: "dpd-classic", dimensions: { lengthCm: 40, widthCm: 30, heightCm: 20 } } },
];

async function waitFor<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  // Generous: the workers poll; this asserts the outcome, never how fast it came.
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("bulk by rules", () => {
  it("60 mixed orders: each shipment at the carrier has its rule's service and colli", async () => {
    await saveRules(world.shop.id, RULES);
    const kinds = [
      { n: 20, order: { lineItems: line(300) }, service: "postnl-mailbox", colli: 1, type: "envelop", grams: 300 },
      { n: 10, order: { lineItems: line(12_000) }, service: "postnl-standard", colli: 2, type: "package", grams: 12_000 },
      { n: 8, order: { country: "BE" as const, lineItems: line(3000) }, service: "dpd-classic", colli: 1, type: "package", grams: 3000 },
      { n: 6, order: { tags: ["Express", "VIP"], lineItems: line(300) }, service: "dhl-parcel", colli: 1, type: "package", grams: 300 },
      { n: 4, order: { shippingMethod: "Afhalen in de winkel", lineItems: line(300) }, service: null, colli: 0, type: "", grams: 300 },
      { n: 12, order: { lineItems: line(5000) }, service: "postnl-standard", colli: 1, type: "package", grams: 5000 },
    ];
    const expected = new Map<number, (typeof kinds)[number]>();
    for (const k of kinds) for (const id of await world.paidOrders(k.n, k.order)) expected.set(id, k);
    // Mixed, not grouped: the request takes them in list order.
    const ids = [...expected.keys()].sort((a, b) => (a * 7919) % 61 - (b * 7919) % 61);
    expect(ids).toHaveLength(60);

    const plan = await labelDialogPlan(labelDeps(rt), world.shop.id, ids, { prices: false });
    if (!plan.ok) throw new Error("no plan");
    expect(Object.fromEntries(plan.groups.map((g) => [g.group, g.count]))).toEqual({ "postnl-standard": 22, "postnl-mailbox": 20, "dpd-classic": 8, "dhl-parcel": 6, skip: 4 });
    expect(plan.orders.find((o) => expected.get(o.orderId)!.grams === 12_000)).toMatchObject({ rule: "Zwaar", colli: 2 });

    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: ids, source: "merchant" });
    if (!r.ok) throw new Error(r.reason);
    expect(r.queued).toHaveLength(56);
    expect(r.skipped.map((s) => s.rule)).toEqual(["Afhalen", "Afhalen", "Afhalen", "Afhalen"]);
    expect(r.refused).toEqual([]);

    const made = await waitFor("56 shipments", async () => {
      const rows = await rt.db.select().from(shipments).where(eq(shipments.shopId, world.shop.id));
      return rows.length >= 56 ? rows : null;
    });
    expect(made).toHaveLength(56);
    for (const [orderId, k] of expected) {
      const number = (await world.orderRow(orderId)).number;
      const atCarrier = world.carrier.fake.shipments().filter((s) => s.request.invoiceReference === number);
      if (!k.service) {
        expect(atCarrier, number).toHaveLength(0);
        continue;
      }
      expect(atCarrier, number).toHaveLength(1);
      const sent = atCarrier[0]!.request as { service: string; items: { quantity: number; type: string; weight?: number }[] };
      expect(sent.service, number).toBe(k.service);
      const dimensions = k.service === "dpd-classic" ? { dimensions: { length: 40, width: 30, height: 20 } } : {};
      expect(sent.items, number).toEqual([{ quantity: k.colli, type: k.type, weight: k.grams / k.colli / 1000, description: "Artikel", ...dimensions }]);
    }
  }, 180_000);
});

describe("too heavy for a mailbox parcel", () => {
  it("is refused before any carrier call, by rule and by the dialog's one choice", async () => {
    await saveRules(world.shop.id, [{ name: "Alles brievenbus", conditions: { countries: ["NL"] }, action: { kind: "label", service: "postnl-mailbox", packageType: "envelop" } }]);
    const [heavy] = await world.paidOrders(1, { lineItems: line(3000) });
    const before = world.carrier.fake.requestCount();
    const byRule = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [heavy!], source: "merchant" });
    expect(byRule).toMatchObject({ ok: true, queued: [], refused: [{ orderId: heavy, refusal: { code: "too_heavy", service: "postnl-mailbox", limitGrams: 2000, parcelGrams: 3000 } }] });
    const chosen = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [heavy!], options: { service: "postnl-mailbox", colli: 1, packageType: "envelop" }, source: "cli" });
    expect(chosen).toMatchObject({ ok: true, queued: [], refused: [{ orderId: heavy }] });
    expect(world.carrier.fake.requestCount()).toBe(before);
    // Divided over two parcels it fits (1.5 kg each), and a group override can say so.
    const split = await requestLabels(labelDeps(rt), world.shop.id, {
      orderIds: [heavy!],
      overrides: { "postnl-mailbox": { service: "postnl-mailbox", packageType: "envelop", colli: 2 } },
      source: "merchant",
    });
    expect(split).toMatchObject({ ok: true, queued: [{ orderId: heavy }], refused: [] });
  });
});

describe("price before the click", () => {
  it("shows the fake carrier's rate per order and the total, asks once per destination+weight+service, and survives a failing rate request", async () => {
    await saveRules(world.shop.id, []);
    clearRateCache();
    const ids = await world.paidOrders(2, { lineItems: line(5000) });
    const log = () => world.carrier.fake.requestLog().filter((l) => l.path === "/rate-request").length;
    const before = log();
    const plan = await labelDialogPlan(labelDeps(rt), world.shop.id, ids);
    if (!plan.ok) throw new Error("no plan");
    // The fake's rate for postnl-standard at 5 kg: base price + € 0,50 per kg above 2 kg.
    const base = DEFAULT_SERVICES.find((s) => s.code === "postnl-standard")!.basePrice;
    const expected = Math.round((base + (5 - 2) * 0.5) * 100) / 100;
    expect(plan.orders.map((o) => o.price)).toEqual([
      { ok: true, price: expected, tax: expect.any(Number), currency: "EUR" },
      { ok: true, price: expected, tax: expect.any(Number), currency: "EUR" },
    ]);
    expect(plan.total).toBe(Math.round(expected * 2 * 100) / 100);
    const asked = log() - before;
    expect(asked).toBeGreaterThanOrEqual(1);
    await labelDialogPlan(labelDeps(rt), world.shop.id, ids);
    expect(log() - before).toBe(asked);

    clearRateCache();
    world.carrier.fake.failWhen((req) => req.path === "/rate-request", { status: 503 });
    try {
      const failing = await labelDialogPlan(labelDeps(rt), world.shop.id, ids);
      if (!failing.ok) throw new Error("no plan");
      expect(failing.orders.every((o) => o.price && !o.price.ok)).toBe(true);
      expect(failing.priceErrors).toBe(2);
      const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: ids, source: "merchant" });
      expect(r).toMatchObject({ ok: true, queued: [{ orderId: ids[0] }, { orderId: ids[1] }] });
    } finally {
      world.carrier.fake.clearFailures();
    }
  });
});

describe("the price shown is the price of the label bought", () => {
  it("an order without weight: the dialog's price equals the fake carrier's rate for the shipment it was sent", async () => {
    await saveRules(world.shop.id, []);
    clearRateCache();
    const { updateShopSettings } = await import("../../app/core/shops.server");
    // No weight from the platform: rules and price reason with 2 items × 1,5 kg = 3 kg.
    await updateShopSettings(rt.db, world.shop.id, { defaultItemWeightGrams: 1500 });
    try {
      const [id] = await world.paidOrders(1, { lineItems: [{ sku: "ZONDER", title: "Zonder gewicht", quantity: 2, grams: 0, price: "10.00" }] });
      const row = await world.orderRow(id!);
      expect(row.weightGrams).toBe(0);
      const plan = await labelDialogPlan(labelDeps(rt), world.shop.id, [id!]);
      if (!plan.ok) throw new Error("no plan");
      const shown = plan.orders[0]!;
      expect(shown).toMatchObject({ weightGrams: 3000, service: "postnl-standard" });
      if (!shown.price?.ok) throw new Error(`no price: ${JSON.stringify(shown.price)}`);

      const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [id!], source: "merchant" });
      expect(r).toMatchObject({ ok: true, queued: [{ orderId: id }] });
      const sent = await waitFor("the shipment", async () => world.carrier.fake.shipments().find((s) => s.request.invoiceReference === row.number) ?? null);
      // Ask the fake carrier what the shipment exactly as it was sent costs.
      const fake = world.carrier.fake;
      const token = await fake.handle({
        method: "POST",
        path: "/token",
        query: new URLSearchParams(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: CARRIER_ACCOUNT.clientId, client_secret: CARRIER_ACCOUNT.clientSecret }).toString(),
      });
      if (token.kind !== "respond") throw new Error("no token");
      const { access_token } = JSON.parse(String(token.response.body)) as { access_token: string };
      const rated = await fake.handle({ method: "POST", path: "/rate-request", query: new URLSearchParams(), headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" }, body: JSON.stringify(sent.request) });
      if (rated.kind !== "respond") throw new Error("no rate");
      const rates = JSON.parse(String(rated.response.body)) as { service: { code: string }; price: number }[];
      expect(shown.price.price).toBe(rates.find((x) => x.service.code === "postnl-standard")!.price);
      // 3 kg in one parcel, as the rules reasoned.
      expect((sent.request as { items: { weight?: number }[] }).items[0]!.weight).toBe(3);
    } finally {
      await updateShopSettings(rt.db, world.shop.id, { defaultItemWeightGrams: 0 });
    }
  }, 120_000);
});

describe("rules storage", () => {
  it("keeps order, moves with arrows, toggles, deletes; another shop's rule ids are not found", async () => {
    await saveRules(world.shop.id, [
      { name: "A", action: { kind: "skip" } },
      { name: "B", action: { kind: "skip" } },
      { name: "C", action: { kind: "skip" } },
    ]);
    const [a, b, c] = await listRules(rt.db, world.shop.id);
    expect(await moveRule(rt.db, world.shop.id, c!.id, -1)).toBe(true);
    expect((await listRules(rt.db, world.shop.id)).map((r) => r.name)).toEqual(["A", "C", "B"]);
    expect(await moveRule(rt.db, world.shop.id, a!.id, -1)).toBe(true);
    expect((await listRules(rt.db, world.shop.id)).map((r) => r.name)).toEqual(["A", "C", "B"]);
    expect(await setRuleEnabled(rt.db, world.shop.id, b!.id, false)).toBe(true);
    expect((await listRules(rt.db, world.shop.id)).find((r) => r.id === b!.id)!.enabled).toBe(false);
    const other = await installShop(rt.db, "shopify", "rules-other.myshopify.com");
    expect(await deleteRule(rt.db, other.id, a!.id)).toBe(false);
    expect(await setRuleEnabled(rt.db, other.id, a!.id, false)).toBe(false);
    expect(await moveRule(rt.db, other.id, a!.id, 1)).toBe(false);
    expect(await saveRule(rt.db, other.id, { name: "x", action: { kind: "skip" } }, a!.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await saveRule(rt.db, world.shop.id, { name: "bad", conditions: { countries: ["Holland"] }, action: { kind: "skip" } })).toMatchObject({ ok: false, reason: "invalid" });
    expect(await deleteRule(rt.db, world.shop.id, a!.id)).toBe(true);
    expect((await listRules(rt.db, world.shop.id)).map((r) => r.name)).toEqual(["C", "B"]);
  });
});

describe("operator CLI", () => {
  it("`label` without options uses the rules; with an option, that option", async () => {
    const { runCli } = await import("../../app/cli/cli");
    await saveRules(world.shop.id, [{ name: "NL licht", conditions: { countries: ["NL"], weightMaxGrams: 2000 }, action: { kind: "label", service: "postnl-mailbox", packageType: "envelop" } }]);
    const [light, other] = await world.paidOrders(2, { lineItems: line(400) });
    const lines: string[] = [];
    const spy = (await import("vitest")).vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      const a = (await world.orderRow(light!)).number;
      expect(await runCli(["label", "--shop", SHOP, "--order", a, "--json"]), lines.join("\n")).toBe(0);
      const b = (await world.orderRow(other!)).number;
      expect(await runCli(["label", "--shop", SHOP, "--order", b, "--service", "dpd-classic", "--json"]), lines.join("\n")).toBe(0);
      const sent = (n: string) => world.carrier.fake.shipments().find((s) => s.request.invoiceReference === n)!.request as { service: string; items: { type: string }[] };
      expect(sent(a)).toMatchObject({ service: "postnl-mailbox", items: [{ type: "envelop" }] });
      expect(sent(b)).toMatchObject({ service: "dpd-classic", items: [{ type: "package" }] });
    } finally {
      spy.mockRestore();
    }
  }, 120_000);
});

describe("field mapping (datamapper) in the label job", () => {
  it("sends the reference, description, phone and company the shop's mapping says", async () => {
    await saveRules(world.shop.id, []);
    const { updateShopSettings } = await import("../../app/core/shops.server");
    await updateShopSettings(rt.db, world.shop.id, { fieldMapping: { reference: "number_plain", description: "all_items", phone: "none", email: "order", company: "none" } });
    try {
      const [id] = await world.paidOrders(1, { lineItems: [{ sku: "MOK", title: "Mok", quantity: 2, grams: 300, price: "5.00" }] });
      const number = (await world.orderRow(id!)).number;
      const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [id!], source: "merchant" });
      expect(r).toMatchObject({ ok: true, queued: [{ orderId: id }] });
      const sent = await waitFor("the shipment", async () => world.carrier.fake.shipments().find((s) => s.request.invoiceReference === number.replace("#", "")) ?? null);
      const body = sent.request as { items: { description?: string }[]; shipTo: { contact: Record<string, string> } };
      expect(body.items[0]!.description).toBe("2× Mok");
      expect(body.shipTo.contact.phoneNumber).toBeUndefined();
      expect(body.shipTo.contact.emailAddress).toBeTruthy();
    } finally {
      await updateShopSettings(rt.db, world.shop.id, { fieldMapping: {} });
    }
  }, 120_000);
});

describe("routes", () => {
  it("the dialog's plan and the rule preview see only the merchant's own shop", async () => {
    const { createMerchantCookieSession } = await import("../../app/merchant.server");
    const { loader: planLoader } = await import("../../app/routes/app.label-plan");
    const { loader: previewLoader } = await import("../../app/routes/app.rule-preview");
    await saveRules(world.shop.id, [{ name: "NL", conditions: { countries: ["NL"] }, action: { kind: "label", service: "dpd-classic" } }]);
    const [mine] = await world.paidOrders(1, { lineItems: line(500) });
    const other = await installShop(rt.db, "shopify", "rules-routes-other.myshopify.com");
    const cookie = async (shopId: number) => (await createMerchantCookieSession(shopId, { locale: "nl" })).split(";")[0]!;
    const get = async (loader: typeof planLoader | typeof previewLoader, url: string, shopId: number) =>
      loader({ request: new Request(url, { headers: { Cookie: await cookie(shopId) } }), params: {}, context: {} });

    const plan = await get(planLoader, `http://localhost/app/label-plan?ids=${mine}`, world.shop.id);
    expect(plan).toMatchObject({ ok: true, orders: [{ orderId: mine, rule: "NL", service: "dpd-classic" }] });
    // prices=0: the plan at once, without asking the carrier (the dialog asks for prices next).
    const asked = world.carrier.fake.requestLog().length;
    expect(await get(planLoader, `http://localhost/app/label-plan?ids=${mine}&prices=0`, world.shop.id)).toMatchObject({ ok: true, total: null, orders: [{ orderId: mine, price: null }] });
    expect(world.carrier.fake.requestLog().length).toBe(asked);
    // Another shop asking for this order's id sees nothing of it (and has no carrier here).
    const theirs = await get(planLoader, `http://localhost/app/label-plan?ids=${mine}`, other.id);
    expect(theirs).toEqual({ ok: false, reason: "no_carrier" });
    expect(await get(planLoader, `http://localhost/app/label-plan?ids=${mine}&overrides=%7Bbad`, world.shop.id)).toEqual({ ok: false, reason: "invalid" });

    const preview = await get(previewLoader, `http://localhost/app/rule-preview?conditions=${encodeURIComponent(JSON.stringify({ countries: ["NL"] }))}`, world.shop.id);
    expect(preview).toMatchObject({ ok: true });
    const { matches, total } = preview as { matches: number; total: number };
    expect(matches).toBeGreaterThanOrEqual(1);
    expect(total).toBeGreaterThanOrEqual(matches);
    expect(await get(previewLoader, `http://localhost/app/rule-preview?conditions=${encodeURIComponent(JSON.stringify({ countries: ["NL"] }))}`, other.id)).toEqual({ ok: true, matches: 0, total: 0 });
  });
});

describe("Verzendregels settings form", () => {
  it("the weight per item is checked by Koppel with its own message at the field (nl, en); a good one is saved", async () => {
    const { createMerchantCookieSession } = await import("../../app/merchant.server");
    const { action } = await import("../../app/routes/app.rules");
    const { getShop } = await import("../../app/core/shops.server");
    const post = async (value: string, locale: "nl" | "en" = "nl") => {
      const cookie = (await createMerchantCookieSession(world.shop.id, { locale })).split(";")[0]!;
      const body = new URLSearchParams({ intent: "settings", defaultItemWeightGrams: value });
      return action({ request: new Request("http://localhost/app/rules", { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body }), params: {}, context: {} });
    };
    for (const bad of ["-5", "abc", "1,5", "99999999"]) {
      expect(await post(bad), bad).toEqual({ intent: "settings", ok: false, errors: { defaultItemWeightGrams: "Vul een gewicht in grammen in (0 of meer)." } });
    }
    expect(await post("-5", "en")).toMatchObject({ ok: false, errors: { defaultItemWeightGrams: "Enter a weight in grams (0 or more)." } });
    expect(await post(" 250 ")).toEqual({ intent: "settings", ok: true });
    expect((await getShop(rt.db, world.shop.id))!.settings?.defaultItemWeightGrams).toBe(250);
    expect(await post("")).toEqual({ intent: "settings", ok: true });
    expect((await getShop(rt.db, world.shop.id))!.settings?.defaultItemWeightGrams).toBe(0);
  });
});

describe("privacy", () => {
  it("customers/redact clears the order's tags (a merchant's tag may name the customer)", async () => {
    const { redactCustomer } = await import("../../app/core/privacy.server");
    const { platformFor } = await import("../../app/platforms/registry.server");
    const [id] = await world.paidOrders(1, { tags: ["VIP Jansen"], email: "jansen@example.nl" });
    expect((await world.orderRow(id!)).tags).toEqual(["VIP Jansen"]);
    expect(await redactCustomer({ db: rt.db, platformFor }, "shopify", SHOP, { email: "jansen@example.nl" })).toBe(1);
    expect((await world.orderRow(id!)).tags).toEqual([]);
  });
});
