// customers/data_request, customers/redact, shop/redact (shopify.app.toml compliance_topics).
// https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance — 401 on a bad HMAC.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook, SHOPIFY_WEBHOOK_PATHS } from "~/platforms/shopify/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, SHOPIFY_WEBHOOK_PATHS["/webhooks/compliance"]!);
