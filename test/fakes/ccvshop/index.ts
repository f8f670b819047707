// Fake CCV Shop for tests and the demo: a real HTTP server on loopback speaking CCV's signed REST API
// (api_root is configurable per shop, so no fetch interception is needed), plus an App Store player (app-store.ts).
// `startFakeCcvShop()` → { apiRoot, host, apiPublic, apiSecret, fake, sendWebhook, close() }.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendWebhook, type WebhookResult } from "./deliver";
import { FakeCcvShop } from "./fake";
import { seedDemoOrders } from "./seed";
import type { CcvOrderWebhookEvent, LimitKey } from "./types";
import type { WebhookExtra } from "./webhooks";

export * from "./addresses";
export * from "./app-store";
export * from "./collection";
export * from "./fake";
export * from "./orders";
export * from "./rate-limit";
export * from "./seed";
export * from "./signing";
export * from "./webhooks";
export type { WebhookResult } from "./deliver";
export type * from "./types";

export type StartFakeCcvShopOptions = {
  /** Default: random hex. */
  apiPublic?: string;
  /** Default: random hex. */
  apiSecret?: string;
  appId?: number;
  limits?: Partial<Record<LimitKey, number>>;
  now?: () => number;
  /** Largest accepted |x-date − now()|, default 10 minutes. */
  maxSkewMs?: number;
  /** "demo": seedDemoOrders(); default "none". */
  seed?: "demo" | "none";
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Largest accepted request body (default 1 MiB); larger → 500.80 "Payload too big". */
  maxBodyBytes?: number;
};

export type RunningFakeCcvShop = {
  /** e.g. http://127.0.0.1:54321 (no trailing slash): the shop's api_root. */
  apiRoot: string;
  /** e.g. 127.0.0.1:54321 */
  host: string;
  apiPublic: string;
  apiSecret: string;
  fake: FakeCcvShop;
  sendWebhook(event: CcvOrderWebhookEvent, orderId: number, extra?: WebhookExtra): Promise<WebhookResult[]>;
  close(): Promise<void>;
};

export async function startFakeCcvShop(opts: StartFakeCcvShopOptions = {}): Promise<RunningFakeCcvShop> {
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  // The fake needs its own origin for hrefs, which is known only once the server listens.
  const ready: { fake?: FakeCcvShop } = {};
  const server = createServer((req, res) => {
    void serve(ready.fake, req, res, maxBody).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end('{"code":"500.00","status":500,"developermessage":"Internal Server Error"}');
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const apiRoot = `http://${host}`;
  const apiPublic = opts.apiPublic ?? randomBytes(16).toString("hex");
  const apiSecret = opts.apiSecret ?? randomBytes(32).toString("hex");
  const shop = new FakeCcvShop({
    apiRoot,
    apiPublic,
    apiSecret,
    ...(opts.appId !== undefined ? { appId: opts.appId } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.maxSkewMs !== undefined ? { maxSkewMs: opts.maxSkewMs } : {}),
  });
  if (opts.seed === "demo") seedDemoOrders(shop);
  ready.fake = shop;

  return {
    apiRoot,
    host,
    apiPublic,
    apiSecret,
    fake: shop,
    sendWebhook: (event, orderId, extra) => sendWebhook(shop, event, orderId, extra),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(fake: FakeCcvShop | undefined, req: IncomingMessage, res: ServerResponse, maxBody: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) tooLarge = true;
    else chunks.push(chunk);
  }
  if (!fake) {
    res.writeHead(503).end();
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const response = fake.handle({ method: (req.method ?? "GET").toUpperCase(), url: req.url ?? "/", headers, body: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge });
  res.writeHead(response.status, { ...response.headers, "content-length": String(Buffer.byteLength(response.body)) });
  res.end(response.body);
}
