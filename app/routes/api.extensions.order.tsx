// GET /api/extensions/order?id=gid://shopify/Order/N[&locale=nl|en][&prices=1]: the order action's and block's view of
// one order (prices=1: with the carrier's price of the shipping rules' choice, the dialog's first load only) (extensions/order-action, extensions/order-block). Not in Koppel (unpaid, never imported) or another shop's → 404.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionJson, extensionPreflightOr405, requireExtensionMerchant, shopifyOrderIdOfGid } from "~/platforms/shopify/extension-request.server";
import { findShopOrder, orderView } from "~/extension-views.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireExtensionMerchant(request);
  const platformOrderId = shopifyOrderIdOfGid(new URL(request.url).searchParams.get("id"));
  if (!platformOrderId) return extensionJson(merchant, 400, { error: "invalid_order_id" });
  const order = await findShopOrder(merchant, platformOrderId);
  if (!order) return extensionJson(merchant, 404, { error: "order_not_found" });
  const prices = new URL(request.url).searchParams.get("prices") === "1";
  return extensionJson(merchant, 200, await orderView(merchant, order, { prices }));
}

export const action = ({ request }: ActionFunctionArgs) => extensionPreflightOr405(request);
