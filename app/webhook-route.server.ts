// Shared body of every Shopify webhook route: verify → store + enqueue → answer. Never 200 when storing failed.
// Two doors, one handler: the Remix routes (app/routes/webhooks.*) and the server's Node fast path (server-app.ts), which
// answers webhooks before express and Remix see them — a burst after a sale is thousands of these, and Remix's request
// adapter and route matching cost more CPU than the webhook itself.
import type { IncomingMessage, ServerResponse } from "node:http";
import { APP_TOPICS, COMPLIANCE_TOPICS, ORDER_TOPICS } from "./platforms/shopify/topics";
import { verifyShopifyWebhook, type RawWebhook } from "./platforms/shopify/webhooks.server";
import { getRuntime } from "./runtime.server";
import { uninstallShop } from "./core/privacy.server";
import { log } from "./log.server";
import { withoutQueryText } from "./db/client.server";

/** Webhook paths (shopify.app.toml) and the topics each accepts; the Remix routes and the server's fast path share it. */
export const SHOPIFY_WEBHOOK_PATHS: Record<string, readonly string[]> = {
  "/webhooks/orders": ORDER_TOPICS,
  "/webhooks/app/uninstalled": [APP_TOPICS[0]],
  "/webhooks/app/scopes_update": [APP_TOPICS[1]],
  "/webhooks/compliance": COMPLIANCE_TOPICS,
};

/** Shopify's webhook bodies are far smaller; a larger one is refused before it is buffered. */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

type WebhookAnswer = { status: number; body?: string };

export async function receiveShopifyWebhook(raw: RawWebhook, allowedTopics: readonly string[]): Promise<WebhookAnswer> {
  const verified = await verifyShopifyWebhook(raw);
  if (!verified.ok) return { status: verified.status };
  const d = verified.delivery;
  if (!allowedTopics.includes(d.topic)) {
    log.warn("webhook topic not handled by this route", { topic: d.topic, url: new URL(raw.url).pathname });
    return { status: 400, body: `Topic ${d.topic} is not handled here` };
  }
  try {
    const rt = await getRuntime();
    const result = await rt.inbox.receive(d);
    // The token dies with the uninstall: drop it now, not after the queue (template-remix PR #862).
    if (d.topic === "app/uninstalled" && result.status !== "duplicate") await uninstallShop(rt, "shopify", d.shopDomain);
    return { status: 200 };
  } catch (e) {
    log.error("storing webhook failed", { topic: d.topic, shop: d.shopDomain, webhookId: d.webhookId, error: withoutQueryText(e).message });
    return { status: 503, body: "Could not store the webhook; please retry" };
  }
}

/** The Remix routes' action. */
export async function handleShopifyWebhook(request: Request, allowedTopics: readonly string[]): Promise<Response> {
  const rawBody = request.method === "POST" ? await request.text() : "";
  const answer = await receiveShopifyWebhook({ method: request.method, url: request.url, headers: request.headers, rawBody }, allowedTopics);
  return new Response(answer.body ?? null, { status: answer.status });
}

/**
 * The fast path: answers a POST to one of SHOPIFY_WEBHOOK_PATHS straight from Node's request; returns false (and
 * touches nothing) for anything else, which then goes to express/Remix.
 */
export function handleShopifyWebhookNode(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "POST" || !req.url) return false;
  const q = req.url.indexOf("?");
  const allowedTopics = SHOPIFY_WEBHOOK_PATHS[q === -1 ? req.url : req.url.slice(0, q)];
  if (!allowedTopics) return false;
  const answer = (a: WebhookAnswer) => {
    if (res.headersSent) return;
    res.writeHead(a.status, a.body ? { "Content-Type": "text/plain; charset=utf-8" } : {});
    res.end(a.body);
  };
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) {
      answer({ status: 413, body: "Webhook body too large" });
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on("error", () => answer({ status: 400 }));
  req.on("end", () => {
    if (size > MAX_WEBHOOK_BYTES) return;
    const raw: RawWebhook = {
      method: "POST",
      url: `http://localhost${req.url}`, // only the path matters; a bad Host header must not break the URL
      headers: Object.entries(req.headers),
      rawBody: Buffer.concat(chunks, size).toString("utf8"),
    };
    receiveShopifyWebhook(raw, allowedTopics).then(answer, (e: Error) => {
      log.error("webhook failed", { error: e.message });
      answer({ status: 503, body: "Could not store the webhook; please retry" });
    });
  });
  return true;
}
