// Webhooks as Shopify sends them: REST-shaped order payloads, signed with the app secret over the raw body.
// https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
import { createHmac, randomUUID } from "node:crypto";
import type { FakeOrder } from "./types";
import { restTime } from "./util";

export type OrderWebhookPayload = ReturnType<typeof orderWebhookPayload>;

const FULFILLMENT_STATUS_REST: Record<string, string | null> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
  RESTOCKED: "restocked",
};

/** The JSON body of orders/create|updated|paid|cancelled|fulfilled for an order. */
export function orderWebhookPayload(order: FakeOrder, opts: { timeZone?: string } = {}) {
  const t = (iso: string | null) => restTime(iso, opts.timeZone);
  const a = order.shippingAddress;
  const totalWeight = order.lineItems.reduce((s, l) => s + (l.requiresShipping ? l.grams * l.quantity : 0), 0);
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: order.name,
    order_number: order.orderNumber,
    number: order.orderNumber - 1000,
    email: order.email,
    contact_email: order.email,
    created_at: t(order.createdAt),
    updated_at: t(order.updatedAt),
    processed_at: t(order.createdAt),
    cancelled_at: t(order.cancelledAt),
    cancel_reason: order.cancelledAt ? "customer" : null,
    closed_at: order.closed ? t(order.updatedAt) : null,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: FULFILLMENT_STATUS_REST[order.fulfillmentStatus] ?? null,
    test: order.test,
    currency: order.currency,
    presentment_currency: order.currency,
    total_price: order.totalPrice,
    current_total_price: order.totalPrice,
    subtotal_price: order.totalPrice,
    total_weight: totalWeight,
    tags: order.tags.join(", "),
    shipping_lines: order.shippingMethod === null ? [] : [{ title: order.shippingMethod, code: order.shippingMethod }],
    customer: order.customer
      ? {
          id: order.customer.id,
          email: order.customer.email,
          first_name: order.customer.firstName,
          last_name: order.customer.lastName,
        }
      : null,
    shipping_address: restAddress(a),
    billing_address: restAddress(order.billingAddress),
    line_items: order.lineItems.map((l) => ({
      id: l.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
      variant_id: l.variantId,
      sku: l.sku,
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      title: l.title,
      variant_title: l.variantTitle,
      quantity: l.quantity,
      current_quantity: l.quantity,
      fulfillable_quantity: l.requiresShipping ? l.quantity : 0,
      grams: l.grams,
      price: l.price,
      requires_shipping: l.requiresShipping,
      fulfillment_status: order.fulfillmentStatus === "FULFILLED" ? "fulfilled" : null,
    })),
  };
}

export type SignedWebhookOptions = {
  /** Where Shopify delivers (the subscription's uri). */
  url: string;
  /** e.g. "orders/create" */
  topic: string;
  shop: string;
  payload?: unknown;
  /** Exact bytes to send (overrides payload), e.g. to test that the app verifies the raw body. */
  rawBody?: string;
  /** App client secret. */
  secret: string;
  webhookId?: string;
  eventId?: string;
  apiVersion?: string;
  triggeredAt?: Date | string;
  /** Replace or remove (null) headers, e.g. to send a bad signature. */
  headers?: Record<string, string | null>;
};

export function webhookHmac(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

export function signedWebhookRequest(opts: SignedWebhookOptions): Request {
  const raw = opts.rawBody ?? JSON.stringify(opts.payload ?? {});
  const headers = new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Topic": opts.topic,
    "X-Shopify-Shop-Domain": opts.shop,
    "X-Shopify-Hmac-Sha256": webhookHmac(raw, opts.secret),
    "X-Shopify-Webhook-Id": opts.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": opts.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date(opts.triggeredAt ?? new Date()).toISOString(),
    "X-Shopify-API-Version": opts.apiVersion ?? "2026-10",
    "User-Agent": "Shopify-Captain-Hook",
  });
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === null) headers.delete(k);
    else headers.set(k, v);
  }
  return new Request(opts.url, { method: "POST", headers, body: raw });
}

export type WebhookDelivery = {
  response: Response;
  webhookId: string;
  eventId: string;
  /** Deliver the identical webhook again (same ids and body), as Shopify's retries do. */
  redeliver(): Promise<Response>;
};

/** POST a signed webhook with fetch. `url` may be a base URL plus `path` (default "/webhooks"). */
export async function sendWebhook(
  opts: Omit<SignedWebhookOptions, "url"> & { url?: string; baseUrl?: string; path?: string },
): Promise<WebhookDelivery> {
  const url = opts.url ?? new URL(opts.path ?? "/webhooks", opts.baseUrl).toString();
  const fixed: SignedWebhookOptions = {
    ...opts,
    url,
    webhookId: opts.webhookId ?? randomUUID(),
    eventId: opts.eventId ?? randomUUID(),
    triggeredAt: opts.triggeredAt ?? new Date(),
  };
  const response = await fetch(signedWebhookRequest(fixed));
  return {
    response,
    webhookId: fixed.webhookId!,
    eventId: fixed.eventId!,
    redeliver: () => fetch(signedWebhookRequest(fixed)),
  };
}

/** A FakeAddress as REST webhooks write it. */
function restAddress(a: FakeOrder["shippingAddress"]) {
  return a
    ? {
        first_name: a.firstName,
        last_name: a.lastName,
        name: a.name,
        company: a.company,
        address1: a.address1,
        address2: a.address2,
        city: a.city,
        zip: a.zip,
        province: a.province,
        province_code: a.provinceCode,
        country: a.country,
        country_code: a.countryCode,
        phone: a.phone,
        latitude: null,
        longitude: null,
      }
    : null;
}
