// Write-back with the fulfillment orders the sync read (issue 11: fewer Shopify points): an order Koppel's sync has
// read is written back with one fulfillmentCreate and no read; stale ids fall back to reading, still one fulfillment.
// Real PostgreSQL, the fake Shopify (msw) and the fake Boekuwzending, through label-world.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { importOrder } from "../../app/core/import-order.server";
import { syncShop } from "../../app/core/sync.server";
import { shopifyAdapter } from "../../app/platforms/registry.server";
import { orders, shipments } from "../../app/db/schema";
import { orderWebhookPayload } from "../fakes/shopify";

const SHOP = "known-fos.myshopify.com";
const OPTIONS = { service: "postnl-standard", colli: 1, packageType: "package" as const };
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP);
});
afterAll(async () => {
  await world.close();
  await rt.stop();
});

/** Every GraphQL call Koppel makes to the fake shop while `fn` runs: mutation or read. */
async function callsDuring(fn: () => Promise<unknown>): Promise<("mutation" | "read")[]> {
  const calls: ("mutation" | "read")[] = [];
  const original = world.shopify.executeGraphql.bind(world.shopify);
  world.shopify.executeGraphql = async (domain, query, variables, operationName) => {
    if (domain === SHOP) calls.push(/^\s*mutation\b/.test(query) ? "mutation" : "read");
    return original(domain, query, variables, operationName);
  };
  try {
    await fn();
  } finally {
    delete (world.shopify as { executeGraphql?: unknown }).executeGraphql;
  }
  return calls;
}

const sync = () => syncShop({ db: rt.db, platform: shopifyAdapter(), clock: { now: () => new Date() }, encryptionKey: rt.encryptionKey }, world.shop.id);
const platformOrderIdOf = async (orderId: number) => (await world.orderRow(orderId)).platformOrderId;

async function labelAndWriteBack(orderIds: number[]) {
  const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds, options: OPTIONS, source: "merchant" });
  expect(r).toMatchObject({ ok: true });
  await world.drain();
}

describe("write-back with the fulfillment orders the sync read", () => {
  it("orders that came by webhook and were read by the sync: one fulfillmentCreate each, no read; the sync's ids survive a later webhook", async () => {
    const ids = await world.paidOrders(3);
    // The webhook brings no fulfillment orders; the periodic sync reads every changed order again, with them.
    expect((await world.orderRow(ids[0]!)).platformData).toBeNull();
    await sync();
    const rows = await rt.db.select().from(orders).where(inArray(orders.id, ids));
    for (const row of rows) {
      const fo = world.shopify.getOrder(SHOP, row.platformOrderId)!.fulfillmentOrders[0]!;
      expect(row.platformData).toEqual({ fulfillmentOrders: [{ id: `gid://shopify/FulfillmentOrder/${fo.id}`, status: "OPEN", methodType: "SHIPPING" }], complete: true });
    }
    // A later webhook of one of them (newer, no fulfillment orders in it) leaves what the sync stored.
    const later = world.shopify.upsertOrder(SHOP, { id: Number(rows[0]!.platformOrderId), email: "nieuw@example.nl" });
    const parsed = shopifyAdapter().parseOrderWebhook(orderWebhookPayload(later));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(await importOrder(rt.db, { shopId: world.shop.id, paidStatuses: ["paid"], order: parsed.value, source: "webhook", log: false })).toMatchObject({ outcome: "updated" });
    expect((await world.orderRow(rows[0]!.id)).platformData).toEqual(rows[0]!.platformData);

    const calls = await callsDuring(() => labelAndWriteBack(ids));
    expect(calls).toEqual(["mutation", "mutation", "mutation"]);
    for (const id of ids) {
      const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, id));
      expect(s).toMatchObject({ writebackState: "done" });
      const o = world.shopify.getOrder(SHOP, await platformOrderIdOf(id))!;
      expect(o.fulfillmentStatus).toBe("FULFILLED");
      expect(o.fulfillments).toHaveLength(1);
      expect(o.fulfillments[0]!.trackingInfo[0]!.number).toBe(s!.trackingNumber);
      // Stored after the write-back: the fulfillment order is done (a later write-back reads instead of guessing).
      expect((await world.orderRow(id)).platformData).toMatchObject({ fulfillmentOrders: [{ status: "CLOSED" }] });
    }
  });

  it("fulfillment orders moved since the sync: the refused id is read again, and the order gets exactly one fulfillment", async () => {
    const [id] = await world.paidOrders(1);
    await sync();
    const stored = (await world.orderRow(id!)).platformData;
    expect(stored).toMatchObject({ complete: true });
    // Shopify moves it to another location (a new fulfillment order, the old one gone); Koppel has not synced since.
    const platformOrderId = await platformOrderIdOf(id!);
    world.shopify.upsertOrder(SHOP, { id: Number(platformOrderId), fulfillmentOrders: [{ locationName: "Magazijn Utrecht" }] });
    const before = world.shopify.fulfillmentCalls(SHOP).length;

    const calls = await callsDuring(() => labelAndWriteBack([id!]));
    expect(calls).toEqual(["mutation", "read", "mutation"]);
    const made = world.shopify.fulfillmentCalls(SHOP).slice(before);
    expect(made.map((c) => c.userErrors.length > 0)).toEqual([true, false]);
    const o = world.shopify.getOrder(SHOP, platformOrderId)!;
    expect(o.fulfillments).toHaveLength(1);
    expect(o.fulfillmentStatus).toBe("FULFILLED");
    expect((await world.orderRow(id!)).status).toBe("shipped");
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, id!));
    expect(s).toMatchObject({ writebackState: "done", writebackError: null });
  });
});
