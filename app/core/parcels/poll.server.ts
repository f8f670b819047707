// The poll for parcels whose webhooks did not come: open shipments (not final, under 30 days old) the carrier has said
// nothing about for a few hours are asked about at its track & trace endpoint (every label of a multi-colli shipment),
// least recently asked first. The
// carrier's limits are unpublished (contract A: "Rate limits: unconfirmed"), so the poll is polite: one call at a time,
// a bounded batch per run, and a 429 makes it wait out a short Retry-After once and otherwise leave that account
// alone until the next run.
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { shipments, shops } from "../../db/schema";
import { isCarrierError, type ParcelUpdate } from "../ports";
import type { LabelDeps } from "../labels/deps";
import { loadAccountCredentials, type AccountCredentials } from "../labels/connection.server";
import { recordParcelUpdates } from "./record.server";

/** Track & trace calls per run (all shops together; one per collo), and shipments looked at. */
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
  const budget = opts.limit ?? POLL_BATCH;
  for (const s of due) {
    const key = `${s.shopId}:${s.accountId ?? "current"}:${s.carrier}:${s.environment}`;
    if (resting.has(key)) {
      result.throttled++;
      continue;
    }
    if (!accounts.has(key)) accounts.set(key, await loadAccountCredentials(deps, s.shopId, { accountId: s.accountId, carrier: s.carrier, environment: s.environment }));
    const account = accounts.get(key);
    const markPolled = () => deps.db.update(shipments).set({ parcelPolledAt: now }).where(eq(shipments.id, s.id));
    if (!account || !s.labels.length) {
      await markPolled();
      continue;
    }
    // Every collo of the shipment is asked about: its status is the colli's together (colli.ts), and it is final only
    // once each of them is. Calls count against the run's budget; a shipment is asked whole or left for the next run.
    if (result.asked > 0 && result.asked + s.labels.length > budget) break;
    const ask = async (labelId: string) => {
      try {
        return await deps.carrierFor(account.carrier).trackAndTrace(account.creds, labelId);
      } catch (e) {
        if (!(isCarrierError(e) && e.status === 429)) throw e;
        // Too many requests: wait a short Retry-After out once (default 5 s), else this account waits for the next run.
        const wait = e.retryAfterMs ?? 5_000;
        if (wait > POLL_MAX_WAIT_MS) throw e;
        await sleep(wait);
        return deps.carrierFor(account.carrier).trackAndTrace(account.creds, labelId);
      }
    };
    const updates: ParcelUpdate[] = [];
    let throttled = false;
    let failed = false;
    for (const label of s.labels) {
      try {
        result.asked++;
        updates.push(...(await ask(label.id)));
      } catch (e) {
        if (isCarrierError(e) && e.status === 429) {
          throttled = true;
          break;
        }
        // One collo the carrier cannot answer for does not keep the others' news out.
        failed = true;
      }
    }
    if (throttled) {
      resting.add(key);
      result.throttled++;
    } else if (failed) result.failed++;
    // Recorded when something came, or every collo answered (nothing new is news too: the parcel was asked about).
    if (updates.length || (!throttled && !failed)) {
      await deps.db.transaction(async (tx) => {
        await recordParcelUpdates(tx, s, updates, "poll", now);
        // A throttled shipment stays first in line for the next run.
        if (!throttled) await tx.update(shipments).set({ parcelPolledAt: now }).where(eq(shipments.id, s.id));
      });
      result.updated++;
    } else if (!throttled) await markPolled();
  }
  return result;
}
