// What a stored Shopify webhook means to the core (ShopPlatform.classifyDelivery): topics and the compliance
// payloads are Shopify's, so they are read here. https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
import { z } from "zod";
import type { CustomerRef, DeliveryKind, PayloadMatch, StoredDelivery } from "../../core/ports";
import { ORDER_TOPICS } from "./topics";
import { formatZodIssues } from "./order-schema";
import { cleanText } from "../../core/text";

// Ids above 2^53 come as BigInt (the lossless parse); String() gives their exact digits. Cleaned like the orders they
// are matched against (a NUL would make PostgreSQL refuse the query).
const id = z.union([z.number(), z.bigint(), z.string()]).transform((v) => cleanText(String(v)));

const CompliancePayload = z.object({
  shop_domain: z.string().optional(),
  customer: z.object({ id: id.nullish(), email: z.string().transform(cleanText).nullish() }).nullish(),
  orders_to_redact: z.array(id).nullish(),
  orders_requested: z.array(id).nullish(),
});

export const ScopesPayload = z.object({ current: z.array(z.string().transform(cleanText)) });

export function classifyShopifyDelivery(d: Pick<StoredDelivery, "topic" | "payload">): DeliveryKind {
  const topic = d.topic;
  if ((ORDER_TOPICS as readonly string[]).includes(topic)) return { kind: "order" };
  switch (topic) {
    case "app/uninstalled":
      return { kind: "uninstall" };
    case "app/scopes_update":
      return { kind: "platform" };
    case "shop/redact":
      return { kind: "privacy", request: { type: "shop_redact" } };
    case "customers/redact":
    case "customers/data_request": {
      const p = CompliancePayload.safeParse(d.payload);
      if (!p.success) return { kind: "invalid", reason: formatZodIssues(p.error) };
      const customer = {
        email: p.data.customer?.email ?? null,
        customerId: p.data.customer?.id ?? null,
        platformOrderIds: (topic === "customers/redact" ? p.data.orders_to_redact : p.data.orders_requested) ?? [],
      };
      return { kind: "privacy", request: { type: topic === "customers/redact" ? "customer_redact" : "customer_data_request", customer } };
    }
    default:
      return { kind: "ignore", reason: `topic ${topic} is not handled` };
  }
}

/**
 * Where Shopify's stored webhooks name a customer: an order webhook (REST order) carries `email`, its own `id` and
 * `customer.id`; ids above 2^53 are exact digits in jsonb, so they compare as text.
 */
export function shopifyDeliveryMentions(ref: CustomerRef): PayloadMatch[] {
  const out: PayloadMatch[] = [];
  if (ref.email) out.push({ path: ["email"], values: [ref.email], caseInsensitive: true });
  if (ref.platformOrderIds?.length) out.push({ path: ["id"], values: ref.platformOrderIds });
  if (ref.customerId) out.push({ path: ["customer", "id"], values: [ref.customerId] });
  return out;
}
