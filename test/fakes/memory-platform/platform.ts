// An in-memory shop platform adapter that implements the ShopPlatform port the way a non-Shopify platform would: its
// credentials come in ShopAccess (decrypted from shops.credentials_encrypted), its deliveries name an order and the
// order is fetched, its event names and states are its own. The core suite (test/integration/core-platforms.test.ts)
// runs the same tests against it and against Shopify, so a core that leans on Shopify fails here.
//
// Which PlatformId: PlatformId is a closed union ("shopify" | "ccvshop" | "mijnwebwinkel", app/core/domain.ts) that
// the schema stores and the production registry switches over exhaustively. Adding a test-only "memory" id would put
// a fake into both. Instead the memory platform stands in under the id of a platform that has no adapter yet
// (default "ccvshop"; "mijnwebwinkel" for a second variant), and the tests hand the core their own `platformFor`
// that returns it for that id. The production switch stays as it is, and the platforms to come take over their ids.
import type {
  PayloadMatch,
  DeliveryKind,
  MarkShippedResult,
  PlatformCapabilities,
  PlatformId,
  PlatformOrder,
  Result,
  ShipmentTracking,
  ShopAccess,
  ShopPlatform,
  StoredDelivery,
  SyncPage,
} from "../../../app/core/ports";
import { finishPlatformOrder } from "../../../app/core/platform-order";
import { MEMORY_EVENTS, type MemoryOrder, type MemoryShopStore } from "./store";

export type MemoryPlatformOptions = {
  id?: Exclude<PlatformId, "shopify">;
  capabilities?: Partial<PlatformCapabilities>;
  /** Orders per listOrders page. */
  pageSize?: number;
};

export type MemoryPlatform = ShopPlatform & {
  readonly id: Exclude<PlatformId, "shopify">;
  readonly pageSize: number;
  /** What the core asked of the platform's own clean-up and housekeeping. */
  readonly calls: { onUninstall: string[]; onRedact: string[]; platformDeliveries: { shopDomain: string; topic: string }[] };
};

const FINANCIAL: Record<MemoryOrder["payment"], string> = { open: "pending", paid: "paid", refunded: "refunded" };

