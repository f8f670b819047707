// The label pages' routes against real PostgreSQL and the fake Boekuwzending (loopback): Vervoerder stores nothing
// for wrong credentials and never shows the secret; PDFs, batches and the staging flag are per shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { desc, eq, inArray } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { carrierConnections, labelBatches, labelRequests, orders, shipments, shops, type ShipTo } from "~/db/schema";
import { createMerchantCookieSession } from "~/merchant.server";
import { boekuwzendingAdapter, configureCarrierBaseUrls } from "~/carriers/registry.server";
import type { CarrierAddress, CarrierCredentials } from "~/core/ports";
import type { Runtime } from "~/runtime.server";
import { loader as carrierLoader, action as carrierAction } from "~/routes/app.carrier";
import { loader as pdfLoader } from "~/routes/app.shipments.pdf";
import { createDownloadToken } from "~/download-token.server";
import { loader as batchLoader, action as batchAction } from "~/routes/app.batches.$batchId";
import { loader as layoutLoader } from "~/routes/app";
import { loader as ordersLoader, action as ordersAction } from "~/routes/app._index";
import { loader as shipmentsLoader } from "~/routes/app.shipments";
import { loader as shipToLoader, action as shipToAction } from "~/routes/app.orders.$orderId.ship-to";
import { logOutEverywhere } from "~/core/shops.server";
import { writeBackShipment } from "~/core/labels/write-back.server";
import { listShipments } from "~/core/labels/reads.server";
import { loader as activityLoader } from "~/routes/app.activity";
import { labelDeps } from "~/runtime.server";
import { reasonMessage } from "~/core/reasons";
import { t } from "~/i18n";
import { startFakeCarrier, type RunningFakeCarrier } from "../fakes/carrier";
import { runtime } from "./helpers";
import { fromAddressFixture } from "../fixtures/from-address";

const CREDS_A: CarrierCredentials = { clientId: "shop-a-client", clientSecret: "a-very-secret-value-9f3k", environment: "staging" };
const CREDS_B: CarrierCredentials = { clientId: "shop-b-client", clientSecret: "b-other-secret-value-77", environment: "production" };

let rt: Runtime;
let carrier: RunningFakeCarrier;
let shopA: number;
let shopB: number;
let cookieA: string;
let cookieB: string;

const fromAddress = fromAddressFixture("Winkel", "info@winkel.example");

const completeShipTo: ShipTo = {
  name: "Jan Jansen",
  address1: "Coolsingel 40",
  street: "Coolsingel",
  houseNumber: "40",
  postcode: "3011 AD",
  city: "Rotterdam",
  country: "NL",
};

function args(request: Request, params: Record<string, string> = {}) {
  return { request, params, context: {} };
}

function req(path: string, cookie: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set("Cookie", cookie);
  return new Request(`http://localhost${path}`, { ...init, headers });
}

function post(path: string, cookie: string, fields: Record<string, string | string[]>): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  return req(path, cookie, { method: "POST", body: form });
}

async function thrownResponse(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("expected a thrown Response");
}

/** The value of a loader that may return data() (single fetch) or a plain object. */
function payload<T>(v: T): T extends { data: infer D } ? D : T {
  return (v && typeof v === "object" && "data" in v && "init" in v ? (v as { data: unknown }).data : v) as never;
}

async function shopRow(id: number) {
  const [row] = await rt.db.select().from(shops).where(eq(shops.id, id));
  return row!;
}

let orderSeq = 0;
async function insertOrder(shopId: number, shipTo: ShipTo | null = completeShipTo) {
  orderSeq++;
  const [o] = await rt.db
    .insert(orders)
    .values({
      shopId,
      platformOrderId: `po-${orderSeq}`,
      number: `#${1000 + orderSeq}`,
      placedAt: new Date(Date.UTC(2026, 10, 1, 12, orderSeq)),
      platformUpdatedAt: new Date(Date.UTC(2026, 10, 1, 12, orderSeq)),
      status: "to_ship",
      financialStatus: "paid",
      customerName: shipTo?.name ?? "Klant",
      email: "klant@example.com",
      shipTo,
      shipPostcode: shipTo?.postcode ?? null,
      shipCity: shipTo?.city ?? null,
      shipCountry: shipTo?.country ?? null,
      searchText: `#${1000 + orderSeq}`,
    })
    .returning();
  return o!;
}

