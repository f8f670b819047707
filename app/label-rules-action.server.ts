// "Label aanmaken" by shipping rules, the order list's action for it (form `mode=rules`): each order gets its rules'
// choice, with the dialog's per-group overrides (`overrides`, JSON). Kept out of the shared page (app/routes/app._index.tsx).
import { z } from "zod";
import { MAX_BULK_ORDERS } from "~/core/labels/deps";
import { requestLabels, type RequestLabelsResult } from "~/core/labels/request-labels.server";
import { readGroupOverrides } from "~/core/rules/overrides";
import { getRuntime, labelDeps } from "~/runtime.server";

type Ok = Extract<RequestLabelsResult, { ok: true }>;
export type RequestLabelsSkipped = Ok["skipped"];
export type RequestLabelsRefused = Ok["refused"];

export async function createLabelsByRules(shopId: number, form: FormData, selection: string[]) {
  const ids = z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).safeParse(selection);
  if (!ids.success) return { intent: "create-labels" as const, ok: false as const, reason: "invalid" as const };
  if (ids.data.length > MAX_BULK_ORDERS) return { intent: "create-labels" as const, ok: false as const, reason: "too_many" as const, detail: String(MAX_BULK_ORDERS) };
  // A group's parcel size outside whole 1–1000 cm: refused as such (labels.error.bad_dimensions), nothing queued.
  const overrides = readGroupOverrides(form.get("overrides"));
  if (!overrides.ok) return { intent: "create-labels" as const, ok: false as const, reason: overrides.reason };
  return createLabelsAnswer(await requestLabels(labelDeps(await getRuntime()), shopId, { orderIds: ids.data, overrides: overrides.overrides, source: "merchant" }));
}

/** The order list's answer to "Label aanmaken" (by rules or with one choice for all): what was queued and what not. */
export function createLabelsAnswer(r: RequestLabelsResult) {
  if (!r.ok) return { intent: "create-labels" as const, ok: false as const, reason: r.reason, ...(r.detail ? { detail: r.detail } : {}) };
  return {
    intent: "create-labels" as const,
    ok: true as const,
    batchId: r.batchId,
    queued: r.queued.length,
    alreadyRequested: r.alreadyRequested.length,
    incomplete: r.incomplete,
    notAllowed: r.notAllowed.map((n) => n.number ?? `#${n.orderId}`),
    skipped: r.skipped,
    refused: r.refused,
  };
}
