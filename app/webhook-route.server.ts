// Every platform's webhooks, one way in: the doors of the enabled platforms (app/platforms/registry.server.ts), each
// with its own paths and verifier, all feeding the process's one DeliveryInbox. verify → store + enqueue → answer;
// never 200 when storing failed. Two ways to reach it: the Remix routes (app/routes/webhooks.*) and the server's Node
// fast path (server-app.ts), which answers webhooks before express and Remix see them — a burst after a sale is
// thousands of these, and Remix's request adapter and route matching cost more CPU than the webhook itself. On the
// fast path a request costs one map lookup more than the door's own work.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PlatformId } from "./core/ports";
import type { DeliveryInbox } from "./core/deliveries.server";
import { WEBHOOK_TOKEN_PATTERN, type RawWebhook, type WebhookDoor } from "./platforms/webhook-door";
import { enabledWebhookDoors } from "./platforms/registry.server";
import { getRuntime, type Runtime } from "./runtime.server";
import { uninstallShop } from "./core/privacy.server";
import { log } from "./log.server";
import { afterWebhookStored } from "./demo.server";
import { withoutQueryText } from "./db/client.server";
import { bodyRefused, limitRequestBody, MAX_WEBHOOK_BYTES, readNodeBody, readRequestBody, refuseNodeRequest } from "./body-limit.server";

export { MAX_WEBHOOK_BYTES };
export type { RawWebhook, WebhookDoor };

type WebhookAnswer = { status: number; body?: string };

/** What receiving needs of the runtime: the inbox, and what the core's uninstallShop needs. */
export type WebhookRuntime = Pick<Runtime, "db" | "platformFor"> & { inbox: Pick<DeliveryInbox, "receive"> };

/**
 * Platforms wait a few seconds for an answer (Shopify 5 s), then count the delivery failed and retry it. A store that
 * takes longer (the database hangs: connections open, no answer) is answered 503 before that; if it commits later
 * after all, the retry is a duplicate (same webhook id) and stored once.
 */
export const WEBHOOK_STORE_TIMEOUT_MS = 4_000;

function withinStoreTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`storing took longer than ${WEBHOOK_STORE_TIMEOUT_MS} ms`)), WEBHOOK_STORE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const WEBHOOK_PREFIX = "/webhooks/";
const TOO_LARGE = "Webhook body too large";
const RETRY_LATER: WebhookAnswer = { status: 503, body: "Could not store the webhook; please retry" };

type DoorPath = { door: WebhookDoor; accepts: readonly string[] };

export type WebhookEntry = {
  /** Every served exact path and its door. */
  readonly paths: ReadonlyMap<string, DoorPath>;
  /** The door that serves this path (exact, or a token path), if any. */
  servedPath(path: string): DoorPath | undefined;
  /** Verify with the door, store every delivery through the inbox, answer. */
  receive(door: WebhookDoor, accepts: readonly string[], raw: RawWebhook): Promise<WebhookAnswer>;
  /** A Remix route's action: the body read with the webhook limit, then receive; 404 when the platform is not served. */
  handleRequest(request: Request, target: { platform: PlatformId; accepts: readonly string[] }): Promise<Response>;
  /**
   * The server's fast path: answers a POST to a served path straight from Node's request, and 404 to any variant of a
   * webhook path; returns false (and touches nothing) for anything else, which then goes to express/Remix.
   */
  handleNode(req: IncomingMessage, res: ServerResponse): boolean;
};

/**
 * The webhook entry for these doors. Adding a platform's webhooks is one door in the registry; nothing here changes.
 * `runtime` gives the inbox and the adapters (tests pass their own).
 */
