// POST /api/extensions/retry-writeback {orderId: gid}: "Opnieuw" for the order's failed write-back, from Shopify's
// order page (extensions/order-block). The same use case as the order list's button (retryWriteBack). Answers the view.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionJson, extensionPreflightOr405, requireOrderPost } from "~/platforms/shopify/extension-request.server";
import { findShopOrder, latestLabels, orderView } from "~/extension-views.server";
import { retryWriteBack } from "~/core/labels/retries.server";
import { getRuntime, labelDeps } from "~/runtime.server";

export async function action({ request }: ActionFunctionArgs) {
  const { merchant, platformOrderId } = await requireOrderPost(request);
  const order = await findShopOrder(merchant, platformOrderId);
  if (!order) return extensionJson(merchant, 404, { error: "order_not_found" });
  const shipmentId = (await latestLabels(merchant.shopId, [order.id])).get(order.id)?.shipmentId;
  const retried = shipmentId ? await retryWriteBack(labelDeps(await getRuntime()), merchant.shopId, shipmentId) : false;
  return extensionJson(merchant, retried ? 200 : 409, { ...(retried ? {} : { error: "nothing_to_retry" }), view: await orderView(merchant, order) });
}

export const loader = ({ request }: LoaderFunctionArgs) => extensionPreflightOr405(request);
