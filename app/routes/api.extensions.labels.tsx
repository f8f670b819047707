// POST /api/extensions/labels {orderId: gid, service, colli, packageType}: "Label aanmaken" from Shopify's order page
// (extensions/order-action). The same use case as the app's button (requestLabels: one request + job, a second click
// joins the first); answers the order's view, whose label state the extension then follows.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { extensionJson, extensionPreflightOr405, readJsonBody, requireExtensionMerchant, shopifyOrderIdOfGid } from "~/platforms/shopify/extension-request.server";
import { findShopOrder, orderView } from "~/extension-views.server";
import { requestLabels } from "~/core/labels/request-labels.server";
import { MAX_COLLI } from "~/core/labels/deps";
import { PACKAGE_TYPES } from "~/core/ports";
import { textInput } from "~/core/text-input";
import { getRuntime, labelDeps } from "~/runtime.server";

export async function action({ request }: ActionFunctionArgs) {
  const merchant = await requireExtensionMerchant(request);
  if (request.method !== "POST") return extensionJson(merchant, 405, { error: "method_not_allowed" });
  const Body = z.object({
    orderId: z.string().max(100),
    service: textInput().trim().min(1).max(200),
    colli: z.coerce.number().int().min(1).max(MAX_COLLI),
    packageType: z.enum(PACKAGE_TYPES),
  });
  const parsed = Body.safeParse(await readJsonBody(request));
  if (!parsed.success) return extensionJson(merchant, 400, { error: "invalid" });
  const platformOrderId = shopifyOrderIdOfGid(parsed.data.orderId);
  const order = platformOrderId ? await findShopOrder(merchant, platformOrderId) : undefined;
  if (!order) return extensionJson(merchant, 404, { error: "order_not_found" });
  const { service, colli, packageType } = parsed.data;
  const r = await requestLabels(labelDeps(await getRuntime()), merchant.shopId, { orderIds: [order.id], options: { service, colli, packageType }, source: "merchant" });
  if (!r.ok) return extensionJson(merchant, 422, { error: r.reason, ...(r.detail ? { detail: r.detail } : {}) });
  // Not to ship (shipped, cancelled, removed) or an address the carrier refuses: nothing was queued; the view says why.
  // A parcel too heavy for its service (a mailbox parcel over 2 kg) is refused before any carrier call (shipping rules).
  const refused = r.notAllowed.length ? "not_to_ship" : r.incomplete.length ? "incomplete_address" : r.refused.length ? "too_heavy" : null;
  return extensionJson(merchant, refused ? 422 : 200, { ...(refused ? { error: refused } : {}), view: await orderView(merchant, order) });
}

export const loader = ({ request }: LoaderFunctionArgs) => extensionPreflightOr405(request);
