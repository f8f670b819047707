// Webhook registry rules and the summary body CCV POSTs (contract §3 and "Added 2026-12-01"). No signature header:
// what CCV hashes with the webhook `key` is unconfirmed and no public receiver verifies one.
import { isoSeconds } from "./signing";
import type { CcvOrderWebhookEvent, CcvWebhook, CcvWebhookEvent, FakeCcvOrder } from "./types";
import { isBool, isStr, problem } from "./validate";

/** Events CCV accepts. The old names (orders.ispaid, orders.status, orders.trackandtrace) were renamed: refused. */
export const WEBHOOK_EVENTS: readonly CcvWebhookEvent[] = [
  "orders.created",
  "orders.updated.ispaid",
  "orders.updated.status",
  "orders.updated.trackandtrace",
  "orders.deleted",
  "invoices.updated.status",
  ...(["products", "returns", "categories"] as const).flatMap((r) => (["created", "updated", "deleted"] as const).map((a) => `${r}.${a}` as const)),
];

export function isWebhookEvent(v: unknown): v is CcvWebhookEvent {
  return typeof v === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(v);
}

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== "string") return false;
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** POST /webhooks body problem, or null. */
export function webhookCreateProblem(body: unknown): string | null {
  const p = problem(body, { event: isStr, address: isStr, is_active: isBool });
  if (p) return p;
  const b = body as Record<string, unknown>;
  if (b.event === undefined) return "Field event is required";
  if (b.address === undefined) return "Field address is required";
  if (!isWebhookEvent(b.event)) return `Unknown event ${String(b.event)}`;
  if (!isHttpUrl(b.address)) return "Field address must be an absolute http(s) URL";
  return null;
}

/** PATCH /webhooks/{id} body problem (address, is_active), or null. */
export function webhookPatchProblem(body: unknown): string | null {
  const p = problem(body, { address: isStr, is_active: isBool });
  if (p) return p;
  const b = body as Record<string, unknown>;
  if (b.address !== undefined && !isHttpUrl(b.address)) return "Field address must be an absolute http(s) URL";
  return null;
}

export type WebhookExtra = { previous_status?: number };

/** The summary CCV posts, fields in CCV's order. */
export function webhookSummary(event: CcvOrderWebhookEvent, order: FakeCcvOrder, nowMs: number, previousStatus: number | null): Record<string, unknown> {
  const body: Record<string, unknown> = {
    triggered_at: isoSeconds(nowMs),
    href: order.href,
    id: order.id,
    order_number: order.ordernumber,
    ordernumber_prefix: order.ordernumber_prefix,
    ordernumber_full: order.ordernumber_full,
    total_price: order.total_price,
  };
  if (event === "orders.updated.status") {
    body.previous_status = previousStatus;
    body.status = order.status;
  } else if (event === "orders.updated.ispaid") {
    body.paid = order.paid;
  } else if (event === "orders.updated.trackandtrace") {
    body.track_and_trace_code = order.track_and_trace_code;
    body.track_and_trace_carrier = order.track_and_trace_carrier;
  }
  body.customer_email = order.customer.email;
  body.customer_mobile = order.customer.billingaddress.mobile;
  return body;
}

/** Active hooks for `event`, oldest first. */
export function hooksFor(hooks: CcvWebhook[], event: CcvWebhookEvent): CcvWebhook[] {
  return hooks.filter((h) => h.is_active && h.event === event);
}
