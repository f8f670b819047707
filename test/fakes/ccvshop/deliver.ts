// sendWebhook: POST the summary body to every active hook for the event, one after another (deterministic order),
// and report each address's status (0 when the receiver could not be reached). Never called automatically.
import type { FakeCcvShop } from "./fake";
import type { CcvOrderWebhookEvent } from "./types";
import { hooksFor, type WebhookExtra } from "./webhooks";

export type WebhookResult = { address: string; status: number };

export async function sendWebhook(shop: FakeCcvShop, event: CcvOrderWebhookEvent, orderId: number, extra: WebhookExtra = {}, timeoutMs = 5_000): Promise<WebhookResult[]> {
  const body = JSON.stringify(shop.webhookSummary(event, orderId, extra));
  const results: WebhookResult[] = [];
  for (const hook of hooksFor(shop.webhooks, event)) {
    let status = 0;
    try {
      const res = await fetch(hook.address, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      await res.body?.cancel();
    } catch {
      status = 0;
    }
    shop.deliveries.push({ event, address: hook.address, body, status });
    results.push({ address: hook.address, status });
  }
  return results;
}
