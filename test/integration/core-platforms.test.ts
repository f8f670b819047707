// The core suite, once per shop platform: the same tests of import policy, dedupe, update ordering, remove/restore,
// sync, labels + write-back and uninstall run against the real Shopify adapter (fake Shopify over msw), the real CCV
// Shop adapter (fake CCV Shop over loopback HTTP: webhooks as triggers, orders read by id, a paid-only listing) and
// the real Mijnwebwinkel adapter (fake MyOnlineStore Connect API over loopback HTTP: polled, an open-orders listing,
// payments asked per order, the write-back a status and a line in the internal comment). A core that leans on Shopify
// fails for the others; where platforms differ, the driver states the fact (platform-drivers.ts) and the test expects it.
// The core use cases are called directly, with deps whose platformFor returns the platform under test; real
// PostgreSQL, the fake carrier.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { runtime } from "./helpers";
import { CARRIER_ACCOUNT, FROM_ADDRESS } from "./support/label-world";
import { ccvShopDriver, mijnwebwinkelDriver, shopifyDriver, type CoreWorld, type DriverShop, type OrderRef, type PlatformDriver } from "./support/platform-drivers";
import { startFakeCarrier, type RunningFakeCarrier } from "../fakes/carrier";
import { ManualClock } from "../fakes/shopify";
import type { Runtime } from "../../app/runtime.server";
import type { PlatformId, ShopPlatform } from "../../app/core/ports";
import { processDeliveries, type DeliveryResult } from "../../app/core/deliveries.server";
import { SYNC_OVERLAP_MS, syncShop } from "../../app/core/sync.server";
import { listOrders as listShopOrders, removeOrders, restoreOrders } from "../../app/core/orders.server";
import type { LabelDeps } from "../../app/core/labels/deps";
import { connectCarrier } from "../../app/core/labels/connection.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { processLabelRequest } from "../../app/core/labels/label-job.server";
import { writeBackShipment } from "../../app/core/labels/write-back.server";
import { saveFromAddress, updateShopSettings } from "../../app/core/shops.server";
import { configureCarrierBaseUrls } from "../../app/carriers/registry.server";
import { activity, deliveries, orders, shipments, shops } from "../../app/db/schema";
import { QUEUES, type JobData } from "../../app/jobs/queue.server";

const LABEL_OPTIONS = { service: "postnl-standard", colli: 1, packageType: "package" as const };
const TEN_MINUTES = 10 * 60_000;

let rt: Runtime;
let carrier: RunningFakeCarrier;
const clock = new ManualClock("2026-11-27T09:00:00Z");
// The platforms under test, by id: the core gets them through this, never through the production registry.
const byId = new Map<PlatformId, ShopPlatform>();
const platformFor = (id: PlatformId): ShopPlatform => {
  const p = byId.get(id);
  if (!p) throw new Error(`no platform ${id} in this suite`);
  return p;
};
const deps = (): LabelDeps & Parameters<typeof processDeliveries>[0] => ({ ...rt, platformFor });

const world: CoreWorld = {
  get rt() {
    return rt;
  },
  clock,
  deps: { platformFor },
  deliver: (d) => rt.inbox.receive(d),
  async drain() {
    const out = new Map<number, DeliveryResult>();
    for (;;) {
      const jobs = await rt.boss.fetch<JobData["process-delivery"]>(QUEUES.processDelivery, { batchSize: 50 });
      if (!jobs.length) return out;
      const results = await processDeliveries(deps(), jobs.flatMap((j) => j.data.deliveryIds));
      for (const [id, r] of results) out.set(id, r);
      for (const job of jobs) await rt.boss.complete(QUEUES.processDelivery, job.id);
    }
  },
};

const drivers: PlatformDriver[] = [
  shopifyDriver(world),
  ccvShopDriver(world),
  mijnwebwinkelDriver(world),
];
for (const d of drivers) byId.set(d.platform.id, d.platform);

