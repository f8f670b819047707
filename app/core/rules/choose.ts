// Which rule an order falls under, and what it chooses: plain functions over Koppel's order model (pure, shared by the
// label request, the dialog, the CLI and the rules page's preview). First enabled match wins; the default catches the rest.
import type { RuleChoice, RuleColli, RuleConditions, RuleDefaults, RuleOrder, ShippingRule } from "./rule";
import { RULE_MAX_COLLI } from "./rule";

/** The weight rules reason with: the order's own, else items × the shop's default item weight (0 when neither). */
export function ruleWeightGrams(order: Pick<RuleOrder, "weightGrams" | "itemCount">, defaults: Pick<RuleDefaults, "defaultItemWeightGrams">): number {
  if (order.weightGrams > 0) return order.weightGrams;
  return Math.max(0, order.itemCount) * Math.max(0, defaults.defaultItemWeightGrams);
}

const lower = (s: string) => s.trim().toLowerCase();
const inRange = (v: number, min: number | null | undefined, max: number | null | undefined) =>
  (min === null || min === undefined || v >= min) && (max === null || max === undefined || v <= max);

/** Does the order meet every condition the rule sets? `weightGrams` is ruleWeightGrams of the order. */
export function matchesConditions(c: RuleConditions, order: RuleOrder, weightGrams: number): boolean {
  if (c.countries?.length && !(order.country && c.countries.includes(order.country.trim().toUpperCase()))) return false;
  if (!inRange(weightGrams, c.weightMinGrams, c.weightMaxGrams)) return false;
  if (!inRange(order.itemCount, c.itemsMin, c.itemsMax)) return false;
  if ((c.totalMin ?? null) !== null || (c.totalMax ?? null) !== null) {
    const total = order.totalPrice === null ? NaN : Number(order.totalPrice);
    if (!Number.isFinite(total) || !inRange(total, c.totalMin, c.totalMax)) return false;
  }
  if (c.tags?.length) {
    const have = new Set(order.tags.map(lower));
    if (!c.tags.some((t) => have.has(lower(t)))) return false;
  }
  if (c.skuContains?.trim()) {
    const needle = lower(c.skuContains);
    if (!order.lines.some((l) => l.sku && l.sku.toLowerCase().includes(needle))) return false;
  }
  if (c.shippingMethodContains?.trim()) {
    if (!order.shippingMethod || !order.shippingMethod.toLowerCase().includes(lower(c.shippingMethodContains))) return false;
  }
  return true;
}

/** Number of labels: fixed, or one per started N kg (at least 1, at most the carrier's maximum). */
export function colliFor(colli: RuleColli, weightGrams: number): number {
  const n = colli.mode === "fixed" ? colli.count : Math.ceil(weightGrams / (colli.kg * 1000));
  return Math.min(RULE_MAX_COLLI, Math.max(1, n));
}

/** The first enabled rule (by position) that matches, or null. */
export function matchingRule(rules: readonly ShippingRule[], order: RuleOrder, defaults: RuleDefaults): ShippingRule | null {
  const weight = ruleWeightGrams(order, defaults);
  const ordered = [...rules].sort((a, b) => a.position - b.position || a.id - b.id);
  return ordered.find((r) => r.enabled && matchesConditions(r.conditions, order, weight)) ?? null;
}

/** What the rules choose for one order. */
export function chooseShipment(rules: readonly ShippingRule[], order: RuleOrder, defaults: RuleDefaults): RuleChoice {
  const weightGrams = ruleWeightGrams(order, defaults);
  const rule = matchingRule(rules, order, defaults);
  if (!rule) return { kind: "label", service: defaults.service, packageType: defaults.packageType, colli: 1, weightGrams, dimensions: null, rule: null };
  const ref = { id: rule.id, name: rule.name };
  if (rule.action.kind === "skip") return { kind: "skip", weightGrams, rule: ref };
  return {
    kind: "label",
    service: rule.action.service || defaults.service,
    packageType: rule.action.packageType || defaults.packageType,
    colli: colliFor(rule.action.colli, weightGrams),
    weightGrams,
    dimensions: rule.action.dimensions ?? null,
    rule: ref,
  };
}
