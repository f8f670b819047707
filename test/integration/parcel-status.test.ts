// Parcel status end to end: Boekuwzending's signed label-update webhooks (the fake carrier signs and sends them to
// Koppel's route), the track & trace poll for parcels whose webhooks never came, and "Problemen" in Zendingen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { countRows, runtime } from "./helpers";
import { CARRIER_ACCOUNT, startLabelWorld } from "./support/label-world";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { connectCarrier } from "../../app/core/labels/connection.server";
import { applyCarrierWebhook, applyWaitingWebhooks, sha256Hex } from "../../app/core/parcels/webhook.server";
import { processLabelRequest } from "../../app/core/labels/label-job.server";
import type { Carrier } from "../../app/core/ports";
import { ensureParcelWebhook } from "../../app/core/parcels/register-webhook.server";
import { pollParcels } from "../../app/core/parcels/poll.server";
import { parcelHistory, parcelStatusForOrders } from "../../app/core/parcels/reads.server";
import { listShipments } from "../../app/core/labels/reads.server";
import { workingDaysBefore } from "../../app/core/parcels/stuck";
import { carrierAccounts, carrierWebhooks, shipments } from "../../app/db/schema";
import { QUEUES, type JobData } from "../../app/jobs/queue.server";
import { action as carrierWebhookAction } from "../../app/routes/carrier-webhooks.boekuwzending.$token";
import { createMerchantCookieSession } from "../../app/merchant.server";
import { loader as shipmentsLoader } from "../../app/routes/app.shipments";

const SHOP = "parcels-test.myshopify.com";
const KOPPEL = "http://koppel.test";
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;

/** The fake carrier's webhook POSTs, answered by Koppel's route (as the server would route them). */
const toKoppel: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const token = url.pathname.split("/").pop()!;
  const request = new Request(url, { method: init?.method ?? "POST", headers: init?.headers, body: init?.body as string });
  return carrierWebhookAction({ request, params: { token }, context: {} });
};

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP, { carrier: { fetch: toKoppel } });
  const r = await connectCarrier(labelDeps(rt), world.shop.id, {
    carrier: "boekuwzending",
    environment: "staging",
    ...CARRIER_ACCOUNT,
    parcelWebhookAddress: (token) => `${KOPPEL}/carrier-webhooks/boekuwzending/${token}`,
  });
  if (!r.ok) throw new Error(r.reason);
});
afterAll(async () => {
  await world.close();
  await rt.stop();
});

/** One paid order with its label made; returns its shipment row. */
async function shippedOrder(colli = 1) {
  const [orderId] = await world.paidOrders(1);
  await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: { service: "postnl-standard", colli, packageType: "package" }, source: "merchant" });
  await world.drain();
  const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId!));
  return s!;
}

/** Runs the queued apply-carrier-webhook jobs as the worker does. */
async function applyQueued(): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const jobs = await rt.boss.fetch<JobData["apply-carrier-webhook"]>(QUEUES.applyCarrierWebhook, { batchSize: 50 });
    if (!jobs.length) return out;
    for (const job of jobs) {
      out.push(await applyCarrierWebhook(rt, job.data.carrierWebhookId));
      await rt.boss.complete(QUEUES.applyCarrierWebhook, job.id);
    }
  }
}

const shipmentRow = async (id: number) => (await rt.db.select().from(shipments).where(eq(shipments.id, id)))[0]!;

