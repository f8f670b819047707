// 3. bulk-labels: 500 orders through requestLabels, real pg-boss workers in this process, fake carrier at 150 ms,
// fake Shopify (msw) with its default throttle (2000 points, 100/s). Two floors: Shopify's bucket for the points
// actually used (reads and mutations), and for the fulfillmentCreate mutations alone.
// The orders arrive as in production: by webhook, then read again by the periodic sync (every order changed since its
// cursor, every 10 minutes by default), which stores their fulfillment orders for the write-back.
import { and, eq, sql } from "drizzle-orm";
import { Session } from "@shopify/shopify-api";
import type { FakeShopify } from "../../test/fakes/shopify";
import { dutchOrder, orderWebhookPayload } from "../../test/fakes/shopify";
import type { RunningFakeCarrier } from "../../test/fakes/carrier";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { sessionStorage } from "../../app/shopify.server";
import { installShop, saveFromAddress } from "../../app/core/shops.server";
import { importOrder } from "../../app/core/import-order.server";
import { syncShop } from "../../app/core/sync.server";
import { connectCarrier, getCarrierConnection } from "../../app/core/labels/connection.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { shopifyAdapter } from "../../app/platforms/registry.server";
import { labelRequests, shipments } from "../../app/db/schema";
import { CARRIER_CONCURRENCY } from "../../app/jobs/workers.server";
import { round, sleep } from "../lib/stats";
import type { BenchResult } from "../lib/result";
import { fromAddressFixture } from "../../test/fixtures/from-address";

export const LABEL_SHOP = "bench-labels.myshopify.com";
export const CARRIER_ACCOUNT = { clientId: "koppel-bench-client", clientSecret: "bench-client-secret-1234" };
const FROM_ADDRESS = fromAddressFixture("Koppel Bench BV", "verzending@koppel-bench.nl");

type CostRecord = { shop: string; requested: number; actual: number | null; throttled: boolean; mutation: boolean; at: number; available: number | null };

/** Wraps the fake's GraphQL execution to keep the cost of every call (what Shopify's bucket accounting sees). */
export function recordCosts(fake: FakeShopify): CostRecord[] {
  const records: CostRecord[] = [];
  const original = fake.executeGraphql.bind(fake);
  fake.executeGraphql = async (domain, query, variables, operationName) => {
    const body = await original(domain, query, variables, operationName);
    const cost = body.extensions?.cost as
      | { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus?: { currentlyAvailable: number } }
      | undefined;
    const throttled = Array.isArray(body.errors) && body.errors.some((e) => (e as { extensions?: { code?: string } }).extensions?.code === "THROTTLED");
    const mutation = /^\s*mutation\b/.test(query);
    if (cost)
      records.push({
        shop: domain,
        requested: cost.requestedQueryCost,
        actual: cost.actualQueryCost,
        throttled,
        mutation,
        at: performance.now(),
        available: cost.throttleStatus?.currentlyAvailable ?? null,
      });
    return body;
  };
  return records;
}

export async function setUpLabelShop(rt: Runtime, shopify: FakeShopify, domain: string, orderCount: number) {
  shopify.addShop(domain, { accessToken: `shpat_${domain}` });
  const shop = await installShop(rt.db, "shopify", domain);
  await sessionStorage.storeSession(new Session({ id: `offline_${domain}`, shop: domain, state: "s", isOnline: false, accessToken: `shpat_${domain}` }));
  await saveFromAddress(rt.db, shop.id, FROM_ADDRESS);
  const connected = await connectCarrier(labelDeps(rt), shop.id, { carrier: "boekuwzending", environment: "staging", ...CARRIER_ACCOUNT });
  if (!connected.ok) throw new Error(`carrier connect failed: ${connected.reason}`);
  const ids: number[] = [];
  for (let i = 0; i < orderCount; i++) {
    const o = shopify.upsertOrder(domain, dutchOrder({ seed: 10_000 + i, financialStatus: "PAID" }));
    const parsed = shopifyAdapter().parseOrderWebhook(orderWebhookPayload(o));
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = await importOrder(rt.db, { shopId: shop.id, paidStatuses: ["paid"], order: parsed.value, source: "webhook", log: false });
    if (r.outcome !== "imported") throw new Error(`not imported: ${JSON.stringify(r)}`);
    ids.push(r.orderId);
  }
  // The periodic sync that follows the webhooks. It is not what is measured: Shopify's restore rate is raised while it
  // runs and the bucket is full again after it, as it is by the time a merchant labels orders synced minutes before.
  const { restoreRate } = shopify.throttleStatus(domain);
  shopify.setBucket(domain, { restoreRate: 1_000_000 });
  const synced = await syncShop({ db: rt.db, platform: shopifyAdapter(), clock: rt.clock, encryptionKey: rt.encryptionKey }, shop.id);
  if (synced.status !== "done" || synced.failed) throw new Error(`sync failed: ${JSON.stringify(synced)}`);
  shopify.setBucket(domain, { restoreRate, currentlyAvailable: Number.MAX_SAFE_INTEGER });
  return { shopId: shop.id, orderIds: ids };
}