/** A shipment really created at the fake carrier for `creds`, stored as the shop's shipment row. */
async function insertShipment(shopId: number, creds: CarrierCredentials) {
  const order = await insertOrder(shopId);
  const shipFrom: CarrierAddress = { name: "Winkel", company: "Winkel", street: "Keizersgracht", houseNumber: "1", postcode: "1015 CJ", city: "Amsterdam", country: "NL" };
  const shipTo: CarrierAddress = { name: "Jan Jansen", street: "Coolsingel", houseNumber: "40", postcode: "3011 AD", city: "Rotterdam", country: "NL" };
  const key = randomUUID();
  const created = await boekuwzendingAdapter().createShipment(creds, {
    idempotencyKey: key,
    reference: order.number,
    service: "postnl-standard",
    packageType: "package",
    colli: 2,
    weightGrams: 1000,
    shipFrom,
    shipTo,
  });
  const [lr] = await rt.db
    .insert(labelRequests)
    .values({ shopId, orderId: order.id, idempotencyKey: key, carrier: "boekuwzending", environment: creds.environment, service: "postnl-standard", colli: 2, packageType: "package", state: "created" })
    .returning();
  const [s] = await rt.db
    .insert(shipments)
    .values({
      shopId,
      orderId: order.id,
      labelRequestId: lr!.id,
      carrier: "boekuwzending",
      environment: creds.environment,
      carrierShipmentId: created.carrierShipmentId,
      service: "postnl-standard",
      colli: 2,
      packageType: "package",
      labels: created.labels,
      trackingNumber: created.labels[0]!.waybill,
      trackingUrl: created.labels[0]!.trackingUrl,
      trackingCompany: "PostNL",
    })
    .returning();
  return s!;
}

beforeAll(async () => {
  rt = await runtime();
  carrier = await startFakeCarrier({ accounts: [CREDS_A, CREDS_B] });
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
  const [a] = await rt.db.insert(shops).values({ platform: "ccvshop", domain: "a.label-routes.example", fromAddress }).returning();
  const [b] = await rt.db.insert(shops).values({ platform: "mijnwebwinkel", domain: "b.label-routes.example", fromAddress }).returning();
  shopA = a!.id;
  shopB = b!.id;
  cookieA = (await createMerchantCookieSession(shopA)).split(";")[0]!;
  cookieB = (await createMerchantCookieSession(shopB)).split(";")[0]!;
});

afterAll(async () => {
  configureCarrierBaseUrls(null);
  await carrier.close();
  await rt.stop();
});