describe("label-update webhooks", () => {
  it("registers one label-update webhook per carrier account, at an address that names the account", async () => {
    const hooks = world.carrier.fake.registeredWebhooks(CARRIER_ACCOUNT.clientId);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ event: "label-update" });
    expect(hooks[0]!.url).toMatch(new RegExp(`^${KOPPEL}/carrier-webhooks/boekuwzending/[A-Za-z0-9_-]{43}$`));
    const [account] = await rt.db.select().from(carrierAccounts).where(eq(carrierAccounts.shopId, world.shop.id));
    expect(account!.parcelWebhookRegisteredAt).not.toBeNull();
    // Only the token's hash is kept.
    expect(account!.parcelWebhookTokenHash).not.toContain(hooks[0]!.url.split("/").pop());
    // Connecting the same account again registers nothing more.
    await connectCarrier(labelDeps(rt), world.shop.id, { carrier: "boekuwzending", environment: "staging", ...CARRIER_ACCOUNT, parcelWebhookAddress: (t) => `${KOPPEL}/x/${t}` });
    expect(world.carrier.fake.registeredWebhooks(CARRIER_ACCOUNT.clientId)).toHaveLength(1);
  });

  it("stores the address's token hash before the carrier is told, so a process dying right after still gets the updates", async () => {
    const [before] = await rt.db.select().from(carrierAccounts).where(eq(carrierAccounts.shopId, world.shop.id));
    await rt.db.update(carrierAccounts).set({ parcelWebhookRegisteredAt: null }).where(eq(carrierAccounts.id, before!.id));
    let storedWhenCalled: string | null | undefined;
    let tokenHashOfAddress: string | undefined;
    const carrierFor = () =>
      ({
        registerLabelWebhook: async (_creds: unknown, url: string) => {
          const [a] = await rt.db.select().from(carrierAccounts).where(eq(carrierAccounts.id, before!.id));
          storedWhenCalled = a!.parcelWebhookTokenHash;
          tokenHashOfAddress = sha256Hex(url.split("/").pop()!);
          throw new Error("the process died after the carrier accepted the address");
        },
      }) as never;
    try {
      const r = await ensureParcelWebhook({ db: rt.db, carrierFor, encryptionKey: rt.encryptionKey }, before!.id, (t) => `${KOPPEL}/carrier-webhooks/boekuwzending/${t}`);
      expect(r.ok).toBe(false);
      expect(storedWhenCalled).toBe(tokenHashOfAddress);
    } finally {
      await rt.db.update(carrierAccounts).set({ parcelWebhookTokenHash: before!.parcelWebhookTokenHash, parcelWebhookRegisteredAt: before!.parcelWebhookRegisteredAt, parcelWebhookError: null }).where(eq(carrierAccounts.id, before!.id));
    }
  });

  it("a signed label update moves the shipment to onderweg, then afgeleverd, with its time and history", async () => {
    const s = await shippedOrder();
    expect(s.parcelStatus).toBe("created");
    // Whole seconds: the carrier's dates have no milliseconds.
    const transitAt = new Date(Math.floor(s.createdAt.getTime() / 1000) * 1000 + 3600_000);
    const [d1] = await world.carrier.fake.advanceLabel(s.trackingNumber, "in_transit", { at: transitAt });
    expect(d1!.status).toBe(200);
    expect(await applyQueued()).toEqual(["applied"]);
    let row = await shipmentRow(s.id);
    expect(row).toMatchObject({ parcelStatus: "in_transit", parcelCarrierStatus: "in_transit", parcelFinal: false, parcelDescription: "Zending is onderweg" });
    expect(row.parcelStatusAt!.toISOString()).toBe(transitAt.toISOString());

    const deliveredAt = new Date(transitAt.getTime() + 4 * 3600_000);
    const [d2] = await world.carrier.fake.advanceLabel(s.trackingNumber, "delivered", { at: deliveredAt });
    expect(d2!.status).toBe(200);
    await applyQueued();
    row = await shipmentRow(s.id);
    expect(row).toMatchObject({ parcelStatus: "delivered", parcelFinal: true });
    expect(row.parcelStatusAt!.toISOString()).toBe(deliveredAt.toISOString());
    const history = await parcelHistory(rt.db, world.shop.id, s.id);
    expect(history.map((h) => h.status)).toEqual(["created", "in_transit", "delivered"]);
    expect(history.every((h) => h.source === "webhook")).toBe(true);
    // The order page's query gives the same.
    const [view] = await parcelStatusForOrders(rt.db, world.shop.id, [s.orderId]);
    expect(view).toMatchObject({ shipmentId: s.id, status: "delivered", stuck: false });
    // Another shop sees nothing of it.
    expect(await parcelHistory(rt.db, world.shop.id + 999, s.id)).toEqual([]);

    // The same delivery again (the carrier retries): stored once, nothing changes.
    const before = await countRows(rt, "carrier_webhooks");
    const again = await toKoppel(d2!.url, { method: "POST", headers: { "content-type": "application/json" }, body: d2!.body });
    expect(again.status).toBe(200);
    expect(await countRows(rt, "carrier_webhooks")).toBe(before);
    expect(await applyQueued()).toEqual([]);
    expect(await countRows(rt, "parcel_events", `shipment_id = ${s.id}`)).toBe(3);
  });

  it("refuses a forged, an unsigned and a misaddressed label update, and stores none of them", async () => {
    const s = await shippedOrder();
    const [real] = await world.carrier.fake.advanceLabel(s.trackingNumber, "scanned");
    await applyQueued();
    const before = await countRows(rt, "carrier_webhooks");
    const signed = JSON.parse(real!.body) as { data: { id: string; payload: { active: { status: string } } }; meta: { hmac: string } };
    const post = (url: string, body: string) => toKoppel(url, { method: "POST", headers: { "content-type": "application/json" }, body });

    // Same signature, another status: refused.
    const forged = structuredClone(signed);
    forged.data.id = "forged-1";
    forged.data.payload.active.status = "delivered";
    expect((await post(real!.url, JSON.stringify(forged))).status).toBe(401);
    // Signed with someone else's secret.
    const otherKey = structuredClone(signed);
    otherKey.meta.hmac = "0".repeat(64);
    expect((await post(real!.url, JSON.stringify(otherKey))).status).toBe(401);
    // The portal's envelope without a signature.
    expect((await post(real!.url, JSON.stringify(signed.data))).status).toBe(401);
    // A real signature at an address Koppel never gave out.
    expect((await post(`${KOPPEL}/carrier-webhooks/boekuwzending/${"A".repeat(43)}`, real!.body)).status).toBe(404);

    expect(await countRows(rt, "carrier_webhooks")).toBe(before);
    expect((await shipmentRow(s.id)).parcelStatus).toBe("scanned");
  });
});

