// Request bodies have one limit per kind of request (webhooks 5 MB, everything else 256 KB), enforced while the body
// streams and before anything verifies it: in the Node server layer (createKoppelHttpServer, as npm start runs it) and
// in the Remix routes themselves (for when the app is served another way). Variants of webhook paths get 404.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { ActionFunctionArgs } from "@remix-run/node";
// The adapter's own request/response conversion (what createRequestHandler runs), not re-exported by its index.
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createKoppelHttpServer } from "../../server-app";
import { handleWebhookNode as handleShopifyWebhookNode } from "~/webhook-route.server";
import { handleShopifyWebhook, SHOPIFY_WEBHOOK_PATHS } from "~/platforms/shopify/webhook-route.server";
import { MAX_FORM_BYTES, MAX_WEBHOOK_BYTES } from "~/body-limit.server";
import { action as settingsAction } from "~/routes/app.settings";
import { createMerchantCookieSession } from "~/merchant.server";
import { shops } from "~/db/schema";
import { ORDER_TOPICS } from "~/platforms/shopify/topics";
import { signedWebhookRequest } from "../fakes/shopify";
import { fromAddressFixture } from "../fixtures/from-address";
import { countRows, runtime, SECRET } from "./helpers";
import type { Runtime } from "~/runtime.server";

const SHOP = "bodies.myshopify.com";
let rt: Runtime;
let server: http.Server;
let port: number;
let shopId: number;
let cookie: string;

/** Runs a route action as Remix does: its data as JSON, a thrown Response as that response. */
async function runAction(action: (args: ActionFunctionArgs) => Promise<unknown>, request: Request): Promise<Response> {
  try {
    return Response.json(await action({ request, params: {}, context: {} }));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/**
 * Stands in for Remix behind express: the real adapter (createRemixRequest / sendRemixResponse) and the real route
 * modules, routed as Remix routes them — case-insensitive, a trailing slash and `.data` (single fetch) tolerated.
 */
function remixStandIn(): express.Express {
  const app = express();
  app.all("*", async (req, res, next) => {
    try {
      const request = createRemixRequest(req, res);
      const path = new URL(request.url).pathname.toLowerCase().replace(/\.data$/, "").replace(/\/+$/, "");
      const topics = SHOPIFY_WEBHOOK_PATHS[path];
      const response = topics
        ? await handleShopifyWebhook(request, topics)
        : path === "/app/settings"
          ? await runAction(settingsAction, request)
          : new Response("no route", { status: 404 });
      await sendRemixResponse(res, response);
    } catch (e) {
      next(e);
    }
  });
  return app;
}

type Sent = { status: number; text: string; sentBytes: number; finishedSending: boolean };

/**
 * POSTs with node:http, so the test sees when the answer comes relative to the sending: `body` is sent with its
 * Content-Length; `streamBytes` is sent chunked (no length), 64 KB at a time, as fast as the server reads it.
 */
function post(path: string, opts: { headers?: Record<string, string>; body?: Buffer | string; streamBytes?: number }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let finishedSending = false;
    let stopped = false;
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: opts.headers });
    req.on("response", (res) => {
      stopped = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      const done = () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString("utf8"), sentBytes, finishedSending });
      res.on("end", done);
      res.on("error", done); // the server drops the connection after its answer
      res.on("aborted", done);
    });
    // Writing into a connection the server closed after answering fails; only an error before any answer counts.
    req.on("error", (e) => (stopped ? undefined : reject(e)));
    if (opts.streamBytes === undefined) {
      const body = opts.body ?? "";
      sentBytes = Buffer.byteLength(body);
      req.end(body, () => (finishedSending = true));
      return;
    }
    const total = opts.streamBytes;
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!stopped && sentBytes < total) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!stopped) req.end(() => (finishedSending = true));
    };
    pump();
  });
}

function signed6MB(url: string, webhookId: string): { headers: Record<string, string>; body: Buffer } {
  const rawBody = JSON.stringify({ id: 1, note: "x".repeat(6 * 1024 * 1024) });
  const request = signedWebhookRequest({ url, topic: "orders/paid", shop: SHOP, rawBody, secret: SECRET, webhookId });
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => (headers[k] = v));
  return { headers, body: Buffer.from(rawBody) };
}

/** A body that is produced only as it is read; `pulled()` says how much was read. */
function lazyBody(total: number, prefix = "") {
  let pulled = 0;
  const chunk = new TextEncoder().encode("a".repeat(64 * 1024));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (prefix) controller.enqueue(new TextEncoder().encode(prefix));
    },
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

