// One driver per shop platform for the core suite (test/integration/core-platforms.test.ts): what a test needs to do
// "in the shop" (create, change, cancel an order; send the platform's delivery; read what was written back), so each
// core test is written once and runs against every platform. A new platform adapter joins the suite with a driver here.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { Session } from "@shopify/shopify-api";
import type { SetupServer } from "msw/node";
import type { Runtime } from "../../../app/runtime.server";
import type { DeliveryResult, IncomingDelivery, ReceiveResult } from "../../../app/core/deliveries.server";
import type { Clock, PlatformId, ShopPlatform } from "../../../app/core/ports";
import { installShop } from "../../../app/core/shops.server";
import { uninstallShop } from "../../../app/core/privacy.server";
import { parseJson } from "../../../app/core/text";
import { encryptSecret } from "../../../app/crypto.server";
import { sessions, shops } from "../../../app/db/schema";
import { db } from "../../../app/db.server";
import { sessionStorage, SHOPIFY_API_VERSION } from "../../../app/shopify.server";
import { createShopifyPlatform } from "../../../app/platforms/shopify/adapter.server";
import { createSessionGraphqlTransport } from "../../../app/platforms/shopify/graphql-transport.server";
import { sessionHousekeeping } from "../../../app/platforms/shopify/sessions.server";
import { createFakeShopify, dutchOrder, orderWebhookPayload, startFakeShopifyServer, type ManualClock } from "../../fakes/shopify";
import { createMemoryPlatform, MEMORY_EVENTS, MemoryShopStore, type MemoryPlatformOptions } from "../../fakes/memory-platform";

export type OrderSpec = { paid?: boolean; test?: boolean; email?: string };
export type OrderRef = { platformOrderId: string; number: string };
/** A shipment as the platform recorded it (what the customer and the merchant see in the shop). */
export type WrittenFulfilment = { trackingNumber: string | null; trackingUrl: string | null; company: string | null; notifyCustomer: boolean | null };

/** The core's side, shared by all drivers: the inbox every delivery goes into, and the process-delivery worker. */
export type CoreWorld = {
  rt: Runtime;
  clock: ManualClock & Clock;
  deliver(d: IncomingDelivery): Promise<ReceiveResult>;
  /** Runs queued process-delivery jobs as the worker does; outcome per delivery id. */
  drain(): Promise<Map<number, DeliveryResult>>;
  deps: { platformFor: (id: PlatformId) => ShopPlatform };
};

export interface DriverShop {
  shopId: number;
  domain: string;
  createOrder(spec?: OrderSpec): Promise<OrderRef>;
  changeOrder(ref: OrderRef, patch: { email?: string; paid?: boolean }): Promise<void>;
  cancelOrder(ref: OrderRef): Promise<void>;
  /** The delivery the platform sends about the order now (platforms with intake "webhooks"). */
  orderDelivery(ref: OrderRef): IncomingDelivery;
  /**
   * A delivery about the order as it is now whose import lands only after `change` was made and imported: an older
   * state arriving late (Shopify: webhooks out of order; a fetching platform: a slow fetch). Its outcome.
   */
  deliverLate(ref: OrderRef, change: () => Promise<void>): Promise<DeliveryResult | undefined>;
  /** The shop uninstalls the app, by the platform's own door (its uninstall delivery, or the core use case). */
  uninstall(): Promise<void>;
  /** The platform's own access for the shop is gone (its onUninstall did its clean-up). */
  accessGone(): Promise<boolean>;
  updatedAt(ref: OrderRef): Date;
  fulfilments(ref: OrderRef): WrittenFulfilment[];
}

export interface PlatformDriver {
  readonly name: string;
  readonly platform: ShopPlatform;
  /** Orders per listOrders page. */
  readonly pageSize: number;
  /** The tracking company the platform shows for the fake carrier's PostNL service. */
  readonly expectedCompany: string;
  newShop(): Promise<DriverShop>;
  close(): void;
}

let shopSeq = 0;

// ------------------------------------------------------------------------------------------------ Shopify

