// How the Shopify adapter reaches the Admin GraphQL API: a plain function, so tests and the demo can swap it.
// The default posts with global fetch (msw intercepts it in tests and in the demo).

export type GraphqlTransportResponse = { status: number; headers: Headers; body: unknown };

export type ShopifyGraphqlTransport = (
  shopDomain: string,
  query: string,
  variables: Record<string, unknown>,
) => Promise<GraphqlTransportResponse>;

/** No usable offline session for the shop (not installed, uninstalled, or token deleted after a 401). */
export class ShopifyNoSessionError extends Error {
  constructor(readonly shopDomain: string) {
    super(`No offline Shopify session for ${shopDomain}`);
    this.name = "ShopifyNoSessionError";
  }
}

export function createSessionGraphqlTransport(opts: {
  loadOfflineSession: (shopDomain: string) => Promise<{ accessToken?: string | null } | undefined | null>;
  apiVersion: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): ShopifyGraphqlTransport {
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  return async (shopDomain, query, variables) => {
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i.test(shopDomain)) throw new Error(`Not a Shopify shop domain: ${shopDomain}`);
    const session = await opts.loadOfflineSession(shopDomain);
    if (!session?.accessToken) throw new ShopifyNoSessionError(shopDomain);
    const res = await doFetch(`https://${shopDomain}/admin/api/${opts.apiVersion}/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-Shopify-Access-Token": session.accessToken,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // keep the text: an HTML error page or similar
    }
    return { status: res.status, headers: res.headers, body };
  };
}
