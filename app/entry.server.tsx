import { PassThrough } from "node:stream";
import { randomBytes } from "node:crypto";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { isShopifyRequest } from "./platforms/shopify/admin-request";
import { setDocumentSecurityHeaders, verifiedFrameShop } from "./security-headers.server";
import { DocumentContext } from "./document-context";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale } from "./i18n";

export const streamTimeout = 5000;

// server-app.ts reads this from the build (build.entry.module), so the fast path runs the same bundled code as the routes.
export { handleWebhookNode } from "./webhook-route.server";

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext?: AppLoadContext,
) {
  // Shopify's helper adds App Bridge's preload; its CSP (framed by the *query's* shop) is replaced just below.
  addDocumentResponseHeaders(request, responseHeaders);
  const nonce = randomBytes(16).toString("base64");
  const verifiedShop = verifiedFrameShop(loadContext);
  setDocumentSecurityHeaders(responseHeaders, { embedded: Boolean(verifiedShop) || isShopifyRequest(request), verifiedShop, nonce });
  // Pages without loader data (404, errors) speak the visitor's language.
  const url = new URL(request.url);
  const locale = parseLocale(url.searchParams.get("locale")) ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    const app = (
      <DocumentContext.Provider value={{ nonce, locale }}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </DocumentContext.Provider>
    );
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