export async function bulkLabels(
  rt: Runtime,
  shopify: FakeShopify,
  costs: CostRecord[],
  carrier: RunningFakeCarrier,
  opts: { orders: number; latencyMs: number; timeoutMs: number; log: (s: string) => void },
): Promise<{ result: BenchResult; shopId: number; shipmentIds: number[] }> {
  const { shopId, orderIds } = await setUpLabelShop(rt, shopify, LABEL_SHOP, opts.orders);
  const conn = await getCarrierConnection(rt.db, shopId);
  const service = conn!.services[0]!.code;
  carrier.fake.setLatency(opts.latencyMs);
  const bucket = shopify.throttleStatus(LABEL_SHOP);
  const carrierRequestsBefore = carrier.fake.requestCount();
  costs.length = 0;

  const started = performance.now();
  const requested = await requestLabels(labelDeps(rt), shopId, { orderIds, options: { service, colli: 1, packageType: "package" }, source: "cli" });
  if (!requested.ok || requested.queued.length !== opts.orders) throw new Error(`requestLabels: ${JSON.stringify(requested).slice(0, 500)}`);
  const requestedMs = performance.now() - started;

  const progress = async () => {
    const [r] = (await rt.db.execute(sql`
      select
        (select count(*)::int from ${shipments} where shop_id = ${shopId}) as labels,
        (select count(*)::int from ${shipments} where shop_id = ${shopId} and writeback_state = 'done') as written,
        (select count(*)::int from ${shipments} where shop_id = ${shopId} and writeback_state = 'failed') as writeback_failed,
        (select count(*)::int from ${labelRequests} where shop_id = ${shopId} and state in ('failed', 'rejected')) as label_failed`)) as unknown as {
      labels: number;
      written: number;
      writeback_failed: number;
      label_failed: number;
    }[];
    return r!;
  };
  let p = await progress();
  let labelsDoneMs: number | null = null;
  const deadline = Date.now() + opts.timeoutMs;
  while (p.written + p.writeback_failed + p.label_failed < opts.orders && Date.now() < deadline) {
    await sleep(100);
    p = await progress();
    if (labelsDoneMs === null && p.labels + p.label_failed >= opts.orders) labelsDoneMs = performance.now() - started;
  }
  const seconds = (performance.now() - started) / 1000;
  carrier.fake.setLatency(0);

  const mine = costs.filter((c) => c.shop === LABEL_SHOP);
  const sumActual = mine.reduce((s, c) => s + (c.actual ?? 0), 0);
  const sumRequested = mine.filter((c) => !c.throttled).reduce((s, c) => s + c.requested, 0);
  const initial = bucket?.currentlyAvailable ?? 2000;
  const restore = bucket?.restoreRate ?? 100;
  const carrierFloor = (opts.latencyMs / 1000) * opts.orders / CARRIER_CONCURRENCY;
  const shopifyFloor = Math.max(0, sumActual - initial) / restore;
  const floor = Math.max(carrierFloor, shopifyFloor);
  const ratio = seconds / floor;
  // Second floor: the least time Shopify's bucket allows for the fulfillmentCreate mutations alone (one per order, at
  // the actual cost Shopify reported for them), as if reading the fulfillment orders cost nothing.
  const mutations = mine.filter((c) => c.mutation && !c.throttled && c.actual !== null);
  const mutationCost = mutations.length ? mutations.reduce((s, c) => s + c.actual!, 0) / mutations.length : 10;
  const mutationFloor = Math.max(0, mutationCost * opts.orders - initial) / restore;
  const mutationRatio = seconds / mutationFloor;
  // Where the time went: until the bucket first ran low, Shopify was not what limited (its refill was lost while full).
  const low = mine.find((c) => c.available !== null && c.available < 100);
  const firstCallAt = mine[0]?.at ?? null;
  const shipmentRows = await rt.db.select({ id: shipments.id }).from(shipments).where(and(eq(shipments.shopId, shopId)));
  return {
    shopId,
    shipmentIds: shipmentRows.map((r) => r.id),
    result: {
      value: round(seconds, 2),
      floor: round(floor, 2),
      ratio: round(ratio, 3),
      goal: "<= 1.25 (both floors)",
      met: ratio <= 1.25 && mutationRatio <= 1.25 && p.written === opts.orders,
      mutationFloorS: round(mutationFloor, 2),
      mutationRatio: round(mutationRatio, 3),
      mutationActualCost: round(mutationCost, 2),
      unit: "s",
      orders: opts.orders,
      labelsCreated: p.labels,
      writtenBack: p.written,
      labelFailures: p.label_failed,
      writebackFailures: p.writeback_failed,
      timedOut: p.written + p.writeback_failed + p.label_failed < opts.orders,
      requestLabelsMs: round(requestedMs, 1),
      allLabelsAfterS: labelsDoneMs === null ? null : round(labelsDoneMs / 1000, 2),
      carrierLatencyMs: opts.latencyMs,
      carrierConcurrency: CARRIER_CONCURRENCY,
      carrierRequests: carrier.fake.requestCount() - carrierRequestsBefore,
      carrierFloorS: round(carrierFloor, 2),
      shopifyCalls: mine.length,
      shopifyThrottledCalls: mine.filter((c) => c.throttled).length,
      shopifyPointsActual: sumActual,
      shopifyPointsRequested: sumRequested,
      shopifyReadCalls: mine.filter((c) => !c.mutation && !c.throttled).length,
      shopifyReadPointsActual: mine.filter((c) => !c.mutation).reduce((s, c) => s + (c.actual ?? 0), 0),
      shopifyMutationPointsActual: mine.filter((c) => c.mutation).reduce((s, c) => s + (c.actual ?? 0), 0),
      shopifyBucket: { initial, restoreRate: restore },
      shopifyFloorS: round(shopifyFloor, 2),
      floorIs: shopifyFloor > carrierFloor ? "shopify throttle" : "carrier",
      firstShopifyCallAfterS: firstCallAt === null ? null : round((firstCallAt - started) / 1000, 2),
      bucketLowAfterS: low ? round((low.at - started) / 1000, 2) : null,
      bucketLeftAtEnd: mine.at(-1)?.available ?? null,
    },
  };
}
