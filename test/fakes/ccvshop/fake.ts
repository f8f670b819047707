// FakeCcvShop: the in-memory state of one CCV shop (orders, webhooks, the app) plus switches and records for tests.
// Transport-free: `handle()` maps a request to a response; index.ts serves it on a loopback HTTP server.
import { handleApiRequest, type RawRequest } from "./api";
import type { Credentials } from "./auth";
import { RateLimiter } from "./rate-limit";
import { applyOrderInput, buildOrder, FIRST_ORDER_ID, FIRST_ROW_ID, type OrderContext } from "./orders";
import { ccvError } from "./http";
import { webhookSummary, type WebhookExtra } from "./webhooks";
import type {
  CcvErrorBody,
  CcvLabel,
  CcvOrderInput,
  CcvOrderWebhookEvent,
  CcvWebhook,
  FakeCcvDelivery,
  FakeCcvMail,
  FakeCcvOrder,
  FakeCcvPatch,
  FakeCcvPost,
  FakeCcvRequest,
  FakeCcvResponse,
  LimitKey,
} from "./types";

export type FakeCcvShopOptions = {
  apiRoot: string;
  apiPublic: string;
  apiSecret: string;
  appId?: number;
  appName?: string;
  limits?: Partial<Record<LimitKey, number>>;
  now?: () => number;
  /** Largest accepted |x-date − now()| (default 10 minutes; CCV's real window is unconfirmed). */
  maxSkewMs?: number;
};

/** An injected failure; `only` limits it to requests of that method and/or whose path (no query) matches. */
type Failure = { remaining: number; response: () => FakeCcvResponse; only?: FailureFilter };
export type FailureFilter = { method?: string; path?: RegExp };

export type FakeCcvSnapshot = {
  orders: FakeCcvOrder[];
  previousStatus: [number, number | null][];
  ids: { order: number; row: number; ordernumber: number; webhook: number; notification: number; label?: number };
  webhooks: CcvWebhook[];
  /** Absent in state files written before labels existed. */
  labels?: CcvLabel[];
  orderLabels?: [number, number[]][];
  app: { id: number; name: string; is_installed: boolean };
  credentialsRevoked: boolean;
};

export class FakeCcvShop {
  readonly apiRoot: string;
  readonly apiPublic: string;
  readonly apiSecret: string;
  readonly maxSkewMs: number;
  /** Every request received, oldest first. */
  readonly requests: FakeCcvRequest[] = [];
  /** Every authenticated PATCH /orders/{id} with a JSON body, whatever the answer. */
  readonly patches: FakeCcvPatch[] = [];
  /** Every authenticated POST with a JSON body, by path (with query). */
  readonly posts: FakeCcvPost[] = [];
  /** Every PATCH /apps/{id} body. */
  readonly appPatches: unknown[] = [];
  /** Customer e-mails the shop would have sent. */
  readonly mails: FakeCcvMail[] = [];
  /** Registered webhooks (the live list the API serves). */
  readonly webhooks: CcvWebhook[] = [];
  /** Webhooks sendWebhook delivered. */
  readonly deliveries: FakeCcvDelivery[] = [];
  /** The one app these credentials belong to. */
  readonly app: { id: number; name: string; is_installed: boolean };
  readonly limiter: RateLimiter;

  private clock: () => number;
  private store = new Map<number, FakeCcvOrder>();
  private previousStatus = new Map<number, number | null>();
  private failures: Failure[] = [];
  private credentials: Credentials | null;
  private ids = { order: FIRST_ORDER_ID, row: FIRST_ROW_ID, ordernumber: 1, webhook: 1001, notification: 5001, label: 71 };
  private labelStore: CcvLabel[] = [];
  private orderLabelIds = new Map<number, number[]>();