describe("a label update that comes before its shipment is stored", () => {
  /** Requests a label and runs its create-label job(s) with this carrier instead of the real adapter. */
  async function labelWith(carrier: (real: Carrier) => Carrier, runs = 1) {
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    const deps = labelDeps(rt);
    const wrapped = carrier(deps.carrierFor("boekuwzending"));
    const jobs = await rt.boss.fetch<JobData["create-label"]>(QUEUES.createLabel, { batchSize: 10 });
    for (const job of jobs) {
      for (let i = 0; i < runs; i++) await processLabelRequest({ ...deps, carrierFor: () => wrapped }, job.data.labelRequestId).catch(() => undefined);
      await rt.boss.complete(QUEUES.createLabel, job.id);
    }
    await world.drain();
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId!));
    return s!;
  }
  /** The carrier's webhook for a label it just made, delivered and applied before Koppel has stored the label. */
  async function updateFirst(waybill: string, status: string, at: Date) {
    const [d] = await world.carrier.fake.advanceLabel(waybill, status, { at });
    expect(d!.status).toBe(200);
    expect(await applyQueued()).toEqual(["no_shipment"]);
    return d!;
  }
  const webhookOf = async (eventId: string) => (await rt.db.select().from(carrierWebhooks).where(eq(carrierWebhooks.eventId, eventId)))[0]!;

  it("is applied when the label job stores the shipment", async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_000);
    let delivery: Awaited<ReturnType<typeof updateFirst>> | undefined;
    const s = await labelWith((real) => ({
      ...real,
      async createShipment(creds, request) {
        const created = await real.createShipment(creds, request);
        delivery = await updateFirst(created.labels[0]!.waybill, "scanned", at);
        return created;
      },
    }));
    expect(delivery).toBeDefined();
    expect(s).toMatchObject({ parcelStatus: "scanned", parcelCarrierStatus: "scanned" });
    expect(s.parcelStatusAt!.toISOString()).toBe(at.toISOString());
    expect(await webhookOf(delivery!.eventId)).toMatchObject({ outcome: "applied" });
    const history = await parcelHistory(rt.db, world.shop.id, s.id);
    expect(history.map((h) => [h.status, h.source])).toEqual([["created", "webhook"], ["scanned", "webhook"]]);
    // Once: applying the waiting updates again finds none, and nothing is stored twice.
    expect(await rt.db.transaction((tx) => applyWaitingWebhooks(tx, s))).toBe(0);
    expect(await applyQueued()).toEqual([]);
    expect(await countRows(rt, "parcel_events", `shipment_id = ${s.id}`)).toBe(2);
  });

  it("one that cannot be applied never undoes storing the label: the shipment is kept, the update stays waiting", async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 90_000);
    let eventId: string | undefined;
    const s = await labelWith((real) => ({
      ...real,
      async createShipment(creds, request) {
        const created = await real.createShipment(creds, request);
        eventId = (await updateFirst(created.labels[0]!.waybill, "scanned", at)).eventId;
        // What was stored of it can no longer be read (a payload from an older Koppel, a hand edit).
        await rt.db.update(carrierWebhooks).set({ payload: { waybill: created.labels[0]!.waybill, updates: "unreadable" } }).where(eq(carrierWebhooks.eventId, eventId));
        return created;
      },
    }));
    expect(s).toMatchObject({ parcelStatus: "created" });
    expect(await webhookOf(eventId!)).toMatchObject({ outcome: "no_shipment" });
  });

  it("is applied when a retried label job finds the shipment at the carrier (reconcile)", async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000);
    let eventId: string | undefined;
    let first = true;
    const posts = () => world.carrier.fake.requestLog().filter((r) => r.method === "POST" && r.path === "/shipments").length;
    const postsBefore = posts();
    const s = await labelWith(
      (real) => ({
        ...real,
        async createShipment(creds, request) {
          const created = await real.createShipment(creds, request);
          if (!first) return created;
          first = false;
          eventId = (await updateFirst(created.labels[0]!.waybill, "in_transit", at)).eventId;
          // The worker dies after the carrier made the label: the next run reconciles instead of buying another.
          throw new Error("worker lost after the carrier answered");
        },
      }),
      2,
    );
    // One label bought; the second run found it by its key.
    expect(posts()).toBe(postsBefore + 1);
    expect(s).toMatchObject({ parcelStatus: "in_transit" });
    expect(await webhookOf(eventId!)).toMatchObject({ outcome: "applied" });
  });

  it("older than a week (another parcel's, the waybill reused) is left alone", async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 180_000);
    let eventId: string | undefined;
    const s = await labelWith((real) => ({
      ...real,
      async createShipment(creds, request) {
        const created = await real.createShipment(creds, request);
        eventId = (await updateFirst(created.labels[0]!.waybill, "scanned", at)).eventId;
        await rt.db.update(carrierWebhooks).set({ receivedAt: new Date(Date.now() - 8 * 86400_000) }).where(eq(carrierWebhooks.eventId, eventId));
        return created;
      },
    }));
    expect(s.parcelStatus).toBe("created");
    expect(await webhookOf(eventId!)).toMatchObject({ outcome: "no_shipment" });
  });
});

