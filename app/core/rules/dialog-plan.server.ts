// The label dialog's view of a selection (one or many orders): per order the rules' choice and the rule that made it,
// whether Koppel refuses it before any call, and the carrier's price; per group (the chosen service) the count and
// the sum. Read-only: nothing is bought here.
import { and, eq, inArray } from "drizzle-orm";
import { orders, shops } from "../../db/schema";
import type { PackageType } from "../ports";
import { effectiveShipTo, fromAddressToCarrier, shipToToCarrier } from "../labels/carrier-address";
import { loadCredentials } from "../labels/connection.server";
import type { LabelDeps } from "../labels/deps";
import { groupCounts, planRows, type GroupOverride, type LabelRefusal } from "./plan.server";
import { listRules, ruleDefaults } from "./rules.server";
import { pricesOf, type OrderPrice } from "./rates.server";
import type { CarrierAddress } from "../ports";
import type { ParcelDimensions } from "./rule";

export type DialogOrder = {
  orderId: number;
  number: string;
  group: string;
  rule: string | null;
  skip: boolean;
  service: string | null;
  packageType: PackageType | null;
  colli: number | null;
  /** Each parcel's size the label request sends (the dialog's, else the rule's); null = none. */
  dimensions: ParcelDimensions | null;
  /** Each parcel's size the rule chose, whatever the dialog set; null = none. */
  ruleDimensions: ParcelDimensions | null;
  weightGrams: number;
  refusal: LabelRefusal | null;
  price: OrderPrice | null;
};

export type DialogPlan =
  | { ok: false; reason: "no_carrier" }
  | {
      ok: true;
      orders: DialogOrder[];
      groups: { group: string; count: number; total: number | null; priceErrors: number }[];
      total: number | null;
      currency: string;
      priceErrors: number;
    };

export async function labelDialogPlan(
  deps: LabelDeps,
  shopId: number,
  orderIds: number[],
  opts: { prices: boolean; overrides?: Record<string, GroupOverride> } = { prices: true },
): Promise<DialogPlan> {
  const conn = await loadCredentials(deps, shopId);
  const defaults = await ruleDefaults(deps.db, shopId);
  if (!conn || !defaults) return { ok: false, reason: "no_carrier" };
  const carrier = deps.carrierFor(conn.carrier);
  const rules = await listRules(deps.db, shopId);
  const rows = orderIds.length ? await deps.db.select().from(orders).where(and(eq(orders.shopId, shopId), inArray(orders.id, orderIds))) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = orderIds.flatMap((id) => byId.get(id) ?? []);
  const planned = planRows(ordered, { rules, defaults, carrier, services: conn.services, overrides: opts.overrides });

  let prices = new Map<number, OrderPrice>();
  if (opts.prices) {
    const [shop] = await deps.db.select({ fromAddress: shops.fromAddress }).from(shops).where(eq(shops.id, shopId));
    const requests = planned.flatMap((p) => {
      const row = byId.get(p.orderId)!;
      const shipTo = effectiveShipTo(row);
      if (!p.final || p.refusal || !shipTo || !shop?.fromAddress) return [];
      return [
        {
          id: p.orderId,
          request: {
            service: p.final.service,
            packageType: p.final.packageType,
            colli: p.final.colli,
            weightGrams: p.choice.weightGrams || null,
            dimensions: p.final.dimensions ?? null,
            shipFrom: fromAddressToCarrier(shop.fromAddress),
            shipTo: shipToToCarrier(shipTo, row.email) as CarrierAddress,
          },
        },
      ];
    });
    prices = await pricesOf(carrier, conn.creds, requests);
  }

  const view: DialogOrder[] = planned.map((p) => ({
    orderId: p.orderId,
    number: p.number,
    group: p.group,
    rule: p.choice.rule?.name ?? null,
    skip: p.final === null,
    service: p.final?.service ?? null,
    packageType: p.final?.packageType ?? null,
    colli: p.final?.colli ?? null,
    dimensions: p.final?.dimensions ?? null,
    ruleDimensions: p.choice.kind === "label" ? p.choice.dimensions : null,
    weightGrams: p.choice.weightGrams,
    refusal: p.refusal,
    price: prices.get(p.orderId) ?? null,
  }));
  const sum = (list: DialogOrder[]) => {
    const priced = list.filter((o) => !o.skip && !o.refusal);
    const errors = priced.filter((o) => !o.price || !o.price.ok).length;
    const total = priced.reduce((s, o) => s + (o.price?.ok ? o.price.price : 0), 0);
    return { total: opts.prices ? Math.round(total * 100) / 100 : null, priceErrors: opts.prices ? errors : 0 };
  };
  const groups = groupCounts(planned).map((g) => ({ ...g, ...sum(view.filter((o) => o.group === g.group)) }));
  return { ok: true, orders: view, groups, ...sum(view), currency: "EUR" };
}
