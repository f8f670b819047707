// Shopify implementation of the ShopPlatform port, over the Admin GraphQL API.
// Rate limits: cost-based leaky bucket (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits);
// a throttled answer is waited out using extensions.cost.throttleStatus, never surfaced as a failure.
import { z } from "zod";
import type { InvalidPlatformOrder, MarkShippedResult, PlatformCapabilities, PlatformOrder, Result, ShopAccess, ShopPlatform, SyncPage } from "../../core/ports";
import { cleanText } from "../../core/text";
import type { ShopifyGraphqlTransport } from "./graphql-transport.server";
import { shopifyTrackingCompany } from "./tracking-company";
import { classifyShopifyDelivery, ScopesPayload, shopifyDeliveryMentions } from "./deliveries";
import type { ShopifySessionHousekeeping } from "./sessions.server";
import { FULFILLABLE_STATUSES, isOurs, WAITING_STATUSES } from "./fulfillment-order-kinds";
import { afterFulfilment, fulfillmentOrderToFulfil, type KnownFulfillmentOrders } from "./known-fulfillment-orders";
import {
  FulfillmentCreateSchema,
  FulfillmentOrderHeadsSchema,
  FulfillmentOrdersSchema,
  OrderFulfillmentOrdersPageSchema,
  GqlLineItemSchema,
  GqlOrderNodeSchema,
  GraphqlEnvelopeSchema,
  OrdersPageSchema,
  formatZodIssues,
  gidDigits,
  mapGraphqlOrder,
  parseOrderWebhookPayload,
  type GqlLineItem,
  type ThrottleStatus,
} from "./order-schema";

export type { ShopifyGraphqlTransport } from "./graphql-transport.server";

export const ORDERS_PAGE_SIZE = 40;

const OrderLineItemsSchema = z.object({
  order: z
    .object({
      lineItems: z.object({
        nodes: z.array(z.unknown()),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      }),
    })
    .nullable(),
});
export const LINE_ITEMS_PAGE_SIZE = 10;

/**
 * Fulfillment orders read with an order: whether someone must deliver it (a local pick-up is not Koppel's job), and
 * their ids for the write-back (known-fulfillment-orders.ts; ids are scalars, free). Two cover a pick-up order, also
 * with a digital part; with more, the order counts as shippable (see deliversNothing) and the write-back reads them.
 */
export const ORDER_FULFILLMENT_ORDERS = 2;

const ORDER_FIELDS = /* GraphQL */ `
  id legacyResourceId name email createdAt updatedAt cancelledAt test
  displayFinancialStatus displayFulfillmentStatus totalWeight tags
  customer { id firstName lastName }
  shippingAddress { name firstName lastName company address1 address2 city zip province provinceCode countryCodeV2 phone }
  billingAddress { name firstName lastName company address1 address2 city zip province provinceCode countryCodeV2 phone }
  currentTotalPriceSet { shopMoney { amount currencyCode } }
  fulfillmentOrders(first: ${ORDER_FULFILLMENT_ORDERS}) { nodes { id status deliveryMethod { methodType } } pageInfo { hasNextPage } }
`;

/**
 * Requested cost on Shopify: 2 + 40 × (1 order + 1 customer + 2 addresses + 2 money + (2 + 10 line items) + (2 + 2 × 2
 * fulfillment orders with their delivery method)) = 2 + 40 × 24 = 962 < 1000 (the single-query limit).
 */
