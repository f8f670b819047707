// orders/create, orders/paid, orders/updated, orders/cancelled (shopify.app.toml).
import type { ActionFunctionArgs } from "@remix-run/node";
import { ORDER_TOPICS } from "~/core/deliveries.server";
import { handleShopifyWebhook } from "~/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, ORDER_TOPICS);
