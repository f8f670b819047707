// CCV Shop end to end against the fake CCV Shop (loopback HTTP, signature-checking, rate-limited) and real PostgreSQL:
// the App Store's handshake, install link and uninstall as CCV sends them to Koppel's addresses under APP_URL, Koppelen
// (is_installed, webhooks at a per-shop token address, the sync), webhook triggers through the server's fast path,
// the sync, a label's write-back PATCH, the rate limit, and one CCV shop never seeing another's data.
import http from "node:http";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { env } from "~/env.server";
import { activity, orders, shipments, shops } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import type { PlatformId, ShopPlatform } from "~/core/ports";
import { handleWebhookNode } from "~/webhook-route.server";
import { handleHandshake, handleUninstall } from "~/platforms/ccvshop/app-store-routes.server";
import { createCcvShopPlatform } from "~/platforms/ccvshop/adapter.server";
import { processDeliveries } from "~/core/deliveries.server";
import { syncShop } from "~/core/sync.server";
import { connectCarrier } from "~/core/labels/connection.server";
import { requestLabels } from "~/core/labels/request-labels.server";
import { processLabelRequest } from "~/core/labels/label-job.server";
import { writeBackShipment } from "~/core/labels/write-back.server";
import { configureCarrierBaseUrls } from "~/carriers/registry.server";
import { loader as installLoader, action as installAction } from "~/routes/ccvshop.install";
import { loader as ordersLoader } from "~/routes/app._index";
import { loader as shipmentsLoader } from "~/routes/app.shipments";
import { loader as pdfLoader } from "~/routes/app.shipments.pdf";
import { QUEUES, type JobData } from "~/jobs/queue.server";
import { startFakeCcvShop, createFakeAppStore, type RunningFakeCcvShop } from "../fakes/ccvshop";
import { startFakeCarrier, type RunningFakeCarrier } from "../fakes/carrier";
import { CARRIER_ACCOUNT } from "./support/label-world";
import { countRows, runtime } from "./helpers";

let rt: Runtime;
let carrier: RunningFakeCarrier;
let koppel: http.Server;
const ccvShops: RunningFakeCcvShop[] = [];

/** Waits recorded instead of slept (rate limits, the trigger window): the test never sleeps. */
const waits: number[] = [];
const adapter = createCcvShopPlatform({
  sleep: async (ms) => {
    waits.push(ms);
  },
});
const depsWith = (ccv: ShopPlatform) => ({ ...rt, platformFor: (id: PlatformId) => (id === "ccvshop" ? ccv : rt.platformFor(id)) });
const deps = () => depsWith(adapter);

