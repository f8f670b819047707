// Playing Shopify's webhook sender against a server on loopback: signed deliveries (the fakes' headers and HMAC), sent
// over undici's Pool (msw, when a test runs it for the fake Shopify, intercepts fetch and node:http, not undici).
import { randomUUID } from "node:crypto";
import { Pool } from "undici";
import { signedWebhookRequest } from "../../fakes/shopify";

export type Delivery = {
  webhookId: string;
  topic: string;
  headers: Record<string, string>;
  body: string;
};

/** A delivery exactly as Shopify signs it (test/fakes/shopify signedWebhookRequest), ready to send more than once. */
export function signedDelivery(opts: {
  shop: string;
  topic: string;
  secret: string;
  payload?: unknown;
  rawBody?: string;
  webhookId?: string;
  headers?: Record<string, string | null>;
}): Delivery {
  const webhookId = opts.webhookId ?? randomUUID();
  const rawBody = opts.rawBody ?? JSON.stringify(opts.payload ?? {});
  const req = signedWebhookRequest({ url: "http://127.0.0.1/webhooks/orders", topic: opts.topic, shop: opts.shop, rawBody, secret: opts.secret, webhookId, headers: opts.headers });
  return { webhookId, topic: opts.topic, headers: Object.fromEntries(req.headers), body: rawBody };
}

export type SendResult = { status: number; ms: number } | { status: 0; error: string; ms: number };

export function loopbackPool(port: number, connections = 16): Pool {
  return new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
}

/** One POST; a refused or reset connection, or no answer within `timeoutMs`, is status 0 with the error. */
export async function send(pool: Pool, d: Pick<Delivery, "headers" | "body">, opts: { path?: string; timeoutMs?: number } = {}): Promise<SendResult> {
  const t0 = performance.now();
  try {
    const res = await pool.request({
      path: opts.path ?? "/webhooks/orders",
      method: "POST",
      headers: d.headers,
      body: d.body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    await res.body.dump();
    return { status: res.statusCode, ms: performance.now() - t0 };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { status: 0, error: `${err.code ?? err.name}: ${err.message}`, ms: performance.now() - t0 };
  }
}

/** GET with a hard time bound; status 0 = no answer in time (or refused). */
export async function get(pool: Pool, path: string, opts: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<SendResult & { body?: string }> {
  const t0 = performance.now();
  try {
    const res = await pool.request({ path, method: "GET", headers: opts.headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000) });
    const body = await res.body.text();
    return { status: res.statusCode, ms: performance.now() - t0, body };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { status: 0, error: `${err.code ?? err.name}: ${err.message}`, ms: performance.now() - t0 };
  }
}

/** Sends `items` with `concurrency` workers in order of the array; `onResult` sees each answer as it comes. */
export async function sendAll<T extends Pick<Delivery, "headers" | "body">>(
  pool: Pool,
  items: readonly T[],
  opts: { concurrency: number; timeoutMs?: number; path?: (item: T) => string; onResult?: (item: T, r: SendResult, index: number) => void; stop?: () => boolean },
): Promise<SendResult[]> {
  const results: SendResult[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      for (;;) {
        if (opts.stop?.()) return;
        const i = next++;
        if (i >= items.length) return;
        const item = items[i]!;
        const r = await send(pool, item, { timeoutMs: opts.timeoutMs, path: opts.path?.(item) });
        results[i] = r;
        opts.onResult?.(item, r, i);
      }
    }),
  );
  return results;
}