describe("the track & trace poll", () => {
  it("updates a shipment whose webhooks never came, and waits out a 429 before asking again", async () => {
    const s = await shippedOrder();
    world.carrier.fake.setWebhooksEnabled(false);
    try {
      await world.carrier.fake.advanceLabel(s.trackingNumber, "scanned", { at: new Date(s.createdAt.getTime() + 60_000) });
      await world.carrier.fake.advanceLabel(s.trackingNumber, "in_transit", { at: new Date(s.createdAt.getTime() + 120_000) });
    } finally {
      world.carrier.fake.setWebhooksEnabled(true);
    }
    expect(await applyQueued()).toEqual([]);
    expect((await shipmentRow(s.id)).parcelStatus).toBe("created");

    // Fresh parcels are left alone: the webhook may still come.
    expect((await pollParcels(labelDeps(rt), { now: new Date() })).asked).toBe(0);

    const later = new Date(Date.now() + 5 * 3600_000);
    world.carrier.fake.failNext(1, { status: 429, retryAfterSeconds: 3 }, (req) => req.path.startsWith("/track-and-trace/"));
    const waits: number[] = [];
    const result = await pollParcels({ ...labelDeps(rt), sleep: async (ms) => void waits.push(ms) }, { now: later });
    expect(waits).toEqual([3000]);
    expect(result.updated).toBeGreaterThanOrEqual(1);
    const row = await shipmentRow(s.id);
    expect(row.parcelStatus).toBe("in_transit");
    expect(row.parcelPolledAt!.toISOString()).toBe(later.toISOString());
    const history = await parcelHistory(rt.db, world.shop.id, s.id);
    expect(history.map((h) => [h.status, h.source])).toEqual([
      ["created", "poll"],
      ["scanned", "poll"],
      ["in_transit", "poll"],
    ]);
    // Asked once: the next run within the quiet period leaves it alone.
    const calls = () => world.carrier.fake.requestLog().filter((r) => r.path === `/track-and-trace/${s.labels[0]!.id}`).length;
    const n = calls();
    await pollParcels(labelDeps(rt), { now: new Date(later.getTime() + 60_000) });
    expect(calls()).toBe(n);
  });

  it("leaves an account alone for the rest of the run when the carrier says to wait long", async () => {
    const s = await shippedOrder();
    world.carrier.fake.failWhen((req) => req.path.startsWith("/track-and-trace/"), { status: 429, retryAfterSeconds: 600 });
    try {
      const r = await pollParcels({ ...labelDeps(rt), sleep: async () => {} }, { now: new Date(Date.now() + 10 * 3600_000) });
      // One call was refused; the account's other parcels were not asked about in this run.
      expect(r.asked).toBe(1);
      expect(r.throttled).toBeGreaterThanOrEqual(1);
      expect((await shipmentRow(s.id)).parcelPolledAt).toBeNull();
    } finally {
      world.carrier.fake.clearFailures();
    }
  });
});

