// Verifying Shopify webhooks (HMAC-SHA256 of the raw body with the client secret, node:crypto: webhook-hmac.ts), then
// storing them through the core. We do not use authenticate.webhook: it JSON.parses before we can keep a bad body, and
// it may refresh an offline token on the request path; Shopify gives us 5 s in total.
// https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
import { env } from "../../env.server";
import type { IncomingDelivery } from "../../core/deliveries.server";
import { APP_TOPICS, COMPLIANCE_TOPICS, ORDER_TOPICS } from "./topics";
import { checkShopifyWebhook } from "./webhook-hmac";
import { log } from "../../log.server";
import { isShopifyShopDomain } from "./shop-domain";
import { parseJsonBody } from "../../core/text";
import type { RawWebhook } from "../webhook-door";

export type { RawWebhook };

const KNOWN_TOPICS = [...ORDER_TOPICS, ...APP_TOPICS, ...COMPLIANCE_TOPICS] as readonly string[];

/** "ORDERS_CREATE" / "orders/create" → "orders/create". */
export function normaliseTopic(topic: string): string {
  const lower = topic.toLowerCase();
  if (lower.includes("/")) return lower;
  return KNOWN_TOPICS.find((t) => t.replace("/", "_") === lower) ?? lower;
}

export type VerifiedWebhook = { ok: true; delivery: IncomingDelivery } | { ok: false; status: 400 | 401 | 405 };

/** Synchronous: the fast path awaits nothing it does not need to. */
export function verifyShopifyWebhook(raw: RawWebhook): VerifiedWebhook {
  if (raw.method !== "POST") return { ok: false, status: 405 };
  const { rawBody } = raw;
  const check = checkShopifyWebhook(rawBody, raw.headers, env.SHOPIFY_API_SECRET);
  if (!check.valid) {
    // Shopify's review requires 401 for a bad or missing HMAC.
    const unauthorized = check.reason === "invalid_hmac" || check.reason === "missing_hmac";
    return { ok: false, status: unauthorized ? 401 : 400 };
  }
  // Shopify only sends {handle}.myshopify.com: anything else, even signed, is not a shop delivery. 400 (not 200 and
  // drop): nothing is stored, and if it ever did come from Shopify its delivery metrics show the failure.
  if (!isShopifyShopDomain(check.domain)) {
    log.warn("webhook refused: not a myshopify.com shop domain", { domain: check.domain.slice(0, 100), length: check.domain.length });
    return { ok: false, status: 400 };
  }
  // Lossless (ids above 2^53 keep their digits) and bounded in depth; a refused body is kept as text with the reason.
  const parsed = parseJsonBody(rawBody);
  const triggeredAt = check.triggeredAt ? new Date(check.triggeredAt) : null;
  return {
    ok: true,
    delivery: {
      platform: "shopify",
      shopDomain: check.domain,
      webhookId: check.webhookId,
      eventId: check.eventId ?? null,
      topic: normaliseTopic(check.topic),
      apiVersion: check.apiVersion,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      payload: parsed.ok ? parsed.value : rawBody,
      bodyIsJson: parsed.ok,
      invalidReason: parsed.ok ? null : parsed.reason,
    },
  };
}
