// Fake Boekuwzending for tests and the demo: a real HTTP server on loopback (the carrier's base URL is configurable,
// so no fetch interception is needed). `startFakeCarrier()` → { baseUrl, fake, close() }.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeCarrier, type FakeCarrierOptions } from "./fake";
import type { FakeCarrierRequest } from "./types";

export * from "./fake";
export * from "./label-pdf";
export { phpAssoc, phpFloat, phpJsonEncode as fakePhpJsonEncode } from "./php-json";
export type * from "./types";

export type StartFakeCarrierOptions = FakeCarrierOptions & {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Largest accepted request body (default 1 MiB); larger → 413. */
  maxBodyBytes?: number;
};

export type RunningFakeCarrier = {
  /** e.g. http://127.0.0.1:54321 (no trailing slash); use it for both staging and production. */
  baseUrl: string;
  fake: FakeCarrier;
  close(): Promise<void>;
};

export async function startFakeCarrier(opts: StartFakeCarrierOptions = {}): Promise<RunningFakeCarrier> {
  const fake = new FakeCarrier(opts);
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void serve(fake, req, res, maxBody, hanging).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end('{"title":"Internal Server Error"}');
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    fake,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(fake: FakeCarrier, req: IncomingMessage, res: ServerResponse, maxBody: number, hanging: Set<ServerResponse>) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) {
      res.writeHead(413, { "content-type": "application/json", connection: "close" });
      res.end('{"title":"Payload Too Large"}');
      return;
    }
    chunks.push(chunk);
  }
  const url = new URL(req.url ?? "/", "http://fake.invalid");
  const request = {
    method: (req.method ?? "GET").toUpperCase(),
    path: url.pathname.replace(/\/+$/, "") || "/",
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks).toString("utf8"),
  } satisfies FakeCarrierRequest;

  const latency = fake.latency();
  if (latency > 0) await new Promise((r) => setTimeout(r, latency));
  if (res.destroyed) return;

  const outcome = await fake.handle(request);
  if (outcome.kind === "hang") {
    // Never answer; the client gives up (AbortSignal.timeout) or close() destroys it.
    hanging.add(res);
    res.on("close", () => hanging.delete(res));
    return;
  }
  const { status, headers = {}, body } = outcome.response;
  const payload = body === undefined ? "" : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}
