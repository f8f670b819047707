// CCV Shop's webhook door: `/webhooks/ccvshop/{token}`. CCV signs nothing anyone verifies (contract §3), so the
// address itself is the secret: Koppelen registers each webhook with a random per-shop token and keeps only its
// SHA-256 (shops.webhook_token_hash). An unknown token is answered 404; a known one stores the summary as a trigger
// (deliveries.ts), deduplicated on the exact body per shop (CCV's retry of a webhook repeats its triggered_at).
import { createHash } from "node:crypto";
import type { WebhookDoor } from "../webhook-door";
import { WEBHOOK_TOKEN_PATTERN } from "../webhook-door";
import { parseJsonBody } from "../../core/text";
import { CCV_ACCEPTED_EVENTS, eventOfSummary, WebhookSummarySchema } from "./deliveries";

export const CCV_WEBHOOK_PREFIX = "/webhooks/ccvshop";

export const sha256Hex = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

export type CcvWebhookDoorDeps = {
  /** The installed CCV shop whose webhook token hashes to this, by its domain; null when none. */
  shopDomainByTokenHash(tokenHash: string): Promise<string | null>;
};

export function createCcvWebhookDoor(deps: CcvWebhookDoorDeps): WebhookDoor {
  return {
    platform: "ccvshop",
    paths: {},
    tokenPaths: { [CCV_WEBHOOK_PREFIX]: CCV_ACCEPTED_EVENTS },
    async verify(raw) {
      if (raw.method !== "POST") return { ok: false, status: 405 };
      const token = new URL(raw.url, "http://localhost").pathname.split("/").pop() ?? "";
      if (!WEBHOOK_TOKEN_PATTERN.test(token)) return { ok: false, status: 404 };
      const shopDomain = await deps.shopDomainByTokenHash(sha256Hex(token));
      if (!shopDomain) return { ok: false, status: 404 };
      const body = parseJsonBody(raw.rawBody);
      if (!body.ok || !body.value || typeof body.value !== "object" || Array.isArray(body.value)) {
        return { ok: false, status: 400, body: body.ok ? "The webhook body is not a JSON object" : `The webhook ${body.reason}` };
      }
      const summary = WebhookSummarySchema.safeParse(body.value);
      if (!summary.success) return { ok: false, status: 400, body: "The webhook does not name an order id" };
      const triggeredAt = summary.data.triggered_at ? new Date(summary.data.triggered_at) : null;
      return {
        ok: true,
        deliveries: [
          {
            platform: "ccvshop",
            shopDomain,
            webhookId: `${shopDomain}:${sha256Hex(raw.rawBody)}`,
            topic: eventOfSummary(body.value as Record<string, unknown>),
            triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
            payload: body.value,
            bodyIsJson: true,
          },
        ],
      };
    },
  };
}
