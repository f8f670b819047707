// "Label aanmaken" end to end against real PostgreSQL, the fake Boekuwzending (loopback) and the fake Shopify (msw):
// one label per order whatever happens, failures shown with the carrier's reason, write-back exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { countRows, runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { processLabelRequest } from "../../app/core/labels/label-job.server";
import { writeBackShipment } from "../../app/core/labels/write-back.server";
import { retryFailedLabels, retryWriteBack } from "../../app/core/labels/retries.server";
import { batchProgress } from "../../app/core/labels/reads.server";
import { labelPdfsForShipments } from "../../app/core/labels/pdfs.server";
import { activity, labelRequests, orders, shipments } from "../../app/db/schema";
import { CarrierError, type Carrier, type ShopPlatform } from "../../app/core/ports";
import { carrierFor, configureCarrier, configureCarrierBaseUrls } from "../../app/carriers/registry.server";
import { env } from "../../app/env.server";
import { shopifyAdapter } from "../../app/platforms/registry.server";
import { installShop } from "../../app/core/shops.server";
import { decodeReason, labelFailureMessage } from "../../app/core/reasons";
import { t, type Locale } from "../../app/i18n";
import { createMerchantCookieSession } from "../../app/merchant.server";
import { loader as ordersLoader } from "../../app/routes/app._index";

const SHOP = "labels-test.myshopify.com";
const OPTIONS = { service: "postnl-standard", colli: 2, packageType: "package" as const };
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

/** The order list's label cell for one order, as the page says it in `locale` (loader → view model). */
async function labelCellOf(orderId: number, locale: Locale) {
  const cookie = (await createMerchantCookieSession(world.shop.id, { locale })).split(";")[0]!;
  const request = new Request("http://localhost/app?status=all", { headers: { Cookie: cookie } });
  const data = await ordersLoader({ request, params: {}, context: {} });
  const row = data.orders.find((o) => o.id === String(orderId));
  if (!row?.label) throw new Error(`order ${orderId} has no label state in the list`);
  return { label: row.label, message: labelFailureMessage((key, params) => t(locale, key, params), row.label) };
}

const shipmentsOf = (orderId: number) => rt.db.select().from(shipments).where(eq(shipments.orderId, orderId));
const carrierShipmentsFor = (orderNumber: string) => world.carrier.fake.shipments().filter((s) => s.request.invoiceReference === orderNumber);

