// The rule editor's live preview (GET, no page): how many of the shop's orders to ship a draft's conditions match.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { ruleDefaults } from "~/core/rules/rules.server";
import { countMatching, ordersToShipForRules } from "~/core/rules/preview.server";
import { RuleConditions } from "~/core/rules/rule";

export type RulePreviewResult = { ok: true; matches: number; total: number } | { ok: false };

export async function loader({ request }: LoaderFunctionArgs): Promise<RulePreviewResult> {
  const merchant = await requireMerchant(request);
  const raw = new URL(request.url).searchParams.get("conditions") ?? "";
  let value: unknown;
  try {
    value = raw.length <= 20_000 ? JSON.parse(raw) : undefined;
  } catch {
    return { ok: false };
  }
  const conditions = RuleConditions.safeParse(value);
  if (!conditions.success) return { ok: false };
  const [defaults, toShip] = await Promise.all([ruleDefaults(db, merchant.shopId), ordersToShipForRules(db, merchant.shopId)]);
  return { ok: true, matches: countMatching(conditions.data, toShip.orders, defaults ?? { defaultItemWeightGrams: 0 }), total: toShip.orders.length };
}
