// A shop's shipping rules in storage (shipping_rules): list in order, add, edit, move up/down, enable/disable, delete.
// Every query is scoped by shop id: another shop's rule id is simply not found. Input is checked with RuleInput.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { shippingRules, shops } from "../../db/schema";
import { logActivity } from "../activity.server";
import { getCarrierConnection } from "../labels/connection.server";
import { effectiveShipTo } from "../labels/carrier-address";
import type { ShipTo } from "../domain";
import { MAX_RULES, RuleInput, type RuleDefaults, type RuleOrder, type ShippingRule } from "./rule";

type RuleRow = typeof shippingRules.$inferSelect;

function toRule(r: RuleRow): ShippingRule {
  // Stored rules were checked on the way in; a row that no longer parses (older shape) is kept but switched off.
  const parsed = RuleInput.safeParse({ name: r.name, enabled: r.enabled, conditions: r.conditions, action: r.action });
  if (!parsed.success) return { id: r.id, position: r.position, name: r.name, enabled: false, conditions: {}, action: { kind: "skip" } };
  return { id: r.id, position: r.position, ...parsed.data };
}

export async function listRules(db: Db, shopId: number): Promise<ShippingRule[]> {
  const rows = await db.select().from(shippingRules).where(eq(shippingRules.shopId, shopId)).orderBy(asc(shippingRules.position), asc(shippingRules.id));
  return rows.map(toRule);
}

export type SaveRuleResult = { ok: true; rule: ShippingRule } | { ok: false; reason: "invalid" | "not_found" | "too_many"; detail?: string };

/** Add a rule at the end (`id` absent) or replace one of the shop's rules. */
export async function saveRule(db: Db, shopId: number, input: unknown, id?: number): Promise<SaveRuleResult> {
  const parsed = RuleInput.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid", detail: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const rule = parsed.data;
  if (id === undefined) {
    const [{ n, last }] = (await db
      .select({ n: sql<number>`count(*)::int`, last: sql<number>`coalesce(max(${shippingRules.position}), -1)::int` })
      .from(shippingRules)
      .where(eq(shippingRules.shopId, shopId))) as [{ n: number; last: number }];
    if (n >= MAX_RULES) return { ok: false, reason: "too_many", detail: String(MAX_RULES) };
    const [row] = await db.insert(shippingRules).values({ shopId, position: last + 1, ...rule }).returning();
    await logActivity(db, { shopId, kind: "settings", source: "merchant", result: "ok", summary: "settings.rule_saved", details: { name: rule.name } });
    return { ok: true, rule: toRule(row!) };
  }
  const [row] = await db
    .update(shippingRules)
    .set({ ...rule, updatedAt: new Date() })
    .where(and(eq(shippingRules.id, id), eq(shippingRules.shopId, shopId)))
    .returning();
  if (!row) return { ok: false, reason: "not_found" };
  await logActivity(db, { shopId, kind: "settings", source: "merchant", result: "ok", summary: "settings.rule_saved", details: { name: rule.name } });
  return { ok: true, rule: toRule(row) };
}

export async function setRuleEnabled(db: Db, shopId: number, id: number, enabled: boolean): Promise<boolean> {
  const rows = await db
    .update(shippingRules)
    .set({ enabled, updatedAt: new Date() })
    .where(and(eq(shippingRules.id, id), eq(shippingRules.shopId, shopId)))
    .returning({ id: shippingRules.id });
  return rows.length > 0;
}

export async function deleteRule(db: Db, shopId: number, id: number): Promise<boolean> {
  const rows = await db.delete(shippingRules).where(and(eq(shippingRules.id, id), eq(shippingRules.shopId, shopId))).returning({ id: shippingRules.id });
  return rows.length > 0;
}

/** Swap a rule with its neighbour above (-1) or below (+1); positions are renumbered 0…n-1 on the way. */
export async function moveRule(db: Db, shopId: number, id: number, direction: -1 | 1): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Lock the shop's rules so two moves at once do not interleave.
    const rows = await tx
      .select({ id: shippingRules.id })
      .from(shippingRules)
      .where(eq(shippingRules.shopId, shopId))
      .orderBy(asc(shippingRules.position), asc(shippingRules.id))
      .for("update");
    const ids = rows.map((r) => r.id);
    const i = ids.indexOf(id);
    if (i < 0) return false;
    const j = i + direction;
    if (j >= 0 && j < ids.length) [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    for (const [position, rid] of ids.entries()) await tx.update(shippingRules).set({ position }).where(and(eq(shippingRules.id, rid), eq(shippingRules.shopId, shopId)));
    return true;
  });
}

/**
 * Today's carrier defaults (the default rule) and the shop's rule settings; null without a carrier connection or a
 * service to fall back on.
 */
export async function ruleDefaults(db: Db, shopId: number): Promise<RuleDefaults | null> {
  const conn = await getCarrierConnection(db, shopId);
  const service = conn?.defaultService ?? conn?.services[0]?.code ?? null;
  if (!conn || !service) return null;
  const [shop] = await db.select({ settings: shops.settings }).from(shops).where(eq(shops.id, shopId));
  return { service, packageType: conn.defaultPackageType, defaultItemWeightGrams: shop?.settings?.defaultItemWeightGrams ?? 0 };
}

/** An order row (or the fields of it rules need) as rules see it. */
export function ruleOrderOf(o: {
  shipTo: ShipTo | null;
  shipToCorrected?: ShipTo | null;
  weightGrams: number;
  itemCount: number;
  totalPrice: string | null;
  tags: string[];
  lines: { sku?: string | null }[];
  shippingMethod: string | null;
}): RuleOrder {
  const shipTo = effectiveShipTo(o);
  return {
    country: shipTo?.country?.trim().toUpperCase() || null,
    weightGrams: o.weightGrams,
    itemCount: o.itemCount,
    totalPrice: o.totalPrice,
    tags: o.tags ?? [],
    lines: o.lines ?? [],
    shippingMethod: o.shippingMethod,
  };
}
