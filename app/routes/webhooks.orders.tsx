// orders/create, orders/paid, orders/updated, orders/cancelled (shopify.app.toml).
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook, SHOPIFY_WEBHOOK_PATHS } from "~/platforms/shopify/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, SHOPIFY_WEBHOOK_PATHS["/webhooks/orders"]!);
