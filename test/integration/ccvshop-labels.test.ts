// CCV Shop order labels become the order's tags, by name (issue 13: a rule's "platform tag or label" condition), read
// by the real adapter from the fake CCV Shop over loopback HTTP into real PostgreSQL: one orderlabels call per order
// read, the shop's label names read once and reused; labels that cannot be read never fail the import.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { orders } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import { connectShop } from "~/core/connect-shop";
import { getShop } from "~/core/shops.server";
import { fetchOrderNow } from "~/core/fetch-order-now.server";
import { syncShop } from "~/core/sync.server";
import { listRules, ruleOrderOf, saveRule } from "~/core/rules/rules.server";
import { chooseShipment } from "~/core/rules/choose";
import type { RuleDefaults } from "~/core/rules/rule";
import { createCcvShopPlatform } from "~/platforms/ccvshop/adapter.server";
import { LABEL_NAMES_TTL_MS, LABELS_REFUSED_PAUSE_MS } from "~/platforms/ccvshop/order-labels";
import { startFakeCcvShop, type RunningFakeCcvShop } from "../fakes/ccvshop";
import { runtime } from "./helpers";

let rt: Runtime;
let ccv: RunningFakeCcvShop;
let shopId: number;
/** The adapter's clock (CCV's x-date must stay within the fake's 10 minutes of its own clock, which follows it). */
let t = Date.now();
const logged: { event: string; meta: Record<string, unknown> }[] = [];
const waits: number[] = [];
const adapter = createCcvShopPlatform({
  now: () => new Date(t),
  sleep: async (ms) => void waits.push(ms),
  log: (event, meta) => logged.push({ event, meta }),
});
const deps = () => ({ db: rt.db, encryptionKey: rt.encryptionKey, platformFor: () => adapter });
const DEFAULTS: RuleDefaults = { service: "postnl-standard", packageType: "package", defaultItemWeightGrams: 0 };

const calls = (re: RegExp) => ccv.fake.requests.filter((r) => r.method === "GET" && re.test(r.path.split("?")[0]!.replace(/\/+$/, ""))).length;
const labelListCalls = () => calls(/^\/api\/rest\/v1\/labels$/);
const orderLabelCalls = (id: number) => calls(new RegExp(`^/api/rest/v1/orders/${id}/orderlabels$`));
const rowOf = async (platformOrderId: number) =>
  (await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.platformOrderId, String(platformOrderId)))))[0]!;
async function fetchNow(id: number) {
  const shop = (await getShop(rt.db, shopId))!;
  const r = await fetchOrderNow(deps(), shop, String(id));
  if (!r.ok) throw new Error(`fetchOrderNow: ${JSON.stringify(r)}`);
  return rowOf(id);
}

beforeAll(async () => {
  rt = await runtime();
  ccv = await startFakeCcvShop({ now: () => t });
  const connected = await connectShop(rt, {
    platform: "ccvshop",
    domain: ccv.host,
    credentials: { apiPublic: ccv.apiPublic, apiSecret: ccv.apiSecret, apiRoot: ccv.apiRoot, returnUrl: null, language: "nl" },
  });
  if (!connected.ok) throw new Error(connected.reason);
  shopId = connected.value.id;
});
afterAll(async () => {
  await ccv?.close();
  await rt?.stop();
});