describe("one label per order", () => {
  it("creates the label, writes the fulfillment back with tracking and notifyCustomer, and marks the order shipped", async () => {
    const [orderId] = await world.paidOrders(1);
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    expect(r).toMatchObject({ ok: true, queued: [{ orderId }] });
    await world.drain();
    const [s] = await shipmentsOf(orderId!);
    expect(s).toMatchObject({ colli: 2, service: "postnl-standard", writebackState: "done", environment: "staging" });
    expect(s!.labels).toHaveLength(2);
    expect(s!.raw).toMatchObject({ id: s!.carrierShipmentId });
    const order = await world.orderRow(orderId!);
    expect(order.status).toBe("shipped");
    const calls = world.shopify.fulfillmentCalls(SHOP);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.input).toMatchObject({
      notifyCustomer: true,
      trackingInfo: { number: s!.trackingNumber, url: s!.trackingUrl, company: "PostNL" },
    });
    expect(s!.trackingUrl).toContain(s!.trackingNumber);
    // What went to the carrier: shipFrom from the shop's from address, invoiceReference = order number, 2 colli.
    const [sent] = carrierShipmentsFor(order.number);
    expect(sent!.request).toMatchObject({
      invoiceReference: order.number,
      service: "postnl-standard",
      items: [{ quantity: 2, type: "package" }],
      shipFrom: { address: { postcode: "3511 ED", city: "Utrecht" } },
    });
    const log = await rt.db.select().from(activity).where(and(eq(activity.shopId, world.shop.id), eq(activity.orderNumber, order.number)));
    expect(log.map((a) => a.summary)).toEqual(expect.arrayContaining(["carrier.label_created", "writeback.done"]));
  });

  it("a double click (two requests at once) buys one label", async () => {
    const [orderId] = await world.paidOrders(1);
    const [a, b] = await Promise.all([1, 2].map(() => requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" })));
    const queued = [a, b].flatMap((r) => (r!.ok ? r!.queued : []));
    const joined = [a, b].flatMap((r) => (r!.ok ? r!.alreadyRequested : []));
    expect(queued).toHaveLength(1);
    expect(joined).toHaveLength(1);
    await world.drain();
    expect(await shipmentsOf(orderId!)).toHaveLength(1);
    expect(carrierShipmentsFor((await world.orderRow(orderId!)).number)).toHaveLength(1);
    // A click after the label exists buys nothing either.
    const again = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    expect(again).toMatchObject({ ok: true, queued: [], notAllowed: [{ orderId, reason: "not_to_ship" }] });
  });

  it("a retried job (run twice) buys one label and writes back once", async () => {
    const [orderId] = await world.paidOrders(1);
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    const requestId = r.ok ? r.queued[0]!.labelRequestId : 0;
    await processLabelRequest(labelDeps(rt), requestId);
    await processLabelRequest(labelDeps(rt), requestId);
    const [s] = await shipmentsOf(orderId!);
    const before = world.shopify.fulfillmentCalls(SHOP).length;
    await writeBackShipment(labelDeps(rt), s!.id);
    expect(await writeBackShipment(labelDeps(rt), s!.id)).toBe("already_done");
    await world.drain();
    expect(await shipmentsOf(orderId!)).toHaveLength(1);
    expect(carrierShipmentsFor((await world.orderRow(orderId!)).number)).toHaveLength(1);
    expect(world.shopify.fulfillmentCalls(SHOP).length - before).toBe(1);
  });

  it("a write-back that crashed after Shopify accepted it is not sent twice", async () => {
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    const [job] = await rt.boss.fetch<{ labelRequestId: number }>("create-label");
    await processLabelRequest(labelDeps(rt), job!.data.labelRequestId);
    await rt.boss.complete("create-label", job!.id);
    const [s] = await shipmentsOf(orderId!);
    const before = world.shopify.fulfillmentCalls(SHOP).length;
    const crashing: ShopPlatform = {
      ...shopifyAdapter(),
      async markShipped(...args) {
        await shopifyAdapter().markShipped(...args);
        throw new Error("worker killed before commit");
      },
    };
    await expect(writeBackShipment({ ...labelDeps(rt), platformFor: () => crashing }, s!.id)).rejects.toThrow(/killed/);
    expect(await writeBackShipment(labelDeps(rt), s!.id)).toBe("already_done");
    expect(world.shopify.fulfillmentCalls(SHOP).length - before).toBe(1);
    expect((await world.orderRow(orderId!)).status).toBe("shipped");
    await world.drain();
  });
});

describe("a worker killed between the carrier's answer and Koppel's commit", () => {
  it("after restart: one shipment at the carrier, one fulfillment at Shopify", async () => {
    const [orderId] = await world.paidOrders(1);
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    const requestId = r.ok ? r.queued[0]!.labelRequestId : 0;
    const [job] = await rt.boss.fetch<{ labelRequestId: number }>("create-label");
    expect(job!.data.labelRequestId).toBe(requestId);

    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "support/kill-after-carrier.ts"), world.carrier.baseUrl, String(requestId)], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: env.DATABASE_URL, KOPPEL_WORKERS: "0", LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    expect(signal, stderr).toBe("SIGKILL");
    const number = (await world.orderRow(orderId!)).number;
    expect(carrierShipmentsFor(number)).toHaveLength(1); // the label was bought…
    expect(await shipmentsOf(orderId!)).toHaveLength(0); // …but Koppel never stored it
    expect((await world.requestsOf(orderId!))[0]!.state).toBe("sending");

    // Restart: the job is retried (pg-boss gives an expired active job to another worker).
    expect(await processLabelRequest(labelDeps(rt), requestId)).toBe("reconciled");
    await rt.boss.complete("create-label", job!.id);
    const before = world.shopify.fulfillmentCalls(SHOP).length;
    await world.drain();
    expect(carrierShipmentsFor(number)).toHaveLength(1);
    expect(await shipmentsOf(orderId!)).toHaveLength(1);
    expect(world.shopify.fulfillmentCalls(SHOP).length - before).toBe(1);
    expect((await world.orderRow(orderId!)).status).toBe("shipped");
  });
});