describe("Vervoerder", () => {
  it("wrong credentials: the carrier's reason comes back and nothing is stored", async () => {
    const r = await carrierAction(
      args(post("/app/carrier", cookieA, { intent: "connect", carrier: "boekuwzending", environment: "staging", clientId: CREDS_A.clientId, clientSecret: "wrong-secret" })),
    );
    expect(r).toMatchObject({ intent: "connect", ok: false });
    const reason = (r as { reason: string }).reason;
    expect(reason.length).toBeGreaterThan(0);
    expect(reason).not.toBe("client_secret_required");
    expect(await rt.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopA))).toEqual([]);
    // The carrier's words come with a code: the page says it in Dutch, the carrier's text beneath.
    expect(r).toMatchObject({ code: "carrier.invalid_credentials", reason: "Client authentication failed" });
    const nl = (key: string, params?: Record<string, unknown> | null) => t("nl", key, params);
    expect(reasonMessage(nl, { code: "carrier.invalid_credentials", detail: reason })).toEqual({
      text: "De vervoerder accepteert de client ID of het client secret niet",
      detail: "Client authentication failed",
    });
    // Activiteit: the same code next to the carrier's text.
    const activity = payload(await activityLoader(args(req("/app/activity", cookieA))));
    expect(activity.entries.find((e) => e.summary === "carrier.connect_failed")).toMatchObject({
      reason: "Client authentication failed",
      reasonCode: "carrier.invalid_credentials",
      params: expect.not.objectContaining({ reasonCode: expect.anything() }),
    });
  });

  it("no secret and no stored connection: asks for the secret", async () => {
    const r = await carrierAction(
      args(post("/app/carrier", cookieA, { intent: "connect", carrier: "boekuwzending", environment: "staging", clientId: CREDS_A.clientId, clientSecret: "" })),
    );
    expect(r).toEqual({ intent: "connect", ok: false, reason: "client_secret_required" });
    expect(await rt.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopA))).toEqual([]);
  });

  it("right credentials: stored with the secret encrypted; the loader never returns the secret", async () => {
    const r = await carrierAction(
      args(post("/app/carrier", cookieA, { intent: "connect", carrier: "boekuwzending", environment: "staging", clientId: CREDS_A.clientId, clientSecret: CREDS_A.clientSecret })),
    );
    expect(r).toMatchObject({ intent: "connect", ok: true });
    expect((r as { services: number }).services).toBeGreaterThan(0);
    const [row] = await rt.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopA));
    expect(row).toBeTruthy();
    expect(row!.clientSecretEncrypted).not.toContain(CREDS_A.clientSecret);
    expect(row!.clientSecretEncrypted).not.toContain(CREDS_A.clientSecret.slice(0, 10));

    const data = payload(await carrierLoader(args(req("/app/carrier", cookieA))));
    const json = JSON.stringify(data);
    expect(json).not.toContain(CREDS_A.clientSecret);
    expect(json).not.toContain(row!.clientSecretEncrypted);
    expect(data.connection).toMatchObject({ clientId: CREDS_A.clientId, environment: "staging", secretHint: `••••${CREDS_A.clientSecret.slice(-4)}` });
  });

  it("saving defaults with an empty secret keeps the stored secret", async () => {
    const r = await carrierAction(args(post("/app/carrier", cookieA, { intent: "defaults", defaultService: "dpd-classic", defaultPackageType: "pallet-euro" })));
    expect(r).toEqual({ intent: "defaults", ok: true });
    const data = payload(await carrierLoader(args(req("/app/carrier", cookieA))));
    expect(data.connection).toMatchObject({ defaultService: "dpd-classic", defaultPackageType: "pallet-euro" });
  });

  it("shop B connects on production", async () => {
    const r = await carrierAction(
      args(post("/app/carrier", cookieB, { intent: "connect", carrier: "boekuwzending", environment: "production", clientId: CREDS_B.clientId, clientSecret: CREDS_B.clientSecret })),
    );
    expect(r).toMatchObject({ intent: "connect", ok: true });
  });
});

describe("staging banner flag", () => {
  it("is set for a staging connection and not for production", async () => {
    const a = payload(await layoutLoader(args(req("/app", cookieA))));
    const b = payload(await layoutLoader(args(req("/app", cookieB))));
    expect(a.carrierStaging).toBe(true);
    expect(b.carrierStaging).toBe(false);
  });
});

