// One rule for request bodies: a limit per kind of request, enforced while the bytes arrive (never after buffering
// them) and before anything verifies or parses them. The Node server (server-app.ts) applies it to every request, the
// webhook fast path and the Remix routes (webhooks, forms) read their bodies through it too, so the limit holds
// whichever way the app is served. Nothing here may use instanceof across bundles (build/server.js vs the Remix build).
import http, { type IncomingMessage, type ServerResponse } from "node:http";

/** Shopify's order webhooks are tens of KB, even with many lines; 5 MB is far above any real one. */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;
/**
 * Everything else that posts a body: Koppel's own forms (from-address, settings, carrier, "Label aanmaken" with at most
 * MAX_BULK_ORDERS = 500 order ids, about 7 KB). 256 KB is ~35 times the largest real form and still ends a flood
 * before it costs memory.
 */
export const MAX_FORM_BYTES = 256 * 1024;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 };

/** True when a Content-Length header already says the body is over the limit (no byte needs to be read). */
function declaredTooLarge(contentLength: string | string[] | null | undefined, limit: number): boolean {
  const value = Array.isArray(contentLength) ? contentLength[0] : contentLength;
  if (!value) return false;
  const n = Number(value);
  return Number.isFinite(n) && n > limit;
}

/** Reads a Node request body, counting bytes as they arrive; stops at the first byte over `limit`. */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    if (declaredTooLarge(req.headers["content-length"], limit)) return resolve({ ok: false, status: 413 });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (r: BodyRead) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return settle({ ok: false, status: 413 });
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => settle({ ok: true, body: Buffer.concat(chunks, size) }));
    req.once("error", () => settle({ ok: false, status: 400 }));
    req.once("close", () => settle({ ok: false, status: 400 })); // the client went away mid-body
  });
}

/**
 * Reads a Fetch API request body (Remix routes), counting bytes as they arrive. Over the limit it stops reading but
 * leaves the stream to the server: cancelling would destroy the socket before the 413 is sent; the answer's
 * `Connection: close` (bodyRefused) makes the server drop the connection after it.
 */
export async function readRequestBody(request: Request, limit: number): Promise<BodyRead> {
  if (declaredTooLarge(request.headers.get("content-length"), limit)) return { ok: false, status: 413 };
  if (!request.body) return { ok: true, body: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) return { ok: false, status: 413 };
      chunks.push(value);
    }
  } catch {
    return { ok: false, status: 400 };
  } finally {
    reader.releaseLock();
  }
  return { ok: true, body: Buffer.concat(chunks, size) };
}

const REFUSAL_TEXT: Record<number, string> = { 400: "Bad request body", 404: "Not found", 413: "Request body too large" };

/** The Fetch API answer for a refused body; closes the connection so the rest of the body is never read. */
export function bodyRefused(status: 400 | 404 | 413, text = REFUSAL_TEXT[status]!): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", Connection: "close" } });
}

/** A form post (urlencoded or multipart) read with MAX_FORM_BYTES; a refused body is thrown as its Response. */
export async function readFormData(request: Request, limit = MAX_FORM_BYTES): Promise<FormData> {
  const read = await readRequestBody(request, limit);
  if (!read.ok) throw bodyRefused(read.status);
  const headers = new Headers();
  const type = request.headers.get("content-type");
  if (type) headers.set("Content-Type", type);
  try {
    return await new Response(new Uint8Array(read.body), { headers }).formData();
  } catch {
    throw bodyRefused(400);
  }
}

/**
 * After a refusal the rest of the body is read and thrown away, up to this much more and this long: a client that is
 * still sending (as HTTP/1.1 clients do: they read the answer only once the body is out) gets to read its 413 instead of
 * a connection reset. A bigger flood is cut off there, at no memory cost (nothing is kept).
 */
export const DRAIN_AFTER_REFUSAL_BYTES = 16 * 1024 * 1024;
export const DRAIN_AFTER_REFUSAL_MS = 5_000;

