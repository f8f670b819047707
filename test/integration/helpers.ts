// Shared by integration tests: the runtime on this file's fresh database, and a deterministic job drain.
import { sql } from "drizzle-orm";
import { getRuntime, type Runtime } from "../../app/runtime.server";
import { processDeliveries } from "../../app/core/deliveries.server";
import { QUEUES, type JobData } from "../../app/jobs/queue.server";
import { env } from "../../app/env.server";
import { signedWebhookRequest, orderWebhookPayload, type FakeOrder } from "../fakes/shopify";

export const SECRET = env.SHOPIFY_API_SECRET;

export async function runtime(): Promise<Runtime> {
  return getRuntime({ workers: false });
}

/** Runs every queued process-delivery job once, in batches as the worker does (processDeliveries); returns the outcomes. */
export async function drainDeliveries(rt: Runtime): Promise<string[]> {
  const outcomes: string[] = [];
  for (;;) {
    const jobs = await rt.boss.fetch<JobData["process-delivery"]>(QUEUES.processDelivery, { batchSize: 50 });
    if (!jobs.length) return outcomes;
    const results = await processDeliveries(rt, jobs.flatMap((j) => j.data.deliveryIds));
    for (const job of jobs) {
      for (const id of job.data.deliveryIds) {
        const r = results.get(id)!;
        if (r instanceof Error) {
          await rt.boss.fail(QUEUES.processDelivery, job.id, { message: r.message });
          throw r;
        }
        outcomes.push(r);
      }
      await rt.boss.complete(QUEUES.processDelivery, job.id);
    }
  }
}

export function orderWebhook(opts: { shop: string; topic: string; order: FakeOrder; webhookId?: string; path?: string }): Request {
  return signedWebhookRequest({
    url: `http://localhost${opts.path ?? "/webhooks/orders"}`,
    topic: opts.topic,
    shop: opts.shop,
    payload: orderWebhookPayload(opts.order),
    secret: SECRET,
    webhookId: opts.webhookId,
  });
}

export async function countRows(rt: Runtime, table: string, where = "true"): Promise<number> {
  const r = (await rt.db.execute(sql.raw(`select count(*)::int as n from ${table} where ${where}`))) as unknown as { n: number }[] | { rows: { n: number }[] };
  const rows = Array.isArray(r) ? r : r.rows;
  return rows[0]!.n;
}