export const ORDERS_QUERY = /* GraphQL */ `
query KoppelOrdersUpdatedSince($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    nodes {
      ${ORDER_FIELDS}
      lineItems(first: ${LINE_ITEMS_PAGE_SIZE}) {
        nodes { id sku name quantity requiresShipping }
        pageInfo { hasNextPage endCursor }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** One order by id (fetchOrder): the sync's fields. */
export const ORDER_QUERY = /* GraphQL */ `
query KoppelOrder($id: ID!) {
  order(id: $id) {
    ${ORDER_FIELDS}
    lineItems(first: ${LINE_ITEMS_PAGE_SIZE}) {
      nodes { id sku name quantity requiresShipping }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** For the rare order with more than 10 lines. Weights are affordable here (one order). */
export const ORDER_LINE_ITEMS_QUERY = /* GraphQL */ `
query KoppelOrderLineItems($id: ID!, $after: String) {
  order(id: $id) {
    lineItems(first: 100, after: $after) {
      nodes { id sku name quantity requiresShipping variant { inventoryItem { measurement { weight { unit value } } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

export const FULFILLMENT_ORDERS_QUERY = /* GraphQL */ `
query KoppelFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    fulfillmentOrders(first: 10) {
      nodes {
        id status requestStatus
        assignedLocation { name location { id } }
        deliveryMethod { methodType }
        lineItems(first: 25) { nodes { id remainingQuantity totalQuantity lineItem { id sku name requiresShipping } } }
      }
    }
  }
}`;

/** Fulfillment orders per order in markShipped's batched read; more are read page by page for that order. */
export const FO_HEADS_PER_ORDER = 5;
/**
 * Orders per batched read. Requested cost per order on Shopify: 1 order + (2 + 5 × (1 fulfillment order + 1 delivery
 * method)) = 13, so 50 orders ask for 650 points, under the single-query limit (1000) and the 250-id input limit.
 */
export const FO_BATCH_MAX = 50;

/**
 * markShipped's read, for many orders at once (concurrent write-backs of one shop share it): per order the state and
 * delivery method of its fulfillment orders. What one fulfillmentCreate needs when the order has one open one to ship;
 * with more (they must be grouped by location) or more than 5, ORDER_FULFILLMENT_ORDERS_QUERY reads that order whole.
 */
export const FULFILLMENT_ORDERS_BATCH_QUERY = /* GraphQL */ `
query KoppelFulfillmentOrdersOfOrders($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Order {
      id
      fulfillmentOrders(first: ${FO_HEADS_PER_ORDER}) {
        nodes { id status deliveryMethod { methodType } }
        pageInfo { hasNextPage }
      }
    }
  }
}`;

/** Every fulfillment order of one order with its location, page by page (requested cost 1 + 2 + 25 × 4 = 103). */
export const ORDER_FULFILLMENT_ORDERS_QUERY = /* GraphQL */ `
query KoppelOrderFulfillmentOrders($id: ID!, $after: String) {
  order(id: $id) {
    fulfillmentOrders(first: 25, after: $after) {
      nodes { id status assignedLocation { name location { id } } deliveryMethod { methodType } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/**
 * The order's fulfillment status after the mutation tells markShipped whether anything is left to fulfil when it
 * fulfilled a fulfillment order it knew from the sync without reading the order's others (known-fulfillment-orders.ts).
 * Shopify prices a mutation at 10 points; whether the objects of its answer add to that (the order: at most 1) is
 * unconfirmed. The fake charges 10.
 */
export const FULFILLMENT_CREATE_MUTATION = /* GraphQL */ `
mutation KoppelFulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo { company number url } order { displayFulfillmentStatus } }
    userErrors { field message }
  }
}`;

/** Shopify's GraphQL answered with errors (other than throttling). */
export class ShopifyGraphqlError extends Error {
  constructor(
    message: string,
    readonly errors: unknown,
    readonly status: number,
  ) {
    super(message);
    this.name = "ShopifyGraphqlError";
  }
}

/** HTTP 401: the stored access token is no longer valid (uninstalled, or rotated). */
export class ShopifyUnauthorizedError extends Error {
  constructor(readonly shopDomain: string) {
    super(`Shopify rejected the access token for ${shopDomain} (401)`);
    this.name = "ShopifyUnauthorizedError";
  }
}

export type ShopifyFulfillmentOrder = {
  /** GID, gid://shopify/FulfillmentOrder/… */
  id: string;
  /** OPEN, IN_PROGRESS, ON_HOLD, SCHEDULED, INCOMPLETE, CLOSED, CANCELLED */
  status: string;
  requestStatus: string;
  locationName: string;
  locationId: string | null;
  /** SHIPPING, PICKUP_POINT, PICK_UP, LOCAL, RETAIL, NONE (null when unknown) */
  methodType: string | null;
  lineItems: {
    id: string;
    lineItemId: string;
    sku: string | null;
    name: string;
    requiresShipping: boolean;
    remainingQuantity: number;
    totalQuantity: number;
  }[];
};

export type CreateFulfillmentInput = {
  fulfillmentOrderIds: string[];
  tracking: { company: string | null; number: string | null; url: string | null };
  notifyCustomer: boolean;
};

export type CreateFulfillmentResult =
  | {
      ok: true;
      fulfillmentId: string;
      status: string;
      trackingInfo: { company?: string | null; number?: string | null; url?: string | null }[];
      /** The order's displayFulfillmentStatus after the mutation (FULFILLED: nothing left), null when not told. */
      orderFulfillmentStatus: string | null;
    }
  | { ok: false; reason: string; userErrors: { field: string[] | null; message: string }[] };

export type ShopifyPlatformDeps = {
  transport: ShopifyGraphqlTransport;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since epoch; tests pass the fake's clock so pre-emptive waits match the bucket. */
  now?: () => number;
  log?: (event: string, meta: Record<string, unknown>) => void;
  /** Attempts per request before giving up on throttling / 5xx. */
  maxTries?: number;
  /** The session table (tokens, scopes): the adapter's to clean up. Required for onUninstall / onRedact / scopes. */
  sessions?: ShopifySessionHousekeeping;
};

export const SHOPIFY_CAPABILITIES: PlatformCapabilities = { intake: "webhooks", notifiesCustomerOnShipment: true, listing: "changed_since" };

export type ShopifyPlatform = ShopPlatform & {
  readonly id: "shopify";
  /** A webhook payload of an order topic → the order (zod inside). Synchronous: Shopify's payload is the whole order. */
  parseOrderWebhook(payload: unknown): Result<PlatformOrder>;
  /** The sync's page, by domain (listOrders is the port's door to it). */
  listOrdersUpdatedSince(shopDomain: string, since: Date | null, pageCursor: string | null): Promise<SyncPage>;
  getFulfillmentOrders(shopDomain: string, platformOrderId: string): Promise<ShopifyFulfillmentOrder[]>;
  createFulfillment(shopDomain: string, input: CreateFulfillmentInput): Promise<CreateFulfillmentResult>;
  /** Last throttle status seen per shop (for logs and tests). */
  throttleStatus(shopDomain: string): ThrottleStatus | undefined;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const orderGid = (platformOrderId: string) =>
  platformOrderId.startsWith("gid://") ? platformOrderId : `gid://shopify/Order/${platformOrderId}`;

/** Shopify search syntax needs the value quoted; seconds precision like Shopify's own timestamps (rounded down). */
export function updatedSinceQuery(since: Date | null): string | null {
  if (!since) return null;
  const iso = new Date(Math.floor(since.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return `updated_at:>='${iso}'`;
}

export function createShopifyPlatform(deps: ShopifyPlatformDeps): ShopifyPlatform {
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  const maxTries = deps.maxTries ?? 10;

  // ---- Shopify's bucket, as this process sees it (https://shopify.dev/docs/api/usage/rate-limits):
  // a query is admitted only when currentlyAvailable >= its requestedQueryCost; the requested cost is taken when it
  // starts and the difference to its actualQueryCost given back when it ends; the bucket refills at restoreRate per
  // second up to maximumAvailable. So: before a call, wait until the bucket (last reported level + refill − what our
  // calls in flight hold) has the call's requested cost; while it waits, count on the calls in flight to give back
  // all but their actual cost (the actual cost last seen for that query, per unit).
  const buckets = new Map<string, { status: ThrottleStatus; at: number }>();
  /** Per query text: requested and actual cost per unit (unit = one id of a batched read, else the call). */
  const costOf = new Map<string, { requested: number; actual: number }>();
  type InFlight = { hold: number; keeps: number };
  const inFlight = new Map<string, Set<InFlight>>();
  const settled = new Map<string, (() => void)[]>();
  /** Admission per shop is first come, first served: a big query is not starved by a stream of small ones. */
  const admissionTail = new Map<string, Promise<void>>();

  function level(shop: string): { value: number; restoreRate: number } | null {
    const b = buckets.get(shop);
    if (!b) return null;
    const refill = (Math.max(0, now() - b.at) * b.status.restoreRate) / 1000;
    return { value: Math.min(b.status.maximumAvailable, b.status.currentlyAvailable + refill), restoreRate: b.status.restoreRate };
  }

  const nextSettle = (shop: string) =>
    new Promise<void>((resolve) => {
      const list = settled.get(shop) ?? [];
      list.push(resolve);
      settled.set(shop, list);
    });

  /** Waits until the bucket can take the call, then holds its requested cost; returns the release. */
  async function admit(shop: string, query: string, units: number): Promise<() => void> {
    const prev = admissionTail.get(shop) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = prev.then(() => mine);
    admissionTail.set(shop, tail);
    await prev;
    const known = costOf.get(query);
    const need = known ? known.requested * units : 0;
    const entry: InFlight = { hold: need, keeps: known ? known.actual * units : 0 };
    try {
      let slept = false;
      for (;;) {
        const lv = level(shop);
        if (!known || !lv) break;
        const flying = [...(inFlight.get(shop) ?? [])];
        const afterHolds = lv.value - flying.reduce((sum, f) => sum + f.hold, 0);
        if (afterHolds >= need) break;
        // The calls in flight give back all but their actual cost when they end: wait for that, not for the refill.
        const afterRefunds = lv.value - flying.reduce((sum, f) => sum + f.keeps, 0);
        if (flying.length && afterRefunds >= need) {
          await nextSettle(shop);
          continue;
        }
        // One timed wait per attempt (a test's sleep may move another clock than `now`); if the bucket still cannot
        // take it then, Shopify answers THROTTLED and the next attempt waits again.
        if (slept || lv.restoreRate <= 0) break;
        const wait = Math.ceil(((need - afterRefunds) * 1000) / lv.restoreRate);
        log("shopify.throttle.preempt", { shop, need, available: Math.floor(afterHolds), waitMs: wait });
        await sleep(wait);
        slept = true;
      }
      const set = inFlight.get(shop) ?? new Set<InFlight>();
      set.add(entry);
      inFlight.set(shop, set);
    } finally {
      done();
      if (admissionTail.get(shop) === tail) admissionTail.delete(shop);
    }
    return () => {
      const set = inFlight.get(shop);
      set?.delete(entry);
      if (set && !set.size) inFlight.delete(shop);
      const waiting = settled.get(shop);
      settled.delete(shop);
      for (const wake of waiting ?? []) wake();
    };
  }

  /** One GraphQL call with Shopify's throttling handled. `units`: how many ids a batched read asks for. */
  async function graphql<T extends z.ZodType>(shop: string, query: string, variables: Record<string, unknown>, schema: T, units = 1): Promise<z.output<T>> {
    let lastProblem = "";
    for (let attempt = 1; attempt <= maxTries; attempt++) {
      const release = await admit(shop, query, units);
      let res: Awaited<ReturnType<ShopifyGraphqlTransport>>;
      try {
        res = await deps.transport(shop, query, variables);
      } catch (e) {
        release();
        throw e;
      }
      const envelope = GraphqlEnvelopeSchema.safeParse(res.body);
      const reported = envelope.success ? envelope.data.extensions?.cost : undefined;
      if (reported) {
        // The answer's throttle status already counts this call's actual cost (and the refund of the rest).
        buckets.set(shop, { status: reported.throttleStatus, at: now() });
        const prev = costOf.get(query);
        costOf.set(query, {
          requested: reported.requestedQueryCost / units,
          // A throttled answer has no actual cost: keep the last one seen (or assume the requested one).
          actual: reported.actualQueryCost != null ? reported.actualQueryCost / units : (prev?.actual ?? reported.requestedQueryCost / units),
        });
      }
      release();

      if (res.status === 401) throw new ShopifyUnauthorizedError(shop);
      if (res.status === 429 || res.status >= 500) {
        const retryAfter = Number(res.headers.get("Retry-After"));
        const wait =
          res.status === 429
            ? Number.isFinite(retryAfter) && retryAfter > 0
              ? Math.ceil(retryAfter * 1000)
              : 1000
            : Math.min(30_000, 500 * 2 ** (attempt - 1));
        lastProblem = `HTTP ${res.status}`;
        log("shopify.retry", { shop, status: res.status, attempt, waitMs: wait });
        await sleep(wait);
        continue;
      }
      if (!envelope.success) {
        throw new ShopifyGraphqlError(
          `Shopify answered HTTP ${res.status} with an unexpected body: ${formatZodIssues(envelope.error)}`,
          res.body,
          res.status,
        );
      }
      const body = envelope.data;
      const cost = body.extensions?.cost;
      const errors = typeof body.errors === "string" ? [{ message: body.errors }] : (body.errors ?? []);
      const throttled = errors.some((e) => e.message === "Throttled" || e.extensions?.code === "THROTTLED");
      if (throttled) {
        lastProblem = "Throttled";
        const ts = cost?.throttleStatus;
        log("shopify.throttled", { shop, attempt, requested: cost?.requestedQueryCost, throttleStatus: ts });
        // The next attempt's admission waits for the requested cost (now known, with the bucket's level); without a
        // throttle status that explains it, a second.
        if (!ts || !cost || ts.restoreRate <= 0 || ts.currentlyAvailable >= cost.requestedQueryCost) await sleep(1000);
        continue;
      }
      if (res.status !== 200 || errors.length) {
        const message = errors.map((e) => e.message).join("; ") || `HTTP ${res.status}`;
        throw new ShopifyGraphqlError(`Shopify GraphQL error: ${message}`, body.errors, res.status);
      }
      const data = schema.safeParse(body.data);
      if (!data.success) {
        throw new ShopifyGraphqlError(`Unexpected Shopify GraphQL answer: ${formatZodIssues(data.error)}`, body.data, res.status);
      }
      return data.data;
    }
    throw new Error(`Shopify request for ${shop} still failing after ${maxTries} tries (${lastProblem})`);
  }

  // ---- markShipped's read of fulfillment orders, batched: the write-backs of one shop run as concurrent jobs, each
  // asking for one order. Ids asked for in the same tick, or while the shop's previous read is under way (its wait for
  // the bucket included), go out together as one nodes(ids:) query of at most FO_BATCH_MAX orders.
  type FoHead = { id: string; status: string; methodType: string | null };
  type OrderFoHeads = { fulfillmentOrders: FoHead[]; more: boolean } | null;
  type Waiter = { resolve: (v: OrderFoHeads) => void; reject: (e: unknown) => void };
  type Loader = { pending: Map<string, Waiter[]>; scheduled: boolean; running: number };
  const loaders = new Map<string, Loader>();
  const ORDER_GID = /^gid:\/\/shopify\/Order\/\d+$/;

  function loadFulfillmentOrderHeads(shop: string, orderId: string): Promise<OrderFoHeads> {
    let l = loaders.get(shop);
    if (!l) loaders.set(shop, (l = { pending: new Map(), scheduled: false, running: 0 }));
    const loader = l;
    return new Promise<OrderFoHeads>((resolve, reject) => {
      const waiting = loader.pending.get(orderId);
      if (waiting) waiting.push({ resolve, reject });
      else loader.pending.set(orderId, [{ resolve, reject }]);
      scheduleFlush(shop, loader);
    });
  }

  function scheduleFlush(shop: string, l: Loader) {
    if (l.scheduled || !l.pending.size) return;
    // While a read is under way the next one gathers, unless a full batch is already waiting.
    if (l.running > 0 && l.pending.size < FO_BATCH_MAX) return;
    l.scheduled = true;
    setImmediate(() => {
      l.scheduled = false;
      void flush(shop, l);
    });
  }

  async function flush(shop: string, l: Loader) {
    const batch = [...l.pending.entries()].slice(0, FO_BATCH_MAX);
    if (!batch.length) return;
    for (const [id] of batch) l.pending.delete(id);
    l.running++;
    try {
      const ids = batch.map(([id]) => id);
      const data = await graphql(shop, FULFILLMENT_ORDERS_BATCH_QUERY, { ids }, FulfillmentOrderHeadsSchema, ids.length);
      const byId = new Map(data.nodes.flatMap((n) => (n ? [[n.id, n] as const] : [])));
      for (const [id, waiters] of batch) {
        const node = byId.get(id);
        const value: OrderFoHeads = node
          ? {
              fulfillmentOrders: node.fulfillmentOrders.nodes.map((fo) => ({ id: fo.id, status: fo.status, methodType: fo.deliveryMethod?.methodType ?? null })),
              more: node.fulfillmentOrders.pageInfo.hasNextPage,
            }
          : null;
        for (const w of waiters) w.resolve(value);
      }
    } catch (e) {
      for (const [, waiters] of batch) for (const w of waiters) w.reject(e);
    } finally {
      l.running--;
      scheduleFlush(shop, l);
      if (!l.running && !l.pending.size && !l.scheduled && loaders.get(shop) === l) loaders.delete(shop);
    }
  }

  /** Every fulfillment order of an order with its location (markShipped: more than one to fulfil, or more than 5). */
  async function fulfillmentOrdersWithLocation(shop: string, orderId: string) {
    const out: (FoHead & { locationKey: string })[] = [];
    let after: string | null = null;
    for (;;) {
      const data: z.output<typeof OrderFulfillmentOrdersPageSchema> = await graphql(shop, ORDER_FULFILLMENT_ORDERS_QUERY, { id: orderId, after }, OrderFulfillmentOrdersPageSchema);
      if (!data.order) return null;
      for (const fo of data.order.fulfillmentOrders.nodes) {
        out.push({
          id: fo.id,
          status: fo.status,
          methodType: fo.deliveryMethod?.methodType ?? null,
          locationKey: fo.assignedLocation.location?.id ?? fo.assignedLocation.name,
        });
      }
      const pi = data.order.fulfillmentOrders.pageInfo;
      if (!pi.hasNextPage || !pi.endCursor) return out;
      after = pi.endCursor;
    }
  }

  async function remainingLineItems(shop: string, orderId: string, after: string | null): Promise<GqlLineItem[]> {
    const out: GqlLineItem[] = [];
    const PageSchema = GqlLineItemSchema.array();
    let cursor = after;
    for (;;) {
      const data = await graphql(shop, ORDER_LINE_ITEMS_QUERY, { id: orderId, after: cursor }, OrderLineItemsSchema);
      if (!data.order) break;
      out.push(...PageSchema.parse(data.order.lineItems.nodes));
      if (!data.order.lineItems.pageInfo.hasNextPage) break;
      cursor = data.order.lineItems.pageInfo.endCursor;
    }
    return out;
  }

  type FulfilOpenOutcome =
    | { ok: true; fulfillmentIds: string[]; waiting: string | null; known: KnownFulfillmentOrders }
    | { ok: false; reason: string };

  /**
   * markShipped's read-then-fulfil: the order's fulfillment orders (batched with the shop's other write-backs), then
   * one fulfillmentCreate per location for the open ones of Koppel's. `waiting`: the state of one of Koppel's that is
   * held or scheduled; `known`: the fulfillment orders as they are after this (the order's platform data).
   */
  async function fulfilOpen(
    shopDomain: string,
    platformOrderId: string,
    fulfil: (fulfillmentOrderIds: string[]) => Promise<CreateFulfillmentResult>,
  ): Promise<FulfilOpenOutcome> {
    const orderId = orderGid(platformOrderId);
    let fos: (FoHead & { locationKey?: string })[];
    let complete = true;
    // Batched with the other write-backs of this shop (a malformed id would fail the whole batch: read alone).
    if (ORDER_GID.test(orderId)) {
      const heads = await loadFulfillmentOrderHeads(shopDomain, orderId);
      if (!heads) throw new ShopifyGraphqlError(`Shopify order ${platformOrderId} not found on ${shopDomain}`, null, 200);
      fos = heads.fulfillmentOrders;
      const toFulfil = fos.filter((fo) => isOurs(fo) && FULFILLABLE_STATUSES.has(fo.status));
      // One fulfillmentCreate per location: with more than one to fulfil (or more than were read), read them whole.
      if (heads.more || toFulfil.length > 1) {
        const whole = await fulfillmentOrdersWithLocation(shopDomain, orderId);
        if (!whole) throw new ShopifyGraphqlError(`Shopify order ${platformOrderId} not found on ${shopDomain}`, null, 200);
        fos = whole;
      }
    } else {
      fos = (await platform.getFulfillmentOrders(shopDomain, platformOrderId)).map((fo) => ({ ...fo, locationKey: fo.locationId ?? fo.locationName }));
      complete = false; // the first 10 only
    }
    const ours = fos.filter(isOurs);
    const open = ours.filter((fo) => FULFILLABLE_STATUSES.has(fo.status));
    const byLocation = new Map<string, string[]>();
    for (const fo of open) {
      const key = fo.locationKey ?? "";
      byLocation.set(key, [...(byLocation.get(key) ?? []), fo.id]);
    }
    const fulfillmentIds: string[] = [];
    const fulfilled = new Set<string>();
    for (const fulfillmentOrderIds of byLocation.values()) {
      const r = await fulfil(fulfillmentOrderIds);
      if (!r.ok) return { ok: false, reason: r.reason };
      fulfillmentIds.push(r.fulfillmentId);
      for (const id of fulfillmentOrderIds) fulfilled.add(id);
    }
    const known: KnownFulfillmentOrders = {
      fulfillmentOrders: fos.map((fo) => ({ id: fo.id, status: fulfilled.has(fo.id) ? "CLOSED" : fo.status, methodType: fo.methodType })),
      complete,
    };
    const waiting = ours.find((fo) => WAITING_STATUSES.has(fo.status))?.status ?? null;
    return { ok: true, fulfillmentIds, waiting, known };
  }

  function housekeeping(): ShopifySessionHousekeeping {
    if (!deps.sessions) throw new Error("The Shopify adapter was built without its session table");
    return deps.sessions;
  }

  const platform = {
    id: "shopify",
    capabilities: SHOPIFY_CAPABILITIES,

    classifyDelivery: classifyShopifyDelivery,

    deliveryMentions: shopifyDeliveryMentions,

    async orderFromDelivery(_shop, d): Promise<Result<PlatformOrder>> {
      // Shopify's order webhooks carry the whole order: no API call.
      return platform.parseOrderWebhook(d.payload);
    },

    async fetchOrder(shop, platformOrderId): Promise<Result<PlatformOrder | null>> {
      const data = await graphql(shop.domain, ORDER_QUERY, { id: orderGid(platformOrderId) }, z.object({ order: z.unknown().nullable() }));
      if (data.order === null) return { ok: true, value: null };
      const node = GqlOrderNodeSchema.safeParse(data.order);
      if (!node.success) return { ok: false, reason: `Could not read Shopify order ${platformOrderId}: ${formatZodIssues(node.error)}` };
      let lines = node.data.lineItems.nodes;
      const pi = node.data.lineItems.pageInfo;
      if (pi?.hasNextPage) lines = [...lines, ...(await remainingLineItems(shop.domain, node.data.id, pi.endCursor))];
      return mapGraphqlOrder(node.data, data.order, lines);
    },

    listOrders(shop: ShopAccess, query): Promise<SyncPage> {
      return platform.listOrdersUpdatedSince(shop.domain, query.since, query.pageCursor);
    },

    async applyPlatformDelivery(d): Promise<Result<void>> {
      if (d.topic !== "app/scopes_update") return { ok: false, reason: `topic ${d.topic} is not a Shopify housekeeping topic` };
      const p = ScopesPayload.safeParse(d.payload);
      if (!p.success) return { ok: false, reason: formatZodIssues(p.error) };
      await housekeeping().setScopes(d.shopDomain, p.data.current);
      return { ok: true, value: undefined };
    },

    async onUninstall(shop) {
      await housekeeping().deleteSessions(shop.domain);
    },

    async onRedact(shop) {
      await housekeeping().deleteSessions(shop.domain);
    },

    parseOrderWebhook(payload): Result<PlatformOrder> {
      try {
        return parseOrderWebhookPayload(payload);
      } catch (e) {
        return { ok: false, reason: `Could not read Shopify order payload: ${(e as Error).message}` };
      }
    },

    async listOrdersUpdatedSince(shopDomain, since, pageCursor): Promise<SyncPage> {
      const data = await graphql(
        shopDomain,
        ORDERS_QUERY,
        { first: ORDERS_PAGE_SIZE, after: pageCursor, query: updatedSinceQuery(since) },
        OrdersPageSchema,
      );
      const orders: PlatformOrder[] = [];
      const invalid: InvalidPlatformOrder[] = [];
      for (const raw of data.orders.nodes) {
        // One malformed order must not stop the sync of the others: it is handed back with its reason.
        const node = GqlOrderNodeSchema.safeParse(raw);
        if (!node.success) {
          const reason = `Invalid Shopify order: ${formatZodIssues(node.error)}`;
          log("shopify.order.invalid", { shop: shopDomain, reason, id: (raw as { id?: unknown })?.id });
          invalid.push({ ...whatIsKnown(raw), reason });
          continue;
        }
        let lines = node.data.lineItems.nodes;
        const pi = node.data.lineItems.pageInfo;
        if (pi?.hasNextPage) lines = [...lines, ...(await remainingLineItems(shopDomain, node.data.id, pi.endCursor))];
        const order = mapGraphqlOrder(node.data, raw, lines);
        if (order.ok) orders.push(order.value);
        else {
          log("shopify.order.invalid", { shop: shopDomain, reason: order.reason, id: node.data.id });
          invalid.push({ ...whatIsKnown(raw), reason: `Invalid Shopify order: ${order.reason}` });
        }
      }
      const nextPageCursor = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
      return invalid.length ? { orders, invalid, nextPageCursor } : { orders, nextPageCursor };
    },

    async getFulfillmentOrders(shopDomain, platformOrderId) {
      const data = await graphql(shopDomain, FULFILLMENT_ORDERS_QUERY, { id: orderGid(platformOrderId) }, FulfillmentOrdersSchema);
      if (!data.order) throw new ShopifyGraphqlError(`Shopify order ${platformOrderId} not found on ${shopDomain}`, null, 200);
      return data.order.fulfillmentOrders.nodes.map((fo) => ({
        id: fo.id,
        status: fo.status,
        requestStatus: fo.requestStatus,
        locationName: fo.assignedLocation.name,
        locationId: fo.assignedLocation.location?.id ?? null,
        methodType: fo.deliveryMethod?.methodType ?? null,
        lineItems: fo.lineItems.nodes.map((li) => ({
          id: li.id,
          lineItemId: li.lineItem.id,
          sku: li.lineItem.sku ?? null,
          name: li.lineItem.name,
          requiresShipping: li.lineItem.requiresShipping ?? true,
          remainingQuantity: li.remainingQuantity,
          totalQuantity: li.totalQuantity,
        })),
      }));
    },

    async createFulfillment(shopDomain, input) {
      const trackingInfo = Object.fromEntries(Object.entries(input.tracking).filter(([, v]) => v != null && v !== ""));
      const fulfillment = {
        lineItemsByFulfillmentOrder: input.fulfillmentOrderIds.map((id) => ({ fulfillmentOrderId: id })),
        notifyCustomer: input.notifyCustomer,
        ...(Object.keys(trackingInfo).length ? { trackingInfo } : {}),
      };
      const data = await graphql(shopDomain, FULFILLMENT_CREATE_MUTATION, { fulfillment }, FulfillmentCreateSchema);
      const payload = data.fulfillmentCreate;
      const userErrors = (payload?.userErrors ?? []).map((e) => ({ field: e.field ?? null, message: e.message }));
      if (!payload?.fulfillment || userErrors.length) {
        const reason = userErrors.length
          ? userErrors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ")
          : "Shopify created no fulfillment";
        return { ok: false, reason, userErrors };
      }
      return {
        ok: true,
        fulfillmentId: payload.fulfillment.id,
        status: payload.fulfillment.status,
        trackingInfo: payload.fulfillment.trackingInfo,
        orderFulfillmentStatus: payload.fulfillment.order?.displayFulfillmentStatus ?? null,
      };
    },

    throttleStatus(shopDomain) {
      return buckets.get(shopDomain)?.status;
    },

    // https://shopify.dev/docs/api/admin-graphql/latest/mutations/fulfillmentCreate — one call per location; only
    // OPEN / IN_PROGRESS fulfillment orders with a shipping delivery method are Koppel's to fulfil.
    async markShipped(shop, platformOrderId, tracking, opts): Promise<MarkShippedResult> {
      const shopDomain = shop.domain;
      const fulfil = (fulfillmentOrderIds: string[]) =>
        platform.createFulfillment(shopDomain, {
          fulfillmentOrderIds,
          tracking: { company: shopifyTrackingCompany(tracking), number: tracking.number, url: tracking.url },
          notifyCustomer: opts.notifyCustomer,
        });
      try {
        // The one open fulfillment order the sync saw: fulfilled straight away, one call instead of a read and a call.
        const known = fulfillmentOrderToFulfil(opts.platformData);
        if (known) {
          const r = await fulfil([known]);
          if (r.ok) {
            const done = { platformFulfillmentIds: [r.fulfillmentId], alreadyShipped: false, platformData: afterFulfilment(opts.platformData, [known]) };
            if (r.orderFulfillmentStatus === "FULFILLED") return { ok: true, value: done };
            // Something of the order is still open (what the sync saw was not all, or a pick-up part): read and fulfil it.
            const rest = await fulfilOpen(shopDomain, platformOrderId, fulfil);
            if (!rest.ok) return { ok: false, retryable: false, reason: rest.reason };
            return { ok: true, value: { ...done, platformFulfillmentIds: [r.fulfillmentId, ...rest.fulfillmentIds], platformData: rest.known } };
          }
          // Moved, split, held or closed since the sync (or refused for another reason): read them as they are now.
          log("shopify.fulfillment_order.stale", { shop: shopDomain, order: platformOrderId, fulfillmentOrder: known, reason: r.reason });
        }
        const r = await fulfilOpen(shopDomain, platformOrderId, fulfil);
        if (!r.ok) return { ok: false, retryable: false, reason: r.reason };
        if (!r.fulfillmentIds.length) {
          if (r.waiting) return { ok: false, retryable: true, reason: `Fulfillment order is ${r.waiting} in Shopify` };
          // Nothing left to fulfil: shipped before (our own earlier call that crashed before commit, or elsewhere).
          return { ok: true, value: { platformFulfillmentIds: [], alreadyShipped: true, platformData: r.known } };
        }
        return { ok: true, value: { platformFulfillmentIds: r.fulfillmentIds, alreadyShipped: false, platformData: r.known } };
      } catch (e) {
        // No offline session (uninstalled, or deleted after a 401): no retry can succeed until a reinstall. A 401 itself
        // stays retryable: an expiring offline token is refreshed by the next admin load. By name, not instanceof.
        if ((e as Error).name === "ShopifyNoSessionError") {
          return { ok: false, retryable: false, reason: `Shopify gives Koppel no access to ${shopDomain} (not installed, or access revoked)` };
        }
        throw e;
      }
    },
  } satisfies ShopifyPlatform;
  return platform;
}

/** Id, number and update time of an order node that did not parse, as far as they can be read. */
function whatIsKnown(raw: unknown): Omit<InvalidPlatformOrder, "reason"> {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" && v ? cleanText(v).slice(0, 200) : null);
  const updatedAt = typeof r.updatedAt === "string" ? new Date(r.updatedAt) : null;
  return {
    platformOrderId: text(r.legacyResourceId) ?? gidDigits(text(r.id), "Order"),
    number: text(r.name),
    updatedAt: updatedAt && !Number.isNaN(updatedAt.getTime()) ? updatedAt : null,
  };
}
