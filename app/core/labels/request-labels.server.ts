// "Label aanmaken", the first step (the button and the CLI): the intent is stored with its idempotency key, and its
// create-label job enqueued, in one transaction, before any carrier is called; a second click joins the live request.
// Each order gets its own choice: the shipping rules' (app/core/rules/), with the dialog's per-group overrides, or
// one set of options for all. An order the rules make no label for is skipped; a parcel heavier than its service
// takes is refused here, before any carrier call. Each queued order gets its timeline row "carrier.label_requested"
// (one INSERT for the whole batch). Next: label-job.server.ts.
import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { carrierConnections, labelBatches, labelRequests, orders, shops } from "../../db/schema";
import { PACKAGE_TYPES, type PackageType } from "../ports";
import { missingShipToFields } from "./carrier-address";
import { planRows, type GroupOverride, type LabelRefusal } from "../rules/plan.server";
import { listRules, ruleDefaults } from "../rules/rules.server";
import { ParcelDimensions } from "../rules/rule";
import { MAX_BULK_ORDERS, MAX_COLLI, type LabelDeps } from "./deps";
import { logActivities } from "../activity.server";

export type LabelOptions = { service: string; colli: number; packageType: PackageType };

export type RequestLabelsResult =
  | { ok: false; reason: "no_carrier" | "no_from_address" | "too_many" | "bad_options" | "bad_dimensions"; detail?: string }
  | {
      ok: true;
      batchId: number | null;
      queued: { orderId: number; number: string; labelRequestId: number }[];
      alreadyRequested: { orderId: number; number: string; labelRequestId: number }[];
      incomplete: { orderId: number; number: string; missing: string[] }[];
      notAllowed: { orderId: number; number: string | null; reason: "not_found" | "not_to_ship" }[];
      /** The rules make no label for these (e.g. local pick-up). */
      skipped: { orderId: number; number: string; rule: string }[];
      /** Refused before any carrier call (a mailbox parcel too heavy for its service). */
      refused: { orderId: number; number: string; refusal: LabelRefusal }[];
    };

const validOptions = (o: { colli: number | null; packageType: string | null }) =>
  (o.colli === null || (Number.isInteger(o.colli) && o.colli >= 1 && o.colli <= MAX_COLLI)) && (o.packageType === null || (PACKAGE_TYPES as readonly string[]).includes(o.packageType));