  constructor(opts: FakeCcvShopOptions) {
    this.apiRoot = opts.apiRoot;
    this.apiPublic = opts.apiPublic;
    this.apiSecret = opts.apiSecret;
    this.credentials = { apiPublic: opts.apiPublic, apiSecret: opts.apiSecret };
    this.maxSkewMs = opts.maxSkewMs ?? 10 * 60_000;
    this.clock = opts.now ?? Date.now;
    this.app = { id: opts.appId ?? 4242, name: opts.appName ?? "Koppel", is_installed: false };
    this.limiter = new RateLimiter(opts.limits ?? {}, () => this.clock());
  }

  // -- clock & switches --------------------------------------------------------------------------------------------

  now(): number {
    return this.clock();
  }
  setNow(fn: () => number): void {
    this.clock = fn;
  }

  /** The next `n` API requests (before authentication) get this CCV error; `only` picks which requests (by method, path). */
  failNext(n: number, error: CcvErrorBody, only?: FailureFilter): void {
    this.failures.push({ remaining: n, response: () => ccvError(error.status, error.code, error.developermessage), ...(only ? { only } : {}) });
  }

  /** The next `n` API requests get 429 with `code` (429.10 per resource, 429.11 API total). */
  rateLimitNext(n: number, code: "429.10" | "429.11" = "429.10"): void {
    const message = code === "429.11" ? "Total rate limit exceeded for this API" : "Rate limit exceeded for this resource";
    this.failNext(n, { status: 429, code, developermessage: message });
  }

  /** The merchant removed the app: these credentials stop working (401 Unknown public key). */
  revokeCredentials(): void {
    this.credentials = null;
  }

  /** Used by api.ts; consumes one injected failure that applies to this request (path without query or trailing /). */
  takeFailure(method: string, path: string): FakeCcvResponse | null {
    const applies = (x: Failure) => (!x.only?.method || x.only.method === method) && (!x.only?.path || x.only.path.test(path));
    const f = this.failures.find((x) => x.remaining > 0 && applies(x));
    if (!f) return null;
    f.remaining--;
    this.failures = this.failures.filter((x) => x.remaining > 0);
    return f.response();
  }
  currentCredentials(): Credentials | null {
    return this.credentials;
  }
  nextWebhookId(): number {
    return this.ids.webhook++;
  }
  nextNotificationId(): number {
    return this.ids.notification++;
  }

  // -- state file (index.ts writes it) -----------------------------------------------------------------------------

  /** What a state file keeps: orders, registered webhooks, the app's install flag, id counters. */
  snapshot(): FakeCcvSnapshot {
    return {
      orders: this.orders(),
      previousStatus: [...this.previousStatus],
      ids: { ...this.ids },
      webhooks: [...this.webhooks],
      labels: this.labels(),
      orderLabels: [...this.orderLabelIds].map(([id, labels]) => [id, [...labels]]),
      app: { ...this.app },
      credentialsRevoked: this.credentials === null,
    };
  }

  restore(s: FakeCcvSnapshot): void {
    this.store = new Map(s.orders.map((o) => [o.id, o]));
    this.previousStatus = new Map(s.previousStatus);
    this.ids = { label: 71, ...s.ids };
    this.labelStore = structuredClone(s.labels ?? []);
    this.orderLabelIds = new Map(s.orderLabels ?? []);
    this.webhooks.splice(0, this.webhooks.length, ...s.webhooks);
    Object.assign(this.app, s.app);
    if (s.credentialsRevoked) this.credentials = null;
  }

  // -- orders ------------------------------------------------------------------------------------------------------

  /** Add an order (defaults: paid, completed, status 1, one row, a Dutch customer shipping to billing). */
  addOrder(input: CcvOrderInput = {}): FakeCcvOrder {
    const order = buildOrder(this.ids.order++, input, this.orderContext());
    this.store.set(order.id, order);
    return order;
  }

  /** Change an order as the merchant or checkout would (e.g. `{ paid: true }`); `rows` replaces all rows. */
  updateOrder(id: number, patch: CcvOrderInput): FakeCcvOrder {
    const order = this.store.get(id);
    if (!order) throw new Error(`FakeCcvShop: no order ${id}`);
    const before = order.status;
    applyOrderInput(order, patch, this.orderContext());
    if (order.status !== before) this.previousStatus.set(id, before);
    return order;
  }

