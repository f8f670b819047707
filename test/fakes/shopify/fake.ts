// FakeShopify: in-memory Shopify for any number of shops, speaking the Admin GraphQL protocol and OAuth token endpoint.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  GraphQLError,
  Kind,
  execute,
  getOperationAST,
  parse,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";
import { actualQueryCost, requestedQueryCost } from "./cost";
import { adminSchema } from "./schema";
import { matchesSearch, parseSearch } from "./search";
import { signSessionToken, verifySessionToken } from "./session-token";
import type {
  FakeAddress,
  FakeClockLike,
  FakeFulfillment,
  FakeFulfillmentOrder,
  FakeLineItem,
  FakeOrder,
  FulfillmentCall,
  FulfillmentOrderSeed,
  LineSeed,
  OrderInput,
} from "./types";
import { gid, isoSeconds, json, parseGid } from "./util";

export const SUPPORTED_API_VERSIONS = [
  "2025-01",
  "2025-04",
  "2025-07",
  "2025-10",
  "2026-01",
  "2026-04",
  "2026-07",
  "2026-10",
  "unstable",
] as const;

export const INVALID_TOKEN_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
export const DEFAULT_SCOPE = "read_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders";
/** Single-query limit (https://shopify.dev/docs/api/usage/rate-limits). */
export const MAX_SINGLE_QUERY_COST = 1000;
export const MAX_PAGE_SIZE = 250;
/** Input arrays (e.g. `nodes(ids:)`) take at most this many items (https://shopify.dev/docs/api/usage/limits). */
export const MAX_INPUT_ARRAY = 250;

/** The longest array given as an argument, literally or through a variable (at any depth of an input object). */
function largestInputArray(op: OperationDefinitionNode, variables: Record<string, unknown>): number {
  let max = 0;
  const walkValue = (v: unknown) => {
    if (Array.isArray(v)) {
      max = Math.max(max, v.length);
      v.forEach(walkValue);
    } else if (v && typeof v === "object") Object.values(v).forEach(walkValue);
  };
  walkValue(variables);
  visit(op, {
    ListValue(node) {
      max = Math.max(max, node.values.length);
    },
  });
  return max;
}

export type BucketConfig = { maximumAvailable: number; restoreRate: number };
export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
type Bucket = BucketConfig & { available: number; at: number };

type TokenInfo = { kind: "offline" | "online"; expiresAt: number | null; userId?: string };
type Failure = { status: number; body?: unknown; headers?: Record<string, string> };

type ShopState = {
  domain: string;
  name: string;
  currency: string;
  scope: string;
  tokens: Map<string, TokenInfo>;
  refreshTokens: Map<string, number>;
  orders: Map<number, FakeOrder>;
  nextOrderNumber: number;
  bucket: Bucket;
  apiCalls: number;
  fulfillmentCalls: FulfillmentCall[];
  location: { id: number; name: string };
  /** Other locations (by name) that fulfillment orders were assigned to: each its own location id. */
  otherLocations: Map<string, number>;
  failures: Failure[];
};

export type FakeShopifyOptions = {
  /** App client id (API key). */
  apiKey?: string;
  /** App client secret: signs session tokens and webhooks. */
  apiSecret?: string;
  clock?: FakeClockLike;
  bucket?: Partial<BucketConfig>;
  apiVersions?: readonly string[];
  scope?: string;
  /**
   * A JSON file the fake keeps its shops in (orders, fulfillments, tokens, counters), written after every change and
   * read at start: a fake started again on the same file knows the same orders and never repeats an id.
   */
  stateFile?: string;
};

/** What the state file holds: the shops without their switches (failures) and buckets. */
type PersistedShop = Omit<ShopState, "tokens" | "refreshTokens" | "orders" | "otherLocations" | "bucket" | "failures" | "apiCalls"> & {
  tokens: [string, TokenInfo][];
  refreshTokens: [string, number][];
  orders: FakeOrder[];
  otherLocations: [string, number][];
};
type PersistedState = { version: 1; nextId: number; shops: PersistedShop[] };

export type GraphqlBody = { data?: unknown; errors?: unknown[]; extensions?: { cost?: unknown } & Record<string, unknown> };

type ConnArgs = { first?: number | null; last?: number | null; after?: string | null; before?: string | null; reverse?: boolean | null };
type Key = (string | number)[];

const systemClock: FakeClockLike = { now: () => new Date() };
const hex = (n: number) => randomBytes(n).toString("hex");