/** The button (one or many orders) and the CLI: one batch, one label request + job per order, in one transaction. */
export async function requestLabels(
  deps: LabelDeps,
  shopId: number,
  input: {
    orderIds: number[];
    /** One choice for every order; absent = each order's by the shipping rules. */
    options?: LabelOptions;
    /** By rules: the dialog's change per group (the rules' service, or "skip"). */
    overrides?: Record<string, GroupOverride>;
    source: "merchant" | "cli";
  },
): Promise<RequestLabelsResult> {
  const orderIds = [...new Set(input.orderIds)];
  if (orderIds.length > MAX_BULK_ORDERS) return { ok: false, reason: "too_many", detail: String(MAX_BULK_ORDERS) };
  const chosen = [...(input.options ? [input.options] : []), ...Object.values(input.overrides ?? {})];
  if (!chosen.every(validOptions)) return { ok: false, reason: "bad_options" };
  // A group's parcel size: whole centimetres 1–1000 each, as a rule's (the routes check it on the way in too).
  const badSize = Object.entries(input.overrides ?? {}).find(([, o]) => o.dimensions && !ParcelDimensions.safeParse(o.dimensions).success);
  if (badSize) return { ok: false, reason: "bad_dimensions", detail: badSize[0] };
  const [conn] = await deps.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
  if (!conn) return { ok: false, reason: "no_carrier" };
  const unknown = chosen.find((o) => o.service !== null && conn.services.length && !conn.services.some((s) => s.code === o.service));
  if (unknown) return { ok: false, reason: "bad_options", detail: `service ${unknown.service}` };
  const defaults = await ruleDefaults(deps.db, shopId);
  if (!defaults && !input.options) return { ok: false, reason: "bad_options", detail: "no default service" };
  const [shop] = await deps.db.select().from(shops).where(eq(shops.id, shopId));
  if (!shop?.fromAddress) return { ok: false, reason: "no_from_address" };
  const carrier = deps.carrierFor(conn.carrier);

  // Scoped to the shop: ids of another shop are simply "not found".
  const rows = orderIds.length
    ? await deps.db.select().from(orders).where(and(eq(orders.shopId, shopId), inArray(orders.id, orderIds)))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const result = { queued: [], alreadyRequested: [], incomplete: [], notAllowed: [], skipped: [], refused: [] } as Omit<Extract<RequestLabelsResult, { ok: true }>, "ok" | "batchId">;
  const candidates: { order: (typeof rows)[number]; options: LabelOptions & { dimensions?: ParcelDimensions | null } }[] = [];
  const rules = input.options ? [] : await listRules(deps.db, shopId);
  const plans = new Map(
    planRows(rows, {
      rules,
      // Without a default service (one choice for all), still the shop's weight per item: the weight the job sends.
      defaults: defaults ?? { service: input.options!.service, packageType: input.options!.packageType, defaultItemWeightGrams: shop.settings?.defaultItemWeightGrams ?? 0 },
      carrier,
      services: conn.services,
      overrides: input.overrides,
      options: input.options,
    }).map((p) => [p.orderId, p]),
  );
  for (const id of orderIds) {
    const o = byId.get(id);
    if (!o) {
      result.notAllowed.push({ orderId: id, number: null, reason: "not_found" });
      continue;
    }
    if (o.status !== "to_ship" || o.removedAt) {
      result.notAllowed.push({ orderId: id, number: o.number, reason: "not_to_ship" });
      continue;
    }
    // The effective ship-to (the merchant's correction, else the imported one), checked as the order list checks it.
    const missing = missingShipToFields(carrier, o);
    if (missing.length) {
      result.incomplete.push({ orderId: id, number: o.number, missing });
      continue;
    }
    const plan = plans.get(id)!;
    if (!plan.final) {
      result.skipped.push({ orderId: id, number: o.number, rule: plan.choice.rule?.name ?? "" });
      continue;
    }
    if (plan.refusal) {
      result.refused.push({ orderId: id, number: o.number, refusal: plan.refusal });
      continue;
    }
    candidates.push({ order: o, options: plan.final });
  }

  const batchId = await deps.db.transaction(async (tx) => {
    let batch: number | null = null;
    if (candidates.length) {
      const [b] = await tx
        .insert(labelBatches)
        .values({ shopId, total: 0, options: input.options ?? { byRules: true }, source: input.source })
        .returning({ id: labelBatches.id });
      batch = b!.id;
    }
    for (const { order: o, options } of candidates) {
      const [inserted] = await tx
        .insert(labelRequests)
        .values({
          shopId,
          orderId: o.id,
          batchId: batch,
          idempotencyKey: randomUUID(),
          carrier: conn.carrier,
          environment: conn.environment,
          carrierAccountId: conn.accountId,
          service: options.service,
          colli: options.colli,
          packageType: options.packageType,
          dimensions: options.dimensions ?? null,
        })
        .onConflictDoNothing()
        .returning({ id: labelRequests.id });
      if (inserted) {
        await deps.queue.send("create-label", { labelRequestId: inserted.id }, { tx: tx });
        result.queued.push({ orderId: o.id, number: o.number, labelRequestId: inserted.id });
      } else {
        // A live request exists already (double click, second tab): join it instead of buying another label.
        const [live] = await tx
          .select({ id: labelRequests.id })
          .from(labelRequests)
          .where(and(eq(labelRequests.orderId, o.id), inArray(labelRequests.state, ["queued", "sending", "created"])));
        if (live) result.alreadyRequested.push({ orderId: o.id, number: o.number, labelRequestId: live.id });
      }
    }
    // The order page's timeline ("label requested"): a row per queued order, named by its number, in one INSERT.
    const optionsOf = new Map(candidates.map((c) => [c.order.id, c.options]));
    await logActivities(
      tx,
      result.queued.map((q) => {
        const o = optionsOf.get(q.orderId)!;
        return {
          shopId,
          kind: "carrier" as const,
          source: input.source,
          result: "ok" as const,
          summary: "carrier.label_requested",
          orderNumber: q.number,
          details: { service: o.service, colli: o.colli, packageType: o.packageType, environment: conn.environment, batchId: batch, byRules: !input.options },
        };
      }),
    );
    if (batch !== null) {
      if (result.queued.length) await tx.update(labelBatches).set({ total: result.queued.length }).where(eq(labelBatches.id, batch));
      else {
        await tx.delete(labelBatches).where(eq(labelBatches.id, batch));
        batch = null;
      }
    }
    return batch;
  });
  return { ok: true, batchId, ...result };
}
