// Shopify's webhook door: the paths shopify.app.toml subscribes (and the topics each takes), verified by
// verifyShopifyWebhook (HMAC-SHA256 with the client secret, node:crypto: webhook-hmac.ts). Served by
// app/webhook-route.server.ts like every platform's door.
import type { WebhookDoor } from "../webhook-door";
import { APP_TOPICS, COMPLIANCE_TOPICS, ORDER_TOPICS } from "./topics";
import { verifyShopifyWebhook } from "./webhooks.server";

/** Webhook paths (shopify.app.toml) and the topics each accepts. */
export const SHOPIFY_WEBHOOK_PATHS: Record<string, readonly string[]> = {
  "/webhooks/orders": ORDER_TOPICS,
  "/webhooks/app/uninstalled": [APP_TOPICS[0]],
  "/webhooks/app/scopes_update": [APP_TOPICS[1]],
  "/webhooks/compliance": COMPLIANCE_TOPICS,
};

export const shopifyWebhookDoor: WebhookDoor = {
  platform: "shopify",
  paths: SHOPIFY_WEBHOOK_PATHS,
  verify(raw) {
    const verified = verifyShopifyWebhook(raw);
    return verified.ok ? { ok: true, deliveries: [verified.delivery] } : verified;
  },
  // The offline token dies with the uninstall (template-remix PR #862).
  uninstalls: (d) => d.topic === APP_TOPICS[0],
};