describe("label PDF route", () => {
  it("shop A downloads its own shipment's labels; B's shipment id gives 404", async () => {
    const own = await insertShipment(shopA, CREDS_A);
    const other = await insertShipment(shopB, CREDS_B);

    const res = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}&format=A6`, cookieA)))) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toBe("inline; filename=labels.pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 4)).toString("latin1")).toBe("%PDF");
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(2); // 2 colli → 2 labels, one per A6 page

    const a4 = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}&format=A4&start=4`, cookieA)))) as Response;
    expect(a4.status).toBe(200);
    expect((await PDFDocument.load(new Uint8Array(await a4.arrayBuffer()))).getPageCount()).toBe(2); // position 4, then a new sheet

    const foreign = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${other.id}`, cookieA)))) as Response;
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("Content-Type")).not.toBe("application/pdf");

    const bad = (await pdfLoader(args(req(`/app/shipments/pdf?ids=abc`, cookieA)))) as Response;
    expect(bad.status).toBe(400);
    const tooMany = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${Array.from({ length: 501 }, (_, i) => i + 1).join(",")}`, cookieA)))) as Response;
    expect(tooMany.status).toBe(400);
  });

  it("a signed download link (new tab inside Shopify's admin) works without a session, only for its own shop, and expires", async () => {
    const own = await insertShipment(shopA, CREDS_A);
    const other = await insertShipment(shopB, CREDS_B);
    const linkA = createDownloadToken(await shopRow(shopA), "nl");
    const ok = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}&dt=${linkA}`, "")))) as Response;
    expect(ok.status).toBe(200);
    expect(Buffer.from(new Uint8Array(await ok.arrayBuffer()).slice(0, 4)).toString("latin1")).toBe("%PDF");
    const foreign = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${other.id}&dt=${linkA}`, "")))) as Response;
    expect(foreign.status).toBe(404);
    const expired = createDownloadToken(await shopRow(shopA), "nl", 60, Date.now() - 3_600_000);
    expect(((await pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}&dt=${expired}`, "")))) as Response).status).toBe(403);
    const [body, sig] = linkA.split(".");
    const forged = `${Buffer.from(JSON.stringify({ s: shopB, v: 1, l: "nl", e: 9_999_999_999 })).toString("base64url")}.${sig}`;
    expect(body).toBeTruthy();
    expect(((await pdfLoader(args(req(`/app/shipments/pdf?ids=${other.id}&dt=${forged}`, "")))) as Response).status).toBe(403);
  });

  it("a download link and the cookie die when the shop's session version is bumped (log out everywhere)", async () => {
    const own = await insertShipment(shopA, CREDS_A);
    const pdfStatus = async (dt: string) => ((await pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}&dt=${dt}`, "")))) as Response).status;
    const link = createDownloadToken(await shopRow(shopA), "nl");
    expect(await pdfStatus(link)).toBe(200);
    expect(((await pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}`, cookieA)))) as Response).status).toBe(200);

    await logOutEverywhere(rt.db, shopA);
    expect(await pdfStatus(link)).toBe(403);
    expect((await thrownResponse(pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}`, cookieA))))).status).toBe(401);
    // The Zendingen page hands out links of the current version again.
    cookieA = (await createMerchantCookieSession(shopA)).split(";")[0]!;
    const page = payload(await shipmentsLoader(args(req("/app/shipments", cookieA)))) as { downloadToken: string };
    expect(await pdfStatus(page.downloadToken)).toBe(200);
  });

  it("a carrier failure gives 502", async () => {
    const own = await insertShipment(shopA, CREDS_A);
    carrier.fake.failNext(3, { status: 503 });
    const res = (await pdfLoader(args(req(`/app/shipments/pdf?ids=${own.id}`, cookieA)))) as Response;
    expect(res.status).toBe(502);
    // Koppel's sentence in Dutch, then the carrier's own text beneath it.
    const body = await res.text();
    expect(body).toMatch(/^De labels konden niet bij de vervoerder worden opgehaald\. .*\nVervoerder niet bereikbaar\n\nBoekuwzending had a server error 503/);
    carrier.fake.reset();
    carrier.fake.addAccount(CREDS_A);
    carrier.fake.addAccount(CREDS_B);
  });

  it("Zendingen's PDF dialog starts at the shop's last print choice and remembers a new one, for this shop only", async () => {
    const { action: shipmentsAction } = await import("~/routes/app.shipments");
    expect(payload(await shipmentsLoader(args(req("/app/shipments", cookieA)))).labelPrint).toEqual({ format: "A6", start: 1 });
    const remembered = await shipmentsAction(args(post("/app/shipments", cookieA, { intent: "remember-print", format: "A4", start: "3" })));
    expect(remembered).toEqual({ remembered: { format: "A4", start: 3 } });
    expect(payload(await shipmentsLoader(args(req("/app/shipments", cookieA)))).labelPrint).toEqual({ format: "A4", start: 3 });
    // Shop B's choice is its own; nonsense is refused and changes nothing.
    expect(payload(await shipmentsLoader(args(req("/app/shipments", cookieB)))).labelPrint).toEqual({ format: "A6", start: 1 });
    expect(await shipmentsAction(args(post("/app/shipments", cookieA, { intent: "remember-print", format: "A5", start: "9" })))).toEqual({ requeued: false });
    expect((await shopRow(shopA)).settings?.labelPrint).toEqual({ format: "A4", start: 3 });
    // A6 has no start position.
    await shipmentsAction(args(post("/app/shipments", cookieA, { intent: "remember-print", format: "A6", start: "4" })));
    expect((await shopRow(shopA)).settings?.labelPrint).toEqual({ format: "A6", start: 1 });
  });

  it("the shipments list shows only the shop's own shipments", async () => {
    const a = payload(await shipmentsLoader(args(req("/app/shipments", cookieA))));
    const own = await rt.db.select({ id: shipments.id }).from(shipments).where(eq(shipments.shopId, shopA));
    expect(a.shipments.map((s) => Number(s.id)).sort()).toEqual(own.map((s) => s.id).sort());
    const failedOnly = payload(await shipmentsLoader(args(req("/app/shipments?status=writeback_failed", cookieA))));
    expect(failedOnly.shipments).toEqual([]);
  });

  it("Zendingen: a write-back the shop refused shows Koppel's sentence with the shop's text beneath", async () => {
    const s = await insertShipment(shopA, CREDS_A);
    const refusing = {
      capabilities: { intake: "webhooks", notifiesCustomerOnShipment: true, listing: "changed_since" },
      markShipped: async () => ({ ok: false as const, retryable: false, reason: "fulfillmentOrderId: Fulfillment order is closed" }),
    };
    expect(await writeBackShipment({ ...labelDeps(rt), platformFor: () => refusing as never }, s.id)).toBe("failed");
    const page = payload(await shipmentsLoader(args(req("/app/shipments?status=writeback_failed", cookieA))));
    const row = page.shipments.find((x) => x.id === String(s.id));
    expect(row?.writebackError).toEqual({ code: "shop.refused", detail: "fulfillmentOrderId: Fulfillment order is closed" });
    expect(reasonMessage((key) => t("nl", key), row!.writebackError)).toEqual({ text: "Geweigerd door de winkel", detail: "fulfillmentOrderId: Fulfillment order is closed" });
    await rt.db.delete(shipments).where(eq(shipments.id, s.id));
  });

  it("pages through the shop's shipments newest first, forward and back, ties broken by id", async () => {
    for (let i = 0; i < 5; i++) await insertShipment(shopA, CREDS_A);
    // Three share one created_at (a bulk run in one transaction): the cursor must still separate them.
    const newest = await rt.db.select({ id: shipments.id }).from(shipments).where(eq(shipments.shopId, shopA)).orderBy(desc(shipments.id)).limit(3);
    await rt.db.update(shipments).set({ createdAt: new Date("2026-11-27T12:00:00.123456Z") }).where(inArray(shipments.id, newest.map((r) => r.id)));
    const all = (await listShipments(rt.db, shopA, { limit: 1000 })).rows.map((r) => r.id);
    expect(all.length).toBeGreaterThanOrEqual(6);

    const forward: number[][] = [];
    const cursors: (string | null)[] = [];
    let page = await listShipments(rt.db, shopA, { limit: 2 });
    expect(page.prevCursor).toBeNull();
    for (;;) {
      forward.push(page.rows.map((r) => r.id));
      cursors.push(page.prevCursor);
      if (!page.nextCursor) break;
      page = await listShipments(rt.db, shopA, { limit: 2, after: page.nextCursor });
    }
    expect(forward.flat()).toEqual(all); // every shipment once, in the list's order
    // Back from the last page to the first, page by page.
    for (let i = forward.length - 1; i > 0; i--) {
      page = await listShipments(rt.db, shopA, { limit: 2, before: cursors[i] });
      expect(page.rows.map((r) => r.id)).toEqual(forward[i - 1]);
    }
    expect(page.prevCursor).toBeNull();

    // The route: 100 a page, the cursor from the address, a bad cursor gives page 1, never another shop's rows.
    const first = payload(await shipmentsLoader(args(req("/app/shipments", cookieA))));
    expect(first.shipments.map((s) => Number(s.id))).toEqual(all.slice(0, 100));
    expect(first.nextCursor).toBeNull();
    const second = await listShipments(rt.db, shopA, { limit: 2 });
    const viaRoute = payload(await shipmentsLoader(args(req(`/app/shipments?after=${second.nextCursor}`, cookieA))));
    expect(viaRoute.shipments.map((s) => Number(s.id))).toEqual(all.slice(2));
    expect(viaRoute.prevCursor).not.toBeNull();
    const garbage = payload(await shipmentsLoader(args(req("/app/shipments?after=not-a-cursor", cookieA))));
    expect(garbage.shipments.map((s) => Number(s.id))).toEqual(all);
    const ofB = payload(await shipmentsLoader(args(req(`/app/shipments?after=${second.nextCursor}`, cookieB))));
    expect(ofB.shipments.every((s) => !all.includes(Number(s.id)))).toBe(true);
  });
});

