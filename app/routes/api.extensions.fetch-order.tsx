// POST /api/extensions/fetch-order {orderId: gid}: "Nu ophalen" in the order action (extensions/order-action) for an
// order that is not in Koppel yet: read from Shopify now and imported by the import policy (fetchOrderNow). Answers
// the order's view, or 422 with why it is not imported (not paid, a test order, …).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionJson, extensionPreflightOr405, requireOrderPost } from "~/platforms/shopify/extension-request.server";
import { findShopOrder, orderView } from "~/extension-views.server";
import { fetchOrderNow } from "~/core/fetch-order-now.server";
import { getRuntime } from "~/runtime.server";
import { log } from "~/log.server";

export async function action({ request }: ActionFunctionArgs) {
  const { merchant, platformOrderId } = await requireOrderPost(request);
  const r = await fetchOrderNow(await getRuntime(), merchant.shop, platformOrderId);
  if (!r.ok) {
    if (r.reason === "unreadable") log.warn("fetch order now failed", { shopId: merchant.shopId, platformOrderId, reason: r.detail });
    // Another shop's order id is simply not found at this shop's Shopify.
    if (r.reason === "not_found") return extensionJson(merchant, 404, { error: "order_not_found" });
    return extensionJson(merchant, 422, r.reason === "skipped" ? { error: "not_imported", skip: r.skip } : { error: "unreachable_shop" });
  }
  const order = await findShopOrder(merchant, platformOrderId);
  if (!order) return extensionJson(merchant, 404, { error: "order_not_found" });
  return extensionJson(merchant, 200, { view: await orderView(merchant, order) });
}

export const loader = ({ request }: LoaderFunctionArgs) => extensionPreflightOr405(request);
