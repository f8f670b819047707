// Koppel's HTTP server as a function: Remix's request handler on express, with the runtime (migrations, pg-boss
// workers) started first. server.ts runs it; end-to-end tests start it in-process next to the fakes.
import path from "node:path";
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { Runtime } from "./app/runtime.server";
import { BASE_SECURITY_HEADERS } from "./app/security-headers.server";
import { BodyLimitedRequest, limitRequestBody, MAX_FORM_BYTES } from "./app/body-limit.server";

// The repo root: where this file is (tsx), or the parent of build/ when bundled into build/server.js (npm start).
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.basename(here) === "build" ? path.dirname(here) : here;

export type RunningKoppel = { url: string; port: number; runtime: Runtime; close(): Promise<void> };

type WebhookFastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The Node layer in front of express and Remix. Webhooks (every enabled platform's door) skip express and Remix (see
 * app/webhook-route.server.ts: exact paths with the 5 MB webhook limit, 404 for variants of them); every other request
 * gets the form limit, by Content-Length at once and counted while its body streams (app/body-limit.server.ts).
 */
export function createKoppelHttpServer(handlers: { webhooks: WebhookFastPath; app: (req: IncomingMessage, res: ServerResponse) => void }): Server {
  return http.createServer({ IncomingMessage: BodyLimitedRequest }, (req, res) => {
    if (handlers.webhooks(req, res)) return;
    if (limitRequestBody(req, res, MAX_FORM_BYTES)) handlers.app(req, res);
  });
}

/**
 * Remix in its production mode in every environment: in development mode it sends an error's message and stack to the
 * browser (for a failed query: the SQL and its parameters, customer data included). The error still goes to the log.
 */
export function remixRequestHandler(build: ServerBuild) {
  // The client's address for attempt limits (app/attempt-limit.server.ts): the socket's, never X-Forwarded-For.
  return createRequestHandler({ build, mode: "production", getLoadContext: (req) => ({ clientAddress: req.socket.remoteAddress ?? null }) });
}

/** public/'s own files (favicon, app icon: scripts/make-icons.ts) keep their names, so a month rather than forever. */
export const PUBLIC_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/**
 * Static files: Remix's fingerprinted assets under /build (a year, immutable) and public/'s icons (PUBLIC_MAX_AGE_SECONDS).
 * A path that is no file falls through to Remix.
 */
export function serveStaticFiles(app: express.Express, publicDir: string): void {
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y", index: false }));
  app.use(express.static(publicDir, { maxAge: PUBLIC_MAX_AGE_SECONDS * 1000, index: false }));
}

/**
 * Import this module only after any in-process fakes are installed: @shopify/shopify-api keeps a reference to
 * globalThis.fetch when it loads (the runtime and the build load it here, lazily).
 */
export async function startKoppelServer(opts: { port: number; workers?: boolean; onRuntime?: (rt: Runtime) => Promise<void> }): Promise<RunningKoppel> {
  const { getRuntime } = await import("./app/runtime.server");
  const runtime = await getRuntime({ workers: opts.workers });
  if (opts.onRuntime) await opts.onRuntime(runtime);

  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  // Every response (pages, static files, the label PDF, JSON) gets these here, once; documents get their CSP and
  // framing rules in entry.server.tsx.
  app.use((_req, res, next) => {
    for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
    next();
  });
  serveStaticFiles(app, path.join(root, "public"));
  app.all("*", remixRequestHandler(build));
  // A body refused while Remix read it (413 below) is answered already: nothing more to send.
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => (res.headersSent ? void res.destroy() : next(error)));

  const { handleWebhookNode } = build.entry.module as unknown as { handleWebhookNode: WebhookFastPath };
  const server = createKoppelHttpServer({ webhooks: handleWebhookNode, app });
  await new Promise<void>((resolve) => server.listen(opts.port, "0.0.0.0", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    url: `http://localhost:${port}`,
    port,
    runtime,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await runtime.stop();
    },
  };
}
