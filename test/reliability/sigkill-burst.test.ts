// SIGKILL during a webhook burst: the production server (build/server.js, its own workers) is killed while its
// worker holds claimed delivery jobs, restarted on the same port, and Shopify's retries of what was not acknowledged
// arrive. Every delivery that was answered 200 must be stored and imported within a minute of the restart (a claimed
// job of the dead worker must not wait out pg-boss's default 15-minute expiry), and no order may exist twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeShopify, dutchOrder, orderWebhookPayload } from "../fakes/shopify";
import { productionSecrets, startProductionServer, useInThisProcess, type ProductionServer } from "./support/server";
import { loopbackPool, send, sendAll, signedDelivery, type Delivery } from "./support/webhooks";
import { closeAppDatabase, installShop, observer } from "./support/shops";

const SHOP = "reliability-burst.myshopify.com";
const ORDERS = 340;
/** The bound: a crash delays an acknowledged delivery at most about a minute. */
const RECOVERY_MS = 60_000;
const databaseUrl = process.env.DATABASE_URL!;
const secrets = productionSecrets();
useInThisProcess(secrets, databaseUrl);

let server: ProductionServer | undefined;
const db = observer(databaseUrl);

beforeAll(async () => {
  await installShop(SHOP);
  server = await startProductionServer({ databaseUrl, secrets, workers: true });
});

afterAll(async () => {
  await server?.stop();
  await db.end();
  await closeAppDatabase();
});

/** 340 paid orders; every 10th delivery is followed by Shopify repeating an earlier one (same webhook id), and every 10th by an orders/updated of an order already sent (same order, another webhook id). */
function burst(): { sequence: Delivery[]; distinct: Map<string, Delivery>; orderIds: Set<string> } {
  const fake = new FakeShopify();
  fake.addShop(SHOP);
  const sequence: Delivery[] = [];
  const distinct = new Map<string, Delivery>();
  const orderIds = new Set<string>();
  const payloads: unknown[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const order = fake.upsertOrder(SHOP, dutchOrder({ seed: 70_000 + i, financialStatus: "PAID" }));
    orderIds.add(String(order.id));
    const payload = orderWebhookPayload(order);
    payloads.push(payload);
    const d = signedDelivery({ shop: SHOP, topic: "orders/paid", secret: secrets.SHOPIFY_API_SECRET, payload });
    sequence.push(d);
    distinct.set(d.webhookId, d);
    if (i % 10 === 9) sequence.push(sequence[sequence.length - 6]!);
    if (i % 10 === 4 && i >= 5) {
      const again = signedDelivery({ shop: SHOP, topic: "orders/updated", secret: secrets.SHOPIFY_API_SECRET, payload: payloads[i - 3] });
      sequence.push(again);
      distinct.set(again.webhookId, again);
    }
  }
  return { sequence, distinct, orderIds };
}

