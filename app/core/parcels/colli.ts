// A multi-colli shipment's one status, from each label's (collo's) own newest status. Pure.
//
// The rule: a problem wins (probleem before retour: the merchant has to act), else the least advanced collo is the
// shipment's status — "afgeleverd" only once every collo is delivered, "onderweg" while one still travels, and a collo
// the carrier has said nothing about yet is "aangemaakt" (so a collo never scanned makes the shipment stuck after two
// working days, as a single parcel would). Its time and description are those of the newest collo in that status.
import type { ParcelStatus } from "../domain";

/** How far a parcel has come on its way to the customer (problem and returned are handled before this). */
const PROGRESS: Record<ParcelStatus, number> = {
  created: 0,
  scanned: 1,
  in_transit: 2,
  at_customs: 3,
  at_pickup_point: 4,
  delivered: 5,
  returned: -1,
  problem: -2,
};

export type ColloStatus<T> = { status: ParcelStatus; at: Date | null; event: T | null };

/** The shipment's status among its colli (at least one); a collo without news is `{status: "created", at: null}`. */
export function shipmentStatusOfColli<T>(colli: readonly ColloStatus<T>[]): ColloStatus<T> {
  const newest = (list: readonly ColloStatus<T>[]) => list.reduce((a, b) => ((b.at?.getTime() ?? -Infinity) > (a.at?.getTime() ?? -Infinity) ? b : a));
  for (const problem of ["problem", "returned"] as const) {
    const hit = colli.filter((c) => c.status === problem);
    if (hit.length) return newest(hit);
  }
  const least = Math.min(...colli.map((c) => PROGRESS[c.status]));
  return newest(colli.filter((c) => PROGRESS[c.status] === least));
}