describe("carrier failures", () => {
  it("5xx, 429 and a timeout are retried, then the label is made once", async () => {
    const [o1, o2, o3] = await world.paidOrders(3);
    const create = (req: { method: string; path: string }) => req.method === "POST" && req.path === "/shipments";
    world.carrier.fake.failNext(2, { status: 503 }, create);
    world.carrier.fake.failNext(1, { status: 429, retryAfterSeconds: 1 }, create);
    world.carrier.fake.timeoutNext(1, create);
    configureCarrier({ baseUrls: { staging: world.carrier.baseUrl, production: world.carrier.baseUrl }, timeoutMs: 500 });
    try {
      const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [o1!, o2!, o3!], options: OPTIONS, source: "merchant" });
      expect(r.ok && r.queued).toHaveLength(3);
      await world.drain();
    } finally {
      configureCarrierBaseUrls({ staging: world.carrier.baseUrl, production: world.carrier.baseUrl });
    }
    const failures = world.carrier.fake.requestLog().filter((l) => l.path === "/shipments" && (l.status === 503 || l.status === 429 || l.status === "hang"));
    expect(failures.map((l) => l.status).sort()).toEqual([429, 503, 503, "hang"].sort());
    for (const id of [o1!, o2!, o3!]) {
      expect(await shipmentsOf(id)).toHaveLength(1);
      expect(carrierShipmentsFor((await world.orderRow(id)).number)).toHaveLength(1);
    }
  });

  it("a carrier outage shows 'not reachable, retrying (attempt n)' from the first 503, then the label", async () => {
    const [orderId] = await world.paidOrders(1);
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    if (!r.ok) throw new Error(r.reason);
    const [job] = await rt.boss.fetch<{ labelRequestId: number }>("create-label");
    const create = (req: { method: string; path: string }) => req.method === "POST" && req.path === "/shipments";
    world.carrier.fake.failNext(2, { status: 503 }, create);

    // First attempt: 503. The job goes back to the queue; the request says so right away.
    await expect(processLabelRequest(labelDeps(rt), job!.data.labelRequestId)).rejects.toThrow(/503/);
    const [req1] = await world.requestsOf(orderId!);
    expect(req1).toMatchObject({ state: "sending", attempts: 1 });
    expect(decodeReason(req1!.lastError)).toMatchObject({ code: "carrier.unreachable", detail: expect.stringMatching(/server error 503/) });
    const nl1 = await labelCellOf(orderId!, "nl");
    expect(nl1.message).toEqual({ retrying: true, text: "Vervoerder niet bereikbaar, nieuwe poging (poging 1)", detail: expect.stringMatching(/Boekuwzending had a server error 503/) });
    expect((await labelCellOf(orderId!, "en")).message?.text).toBe("Carrier not reachable, retrying (attempt 1)");
    const progress = await batchProgress(rt.db, world.shop.id, r.batchId!);
    expect(progress).toMatchObject({ pending: 1, failed: [], retrying: [{ orderId, attempt: 1, reason: { code: "carrier.unreachable" } }] });

    // Second attempt (it first looks for a shipment made with its key): 503 again, attempt 2.
    await expect(processLabelRequest(labelDeps(rt), job!.data.labelRequestId)).rejects.toThrow(/503/);
    expect((await labelCellOf(orderId!, "nl")).message?.text).toBe("Vervoerder niet bereikbaar, nieuwe poging (poging 2)");

    // The carrier is back: the label is made, nothing is shown as failing any more.
    expect(await processLabelRequest(labelDeps(rt), job!.data.labelRequestId)).toBe("created");
    await rt.boss.complete("create-label", job!.id);
    const done = await labelCellOf(orderId!, "nl");
    expect(done.label).toMatchObject({ state: "created", reason: null });
    expect(done.message).toBeNull();
    expect(await batchProgress(rt.db, world.shop.id, r.batchId!)).toMatchObject({ created: 1, pending: 0, failed: [], retrying: [] });
    expect(carrierShipmentsFor((await world.orderRow(orderId!)).number)).toHaveLength(1);
    await world.drain();
  });

  it("an outage that outlasts the retries: 'Mislukt: Vervoerder niet bereikbaar' with the carrier's text beneath", async () => {
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    const [job] = await rt.boss.fetch<{ labelRequestId: number }>("create-label");
    world.carrier.fake.failNext(1, { status: 503 }, (req) => req.method === "POST" && req.path === "/shipments");
    expect(await processLabelRequest(labelDeps(rt), job!.data.labelRequestId, { finalAttempt: true })).toBe("failed");
    await rt.boss.complete("create-label", job!.id);
    const { message } = await labelCellOf(orderId!, "nl");
    expect(message).toEqual({ retrying: false, text: "Mislukt: Vervoerder niet bereikbaar", detail: expect.stringMatching(/server error 503/) });
    const [row] = await rt.db.select().from(activity).where(and(eq(activity.shopId, world.shop.id), eq(activity.orderNumber, (await world.orderRow(orderId!)).number), eq(activity.result, "failed")));
    expect(row).toMatchObject({ summary: "carrier.label_retry", reason: expect.stringMatching(/server error 503/), details: expect.objectContaining({ reasonCode: "carrier.unreachable" }) });
  });

  it("a refusal thrown as another bundle's copy of CarrierError is still a refusal (not retried as unknown)", async () => {
    class OtherBundleCarrierError extends Error {
      constructor(readonly kind: "rejected", message: string) {
        super(message);
        this.name = "CarrierError";
      }
    }
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    const [job] = await rt.boss.fetch<{ labelRequestId: number }>("create-label");
    const refusing: Carrier = {
      ...carrierFor("boekuwzending"),
      async createShipment() {
        throw new OtherBundleCarrierError("rejected", "shipTo.address.postcode: This value is not valid.");
      },
    };
    expect(await processLabelRequest({ ...labelDeps(rt), carrierFor: () => refusing }, job!.data.labelRequestId)).toBe("rejected");
    await rt.boss.complete("create-label", job!.id);
    const { message } = await labelCellOf(orderId!, "nl");
    expect(message).toEqual({ retrying: false, text: "Mislukt: Geweigerd door de vervoerder", detail: "shipTo.address.postcode: This value is not valid." });
  });

  it("a timeout after which the carrier did create the shipment is reconciled, not bought again", async () => {
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    const [job] = await rt.boss.fetch<{ labelRequestId: number }>("create-label");
    // The carrier creates it, but the answer never arrives in time.
    const real = carrierFor("boekuwzending");
    const lostAnswer: Carrier = {
      ...real,
      async createShipment(creds, req) {
        await real.createShipment(creds, req);
        throw new CarrierError("transient", "The operation was aborted due to timeout");
      },
    };
    await expect(processLabelRequest({ ...labelDeps(rt), carrierFor: () => lostAnswer }, job!.data.labelRequestId)).rejects.toThrow(/timeout/);
    expect(await processLabelRequest(labelDeps(rt), job!.data.labelRequestId)).toBe("reconciled");
    await rt.boss.complete("create-label", job!.id);
    expect(carrierShipmentsFor((await world.orderRow(orderId!)).number)).toHaveLength(1);
    expect(await shipmentsOf(orderId!)).toHaveLength(1);
    await world.drain();
  });

  it("a permanent 422 is shown with the carrier's reason and leaves nothing half-done", async () => {
    const [orderId] = await world.paidOrders(1);
    const r = await requestLabels(labelDeps(rt), world.shop.id, {
      orderIds: [orderId!],
      options: { ...OPTIONS, service: "postnl-standard" },
      source: "merchant",
    });
    // The carrier rejects this order (e.g. an address its checks refuse).
    world.carrier.fake.failWhen((req) => req.method === "POST" && req.path === "/shipments", {
      status: 422,
      body: { title: "An error occurred", detail: "shipTo.address.postcode: This value is not valid.", violations: [{ propertyPath: "shipTo.address.postcode", message: "This value is not valid." }] },
    } as never);
    await world.drain();
    world.carrier.fake.clearFailures();
    const [req] = await world.requestsOf(orderId!);
    expect(req).toMatchObject({ state: "rejected" });
    expect(req!.lastError).toMatch(/postcode/);
    expect(await shipmentsOf(orderId!)).toHaveLength(0);
    expect((await world.orderRow(orderId!)).status).toBe("to_ship");
    const progress = await batchProgress(rt.db, world.shop.id, r.ok ? r.batchId! : 0);
    expect(progress).toMatchObject({ total: 1, done: 1, created: 0, failed: [{ orderId, state: "rejected" }] });
    expect(progress!.failed[0]!.reason).toMatchObject({ code: "carrier.rejected", detail: expect.stringMatching(/postcode/) });
  });

  it("flags an incomplete address before calling the carrier", async () => {
    const [orderId] = await world.paidOrders(1, { shippingAddress: { zip: "" } });
    const calls = world.carrier.fake.createCalls();
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    expect(r).toMatchObject({ ok: true, queued: [], incomplete: [{ orderId, missing: expect.arrayContaining(["postcode"]) }] });
    expect(world.carrier.fake.createCalls()).toBe(calls);
  });
});

