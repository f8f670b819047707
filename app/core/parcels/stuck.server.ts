// "Problemen" as SQL: the same rule as isStuck (stuck.ts), for the shipments list's filter.
import { and, eq, inArray, lt, or, type SQL } from "drizzle-orm";
import { shipments } from "../../db/schema";
import { PROBLEM_STATUSES, workingDaysBefore } from "./stuck";

export function stuckCondition(now: Date): SQL {
  return or(inArray(shipments.parcelStatus, [...PROBLEM_STATUSES]), and(eq(shipments.parcelStatus, "created"), lt(shipments.createdAt, workingDaysBefore(now))))!;
}
