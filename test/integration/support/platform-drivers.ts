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
import { parseJson, parseJsonBody } from "../../../app/core/text";
import { sessions, shops } from "../../../app/db/schema";
import { db } from "../../../app/db.server";
import { sessionStorage, SHOPIFY_API_VERSION } from "../../../app/shopify.server";
import { createShopifyPlatform } from "../../../app/platforms/shopify/adapter.server";
import { createSessionGraphqlTransport } from "../../../app/platforms/shopify/graphql-transport.server";
import { sessionHousekeeping } from "../../../app/platforms/shopify/sessions.server";
import { createFakeShopify, dutchOrder, orderWebhookPayload, startFakeShopifyServer, type ManualClock } from "../../fakes/shopify";
import { createCcvShopPlatform } from "../../../app/platforms/ccvshop/adapter.server";
import { API_PREFIX } from "../../../app/platforms/ccvshop/api-client.server";
import { eventOfSummary } from "../../../app/platforms/ccvshop/deliveries";
import { appStoreHash, CCV_APP_PATHS, newWebhookToken, receiveHandshake, receiveUninstall } from "../../../app/platforms/ccvshop/install.server";
import { sha256Hex } from "../../../app/platforms/ccvshop/webhook-door.server";
import { ccvAppConfig } from "../../../app/platforms/registry.server";
import { startFakeCcvShop, type CcvOrderWebhookEvent, type RunningFakeCcvShop } from "../../fakes/ccvshop";
import { connectShop } from "../../../app/core/connect-shop";
import { createMijnwebwinkelPlatform } from "../../../app/platforms/mijnwebwinkel/adapter.server";
import { pgMwwOrderMemory } from "../../../app/platforms/mijnwebwinkel/order-memory.server";
import type { MwwCredentials } from "../../../app/platforms/mijnwebwinkel/credentials";
import { startFakeMijnwebwinkel, STATUS, type FakeMwwStore, type MwwOrderRecord, type RunningFakeMijnwebwinkel } from "../../fakes/mijnwebwinkel";

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
  /** The platform has test orders (Shopify's test flag, Mijnwebwinkel's "T-"): createOrder({ test: true }) works. */
  readonly hasTestOrders: boolean;
  /** The sync's listing returns an unpaid order (CCV Shop asks only paid, completed ones: is_paid=true). */
  readonly listsUnpaidOrders: boolean;
  /** The write-back carries the tracking URL (CCV's PATCH has only the code and the carrier). */
  readonly writesTrackingUrl: boolean;
  newShop(): Promise<DriverShop>;
  close(): void | Promise<void>;
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
    hasTestOrders: true,
    listsUnpaidOrders: true,
    writesTrackingUrl: true,
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

// ------------------------------------------------------------------------------------------------ CCV Shop

/** A read the driver holds: the request went out (and was answered) now, its answer reaches the adapter on release. */
type HeldRead = { orderId: number; started: () => void; gate: Promise<void> };
/** Per fake shop: the clock time of the last read that included each order (CCV's updatedAt), and a held read. */
type ShopTap = { reads: Map<number, number>; hold: HeldRead | null };

/**
 * The real CCV Shop adapter against the fake CCV Shop (test/fakes/ccvshop) over loopback HTTP, one fake server per
 * shop (each CCV shop is its own host; Koppel's shop domain is that host). Installed by the App Store's handshake and
 * left as Koppelen leaves it (a webhook token); deliveries are what the CCV webhook door stores; uninstalled by the
 * App Store's signed uninstall call.
 */