describe("bulk", () => {
  it("200 orders with 10% carrier failures: 180 labels, 20 failures listed, retrying them completes all", async () => {
    const ids = await world.paidOrders(200);
    const numbers = new Map<number, string>();
    for (const row of await rt.db.select({ id: orders.id, number: orders.number }).from(orders).where(inArray(orders.id, ids))) numbers.set(row.id, row.number);
    const failing = new Set(ids.filter((_, i) => i % 10 === 3).map((id) => numbers.get(id)!));
    expect(failing.size).toBe(20);
    world.carrier.fake.failWhen(
      (req) => req.method === "POST" && req.path === "/shipments" && failing.has(JSON.parse(req.body).invoiceReference),
      { status: 500 },
    );
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: ids, options: { ...OPTIONS, colli: 1 }, source: "merchant" });
    if (!r.ok) throw new Error(r.reason);
    expect(r.queued).toHaveLength(200);
    await world.drain();
    let progress = await batchProgress(rt.db, world.shop.id, r.batchId!);
    expect(progress).toMatchObject({ total: 200, done: 200, created: 180, pending: 0 });
    expect(progress!.failed).toHaveLength(20);
    expect(new Set(progress!.failed.map((f) => f.orderNumber))).toEqual(failing);
    expect(progress!.failed.every((f) => f.state === "failed" && f.reason?.code === "carrier.unreachable" && /500|Internal|error/i.test(f.reason.detail))).toBe(true);

    world.carrier.fake.clearFailures();
    expect(await retryFailedLabels(labelDeps(rt), world.shop.id, r.batchId!)).toBe(20);
    await world.drain();
    progress = await batchProgress(rt.db, world.shop.id, r.batchId!);
    expect(progress).toMatchObject({ total: 200, created: 200, failed: [] });
    const made = await rt.db.select().from(shipments).where(inArray(shipments.orderId, ids));
    expect(made).toHaveLength(200);
    for (const n of failing) expect(carrierShipmentsFor(n)).toHaveLength(1);
  }, 180_000);
});