beforeAll(async () => {
  rt = await runtime();
  carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT] });
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
});
afterAll(async () => {
  for (const d of drivers) await d.close();
  configureCarrierBaseUrls(null);
  await carrier?.close();
  await rt?.stop();
});

describe.each(drivers.map((d) => [d.name, d] as const))("core on %s", (_name, p) => {
  const webhooks = p.platform.capabilities.intake === "webhooks";
  const sync = (shop: DriverShop) => syncShop({ db: rt.db, platform: p.platform, clock, encryptionKey: rt.encryptionKey }, shop.shopId);
  /** The order reaches Koppel the platform's way: its delivery into the inbox and the worker, or the sync. */
  async function bringIn(shop: DriverShop, ref: OrderRef): Promise<DeliveryResult | string> {
    if (!webhooks) {
      const r = await sync(shop);
      return r.status;
    }
    const stored = await world.deliver(shop.orderDelivery(ref));
    expect(stored.status).toBe("stored");
    const results = await world.drain();
    return results.get((stored as { deliveryId: number }).deliveryId)!;
  }
  const rowOf = async (shop: DriverShop, ref: OrderRef) => {
    const rows = await rt.db
      .select()
      .from(orders)
      .where(and(eq(orders.shopId, shop.shopId), eq(orders.platformOrderId, ref.platformOrderId)));
    expect(rows.length).toBeLessThanOrEqual(1);
    return rows[0];
  };
  const importActivity = (shop: DriverShop, ref: OrderRef) =>
    rt.db
      .select()
      .from(activity)
      .where(and(eq(activity.shopId, shop.shopId), eq(activity.kind, "import"), eq(activity.orderNumber, ref.number)));
  const toShip = async (shop: DriverShop) => (await listShopOrders(rt.db, shop.shopId, { status: "to_ship", limit: 200 })).rows.map((o) => o.number).sort();

  const neverTestOrders = p.platform.capabilities.testOrders === "never";
  const testOrderReason = neverTestOrders ? "test_order_never" : "test_order";
  // Shopify's development-store orders are what the setting is for; Mijnwebwinkel's "T-" orders are never imported.
  it.skipIf(!p.hasTestOrders || neverTestOrders)("Testbestellingen importeren: with the shop's setting on, a test order is imported to ship", async () => {
    const shop = await p.newShop();
    await updateShopSettings(rt.db, shop.shopId, { importTestOrders: true });
    const testOrder = await shop.createOrder({ paid: true, test: true });
    await bringIn(shop, testOrder);
    expect((await rowOf(shop, testOrder))?.status).toBe("to_ship");
    expect((await importActivity(shop, testOrder)).map((a) => a.result)).not.toContain("skipped");
  });

  it.runIf(neverTestOrders)("test orders never imported: with the shop's setting on anyway, a test order is skipped with its own reason", async () => {
    const shop = await p.newShop();
    await updateShopSettings(rt.db, shop.shopId, { importTestOrders: true });
    const testOrder = await shop.createOrder({ paid: true, test: true });
    await bringIn(shop, testOrder);
    expect(await rowOf(shop, testOrder)).toBeUndefined();
    expect((await importActivity(shop, testOrder)).map((a) => [a.result, a.reason])).toEqual([["skipped", "test_order_never"]]);
  });

  it("import policy: paid → to ship; unpaid and test orders are not imported; paid later → to ship; cancelled leaves to ship", async () => {
    const shop = await p.newShop();
    const paid = await shop.createOrder({ paid: true });
    const unpaid = await shop.createOrder({ paid: false });
    // A platform without test orders (CCV Shop) has nothing to skip as one.
    const testOrder = p.hasTestOrders ? await shop.createOrder({ paid: true, test: true }) : null;
    for (const ref of [paid, unpaid, testOrder]) if (ref) await bringIn(shop, ref);

    expect((await rowOf(shop, paid))?.status).toBe("to_ship");
    expect(await rowOf(shop, unpaid)).toBeUndefined();
    expect((await importActivity(shop, unpaid)).map((a) => [a.result, a.reason])).toContainEqual(["skipped", "not_paid"]);
    if (testOrder) {
      expect(await rowOf(shop, testOrder)).toBeUndefined();
      expect((await importActivity(shop, testOrder)).map((a) => [a.result, a.reason])).toContainEqual(["skipped", testOrderReason]);
    }

    clock.advance(1000);
    await shop.changeOrder(unpaid, { paid: true });
    await bringIn(shop, unpaid);
    expect((await rowOf(shop, unpaid))?.status).toBe("to_ship");

    clock.advance(1000);
    await shop.cancelOrder(paid);
    await bringIn(shop, paid);
    expect((await rowOf(shop, paid))?.status).toBe("cancelled");
    expect(await toShip(shop)).toEqual([unpaid.number]);
  });

  it("dedupe: the same order brought in again and again is one order with one import activity", async () => {
    const shop = await p.newShop();
    const ref = await shop.createOrder({ paid: true });
    if (webhooks) {
      // The platform sends the same delivery three times at once (a retry racing the first).
      const d = shop.orderDelivery(ref);
      const received = await Promise.all([world.deliver(d), world.deliver(d), world.deliver({ ...d })]);
      expect(received.map((r) => r.status).sort()).toEqual(["duplicate", "duplicate", "stored"]);
      expect([...(await world.drain()).values()]).toEqual(["imported"]);
      expect((await world.deliver(d)).status).toBe("duplicate");
      expect((await world.drain()).size).toBe(0);
      const stored = await rt.db.select().from(deliveries).where(and(eq(deliveries.platform, p.platform.id), eq(deliveries.webhookId, d.webhookId)));
      expect(stored).toHaveLength(1);
    }
    // The sync finds it as well (a webhook and a sync of the same order, or two polls).
    await sync(shop);
    clock.advance(TEN_MINUTES);
    await sync(shop);
    expect((await rowOf(shop, ref))?.status).toBe("to_ship");
    expect((await importActivity(shop, ref)).map((a) => a.summary)).toEqual(["import.imported"]);
  });

  it.runIf(webhooks)("update ordering: an older state that lands after a newer one does not overwrite it", async () => {
    const shop = await p.newShop();
    const ref = await shop.createOrder({ paid: true, email: "eerste@example.nl" });
    const late = await shop.deliverLate(ref, async () => {
      clock.advance(5000);
      await shop.changeOrder(ref, { email: "gewijzigd@example.nl" });
    });
    const row = await rowOf(shop, ref);
    expect(row).toMatchObject({ status: "to_ship", email: "gewijzigd@example.nl" });
    expect(row!.platformUpdatedAt.getTime()).toBe(shop.updatedAt(ref).getTime());
    // The late one is recorded as seen and older, not as a failure.
    expect(late).toBe("updated");
    const [d] = await rt.db.select().from(deliveries).where(and(eq(deliveries.platform, p.platform.id), eq(deliveries.shopDomain, shop.domain), eq(deliveries.reason, "older than stored order")));
    expect(d).toBeDefined();
  });

  it("remove/restore: a removed order is not brought back by a later delivery or sync; restore shows it with the newest data", async () => {
    const shop = await p.newShop();
    const ref = await shop.createOrder({ paid: true });
    await bringIn(shop, ref);
    const row = (await rowOf(shop, ref))!;
    expect(await removeOrders(rt.db, shop.shopId, [row.id])).toBe(1);

    clock.advance(TEN_MINUTES);
    await shop.changeOrder(ref, { email: "na-verwijderen@example.nl" });
    await bringIn(shop, ref);
    await sync(shop);
    const after = (await rowOf(shop, ref))!;
    expect(after.removedAt).not.toBeNull();
    expect(after.email).toBe("na-verwijderen@example.nl"); // kept current while hidden
    expect(await toShip(shop)).toEqual([]);

    expect(await restoreOrders(rt.db, shop.shopId, [row.id])).toBe(1);
    expect(await toShip(shop)).toEqual([ref.number]);
    expect((await rowOf(shop, ref))!.removedAt).toBeNull();
  });

  it("sync: follows pages, imports what no delivery brought, moves its cursor; the next sync asks from the cursor", async () => {
    const shop = await p.newShop();
    const n = p.pageSize + 1;
    const refs: OrderRef[] = [];
    for (let i = 0; i < n; i++) {
      refs.push(await shop.createOrder({ paid: true }));
      clock.advance(61_000); // more than the overlap apart: the next sync re-reads only the last ones
    }
    const unpaid = await shop.createOrder({ paid: false });
    // What the listing returns: every order, or (CCV Shop: is_paid=true) only the paid ones.
    const listedOfThese = (rs: OrderRef[]) => rs.filter((r) => r !== unpaid || p.listsUnpaidOrders);
    const first = await sync(shop);
    expect(first).toMatchObject({ status: "done", imported: n, skipped: p.listsUnpaidOrders ? 1 : 0, failed: 0 });
    if (first.status !== "done") throw new Error("sync skipped");
    expect(first.seen).toBe(listedOfThese([...refs, unpaid]).length);
    expect(first.pages).toBeGreaterThanOrEqual(2);
    const newest = Math.max(...listedOfThese([...refs, unpaid]).map((r) => shop.updatedAt(r).getTime()));
    expect(first.cursor?.getTime()).toBe(newest);
    const [s] = await rt.db.select().from(shops).where(eq(shops.id, shop.shopId));
    expect(s!.syncCursor?.getTime()).toBe(newest);
    expect(await rowOf(shop, unpaid)).toBeUndefined();

    clock.advance(TEN_MINUTES);
    const later = await shop.createOrder({ paid: true });
    const second = await sync(shop);
    expect(second).toMatchObject({ status: "done", imported: 1, failed: 0 });
    if (second.status !== "done") throw new Error("sync skipped");
    // Changed-since platforms are asked from the cursor minus the overlap: the new order and the last few of before.
    // Open-orders platforms list every open order again (CCV Shop: every paid one); the import is idempotent either way.
    const all = [...refs, unpaid, later];
    if (p.platform.capabilities.listing === "changed_since") {
      const since = newest - SYNC_OVERLAP_MS;
      const changedSince = all.filter((r) => shop.updatedAt(r).getTime() >= since);
      expect(changedSince.length).toBeLessThan(all.length); // the overlap window does not cover every order
      expect(second.seen).toBe(changedSince.length);
    } else {
      expect(second.seen).toBe(listedOfThese(all).length);
      expect(second.seen).toBeGreaterThan(second.imported); // the orders of before, listed again
    }
    expect(second.cursor?.getTime()).toBe(shop.updatedAt(later).getTime());
    expect((await rowOf(shop, later))?.status).toBe("to_ship");
  });

  it("sync: an order cancelled while no delivery came leaves to ship at the next sync", async () => {
    const shop = await p.newShop();
    const ref = await shop.createOrder({ paid: true });
    const other = await shop.createOrder({ paid: true });
    await sync(shop);
    expect(await toShip(shop)).toHaveLength(2);
    clock.advance(TEN_MINUTES);
    await shop.cancelOrder(ref);
    await sync(shop);
    expect((await rowOf(shop, ref))?.status).toBe("cancelled");
    expect(await toShip(shop)).toEqual([other.number]);
  });

  async function readyToShip(shop: DriverShop) {
    await saveFromAddress(rt.db, shop.shopId, FROM_ADDRESS);
    const connected = await connectCarrier(deps(), shop.shopId, { carrier: "boekuwzending", environment: "staging", ...CARRIER_ACCOUNT });
    expect(connected.ok).toBe(true);
  }
  /** A paid order in the shop, imported, its label made: the shipment waits for its write-back. */
  async function labelledOrder(shop: DriverShop) {
    const ref = await shop.createOrder({ paid: true });
    await bringIn(shop, ref);
    const row = (await rowOf(shop, ref))!;
    const r = await requestLabels(deps(), shop.shopId, { orderIds: [row.id], options: LABEL_OPTIONS, source: "merchant" });
    if (!r.ok) throw new Error(`requestLabels: ${r.reason}`);
    expect(r.queued).toHaveLength(1);
    expect(await processLabelRequest(deps(), r.queued[0]!.labelRequestId)).toBe("created");
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, row.id));
    expect(s).toMatchObject({ writebackState: "pending" });
    return { ref, row, shipment: s! };
  }
  const writebackActivity = async (shop: DriverShop) =>
    (
      await rt.db
        .select()
        .from(activity)
        .where(and(eq(activity.shopId, shop.shopId), eq(activity.kind, "writeback")))
        .orderBy(activity.id)
    ).map((a) => a.summary);

  it("labels + write-back: one fulfilment with the tracking, once; notifyCustomer follows the platform's capabilities", async () => {
    const shop = await p.newShop();
    await readyToShip(shop);
    const { ref, shipment } = await labelledOrder(shop);

    expect(await writeBackShipment(deps(), shipment.id)).toBe("done");
    const written = shop.fulfilments(ref);
    expect(written).toEqual([
      {
        trackingNumber: shipment.trackingNumber,
        trackingUrl: p.writesTrackingUrl ? shipment.trackingUrl : null,
        company: p.expectedCompany,
        notifyCustomer: p.platform.capabilities.notifiesCustomerOnShipment,
      },
    ]);
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(s).toMatchObject({ writebackState: "done", writebackAttempts: 1 });
    expect(s!.platformFulfillmentIds).toHaveLength(1);
    expect((await rowOf(shop, ref))?.status).toBe("shipped");

    // Again: Koppel knows it is done, the platform is not asked.
    expect(await writeBackShipment(deps(), shipment.id)).toBe("already_done");
    // A worker that died after the platform answered and before Koppel committed runs it again: the platform says
    // "already shipped", no second fulfilment.
    await rt.db.update(shipments).set({ writebackState: "pending" }).where(eq(shipments.id, shipment.id));
    expect(await writeBackShipment(deps(), shipment.id)).toBe("already_done");
    expect(shop.fulfilments(ref)).toHaveLength(1);
    expect(await writebackActivity(shop)).toEqual(["writeback.done", "writeback.already_shipped"]);

    // The platform's echo of the shipment (its next delivery or sync) keeps the order shipped, not "fulfilled elsewhere".
    clock.advance(TEN_MINUTES);
    await bringIn(shop, ref);
    expect((await rowOf(shop, ref))?.status).toBe("shipped");
  });

  it("uninstall: the platform's own clean-up runs; a write-back after it fails once with its reason; the shop takes nothing more", async () => {
    const shop = await p.newShop();
    await readyToShip(shop);
    const { ref, shipment } = await labelledOrder(shop);

    await shop.uninstall();
    expect(await shop.accessGone()).toBe(true);
    const [s] = await rt.db.select().from(shops).where(eq(shops.id, shop.shopId));
    expect(s!.uninstalledAt).not.toBeNull();

    expect(await writeBackShipment(deps(), shipment.id)).toBe("failed");
    const [failed] = await rt.db.select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(failed).toMatchObject({ writebackState: "failed", writebackAttempts: 1 });
    expect(failed!.writebackError).toMatch(/no longer installed/);
    expect(await writebackActivity(shop)).toEqual(["writeback.not_installed"]);
    expect(shop.fulfilments(ref)).toEqual([]);

    // After the uninstall nothing comes in: a late delivery is dropped, the sync does not run.
    clock.advance(1000);
    const late = await shop.createOrder({ paid: true });
    if (webhooks) expect(await bringIn(shop, late)).toBe("skipped");
    expect(await sync(shop)).toEqual({ status: "skipped", reason: "uninstalled" });
    expect(await rowOf(shop, late)).toBeUndefined();
  });
});