export function ccvShopDriver(world: CoreWorld): PlatformDriver {
  const { clock } = world;
  const pageSize = 3;
  const taps = new Map<string, ShopTap>();
  const servers: RunningFakeCcvShop[] = [];

  // The adapter's fetch: the real request, at once; GETs of an order or an order list record, per order in the answer,
  // the clock time the request began (what the adapter takes as the order's updatedAt), and a held read answers late.
  const tappedFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const tap = taps.get(url.origin);
    const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length).replace(/\/+$/, "") : "";
    const one = /^\/orders\/(\d+)$/.exec(path);
    if (!tap || method !== "GET" || (!one && path !== "/orders")) return fetch(input, init);
    const startedAt = clock.now().getTime();
    const res = await fetch(input, init);
    const text = await res.text();
    if (res.status === 200) {
      const body = JSON.parse(text) as { id?: number; items?: { id: number }[] };
      for (const id of one ? [body.id] : (body.items ?? []).map((o) => o.id)) {
        if (typeof id === "number") tap.reads.set(id, Math.max(tap.reads.get(id) ?? 0, startedAt));
      }
    }
    const answer = new Response(res.status === 204 ? null : text, { status: res.status, statusText: res.statusText, headers: res.headers });
    const hold = tap.hold;
    if (one && hold && hold.orderId === Number(one[1])) {
      tap.hold = null;
      hold.started();
      await hold.gate;
    }
    return answer;
  };

  const platform = createCcvShopPlatform({
    fetch: tappedFetch,
    now: () => clock.now(),
    // The trigger throttle's and the rate limit's waits let the clock move on.
    sleep: async (ms) => clock.advance(ms),
    pageSize,
  });

  return {
    name: "CCV Shop (fake CCV Shop, loopback HTTP)",
    platform,
    pageSize,
    // ccvTrackingCarrier: the distributor of the fake carrier's PostNL service.
    expectedCompany: "PostNL",
    hasTestOrders: false,
    listsUnpaidOrders: false,
    writesTrackingUrl: false,
    async newShop() {
      const { rt } = world;
      const running = await startFakeCcvShop({ now: () => clock.now().getTime(), seed: "none" });
      servers.push(running);
      const { fake, host, apiRoot, apiPublic, apiSecret } = running;
      const tap: ShopTap = { reads: new Map(), hold: null };
      taps.set(new URL(apiRoot).origin, tap);
      const config = ccvAppConfig();

      // The App Store's handshake (connectShop with the shop's credentials, and its api_public as the shop's key), …
      const handshake = JSON.stringify({ api_public: apiPublic, api_secret: apiSecret, api_root: apiRoot, return_url: null, language: "nl" });
      const installed = await receiveHandshake({ db: rt.db, encryptionKey: rt.encryptionKey }, config, {
        rawBody: handshake,
        hash: appStoreHash(config, CCV_APP_PATHS.handshake, handshake),
      });
      if (!installed.ok) throw new Error(`CCV handshake: ${installed.reason}`);
      if (installed.value.domain !== host) throw new Error(`CCV shop domain ${installed.value.domain}, expected ${host}`);
      // … then Koppelen: the webhooks go to a per-shop token address, of which Koppel keeps the hash.
      await rt.db.update(shops).set({ webhookTokenHash: sha256Hex(newWebhookToken()) }).where(eq(shops.id, installed.value.id));

      /** The event CCV last had reason to send about each order. */
      const lastEvent = new Map<number, CcvOrderWebhookEvent>();
      const idOf = (ref: OrderRef) => Number(ref.platformOrderId);
      const orderOf = (ref: OrderRef) => {
        const o = fake.order(idOf(ref));
        if (!o) throw new Error(`no CCV order ${ref.platformOrderId}`);
        return o;
      };
      const orderDelivery = (ref: OrderRef): IncomingDelivery => {
        // What createCcvWebhookDoor stores for CCV's POST of this summary: deduplicated on the exact body.
        const id = idOf(ref);
        const rawBody = JSON.stringify(fake.webhookSummary(lastEvent.get(id) ?? "orders.created", id));
        const parsed = parseJsonBody(rawBody);
        if (!parsed.ok) throw new Error(parsed.reason);
        const payload = parsed.value as Record<string, unknown>;
        return {
          platform: "ccvshop",
          shopDomain: host,
          webhookId: `${host}:${sha256Hex(rawBody)}`,
          topic: eventOfSummary(payload),
          triggeredAt: new Date(String(payload.triggered_at)),
          payload,
          bodyIsJson: true,
        };
      };
      let customers = 0;
      return {
        shopId: installed.value.id,
        domain: host,
        async createOrder(spec = {}) {
          if (spec.test) throw new Error("CCV Shop has no test orders (driver hasTestOrders: false)");
          const n = ++customers;
          const o = fake.addOrder({
            paid: spec.paid !== false,
            ...(spec.paid === false ? { paymethod: "Overboeking", paymethod_id: 3 } : {}),
            customer: {
              email: spec.email ?? `sanne.dejong+${n}@example.nl`,
              billingaddress: {
                gender: "female",
                initials: "S.",
                first_name: "Sanne",
                last_name: "de Jong",
                full_name: "Sanne de Jong",
                street: "Keizersgracht",
                housenumber: 100 + n,
                zipcode: "1015 CJ",
                city: "Amsterdam",
                province: "Noord-Holland",
                country: "Nederland",
                country_code: "NL",
                mobile: "0612345001",
              },
            },
            rows: [
              { product_name: "Koffiebonen Espresso 1 kg", product_number: "KOF-ESP-1000", count: 2, price: 24.95, weight: 1.05 },
              { product_name: "Stroopwafels (8 st.)", product_number: "STW-8", count: 1, price: 3.95, weight: 0.3 },
            ],
          });
          lastEvent.set(o.id, "orders.created");
          return { platformOrderId: String(o.id), number: o.ordernumber_full! };
        },
        async changeOrder(ref, patch) {
          const id = idOf(ref);
          fake.updateOrder(id, {
            ...(patch.email !== undefined ? { customer: { email: patch.email } } : {}),
            ...(patch.paid !== undefined ? { paid: patch.paid } : {}),
          });
          if (patch.paid !== undefined) lastEvent.set(id, "orders.updated.ispaid");
        },
        async cancelOrder(ref) {
          fake.updateOrder(idOf(ref), { status: 8 }); // Geannuleerd
          lastEvent.set(idOf(ref), "orders.updated.status");
        },
        orderDelivery,
        async deliverLate(ref, change) {
          // The older delivery's read of the order goes out now and answers late; meanwhile the change is imported
          // (the trigger throttle lets the second read start only in the next window: its wait moves the clock).
          const stored = await world.deliver(orderDelivery(ref));
          let release!: () => void;
          let started!: () => void;
          const gate = new Promise<void>((r) => (release = r));
          const startedP = new Promise<void>((r) => (started = r));
          tap.hold = { orderId: idOf(ref), started, gate };
          const first = world.drain();
          await Promise.race([
            startedP,
            first.then(() => {
              throw new Error("the late delivery was processed without reading the order");
            }),
          ]);
          await change();
          await world.deliver(orderDelivery(ref));
          await world.drain();
          release();
          const results = await first;
          return stored.status === "stored" ? results.get(stored.deliveryId) : undefined;
        },
        async uninstall() {
          // The App Store's signed uninstall call; CCV's keys for the app stop working with it.
          const rawBody = JSON.stringify({ api_public: apiPublic });
          const r = await receiveUninstall({ db: rt.db, queue: rt.queue, platformFor: world.deps.platformFor }, config, {
            rawBody,
            hash: appStoreHash(config, CCV_APP_PATHS.uninstall, rawBody),
          });
          if (!r.ok) throw new Error(`CCV uninstall: ${r.reason}`);
          fake.revokeCredentials();
        },
        async accessGone() {
          const [row] = await rt.db.select().from(shops).where(eq(shops.id, installed.value.id));
          return !!row && row.credentialsEncrypted === null && row.webhookTokenHash === null;
        },
        // CCV has no modification instant: the adapter's updatedAt is when its last read of the order began.
        updatedAt: (ref) => new Date(tap.reads.get(idOf(ref)) ?? Date.parse(orderOf(ref).create_date)),
        fulfilments: (ref) =>
          fake.patches
            .filter((p) => p.id === idOf(ref) && p.status >= 200 && p.status < 300)
            .map((p) => {
              const b = p.body as { track_and_trace_code?: string | null; track_and_trace_carrier?: string | null; mail?: boolean };
              // CCV's PATCH carries no tracking URL (Koppel sends status, code, carrier and mail).
              return { trackingNumber: b.track_and_trace_code ?? null, trackingUrl: null, company: b.track_and_trace_carrier ?? null, notifyCustomer: b.mail ?? null };
            }),
      };
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

// ------------------------------------------------------------------------------------------------ Mijnwebwinkel

/** The line the adapter appends to comments.internal on write-back (adapter.server.ts trackingComment). */
const MWW_TRACKING_LINE = /^Verzonden met (.+), track & trace (.+): (\S+)$/;

/**
 * The real Mijnwebwinkel adapter against the fake MyOnlineStore Connect API (test/fakes/mijnwebwinkel) over loopback
 * HTTP: one API host for all shops (one partner token), each shop a store behind its own store token. Connected by the
 * core's connectShop with the token form's credentials; polled (no deliveries); disconnected in Koppel.
 */
export function mijnwebwinkelDriver(world: CoreWorld): PlatformDriver {
  const { clock } = world;
  const pageSize = 2;
  let api: RunningFakeMijnwebwinkel | null = null;
  // One API for every shop: started with the first shop (the driver is built before the suite's beforeAll).
  const apiOf = async () =>
    (api ??= await startFakeMijnwebwinkel({
      stores: [],
      now: () => clock.now().getTime(),
      // The clock is shared by the whole suite and moves slowly: windows that never refuse a test.
      perMinute: 100_000,
      partnerPerMinute: 1_000_000,
    }));

  const platform = createMijnwebwinkelPlatform({
    config: () => {
      if (!api) throw new Error("the fake Mijnwebwinkel API is not started (no shop yet)");
      return { apiUrl: api.apiUrl, partnerToken: api.partnerToken };
    },
    now: () => clock.now(),
    // The rate limit's (and a 5xx's) wait lets the clock move on.
    sleep: async (ms) => clock.advance(ms),
    pageSize,
    memory: pgMwwOrderMemory(() => world.rt.db),
    // The suite's syncs ten minutes apart list every open order (an edit or an archiving, which the changed-only
    // listing in between cannot see, then shows at once); those a second apart list only what changed.
    fullListingEveryMs: 10 * 60_000,
    // The suite pays an order a second after its first poll: asked again at every poll.
    paymentRecheckMs: 0,
  });

  return {
    name: "Mijnwebwinkel (fake MyOnlineStore Connect API, loopback HTTP)",
    platform,
    pageSize,
    // trackingComment: "Verzonden met <distributor>": the distributor of the fake carrier's PostNL service.
    expectedCompany: "PostNL",
    // Test orders are "T-…"; the listing asks test=false, so the driver's test order is one listed anyway (below).
    hasTestOrders: true,
    // The listing returns the open orders, paid or not; the adapter asks each one's payments.
    listsUnpaidOrders: true,
    // The link is in the internal comment's line.
    writesTrackingUrl: true,
    async newShop() {
      const { rt } = world;
      const { fake } = await apiOf();
      const n = ++shopSeq;
      const domain = `core-suite-${n}.myonline.store`;
      const store: FakeMwwStore = fake.addStore({ token: `mww-core-${n}-${randomUUID()}`, name: `Core suite ${n}` });
      const credentials: MwwCredentials = { shopUrl: domain, apiToken: store.token };
      const connected = await connectShop(rt, { platform: "mijnwebwinkel", domain, name: store.name, credentials });
      if (!connected.ok) throw new Error(`Mijnwebwinkel connect: ${connected.reason}`);
      const shopId = connected.value.id;

      /** The internal comment each order had when the driver created it (the write-back must keep it). */
      const originalComment = new Map<string, string>();
      const recordOf = (ref: OrderRef): MwwOrderRecord => {
        const r = store.find(ref.platformOrderId);
        if (!r) throw new Error(`no Mijnwebwinkel order ${ref.platformOrderId}`);
        return r;
      };
      let customers = 0;
      return {
        shopId,
        domain,
        async createOrder(spec = {}) {
          const c = ++customers;
          const internal = `Klant ${c}: graag na 17:00 bezorgen`;
          const record = store.addOrder({
            status: STATUS.NIEUW,
            email: spec.email ?? `sanne.dejong+${c}@example.nl`,
            // Paid: captured by iDEAL; unpaid: an open bank transfer (no pending, authorized or captured transaction).
            payment: spec.paid === false ? "open" : "captured",
            comments: { internal },
            invoice: { gender: "V", name: "Sanne de Jong", phone: "0612345001", street: "Keizersgracht", number: String(100 + c), zipcode: "1015 CJ", city: "Amsterdam" },
            lines: [
              { description: "Koffiebonen Espresso 1 kg", sku: "KOF-ESP-1000", quantity: 2, unitPrice: 24.95, rate: 9, weight: 1050 },
              { description: "Stroopwafels (8 st.)", sku: "STW-8", quantity: 1, unitPrice: 3.95, rate: 9, weight: 300 },
            ],
          });
          if (spec.test) {
            // A test order the listing returns although Koppel asks test=false: "T-<n>" as the API renders test orders
            // (the fake's own test orders are never listed with test=false), so the adapter's "T-" refusal is what
            // keeps it out. By number it is still addressed as <n>.
            record.order.number = `T-${record.seq}`;
          }
          originalComment.set(String(record.seq), internal);
          return { platformOrderId: String(record.seq), number: String(record.order.number) };
        },
        async changeOrder(ref, patch) {
          // The adapter remembers a paid order (its payments are not asked again): un-paying is not something it sees.
          if (patch.paid === false) throw new Error("Mijnwebwinkel driver: an order cannot be made unpaid");
          const r = recordOf(ref);
          // The merchant corrects the customer's e-mail address in the shop.
          if (patch.email !== undefined) r.order.debtor.email = patch.email;
          if (patch.paid === true) store.addMutation(r.seq, "capture"); // the bank transfer arrived
        },
        async cancelOrder(ref) {
          store.setStatus(recordOf(ref).seq, STATUS.GEANNULEERD);
        },
        orderDelivery() {
          throw new Error("Mijnwebwinkel sends no webhooks (polled)");
        },
        async deliverLate() {
          throw new Error("Mijnwebwinkel sends no webhooks (polled)");
        },
        async uninstall() {
          // A polled platform sends nothing: the merchant disconnects in Koppel, through the core's use case.
          await uninstallShop({ db: rt.db, platformFor: world.deps.platformFor }, "mijnwebwinkel", domain);
          await rt.queue.unscheduleSync(shopId);
        },
        async accessGone() {
          // The store token lives only in shops.credentials_encrypted (the adapter's onUninstall has nothing to do).
          const [row] = await rt.db.select().from(shops).where(eq(shops.id, shopId));
          return !!row && row.credentialsEncrypted === null;
        },
        updatedAt(ref) {
          // The API has no modification instant: the adapter's updatedAt is when it first saw the order as it is now.
          const at = platform.updatedAtOf(shopId, ref.platformOrderId);
          if (!at) throw new Error(`the adapter has not read Mijnwebwinkel order ${ref.number}`);
          return at;
        },
        fulfilments(ref) {
          // Each accepted PATCH of the order to "Verzonden" is a shipment; its tracking is the line it appended to the
          // internal comment, which it must have kept whole (the API replaces the comment with what is sent).
          const original = originalComment.get(ref.platformOrderId) ?? "";
          return fake.patches
            .filter((p) => p.storeId === store.id && p.number === ref.platformOrderId && p.status >= 200 && p.status < 300)
            .filter((p) => (p.body as { status?: unknown }).status === STATUS.VERZONDEN)
            .map((p) => {
              const internal = (p.body as { comments?: { internal?: unknown } }).comments?.internal;
              if (typeof internal !== "string") return { trackingNumber: null, trackingUrl: null, company: null, notifyCustomer: false };
              if (!internal.startsWith(`${original}\n`)) throw new Error(`the write-back did not keep the internal comment: ${JSON.stringify(internal)}`);
              const m = MWW_TRACKING_LINE.exec(internal.slice(original.length + 1));
              // Mijnwebwinkel's PATCH has no customer e-mail: the shop is not asked to tell the customer.
              return { trackingNumber: m?.[2] ?? null, trackingUrl: m?.[3] ?? null, company: m?.[1] ?? null, notifyCustomer: false };
            });
        },
      };
    },
    async close() {
      await api?.close();
    },
  };
}
