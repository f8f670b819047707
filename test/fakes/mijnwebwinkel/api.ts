// The Connect API front door, in this order: route lookup (for the counters) → injected failure → partner_token and
// token (401) → 404 / 405 → rate limit (429) → format / body checks (400) → handler. Paths are matched without a
// trailing slash. Only version 1 exists in the fake (`/v1/…`); `/v2-beta/…` answers 404.
import type { FakeMijnwebwinkel } from "./fake";
import { badRequest, isObj, json, mwwError, notFound, parseJson, problem } from "./http";
import { filterOrders, orderResource, paymentResource, readPaging, sortAndPage, type MwwOrderRecord } from "./orders";
import type { FakeMwwStore } from "./store";
import type { FakeMwwResponse } from "./types";

export type RawRequest = {
  method: string;
  /** Request target as sent: path + query. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Body exceeded the server's limit. */
  tooLarge?: boolean;
};

export type ApiCall = { fake: FakeMijnwebwinkel; store: FakeMwwStore | null; query: URLSearchParams; params: string[]; body: unknown };
type Handler = (call: ApiCall) => FakeMwwResponse;
/** `partnerOnly`: the spec's security for this operation is PartnerToken alone (the store token is optional). */
type Route = { pattern: RegExp; path: string; methods: Partial<Record<string, Handler>>; partnerOnly?: boolean };

export type Answer = { response: FakeMwwResponse; endpoint: string | null; storeId: string | null };

const PATCHABLE = ["status", "archived", "comments", "offline_location_id", "reference"];
const EMBEDS = ["mutations", "properties", "order"];

const ROUTES: Route[] = [
  { pattern: /^\/orders$/, path: "/v1/orders", methods: { GET: listOrders } },
  { pattern: /^\/orders\/count$/, path: "/v1/orders/count", methods: { GET: countOrders } },
  { pattern: /^\/orders\/([^/]+)$/, path: "/v1/orders/{number}", methods: { GET: getOrder, PATCH: patchOrder } },
  { pattern: /^\/orders\/([^/]+)\/payments$/, path: "/v1/orders/{number}/payments", methods: { GET: getPayments } },
  { pattern: /^\/orderstatuses$/, path: "/v1/orderstatuses", methods: { GET: getStatuses }, partnerOnly: true },
];

const unauthorized = (description: string) => mwwError(401, description);

export function handleApiRequest(fake: FakeMijnwebwinkel, req: RawRequest): Answer {
  const method = req.method.toUpperCase();
  const url = new URL(req.url, "http://fake.invalid");
  const path = url.pathname.replace(/\/+$/, "");
  const version = /^\/(v[^/]+)(\/.*)?$/.exec(path);
  const sub = version?.[1] === "v1" ? (version[2] ?? "") : null;

  let params: string[] = [];
  const route =
    sub === null
      ? undefined
      : ROUTES.find((r) => {
          const m = r.pattern.exec(sub);
          if (m) params = m.slice(1).map((p) => decodeURIComponent(p));
          return m !== null;
        });
  const endpoint = route ? `${method} ${route.path}` : null;
  if (endpoint) fake.count(endpoint);
  const answer = (response: FakeMwwResponse, storeId: string | null = null): Answer => ({ response, endpoint, storeId });

  const injected = fake.takeFailure(endpoint, path);
  if (injected) return answer(injected);
  if (sub === null) return answer(notFound(version ? `API version ${version[1]!.slice(1)} is not available` : "Resource not found"));

  // Both keys travel in the query string (securitySchemes: apiKey in query).
  const partnerToken = url.searchParams.get("partner_token");
  if (!partnerToken) return answer(unauthorized("Missing partner token (query parameter partner_token)"));
  if (partnerToken !== fake.partnerToken) return answer(unauthorized("Invalid partner token"));
  const token = url.searchParams.get("token");
  let store: FakeMwwStore | null = null;
  if (token || !route?.partnerOnly) {
    if (!token) return answer(unauthorized("Missing store token (query parameter token)"));
    store = fake.storeByToken(token) ?? null;
    if (!store) return answer(unauthorized("Invalid store token"));
  }
  const storeId = store?.id ?? null;

  if (!route) return answer(notFound(`Resource ${path} not found`), storeId);
  const handler = route.methods[method];
  if (!handler) return answer(mwwError(405, `Method ${method} is not allowed on ${route.path}`), storeId);

  const limited = fake.limiter.take(storeId);
  if (limited) {
    const who = limited.scope === "store" ? "this store" : "this partner";
    return answer(problem(429, `Rate limit exceeded for ${who} (${limited.limit} requests per minute)`), storeId);
  }

  const format = url.searchParams.get("format");
  if (format && format !== "json") return answer(badRequest(`format=${format} is not supported by this fake; use json`), storeId);

  const isPatch = method === "PATCH";
  const record = (response: FakeMwwResponse, body: unknown) => {
    if (isPatch && store) fake.patches.push({ storeId: store.id, number: params[0] ?? "", body, status: response.status, at: fake.now() });
    return answer(response, storeId);
  };
  let body: unknown;
  if (isPatch) {
    if (req.tooLarge) return record(badRequest("Request body too large"), req.body);
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") return record(badRequest(`Unsupported Content-Type "${type}": send application/json`), req.body);
    const parsed = parseJson(req.body);
    if (!parsed.ok) return record(badRequest("Request body is not valid JSON"), req.body);
    body = parsed.value;
  }
  return record(handler({ fake, store, query: url.searchParams, params, body }), body);
}