export function createWebhookEntry(opts: { doors: readonly WebhookDoor[]; runtime: () => Promise<WebhookRuntime> }): WebhookEntry {
  const paths = new Map<string, DoorPath>();
  /** Token paths: prefix (without the trailing slash) → door. */
  const prefixes = new Map<string, DoorPath>();
  const byPlatform = new Map<PlatformId, WebhookDoor>();
  for (const door of opts.doors) {
    if (byPlatform.has(door.platform)) throw new Error(`Two webhook doors for platform ${door.platform}`);
    byPlatform.set(door.platform, door);
    for (const [path, accepts] of [...Object.entries(door.paths), ...Object.entries(door.tokenPaths ?? {})]) {
      // Exact and canonical: the fast path compares the request's path as sent.
      if (!path.startsWith(WEBHOOK_PREFIX) || path.endsWith("/") || path.includes("//") || path !== path.toLowerCase()) {
        throw new Error(`Webhook path ${path} of ${door.platform} must be lower case, under ${WEBHOOK_PREFIX}, without a trailing or double slash`);
      }
      const taken = paths.get(path) ?? prefixes.get(path);
      if (taken) throw new Error(`Webhook path ${path} is claimed by both ${taken.door.platform} and ${door.platform}`);
      if (door.tokenPaths && path in door.tokenPaths) prefixes.set(path, { door, accepts });
      else paths.set(path, { door, accepts });
    }
  }

  /** The door of an exact path, or of a token path: prefix + "/" + one token segment. */
  function servedPath(path: string): DoorPath | undefined {
    const exact = paths.get(path);
    if (exact || !prefixes.size) return exact;
    const slash = path.lastIndexOf("/");
    const served = prefixes.get(path.slice(0, slash));
    return served && WEBHOOK_TOKEN_PATTERN.test(path.slice(slash + 1)) ? served : undefined;
  }

  /**
   * A path under /webhooks that is not exactly a served one: a trailing slash, `.data` (Remix single fetch), other
   * case, encoded or doubled slashes, a platform that is not enabled. Remix would route several of these to a webhook
   * route; no platform sends them, so they get 404 before any byte of the body is read.
   */
  function isPathVariant(path: string): boolean {
    if (servedPath(path)) return false;
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // a malformed escape: judge the raw path
    }
    return /^\/webhooks(?:[/.]|$)/i.test(decoded.replace(/\/{2,}/g, "/"));
  }

  async function receive(door: WebhookDoor, accepts: readonly string[], raw: RawWebhook): Promise<WebhookAnswer> {
    const verdict = await door.verify(raw);
    if (!verdict.ok) return { status: verdict.status, body: verdict.body };
    const { deliveries } = verdict;
    for (const d of deliveries) {
      if (!accepts.includes(d.topic)) {
        log.warn("webhook topic not handled by this route", { platform: door.platform, topic: d.topic, url: new URL(raw.url).pathname });
        return { status: 400, body: `Topic ${d.topic} is not handled here` };
      }
    }
    const first = deliveries[0];
    if (!first) return { status: 200 };
    try {
      const rt = await opts.runtime();
      await withinStoreTimeout(
        (async () => {
          const results = deliveries.length === 1 ? [await rt.inbox.receive(first)] : await Promise.all(deliveries.map((d) => rt.inbox.receive(d)));
          // The shop's tokens die with the uninstall: dropped now, not after the queue.
          for (const [i, d] of deliveries.entries()) {
            if (results[i]!.status !== "duplicate" && door.uninstalls?.(d)) await uninstallShop(rt, d.platform, d.shopDomain);
            if (results[i]!.status === "stored") afterWebhookStored(d);
          }
        })(),
      );
      return { status: 200 };
    } catch (e) {
      log.error("storing webhook failed", { platform: door.platform, topic: first.topic, shop: first.shopDomain, webhookId: first.webhookId, error: withoutQueryText(e).message });
      return RETRY_LATER;
    }
  }

  async function handleRequest(request: Request, target: { platform: PlatformId; accepts: readonly string[] }): Promise<Response> {
    const door = byPlatform.get(target.platform);
    if (!door) return bodyRefused(404);
    let rawBody = "";
    if (request.method === "POST") {
      const read = await readRequestBody(request, MAX_WEBHOOK_BYTES);
      if (!read.ok) return bodyRefused(read.status, read.status === 413 ? TOO_LARGE : undefined);
      rawBody = read.body.toString("utf8");
    }
    const answer = await receive(door, target.accepts, { method: request.method, url: request.url, headers: request.headers, rawBody });
    return new Response(answer.body ?? null, { status: answer.status });
  }

  function handleNode(req: IncomingMessage, res: ServerResponse): boolean {
    if (!req.url) return false;
    const q = req.url.indexOf("?");
    const path = q === -1 ? req.url : req.url.slice(0, q);
    const served = servedPath(path);
    if (!served) {
      if (!isPathVariant(path)) return false;
      refuseNodeRequest(req, res, 404);
      return true;
    }
    if (req.method !== "POST") return false;
    const answer = (a: WebhookAnswer) => {
      if (res.headersSent) return;
      res.writeHead(a.status, a.body ? { "Content-Type": "text/plain; charset=utf-8" } : {});
      res.end(a.body);
    };
    // Counted as it arrives (BodyLimitedRequest, when this server made the request): refused at the first byte over.
    if (!limitRequestBody(req, res, MAX_WEBHOOK_BYTES, TOO_LARGE)) return true;
    readNodeBody(req, MAX_WEBHOOK_BYTES)
      .then((read) => {
        if (!read.ok) return refuseNodeRequest(req, res, read.status, read.status === 413 ? TOO_LARGE : undefined);
        const raw: RawWebhook = {
          method: "POST",
          url: `http://localhost${req.url}`, // only the path matters; a bad Host header must not break the URL
          headers: Object.entries(req.headers),
          rawBody: read.body.toString("utf8"),
        };
        return receive(served.door, served.accepts, raw).then(answer);
      })
      .catch((e: Error) => {
        log.error("webhook failed", { error: e.message });
        answer(RETRY_LATER);
      });
    return true;
  }

  return { paths, servedPath, receive, handleRequest, handleNode };
}

/** The app's entry: the doors of the platforms KOPPEL_PLATFORMS enables, on the process's runtime. */
const appEntry = createWebhookEntry({ doors: enabledWebhookDoors(), runtime: () => getRuntime() });

export const handleWebhookNode = appEntry.handleNode;
export const handleWebhookRequest = appEntry.handleRequest;