describe("SIGKILL of the production server during a webhook burst", () => {
  it("imports every acknowledged delivery within a minute of the restart, once", async () => {
    const { sequence, distinct, orderIds } = burst();
    const port = server!.port;
    const pool = loopbackPool(port, 16);
    const acked = new Set<string>();
    let killed = false;
    let claimedAtKill = 0;

    // The kill lands when the worker holds claimed (active) delivery jobs: those are what only expiry hands back.
    const killer = (async () => {
      const deadline = Date.now() + 20_000;
      while (acked.size < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      while (Date.now() < deadline) {
        const states = await db.deliveryJobStates();
        if ((states.active ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      await server!.kill();
      killed = true;
      claimedAtKill = (await db.deliveryJobStates()).active ?? 0;
    })();
    const first = await sendAll(pool, sequence, {
      concurrency: 16,
      timeoutMs: 10_000,
      stop: () => killed,
      onResult: (d, r) => {
        if (r.status === 200) acked.add(d.webhookId);
      },
    });
    await killer;
    const ackedBeforeKill = new Set(acked);
    const sentBeforeKill = first.filter(Boolean).length;
    await pool.close();

    // Sanity of the harness: the burst was cut, some deliveries were acknowledged, and the dead worker held jobs.
    expect(ackedBeforeKill.size, "deliveries acknowledged before the kill").toBeGreaterThan(50);
    expect(ackedBeforeKill.size, "the kill came mid-burst").toBeLessThan(distinct.size);
    expect(claimedAtKill, "process-delivery jobs the killed worker had claimed").toBeGreaterThan(0);

    const stored = new Set((await db.deliveries(SHOP)).map((r) => r.webhook_id));
    expect([...ackedBeforeKill].filter((id) => !stored.has(id)), "acknowledged (200) but not stored").toEqual([]);

    server = await startProductionServer({ databaseUrl, secrets, workers: true, port });
    const restartedAt = Date.now();

    // Shopify retries every delivery it got no 200 for (a few attempts here; it keeps trying for 48 hours).
    const retryPool = loopbackPool(port, 8);
    const unanswered = [...distinct.values()].filter((d) => !acked.has(d.webhookId));
    for (let attempt = 0; attempt < 5 && unanswered.some((d) => !acked.has(d.webhookId)); attempt++) {
      await sendAll(retryPool, unanswered.filter((d) => !acked.has(d.webhookId)), {
        concurrency: 8,
        onResult: (d, r) => {
          if (r.status === 200) acked.add(d.webhookId);
        },
      });
    }
    await retryPool.close();
    expect([...distinct.keys()].filter((id) => !acked.has(id)), "never acknowledged after the restart").toEqual([]);

    // Every delivery gets its outcome; the ones acknowledged before the kill within RECOVERY_MS of the restart.
    let rows = await db.deliveries(SHOP);
    while (Date.now() - restartedAt < RECOVERY_MS && rows.some((r) => r.outcome === "pending")) {
      await new Promise((r) => setTimeout(r, 500));
      rows = await db.deliveries(SHOP);
    }
    const recoveredMs = Date.now() - restartedAt;
    const byId = new Map(rows.map((r) => [r.webhook_id, r]));
    const stuck = [...ackedBeforeKill].filter((id) => byId.get(id)?.outcome !== "imported" && byId.get(id)?.outcome !== "updated");
    const jobStates = await db.deliveryJobStates();
    console.log(
      `sigkill-burst: ${sequence.length} requests (${distinct.size} distinct deliveries, ${orderIds.size} orders); ` +
        `${sentBeforeKill} answered or failed before the kill, ${ackedBeforeKill.size} acknowledged; ${claimedAtKill} jobs claimed by the killed worker; ` +
        `outcomes ${recoveredMs} ms after the restart: ${JSON.stringify(countBy(rows.map((r) => r.outcome)))}; jobs ${JSON.stringify(jobStates)}`,
    );
    const sample = (ids: string[]) => ids.slice(0, 3).map((id) => `${id}: ${byId.get(id)?.outcome ?? "missing"} ${byId.get(id)?.reason ?? ""}`);
    expect(
      stuck.length,
      `acknowledged before the kill, not imported ${RECOVERY_MS / 1000} s after the restart (process-delivery jobs: ${JSON.stringify(jobStates)}), e.g. ${sample(stuck)}`,
    ).toBe(0);
    const unfinished = rows.filter((r) => r.outcome !== "imported" && r.outcome !== "updated").map((r) => r.webhook_id);
    expect(unfinished.length, `deliveries without an import, e.g. ${sample(unfinished)}`).toBe(0);
    expect(rows.length, "one deliveries row per webhook id").toBe(distinct.size);

    const counts = await db.orderCounts(SHOP);
    expect([...counts].filter(([, c]) => c.rows !== 1), "orders stored more than once").toEqual([]);
    expect([...orderIds].filter((id) => counts.get(id)?.status !== "to_ship"), "orders not imported as to ship").toEqual([]);
    expect(counts.size).toBe(orderIds.size);

    // The restarted server is healthy and keeps importing.
    const late = signedDelivery({ shop: SHOP, topic: "orders/updated", secret: secrets.SHOPIFY_API_SECRET, payload: JSON.parse(sequence[0]!.body) });
    const probe = loopbackPool(port, 1);
    expect((await send(probe, late)).status).toBe(200);
    await probe.close();
  });
});

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
