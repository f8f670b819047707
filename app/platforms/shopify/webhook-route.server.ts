// The Remix routes of Shopify's webhook paths (app/routes/webhooks.*): each hands its request to the shared entry
// with the topics its path takes. The server's fast path answers the same paths before Remix (server-app.ts).
import { handleWebhookRequest } from "../../webhook-route.server";
import { SHOPIFY_WEBHOOK_PATHS } from "./webhook-door.server";

export { SHOPIFY_WEBHOOK_PATHS };

export function handleShopifyWebhook(request: Request, accepts: readonly string[]): Promise<Response> {
  return handleWebhookRequest(request, { platform: "shopify", accepts });
}