  order(id: number): FakeCcvOrder | undefined {
    return this.store.get(id);
  }

  /** All orders, by id. */
  orders(): FakeCcvOrder[] {
    return [...this.store.values()].sort((a, b) => a.id - b.id);
  }

  /** Status before the last status change (what orders.updated.status reports as previous_status). */
  previousStatusOf(id: number): number | null {
    const order = this.store.get(id);
    return this.previousStatus.has(id) ? (this.previousStatus.get(id) ?? null) : (order?.status ?? null);
  }

  /** The webhook body CCV would post for `event` about order `id`. */
  webhookSummary(event: CcvOrderWebhookEvent, id: number, extra: WebhookExtra = {}): Record<string, unknown> {
    const order = this.store.get(id);
    if (!order) throw new Error(`FakeCcvShop: no order ${id}`);
    return webhookSummary(event, order, this.clock(), extra.previous_status ?? this.previousStatusOf(id));
  }

  // -- labels ------------------------------------------------------------------------------------------------------

  /** Add a label to the shop (as the merchant does under Instellingen); `tooltip` is its name. */
  addLabel(input: Partial<Omit<CcvLabel, "id" | "href">> = {}): CcvLabel {
    const id = this.ids.label++;
    const label: CcvLabel = {
      id,
      href: `${this.apiRoot}/api/rest/v1/labels/${id}`,
      image_location: `${this.apiRoot}/images/labels/${id}.png`,
      tooltip: null,
      show_on_products: false,
      show_on_orders: true,
      show_on_invoices: false,
      ...input,
    };
    this.labelStore.push(label);
    return structuredClone(label);
  }

  /** Change a label as the merchant would (e.g. rename it: `{ tooltip }`). */
  updateLabel(id: number, patch: Partial<Omit<CcvLabel, "id" | "href">>): CcvLabel {
    const label = this.labelStore.find((l) => l.id === id);
    if (!label) throw new Error(`FakeCcvShop: no label ${id}`);
    Object.assign(label, patch);
    return structuredClone(label);
  }

  /** The shop's labels, by id (copies). */
  labels(): CcvLabel[] {
    return structuredClone(this.labelStore);
  }

  /** Attach labels to an order: by id, or by name (a label with that tooltip, made when the shop has none). */
  labelOrder(orderId: number, ...labels: (number | string)[]): number[] {
    if (!this.store.has(orderId)) throw new Error(`FakeCcvShop: no order ${orderId}`);
    const ids = this.orderLabelIds.get(orderId) ?? [];
    for (const l of labels) {
      const id = typeof l === "number" ? l : (this.labelStore.find((x) => x.tooltip === l)?.id ?? this.addLabel({ tooltip: l }).id);
      if (!ids.includes(id)) ids.push(id);
    }
    this.orderLabelIds.set(orderId, ids);
    return [...ids];
  }

  /** Remove every label from an order. */
  clearOrderLabels(orderId: number): void {
    this.orderLabelIds.delete(orderId);
  }

  /** The label ids attached to an order (GET /orders/{id}/orderlabels). */
  labelIdsOf(orderId: number): number[] {
    return [...(this.orderLabelIds.get(orderId) ?? [])];
  }

  private orderContext(): OrderContext {
    return {
      apiRoot: this.apiRoot,
      now: () => this.clock(),
      nextRowId: () => this.ids.row++,
      nextOrdernumber: () => this.ids.ordernumber++,
    };
  }

  // -- HTTP --------------------------------------------------------------------------------------------------------

  /** Answer one request and record it; never throws. */
  handle(req: RawRequest): FakeCcvResponse {
    let response: FakeCcvResponse;
    try {
      response = handleApiRequest(this, req);
    } catch (err) {
      response = ccvError(500, "500.00", `Fake CCV Shop error: ${String(err)}`);
    }
    this.requests.push({ method: req.method, path: req.url, headers: req.headers, body: req.body, status: response.status });
    return response;
  }
}
