// The contract of a webhook door: how a platform's webhooks come in. Each platform that pushes webhooks has one
// (app/platforms/registry.server.ts lists them); app/webhook-route.server.ts serves every enabled door the same way:
// exact paths, the webhook body limit, the door's verifier, then the one inbox, the store timeout and the fast
// uninstall. A door knows its platform's scheme (headers, signature, payload); the shared code knows none.
import type { IncomingDelivery } from "../core/deliveries.server";
import type { PlatformId } from "../core/ports";

export type WebhookHeaders = Iterable<[string, string | string[] | undefined]>;

/** A webhook request as received, from Remix (a Request) or from the server's Node fast path; the body is read already. */
export type RawWebhook = { method: string; url: string; headers: WebhookHeaders; rawBody: string };

/** What a door's verifier says: the deliveries to store (none: answered 200, nothing stored), or the answer to refuse with. */
export type DoorVerdict = { ok: true; deliveries: IncomingDelivery[] } | { ok: false; status: 400 | 401 | 403 | 404 | 405; body?: string };

/** What may follow a token path's prefix: one segment of URL-safe characters (a token Koppel made). */
export const WEBHOOK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export interface WebhookDoor {
  readonly platform: PlatformId;
  /**
   * Exact paths (under /webhooks/; any variant of them is answered 404 unread) and what each accepts: the topics a
   * delivery on that path may have. A verified delivery with another topic is refused with 400.
   */
  readonly paths: Readonly<Record<string, readonly string[]>>;
  /**
   * Paths that end in a per-shop token (`/webhooks/ccvshop/{token}`, for platforms whose webhooks carry no signature):
   * the prefix and what it accepts. A request to prefix + "/" + one WEBHOOK_TOKEN_PATTERN segment reaches the door,
   * which reads the token from the URL; anything else under the prefix is answered 404 unread.
   */
  readonly tokenPaths?: Readonly<Record<string, readonly string[]>>;
  /**
   * Verifies the request with the platform's own scheme and reads its deliveries. No I/O beyond one indexed lookup
   * (a token path's shop): the platform waits.
   */
  verify(raw: RawWebhook): DoorVerdict | Promise<DoorVerdict>;
  /** A delivery that ends the install: the shop's tokens are dropped (core uninstallShop) before the answer, not after the queue. */
  uninstalls?(d: IncomingDelivery): boolean;
}

/** The first value of a header, by case-insensitive name (for verifiers that need one or two headers). */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of headers) {
    if (value === undefined || key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