describe("write-back failures and shop isolation", () => {
  it("a write-back Shopify refuses is visible and can be retried by the merchant", async () => {
    await world.drain(); // nothing left over from earlier tests may meet the failures below
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    // Three tries (the queue's retries, shortened here) each meet a 401 from Shopify.
    world.shopify.failNext(SHOP, { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } }, 3);
    await world.drain({ createLabel: 6, writeBack: 2 });
    const [s] = await shipmentsOf(orderId!);
    expect(s).toMatchObject({ writebackState: "failed" });
    expect(s!.writebackError).toBeTruthy();
    expect((await world.orderRow(orderId!)).status).toBe("to_ship");
    expect(await retryWriteBack(labelDeps(rt), world.shop.id, s!.id)).toBe(true);
    await world.drain();
    const [after] = await shipmentsOf(orderId!);
    expect(after!.writebackState).toBe("done");
    expect((await world.orderRow(orderId!)).status).toBe("shipped");
  });

  it("the merchant's write-back retry and its job are one transaction: a queue that fails leaves the shipment failed, with its reason", async () => {
    await world.drain();
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    world.shopify.failNext(SHOP, { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } }, 3);
    await world.drain({ createLabel: 6, writeBack: 2 });
    const [failed] = await shipmentsOf(orderId!);
    expect(failed).toMatchObject({ writebackState: "failed" });
    const writeBackJobs = () => countRows(rt, "pgboss.job", `name = 'write-back' and data->>'shipmentId' = '${failed!.id}'`);
    const jobsBefore = await writeBackJobs();

    // The queue refuses the job: nothing of the retry may stay behind (no "pending" without a job to finish it).
    const down = { ...labelDeps(rt), queue: { ...rt.queue, send: async () => Promise.reject(new Error("queue unavailable")) } };
    await expect(retryWriteBack(down, world.shop.id, failed!.id)).rejects.toThrow("queue unavailable");
    const [unchanged] = await shipmentsOf(orderId!);
    expect(unchanged).toMatchObject({ writebackState: "failed", writebackError: failed!.writebackError });
    expect(await writeBackJobs()).toBe(jobsBefore);

    // The real queue: the job goes in with the state change, which nobody outside sees before both are committed.
    let seenOutside: string | undefined;
    const watched = {
      ...labelDeps(rt),
      queue: {
        ...rt.queue,
        send: (async (queue, data, opts) => {
          seenOutside = (await shipmentsOf(orderId!))[0]!.writebackState;
          return rt.queue.send(queue, data, opts);
        }) as typeof rt.queue.send,
      },
    };
    expect(await retryWriteBack(watched, world.shop.id, failed!.id)).toBe(true);
    expect(seenOutside).toBe("failed");
    expect((await shipmentsOf(orderId!))[0]).toMatchObject({ writebackState: "pending", writebackError: null });
    expect(await writeBackJobs()).toBe(jobsBefore + 1);
    await world.drain();
    expect((await shipmentsOf(orderId!))[0]!.writebackState).toBe("done");
    expect((await world.orderRow(orderId!)).status).toBe("shipped");
  });

  it("another shop can neither download nor retry this shop's shipments", async () => {
    const other = await installShop(rt.db, "shopify", "someone-else.myshopify.com");
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.shopId, world.shop.id)).limit(1);
    expect(await labelPdfsForShipments(labelDeps(rt), other.id, [s!.id])).toEqual({ pdfs: [], found: 0 });
    expect(await retryWriteBack(labelDeps(rt), other.id, s!.id)).toBe(false);
    const mine = await labelPdfsForShipments(labelDeps(rt), world.shop.id, [s!.id]);
    expect(mine.found).toBe(1);
    expect(Buffer.from(mine.pdfs[0]!).subarray(0, 4).toString()).toBe("%PDF");
    const otherRequests = await rt.db.select().from(labelRequests).where(eq(labelRequests.shopId, other.id));
    expect(otherRequests).toHaveLength(0);
  });
});

