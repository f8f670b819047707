// The rules page's live preview: of the shop's orders to ship, how many each rule's conditions match ("deze regel past
// op N van je te verzenden bestellingen") and how many it would choose for (first match wins: earlier rules take some).
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { orders } from "../../db/schema";
import { chooseShipment, matchesConditions, ruleWeightGrams } from "./choose";
import { ruleOrderOf } from "./rules.server";
import type { RuleConditions, RuleDefaults, RuleOrder, ShippingRule } from "./rule";

/** Orders looked at for the preview: the newest to ship (a shop with more sees the count of these). */
export const PREVIEW_MAX_ORDERS = 5_000;

export async function ordersToShipForRules(db: Db, shopId: number): Promise<{ orders: RuleOrder[]; capped: boolean }> {
  const rows = await db
    .select({
      shipTo: orders.shipTo,
      shipToCorrected: orders.shipToCorrected,
      weightGrams: orders.weightGrams,
      itemCount: orders.itemCount,
      totalPrice: orders.totalPrice,
      tags: orders.tags,
      lines: orders.lines,
      shippingMethod: orders.shippingMethod,
    })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), eq(orders.status, "to_ship"), isNull(orders.removedAt)))
    .orderBy(desc(orders.placedAt))
    .limit(PREVIEW_MAX_ORDERS + 1);
  return { orders: rows.slice(0, PREVIEW_MAX_ORDERS).map(ruleOrderOf), capped: rows.length > PREVIEW_MAX_ORDERS };
}

export type RulePreview = { matches: number; chosen: number };

/** Per rule id: matched by its conditions, and chosen by it (first enabled match); plus what the default catches. */
export function previewRules(rules: readonly ShippingRule[], toShip: readonly RuleOrder[], defaults: RuleDefaults): { byRule: Record<number, RulePreview>; byDefault: number; total: number } {
  const byRule: Record<number, RulePreview> = {};
  for (const r of rules) byRule[r.id] = { matches: 0, chosen: 0 };
  let byDefault = 0;
  for (const o of toShip) {
    const w = ruleWeightGrams(o, defaults);
    for (const r of rules) if (matchesConditions(r.conditions, o, w)) byRule[r.id]!.matches++;
    const choice = chooseShipment(rules, o, defaults);
    if (choice.rule) byRule[choice.rule.id]!.chosen++;
    else byDefault++;
  }
  return { byRule, byDefault, total: toShip.length };
}

/** How many of the orders a draft's conditions match (while the merchant edits it). */
export function countMatching(conditions: RuleConditions, toShip: readonly RuleOrder[], defaults: Pick<RuleDefaults, "defaultItemWeightGrams">): number {
  return toShip.filter((o) => matchesConditions(conditions, o, ruleWeightGrams(o, defaults))).length;
}
