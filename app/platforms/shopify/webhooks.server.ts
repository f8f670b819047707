// Verifying Shopify webhooks with the library's own HMAC code (@shopify/shopify-api webhooks.validate), then storing
// them through the core. We do not use authenticate.webhook: it JSON.parses before we can keep a bad body, and it may
// refresh an offline token on the request path; Shopify gives us 5 s in total.
// https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { env } from "../../env.server";
import { APP_TOPICS, COMPLIANCE_TOPICS, ORDER_TOPICS, type IncomingDelivery } from "../../core/deliveries.server";
import { log } from "../../log.server";
import { isShopifyShopDomain } from "./shop-domain";
import { parseJsonBody } from "../../core/text";

const api = shopifyApi({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.October26,
  hostName: new URL(env.SHOPIFY_APP_URL).host,
  hostScheme: new URL(env.SHOPIFY_APP_URL).protocol === "http:" ? "http" : "https",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

const KNOWN_TOPICS = [...ORDER_TOPICS, ...APP_TOPICS, ...COMPLIANCE_TOPICS] as readonly string[];

/** "ORDERS_CREATE" / "orders/create" → "orders/create". */
export function normaliseTopic(topic: string): string {
  const lower = topic.toLowerCase();
  if (lower.includes("/")) return lower;
  return KNOWN_TOPICS.find((t) => t.replace("/", "_") === lower) ?? lower;
}

/** A webhook request as received, from Remix (a Request) or from the server's Node fast path. */
export type RawWebhook = { method: string; url: string; headers: Iterable<[string, string | string[] | undefined]>; rawBody: string };

/**
 * The library reads only X-Shopify-* headers (HMAC, topic, domain, webhook id, API version, …), but canonicalises every
 * header of the request several times over (O(headers²) regex work: half its CPU on a webhook with proxy headers).
 * It gets a request with just those headers; the HMAC covers the body, so nothing it checks is left out.
 */
function shopifyHeadersOnly(raw: RawWebhook): Request {
  const headers = new Headers();
  for (const [name, value] of raw.headers) {
    if (value === undefined || !name.toLowerCase().startsWith("x-shopify-")) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Request(raw.url, { method: raw.method, headers });
}

export type VerifiedWebhook = { ok: true; delivery: IncomingDelivery } | { ok: false; status: 400 | 401 | 405 };

export async function verifyShopifyWebhook(raw: RawWebhook): Promise<VerifiedWebhook> {
  if (raw.method !== "POST") return { ok: false, status: 405 };
  const { rawBody } = raw;
  const check = await api.webhooks.validate({ rawBody, rawRequest: shopifyHeadersOnly(raw) });
  if (!check.valid) {
    // Shopify's review requires 401 for a bad or missing HMAC.
    const unauthorized = check.reason === WebhookValidationErrorReason.InvalidHmac || check.reason === WebhookValidationErrorReason.MissingHmac;
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
      eventId: "eventId" in check ? (check.eventId ?? null) : null,
      topic: normaliseTopic(check.topic),
      apiVersion: check.apiVersion,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      payload: parsed.ok ? parsed.value : rawBody,
      bodyIsJson: parsed.ok,
      invalidReason: parsed.ok ? null : parsed.reason,
    },
  };
}
