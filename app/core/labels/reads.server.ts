// What pages and the CLI read about labels: a batch's progress, the shipments list (keyset pages), and the latest
// label state per order for the order list. Queries only; nothing here writes.
import { and, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { labelBatches, labelRequests, orders, shipments } from "../../db/schema";
import { cursorAtOf, pageCursors, toPage } from "../keyset";
import { decodeReason, type Reason } from "../reasons";
import { stuckCondition } from "../parcels/stuck.server";

export type BatchProgress = {
  batchId: number;
  total: number;
  done: number;
  created: number;
  pending: number;
  failed: { labelRequestId: number; orderId: number; orderNumber: string; state: string; reason: Reason | null }[];
  /** Pending requests whose last attempt failed and that the queue retries ("poging n" = attempts made so far). */
  retrying: { labelRequestId: number; orderId: number; orderNumber: string; attempt: number; reason: Reason | null }[];
};

export async function batchProgress(db: Db, shopId: number, batchId: number): Promise<BatchProgress | null> {
  const [batch] = await db.select().from(labelBatches).where(and(eq(labelBatches.id, batchId), eq(labelBatches.shopId, shopId)));
  if (!batch) return null;
  const reqs = await db
    .select({
      id: labelRequests.id,
      orderId: labelRequests.orderId,
      state: labelRequests.state,
      attempts: labelRequests.attempts,
      lastError: labelRequests.lastError,
      number: orders.number,
    })
    .from(labelRequests)
    .innerJoin(orders, eq(orders.id, labelRequests.orderId))
    .where(and(eq(labelRequests.batchId, batchId), eq(labelRequests.shopId, shopId)));
  const created = reqs.filter((r) => r.state === "created").length;
  const failed = reqs
    .filter((r) => r.state === "failed" || r.state === "rejected")
    .map((r) => ({ labelRequestId: r.id, orderId: r.orderId, orderNumber: r.number, state: r.state, reason: decodeReason(r.lastError) }));
  const retrying = reqs
    .filter((r) => (r.state === "queued" || r.state === "sending") && r.lastError)
    .map((r) => ({ labelRequestId: r.id, orderId: r.orderId, orderNumber: r.number, attempt: Math.max(1, r.attempts), reason: decodeReason(r.lastError) }));
  return { batchId, total: batch.total, created, done: created + failed.length, pending: batch.total - created - failed.length, failed, retrying };
}

export type ShipmentFilter = {
  /** "problems": stuck parcels (app/core/parcels/stuck.ts). */
  status?: "all" | "written_back" | "writeback_pending" | "writeback_failed" | "problems";
  /** The instant "stuck" is measured from (default: now). */
  now?: Date;
  from?: Date;
  to?: Date;
  /** Rows per page (at most 1000). */
  limit?: number;
  /** Cursors from a previous page (keyset on created_at desc, id desc); a bad one is ignored. */
  after?: string | null;
  before?: string | null;
};

/** A page of the shop's shipments, newest first (Zendingen, the CLI). */
export async function listShipments(db: Db, shopId: number, filter: ShipmentFilter = {}) {
  const limit = Math.max(1, Math.min(Math.trunc(filter.limit ?? 200) || 200, 1000));
  const { after, before } = pageCursors(filter);
  const cursor = after ?? before;
  const conds: SQL[] = [eq(shipments.shopId, shopId)];
  if (filter.from) conds.push(gte(shipments.createdAt, filter.from));
  if (filter.to) conds.push(lte(shipments.createdAt, filter.to));
  if (filter.status === "written_back") conds.push(eq(shipments.writebackState, "done"));
  if (filter.status === "writeback_pending") conds.push(eq(shipments.writebackState, "pending"));
  if (filter.status === "writeback_failed") conds.push(eq(shipments.writebackState, "failed"));
  if (filter.status === "problems") conds.push(stuckCondition(filter.now ?? new Date()));
  if (cursor) {
    const key = sql`(${shipments.createdAt}, ${shipments.id})`;
    const at = sql`(${cursor.at}::timestamptz, ${cursor.id}::bigint)`;
    conds.push(after ? sql`${key} < ${at}` : sql`${key} > ${at}`);
  }
  const rows = await db
    .select({
      id: shipments.id,
      orderId: shipments.orderId,
      orderNumber: orders.number,
      customerName: orders.customerName,
      service: shipments.service,
      colli: shipments.colli,
      packageType: shipments.packageType,
      trackingNumber: shipments.trackingNumber,
      trackingUrl: shipments.trackingUrl,
      trackingCompany: shipments.trackingCompany,
      status: shipments.status,
      environment: shipments.environment,
      createdAt: shipments.createdAt,
      writebackState: shipments.writebackState,
      writebackError: shipments.writebackError,
      mailState: shipments.mailState,
      mailError: shipments.mailError,
      mailedAt: shipments.mailedAt,
      writtenBackAt: shipments.writtenBackAt,
      parcelStatus: shipments.parcelStatus,
      parcelStatusAt: shipments.parcelStatusAt,
      parcelDescription: shipments.parcelDescription,
      cursorAt: cursorAtOf(shipments.createdAt),
    })
    .from(shipments)
    .innerJoin(orders, eq(orders.id, shipments.orderId))
    .where(and(...conds))
    // NULLS LAST/FIRST as in shipments_shop_created_idx, so the index is read in order (both columns are NOT NULL).
    .orderBy(
      ...(before
        ? [sql`${shipments.createdAt} asc nulls first`, sql`${shipments.id} asc nulls first`]
        : [sql`${shipments.createdAt} desc nulls last`, sql`${shipments.id} desc nulls last`]),
    )
    .limit(limit + 1);
  const cursors = rows.map((r) => r.cursorAt);
  return toPage(
    rows.map(({ cursorAt: _c, ...r }) => r),
    cursors,
    { limit, after, before },
  );
}

/** Latest label state per order, for the order list ("Label aangemaakt", "Mislukt: …"). */
export async function labelStateForOrders(db: Db, shopId: number, orderIds: number[]) {
  if (!orderIds.length) return [];
  return db
    .select({
      orderId: labelRequests.orderId,
      state: labelRequests.state,
      attempts: labelRequests.attempts,
      lastError: labelRequests.lastError,
      trackingNumber: shipments.trackingNumber,
      trackingUrl: shipments.trackingUrl,
      writebackState: shipments.writebackState,
      writebackError: shipments.writebackError,
      shipmentId: shipments.id,
    })
    .from(labelRequests)
    .leftJoin(shipments, eq(shipments.labelRequestId, labelRequests.id))
    .where(and(eq(labelRequests.shopId, shopId), inArray(labelRequests.orderId, orderIds)))
    .orderBy(desc(labelRequests.id));
}
