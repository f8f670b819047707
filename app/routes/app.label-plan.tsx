// The label dialog's plan for a selection (GET, no page: a load, so opening the dialog revalidates nothing else): per order the shipping rules' choice, the rule, whether it
// is refused before any call, and the carrier's price; per group (chosen service) the count and sum. The dialog posts
// its group overrides again when the merchant changes one, to see prices and refusals for that choice. Read-only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { matchingOrderIds, ORDER_LABEL_FILTERS, ORDER_LIST_FILTERS } from "~/core/orders.server";
import { MAX_BULK_ORDERS } from "~/core/labels/deps";
import { labelDialogPlan, type DialogPlan } from "~/core/rules/dialog-plan.server";
import { getRuntime, labelDeps } from "~/runtime.server";
import { searchInput } from "~/core/text-input";
import { readGroupOverrides } from "~/core/rules/overrides";

export type LabelPlanResult = DialogPlan | { ok: false; reason: "invalid" | "too_many" | "bad_dimensions" };

export async function loader({ request }: LoaderFunctionArgs): Promise<LabelPlanResult> {
  const merchant = await requireMerchant(request);
  const form = new URL(request.url).searchParams;
  let ids: number[];
  if (form.get("scope") === "matching") {
    // The list's own selection ("all matching" its filter, search and label filter), as its action reads it.
    const Scope = z.object({ status: z.enum(ORDER_LIST_FILTERS), q: searchInput(), label: z.enum(ORDER_LABEL_FILTERS).catch("any") });
    const scope = Scope.safeParse({ status: form.get("status"), q: form.get("q") ?? "", label: form.get("label") ?? undefined });
    if (!scope.success) return { ok: false, reason: "invalid" };
    ids = await matchingOrderIds(db, merchant.shopId, { status: scope.data.status, search: scope.data.q.text, label: scope.data.label, max: MAX_BULK_ORDERS + 1 });
  } else {
    const parsed = z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).safeParse(form.getAll("ids"));
    if (!parsed.success) return { ok: false, reason: "invalid" };
    ids = parsed.data;
  }
  if (ids.length > MAX_BULK_ORDERS) return { ok: false, reason: "too_many" };
  const overrides = readGroupOverrides(form.get("overrides"));
  if (!overrides.ok) return { ok: false, reason: overrides.reason };
  // prices=0: the plan alone, at once; the dialog then asks again with the carrier's prices.
  return labelDialogPlan(labelDeps(await getRuntime()), merchant.shopId, ids, { prices: form.get("prices") !== "0", overrides: overrides.overrides });
}
