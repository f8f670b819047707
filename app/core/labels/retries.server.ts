// The merchant's "Opnieuw proberen": failed label requests and failed write-backs go back to their queue, the state
// change and the job in one transaction (both or neither).
import { and, eq, inArray } from "drizzle-orm";
import { labelRequests, shipments } from "../../db/schema";
import type { LabelDeps } from "./deps";

/** "Opnieuw proberen" for a batch's failures: same idempotency keys, so a request that did reach the carrier is reconciled. */
export async function retryFailedLabels(deps: LabelDeps, shopId: number, batchId: number): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const failed = await tx
      .select({ id: labelRequests.id, orderId: labelRequests.orderId })
      .from(labelRequests)
      .where(and(eq(labelRequests.shopId, shopId), eq(labelRequests.batchId, batchId), inArray(labelRequests.state, ["failed", "rejected"])));
    let n = 0;
    for (const r of failed) {
      const [live] = await tx
        .select({ id: labelRequests.id })
        .from(labelRequests)
        .where(and(eq(labelRequests.orderId, r.orderId), inArray(labelRequests.state, ["queued", "sending", "created"])));
      if (live) continue;
      // A new series of attempts (the queue's retry count starts over too).
      await tx.update(labelRequests).set({ state: "queued", lastError: null, attempts: 0, updatedAt: new Date() }).where(eq(labelRequests.id, r.id));
      await deps.queue.send("create-label", { labelRequestId: r.id }, { tx });
      n++;
    }
    return n;
  });
}

/** "Opnieuw" for a failed write-back: pending again with its job, or (the queue refusing) still failed with its reason. */
export async function retryWriteBack(deps: LabelDeps, shopId: number, shipmentId: number): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .update(shipments)
      .set({ writebackState: "pending", writebackError: null })
      .where(and(eq(shipments.id, shipmentId), eq(shipments.shopId, shopId), eq(shipments.writebackState, "failed")))
      .returning({ id: shipments.id });
    if (!rows.length) return false;
    await deps.queue.send("write-back", { shipmentId }, { tx });
    return true;
  });
}