// -- handlers ------------------------------------------------------------------------------------------------------

function mustStore(call: ApiCall): FakeMwwStore {
  if (!call.store) throw new Error("route needs a store");
  return call.store;
}

function listOrders(call: ApiCall): FakeMwwResponse {
  const paging = readPaging(call.query);
  if ("status" in paging) return paging;
  const picked = filterOrders(mustStore(call).records(), call.query);
  if (!Array.isArray(picked)) return picked;
  return json(200, sortAndPage(picked, paging).map(orderResource));
}

function countOrders(call: ApiCall): FakeMwwResponse {
  const picked = filterOrders(mustStore(call).records(), call.query);
  return Array.isArray(picked) ? json(200, { count: picked.length }) : picked;
}

function findOrder(call: ApiCall): MwwOrderRecord | undefined {
  return mustStore(call).find(call.params[0] ?? "");
}

function getOrder(call: ApiCall): FakeMwwResponse {
  const record = findOrder(call);
  return record ? json(200, orderResource(record)) : notFound(`Order ${call.params[0]} not found`);
}

/** OrderPatchable only: status, archived, comments.internal, offline_location_id, reference. Validated, then applied whole. */
function patchOrder(call: ApiCall): FakeMwwResponse {
  const store = mustStore(call);
  const record = findOrder(call);
  if (!record) return notFound(`Order ${call.params[0]} not found`);
  const b = call.body;
  if (!isObj(b)) return badRequest("Request body must be a JSON object (OrderPatchable)");
  for (const key of Object.keys(b)) {
    if (!PATCHABLE.includes(key)) return badRequest(`Unknown field "${key}": patchable are ${PATCHABLE.join(", ")}`);
  }
  if (b.status !== undefined) {
    if (typeof b.status !== "number" || !Number.isInteger(b.status)) return badRequest('Invalid value for field "status": expected an integer');
    const status = store.hasStatus(b.status);
    if (!status) return badRequest(`Unknown order status ${b.status}`);
    const isCredit = record.order.credited_order_number !== undefined;
    if (status.credit_order !== isCredit) return badRequest(`Order status ${b.status} is ${status.credit_order ? "only" : "not"} allowed for credit orders`);
  }
  if (b.archived !== undefined && typeof b.archived !== "boolean") return badRequest('Invalid value for field "archived": expected a boolean');
  if (b.comments !== undefined) {
    if (!isObj(b.comments)) return badRequest('Invalid value for field "comments": expected an object');
    for (const [key, value] of Object.entries(b.comments)) {
      if (key === "customer") return badRequest('Field "comments.customer" is read-only');
      if (key !== "internal") return badRequest(`Unknown field "comments.${key}"`);
      if (typeof value !== "string") return badRequest('Invalid value for field "comments.internal": expected a string');
    }
  }
  if (b.offline_location_id !== undefined && b.offline_location_id !== null && typeof b.offline_location_id !== "string") {
    return badRequest('Invalid value for field "offline_location_id": expected a string');
  }
  if (b.reference !== undefined) {
    if (typeof b.reference !== "string" || b.reference.length > 255) return badRequest('Invalid value for field "reference": expected a string of at most 255 characters');
    if (record.order.business_model !== "B2B") return badRequest('Field "reference" is only available for orders with business model B2B');
  }

  const number = record.seq;
  if (typeof b.status === "number") store.setStatus(number, b.status);
  const internal = isObj(b.comments) && typeof b.comments.internal === "string" ? b.comments.internal : undefined;
  store.update(number, {
    ...(typeof b.archived === "boolean" ? { archived: b.archived } : {}),
    ...(internal !== undefined ? { internalComment: internal } : {}),
    ...(typeof b.reference === "string" ? { reference: b.reference } : {}),
    ...(b.offline_location_id !== undefined ? { offline_location_id: b.offline_location_id as string | null } : {}),
  });
  return json(200, orderResource(record));
}

/** `{ payments: [Payment] }`; mutations / properties / order only with `embed=` (comma-separated). RFC 7807 errors. */
function getPayments(call: ApiCall): FakeMwwResponse {
  const record = findOrder(call);
  if (!record) return problem(404, `Order ${call.params[0]} not found`);
  const embed = new Set(
    (call.query.get("embed") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const unknown = [...embed].find((e) => !EMBEDS.includes(e));
  if (unknown) return problem(400, `Invalid embed "${unknown}": use one or more of ${EMBEDS.join(", ")}`);
  return json(200, { payments: record.payments.map((p) => paymentResource(record, p, embed)) });
}

/** The store's statuses when a store token is given, else the default list (this operation needs only partner_token). */
function getStatuses(call: ApiCall): FakeMwwResponse {
  return json(200, structuredClone(call.store ? call.store.statuses : call.fake.defaultStatuses()));
}