/** The real Shopify adapter against the fake Shopify (msw), its sessions in the real session table. */
export function shopifyDriver(world: CoreWorld): PlatformDriver {
  const { clock } = world;
  const { fake, handlers } = createFakeShopify({ clock, bucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
  const server: SetupServer = startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
  const platform = createShopifyPlatform({
    transport: createSessionGraphqlTransport({ apiVersion: SHOPIFY_API_VERSION, loadOfflineSession: (s) => sessionStorage.loadSession(`offline_${s}`) }),
    // The process's database handle (the runtime's): drivers are built before the runtime starts.
    sessions: sessionHousekeeping(db),
    // Waiting for the leaky bucket = letting the fake's clock move on.
    sleep: async (ms) => clock.advance(ms),
    now: () => clock.now().getTime(),
  });

  function delivery(domain: string, topic: string, payload: unknown): IncomingDelivery {
    // As the webhook route stores it: the JSON body parsed losslessly, Shopify's headers as fields.
    return {
      platform: "shopify",
      shopDomain: domain,
      webhookId: randomUUID(),
      eventId: randomUUID(),
      topic,
      apiVersion: SHOPIFY_API_VERSION,
      triggeredAt: clock.now(),
      payload: parseJson(JSON.stringify(payload)),
      bodyIsJson: true,
    };
  }

  return {
    name: "Shopify (fake Shopify, msw)",
    platform,
    pageSize: 50, // ORDERS_PAGE_SIZE
    expectedCompany: "PostNL",
    async newShop() {
      const { rt } = world;
      const domain = `core-suite-${++shopSeq}.myshopify.com`;
      const token = `shpat_core_${shopSeq}`;
      fake.addShop(domain, { accessToken: token });
      const shop = await installShop(rt.db, "shopify", domain);
      await sessionStorage.storeSession(new Session({ id: `offline_${domain}`, shop: domain, state: "s", isOnline: false, accessToken: token }));
      const orderOf = (ref: OrderRef) => {
        const o = fake.getOrder(domain, ref.platformOrderId);
        if (!o) throw new Error(`no Shopify order ${ref.platformOrderId}`);
        return o;
      };
      const orderDelivery = (ref: OrderRef) => delivery(domain, "orders/updated", orderWebhookPayload(orderOf(ref)));
      return {
        shopId: shop.id,
        domain,
        async createOrder(spec = {}) {
          const o = fake.upsertOrder(
            domain,
            dutchOrder({ financialStatus: spec.paid === false ? "PENDING" : "PAID", test: spec.test ?? false, ...(spec.email ? { email: spec.email } : {}) }),
          );
          return { platformOrderId: String(o.id), number: o.name };
        },
        async changeOrder(ref, patch) {
          fake.upsertOrder(domain, {
            id: Number(ref.platformOrderId),
            ...(patch.email !== undefined ? { email: patch.email } : {}),
            ...(patch.paid !== undefined ? { financialStatus: patch.paid ? "PAID" : "PENDING" } : {}),
          });
        },
        async cancelOrder(ref) {
          fake.cancelOrder(domain, Number(ref.platformOrderId));
        },
        orderDelivery,
        async deliverLate(ref, change) {
          // Shopify's webhook carries the order as it was: take it now, send it after the newer one.
          const older = orderDelivery(ref);
          await change();
          await world.deliver(orderDelivery(ref));
          await world.drain();
          const stored = await world.deliver(older);
          const results = await world.drain();
          return stored.status === "stored" ? results.get(stored.deliveryId) : undefined;
        },
        async uninstall() {
          await world.deliver(delivery(domain, "app/uninstalled", { id: 1, name: domain, domain, myshopify_domain: domain }));
          await world.drain();
        },
        async accessGone() {
          return (await rt.db.select().from(sessions).where(eq(sessions.shop, domain))).length === 0;
        },
        updatedAt: (ref) => new Date(orderOf(ref).updatedAt),
        fulfilments(ref) {
          const calls = fake.fulfillmentCalls(domain);
          return orderOf(ref)
            .fulfillments.filter((f) => f.status === "SUCCESS")
            .map((f) => {
              const call = calls.find((c) => c.fulfillmentId === `gid://shopify/Fulfillment/${f.id}`);
              const t = f.trackingInfo[0];
              return { trackingNumber: t?.number ?? null, trackingUrl: t?.url ?? null, company: t?.company ?? null, notifyCustomer: call?.input.notifyCustomer ?? null };
            });
        },
      };
    },
    close: () => server.close(),
  };
}

// ------------------------------------------------------------------------------------------------ in-memory

/** The in-memory platform (test/fakes/memory-platform): deliveries name the order, the adapter fetches it. */
export function memoryDriver(world: CoreWorld, name: string, opts: MemoryPlatformOptions = {}): PlatformDriver & { store: MemoryShopStore } {
  const { clock } = world;
  const store = new MemoryShopStore(clock);
  const platform = createMemoryPlatform(store, opts);
  const id = platform.id;
  return {
    name,
    platform,
    store,
    pageSize: platform.pageSize,
    expectedCompany: "PostNL",
    async newShop() {
      const { rt } = world;
      const domain = `core-suite-${++shopSeq}.${id}.example`;
      const { apiKey } = store.addShop(domain);
      const shop = await installShop(rt.db, id, domain);
      // What a handshake / connect form leaves behind: the platform's credentials, encrypted, on the shop row.
      await rt.db
        .update(shops)
        .set({ credentialsEncrypted: encryptSecret(JSON.stringify({ apiKey }), rt.encryptionKey) })
        .where(eq(shops.id, shop.id));
      const orderDelivery = (ref: OrderRef) => store.delivery(id, domain, MEMORY_EVENTS.orderChanged, { orderId: ref.platformOrderId });
      const orderOf = (ref: OrderRef) => {
        const o = store.getOrder(domain, ref.platformOrderId);
        if (!o) throw new Error(`no memory order ${ref.platformOrderId}`);
        return o;
      };
      return {
        shopId: shop.id,
        domain,
        async createOrder(spec = {}) {
          const o = store.addOrder(domain, { payment: spec.paid === false ? "open" : "paid", test: spec.test ?? false, ...(spec.email ? { email: spec.email } : {}) });
          return { platformOrderId: o.id, number: o.number };
        },
        async changeOrder(ref, patch) {
          store.changeOrder(domain, ref.platformOrderId, {
            ...(patch.email !== undefined ? { email: patch.email } : {}),
            ...(patch.paid !== undefined ? { payment: patch.paid ? ("paid" as const) : ("open" as const) } : {}),
          });
        },
        async cancelOrder(ref) {
          store.cancelOrder(domain, ref.platformOrderId);
        },
        orderDelivery,
        async deliverLate(ref, change) {
          // The older delivery's fetch reads the order now and answers late; meanwhile the change is imported.
          const stored = await world.deliver(orderDelivery(ref));
          const held = store.holdFetches(1);
          const first = world.drain();
          await held.started;
          await change();
          await world.deliver(orderDelivery(ref));
          await world.drain();
          held.release();
          const results = await first;
          return stored.status === "stored" ? results.get(stored.deliveryId) : undefined;
        },
        async uninstall() {
          if (platform.capabilities.intake === "webhooks") {
            await world.deliver(store.delivery(id, domain, MEMORY_EVENTS.appRemoved));
            await world.drain();
          } else {
            // A polled platform sends nothing: the merchant disconnects in Koppel, through the same use case.
            await uninstallShop({ db: rt.db, platformFor: world.deps.platformFor }, id, domain);
            await rt.queue.unscheduleSync(shop.id);
          }
        },
        async accessGone() {
          return platform.calls.onUninstall.includes(domain) && !store.isValidKey(domain, apiKey);
        },
        updatedAt: (ref) => new Date(orderOf(ref).updatedAt),
        fulfilments: (ref) =>
          store.fulfilments(domain, ref.platformOrderId).map((f) => ({ trackingNumber: f.trackingNumber, trackingUrl: f.trackingUrl, company: f.carrier, notifyCustomer: f.notifyCustomer })),
      };
    },
    close: () => {},
  };
}
