// Shared body of every Shopify webhook route: verify → store + enqueue → answer. Never 200 when storing failed.
import { APP_TOPICS, COMPLIANCE_TOPICS, ORDER_TOPICS, receiveDelivery } from "./core/deliveries.server";
import { verifyShopifyWebhook } from "./platforms/shopify/webhooks.server";
import { getRuntime } from "./runtime.server";
import { markUninstalled } from "./core/privacy.server";
import { log } from "./log.server";

/** Webhook paths (shopify.app.toml) and the topics each accepts; the Remix routes and the server's fast path share it. */
export const SHOPIFY_WEBHOOK_PATHS: Record<string, readonly string[]> = {
  "/webhooks/orders": ORDER_TOPICS,
  "/webhooks/app/uninstalled": [APP_TOPICS[0]],
  "/webhooks/app/scopes_update": [APP_TOPICS[1]],
  "/webhooks/compliance": COMPLIANCE_TOPICS,
};

export async function handleShopifyWebhook(request: Request, allowedTopics: readonly string[]): Promise<Response> {
  const verified = await verifyShopifyWebhook(request);
  if (!verified.ok) return new Response(null, { status: verified.status });
  const d = verified.delivery;
  if (!allowedTopics.includes(d.topic)) {
    log.warn("webhook topic not handled by this route", { topic: d.topic, url: new URL(request.url).pathname });
    return new Response(`Topic ${d.topic} is not handled here`, { status: 400 });
  }
  try {
    const { db, queue } = await getRuntime();
    const result = await receiveDelivery(db, queue, d);
    // The token dies with the uninstall: drop the sessions now, not after the queue (template-remix PR #862).
    if (d.topic === "app/uninstalled" && result.status !== "duplicate") await markUninstalled(db, "shopify", d.shopDomain);
    return new Response(null, { status: 200 });
  } catch (e) {
    log.error("storing webhook failed", { topic: d.topic, shop: d.shopDomain, webhookId: d.webhookId, error: (e as Error).message });
    return new Response("Could not store the webhook; please retry", { status: 503 });
  }
}