/**
 * Answers a Node request without keeping (more of) its body. The answer's head and text go out at once, but the
 * response ends only when the client has sent its body (read and thrown away, within the drain bound): ending it
 * closes the connection (`Connection: close`), and a client still writing would get EPIPE / ECONNRESET instead of the
 * answer. Then the request is destroyed, always with an error: a reader of the body (Remix) must fail, not see a clean
 * end of a truncated body (Node emits it only to 'error' listeners).
 */
export function refuseNodeRequest(req: IncomingMessage, res: ServerResponse, status: 400 | 404 | 413, text = REFUSAL_TEXT[status]!): void {
  const destroy = () => void req.destroy(new Error(`request refused (${status})`));
  if (res.headersSent || res.writableEnded) return destroy();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    res.once("finish", destroy);
    res.end();
  };
  const timer = setTimeout(finish, DRAIN_AFTER_REFUSAL_MS);
  timer.unref();
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text), Connection: "close" });
  res.write(text);
  if (req.complete) return finish();
  const counted = req as IncomingMessage & Partial<Pick<BodyLimitedRequest, "discardRest">>;
  if (counted.discardRest) return counted.discardRest(DRAIN_AFTER_REFUSAL_BYTES, finish);
  // Another server's request: read and drop what is left.
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_AFTER_REFUSAL_BYTES) finish();
  });
  req.once("end", finish);
  req.once("close", finish);
  req.resume();
}

/**
 * The server's request class (http.createServer({ IncomingMessage })): counts body bytes as Node's HTTP parser pushes
 * them, whoever reads the body (the webhook fast path, express, Remix), and refuses the request at the first byte
 * over its limit. Bytes over the limit are never buffered; returning false also stops reading from the socket.
 */
export class BodyLimitedRequest extends http.IncomingMessage {
  private bodyLimit = MAX_WEBHOOK_BYTES; // the largest any route takes, until the server's handler says (before any byte)
  private bodyBytes = 0;
  private bodyRefusedAt: (() => void) | undefined;
  private overLimit = false;
  private discarding: { left: number; done: () => void } | undefined;

  setBodyLimit(limit: number, refuse: () => void): void {
    this.bodyLimit = limit;
    this.bodyRefusedAt = refuse;
  }

  /** Refused: keep reading from the socket but pass nothing on (not even the end), up to `maxBytes`; then `done`. */
  discardRest(maxBytes: number, done: () => void): void {
    this.overLimit = true;
    this.discarding = { left: maxBytes, done };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override push(chunk: any, encoding?: BufferEncoding): boolean {
    if (this.discarding) {
      if (chunk == null) this.discarding.done();
      else if ((this.discarding.left -= chunk.length) < 0) this.discarding.done();
      return true;
    }
    if (chunk != null) {
      if (this.overLimit) return true; // refused, the refusal not yet answered (next tick): dropped
      this.bodyBytes += chunk.length;
      if (this.bodyBytes > this.bodyLimit) {
        this.overLimit = true;
        // Not inside the parser's callback: answer (and destroy) on the next tick.
        process.nextTick(() => (this.bodyRefusedAt ? this.bodyRefusedAt() : this.destroy(new Error("request body too large"))));
        return true;
      }
    }
    return super.push(chunk, encoding);
  }
}

/**
 * The server's check for every request it passes on: a declared length over the limit → 413 at once; otherwise the
 * limit is counted while the body streams (BodyLimitedRequest). Returns false when the request was answered.
 */
export function limitRequestBody(req: IncomingMessage, res: ServerResponse, limit: number, text?: string): boolean {
  if (declaredTooLarge(req.headers["content-length"], limit)) {
    refuseNodeRequest(req, res, 413, text);
    return false;
  }
  const counted = req as IncomingMessage & Partial<Pick<BodyLimitedRequest, "setBodyLimit">>;
  counted.setBodyLimit?.(limit, () => refuseNodeRequest(req, res, 413, text));
  return true;
}