describe("label batches", () => {
  it("create-labels queues a batch; the batch route shows its progress to its own shop only", async () => {
    const good = await insertOrder(shopA);
    const incomplete = await insertOrder(shopA, { ...completeShipTo, address1: "Coolsingel", houseNumber: null, postcode: "" });

    // The list flags the incomplete address before any call.
    const list = payload(await ordersLoader(args(req("/app", cookieA))));
    const flagged = list.orders.find((o) => o.id === String(incomplete.id));
    expect(flagged!.missingAddress).toEqual(expect.arrayContaining(["houseNumber", "postcode"]));
    expect(list.orders.find((o) => o.id === String(good.id))!.missingAddress).toEqual([]);
    expect(list.carrier).toMatchObject({ environment: "staging", defaultService: "dpd-classic" });

    const r = await ordersAction(
      args(post("/app?index", cookieA, { intent: "create-labels", ids: [String(good.id), String(incomplete.id)], service: "postnl-standard", colli: "2", packageType: "package" })),
    );
    expect(r).toMatchObject({ intent: "create-labels", ok: true, queued: 1, incomplete: [{ orderId: incomplete.id }] });
    const batchId = (r as { batchId: number }).batchId;
    expect(batchId).toBeGreaterThan(0);

    const progress = await batchLoader(args(req(`/app/batches/${batchId}`, cookieA), { batchId: String(batchId) }));
    expect(progress).toMatchObject({ batchId, total: 1, pending: 1 });

    // The order list with ?batch= carries the progress for a reload; another shop's batch id shows nothing.
    const withBatch = payload(await ordersLoader(args(req(`/app?batch=${batchId}`, cookieA))));
    expect(withBatch.batch).toMatchObject({ batchId, total: 1 });
    expect(withBatch.orders.find((o) => o.id === String(good.id))!.label).toMatchObject({ state: "queued" });
    const foreignList = payload(await ordersLoader(args(req(`/app?batch=${batchId}`, cookieB))));
    expect(foreignList.batch).toBeNull();

    expect((await thrownResponse(batchLoader(args(req(`/app/batches/${batchId}`, cookieB), { batchId: String(batchId) })))).status).toBe(404);
    expect((await thrownResponse(batchAction(args(post(`/app/batches/${batchId}`, cookieB, {}), { batchId: String(batchId) })))).status).toBe(404);
    expect((await thrownResponse(batchLoader(args(req(`/app/batches/abc`, cookieA), { batchId: "abc" })))).status).toBe(404);
  });

  it("shop A cannot see shop B's batch", async () => {
    const [b] = await rt.db.insert(labelBatches).values({ shopId: shopB, total: 0, options: { service: "x", colli: 1, packageType: "package" }, source: "merchant" }).returning();
    expect((await thrownResponse(batchLoader(args(req(`/app/batches/${b!.id}`, cookieA), { batchId: String(b!.id) })))).status).toBe(404);
    const own = await batchLoader(args(req(`/app/batches/${b!.id}`, cookieB), { batchId: String(b!.id) }));
    expect(own).toMatchObject({ batchId: b!.id, total: 0 });
  });

  it("create-labels with bad options or too many ids is refused", async () => {
    const bad = await ordersAction(args(post("/app?index", cookieA, { intent: "create-labels", ids: ["1"], service: "postnl-standard", colli: "11", packageType: "package" })));
    expect(bad).toEqual({ intent: "create-labels", ok: false, reason: "invalid" });
    const many = await ordersAction(
      args(post("/app?index", cookieA, { intent: "create-labels", ids: Array.from({ length: 501 }, (_, i) => String(i + 1)), service: "postnl-standard", colli: "1", packageType: "package" })),
    );
    expect(many).toMatchObject({ intent: "create-labels", ok: false, reason: "too_many" });
  });
});

