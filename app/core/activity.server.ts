// The activity log: what came in, what went out, per shop. `summary` is a message key (app/i18n) so the UI can show it in
// the merchant's language; `reason` is the technical detail (platform/carrier text), shown as is.
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client.server";
import { bulkInsert } from "../db/bulk.server";
import { activity, type ActivityKind, type ActivityResult } from "../db/schema";
import { isReasonCode } from "./reasons";

export type ActivityEntry = typeof activity.$inferSelect;

export type NewActivity = {
  shopId: number;
  kind: ActivityKind;
  source: "webhook" | "sync" | "merchant" | "cli" | "system";
  result: ActivityResult;
  summary: string;
  orderNumber?: string | null;
  reason?: string | null;
  durationMs?: number | null;
  details?: Record<string, unknown> | null;
};

export async function logActivity(db: DbOrTx, entry: NewActivity): Promise<void> {
  await db.insert(activity).values(entry);
}

const ACTIVITY_KEYS = ["shopId", "kind", "source", "result", "summary", "orderNumber", "reason", "durationMs", "details"] as const satisfies readonly (keyof NewActivity)[];
// Every field of NewActivity is written (the compiler says so when one is added).
const _everyActivityField: Exclude<keyof NewActivity, (typeof ACTIVITY_KEYS)[number]> extends never ? true : never = true;

/** Many entries in one INSERT (kept in the given order: ids follow it). */
export async function logActivities(db: DbOrTx, entries: readonly NewActivity[]): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((e) => ({ ...e, orderNumber: e.orderNumber ?? null, reason: e.reason ?? null, durationMs: e.durationMs ?? null, details: e.details ?? null }));
  await db.execute(bulkInsert({ table: activity, keys: ACTIVITY_KEYS, rows }));
}

/** Newest first, keyset paged on the id (insertion order; timestamps carry microseconds a JS Date would lose). */
export async function listActivity(db: Db, shopId: number, opts: { limit?: number; beforeId?: number } = {}): Promise<ActivityEntry[]> {
  const limit = Math.min(opts.limit ?? 50, 200);
  const where = opts.beforeId ? and(eq(activity.shopId, shopId), lt(activity.id, opts.beforeId)) : eq(activity.shopId, shopId);
  // NULLS LAST as in activity_shop_id_idx (drizzle builds index columns that way), so the index is read in order.
  return db.select().from(activity).where(where).orderBy(sql`${activity.id} desc nulls last`).limit(limit);
}

/** The values an activity summary may show ({count}, …): short strings and numbers, never the details blob. */
export function activityParams(details: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (details && typeof details === "object") {
    for (const [k, v] of Object.entries(details as Record<string, unknown>)) {
      if (k === "reasonCode") continue;
      if (typeof v === "number" || (typeof v === "string" && v.length <= 200)) out[k] = v;
    }
  }
  return out;
}

/** Koppel's reason code of a carrier or write-back failure row, when it has one. */
export function activityReasonCode(details: unknown): string | null {
  const code = details && typeof details === "object" ? (details as Record<string, unknown>).reasonCode : undefined;
  return isReasonCode(code) ? code : null;
}
