// A write-back for a shop whose Shopify access is gone fails once, at once, with its reason on the shipment and in
// Activiteit: no retries against a shop that can never answer (issue 9).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { processLabelRequest } from "../../app/core/labels/label-job.server";
import { uninstallShop } from "../../app/core/privacy.server";
import { activity, sessions, shipments } from "../../app/db/schema";
import { QUEUES, type JobData } from "../../app/jobs/queue.server";
import { registerWorkers } from "../../app/jobs/workers.server";

const SHOP = "writeback-gone.myshopify.com";
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

/** A label made, its write-back job queued but not yet run. */
async function labelAwaitingWriteBack() {
  const [orderId] = await world.paidOrders(1);
  const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
  expect(r.ok).toBe(true);
  const [job] = await rt.boss.fetch<JobData["create-label"]>(QUEUES.createLabel, { batchSize: 1 });
  expect(await processLabelRequest(labelDeps(rt), job!.data.labelRequestId)).toBe("created");
  await rt.boss.complete(QUEUES.createLabel, job!.id);
  const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId!));
  return s!;
}

async function waitFor<T>(read: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("write-back after the access is gone", () => {
  it("app/uninstalled: the write-back job fails once with the reason, visible on the shipment and in Activiteit", async () => {
    const s = await labelAwaitingWriteBack();
    await uninstallShop(rt, "shopify", SHOP);
    await registerWorkers(rt.boss, rt, { pollingIntervalSeconds: 0.5 });
    const failed = await waitFor(async () => {
      const [row] = await rt.db.select().from(shipments).where(eq(shipments.id, s.id));
      return row?.writebackState === "failed" ? row : undefined;
    }, "the write-back to fail");
    expect(failed.writebackAttempts).toBe(1);
    expect(failed.writebackError).toMatch(/no longer installed/);
    const logged = await rt.db
      .select()
      .from(activity)
      .where(and(eq(activity.shopId, world.shop.id), eq(activity.kind, "writeback")));
    expect(logged.map((a) => a.summary)).toEqual(["writeback.not_installed"]);
    expect(world.shopify.fulfillmentCalls(SHOP)).toHaveLength(0);
    // The job itself is finished: pg-boss will not run it again.
    const jobs = await rt.boss.findJobs<JobData["write-back"]>(QUEUES.writeBack, { data: { shipmentId: s.id } });
    expect(jobs.map((j) => [j.state, j.retryCount])).toEqual([["completed", 0]]);
  });

  it("Shopify session gone while Koppel still thinks it is installed: the adapter says so, not retryable", async () => {
    // Reinstall in Koppel's books, but without a Shopify session (the token was deleted after a 401).
    const { writeBackShipment } = await import("../../app/core/labels/write-back.server");
    const { shops } = await import("../../app/db/schema");
    await rt.db.update(shops).set({ uninstalledAt: null }).where(eq(shops.id, world.shop.id));
    await rt.db.delete(sessions).where(eq(sessions.shop, SHOP));
    const s = await labelAwaitingWriteBack();
    // The workers of the first test run this write-back.
    const row = await waitFor(async () => {
      const [r] = await rt.db.select().from(shipments).where(eq(shipments.id, s.id));
      return r?.writebackState === "failed" ? r : undefined;
    }, "the write-back to fail");
    expect(row).toMatchObject({ writebackState: "failed", writebackAttempts: 1 });
    expect(row.writebackError).toMatch(/no access/);
    expect(await writeBackShipment(labelDeps(rt), s.id)).toBe("failed"); // by hand again: still no call to Shopify
    expect(world.shopify.fulfillmentCalls(SHOP)).toHaveLength(0);
  });
});
