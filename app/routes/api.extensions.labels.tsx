// POST /api/extensions/labels {orderId: gid, service?, colli?, packageType?}: "Label aanmaken" from Shopify's order page
// (extensions/order-action). The same use case and path as the app's dialog by rules (requestLabels with per-group
// overrides, mode=rules): without options the shipping rules choose (service, format, colli, parcel size); options the
// merchant set override the rules' choice for this order, also when a rule makes no label, and are bought as set when
// the rules have no plan (no default service). A second click joins the first; answers the order's view, whose label
// state the extension then follows. A refusal is 422 {error, detail?} (too_heavy: {service, limitGrams, parcelGrams}).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { extensionJson, extensionPreflightOr405, readJsonBody, requireExtensionMerchant, shopifyOrderIdOfGid } from "~/platforms/shopify/extension-request.server";
import { findShopOrder, orderView, rulesChoice } from "~/extension-views.server";
import { requestLabels, type LabelOptions } from "~/core/labels/request-labels.server";
import { getCarrierConnection } from "~/core/labels/connection.server";
import { MAX_COLLI } from "~/core/labels/deps";
import { PACKAGE_TYPES } from "~/core/ports";
import { textInput } from "~/core/text-input";
import { getRuntime, labelDeps } from "~/runtime.server";
import { db } from "~/db.server";

export async function action({ request }: ActionFunctionArgs) {
  const merchant = await requireExtensionMerchant(request);
  if (request.method !== "POST") return extensionJson(merchant, 405, { error: "method_not_allowed" });
  const Body = z.object({
    orderId: z.string().max(100),
    service: textInput().trim().min(1).max(200).optional(),
    colli: z.coerce.number().int().min(1).max(MAX_COLLI).optional(),
    packageType: z.enum(PACKAGE_TYPES).optional(),
  });
  const parsed = Body.safeParse(await readJsonBody(request));
  if (!parsed.success) return extensionJson(merchant, 400, { error: "invalid" });
  const platformOrderId = shopifyOrderIdOfGid(parsed.data.orderId);
  const order = platformOrderId ? await findShopOrder(merchant, platformOrderId) : undefined;
  if (!order) return extensionJson(merchant, 404, { error: "order_not_found" });
  const { service, colli, packageType } = parsed.data;
  // The merchant's choice is the override of this order's group in the rules' plan (as the app's dialog sends it).
  const explicit = service !== undefined || colli !== undefined || packageType !== undefined;
  const choice = explicit ? await rulesChoice(merchant.shopId, order.id) : null;
  const overrides = choice ? { [choice.group]: { service: service ?? null, packageType: packageType ?? null, colli: colli ?? null } } : {};
  // No rules' plan to override (the connection names no default service): the merchant's choice is this order's own,
  // completed from the connection; without a service to buy, a clear refusal rather than the choice dropped.
  let options: LabelOptions | undefined;
  if (explicit && !choice) {
    const conn = await getCarrierConnection(db, merchant.shopId);
    const chosenService = service ?? conn?.defaultService ?? conn?.services[0]?.code;
    if (conn && !chosenService) return extensionJson(merchant, 422, { error: "bad_options", detail: "service" });
    if (chosenService) options = { service: chosenService, colli: colli ?? 1, packageType: packageType ?? conn?.defaultPackageType ?? "package" };
  }
  const r = await requestLabels(labelDeps(await getRuntime()), merchant.shopId, { orderIds: [order.id], ...(options ? { options } : { overrides }), source: "merchant" });
  if (!r.ok) return extensionJson(merchant, 422, { error: r.reason, ...(r.detail ? { detail: r.detail } : {}) });
  // Not to ship (shipped, cancelled, removed) or an address the carrier refuses: nothing was queued; the view says why.
  // A parcel too heavy for its service (a mailbox parcel over 2 kg) is refused before any carrier call (shipping rules).
  // A rule that makes no label (local pick-up) and no choice of the merchant's: nothing queued, the rule named.
  const refused = r.notAllowed.length ? "not_to_ship" : r.incomplete.length ? "incomplete_address" : r.refused.length ? "too_heavy" : r.skipped.length ? "skipped_by_rule" : null;
  // too_heavy: the limit it is over, for the extension's sentence ("3 kg per doos, de grens is 2 kg").
  const heavy = r.refused[0]?.refusal;
  const detail =
    refused === "skipped_by_rule"
      ? { detail: r.skipped[0]!.rule }
      : refused === "too_heavy" && heavy
        ? { detail: { service: heavy.service, limitGrams: heavy.limitGrams, parcelGrams: heavy.parcelGrams } }
        : {};
  return extensionJson(merchant, refused ? 422 : 200, { ...(refused ? { error: refused, ...detail } : {}), view: await orderView(merchant, order) });
}

export const loader = ({ request }: LoaderFunctionArgs) => extensionPreflightOr405(request);