describe("a multi-colli shipment", () => {
  const quietAfter = (d: Date) => new Date(d.getTime() + 5 * 3600_000);
  const ttCalls = (labelId: string) => world.carrier.fake.requestLog().filter((r) => r.path === `/track-and-trace/${labelId}`).length;

  it("is polled for every collo, shows the least advanced one, and is final only when every collo is", async () => {
    const s = await shippedOrder(2);
    expect(s.labels).toHaveLength(2);
    const [one, two] = s.labels as [(typeof s.labels)[0], (typeof s.labels)[0]];
    const t0 = Math.floor(s.createdAt.getTime() / 1000) * 1000;
    world.carrier.fake.setWebhooksEnabled(false);
    try {
      await world.carrier.fake.advanceLabel(two.waybill, "in_transit", { at: new Date(t0 + 60_000) });
      await world.carrier.fake.advanceLabel(one.waybill, "delivered", { at: new Date(t0 + 120_000) });
    } finally {
      world.carrier.fake.setWebhooksEnabled(true);
    }
    const before = [ttCalls(one.id), ttCalls(two.id)];
    const first = quietAfter(new Date());
    await pollParcels({ ...labelDeps(rt), sleep: async () => {} }, { now: first });
    expect([ttCalls(one.id), ttCalls(two.id)]).toEqual([before[0]! + 1, before[1]! + 1]);
    // One collo delivered, the other still travelling: the shipment is "onderweg", and still followed.
    let row = await shipmentRow(s.id);
    expect(row).toMatchObject({ parcelStatus: "in_transit", parcelFinal: false });
    expect(row.parcelStatusAt!.toISOString()).toBe(new Date(t0 + 60_000).toISOString());
    const history = await parcelHistory(rt.db, world.shop.id, s.id);
    expect(history.map((h) => h.status)).toEqual(["created", "created", "in_transit", "delivered"]);

    world.carrier.fake.setWebhooksEnabled(false);
    try {
      await world.carrier.fake.advanceLabel(two.waybill, "delivered", { at: new Date(t0 + 180_000) });
    } finally {
      world.carrier.fake.setWebhooksEnabled(true);
    }
    await pollParcels({ ...labelDeps(rt), sleep: async () => {} }, { now: quietAfter(first) });
    row = await shipmentRow(s.id);
    expect(row).toMatchObject({ parcelStatus: "delivered", parcelFinal: true });
    expect(row.parcelStatusAt!.toISOString()).toBe(new Date(t0 + 180_000).toISOString());
  });

  it("by webhooks: a collo without news keeps it aangemaakt, a problem wins, and the poll settles finality", async () => {
    const s = await shippedOrder(2);
    const [one, two] = s.labels as [(typeof s.labels)[0], (typeof s.labels)[0]];
    const t0 = Math.floor(s.createdAt.getTime() / 1000) * 1000;
    await world.carrier.fake.advanceLabel(one.waybill, "delivered", { at: new Date(t0 + 60_000) });
    await applyQueued();
    expect(await shipmentRow(s.id)).toMatchObject({ parcelStatus: "created", parcelFinal: false, parcelStatusAt: null });
    await world.carrier.fake.advanceLabel(two.waybill, "rejected", { at: new Date(t0 + 120_000) });
    await applyQueued();
    expect(await shipmentRow(s.id)).toMatchObject({ parcelStatus: "problem", parcelCarrierStatus: "rejected" });
    await world.carrier.fake.advanceLabel(two.waybill, "delivered", { at: new Date(t0 + 180_000) });
    await applyQueued();
    // Both delivered; the webhook named one collo, so the shipment is not yet known final: the next poll asks both.
    expect(await shipmentRow(s.id)).toMatchObject({ parcelStatus: "delivered", parcelFinal: false });
    await pollParcels({ ...labelDeps(rt), sleep: async () => {} }, { now: quietAfter(new Date()) });
    expect(await shipmentRow(s.id)).toMatchObject({ parcelStatus: "delivered", parcelFinal: true });
  });
});

