// CCV Shop's webhooks as Koppel stores them. A webhook body is a short summary of the order, not the order —
// `triggered_at, href, id, order_number, ordernumber_prefix, ordernumber_full, total_price`, then per event
// `previous_status`/`status` (orders.updated.status), `paid` (orders.updated.ispaid) or `track_and_trace_code`/
// `track_and_trace_carrier` (orders.updated.trackandtrace), then `customer_email, customer_mobile` (public code:
// hniehorster/bon-ingest-ccv). No public receiver verifies a signature, so a webhook is only a trigger: the order is
// always fetched by `id` over the signed API (adapter.server.ts), never looked up by its number.
import { z } from "zod";
import type { CustomerRef, DeliveryKind, PayloadMatch, StoredDelivery } from "../../core/ports";

/** The order events Koppel registers (Koppelen) and imports on. */
export const CCV_ORDER_EVENTS = ["orders.created", "orders.updated.ispaid", "orders.updated.status"] as const;
/** Other order events CCV may send to the same address (one Koppel does not register, but would accept). */
export const CCV_ACCEPTED_EVENTS = [...CCV_ORDER_EVENTS, "orders.updated.trackandtrace"] as const;
export type CcvOrderEvent = (typeof CCV_ACCEPTED_EVENTS)[number];

export const WebhookSummarySchema = z
  .object({
    id: z.union([z.number().int().positive(), z.bigint().positive(), z.string().regex(/^\d{1,20}$/)]).transform(String),
    triggered_at: z.string().nullish(),
    ordernumber_full: z.union([z.string(), z.number()]).nullish(),
    status: z.union([z.number(), z.string()]).nullish(),
    previous_status: z.union([z.number(), z.string()]).nullish(),
    paid: z.union([z.boolean(), z.number(), z.string()]).nullish(),
    track_and_trace_code: z.string().nullish(),
  })
  .passthrough();
export type WebhookSummary = z.infer<typeof WebhookSummarySchema>;

/** Which event a summary is, by the fields it carries (CCV does not name the event in the body or a header). */
export function eventOfSummary(s: Record<string, unknown>): CcvOrderEvent {
  if ("previous_status" in s || "status" in s) return "orders.updated.status";
  if ("paid" in s) return "orders.updated.ispaid";
  if ("track_and_trace_code" in s || "track_and_trace_carrier" in s) return "orders.updated.trackandtrace";
  return "orders.created";
}

export function classifyCcvDelivery(d: Pick<StoredDelivery, "topic" | "payload">): DeliveryKind {
  if (!(CCV_ACCEPTED_EVENTS as readonly string[]).includes(d.topic)) return { kind: "ignore", reason: `event ${d.topic} is not handled` };
  const parsed = WebhookSummarySchema.safeParse(d.payload);
  if (!parsed.success) return { kind: "invalid", reason: "the webhook does not name an order id" };
  return { kind: "order" };
}

/** Where a stored CCV webhook names a customer: the summary's `customer_email`, and the order's `id`. */
export function ccvDeliveryMentions(ref: CustomerRef): PayloadMatch[] {
  const out: PayloadMatch[] = [];
  if (ref.email) out.push({ path: ["customer_email"], values: [ref.email], caseInsensitive: true });
  if (ref.platformOrderIds?.length) out.push({ path: ["id"], values: ref.platformOrderIds });
  return out;
}
