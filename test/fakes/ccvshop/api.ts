// The REST front door: injected failures → authentication → routing (404.20 / 405.10) → rate limit → body checks →
// handler → content type and response signature. Paths are matched without a trailing slash (`/orders/` = `/orders`).
import { authenticate } from "./auth";
import { appRoutes } from "./apps-api";
import { labelRoutes } from "./labels-api";
import { badRequest, ccvError, JSON_TYPE, methodNotAllowed, notFound, parseJson, VERTO_TYPE } from "./http";
import type { FakeCcvShop } from "./fake";
import { orderRoutes } from "./orders-api";
import { phpIsoDate, restHash } from "./signing";
import type { FakeCcvResponse } from "./types";
import { webhookRoutes } from "./webhooks-api";

export const API_PREFIX = "/api/rest/v1";
/** Where the App Store's default return_url points (the merchant's admin after install); a plain page. */
export const RETURN_PATH = "/admin/appstore/installed";

export type RawRequest = {
  method: string;
  /** Request target as sent: path + query. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Body exceeded the server's limit (answered 500.80, CCV's "payload too big"). */
  tooLarge?: boolean;
};

/** What a handler gets. `params` are the route's captures; `body` the parsed JSON (undefined for GET/DELETE). */
export type ApiCall = { shop: FakeCcvShop; method: string; url: string; query: URLSearchParams; params: string[]; body: unknown };
export type Handler = (call: ApiCall) => FakeCcvResponse;
export type Route = { pattern: RegExp; methods: Partial<Record<string, Handler>> };

const ROUTES: Route[] = [...appRoutes, ...webhookRoutes, ...orderRoutes, ...labelRoutes];
const BODY_TYPES = [JSON_TYPE, "text/json", VERTO_TYPE];

export function handleApiRequest(shop: FakeCcvShop, req: RawRequest): FakeCcvResponse {
  const method = req.method.toUpperCase();
  const url = new URL(req.url, "http://fake.invalid");
  const path = url.pathname.replace(/\/+$/, "");
  if (path === RETURN_PATH && method === "GET") return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: "<!doctype html><title>App Store</title><p>App installed.</p>" };
  if (!path.startsWith(`${API_PREFIX}/`)) return notFound("Invalid resource");

  const finish = (res: FakeCcvResponse) => finishResponse(shop, req, method, res);
  const injected = shop.takeFailure(method, path);
  if (injected) return finish(injected);
  if (req.tooLarge) return finish(ccvError(500, "500.80", "Payload too big"));
  const denied = authenticate({ method, uri: req.url, headers: req.headers, body: req.body }, shop.currentCredentials(), shop.now(), shop.maxSkewMs);
  if (denied) return finish(denied);

  const sub = path.slice(API_PREFIX.length);
  let params: string[] = [];
  const route = ROUTES.find((r) => {
    const m = r.pattern.exec(sub);
    if (m) params = m.slice(1);
    return m !== null;
  });
  if (!route) return finish(notFound(`Invalid resource ${sub}`));
  const handler = route.methods[method];
  if (!handler) return finish(methodNotAllowed(method));

  const resource = sub.split("/")[1] ?? "";
  const limited = shop.limiter.take(resource, method);
  if (limited) {
    const message = limited === "429.11" ? "Total rate limit exceeded for this API" : "Rate limit exceeded for this resource";
    return finish(ccvError(429, limited, message));
  }
  let body: unknown;
  if (method === "POST" || method === "PATCH" || method === "PUT") {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!BODY_TYPES.includes(type)) return finish(badRequest(`Unsupported Content-Type "${type}": send application/json`));
    const parsed = parseJson(req.body);
    if (!parsed.ok) return finish(badRequest("Request body is not valid JSON"));
    body = parsed.value;
  }
  const response = handler({ shop, method, url: req.url, query: url.searchParams, params, body });
  if (method === "POST") shop.posts.push({ path: req.url, body, status: response.status });
  return finish(response);
}

/**
 * Content type follows Accept (the SDK asks for vnd.verto.webshop+json); responses to a known public key are signed
 * the way the SDK's validateResponse checks: x-hash over public|METHOD|uri|responseBody|x-date.
 */
function finishResponse(shop: FakeCcvShop, req: RawRequest, method: string, res: FakeCcvResponse): FakeCcvResponse {
  const headers = { ...res.headers };
  if (res.body !== "" && (req.headers.accept ?? "").includes(VERTO_TYPE)) headers["content-type"] = VERTO_TYPE;
  const creds = shop.currentCredentials();
  if (creds && req.headers["x-public"] === creds.apiPublic) {
    const date = phpIsoDate(shop.now());
    headers["x-date"] = date;
    headers["x-hash"] = restHash(creds.apiSecret, { publicKey: creds.apiPublic, method, uri: req.url, body: res.body, date });
  }
  return { ...res, headers };
}
