// Whether a request comes from Shopify's admin, read from the request alone (no I/O): its first load carries
// `shop` / `host` / `id_token` / `embedded` query parameters, App Bridge's fetches a Bearer session token. A claim,
// not a proof: authenticate.admin verifies it.
export function isShopifyRequest(request: Request): boolean {
  const url = new URL(request.url);
  if (["id_token", "shop", "host", "embedded"].some((p) => url.searchParams.has(p))) return true;
  return /^Bearer\s+\S/i.test(request.headers.get("Authorization") ?? "");
}
