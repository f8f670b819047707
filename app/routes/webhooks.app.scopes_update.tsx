// app/scopes_update (shopify.app.toml): stores the granted scopes on the sessions.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook, SHOPIFY_WEBHOOK_PATHS } from "~/platforms/shopify/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, SHOPIFY_WEBHOOK_PATHS["/webhooks/app/scopes_update"]!);
