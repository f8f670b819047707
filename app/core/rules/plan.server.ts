// What "Label aanmaken" will do per order before the click: the rules' choice (service, format, colli, or no label),
// which rule chose it, whether the carrier would refuse it before any call (a mailbox parcel above the service's
// weight limit), grouped by the chosen service for the dialog ("42 × PostNL Pakket"). requestLabels applies the same
// plan, with the dialog's per-group overrides.
import type { orders } from "../../db/schema";
import type { Carrier, CarrierService, PackageType } from "../ports";
import { chooseShipment } from "./choose";
import { ruleOrderOf } from "./rules.server";
import type { ParcelDimensions, RuleChoice, RuleDefaults, ShippingRule } from "./rule";

/**
 * The dialog's change for one group: service, format, colli and each parcel's size (cm); null (or, for the size,
 * absent) = what the rule chose per order.
 */
export type GroupOverride = { service: string | null; packageType: PackageType | null; colli: number | null; dimensions?: ParcelDimensions | null };

/** Why Koppel refuses an order before any carrier call. */
export type LabelRefusal = { code: "too_heavy"; service: string; limitGrams: number; parcelGrams: number };

export type PlannedOrder = {
  orderId: number;
  number: string;
  /** The group in the dialog: the chosen service, or "skip" when the rule makes no label. */
  group: string;
  choice: RuleChoice;
  /** After the group's override, what the label request will carry; null = no label. */
  final: { service: string; packageType: PackageType; colli: number; dimensions?: ParcelDimensions | null } | null;
  refusal: LabelRefusal | null;
  /** For the price: where it goes and what it weighs. */
  country: string | null;
  postcode: string | null;
};

export const SKIP_GROUP = "skip";

export function groupOf(choice: RuleChoice): string {
  return choice.kind === "skip" ? SKIP_GROUP : choice.service;
}

/** The final options for one order: the rule's, replaced by its group's override when the dialog set one. */
export function finalOptions(choice: RuleChoice, override: GroupOverride | undefined, defaults: Pick<RuleDefaults, "service" | "packageType">): PlannedOrder["final"] {
  // A "no label" group the merchant labels anyway starts from the defaults.
  const base = choice.kind === "label" ? choice : { service: defaults.service, packageType: defaults.packageType, colli: 1, dimensions: null };
  if (override)
    return {
      service: override.service ?? base.service,
      packageType: override.packageType ?? base.packageType,
      colli: override.colli ?? base.colli,
      dimensions: override.dimensions ?? base.dimensions,
    };
  return choice.kind === "label" ? { service: choice.service, packageType: choice.packageType, colli: choice.colli, dimensions: choice.dimensions } : null;
}

/** A parcel heavier than its service takes (weight divided over the colli), or null. */
export function refusalFor(carrier: Pick<Carrier, "serviceLimits">, services: readonly CarrierService[], final: PlannedOrder["final"], weightGrams: number): LabelRefusal | null {
  if (!final) return null;
  const limits = carrier.serviceLimits(services.find((s) => s.code === final.service) ?? null, final.service);
  const parcelGrams = Math.ceil(weightGrams / Math.max(1, final.colli));
  if (limits.maxParcelWeightGrams !== null && parcelGrams > limits.maxParcelWeightGrams)
    return { code: "too_heavy", service: final.service, limitGrams: limits.maxParcelWeightGrams, parcelGrams };
  return null;
}

type OrderRow = typeof orders.$inferSelect;

/** Plan for rows already read (requestLabels reads them itself). */
export function planRows(
  rows: readonly OrderRow[],
  ctx: { rules: readonly ShippingRule[]; defaults: RuleDefaults; carrier: Pick<Carrier, "serviceLimits">; services: readonly CarrierService[]; overrides?: Record<string, GroupOverride>; options?: GroupOverride },
): PlannedOrder[] {
  return rows.map((o) => {
    const ro = ruleOrderOf(o);
    const choice = chooseShipment(ctx.rules, ro, ctx.defaults);
    const group = groupOf(choice);
    // One choice for all (the CLI with options, the dialog's "same for all") wins over the rules.
    const final = finalOptions(choice, ctx.options ?? ctx.overrides?.[group], ctx.defaults);
    const shipTo = o.shipToCorrected ?? o.shipTo;
    return {
      orderId: o.id,
      number: o.number,
      group,
      choice,
      final,
      refusal: refusalFor(ctx.carrier, ctx.services, final, choice.weightGrams),
      country: ro.country,
      postcode: shipTo?.postcode ?? null,
    };
  });
}

/** Groups by size, largest first ("42 × PostNL Pakket, 12 × Brievenbuspakje"). */
export function groupCounts(planned: readonly PlannedOrder[]): { group: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of planned) counts.set(p.group, (counts.get(p.group) ?? 0) + 1);
  return [...counts.entries()].map(([group, count]) => ({ group, count })).sort((a, b) => b.count - a.count || a.group.localeCompare(b.group));
}
