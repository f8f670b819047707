// A worker killed mid-batch (SIGKILL during a burst) leaves its process-delivery job `active` with a dead owner. pg-boss
// must hand it to a live worker within about a minute — not after its 15-minute default expiry — and the delivery is
// then imported. Real pg-boss, a real worker in a child process that dies, a real worker here that takes over.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { deliveries, orders } from "../../app/db/schema";
import { receiveDelivery } from "../../app/core/deliveries.server";
import { installShop } from "../../app/core/shops.server";
import { registerWorkers } from "../../app/jobs/workers.server";
import { rowsOf } from "../../app/db/client.server";
import { env } from "../../app/env.server";
import { FakeShopify, dutchOrder, orderWebhookPayload } from "../fakes/shopify";
import { runtime } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

const SHOP = "worker-crash.myshopify.com";
/** The bound: a crash delays a delivery by at most about a minute. */
const RECOVERY_BOUND_MS = 60_000;
let rt: Runtime;
const fake = new FakeShopify();
fake.addShop(SHOP);

beforeAll(async () => {
  rt = await runtime();
  await installShop(rt.db, "shopify", SHOP);
});
afterAll(async () => {
  await rt.stop();
});

async function jobOf(deliveryId: number) {
  return rowsOf<{ state: string; retry_count: number; output: { message?: string } | null }>(
    await rt.db.execute(
      sql`select state, retry_count, output from pgboss.job where name = 'process-delivery' and data->'deliveryIds' @> ${JSON.stringify([deliveryId])}::jsonb`,
    ),
  )[0]!;
}
const outcomeOf = async (id: number) => (await rt.db.select({ o: deliveries.outcome }).from(deliveries).where(eq(deliveries.id, id)))[0]!.o;

describe("a process-delivery worker SIGKILLed mid-batch", () => {
  it("its job is retried by a live worker and the delivery imported within about a minute", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ financialStatus: "PAID" }));
    const stored = await receiveDelivery(rt.db, rt.queue, {
      platform: "shopify",
      shopDomain: SHOP,
      webhookId: `crash-${order.id}`,
      topic: "orders/paid",
      payload: orderWebhookPayload(order),
      bodyIsJson: true,
    });
    if (stored.status !== "stored") throw new Error(`not stored: ${stored.status}`);
    const deliveryId = stored.deliveryId;

    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "support/kill-mid-delivery.ts")], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: env.DATABASE_URL, KOPPEL_WORKERS: "0", LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    const killedAt = Date.now();
    expect(signal, stderr).toBe("SIGKILL");
    // Claimed by the dead worker: active, nothing imported.
    expect((await jobOf(deliveryId)).state).toBe("active");
    expect(await outcomeOf(deliveryId)).toBe("pending");

    // A live worker (this process, as after a restart or on another machine).
    await registerWorkers(rt.boss, rt, { pollingIntervalSeconds: 0.5 });
    // Polls past the bound (so a miss shows how far off it was), not up to the old 15 minutes.
    while ((await outcomeOf(deliveryId)) === "pending" && Date.now() - killedAt < RECOVERY_BOUND_MS + 30_000) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const recoveredMs = Date.now() - killedAt;
    console.info(`process-delivery: ${await outcomeOf(deliveryId)} ${recoveredMs} ms after its worker was SIGKILLed`);
    expect(await outcomeOf(deliveryId), `still ${await outcomeOf(deliveryId)} ${recoveredMs} ms after the kill`).toBe("imported");
    expect(recoveredMs).toBeLessThan(RECOVERY_BOUND_MS);
    const job = await jobOf(deliveryId);
    expect(job.retry_count).toBeGreaterThanOrEqual(1); // a retry of the dead worker's attempt, not a second job
    const [shopOrder] = await rt.db.select().from(orders).where(eq(orders.platformOrderId, String(order.id)));
    expect(shopOrder).toMatchObject({ status: "to_ship", number: order.name });
  }, 150_000);
});
