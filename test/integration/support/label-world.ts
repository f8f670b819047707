// A shop ready to ship: fake Shopify (msw) with paid orders, their import, a from address, and a carrier connection
// at the fake Boekuwzending (loopback). Shared by the label tests.
import { Session } from "@shopify/shopify-api";
import { eq } from "drizzle-orm";
import { createFakeShopify, dutchOrder, orderWebhookPayload, startFakeShopifyServer } from "../../fakes/shopify";
import { startFakeCarrier, type StartFakeCarrierOptions } from "../../fakes/carrier";
import type { Runtime } from "../../../app/runtime.server";
import { labelDeps } from "../../../app/runtime.server";
import { configureCarrierBaseUrls } from "../../../app/carriers/registry.server";
import { sessionStorage } from "../../../app/shopify.server";
import { installShop, saveFromAddress } from "../../../app/core/shops.server";
import { importOrder } from "../../../app/core/import-order.server";
import { connectCarrier } from "../../../app/core/labels/connection.server";
import { processLabelRequest } from "../../../app/core/labels/label-job.server";
import { writeBackShipment } from "../../../app/core/labels/write-back.server";
import { shopifyAdapter } from "../../../app/platforms/registry.server";
import { labelRequests, orders } from "../../../app/db/schema";
import { QUEUE_OPTIONS, QUEUES, type JobData } from "../../../app/jobs/queue.server";
import { WRITE_BACK_CONCURRENCY } from "../../../app/jobs/workers.server";
import { fromAddressFixture } from "../../fixtures/from-address";

export const CARRIER_ACCOUNT = { clientId: "koppel-test-client", clientSecret: "s3cr3t-client-secret-9876" };

export const FROM_ADDRESS = fromAddressFixture();

export async function startLabelWorld(rt: Runtime, shopDomain: string, opts: { environment?: "staging" | "production"; carrier?: StartFakeCarrierOptions } = {}) {
  // Real time, so Shopify's leaky bucket refills while the adapter waits; a Plus-sized bucket keeps bulk tests quick.
  const { fake: shopify, handlers } = createFakeShopify({ bucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
  const msw = startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
  const carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT], ...opts.carrier });
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
  shopify.addShop(shopDomain, { accessToken: "shpat_label_world" });
  const shop = await installShop(rt.db, "shopify", shopDomain);
  await sessionStorage.storeSession(new Session({ id: `offline_${shopDomain}`, shop: shopDomain, state: "s", isOnline: false, accessToken: "shpat_label_world" }));
  await saveFromAddress(rt.db, shop.id, FROM_ADDRESS);
  const connected = await connectCarrier(labelDeps(rt), shop.id, {
    carrier: "boekuwzending",
    environment: opts.environment ?? "staging",
    ...CARRIER_ACCOUNT,
  });
  if (!connected.ok) throw new Error(`carrier connect failed: ${connected.reason}`);

  /** Paid orders in the fake shop, imported into Koppel; returns Koppel order ids. */
  async function paidOrders(n: number, overrides: Parameters<typeof dutchOrder>[0] = {}) {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const o = shopify.upsertOrder(shopDomain, dutchOrder({ financialStatus: "PAID", ...overrides }));
      const parsed = shopifyAdapter().parseOrderWebhook(orderWebhookPayload(o));
      if (!parsed.ok) throw new Error(parsed.reason);
      const r = await importOrder(rt.db, { shopId: shop.id, paidStatuses: ["paid"], order: parsed.value, source: "webhook", log: false });
      if (r.outcome !== "imported") throw new Error(`not imported: ${JSON.stringify(r)}`);
      ids.push(r.orderId);
    }
    return ids;
  }

  /**
   * Runs queued create-label and write-back jobs like pg-boss workers would, retrying a throwing job right away
   * (instead of after the queue's backoff) up to the queue's retry limit.
   */
  async function drain(limits: { createLabel: number; writeBack: number } = { createLabel: QUEUE_OPTIONS[QUEUES.createLabel].retryLimit, writeBack: QUEUE_OPTIONS[QUEUES.writeBack].retryLimit }) {
    const deps = labelDeps(rt);
    for (;;) {
      const labels = await rt.boss.fetch<JobData["create-label"]>(QUEUES.createLabel, { batchSize: 100 });
      const backs = await rt.boss.fetch<JobData["write-back"]>(QUEUES.writeBack, { batchSize: 100 });
      if (!labels.length && !backs.length) return;
      await Promise.all(
        labels.map(async (job) => {
          for (let attempt = 0; ; attempt++) {
            try {
              await processLabelRequest(deps, job.data.labelRequestId, { finalAttempt: attempt >= limits.createLabel });
              break;
            } catch {
              if (attempt >= limits.createLabel) break;
            }
          }
          await rt.boss.complete(QUEUES.createLabel, job.id);
        }),
      );
      // As many at a time as the write-back worker runs.
      for (let i = 0; i < backs.length; i += WRITE_BACK_CONCURRENCY) {
        await Promise.all(
          backs.slice(i, i + WRITE_BACK_CONCURRENCY).map(async (job) => {
            for (let attempt = 0; ; attempt++) {
              try {
                await writeBackShipment(deps, job.data.shipmentId, { finalAttempt: attempt >= limits.writeBack });
                break;
              } catch {
                if (attempt >= limits.writeBack) break;
              }
            }
            await rt.boss.complete(QUEUES.writeBack, job.id);
          }),
        );
      }
    }
  }

  async function orderRow(id: number) {
    const [o] = await rt.db.select().from(orders).where(eq(orders.id, id));
    return o!;
  }
  async function requestsOf(orderId: number) {
    return rt.db.select().from(labelRequests).where(eq(labelRequests.orderId, orderId));
  }

  return {
    shop,
    shopify,
    carrier,
    paidOrders,
    drain,
    orderRow,
    requestsOf,
    async close() {
      msw.close();
      configureCarrierBaseUrls(null);
      await carrier.close();
    },
  };
}
