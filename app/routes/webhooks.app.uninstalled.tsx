// app/uninstalled (shopify.app.toml): sessions deleted at once; the job stops the sync.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook, SHOPIFY_WEBHOOK_PATHS } from "~/platforms/shopify/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, SHOPIFY_WEBHOOK_PATHS["/webhooks/app/uninstalled"]!);
