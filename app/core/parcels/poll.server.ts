// The poll for parcels whose webhooks did not come: open shipments (not final, under 30 days old) the carrier has said
// nothing about for a few hours are asked about at its track & trace endpoint, least recently asked first. The
// carrier's limits are unpublished (contract A: "Rate limits: unconfirmed"), so the poll is polite: one call at a time,
// a bounded batch per run, and a 429 makes it wait out a short Retry-After once and otherwise leave that account
// alone until the next run.
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { shipments, shops } from "../../db/schema";
import { isCarrierError, type CarrierCredentials } from "../ports";
import type { LabelDeps } from "../labels/deps";
import { loadAccountCredentials, type AccountCredentials } from "../labels/connection.server";
import { recordParcelUpdates } from "./record.server";

/** Labels asked about per run (all shops together). */
export const POLL_BATCH = 50;
/** A parcel the carrier has told Koppel nothing about for this long is asked about. */
export const POLL_QUIET_HOURS = 4;
/** Parcels older than this are no longer followed. */
export const POLL_MAX_AGE_DAYS = 30;
/** A Retry-After up to this long is waited out within the run; a longer one ends the account's turn. */
export const POLL_MAX_WAIT_MS = 60_000;

export type PollResult = { asked: number; updated: number; throttled: number; failed: number };

export async function pollParcels(deps: LabelDeps, opts: { now?: Date; limit?: number } = {}): Promise<PollResult> {
  const now = opts.now ?? new Date();
  const quiet = new Date(now.getTime() - POLL_QUIET_HOURS * 3600_000);
  const oldest = new Date(now.getTime() - POLL_MAX_AGE_DAYS * 86400_000);
  const due = await deps.db
    .select({
      id: shipments.id,
      shopId: shipments.shopId,
      labels: shipments.labels,
      carrier: shipments.carrier,
      environment: shipments.environment,
      accountId: shipments.carrierAccountId,
    })
    .from(shipments)
    // Shops that uninstalled are no longer followed.
    .innerJoin(shops, and(eq(shops.id, shipments.shopId), isNull(shops.uninstalledAt)))
    .where(
      and(
        eq(shipments.parcelFinal, false),
        gt(shipments.createdAt, oldest),
        sql`coalesce(${shipments.parcelUpdatedAt}, ${shipments.createdAt}) < ${quiet.toISOString()}::timestamptz`,
        sql`coalesce(${shipments.parcelPolledAt}, 'epoch'::timestamptz) < ${quiet.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(sql`${shipments.parcelPolledAt} asc nulls first`, asc(shipments.createdAt))
    .limit(opts.limit ?? POLL_BATCH);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const accounts = new Map<string, AccountCredentials | null>();
  const resting = new Set<string>();
  const result: PollResult = { asked: 0, updated: 0, throttled: 0, failed: 0 };
  for (const s of due) {
    const key = `${s.shopId}:${s.accountId ?? "current"}:${s.carrier}:${s.environment}`;
    if (resting.has(key)) {
      result.throttled++;
      continue;
    }
    if (!accounts.has(key)) accounts.set(key, await loadAccountCredentials(deps, s.shopId, { accountId: s.accountId, carrier: s.carrier, environment: s.environment }));
    const account = accounts.get(key);
    const label = s.labels[0];
    const markPolled = () => deps.db.update(shipments).set({ parcelPolledAt: now }).where(eq(shipments.id, s.id));
    if (!account || !label) {
      await markPolled();
      continue;
    }
    const ask = (creds: CarrierCredentials) => deps.carrierFor(account.carrier).trackAndTrace(creds, label.id);
    try {
      result.asked++;
      let updates;
      try {
        updates = await ask(account.creds);
      } catch (e) {
        if (!(isCarrierError(e) && e.status === 429)) throw e;
        // Too many requests: wait a short Retry-After out once (default 5 s), else this account waits for the next run.
        const wait = e.retryAfterMs ?? 5_000;
        if (wait > POLL_MAX_WAIT_MS) throw e;
        await sleep(wait);
        updates = await ask(account.creds);
      }
      await deps.db.transaction(async (tx) => {
        await recordParcelUpdates(tx, s, updates, "poll", now);
        await tx.update(shipments).set({ parcelPolledAt: now }).where(eq(shipments.id, s.id));
      });
      result.updated++;
    } catch (e) {
      if (isCarrierError(e) && e.status === 429) {
        resting.add(key);
        result.throttled++;
        continue;
      }
      result.failed++;
      await markPolled();
    }
  }
  return result;
}
