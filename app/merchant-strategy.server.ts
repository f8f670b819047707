// How a route learns its merchant, per platform: a strategy says whether a request is its own (cheap, no I/O) and
// authenticates it. requireMerchant (merchant.server.ts) asks the enabled platforms' strategies in turn, Koppel's
// signed cookie last; the first that claims the request decides.
import { redirect } from "@remix-run/node";
import type { Shop } from "./core/shops.server";
import type { PlatformId } from "./core/ports";
import type { Locale } from "./i18n";

export type Merchant = {
  shopId: number;
  platform: PlatformId;
  domain: string;
  locale: Locale;
  embedded: boolean;
  shop: Shop;
  /** Set-Cookie value to send back when the cookie session changed (e.g. a new `locale`); the app layout sends it. */
  setCookie?: string;
};

export interface MerchantStrategy {
  /** For logs and tests: "shopify", "cookie". */
  readonly name: string;
  /** True when the request carries this strategy's credentials (or claims to): it then decides, alone. */
  claims(request: Request): boolean;
  /** The merchant, or a thrown Response (401, a redirect, the platform's own bounce page). */
  authenticate(request: Request): Promise<Merchant>;
}

/** A page load in the browser goes to the explanation page; data requests and API calls get a plain 401. */
export function unauthenticated(request: Request): Response {
  const accept = request.headers.get("Accept") ?? "";
  const url = new URL(request.url);
  const isDocument = request.method === "GET" && accept.includes("text/html") && !url.pathname.endsWith(".data");
  if (isDocument) return redirect("/login-required");
  return new Response("Unauthorized", { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
