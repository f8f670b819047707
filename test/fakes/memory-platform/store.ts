// The shop platform behind the in-memory adapter: shops with their API keys, orders that change over time (every
// change moves updatedAt), fulfilments written back, and the summary deliveries the platform sends (webhooks that name
// an order, CCV Shop style: the adapter must fetch it). Its vocabulary is its own, on purpose not Shopify's.
import { randomBytes } from "node:crypto";
import type { IncomingDelivery } from "../../../app/core/deliveries.server";
import type { PlatformId } from "../../../app/core/ports";

export type MemoryPayment = "open" | "paid" | "refunded";
export type MemoryOrderState = "open" | "cancelled" | "shipped";

export type MemoryAddress = {
  name: string;
  company: string | null;
  street: string;
  houseNumber: string;
  houseNumberAddition: string | null;
  postcode: string;
  city: string;
  /** ISO-2 */
  country: string;
  phone: string | null;
};

export type MemoryLine = { sku: string | null; title: string; quantity: number; weightGrams: number | null; physical: boolean };

export type MemoryFulfilment = {
  id: string;
  at: Date;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string;
  /** Whether the platform was asked to e-mail the customer. */
  notifyCustomer: boolean;
};

export type MemoryOrder = {
  id: string;
  /** What the merchant calls it. */
  number: string;
  placedAt: Date;
  updatedAt: Date;
  payment: MemoryPayment;
  state: MemoryOrderState;
  /** A test order of the shop (never imported). */
  test: boolean;
  customer: { id: string; name: string; email: string | null } | null;
  address: MemoryAddress | null;
  lines: MemoryLine[];
  total: string;
  currency: string;
  fulfilments: MemoryFulfilment[];
};

export type MemoryOrderInput = Partial<Pick<MemoryOrder, "payment" | "state" | "test" | "customer" | "address" | "lines" | "total" | "currency" | "placedAt">> & {
  email?: string | null;
};

type ShopState = { domain: string; apiKey: string | null; orders: Map<string, MemoryOrder>; nextNumber: number };

export type MemoryClock = { now(): Date };

