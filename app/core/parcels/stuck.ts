// When a parcel counts as stuck ("problemen" in Zendingen): returned, a problem the carrier reported (rejected,
// missing, cancelled), or no scan two working days after its label was made. Pure.
import type { ParcelStatus } from "../domain";

/** Working days a label may wait for its first scan before it counts as stuck. */
export const STUCK_AFTER_WORKING_DAYS = 2;

/** Statuses that are a problem whatever their age. */
export const PROBLEM_STATUSES: readonly ParcelStatus[] = ["returned", "problem"];

/**
 * The instant `workingDays` working days (Monday–Friday, in UTC; public holidays not counted out) before `now`: a label
 * made before it and still "created" waited longer than that. Friday 10:00 → Wednesday 10:00; Monday 10:00 → Thursday.
 */
export function workingDaysBefore(now: Date, workingDays: number = STUCK_AFTER_WORKING_DAYS): Date {
  const d = new Date(now.getTime());
  let left = workingDays;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() - 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return d;
}

export function isStuck(s: { parcelStatus: ParcelStatus; createdAt: Date }, now: Date): boolean {
  if (PROBLEM_STATUSES.includes(s.parcelStatus)) return true;
  return s.parcelStatus === "created" && s.createdAt.getTime() < workingDaysBefore(now).getTime();
}
