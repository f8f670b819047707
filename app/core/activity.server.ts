// The activity log: what came in, what went out, per shop. `summary` is a message key (app/i18n) so the UI can show it in
// the merchant's language; `reason` is the technical detail (platform/carrier text), shown as is.
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { activity, type ActivityKind, type ActivityResult } from "../db/schema";

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

export async function logActivity(db: Db, entry: NewActivity): Promise<void> {
  await db.insert(activity).values(entry);
}

/** Newest first, keyset paged on (at, id). */
export async function listActivity(
  db: Db,
  shopId: number,
  opts: { limit?: number; before?: { at: Date; id: number } } = {},
): Promise<ActivityEntry[]> {
  const limit = Math.min(opts.limit ?? 50, 200);
  const where = opts.before
    ? and(
        eq(activity.shopId, shopId),
        or(lt(activity.at, opts.before.at), and(eq(activity.at, opts.before.at), lt(activity.id, opts.before.id))),
      )
    : eq(activity.shopId, shopId);
  return db.select().from(activity).where(where).orderBy(desc(activity.at), desc(activity.id)).limit(limit);
}