/** The event names this platform uses for its deliveries (its own, not Shopify's topics). */
export const MEMORY_EVENTS = {
  orderChanged: "order.changed",
  appRemoved: "app.removed",
  customerErase: "customer.erase",
  shopErase: "shop.erase",
  settingsChanged: "settings.changed",
} as const;

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryShopStore {
  private readonly shops = new Map<string, ShopState>();
  private nextId = 70_001;
  private nextDelivery = 1;
  private hold: { remaining: number; gate: Promise<void>; started: () => void } | null = null;
  /** Calls that reached the platform's API, per shop (for "the sync asked with since …" and "no call after uninstall"). */
  readonly apiCalls: { domain: string; call: string; since?: Date | null }[] = [];

  constructor(readonly clock: MemoryClock = { now: () => new Date() }) {}

  /** A shop that installed the app: returns the API key the platform handed out (Koppel stores it encrypted). */
  addShop(domain: string): { apiKey: string } {
    const apiKey = `mem_${randomBytes(8).toString("hex")}`;
    this.shops.set(domain, { domain, apiKey, orders: new Map(), nextNumber: 1001 });
    return { apiKey };
  }

  /** The app's key stops working (uninstall on the platform's side). */
  revokeKey(domain: string): void {
    this.shop(domain).apiKey = null;
  }

  isValidKey(domain: string, apiKey: unknown): boolean {
    const s = this.shops.get(domain);
    return !!s?.apiKey && s.apiKey === apiKey;
  }

  private shop(domain: string): ShopState {
    const s = this.shops.get(domain);
    if (!s) throw new Error(`MemoryShopStore: unknown shop ${domain} (call addShop first)`);
    return s;
  }

  /** Strictly later than the previous change, so "newer" is never a tie. */
  private stamp(prev: Date | null): Date {
    const now = this.clock.now().getTime();
    return new Date(prev ? Math.max(now, prev.getTime() + 1) : now);
  }

  addOrder(domain: string, input: MemoryOrderInput = {}): MemoryOrder {
    const s = this.shop(domain);
    const n = s.nextNumber++;
    const id = String(this.nextId++);
    const at = input.placedAt ?? this.clock.now();
    const o: MemoryOrder = {
      id,
      number: `M-${n}`,
      placedAt: at,
      updatedAt: this.stamp(null),
      payment: input.payment ?? "paid",
      state: input.state ?? "open",
      test: input.test ?? false,
      customer: input.customer !== undefined ? input.customer : { id: `c${id}`, name: "Femke de Jong", email: input.email !== undefined ? input.email : `femke${n}@example.nl` },
      address:
        input.address !== undefined
          ? input.address
          : { name: "Femke de Jong", company: null, street: "Oudegracht", houseNumber: String(100 + (n % 50)), houseNumberAddition: null, postcode: "3511 AZ", city: "Utrecht", country: "NL", phone: "+31612345678" },
      lines: input.lines ?? [{ sku: "THEE-01", title: "Theedoos", quantity: 2, weightGrams: 350, physical: true }],
      total: input.total ?? "29.90",
      currency: input.currency ?? "EUR",
      fulfilments: [],
    };
    s.orders.set(id, o);
    return clone(o);
  }

  /** Change an order as the merchant or customer would: updatedAt moves on. */
  changeOrder(domain: string, id: string, patch: MemoryOrderInput): MemoryOrder {
    const o = this.order(domain, id);
    const { email, ...rest } = patch;
    Object.assign(o, rest);
    if (email !== undefined && o.customer) o.customer = { ...o.customer, email };
    o.updatedAt = this.stamp(o.updatedAt);
    return clone(o);
  }

  cancelOrder(domain: string, id: string, opts: { refund?: boolean } = {}): MemoryOrder {
    return this.changeOrder(domain, id, { state: "cancelled", ...(opts.refund ? { payment: "refunded" as const } : {}) });
  }

  private order(domain: string, id: string): MemoryOrder {
    const o = this.shop(domain).orders.get(id);
    if (!o) throw new Error(`MemoryShopStore: no order ${id} in ${domain}`);
    return o;
  }

  getOrder(domain: string, id: string): MemoryOrder | undefined {
    const o = this.shop(domain).orders.get(id);
    return o ? clone(o) : undefined;
  }

  /** Oldest change first, then by id: the order the listing pages in. */
  ordersByChange(domain: string): MemoryOrder[] {
    return [...this.shop(domain).orders.values()]
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || Number(a.id) - Number(b.id))
      .map(clone);
  }

  /** Ship the order with this tracking (the platform's "mark shipped" call). Nothing left to ship → null. */
  fulfil(domain: string, id: string, f: Omit<MemoryFulfilment, "id" | "at">): MemoryFulfilment | null {
    const o = this.order(domain, id);
    if (o.state !== "open") return null;
    const fulfilment: MemoryFulfilment = { id: `F${this.nextId++}`, at: this.clock.now(), ...f };
    o.fulfilments.push(fulfilment);
    o.state = "shipped";
    o.updatedAt = this.stamp(o.updatedAt);
    return clone(fulfilment);
  }

  fulfilments(domain: string, id: string): MemoryFulfilment[] {
    return clone(this.order(domain, id).fulfilments);
  }

  recordCall(domain: string, call: string, extra: { since?: Date | null } = {}): void {
    this.apiCalls.push({ domain, call, ...extra });
  }

  callsOf(domain: string): { call: string; since?: Date | null }[] {
    return this.apiCalls.filter((c) => c.domain === domain).map(({ domain: _d, ...c }) => c);
  }

  /**
   * The next `count` fetches read the order at once but answer only after `release()`: a fetch that is slow to come
   * back, so a newer change can be imported before it (the race a fetch-on-webhook platform has). `started` resolves
   * once they have all read.
   */
  holdFetches(count = 1): { started: Promise<void>; release(): void } {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const startedP = new Promise<void>((r) => (started = r));
    this.hold = { remaining: count, gate, started };
    return { started: startedP, release };
  }

  /** What a fetch waits for after it read the order (at once unless holdFetches is on). */
  fetchGate(): Promise<void> {
    const h = this.hold;
    if (!h || h.remaining <= 0) return Promise.resolve();
    if (--h.remaining === 0) {
      this.hold = null;
      h.started();
    }
    return h.gate;
  }

  /** The delivery the platform sends: only the event and what it is about, never the order itself. */
  delivery(platform: PlatformId, domain: string, event: string, body: Record<string, unknown> = {}, opts: { deliveryId?: string } = {}): IncomingDelivery {
    const deliveryId = opts.deliveryId ?? `mem-${this.nextDelivery++}`;
    return {
      platform,
      shopDomain: domain,
      webhookId: deliveryId,
      topic: event,
      triggeredAt: this.clock.now(),
      payload: { event, shop: domain, ...body },
      bodyIsJson: true,
    };
  }
}