describe("operator CLI", () => {
  it("`label` goes the button's way (job-based, idempotent) and `shipments` lists the result", async () => {
    const { runCli } = await import("../../app/cli/cli");
    const { registerWorkers } = await import("../../app/jobs/workers.server");
    // What `npm run koppel -- label` gets in its own process: workers. Here they join the test's runtime.
    await registerWorkers(rt.boss, rt, { pollingIntervalSeconds: 0.5 });
    const [orderId] = await world.paidOrders(1);
    const number = (await world.orderRow(orderId!)).number;
    const lines: string[] = [];
    const spy = (await import("vitest")).vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    try {
      const code = await runCli(["label", "--shop", SHOP, "--order", number.replace("#", ""), "--colli", "3", "--json"]);
      expect(code, lines.join("\n")).toBe(0);
      const printed = JSON.parse(lines.at(-1)!);
      expect(printed).toMatchObject({ order: number, state: "created", writebackState: "done" });
      expect(printed.trackingUrl).toContain(printed.trackingNumber);
      // Again: idempotent, shows the existing label instead of buying another.
      lines.length = 0;
      expect(await runCli(["label", "--shop", SHOP, "--order", number, "--json"])).toBe(0);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ joinedExisting: true, trackingNumber: printed.trackingNumber });
      expect(carrierShipmentsFor(number)).toHaveLength(1);
      lines.length = 0;
      expect(await runCli(["shipments", "--shop", SHOP, "--json"])).toBe(0);
      const row = lines.map((l) => JSON.parse(l)).find((r) => r.orderNumber === number);
      expect(row).toMatchObject({ colli: 3, service: OPTIONS.service, writtenBack: true, environment: "staging" });
      expect(row.waybill).toBeTruthy();
    } finally {
      spy.mockRestore();
    }
  });
});