const formHeaders = () => ({ "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie });
const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

beforeAll(async () => {
  rt = await runtime();
  const [shop] = await rt.db.insert(shops).values({ platform: "shopify", domain: SHOP, fromAddress: fromAddressFixture("Oud BV") }).returning();
  shopId = shop!.id;
  cookie = (await createMerchantCookieSession(shopId)).split(";")[0]!;
  server = createKoppelHttpServer({ webhooks: handleShopifyWebhookNode, app: remixStandIn() });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rt.stop();
});

describe("webhook bodies", () => {
  it("answers 404 to variants of a webhook path without storing a signed 6 MB body", async () => {
    const variants = ["/webhooks/orders/", "/webhooks/orders.data", "/Webhooks/orders", "/webhooks/%6Frders", "/webhooks//orders", "/webhooks/app/uninstalled/"];
    for (const [i, path] of variants.entries()) {
      const { headers, body } = signed6MB(`http://localhost${path}`, `variant-${i}`);
      const res = await post(path, { headers, body });
      expect(res.status, path).toBe(404);
      expect(await countRows(rt, "deliveries", `webhook_id = 'variant-${i}'`)).toBe(0);
    }
  });

  it("refuses a signed 6 MB body on the exact path with 413, in the server and in the Remix route, and stores nothing", async () => {
    const { headers, body } = signed6MB("http://localhost/webhooks/orders", "exact-6mb");
    expect((await post("/webhooks/orders", { headers, body })).status).toBe(413);
    // The Remix route on its own (the app served another way): with a Content-Length, and streamed without one.
    const request = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/paid", shop: SHOP, rawBody: body.toString(), secret: SECRET, webhookId: "route-6mb" });
    expect((await handleShopifyWebhook(request, ORDER_TOPICS)).status).toBe(413);
    const lazy = lazyBody(50 * 1024 * 1024);
    const streamed = new Request("http://localhost/webhooks/orders", { method: "POST", headers: request.headers, body: lazy.stream, duplex: "half" } as RequestInit);
    streamed.headers.set("X-Shopify-Webhook-Id", "route-stream");
    expect((await handleShopifyWebhook(streamed, ORDER_TOPICS)).status).toBe(413);
    expect(lazy.pulled()).toBeLessThan(MAX_WEBHOOK_BYTES + 1024 * 1024); // it stopped reading at the limit
    expect(await countRows(rt, "deliveries", `webhook_id in ('exact-6mb', 'route-6mb', 'route-stream')`)).toBe(0);
  });

  it("a sender that writes the whole body before reading (fetch, keep-alive) gets its 413, never a reset", async () => {
    // HTTP/1.1 clients (Shopify's, undici's fetch) read the answer after sending: a server that drops the connection
    // right after answering makes them see ECONNRESET instead of the 413 (the fuzz test saw it on most over-limit sends).
    const send = async (i: number) => {
      const { headers, body } = signed6MB(`http://127.0.0.1:${port}/webhooks/orders`, `reset-${i}`);
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/orders`, { method: "POST", headers, body: new Uint8Array(Buffer.concat([body, body])) });
      await res.arrayBuffer();
      return res.status;
    };
    const sendForm = async () => {
      // No Content-Length: counted while streaming, refused mid-body.
      const res = await fetch(`http://127.0.0.1:${port}/app/settings`, { method: "POST", headers: formHeaders(), body: lazyBody(4 * 1024 * 1024).stream, duplex: "half" } as RequestInit);
      await res.arrayBuffer();
      return res.status;
    };
    const statuses = await Promise.all([...Array.from({ length: 6 }, (_, i) => send(i).catch((e: Error) => `${e.message} ${String((e.cause as Error)?.message)}`)), ...Array.from({ length: 6 }, () => sendForm().catch((e: Error) => `${e.message} ${String((e.cause as Error)?.message)}`))]);
    expect(statuses).toEqual(Array(12).fill(413));
    expect(await countRows(rt, "deliveries", `webhook_id like 'reset-%'`)).toBe(0);
  });

  it("still stores a signed webhook of normal size on the exact path", async () => {
    const request = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "orders/paid", shop: SHOP, rawBody: "{}", secret: SECRET, webhookId: "normal-1" });
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    expect((await post("/webhooks/orders", { headers, body: "{}" })).status).toBe(200);
    expect(await countRows(rt, "deliveries", `webhook_id = 'normal-1'`)).toBe(1);
  });
});

describe("form bodies", () => {
  const companyNow = async () => (await rt.db.select().from(shops).where(eq(shops.id, shopId)))[0]!.fromAddress?.company;

  it("saves a normal form through the server", async () => {
    const address = { ...fromAddressFixture("Nieuw BV"), houseNumberAddition: "" };
    const res = await post("/app/settings", { headers: formHeaders(), body: formBody({ intent: "from-address", ...address }) });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ intent: "from-address", saved: true });
    expect(await companyNow()).toBe("Nieuw BV");
  });

  it("answers 413 to a form over the limit by its Content-Length, before the route runs", async () => {
    const big = formBody({ intent: "from-address", ...fromAddressFixture("Te Groot BV"), note: "x".repeat(MAX_FORM_BYTES) });
    const res = await post("/app/settings", { headers: formHeaders(), body: big });
    expect(res.status).toBe(413);
    expect(await companyNow()).toBe("Nieuw BV");
  });

  it("answers 413 to a streamed 50 MB form before the client finished sending it", async () => {
    const res = await post("/app/settings", { headers: formHeaders(), streamBytes: 50 * 1024 * 1024 });
    expect(res.status).toBe(413);
    expect(res.finishedSending).toBe(false);
    expect(res.sentBytes).toBeLessThan(50 * 1024 * 1024);
    expect(await companyNow()).toBe("Nieuw BV");
  });

  it("the route itself refuses a form over the limit, streamed without a length (the app served another way)", async () => {
    const lazy = lazyBody(50 * 1024 * 1024, formBody({ intent: "from-address", ...fromAddressFixture("Stroom BV") }) + "&note=");
    const request = new Request("http://localhost/app/settings", { method: "POST", headers: formHeaders(), body: lazy.stream, duplex: "half" } as RequestInit);
    const res = await runAction(settingsAction, request);
    expect(res.status).toBe(413);
    expect(lazy.pulled()).toBeLessThan(MAX_FORM_BYTES + 1024 * 1024);
    expect(await companyNow()).toBe("Nieuw BV");
  });
});