function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify({ last_id: key[key.length - 1], last_value: key[0] })).toString("base64");
}
function decodeCursor(cursor: string, arity: number): Key {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id: string | number; last_value: string | number };
    if (v.last_id === undefined || v.last_value === undefined) throw new Error("bad");
    return arity === 1 ? [v.last_id] : [v.last_value, v.last_id];
  } catch {
    throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
  }
}
function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Relay pagination as Shopify does it: keyset cursors, `first`/`last` required, at most 250. */
function paginate<T>(items: T[], args: ConnArgs, keyOf: (t: T) => Key, toNode: (t: T) => unknown) {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first === null && last === null) throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  for (const n of [first, last]) {
    // Exact wording of Shopify's page-size error is unconfirmed; the 250 limit is documented.
    if (n !== null && n > MAX_PAGE_SIZE)
      throw new GraphQLError(`The maximum page size is ${MAX_PAGE_SIZE}; ${n} was requested.`, { extensions: { code: "BAD_REQUEST" } });
    if (n !== null && n < 0) throw new GraphQLError("Page size must be positive.", { extensions: { code: "BAD_REQUEST" } });
  }
  const dir = args.reverse ? -1 : 1;
  let list = [...items].sort((a, b) => dir * compareKeys(keyOf(a), keyOf(b)));
  const arity = list[0] ? keyOf(list[0]).length : 2;
  let hasNextPage = false;
  let hasPreviousPage = false;
  if (args.after) {
    const k = decodeCursor(args.after, arity);
    list = list.filter((t) => dir * compareKeys(keyOf(t), k) > 0);
    hasPreviousPage = true;
  }
  if (args.before) {
    const k = decodeCursor(args.before, arity);
    list = list.filter((t) => dir * compareKeys(keyOf(t), k) < 0);
    hasNextPage = true;
  }
  if (first !== null) {
    hasNextPage = list.length > first;
    list = list.slice(0, first);
  }
  if (last !== null) {
    hasPreviousPage = list.length > last;
    list = list.slice(Math.max(0, list.length - last));
  }
  const edges = list.map((t) => ({ cursor: encodeCursor(keyOf(t)), node: toNode(t) }));
  return {
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Turns graphql-js validation messages into the shape Shopify (graphql-ruby) answers with. */
function shopifyValidationError(e: GraphQLError) {
  const base = { locations: e.locations };
  let m = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(e.message);
  if (m)
    return {
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      ...base,
      extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
    };
  m = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(e.message);
  if (m)
    return {
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      ...base,
      extensions: { code: "argumentNotAccepted", name: m[3], typeName: "Field", argumentName: m[1] },
    };
  m = /^Field "(.+?)" argument "(.+?)" of type ".+?" is required, but it was not provided\./.exec(e.message);
  if (m)
    return {
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      ...base,
      extensions: { code: "missingRequiredArguments", className: "Field", name: m[1], arguments: m[2] },
    };
  m = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields\./.exec(e.message);
  if (m)
    return {
      message: `Field must have selections (field '${m[1]}' returns ${m[2]!.replace(/[[\]!]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      ...base,
      extensions: { code: "selectionMismatch", nodeName: `field '${m[1]}'`, typeName: m[2]!.replace(/[[\]!]/g, "") },
    };
  return { message: e.message, ...base, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

function money(amount: string, currencyCode: string) {
  const m = { amount, currencyCode };
  return { shopMoney: m, presentmentMoney: m };
}

export class FakeShopify {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly clock: FakeClockLike;
  readonly apiVersions: readonly string[];
  private readonly defaultBucket: BucketConfig;
  private readonly defaultScope: string;
  private readonly shops = new Map<string, ShopState>();
  private nextId = 6_100_000_000_001;
  private readonly stateFile: string | undefined;

  constructor(opts: FakeShopifyOptions = {}) {
    this.apiKey = opts.apiKey ?? "koppel-test-api-key";
    this.apiSecret = opts.apiSecret ?? "koppel-test-api-secret";
    this.clock = opts.clock ?? systemClock;
    this.apiVersions = opts.apiVersions ?? SUPPORTED_API_VERSIONS;
    this.defaultBucket = { maximumAvailable: 2000, restoreRate: 100, ...opts.bucket };
    this.defaultScope = opts.scope ?? DEFAULT_SCOPE;
    this.stateFile = opts.stateFile;
    if (this.stateFile && existsSync(this.stateFile)) this.load(JSON.parse(readFileSync(this.stateFile, "utf8")) as PersistedState);
  }

  // ---------------------------------------------------------------- state file

  private load(state: PersistedState): void {
    this.nextId = state.nextId;
    for (const p of state.shops) {
      this.shops.set(p.domain, {
        ...p,
        tokens: new Map(p.tokens),
        refreshTokens: new Map(p.refreshTokens),
        orders: new Map(p.orders.map((o) => [o.id, o])),
        otherLocations: new Map(p.otherLocations),
        bucket: { ...this.defaultBucket, available: this.defaultBucket.maximumAvailable, at: this.nowMs() },
        apiCalls: 0,
        failures: [],
      });
    }
  }

  /** After every change (a temp file renamed over the old one). Without a state file: nothing. */
  private save(): void {
    if (!this.stateFile) return;
    const shops: PersistedShop[] = [...this.shops.values()].map(({ bucket: _b, failures: _f, apiCalls: _a, tokens, refreshTokens, orders, otherLocations, ...rest }) => ({
      ...rest,
      tokens: [...tokens],
      refreshTokens: [...refreshTokens],
      orders: [...orders.values()],
      otherLocations: [...otherLocations],
    }));
    const state: PersistedState = { version: 1, nextId: this.nextId, shops };
    mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.stateFile);
  }

  private nowMs() {
    return this.clock.now().getTime();
  }
  private newId() {
    return this.nextId++;
  }

  // ---------------------------------------------------------------- shops and tokens

  addShop(domain: string, opts: { accessToken?: string; name?: string; currency?: string; scope?: string } = {}): void {
    let s = this.shops.get(domain);
    if (!s) {
      s = {
        domain,
        name: opts.name ?? domain.replace(/\.myshopify\.com$/, ""),
        currency: opts.currency ?? "EUR",
        scope: opts.scope ?? this.defaultScope,
        tokens: new Map(),
        refreshTokens: new Map(),
        orders: new Map(),
        nextOrderNumber: 1001,
        bucket: { ...this.defaultBucket, available: this.defaultBucket.maximumAvailable, at: this.nowMs() },
        apiCalls: 0,
        fulfillmentCalls: [],
        location: { id: this.newId(), name: "Magazijn Amsterdam" },
        otherLocations: new Map(),
        failures: [],
      };
      this.shops.set(domain, s);
    }
    if (opts.accessToken) s.tokens.set(opts.accessToken, { kind: "offline", expiresAt: null });
    this.save();
  }

  hasShop(domain: string): boolean {
    return this.shops.has(domain);
  }

  private shop(domain: string): ShopState {
    const s = this.shops.get(domain);
    if (!s) throw new Error(`FakeShopify: unknown shop ${domain} (call addShop first)`);
    return s;
  }

  /** Issue a (non-expiring unless ttlSeconds) offline access token, as an install would. */
  issueAccessToken(domain: string, opts: { ttlSeconds?: number } = {}): string {
    const token = `shpat_${hex(16)}`;
    this.shop(domain).tokens.set(token, {
      kind: "offline",
      expiresAt: opts.ttlSeconds ? this.nowMs() + opts.ttlSeconds * 1000 : null,
    });
    this.save();
    return token;
  }

  /** Uninstall: every token of the shop stops working. */
  revokeTokens(domain: string): void {
    const s = this.shop(domain);
    s.tokens.clear();
    s.refreshTokens.clear();
    this.save();
  }

  isValidToken(domain: string, token: string | null): boolean {
    const info = token ? this.shops.get(domain)?.tokens.get(token) : undefined;
    return !!info && (info.expiresAt === null || info.expiresAt > this.nowMs());
  }

  /** A session token (App Bridge ID token) for this app and shop, signed with the app secret. */
  sessionToken(domain: string, opts: { userId?: string | number; ttlSeconds?: number } = {}): string {
    return signSessionToken({ shop: domain, apiKey: this.apiKey, apiSecret: this.apiSecret, now: this.clock.now(), ...opts });
  }

  // ---------------------------------------------------------------- counters, bucket, failures

  apiCalls(domain: string): number {
    return this.shops.get(domain)?.apiCalls ?? 0;
  }
  fulfillmentCalls(domain: string): FulfillmentCall[] {
    return structuredClone(this.shops.get(domain)?.fulfillmentCalls ?? []);
  }
  resetCounters(): void {
    for (const s of this.shops.values()) {
      s.apiCalls = 0;
      s.fulfillmentCalls = [];
    }
  }

  private level(b: Bucket): number {
    const now = this.nowMs();
    b.available = Math.min(b.maximumAvailable, b.available + ((now - b.at) * b.restoreRate) / 1000);
    b.at = now;
    return b.available;
  }

  throttleStatus(domain: string): ThrottleStatus {
    const b = this.shop(domain).bucket;
    return { maximumAvailable: b.maximumAvailable, currentlyAvailable: Math.floor(this.level(b)), restoreRate: b.restoreRate };
  }

  /** Change the leaky bucket, e.g. `{ currentlyAvailable: 0 }` to force the next query to be throttled. */
  setBucket(domain: string, patch: Partial<BucketConfig> & { currentlyAvailable?: number }): void {
    const b = this.shop(domain).bucket;
    this.level(b);
    if (patch.maximumAvailable !== undefined) b.maximumAvailable = patch.maximumAvailable;
    if (patch.restoreRate !== undefined) b.restoreRate = patch.restoreRate;
    b.available = Math.min(b.maximumAvailable, patch.currentlyAvailable ?? b.available);
  }

  /** The next GraphQL request(s) to this shop answer with this status/body instead (e.g. 429, 503). */
  failNext(domain: string, failure: Failure, times = 1): void {
    for (let i = 0; i < times; i++) this.shop(domain).failures.push(failure);
  }

  // ---------------------------------------------------------------- orders

  getOrder(domain: string, id: number | string): FakeOrder | undefined {
    const o = this.shop(domain).orders.get(Number(id));
    return o ? structuredClone(o) : undefined;
  }

  listOrders(domain: string): FakeOrder[] {
    return [...this.shop(domain).orders.values()].map((o) => structuredClone(o));
  }

  /** Create an order, or change an existing one (`id` given): Shopify moves updatedAt on every change. */
  upsertOrder(domain: string, input: OrderInput): FakeOrder {
    const s = this.shop(domain);
    const existing = input.id !== undefined ? s.orders.get(input.id) : undefined;
    const o = existing ?? this.newOrder(s, input);
    if (existing) this.applyPatch(s, existing, input);
    this.save();
    return structuredClone(o);
  }

  /** Convenience: cancel an order (Shopify closes its fulfillment orders). */
  cancelOrder(domain: string, id: number, opts: { refund?: boolean } = {}): FakeOrder {
    return this.upsertOrder(domain, {
      id,
      cancelledAt: this.clock.now(),
      closed: true,
      ...(opts.refund ? { financialStatus: "REFUNDED" as const } : {}),
    });
  }

  private bumpedUpdatedAt(prev: string | null): string {
    const now = Math.floor(this.nowMs() / 1000) * 1000;
    const min = prev ? Date.parse(prev) + 1000 : now;
    return isoSeconds(Math.max(now, min));
  }

  private buildLines(seeds: LineSeed[]): FakeLineItem[] {
    return seeds.map((l) => ({
      id: this.newId(),
      sku: l.sku ?? null,
      title: l.title,
      variantTitle: l.variantTitle ?? null,
      quantity: l.quantity,
      grams: l.grams,
      requiresShipping: l.requiresShipping ?? true,
      price: l.price ?? "10.00",
      variantId: this.newId(),
      inventoryItemId: this.newId(),
    }));
  }

  private buildFulfillmentOrders(s: ShopState, lines: FakeLineItem[], seeds?: FulfillmentOrderSeed[]): FakeFulfillmentOrder[] {
    const shippable = lines.map((l, i) => (l.requiresShipping ? i : -1)).filter((i) => i >= 0);
    const digital = lines.map((l, i) => (l.requiresShipping ? -1 : i)).filter((i) => i >= 0);
    const plan: FulfillmentOrderSeed[] = seeds ?? [
      ...(shippable.length ? [{ lineIndexes: shippable }] : []),
      ...(digital.length ? [{ lineIndexes: digital, methodType: "NONE" as const }] : []),
    ];
    const locationId = (name: string) => {
      if (name === s.location.name) return s.location.id;
      let id = s.otherLocations.get(name);
      if (id === undefined) s.otherLocations.set(name, (id = this.newId()));
      return id;
    };
    return plan.map((p) => ({
      id: this.newId(),
      status: p.status ?? "OPEN",
      requestStatus: "UNSUBMITTED",
      locationId: locationId(p.locationName ?? s.location.name),
      locationName: p.locationName ?? s.location.name,
      methodType: p.methodType ?? "SHIPPING",
      lineItems: (p.lineIndexes ?? shippable)
        .map((i) => lines[i])
        .filter((l): l is FakeLineItem => !!l)
        .map((l) => ({ id: this.newId(), lineItemId: l.id, totalQuantity: l.quantity, remainingQuantity: l.quantity })),
    }));
  }

  private newOrder(s: ShopState, input: OrderInput): FakeOrder {
    const createdAt = isoSeconds(input.createdAt ?? this.clock.now());
    const lineItems = this.buildLines(
      input.lineItems ?? [{ sku: "KOF-ESP-1000", title: "Koffiebonen Espresso", variantTitle: "1 kg", quantity: 1, grams: 1000, price: "24.95" }],
    );
    const total = lineItems.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0);
    const orderNumber = input.orderNumber ?? s.nextOrderNumber++;
    const addr = input.shippingAddress;
    const o: FakeOrder = {
      id: input.id ?? this.newId(),
      orderNumber,
      name: `#${orderNumber}`,
      email: input.email ?? null,
      createdAt,
      updatedAt: isoSeconds(input.updatedAt ?? createdAt),
      cancelledAt: input.cancelledAt ? isoSeconds(input.cancelledAt) : null,
      closed: input.closed ?? false,
      test: input.test ?? false,
      financialStatus: input.financialStatus ?? "PAID",
      fulfillmentStatus: "UNFULFILLED",
      currency: input.currency ?? s.currency,
      totalPrice: input.totalPrice ?? total.toFixed(2),
      tags: input.tags ?? [],
      shippingMethod: input.shippingMethod ?? null,
      customer: input.customer ? { id: this.newId(), email: input.email ?? null, ...input.customer } : null,
      shippingAddress: addr ? completeAddress(addr) : null,
      billingAddress: input.billingAddress !== undefined ? (input.billingAddress ? completeAddress(input.billingAddress) : null) : addr ? completeAddress(addr) : null,
      lineItems,
      fulfillmentOrders: this.buildFulfillmentOrders(s, lineItems, input.fulfillmentOrders),
      fulfillments: [],
    };
    s.orders.set(o.id, o);
    if (o.cancelledAt) closeFulfillmentOrders(o);
    if (input.fulfillmentStatus === "FULFILLED") this.fulfilElsewhere(o, o.updatedAt);
    else if (input.fulfillmentStatus) o.fulfillmentStatus = input.fulfillmentStatus;
    return o;
  }

  private applyPatch(s: ShopState, o: FakeOrder, input: OrderInput) {
    if (input.email !== undefined) o.email = input.email;
    if (input.createdAt !== undefined) o.createdAt = isoSeconds(input.createdAt);
    if (input.closed !== undefined) o.closed = input.closed;
    if (input.test !== undefined) o.test = input.test;
    if (input.tags !== undefined) o.tags = input.tags;
    if (input.shippingMethod !== undefined) o.shippingMethod = input.shippingMethod;
    if (input.financialStatus !== undefined) o.financialStatus = input.financialStatus;
    if (input.currency !== undefined) o.currency = input.currency;
    if (input.totalPrice !== undefined) o.totalPrice = input.totalPrice;
    if (input.customer !== undefined)
      o.customer = input.customer ? { id: o.customer?.id ?? this.newId(), email: o.email, ...input.customer } : null;
    if (input.shippingAddress !== undefined)
      o.shippingAddress = input.shippingAddress ? completeAddress({ ...(o.shippingAddress ?? {}), ...input.shippingAddress }) : null;
    if (input.billingAddress !== undefined)
      o.billingAddress = input.billingAddress ? completeAddress({ ...(o.billingAddress ?? {}), ...input.billingAddress }) : null;
    if (input.lineItems !== undefined) {
      o.lineItems = this.buildLines(input.lineItems);
      o.fulfillmentOrders = this.buildFulfillmentOrders(s, o.lineItems, input.fulfillmentOrders);
    } else if (input.fulfillmentOrders !== undefined) {
      o.fulfillmentOrders = this.buildFulfillmentOrders(s, o.lineItems, input.fulfillmentOrders);
    }
    o.updatedAt = input.updatedAt !== undefined ? isoSeconds(input.updatedAt) : this.bumpedUpdatedAt(o.updatedAt);
    if (input.cancelledAt !== undefined) {
      o.cancelledAt = input.cancelledAt ? isoSeconds(input.cancelledAt) : null;
      if (o.cancelledAt) closeFulfillmentOrders(o);
    }
    if (input.fulfillmentStatus === "FULFILLED" && o.fulfillmentStatus !== "FULFILLED") this.fulfilElsewhere(o, o.updatedAt);
    else if (input.fulfillmentStatus) o.fulfillmentStatus = input.fulfillmentStatus;
  }

  /** Fulfilled outside Koppel (admin, another app): all open fulfillment orders close, no tracking. */
  private fulfilElsewhere(o: FakeOrder, at: string) {
    const fos = o.fulfillmentOrders.filter((f) => f.status === "OPEN" || f.status === "IN_PROGRESS");
    for (const fo of fos) {
      fo.status = "CLOSED";
      for (const li of fo.lineItems) li.remainingQuantity = 0;
    }
    o.fulfillments.push({ id: this.newId(), status: "SUCCESS", createdAt: at, trackingInfo: [], fulfillmentOrderIds: fos.map((f) => f.id) });
    o.fulfillmentStatus = "FULFILLED";
  }

  // ---------------------------------------------------------------- HTTP entry points

  /** POST https://{shop}/admin/api/{version}/graphql.json */
  async handleGraphqlRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const m = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    const s = this.shops.get(url.hostname);
    if (!m || !s) return json({ errors: "Not Found" }, { status: 404 });
    s.apiCalls++;
    if (!this.apiVersions.includes(m[1]!)) return json({ errors: "Not Found" }, { status: 404 });
    const failure = s.failures.shift();
    if (failure) return json(failure.body ?? { errors: "Failure injected by FakeShopify" }, { status: failure.status, headers: failure.headers });
    if (!this.isValidToken(s.domain, request.headers.get("X-Shopify-Access-Token")))
      return json(INVALID_TOKEN_BODY, { status: 401 });
    let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      const ct = request.headers.get("Content-Type") ?? "";
      const text = await request.text();
      payload = ct.includes("application/graphql") ? { query: text } : (JSON.parse(text) as typeof payload);
    } catch {
      return json({ errors: { query: "Required parameter missing or invalid" } }, { status: 400 });
    }
    if (typeof payload.query !== "string" || !payload.query.trim())
      return json({ errors: { query: "Required parameter missing or invalid" } }, { status: 400 });
    const body = await this.executeGraphql(
      s.domain,
      payload.query,
      (payload.variables ?? {}) as Record<string, unknown>,
      typeof payload.operationName === "string" ? payload.operationName : undefined,
    );
    // Only mutations change what the state file holds.
    if (/^\s*mutation\b/.test(payload.query)) this.save();
    return json(body);
  }

  /** Run a GraphQL document against a shop as Shopify would (cost, throttle, validation). No token check. */
  async executeGraphql(domain: string, query: string, variables: Record<string, unknown> = {}, operationName?: string): Promise<GraphqlBody> {
    const s = this.shop(domain);
    let doc: DocumentNode;
    try {
      doc = parse(query);
    } catch (e) {
      const err = e as GraphQLError;
      return { errors: [{ message: err.message, locations: err.locations }] };
    }
    const validation = validate(adminSchema, doc);
    if (validation.length) return { errors: validation.map(shopifyValidationError) };
    const op = getOperationAST(doc, operationName);
    if (!op) return { errors: [{ message: "An operation name is required", extensions: { code: "BAD_REQUEST" } }] };
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;

    // "Input arguments that accept an array have a maximum size of 250" (https://shopify.dev/docs/api/usage/limits),
    // checked before the query is charged. The wording of the error is unconfirmed.
    const oversized = largestInputArray(op, variables);
    if (oversized > MAX_INPUT_ARRAY)
      return {
        errors: [
          {
            message: `The input array size of ${oversized} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`,
            extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
          },
        ],
      };
    const requested = requestedQueryCost(adminSchema, op, fragments, variables);
    const b = s.bucket;
    const cost = (actual: number | null) => ({
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: { maximumAvailable: b.maximumAvailable, currentlyAvailable: Math.floor(b.available), restoreRate: b.restoreRate },
      },
    });
    this.level(b);
    if (requested > MAX_SINGLE_QUERY_COST) {
      return {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_SINGLE_QUERY_COST },
          },
        ],
        extensions: cost(null),
      };
    }
    if (requested > b.available) {
      return {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: cost(null),
      };
    }
    b.available -= requested;
    const result = await execute({
      schema: adminSchema,
      document: doc,
      rootValue: this.rootValue(s),
      variableValues: variables,
      operationName,
    });
    const actual = result.data ? Math.min(requested, actualQueryCost(adminSchema, op, fragments, variables, result.data)) : 0;
    b.available = Math.min(b.maximumAvailable, b.available + (requested - actual));
    const out: GraphqlBody = {};
    if (result.errors?.length) out.errors = result.errors.map((e) => e.toJSON());
    if (result.data !== undefined) out.data = result.data;
    out.extensions = cost(actual);
    return out;
  }

  /** POST https://{shop}/admin/oauth/access_token (token exchange, refresh, migration to expiring tokens). */
  async handleAccessTokenRequest(request: Request): Promise<Response> {
    const response = await this.accessTokenRequest(request);
    this.save();
    return response;
  }

  private async accessTokenRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const domain = url.hostname;
    const text = await request.text();
    let p: Record<string, string>;
    try {
      const ct = request.headers.get("Content-Type") ?? "";
      p = ct.includes("application/json")
        ? Object.fromEntries(Object.entries(JSON.parse(text) as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
        : Object.fromEntries(new URLSearchParams(text));
    } catch {
      return json({ error: "invalid_request", error_description: "The request body could not be parsed." }, { status: 400 });
    }
    if (p.client_id !== this.apiKey || p.client_secret !== this.apiSecret)
      return json(
        {
          error: "invalid_client",
          error_description:
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        },
        { status: 400 },
      );
    const invalidSubject = (why: string) =>
      json({ error: "invalid_subject_token", error_description: `The subject token is invalid: ${why}.` }, { status: 400 });

    if (p.grant_type === "refresh_token") {
      const s = this.shops.get(domain);
      const exp = p.refresh_token ? s?.refreshTokens.get(p.refresh_token) : undefined;
      if (!s || exp === undefined || exp <= this.nowMs())
        return json({ error: "invalid_grant", error_description: "The refresh token is invalid or expired." }, { status: 400 });
      s.refreshTokens.delete(p.refresh_token!);
      return json(this.issueExpiringOffline(s));
    }
    if (p.grant_type !== TOKEN_EXCHANGE_GRANT)
      return json({ error: "unsupported_grant_type", error_description: "The grant type is not supported." }, { status: 400 });

    if (p.subject_token_type === OFFLINE_TOKEN_TYPE) {
      // migrateToExpiringToken: a non-expiring offline token becomes an expiring one; the old token is revoked.
      const s = this.shops.get(domain);
      const info = p.subject_token ? s?.tokens.get(p.subject_token) : undefined;
      if (!s || !info || info.kind !== "offline" || info.expiresAt !== null) return invalidSubject("unknown offline access token");
      s.tokens.delete(p.subject_token!);
      return json(this.issueExpiringOffline(s));
    }
    if (p.subject_token_type !== ID_TOKEN_TYPE) return invalidSubject("unsupported subject token type");
    const verified = verifySessionToken(p.subject_token ?? "", {
      apiKey: this.apiKey,
      apiSecret: this.apiSecret,
      shop: domain,
      now: this.clock.now(),
    });
    if (!verified.ok) return invalidSubject(verified.reason);
    if (!this.shops.has(domain)) this.addShop(domain); // Shopify-managed install: the shop exists once it installed the app
    const s = this.shop(domain);
    if (p.requested_token_type === ONLINE_TOKEN_TYPE) {
      const token = `shpua_${hex(16)}`;
      const userId = verified.claims.sub;
      s.tokens.set(token, { kind: "online", expiresAt: this.nowMs() + 86399_000, userId });
      return json({
        access_token: token,
        scope: s.scope,
        expires_in: 86399,
        associated_user_scope: s.scope,
        associated_user: {
          id: Number(userId),
          first_name: "Demi",
          last_name: "Bakker",
          email: "demi@example.nl",
          account_owner: true,
          locale: "nl",
          collaborator: false,
          email_verified: true,
        },
      });
    }
    if (p.requested_token_type !== OFFLINE_TOKEN_TYPE)
      return json({ error: "invalid_request", error_description: "Unsupported requested_token_type." }, { status: 400 });
    if (p.expiring === "1" || p.expiring === "true") return json(this.issueExpiringOffline(s));
    const existing = [...s.tokens.entries()].find(([, i]) => i.kind === "offline" && i.expiresAt === null)?.[0];
    const token = existing ?? `shpat_${hex(16)}`;
    s.tokens.set(token, { kind: "offline", expiresAt: null });
    return json({ access_token: token, scope: s.scope });
  }

  private issueExpiringOffline(s: ShopState) {
    const token = `shpat_${hex(16)}`;
    const refresh = `shprt_${hex(16)}`;
    s.tokens.set(token, { kind: "offline", expiresAt: this.nowMs() + 3600_000 });
    s.refreshTokens.set(refresh, this.nowMs() + 7_776_000_000);
    return { access_token: token, scope: s.scope, expires_in: 3600, refresh_token: refresh, refresh_token_expires_in: 7_776_000 };
  }

  // ---------------------------------------------------------------- resolvers

  private rootValue(s: ShopState) {
    const findFo = (id: number) => {
      for (const o of s.orders.values()) {
        const fo = o.fulfillmentOrders.find((f) => f.id === id);
        if (fo) return { order: o, fo };
      }
      return undefined;
    };
    const nodeById = (id: string): unknown => {
      const m = /^gid:\/\/shopify\/(\w+)\/(\d+)(?:\?.*)?$/.exec(id);
      // Shopify's wording for a malformed id (unconfirmed): "Invalid global id '…'".
      if (!m) throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
      const n = Number(m[2]);
      switch (m[1]) {
        case "Order": {
          const o = s.orders.get(n);
          return o ? orderView(o, s) : null;
        }
        case "FulfillmentOrder": {
          const found = findFo(n);
          return found ? fulfillmentOrderView(found.fo, found.order) : null;
        }
        case "Fulfillment": {
          for (const o of s.orders.values()) {
            const f = o.fulfillments.find((x) => x.id === n);
            if (f) return fulfillmentView(f, o, s);
          }
          return null;
        }
        default:
          return null;
      }
    };
    return {
      shop: () => ({ __typename: "Shop", id: gid("Shop", 1), name: s.name, myshopifyDomain: s.domain, currencyCode: s.currency }),
      orders: (args: ConnArgs & { sortKey?: string; query?: string | null }) => {
        const q = parseSearch(args.query);
        const list = [...s.orders.values()].filter((o) => matchesSearch(o, q));
        const sortValue = (o: FakeOrder): string | number => {
          switch (args.sortKey) {
            case "UPDATED_AT":
              return o.updatedAt;
            case "CREATED_AT":
            case "PROCESSED_AT":
              return o.createdAt;
            case "ORDER_NUMBER":
              return o.orderNumber;
            case "TOTAL_PRICE":
              return Number(o.totalPrice);
            case "FINANCIAL_STATUS":
              return o.financialStatus;
            case "FULFILLMENT_STATUS":
              return o.fulfillmentStatus;
            case "CUSTOMER_NAME":
              return `${o.customer?.firstName ?? ""} ${o.customer?.lastName ?? ""}`;
            default:
              return o.id;
          }
        };
        return paginate(list, args, (o) => [sortValue(o), o.id], (o) => orderView(o, s));
      },
      order: ({ id }: { id: string }) => {
        const n = parseGid(id, "Order");
        const o = n !== null ? s.orders.get(n) : undefined;
        return o ? orderView(o, s) : null;
      },
      fulfillmentOrder: ({ id }: { id: string }) => {
        const n = parseGid(id, "FulfillmentOrder");
        const found = n !== null ? findFo(n) : undefined;
        return found ? fulfillmentOrderView(found.fo, found.order) : null;
      },
      node: ({ id }: { id: string }) => nodeById(id),
      // Each id in its place; an id of the right form that names nothing (or a type the fake does not hold) is null.
      nodes: ({ ids }: { ids: string[] }) => ids.map(nodeById),
      fulfillmentCreate: (args: { fulfillment: FulfillmentCall["input"]; message?: string | null }) => {
        const input = args.fulfillment;
        const userErrors: FulfillmentCall["userErrors"] = [];
        const targets: { fo: FakeFulfillmentOrder; order: FakeOrder; lines: { id: number; quantity: number }[] }[] = [];
        input.lineItemsByFulfillmentOrder.forEach((g, i) => {
          const field = ["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderId"];
          const n = parseGid(g.fulfillmentOrderId, "FulfillmentOrder");
          const found = n !== null ? findFo(n) : undefined;
          if (!found) return userErrors.push({ field, message: "Fulfillment order does not exist." });
          const { fo, order } = found;
          if (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS")
            return userErrors.push({ field, message: `Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.` });
          let lines: { id: number; quantity: number }[];
          if (g.fulfillmentOrderLineItems?.length) {
            lines = [];
            for (const li of g.fulfillmentOrderLineItems) {
              const liId = parseGid(li.id, "FulfillmentOrderLineItem");
              const own = fo.lineItems.find((x) => x.id === liId);
              if (!own || li.quantity <= 0 || li.quantity > own.remainingQuantity) {
                userErrors.push({
                  field: ["fulfillment", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderLineItems"],
                  message: "Invalid fulfillment order line item quantity requested.",
                });
                return;
              }
              lines.push({ id: own.id, quantity: li.quantity });
            }
          } else {
            lines = fo.lineItems.filter((x) => x.remainingQuantity > 0).map((x) => ({ id: x.id, quantity: x.remainingQuantity }));
          }
          targets.push({ fo, order, lines });
        });
        if (!userErrors.length && input.lineItemsByFulfillmentOrder.length === 0)
          userErrors.push({ field: ["fulfillment", "lineItemsByFulfillmentOrder"], message: "Line items by fulfillment order can't be blank." });
        if (!userErrors.length && new Set(targets.map((t) => t.order.id)).size > 1)
          userErrors.push({ field: ["fulfillment"], message: "All fulfillment orders must belong to the same order." });
        if (!userErrors.length && new Set(targets.map((t) => t.fo.locationName)).size > 1)
          userErrors.push({ field: ["fulfillment"], message: "All fulfillment orders must be assigned to the same location." });

        const call: FulfillmentCall = {
          at: isoSeconds(this.clock.now()),
          shop: s.domain,
          input: structuredClone(input),
          message: args.message ?? null,
          fulfillmentId: null,
          userErrors,
        };
        s.fulfillmentCalls.push(call);
        if (userErrors.length) return { fulfillment: null, userErrors };

        const order = targets[0]!.order;
        for (const t of targets) {
          for (const l of t.lines) t.fo.lineItems.find((x) => x.id === l.id)!.remainingQuantity -= l.quantity;
          t.fo.status = t.fo.lineItems.every((x) => x.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
        }
        order.updatedAt = this.bumpedUpdatedAt(order.updatedAt);
        const tracking = input.trackingInfo;
        const f: FakeFulfillment = {
          id: this.newId(),
          status: "SUCCESS",
          createdAt: order.updatedAt,
          trackingInfo:
            tracking && (tracking.number || tracking.company || tracking.url)
              ? [{ company: tracking.company ?? null, number: tracking.number ?? null, url: tracking.url ?? null }]
              : [],
          fulfillmentOrderIds: targets.map((t) => t.fo.id),
        };
        order.fulfillments.push(f);
        const shippingFos = order.fulfillmentOrders.filter((x) => x.status !== "CANCELLED");
        order.fulfillmentStatus = shippingFos.every((x) => x.lineItems.every((li) => li.remainingQuantity === 0))
          ? "FULFILLED"
          : "PARTIALLY_FULFILLED";
        call.fulfillmentId = gid("Fulfillment", f.id);
        return { fulfillment: fulfillmentView(f, order, s), userErrors: [] };
      },
    };
  }
}

function completeAddress(a: Partial<FakeAddress>): FakeAddress {
  const firstName = a.firstName ?? null;
  const lastName = a.lastName ?? null;
  return {
    firstName,
    lastName,
    name: a.name ?? [firstName, lastName].filter(Boolean).join(" "),
    company: a.company ?? null,
    address1: a.address1 ?? "",
    address2: a.address2 ?? null,
    city: a.city ?? "",
    zip: a.zip ?? "",
    province: a.province ?? null,
    provinceCode: a.provinceCode ?? null,
    country: a.country ?? "Netherlands",
    countryCode: a.countryCode ?? "NL",
    phone: a.phone ?? null,
  };
}

function closeFulfillmentOrders(o: FakeOrder) {
  for (const fo of o.fulfillmentOrders) if (fo.status !== "CLOSED") fo.status = "CLOSED";
}

function lineItemView(l: FakeLineItem) {
  return {
    id: gid("LineItem", l.id),
    sku: l.sku,
    name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
    title: l.title,
    variantTitle: l.variantTitle,
    quantity: l.quantity,
    currentQuantity: l.quantity,
    requiresShipping: l.requiresShipping,
    variant: {
      id: gid("ProductVariant", l.variantId),
      sku: l.sku,
      title: l.variantTitle ?? "Default Title",
      inventoryItem: {
        id: gid("InventoryItem", l.inventoryItemId),
        // Dutch shops weigh in kilograms; the adapter must convert.
        measurement: { id: gid("InventoryItemMeasurement", l.inventoryItemId), weight: { unit: "KILOGRAMS", value: l.grams / 1000 } },
      },
    },
  };
}

function fulfillmentOrderView(fo: FakeFulfillmentOrder, o: FakeOrder) {
  return {
    __typename: "FulfillmentOrder",
    id: gid("FulfillmentOrder", fo.id),
    orderId: gid("Order", o.id),
    status: fo.status,
    requestStatus: fo.requestStatus,
    assignedLocation: {
      name: fo.locationName,
      address1: "Industrieweg 12",
      city: "Amsterdam",
      zip: "1041 AB",
      countryCode: "NL",
      location: { id: gid("Location", fo.locationId), name: fo.locationName },
    },
    deliveryMethod: { id: gid("DeliveryMethod", fo.id), methodType: fo.methodType },
    lineItems: (args: ConnArgs) =>
      paginate(
        fo.lineItems,
        args,
        (li) => [li.id],
        (li) => {
          const line = o.lineItems.find((l) => l.id === li.lineItemId)!;
          return {
            id: gid("FulfillmentOrderLineItem", li.id),
            sku: line.sku,
            remainingQuantity: li.remainingQuantity,
            totalQuantity: li.totalQuantity,
            lineItem: lineItemView(line),
          };
        },
      ),
  };
}

function fulfillmentView(f: FakeFulfillment, o: FakeOrder, s: ShopState) {
  return {
    __typename: "Fulfillment",
    id: gid("Fulfillment", f.id),
    status: f.status,
    createdAt: f.createdAt,
    trackingInfo: (args: { first?: number | null }) => (args.first != null ? f.trackingInfo.slice(0, args.first) : f.trackingInfo),
    order: () => orderView(o, s),
  };
}

function orderView(o: FakeOrder, s: ShopState) {
  const customer = o.customer;
  const a = o.shippingAddress;
  return {
    __typename: "Order",
    id: gid("Order", o.id),
    legacyResourceId: String(o.id),
    name: o.name,
    email: o.email,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    processedAt: o.createdAt,
    cancelledAt: o.cancelledAt,
    closed: o.closed,
    test: o.test,
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: o.fulfillmentStatus,
    currencyCode: o.currency,
    customer: customer && {
      id: gid("Customer", customer.id),
      firstName: customer.firstName,
      lastName: customer.lastName,
      displayName: [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "",
      email: customer.email,
    },
    shippingAddress: a && { ...a, countryCodeV2: a.countryCode },
    billingAddress: o.billingAddress && { ...o.billingAddress, countryCodeV2: o.billingAddress.countryCode },
    currentTotalPriceSet: money(o.totalPrice, o.currency),
    totalPriceSet: money(o.totalPrice, o.currency),
    totalWeight: String(o.lineItems.reduce((sum, l) => sum + (l.requiresShipping ? l.grams * l.quantity : 0), 0)),
    requiresShipping: o.lineItems.some((l) => l.requiresShipping),
    tags: o.tags,
    shippingLine: o.shippingMethod === null ? null : { title: o.shippingMethod },
    lineItems: (args: ConnArgs) => paginate(o.lineItems, args, (l) => [l.id], lineItemView),
    fulfillmentOrders: (args: ConnArgs) => paginate(o.fulfillmentOrders, args, (f) => [f.id], (f) => fulfillmentOrderView(f, o)),
    fulfillments: (args: { first?: number | null }) =>
      (args.first != null ? o.fulfillments.slice(0, args.first) : o.fulfillments).map((f) => fulfillmentView(f, o, s)),
  };
}
