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
import { bodyRefused, MAX_WEBHOOK_BYTES, readNodeBody, readRequestBody, refuseNodeRequest } from "./body-limit.server";

export { MAX_WEBHOOK_BYTES };

/** Webhook paths (shopify.app.toml) and the topics each accepts; the Remix routes and the server's fast path share it. */
export const SHOPIFY_WEBHOOK_PATHS: Record<string, readonly string[]> = {
  "/webhooks/orders": ORDER_TOPICS,
  "/webhooks/app/uninstalled": [APP_TOPICS[0]],
  "/webhooks/app/scopes_update": [APP_TOPICS[1]],
  "/webhooks/compliance": COMPLIANCE_TOPICS,
};

/**
 * A path under /webhooks that is not exactly one of SHOPIFY_WEBHOOK_PATHS: a trailing slash, `.data` (Remix single
 * fetch), other case, encoded or doubled slashes. Remix would route several of these to a webhook route; Shopify
 * never sends them, so they get 404 before any byte of the body is read.
 */
export function isWebhookPathVariant(path: string): boolean {
  if (SHOPIFY_WEBHOOK_PATHS[path]) return false;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // a malformed escape: judge the raw path
  }
  return /^\/webhooks(?:[/.]|$)/i.test(decoded.replace(/\/{2,}/g, "/"));
}

type WebhookAnswer = { status: number; body?: string };

/**
 * Shopify waits 5 s for an answer, then counts the delivery failed and retries it. A store that takes longer (the
 * database hangs: connections open, no answer) is answered 503 before that; if it commits later after all, the retry
 * is a duplicate (same webhook id) and stored once.
 */
export const WEBHOOK_STORE_TIMEOUT_MS = 4_000;

function withinStoreTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`storing took longer than ${WEBHOOK_STORE_TIMEOUT_MS} ms`)), WEBHOOK_STORE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

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
    await withinStoreTimeout(
      (async () => {
        const result = await rt.inbox.receive(d);
        // The token dies with the uninstall: drop it now, not after the queue (template-remix PR #862).
        if (d.topic === "app/uninstalled" && result.status !== "duplicate") await uninstallShop(rt, "shopify", d.shopDomain);
      })(),
    );
    return { status: 200 };
  } catch (e) {
    log.error("storing webhook failed", { topic: d.topic, shop: d.shopDomain, webhookId: d.webhookId, error: withoutQueryText(e).message });
    return { status: 503, body: "Could not store the webhook; please retry" };
  }
}

/** The Remix routes' action. The body is read with the webhook limit, as the fast path does, before verification. */
export async function handleShopifyWebhook(request: Request, allowedTopics: readonly string[]): Promise<Response> {
  let rawBody = "";
  if (request.method === "POST") {
    const read = await readRequestBody(request, MAX_WEBHOOK_BYTES);
    if (!read.ok) return bodyRefused(read.status, read.status === 413 ? "Webhook body too large" : undefined);
    rawBody = read.body.toString("utf8");
  }
  const answer = await receiveShopifyWebhook({ method: request.method, url: request.url, headers: request.headers, rawBody }, allowedTopics);
  return new Response(answer.body ?? null, { status: answer.status });
}

/**
 * The fast path: answers a POST to one of SHOPIFY_WEBHOOK_PATHS straight from Node's request, and 404 to any variant
 * of a webhook path (isWebhookPathVariant); returns false (and touches nothing) for anything else, which then goes to
 * express/Remix.
 */
export function handleShopifyWebhookNode(req: IncomingMessage, res: ServerResponse): boolean {
  if (!req.url) return false;
  const q = req.url.indexOf("?");
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const allowedTopics = SHOPIFY_WEBHOOK_PATHS[path];
  if (!allowedTopics) {
    if (!isWebhookPathVariant(path)) return false;
    refuseNodeRequest(req, res, 404);
    return true;
  }
  if (req.method !== "POST") return false;
  const answer = (a: WebhookAnswer) => {
    if (res.headersSent) return;
    res.writeHead(a.status, a.body ? { "Content-Type": "text/plain; charset=utf-8" } : {});
    res.end(a.body);
  };
  // Counted as it arrives (BodyLimitedRequest, when this server made the request): refused at the first byte over.
  const refuseTooLarge = () => refuseNodeRequest(req, res, 413, "Webhook body too large");
  (req as IncomingMessage & { setBodyLimit?: (limit: number, refuse: () => void) => void }).setBodyLimit?.(MAX_WEBHOOK_BYTES, refuseTooLarge);
  readNodeBody(req, MAX_WEBHOOK_BYTES)
    .then((read) => {
      if (!read.ok) return refuseNodeRequest(req, res, read.status, read.status === 413 ? "Webhook body too large" : undefined);
      const raw: RawWebhook = {
        method: "POST",
        url: `http://localhost${req.url}`, // only the path matters; a bad Host header must not break the URL
        headers: Object.entries(req.headers),
        rawBody: read.body.toString("utf8"),
      };
      return receiveShopifyWebhook(raw, allowedTopics).then(answer);
    })
    .catch((e: Error) => {
      log.error("webhook failed", { error: e.message });
      answer({ status: 503, body: "Could not store the webhook; please retry" });
    });
  return true;
}