describe("two colli's updates at once", () => {
  it("never leave a stale status: the second waits for the first's commit and sees its event", async () => {
    const { recordParcelUpdates } = await import("../../app/core/parcels/record.server");
    const { sql } = await import("drizzle-orm");
    const s = await shippedOrder(2);
    const [one, two] = s.labels as [(typeof s.labels)[0], (typeof s.labels)[0]];
    const ref = { id: s.id, shopId: s.shopId, labels: s.labels };
    const delivered = (l: typeof one, at: number) => ({ labelId: l.id, waybill: l.waybill, status: "delivered" as const, carrierStatus: "delivered", carrierCode: null, description: null, at: new Date(at), final: true });
    const t0 = s.createdAt.getTime() + 60_000;
    let second: Promise<number> | undefined;
    let secondDone = false;
    await rt.db.transaction(async (tx) => {
      // The first collo's update is recorded, not yet committed, when the second collo's comes in.
      await recordParcelUpdates(tx, ref, [delivered(one, t0)], "webhook");
      second = recordParcelUpdates(rt.db, ref, [delivered(two, t0 + 1000)], "webhook").then((n) => {
        secondDone = true;
        return n;
      });
      // Either it waits on the shipment's row (what it must do) or it has already finished without seeing the first.
      await expect
        .poll(
          async () => {
            if (secondDone) return "finished";
            const waiting = (await rt.db.execute(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)) as unknown as { n: number }[];
            return Number(waiting[0]?.n ?? 0) > 0 ? "waiting" : "running";
          },
          { timeout: 10_000, interval: 20 },
        )
        .not.toBe("running");
    });
    await second;
    expect(await shipmentRow(s.id)).toMatchObject({ parcelStatus: "delivered" });
  });
});

describe("Problemen", () => {
  it("lists a shipment with no scan 2 working days after its label, and returned or rejected ones, not moving ones", async () => {
    const stuck = await shippedOrder();
    const moving = await shippedOrder();
    const returned = await shippedOrder();
    const rejected = await shippedOrder();
    const fresh = await shippedOrder();
    const now = new Date();
    const longAgo = new Date(workingDaysBefore(now).getTime() - 3600_000);
    for (const s of [stuck, moving]) await rt.db.update(shipments).set({ createdAt: longAgo }).where(eq(shipments.id, s.id));
    await world.carrier.fake.advanceLabel(moving.trackingNumber, "in_transit");
    await world.carrier.fake.advanceLabel(returned.trackingNumber, "return_in_transit");
    await world.carrier.fake.advanceLabel(rejected.trackingNumber, "rejected");
    await applyQueued();

    const page = await listShipments(rt.db, world.shop.id, { status: "problems", now, limit: 1000 });
    const ids = page.rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([stuck.id, returned.id, rejected.id]));
    expect(ids).not.toContain(moving.id);
    expect(ids).not.toContain(fresh.id);

    // Zendingen's loader: the filter and each row's status with its time.
    const cookie = (await createMerchantCookieSession(world.shop.id, { locale: "nl" })).split(";")[0]!;
    const data = await shipmentsLoader({ request: new Request("http://localhost/app/shipments?status=problems", { headers: { Cookie: cookie } }), params: {}, context: {} });
    const rows = new Map(data.shipments.map((r) => [r.id, r.parcel]));
    expect(rows.get(String(stuck.id))).toMatchObject({ status: "created", stuck: true });
    expect(rows.get(String(returned.id))).toMatchObject({ status: "returned", stuck: true });
    expect(rows.get(String(rejected.id))).toMatchObject({ status: "problem", stuck: true });
    expect(rows.has(String(moving.id))).toBe(false);
  });
});
