// POST /api/extensions/restore {orderId: gid}: brings a removed order back into Koppel's list ("Verwijder
// bestellingen" undone), from Shopify's order page (extensions/order-action). Answers the order's view.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { extensionJson, extensionPreflightOr405, requireOrderPost } from "~/platforms/shopify/extension-request.server";
import { findShopOrder, orderView } from "~/extension-views.server";
import { restoreOrders } from "~/core/orders.server";

export async function action({ request }: ActionFunctionArgs) {
  const { merchant, platformOrderId } = await requireOrderPost(request);
  const order = await findShopOrder(merchant, platformOrderId);
  if (!order) return extensionJson(merchant, 404, { error: "order_not_found" });
  await restoreOrders(db, merchant.shopId, [order.id]);
  return extensionJson(merchant, 200, { view: await orderView(merchant, (await findShopOrder(merchant, platformOrderId))!) });
}

export const loader = ({ request }: LoaderFunctionArgs) => extensionPreflightOr405(request);