/** Koppel's CCV addresses on APP_URL's port, as production serves them: App Store calls, and webhooks by the fast path. */
function startKoppel(): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    if (handleWebhookNode(req, res)) return;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`${env.APP_URL}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])),
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const handler = req.url === "/ccvshop/handshake" ? handleHandshake : req.url === "/ccvshop/uninstall" ? handleUninstall : null;
    const answer = handler ? await handler(request) : new Response("not found", { status: 404 });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  const port = Number(new URL(env.APP_URL).port);
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

async function drain(ccv: ShopPlatform = adapter): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const jobs = await rt.boss.fetch<JobData["process-delivery"]>(QUEUES.processDelivery, { batchSize: 50 });
    if (!jobs.length) return out;
    const results = await processDeliveries(depsWith(ccv), jobs.flatMap((j) => j.data.deliveryIds));
    for (const r of results.values()) out.push(r instanceof Error ? `error: ${r.message}` : r);
    for (const job of jobs) await rt.boss.complete(QUEUES.processDelivery, job.id);
  }
}

const appStoreFor = (shop: RunningFakeCcvShop) => createFakeAppStore({ appUrl: env.APP_URL, appSecret: env.CCVSHOP_APP_SECRET, shop });
const shopRow = async (domain: string) => (await rt.db.select().from(shops).where(and(eq(shops.platform, "ccvshop"), eq(shops.domain, domain))))[0];
const args = (request: Request) => ({ request, params: {}, context: {} });
/** What a loader returned with data(): its data. */
const payload = <T,>(v: unknown): T => (v && typeof v === "object" && "data" in v && "init" in v ? (v as { data: T }).data : (v as T));

const FORM = {
  intent: "from-address",
  company: "Theewinkel Zwolle",
  contactName: "Anne Bos",
  street: "Diezerstraat",
  houseNumber: "12",
  houseNumberAddition: "",
  postcode: "8011 RH",
  city: "Zwolle",
  country: "NL",
  phone: "+31 38 421 0000",
  email: "info@theewinkel.example",
};

function formPost(url: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

const cookieOf = (setCookie: string | null) => (setCookie ?? "").split(";")[0]!;

/** Handshake, install link, Koppelen: a connected CCV shop, and the merchant's cookie. */
async function installed(ccv: RunningFakeCcvShop): Promise<{ cookie: string; shopId: number }> {
  const store = appStoreFor(ccv);
  expect((await store.handshake()).status).toBe(200);
  const page = await installLoader(args(new Request(store.installUrl())));
  const cookie = cookieOf(new Headers((page as { init?: { headers?: HeadersInit } }).init?.headers).get("Set-Cookie"));
  await expect(installAction(args(formPost(store.installUrl(), FORM, cookie)))).rejects.toMatchObject({ status: 302 });
  return { cookie, shopId: (await shopRow(ccv.host))!.id };
}

beforeAll(async () => {
  rt = await runtime();
  carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT] });
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
  koppel = await startKoppel();
  for (let i = 0; i < 3; i++) ccvShops.push(await startFakeCcvShop({ seed: "none" }));
});
afterAll(async () => {
  await new Promise((r) => koppel?.close(r));
  for (const s of ccvShops) await s.close();
  configureCarrierBaseUrls(null);
  await carrier?.close();
  await rt?.stop();
});

describe("CCV App Store install", () => {
  it("a handshake with a wrong or missing x-hash is refused with 401 and stores nothing", async () => {
    const ccv = ccvShops[0]!;
    const store = appStoreFor(ccv);
    expect((await store.handshake({ tamper: true })).status).toBe(401);
    expect((await store.handshake({ noHash: true })).status).toBe(401);
    // Signed for another address (the hash covers Koppel's exact handshake URI).
    const elsewhere = createFakeAppStore({ appUrl: env.APP_URL, appSecret: env.CCVSHOP_APP_SECRET, shop: ccv, handshakeUri: `${env.APP_URL}/ccvshop/handshake` });
    const body = elsewhere.handshakeBody();
    const wrongUri = createHash("sha512"); // not an HMAC at all
    wrongUri.update(body);
    const res = await fetch(`${env.APP_URL}/ccvshop/handshake`, { method: "POST", headers: { "x-hash": wrongUri.digest("hex"), "content-type": "application/json" }, body });
    expect(res.status).toBe(401);
    expect(await shopRow(ccv.host)).toBeUndefined();
    expect(await countRows(rt, "shops", "platform = 'ccvshop'")).toBe(0);
  });

  it("an install link with a wrong hash opens no session", async () => {
    const ccv = ccvShops[0]!;
    const store = appStoreFor(ccv);
    expect((await store.handshake()).status).toBe(200);
    const bad = await installLoader(args(new Request(store.installUrl({ tamper: true }))));
    expect(payload<{ valid: boolean }>(bad)).toMatchObject({ valid: false });
    expect((bad as { init?: { status?: number } }).init?.status).toBe(403);
    expect(new Headers((bad as { init?: { headers?: HeadersInit } }).init?.headers).get("Set-Cookie")).toBeNull();
    // Koppelen with that link and no cookie: not signed in, nothing PATCHed.
    const post = await installAction(args(formPost(store.installUrl({ tamper: true }), FORM))).catch((e: Response) => e);
    expect((post as Response).status).toBe(401);
    expect(ccv.fake.appPatches).toHaveLength(0);
  });

  it("handshake → Mijn account (Shop-URL read-only) → Koppelen without postcode shows why → with every field: installed, webhooks at the shop's token, sync scheduled", async () => {
    const ccv = ccvShops[0]!;
    const store = appStoreFor(ccv);
    expect((await store.handshake({ returnUrl: `${ccv.apiRoot}/admin/appstore/installed` })).status).toBe(200);
    const row = (await shopRow(ccv.host))!;
    expect(row.platformKey).toBe(ccv.apiPublic);
    // Stored encrypted: neither secret nor public key readable in the row.
    expect(row.credentialsEncrypted).toBeTruthy();
    expect(row.credentialsEncrypted).not.toContain(ccv.apiSecret);
    expect(JSON.stringify(row)).not.toContain(ccv.apiSecret);

    const page = await installLoader(args(new Request(store.installUrl())));
    const data = payload<{ valid: boolean; shopUrl: string; values: Record<string, string> }>(page);
    expect(data).toMatchObject({ valid: true, shopUrl: ccv.host });
    const cookie = cookieOf(new Headers((page as { init?: { headers?: HeadersInit } }).init?.headers).get("Set-Cookie"));
    expect(cookie).toMatch(/^__koppel_session=/);

    const missing = payload<{ errors: Record<string, string> }>(await installAction(args(formPost(store.installUrl(), { ...FORM, postcode: "" }, cookie))));
    expect(missing.errors.postcode).toBe("Vul een postcode in");
    expect(ccv.fake.appPatches).toHaveLength(0);
    expect((await shopRow(ccv.host))!.fromAddress).toBeNull();

    const done = await installAction(args(formPost(store.installUrl(), FORM, cookie))).catch((e: Response) => e);
    expect(done).toBeInstanceOf(Response);
    expect((done as Response).headers.get("Location")).toBe("/app/setup/done");
    expect(ccv.fake.app.is_installed).toBe(true);
    expect(ccv.fake.appPatches).toEqual([{ is_installed: true }]);
    const hooks = ccv.fake.webhooks.filter((w) => w.is_active);
    expect(hooks.map((w) => w.event).sort()).toEqual(["orders.created", "orders.updated.ispaid", "orders.updated.status"]);
    const addresses = new Set(hooks.map((w) => w.address));
    expect(addresses.size).toBe(1);
    const address = [...addresses][0]!;
    expect(address).toMatch(new RegExp(`^${env.APP_URL}/webhooks/ccvshop/[A-Za-z0-9_-]{43}$`));
    const token = address.split("/").pop()!;
    const connected = (await shopRow(ccv.host))!;
    expect(connected.webhookTokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(connected.fromAddress).toMatchObject({ postcode: "8011 RH", city: "Zwolle" });
    // The periodic sync is scheduled (every 10 minutes) and a first sync is queued.
    const schedules = await rt.boss.getSchedules();
    expect(schedules.find((s) => s.name === QUEUES.syncShop && s.key === String(connected.id))).toMatchObject({ cron: "*/10 * * * *" });
    const queued = await rt.boss.fetch<JobData["sync-shop"]>(QUEUES.syncShop, { batchSize: 10 });
    expect(queued.map((j) => j.data.shopId)).toContain(connected.id);
    for (const j of queued) await rt.boss.complete(QUEUES.syncShop, j.id);
    expect((await rt.db.select().from(activity).where(eq(activity.shopId, connected.id))).map((a) => a.summary)).toEqual(expect.arrayContaining(["install"]));

    // Opening Koppel again from the App Store: the same signed link, now straight to the order list.
    const again = await installLoader(args(new Request(store.installUrl()))).catch((e: Response) => e);
    expect((again as Response).headers.get("Location")).toBe("/app");
  });
});

describe("CCV webhooks and sync", () => {
  let ccv: RunningFakeCcvShop;
  let shopId: number;
  beforeAll(async () => {
    ccv = ccvShops[0]!;
    shopId = (await shopRow(ccv.host))!.id;
  });

  it("a trigger at an unknown token is 404, and costs CCV no call", async () => {
    const before = ccv.fake.requests.length;
    const res = await fetch(`${env.APP_URL}/webhooks/ccvshop/${"x".repeat(43)}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: 340000001 }) });
    expect(res.status).toBe(404);
    expect((await fetch(`${env.APP_URL}/webhooks/ccvshop/short`, { method: "POST", body: "{}" })).status).toBe(404);
    expect(await drain()).toEqual([]);
    expect(ccv.fake.requests.length).toBe(before);
  });

  it("an unpaid order is not imported; paid and triggered again it is imported once", async () => {
    const order = ccv.fake.addOrder({ paid: false });
    const sent = await ccv.sendWebhook("orders.created", order.id);
    expect(sent.map((s) => s.status)).toEqual([200]);
    expect(await drain()).toEqual(["skipped"]);
    expect(await countRows(rt, "orders", `shop_id = ${shopId}`)).toBe(0);

    ccv.fake.updateOrder(order.id, { paid: true });
    // One triggered_at for the webhook and its retry (a second passing between them would make two bodies).
    const at = Date.now();
    ccv.fake.setNow(() => at);
    expect((await ccv.sendWebhook("orders.updated.ispaid", order.id)).map((s) => s.status)).toEqual([200]);
    expect(await drain()).toEqual(["imported"]);
    // CCV retrying the same webhook (the same body) is stored once.
    const again = await ccv.sendWebhook("orders.updated.ispaid", order.id);
    ccv.fake.setNow(() => Date.now());
    expect(again.map((s) => s.status)).toEqual([200]);
    expect(await drain()).toEqual([]);
    const rows = await rt.db.select().from(orders).where(eq(orders.shopId, shopId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platformOrderId: String(order.id), number: order.ordernumber_full, status: "to_ship" });
    const imports = await rt.db.select().from(activity).where(and(eq(activity.shopId, shopId), eq(activity.kind, "import"), eq(activity.result, "ok")));
    expect(imports.map((a) => a.summary)).toEqual(["import.imported"]);
  });

  it("a flood of triggers for one order costs at most one read per window", async () => {
    const order = ccv.fake.addOrder({ paid: true });
    const reads = () => ccv.fake.requests.filter((r) => r.method === "GET" && r.path === `/api/rest/v1/orders/${order.id}`).length;
    const base = Date.now();
    for (let i = 0; i < 25; i++) {
      ccv.fake.setNow(() => base + i * 1000); // each trigger its own triggered_at: 25 distinct deliveries
      expect((await ccv.sendWebhook("orders.updated.status", order.id)).map((s) => s.status)).toEqual([200]);
    }
    ccv.fake.setNow(() => Date.now());
    expect(await countRows(rt, "deliveries", `platform = 'ccvshop' and payload->>'id' = '${order.id}'`)).toBe(25);
    // Time passes only while the adapter waits for the next window (a virtual clock): reads are then counted per window.
    let virtual = Date.now();
    const start = virtual;
    const throttled = createCcvShopPlatform({ now: () => new Date(virtual), sleep: async (ms) => void (virtual += ms) });
    const outcomes = await drain(throttled);
    expect(outcomes).toHaveLength(25);
    expect(outcomes.filter((o) => o === "imported")).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith("error"))).toEqual([]);
    expect(reads()).toBe(throttled.throttle.started);
    expect(reads()).toBeLessThanOrEqual(1 + Math.floor((virtual - start) / 5000));
    expect(reads()).toBeLessThan(8); // 25 triggers, processed 8 at a time: one read per wave at most
  });

  it("the sync finds an order whose webhook never came, and leaves out orders that already left the shop", async () => {
    const order = ccv.fake.addOrder({ paid: true });
    const gone = [ccv.fake.addOrder({ paid: true, status: 5 }), ccv.fake.addOrder({ paid: true, status: 8 }), ccv.fake.addOrder({ paid: true, deliver_method: "pickup" })];
    const result = await syncShop({ db: rt.db, platform: adapter, clock: rt.clock, encryptionKey: rt.encryptionKey }, shopId);
    expect(result).toMatchObject({ status: "done", failed: 0, skipped: 0 });
    const [row] = await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.platformOrderId, String(order.id))));
    expect(row).toMatchObject({ status: "to_ship" });
    // Not imported, not read further (no rows fetched), and no "skipped" line in Activiteit at every sync.
    for (const o of gone) {
      expect(ccv.fake.requests.some((r) => r.path.startsWith(`/api/rest/v1/orders/${o.id}/orderrows`))).toBe(false);
      expect(await countRows(rt, "orders", `shop_id = ${shopId} and platform_order_id = '${o.id}'`)).toBe(0);
    }
    expect(await countRows(rt, "activity", `shop_id = ${shopId} and summary = 'import.skipped' and order_number in (${gone.map((o) => `'${o.ordernumber_full}'`).join(",")})`)).toBe(0);
    const listing = ccv.fake.requests.find((r) => r.method === "GET" && r.path.startsWith("/api/rest/v1/orders?"));
    expect(listing!.path).toMatch(/is_paid=true&is_completed=true/);
  });

  it("CCV's 429 is waited out and the sync succeeds", async () => {
    ccv.fake.addOrder({ paid: true });
    ccv.fake.rateLimitNext(2, "429.10");
    waits.length = 0;
    const result = await syncShop({ db: rt.db, platform: adapter, clock: rt.clock, encryptionKey: rt.encryptionKey }, shopId);
    expect(result).toMatchObject({ status: "done", failed: 0 });
    expect(waits).toEqual([60_000, 60_000]); // a minute each, as public clients wait
    expect(ccv.fake.requests.filter((r) => r.status === 429)).toHaveLength(2);
  });
});

