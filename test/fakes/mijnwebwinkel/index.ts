// Fake Mijnwebwinkel (MyOnlineStore Connect API v1) for tests and the demo: a real HTTP server on loopback, one
// partner_token, one or more stores each behind its own store token. The client's base URL is configurable, so no
// fetch interception is needed. `startFakeMijnwebwinkel()` → { apiUrl, partnerToken, tokens, fake, close() }.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeMijnwebwinkel } from "./fake";
import { mwwError } from "./http";
import { seedDemoOrders } from "./seed";
import type { FakeMwwStoreOptions } from "./store";

export * from "./dates";
export * from "./fake";
export * from "./orders";
export * from "./rate-limit";
export * from "./seed";
export * from "./store";
export type * from "./types";

export type StartFakeMijnwebwinkelOptions = {
  /** Default: random hex. */
  partnerToken?: string;
  /** Default: one store "Demo Webwinkel" with a random hex token. */
  stores?: FakeMwwStoreOptions[];
  now?: () => number;
  /** Requests per minute per store token before 429 (default 120). */
  perMinute?: number;
  /** Requests per minute for the partner token over all stores (default 600). */
  partnerPerMinute?: number;
  /** See FakeMijnwebwinkelOptions.stateFile. */
  stateFile?: string;
  /** "demo": seedDemoOrders() into every store; default "none". */
  seed?: "demo" | "none";
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes?: number;
};

export type RunningFakeMijnwebwinkel = {
  /** e.g. http://127.0.0.1:54321 — the API base without /v1 (the real one is https://api.myonlinestore.com). */
  apiUrl: string;
  partnerToken: string;
  /** The store tokens, in the order of `stores`. */
  tokens: string[];
  fake: FakeMijnwebwinkel;
  close(): Promise<void>;
};

export async function startFakeMijnwebwinkel(opts: StartFakeMijnwebwinkelOptions = {}): Promise<RunningFakeMijnwebwinkel> {
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const partnerToken = opts.partnerToken ?? randomBytes(16).toString("hex");
  const stores = opts.stores ?? [{ token: randomBytes(16).toString("hex"), name: "Demo Webwinkel" }];
  const fake = new FakeMijnwebwinkel({
    partnerToken,
    stores,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.perMinute !== undefined ? { perMinute: opts.perMinute } : {}),
    ...(opts.partnerPerMinute !== undefined ? { partnerPerMinute: opts.partnerPerMinute } : {}),
    ...(opts.stateFile ? { stateFile: opts.stateFile } : {}),
  });
  // Seeded once: a fake that read its orders back from its state file keeps them.
  if (opts.seed === "demo" && fake.restoredOrders() === 0) {
    for (const s of fake.stores()) seedDemoOrders(fake, s.token);
    fake.save();
  }

  const server = createServer((req, res) => {
    void serve(fake, req, res, maxBody).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(mwwError(500, "Internal Server Error").body);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}`,
    partnerToken,
    tokens: fake.stores().map((s) => s.token),
    fake,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(fake: FakeMijnwebwinkel, req: IncomingMessage, res: ServerResponse, maxBody: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) tooLarge = true;
    else chunks.push(chunk);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const response = fake.handle({ method: req.method ?? "GET", url: req.url ?? "/", headers, body: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge });
  res.writeHead(response.status, { ...response.headers, "content-length": String(Buffer.byteLength(response.body)) });
  res.end(response.body);
}