type PageCursor = { t: number; id: string };
const encodeCursor = (c: PageCursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeCursor(s: string): PageCursor {
  const c = JSON.parse(Buffer.from(s, "base64url").toString()) as PageCursor;
  if (typeof c?.t !== "number" || typeof c?.id !== "string") throw new Error(`bad page cursor ${s}`);
  return c;
}

/** The platform's order → the port's PlatformOrder (states mapped, address composed, lines renamed). */
export function toPlatformOrder(o: MemoryOrder): Result<PlatformOrder> {
  const a = o.address;
  const order = {
    platformOrderId: o.id,
    number: o.number,
    placedAt: new Date(o.placedAt),
    updatedAt: new Date(o.updatedAt),
    financialStatus: FINANCIAL[o.payment],
    fulfillmentStatus: o.state === "shipped" ? "fulfilled" : "unfulfilled",
    cancelled: o.state === "cancelled",
    test: o.test,
    customerName: o.customer?.name ?? null,
    // Built as a variable, not a PlatformOrder literal: PlatformOrder gains `customerId` in a parallel change of
    // issue 9, and this compiles with and without it.
    customerId: o.customer?.id ?? null,
    email: o.customer?.email ?? null,
    company: a?.company ?? null,
    shipTo: a
      ? {
          name: a.name,
          company: a.company,
          address1: [a.street, a.houseNumber, a.houseNumberAddition].filter(Boolean).join(" "),
          street: a.street,
          houseNumber: a.houseNumber,
          houseNumberAddition: a.houseNumberAddition,
          postcode: a.postcode,
          city: a.city,
          country: a.country,
          phone: a.phone,
        }
      : null,
    lines: o.lines.map((l) => ({ sku: l.sku, name: l.title, quantity: l.quantity, weightGrams: l.weightGrams, requiresShipping: l.physical })),
    totalPrice: o.total,
    currency: o.currency,
    raw: JSON.parse(JSON.stringify(o)) as unknown,
  };
  return finishPlatformOrder(order);
}

const orderIdOf = (payload: unknown): string | null => {
  const id = (payload as { orderId?: unknown } | null)?.orderId;
  return (typeof id === "string" && id) || (typeof id === "number" && Number.isSafeInteger(id)) ? String(id) : null;
};

export function createMemoryPlatform(store: MemoryShopStore, opts: MemoryPlatformOptions = {}): MemoryPlatform {
  const id = opts.id ?? "ccvshop";
  const capabilities: PlatformCapabilities = { intake: "webhooks", notifiesCustomerOnShipment: true, listing: "changed_since", ...opts.capabilities };
  const pageSize = opts.pageSize ?? 3;
  const calls: MemoryPlatform["calls"] = { onUninstall: [], onRedact: [], platformDeliveries: [] };

  /** The platform answers only with the key it handed out to this shop: credentials must come in ShopAccess. */
  function authorised(shop: ShopAccess): Result<void> {
    if (shop.platform !== id) return { ok: false, reason: `shop ${shop.domain} is on ${shop.platform}, not ${id}` };
    const apiKey = (shop.credentials as { apiKey?: unknown } | null)?.apiKey;
    if (!store.isValidKey(shop.domain, apiKey)) return { ok: false, reason: `${id} refused Koppel's API key for ${shop.domain}`, retryable: false };
    return { ok: true, value: undefined };
  }

  const platform = {
    id,
    capabilities,
    pageSize,
    calls,

    classifyDelivery(d: StoredDelivery): DeliveryKind {
      const p = (d.payload ?? {}) as Record<string, unknown>;
      switch (d.topic) {
        case MEMORY_EVENTS.orderChanged:
          return orderIdOf(p) ? { kind: "order" } : { kind: "invalid", reason: "order.changed without an orderId" };
        case MEMORY_EVENTS.appRemoved:
          return { kind: "uninstall" };
        case MEMORY_EVENTS.shopErase:
          return { kind: "privacy", request: { type: "shop_redact" } };
        case MEMORY_EVENTS.customerErase: {
          const ids = Array.isArray(p.orderIds) ? p.orderIds.map(String) : [];
          const email = typeof p.email === "string" ? p.email : null;
          const customerId = typeof p.customerId === "string" ? p.customerId : null;
          if (!ids.length && !email && !customerId) return { kind: "invalid", reason: "customer.erase names no customer" };
          return { kind: "privacy", request: { type: "customer_redact", customer: { email, customerId, platformOrderIds: ids } } };
        }
        case MEMORY_EVENTS.settingsChanged:
          return { kind: "platform" };
        default:
          return { kind: "ignore", reason: `event ${d.topic} is not handled` };
      }
    },

    // The delivery names the order; its state is fetched (what it is now, not what it was when the event fired).
    async orderFromDelivery(shop, d): Promise<Result<PlatformOrder>> {
      const orderId = orderIdOf(d.payload);
      if (!orderId) return { ok: false, reason: "delivery names no order" };
      const fetched = await platform.fetchOrder(shop, orderId);
      if (!fetched.ok) return fetched;
      if (!fetched.value) return { ok: false, reason: `order ${orderId} does not exist in ${shop.domain}` };
      return { ok: true, value: fetched.value };
    },

    async fetchOrder(shop, platformOrderId): Promise<Result<PlatformOrder | null>> {
      const auth = authorised(shop);
      if (!auth.ok) return auth;
      store.recordCall(shop.domain, "fetchOrder");
      // Read now, answer after the gate: a slow answer carries the state of when it was read.
      const o = store.getOrder(shop.domain, platformOrderId);
      await store.fetchGate();
      if (!o) return { ok: true, value: null };
      return toPlatformOrder(o);
    },

    async listOrders(shop, query): Promise<SyncPage> {
      const auth = authorised(shop);
      if (!auth.ok) throw new Error(auth.reason);
      store.recordCall(shop.domain, "listOrders", { since: query.since });
      let all = store.ordersByChange(shop.domain);
      if (capabilities.listing === "changed_since") {
        if (query.since) all = all.filter((o) => o.updatedAt.getTime() >= query.since!.getTime());
      } else all = all.filter((o) => o.state === "open");
      if (query.pageCursor) {
        const c = decodeCursor(query.pageCursor);
        all = all.filter((o) => o.updatedAt.getTime() > c.t || (o.updatedAt.getTime() === c.t && Number(o.id) > Number(c.id)));
      }
      const page = all.slice(0, pageSize);
      const orders: PlatformOrder[] = [];
      const invalid: NonNullable<SyncPage["invalid"]> = [];
      for (const o of page) {
        const r = toPlatformOrder(o);
        if (r.ok) orders.push(r.value);
        else invalid.push({ platformOrderId: o.id, number: o.number, updatedAt: o.updatedAt, reason: r.reason });
      }
      const last = page.at(-1);
      const nextPageCursor = all.length > pageSize && last ? encodeCursor({ t: last.updatedAt.getTime(), id: last.id }) : null;
      return invalid.length ? { orders, invalid, nextPageCursor } : { orders, nextPageCursor };
    },

    async markShipped(shop, platformOrderId, tracking: ShipmentTracking, o): Promise<MarkShippedResult> {
      const auth = authorised(shop);
      if (!auth.ok) return auth;
      store.recordCall(shop.domain, "markShipped");
      // A platform that cannot e-mail the customer has no such switch: being asked to is the caller's mistake.
      if (o.notifyCustomer && !capabilities.notifiesCustomerOnShipment)
        return { ok: false, retryable: false, reason: `${id} cannot e-mail the customer on shipment (capabilities say so)` };
      const order = store.getOrder(shop.domain, platformOrderId);
      if (!order) return { ok: false, retryable: false, reason: `order ${platformOrderId} does not exist in ${shop.domain}` };
      if (order.state === "cancelled") return { ok: false, retryable: false, reason: `order ${order.number} is cancelled in ${id}` };
      // Shipped before (our own call whose answer was lost, or the merchant): nothing to do, never a second shipment.
      if (order.state === "shipped") return { ok: true, value: { platformFulfillmentIds: [], alreadyShipped: true } };
      const f = store.fulfil(shop.domain, platformOrderId, {
        // The platform's own carrier names are the distributors' names; the carrier platform's when none is known.
        carrier: tracking.distributor ?? tracking.carrierName,
        trackingNumber: tracking.number,
        trackingUrl: tracking.url,
        notifyCustomer: o.notifyCustomer,
      });
      if (!f) return { ok: true, value: { platformFulfillmentIds: [], alreadyShipped: true } };
      return { ok: true, value: { platformFulfillmentIds: [f.id], alreadyShipped: false } };
    },

    // Its deliveries name an order by `orderId`; its erase requests name the customer by `customerId` / `email`.
    deliveryMentions(ref) {
      const out: PayloadMatch[] = [];
      if (ref.platformOrderIds?.length) out.push({ path: ["orderId"], values: ref.platformOrderIds });
      if (ref.customerId) out.push({ path: ["customerId"], values: [ref.customerId] });
      if (ref.email) out.push({ path: ["email"], values: [ref.email], caseInsensitive: true });
      return out;
    },

    async applyPlatformDelivery(d): Promise<Result<void>> {
      if (d.topic !== MEMORY_EVENTS.settingsChanged) return { ok: false, reason: `event ${d.topic} is not housekeeping` };
      calls.platformDeliveries.push({ shopDomain: d.shopDomain, topic: d.topic });
      return { ok: true, value: undefined };
    },

    async onUninstall(shop) {
      calls.onUninstall.push(shop.domain);
      // The platform's side of an uninstall: the key it gave Koppel stops working.
      try {
        store.revokeKey(shop.domain);
      } catch {
        // A shop the platform does not know: nothing to revoke.
      }
    },

    async onRedact(shop) {
      calls.onRedact.push(shop.domain);
    },
  } satisfies MemoryPlatform;
  return platform;
}