describe("CCV order labels → tags", () => {
  it('an order labelled "express" gets tags ["express"], and a rule on tag express chooses its service for it', async () => {
    const order = ccv.fake.addOrder();
    ccv.fake.labelOrder(order.id, "express");
    const plain = ccv.fake.addLabel({ tooltip: null });
    ccv.fake.labelOrder(order.id, plain.id);
    const before = labelListCalls();

    const row = await fetchNow(order.id);
    expect(row.tags).toEqual(["express", `label-${plain.id}`]);
    expect(orderLabelCalls(order.id)).toBe(1);
    expect(labelListCalls()).toBe(before + 1);
    // The reply is kept with the order, as CCV sent it.
    expect((row.raw as { orderlabels: unknown }).orderlabels).toEqual([
      { label_id: expect.any(Number), parent: order.href },
      { label_id: plain.id, parent: order.href },
    ]);

    const saved = await saveRule(rt.db, shopId, { name: "Express", conditions: { tags: ["Express"] }, action: { kind: "label", service: "dhl-parcel" } });
    expect(saved.ok).toBe(true);
    const rules = await listRules(rt.db, shopId);
    expect(chooseShipment(rules, ruleOrderOf(row), DEFAULTS)).toMatchObject({ kind: "label", service: "dhl-parcel", rule: { name: "Express" } });
    // An unlabelled order falls through to the defaults.
    const other = ccv.fake.addOrder();
    const otherRow = await fetchNow(other.id);
    expect(otherRow.tags).toEqual([]);
    expect(chooseShipment(rules, ruleOrderOf(otherRow), DEFAULTS)).toMatchObject({ service: "postnl-standard", rule: null });
  });

  it("the customer's deliver method and delivery option become the order's shipping method, and a rule on it chooses its service", async () => {
    const rules = [
      { name: "PostNL-punt", conditions: { shippingMethodContains: "PG" }, action: { kind: "label" as const, service: "postnl-pickup" } },
      { name: "Bezorgen", conditions: { shippingMethodContains: "delivery" }, action: { kind: "label" as const, service: "dpd-classic" } },
    ];
    const existing = await listRules(rt.db, shopId);
    for (const r of rules) expect((await saveRule(rt.db, shopId, r)).ok).toBe(true);
    const mine = (await listRules(rt.db, shopId)).filter((r) => !existing.some((e) => e.id === r.id));
    const point = await fetchNow(ccv.fake.addOrder({ deliver_method: "shipping", delivery_option: "PG" }).id);
    expect(point.shippingMethod).toBe("shipping PG");
    expect(chooseShipment(mine, ruleOrderOf(point), DEFAULTS)).toMatchObject({ service: "postnl-pickup", rule: { name: "PostNL-punt" } });
    const byShop = await fetchNow(ccv.fake.addOrder({ deliver_method: "delivery" }).id);
    expect(byShop.shippingMethod).toBe("delivery");
    expect(chooseShipment(mine, ruleOrderOf(byShop), DEFAULTS)).toMatchObject({ service: "dpd-classic", rule: { name: "Bezorgen" } });
    const plain = await fetchNow(ccv.fake.addOrder().id);
    expect(plain.shippingMethod).toBe("shipping");
    expect(chooseShipment(mine, ruleOrderOf(plain), DEFAULTS)).toMatchObject({ service: "postnl-standard", rule: null });
  });

  it("the sync reads one orderlabels per order and the label names once, again for a label made since", async () => {
    const a = ccv.fake.addOrder();
    const b = ccv.fake.addOrder();
    const c = ccv.fake.addOrder();
    ccv.fake.labelOrder(a.id, "express");
    ccv.fake.labelOrder(b.id, "express", "Cadeau");
    const before = labelListCalls();
    t += 1000; // "Cadeau" is new to the names read in the first test: read once more
    const result = await syncShop({ db: rt.db, platform: adapter, clock: rt.clock, encryptionKey: rt.encryptionKey }, shopId);
    expect(result).toMatchObject({ status: "done", failed: 0 });
    expect((await rowOf(a.id)).tags).toEqual(["express"]);
    expect((await rowOf(b.id)).tags).toEqual(["express", "Cadeau"]);
    expect((await rowOf(c.id)).tags).toEqual([]);
    for (const o of [a, b, c]) expect(orderLabelCalls(o.id)).toBe(1);
    expect(labelListCalls()).toBe(before + 1);

    // Within the cache's lifetime, known labels cost no second read of the names …
    const d = ccv.fake.addOrder();
    ccv.fake.labelOrder(d.id, "Cadeau");
    expect((await fetchNow(d.id)).tags).toEqual(["Cadeau"]);
    expect(labelListCalls()).toBe(before + 1);
    // … and after it, a renamed label shows its new name.
    const cadeau = ccv.fake.labels().find((l) => l.tooltip === "Cadeau")!;
    ccv.fake.updateLabel(cadeau.id, { tooltip: "Cadeauverpakking" });
    t += LABEL_NAMES_TTL_MS - 1000;
    expect((await fetchNow(d.id)).tags).toEqual(["Cadeau"]);
    t += 1000;
    expect((await fetchNow(d.id)).tags).toEqual(["Cadeauverpakking"]);
    expect(labelListCalls()).toBe(before + 2);
  });

  it("a failing orderlabels call does not fail the import: a new order has no tags, a known one keeps its tags", async () => {
    const known = ccv.fake.addOrder();
    ccv.fake.labelOrder(known.id, "express");
    expect((await fetchNow(known.id)).tags).toEqual(["express"]);

    // CCV down for orderlabels only: the client's tries (each a 500) run out, the order imports all the same.
    ccv.fake.failNext(4, { status: 500, code: "500.00", developermessage: "Internal error" }, { path: /\/orderlabels$/ });
    ccv.fake.updateOrder(known.id, { status: 2 });
    t += 1000;
    const row = await fetchNow(known.id);
    expect(row.tags).toEqual(["express"]);
    expect(row.raw).toMatchObject({ orderlabels: { unread: expect.stringContaining("500") } });
    expect(logged.at(-1)).toMatchObject({ event: "ccvshop.orderlabels.unread", meta: { order: String(known.id), reason: expect.stringContaining("Internal error") } });

    // Refused (403): imported without tags, and the shop's labels are not asked again for a while.
    const fresh = ccv.fake.addOrder();
    ccv.fake.labelOrder(fresh.id, "express");
    ccv.fake.failNext(1, { status: 403, code: "403.10", developermessage: "No permission for orderlabels" }, { path: /\/orderlabels$/ });
    const freshRow = await fetchNow(fresh.id);
    expect(freshRow).toMatchObject({ status: "to_ship", tags: [] });
    const later = ccv.fake.addOrder();
    ccv.fake.labelOrder(later.id, "express");
    expect((await fetchNow(later.id)).tags).toEqual([]);
    expect(orderLabelCalls(later.id)).toBe(0);
    t += LABELS_REFUSED_PAUSE_MS;
    expect((await fetchNow(later.id)).tags).toEqual(["express"]);

    // The names list failing leaves tags out as well (not "label-<id>", which would replace the stored names).
    const named = ccv.fake.addOrder();
    ccv.fake.labelOrder(named.id, "Spoed");
    ccv.fake.failNext(1, { status: 403, code: "403.10", developermessage: "No permission for labels" }, { path: /\/labels$/ });
    expect(await fetchNow(named.id)).toMatchObject({ status: "to_ship", tags: [] });
  });
});
