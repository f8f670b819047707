// Fake CCV Shop for tests and the demo: a real HTTP server on loopback speaking CCV's signed REST API
// (api_root is configurable per shop, so no fetch interception is needed), plus an App Store player (app-store.ts).
// `startFakeCcvShop()` → { apiRoot, host, apiPublic, apiSecret, fake, sendWebhook, close() }.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendWebhook, type WebhookResult } from "./deliver";
import { FakeCcvShop, type FakeCcvSnapshot } from "./fake";
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
  /**
   * A JSON file the shop keeps itself in (its port, API keys, orders, webhooks), written after every change and read at
   * start: a shop started again on the same file is the same shop to Koppel (same host, same keys, same orders). When its
   * old port is taken it starts on a free one (a new shop to Koppel).
   */
  stateFile?: string;
};

type PersistedCcvShop = { version: 1; port: number; apiPublic: string; apiSecret: string; shop: FakeCcvSnapshot };

async function listenOn(server: import("node:http").Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

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
  const saved = opts.stateFile && existsSync(opts.stateFile) ? (JSON.parse(readFileSync(opts.stateFile, "utf8")) as PersistedCcvShop) : null;
  let restored = false;
  if (saved && opts.port === undefined) {
    try {
      await listenOn(server, saved.port);
      restored = true;
    } catch {
      await listenOn(server, 0);
    }
  } else await listenOn(server, opts.port ?? 0);
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  const apiRoot = `http://${host}`;
  const apiPublic = opts.apiPublic ?? (restored ? saved!.apiPublic : randomBytes(16).toString("hex"));
  const apiSecret = opts.apiSecret ?? (restored ? saved!.apiSecret : randomBytes(32).toString("hex"));
  const shop = new FakeCcvShop({
    apiRoot,
    apiPublic,
    apiSecret,
    ...(opts.appId !== undefined ? { appId: opts.appId } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.maxSkewMs !== undefined ? { maxSkewMs: opts.maxSkewMs } : {}),
  });
  const persist = opts.stateFile
    ? () => {
        const file = opts.stateFile!;
        const state: PersistedCcvShop = { version: 1, port, apiPublic, apiSecret, shop: shop.snapshot() };
        mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(state));
        renameSync(tmp, file);
      }
    : () => {};
  if (restored) shop.restore(saved!.shop);
  else if (opts.seed === "demo") seedDemoOrders(shop);
  persist();
  ready.fake = shop;
  afterChange.set(shop, persist);

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

/** Each running shop's state-file writer (a no-op without one), called after a request that changed something. */
const afterChange = new WeakMap<FakeCcvShop, () => void>();

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
  const method = (req.method ?? "GET").toUpperCase();
  const response = fake.handle({ method, url: req.url ?? "/", headers, body: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge });
  if (method !== "GET" && response.status < 300) afterChange.get(fake)?.();
  res.writeHead(response.status, { ...response.headers, "content-length": String(Buffer.byteLength(response.body)) });
  res.end(response.body);
}