describe("Adres aanpassen (the order's ship-to route)", () => {
  const shipToUrl = (id: number) => `/app/orders/${id}/ship-to`;
  const shipToArgs = (request: Request, id: number) => args(request, { orderId: String(id) });
  const good = {
    intent: "save",
    name: "Jan Jansen",
    company: "",
    street: "Coolsingel",
    houseNumber: "40",
    houseNumberAddition: "",
    address2: "",
    postcode: "3011ad",
    city: "Rotterdam",
    country: "NL",
    phone: "",
  };

  it("shows the ship-to as the carrier gets it; a bad form gives one Dutch message per field and stores nothing", async () => {
    const order = await insertOrder(shopA, { ...completeShipTo, address1: "Coolsingel", street: null, houseNumber: null });
    const view = payload(await shipToLoader(shipToArgs(req(shipToUrl(order.id), cookieA), order.id)));
    expect(view).toMatchObject({ orderId: order.id, corrected: false, missing: ["houseNumber"], address: { addressLine1: "Coolsingel", street: null } });

    const bad = await shipToAction(
      shipToArgs(post(shipToUrl(order.id), cookieA, { ...good, name: " ", houseNumber: "40a", postcode: "301", city: "", country: "XX", phone: "bel me" }), order.id),
    );
    expect(bad).toEqual({
      intent: "save",
      ok: false,
      errors: {
        name: "Vul de naam van de ontvanger in",
        houseNumber: "Vul een huisnummer in met alleen cijfers, zoals 12; een toevoeging zoals A hoort bij Toevoeging",
        city: "Vul de plaats in",
        country: "Kies een land",
        phone: "Vul een geldig telefoonnummer in, zoals +31 20 123 4567",
      },
      values: expect.objectContaining({ houseNumber: "40a", postcode: "301" }),
    });
    // Within the Netherlands the postcode's format is checked too.
    const badPostcode = await shipToAction(shipToArgs(post(shipToUrl(order.id), cookieA, { ...good, postcode: "301" }), order.id));
    expect(badPostcode).toMatchObject({ ok: false, errors: { postcode: "Vul een geldige Nederlandse postcode in, zoals 1234 AB" } });
    expect(Object.keys((badPostcode as { errors: object }).errors)).toEqual(["postcode"]);
    // In English for an English-speaking merchant.
    const cookieEn = (await createMerchantCookieSession(shopA, { locale: "en" })).split(";")[0]!;
    const badEn = await shipToAction(shipToArgs(post(shipToUrl(order.id), cookieEn, { ...good, street: "" }), order.id));
    expect(badEn).toMatchObject({ ok: false, errors: { street: "Enter the street, without the house number" } });
    const [row] = await rt.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.shipToCorrected).toBeNull();
  });

  it("saves the correction for the shop's own order (the list stops marking it), undoes it, and another shop gets 404", async () => {
    const order = await insertOrder(shopA, { ...completeShipTo, address1: "Coolsingel", street: null, houseNumber: null });
    const listBefore = payload(await ordersLoader(args(req("/app", cookieA))));
    expect(listBefore.orders.find((o) => o.id === String(order.id))).toMatchObject({ missingAddress: ["houseNumber"], addressCorrected: false });

    // Shop B: neither the view nor the correction.
    expect((await thrownResponse(shipToLoader(shipToArgs(req(shipToUrl(order.id), cookieB), order.id)))).status).toBe(404);
    expect((await thrownResponse(shipToAction(shipToArgs(post(shipToUrl(order.id), cookieB, good), order.id)))).status).toBe(404);
    expect((await thrownResponse(shipToAction(shipToArgs(post(shipToUrl(order.id), cookieB, { intent: "clear" }), order.id)))).status).toBe(404);
    expect((await thrownResponse(shipToLoader(shipToArgs(req("/app/orders/abc/ship-to", cookieA), Number.NaN)))).status).toBe(404);
    expect((await thrownResponse(shipToAction(shipToArgs(post(shipToUrl(order.id), cookieA, { intent: "other" }), order.id)))).status).toBe(400);

    const saved = await shipToAction(shipToArgs(post(shipToUrl(order.id), cookieA, good), order.id));
    expect(saved).toMatchObject({
      intent: "save",
      ok: true,
      view: { corrected: true, missing: [], address: { street: "Coolsingel", houseNumber: "40", addressLine1: null, postcode: "3011 AD" }, imported: { addressLine1: "Coolsingel" } },
    });
    const [row] = await rt.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.shipToCorrected).toMatchObject({ street: "Coolsingel", houseNumber: "40", postcode: "3011 AD" });
    expect(row!.shipTo).toMatchObject({ address1: "Coolsingel", houseNumber: null });
    const listAfter = payload(await ordersLoader(args(req("/app", cookieA))));
    expect(listAfter.orders.find((o) => o.id === String(order.id))).toMatchObject({ missingAddress: [], addressCorrected: true });

    const cleared = await shipToAction(shipToArgs(post(shipToUrl(order.id), cookieA, { intent: "clear" }), order.id));
    expect(cleared).toMatchObject({ intent: "clear", ok: true, view: { corrected: false, missing: ["houseNumber"] } });
    const listCleared = payload(await ordersLoader(args(req("/app", cookieA))));
    expect(listCleared.orders.find((o) => o.id === String(order.id))).toMatchObject({ missingAddress: ["houseNumber"], addressCorrected: false });
  });
});
