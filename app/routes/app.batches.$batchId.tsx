// Progress of one label batch, polled by the order list (JSON); POST retries the batch's failed labels.
// Another shop's batch id is simply not found.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { getRuntime, labelDeps } from "~/runtime.server";
import { retryFailedLabels } from "~/core/labels/retries.server";
import { batchProgress } from "~/core/labels/reads.server";

const BatchId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const id = BatchId.safeParse(params.batchId);
  if (!id.success) throw notFound();
  const progress = await batchProgress(db, merchant.shopId, id.data);
  if (!progress) throw notFound();
  return progress;
}

export type BatchRetryResult = { ok: true; retried: number };

export async function action({ request, params }: ActionFunctionArgs): Promise<BatchRetryResult> {
  const merchant = await requireMerchant(request);
  const id = BatchId.safeParse(params.batchId);
  if (!id.success) throw notFound();
  // The batch must be this shop's (retryFailedLabels is shop-scoped too; this gives a clear 404).
  if (!(await batchProgress(db, merchant.shopId, id.data))) throw notFound();
  const retried = await retryFailedLabels(labelDeps(await getRuntime()), merchant.shopId, id.data);
  return { ok: true, retried };
}
