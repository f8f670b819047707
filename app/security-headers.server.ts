// Security headers. Every response: nosniff + Referrer-Policy, set once by server-app.ts (Remix's express adapter
// appends a response's own headers, so setting them in the Remix build too would send them twice).
// Documents: on Koppel's own pages (cookie session, landing, errors) a strict CSP with a per-request script nonce and
// no framing; inside Shopify's admin only the frame parent, and that is the shop the session token proved — never the
// `shop` query parameter, which anyone can write.

export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/** Shopify's admin, which frames every embedded app page. */
export const SHOPIFY_ADMIN_ORIGIN = "https://admin.shopify.com";

/** Per request (Remix's load context object): the shop domain authenticate.admin verified. */
const verifiedFrameShops = new WeakMap<object, string>();

/** The app layout calls this after authenticate.admin: this request's document may be framed by that shop's admin. */
export function trustFrameShop(context: unknown, shopDomain: string): void {
  if (context && typeof context === "object" && /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shopDomain)) {
    verifiedFrameShops.set(context, shopDomain);
  }
}

export function verifiedFrameShop(context: unknown): string | undefined {
  return context && typeof context === "object" ? verifiedFrameShops.get(context) : undefined;
}

/**
 * Headers of an HTML document. `embedded`: the request came from (or claims to come from) Shopify's admin, so the page
 * must be frameable by it; `verifiedShop` adds that shop's own admin origin.
 */
export function setDocumentSecurityHeaders(headers: Headers, opts: { embedded: boolean; verifiedShop?: string; nonce: string }): void {
  if (opts.embedded) {
    const parents = [...(opts.verifiedShop ? [`https://${opts.verifiedShop}`] : []), SHOPIFY_ADMIN_ORIGIN];
    headers.set("Content-Security-Policy", `frame-ancestors ${parents.join(" ")};`);
    headers.delete("X-Frame-Options");
    return;
  }
  headers.set(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${opts.nonce}'`,
      // Polaris sets style attributes.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  headers.set("X-Frame-Options", "DENY");
}

/** A copy of `response` that only Shopify's admin may frame (no shop was verified for it). */
export function withUnverifiedFrameParent(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Content-Security-Policy", `frame-ancestors ${SHOPIFY_ADMIN_ORIGIN};`);
  headers.delete("X-Frame-Options");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