describe("CCV label write-back and isolation", () => {
  it("a label is written back with exactly one PATCH: status 5, the code, the carrier, mail true, no orderrows", async () => {
    const ccv = ccvShops[0]!;
    const shopId = (await shopRow(ccv.host))!.id;
    expect((await connectCarrier(deps(), shopId, { carrier: "boekuwzending", environment: "staging", ...CARRIER_ACCOUNT })).ok).toBe(true);
    const [row] = await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.status, "to_ship")));
    const rowsBefore = ccv.fake.order(Number(row!.platformOrderId))!.rows.length;
    const r = await requestLabels(deps(), shopId, { orderIds: [row!.id], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    if (!r.ok) throw new Error(r.reason);
    expect(await processLabelRequest(deps(), r.queued[0]!.labelRequestId)).toBe("created");
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, row!.id));
    expect(await writeBackShipment(deps(), s!.id)).toBe("done");
    const patches = ccv.fake.patches.filter((p) => p.id === Number(row!.platformOrderId));
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({ status: 5, track_and_trace_code: s!.trackingNumber, track_and_trace_carrier: "PostNL", mail: true });
    expect(patches[0]!.body).not.toHaveProperty("orderrows");
    expect(ccv.fake.order(Number(row!.platformOrderId))).toMatchObject({ status: 5, track_and_trace_code: s!.trackingNumber });
    expect(ccv.fake.order(Number(row!.platformOrderId))!.rows.length).toBe(rowsBefore);
    const [after] = await rt.db.select().from(orders).where(eq(orders.id, row!.id));
    expect(after!.status).toBe("shipped");
    // Again (a worker that died after CCV answered): CCV already has it sent with this code, so no second PATCH.
    await rt.db.update(shipments).set({ writebackState: "pending" }).where(eq(shipments.id, s!.id));
    expect(await writeBackShipment(deps(), s!.id)).toBe("already_done");
    expect(ccv.fake.patches.filter((p) => p.id === Number(row!.platformOrderId))).toHaveLength(1);
  });

  it("a write-back CCV rate-limits is retried later, not failed", async () => {
    const ccv = ccvShops[0]!;
    const shopId = (await shopRow(ccv.host))!.id;
    const order = ccv.fake.addOrder({ paid: true });
    await syncShop({ db: rt.db, platform: adapter, clock: rt.clock, encryptionKey: rt.encryptionKey }, shopId);
    const [row] = await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.platformOrderId, String(order.id))));
    const r = await requestLabels(deps(), shopId, { orderIds: [row!.id], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    if (!r.ok) throw new Error(r.reason);
    await processLabelRequest(deps(), r.queued[0]!.labelRequestId);
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, row!.id));
    ccv.fake.rateLimitNext(1, "429.10");
    await expect(writeBackShipment(deps(), s!.id)).rejects.toThrow(/429/); // the write-back job retries it with backoff
    expect(await writeBackShipment(deps(), s!.id)).toBe("done");
    expect(ccv.fake.patches.filter((p) => p.id === order.id && p.status === 204)).toHaveLength(1);
  });

  it("Koppelen when CCV refuses a call: CCV's reason on the page, the shop not connected", async () => {
    const ccv = ccvShops[2]!;
    const store = appStoreFor(ccv);
    expect((await store.handshake()).status).toBe(200);
    const page = await installLoader(args(new Request(store.installUrl())));
    const cookie = cookieOf(new Headers((page as { init?: { headers?: HeadersInit } }).init?.headers).get("Set-Cookie"));
    ccv.fake.failNext(1, { status: 403, code: "403.10", developermessage: "This app is not allowed for this webshop" });
    const result = payload<{ failure?: string; errors: object }>(await installAction(args(formPost(store.installUrl(), FORM, cookie))));
    expect(result.failure).toBe("CCV Shop answered 403 (403.10): This app is not allowed for this webshop");
    expect(result.errors).toEqual({});
    expect((await shopRow(ccv.host))!.fromAddress).toBeNull();
    expect(ccv.fake.app.is_installed).toBe(false);
    const [failed] = await rt.db.select().from(activity).where(and(eq(activity.shopId, (await shopRow(ccv.host))!.id), eq(activity.summary, "install.failed")));
    expect(failed?.reason).toMatch(/not allowed/);
  });

  it("a CCV session for shop A cannot see shop B's orders, labels or PDFs", async () => {
    const a = ccvShops[1]!;
    const b = ccvShops[2]!;
    const A = await installed(a);
    const B = await installed(b);
    for (const [ccv, shop] of [[a, A], [b, B]] as const) {
      ccv.fake.addOrder({ paid: true });
      await syncShop({ db: rt.db, platform: adapter, clock: rt.clock, encryptionKey: rt.encryptionKey }, shop.shopId);
      expect((await connectCarrier(deps(), shop.shopId, { carrier: "boekuwzending", environment: "staging", ...CARRIER_ACCOUNT })).ok).toBe(true);
      const [row] = await rt.db.select().from(orders).where(eq(orders.shopId, shop.shopId));
      const r = await requestLabels(deps(), shop.shopId, { orderIds: [row!.id], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
      if (!r.ok) throw new Error(r.reason);
      await processLabelRequest(deps(), r.queued[0]!.labelRequestId);
    }
    const req = (path: string, cookie: string) => new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
    const listA = payload<{ orders: { id: string }[] }>(await ordersLoader(args(req("/app?status=all", A.cookie))));
    const ordersA = await rt.db.select().from(orders).where(eq(orders.shopId, A.shopId));
    const ordersB = await rt.db.select().from(orders).where(eq(orders.shopId, B.shopId));
    expect(listA.orders.length).toBeGreaterThan(0);
    expect(new Set(listA.orders.map((o) => o.id))).toEqual(new Set(ordersA.map((o) => String(o.id))));
    const shipsA = payload<{ shipments: { id: string | number }[] }>(await shipmentsLoader(args(req("/app/shipments", A.cookie))));
    const [shipB] = await rt.db.select().from(shipments).where(eq(shipments.shopId, B.shopId));
    expect(shipsA.shipments.map((s) => String(s.id))).not.toContain(String(shipB!.id));
    const foreign = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${shipB!.id}`, A.cookie)))) as Response;
    expect(foreign.status).toBe(404);
    const [shipA] = await rt.db.select().from(shipments).where(eq(shipments.shopId, A.shopId));
    expect(((await pdfLoader(args(req(`/app/shipments/pdf?ids=${shipA!.id}`, A.cookie)))) as Response).status).toBe(200);
    expect(ordersB.length).toBeGreaterThan(0);
  });

  it("the App Store's uninstall: wrong hash 401; signed: sync stopped, credentials and token gone, a redact queued for 48 hours later", async () => {
    const ccv = ccvShops[1]!;
    const store = appStoreFor(ccv);
    const before = (await shopRow(ccv.host))!;
    expect((await store.uninstall({ tamper: true })).status).toBe(401);
    expect((await shopRow(ccv.host))!.uninstalledAt).toBeNull();
    expect((await store.uninstall()).status).toBe(200);
    const after = (await shopRow(ccv.host))!;
    expect(after.uninstalledAt).not.toBeNull();
    expect(after.credentialsEncrypted).toBeNull();
    expect(after.webhookTokenHash).toBeNull();
    expect((await rt.boss.getSchedules()).find((s) => s.name === QUEUES.syncShop && s.key === String(before.id))).toBeUndefined();
    // Its webhook address is dead now.
    const address = ccv.fake.webhooks.find((w) => w.is_active)!.address;
    expect((await fetch(address, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: 1 }) })).status).toBe(404);
    const [redact] = await rt.db.execute<{ start_after: Date; data: { shopId: number } }>(
      // pg-boss keeps queued jobs in its own schema; the redact waits 48 hours.
      sql`select start_after, data from pgboss.job where name = ${QUEUES.redactShop}`,
    ) as unknown as { start_after: Date; data: { shopId: number } }[];
    expect(redact?.data.shopId).toBe(before.id);
    expect(new Date(redact!.start_after).getTime() - Date.now()).toBeGreaterThan(47 * 3600_000);
    // The retry of the same uninstall is answered the same.
    expect((await store.uninstall()).status).toBe(200);
    expect(await countRows(rt, "deliveries", `platform = 'ccvshop' and shop_domain = '${ccv.host}'`)).toBe(0);
  });
});
