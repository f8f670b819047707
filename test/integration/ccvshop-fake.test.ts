// Proves the fake CCV Shop against shared/contracts/ccvshop.md with its own tiny signing client (node:crypto only,
// not the fake's signing helpers), so a shared mistake cannot pass both sides. No database; the clock is injected.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFakeAppStore, startFakeCcvShop, type CcvOrder, type RunningFakeCcvShop } from "../fakes/ccvshop";

const T0 = Date.parse("2026-11-30T09:12:00Z");
let clock = T0;
const now = () => clock;

const hmac = (secret: string, text: string) => createHmac("sha512", secret).update(text).digest("hex");
const zDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

type CallOpts = { body?: string; date?: string; publicKey?: string; secret?: string; signUri?: string; contentType?: string; accept?: string; hash?: string };
type Answer = { status: number; text: string; json: unknown; headers: Headers };

/** A minimal CCV REST client: x-hash = HMAC-SHA512(secret, public|METHOD|uri|body|x-date). */
async function call(shop: RunningFakeCcvShop, method: string, uri: string, o: CallOpts = {}): Promise<Answer> {
  const body = o.body ?? "";
  const date = o.date ?? zDate(clock);
  const publicKey = o.publicKey ?? shop.apiPublic;
  const hash = o.hash ?? hmac(o.secret ?? shop.apiSecret, [publicKey, method, o.signUri ?? uri, body, date].join("|"));
  const headers: Record<string, string> = { "x-public": publicKey, "x-date": date, "x-hash": hash, accept: o.accept ?? "application/json" };
  if (body !== "") headers["content-type"] = o.contentType ?? "application/json";
  const res = await fetch(`${shop.apiRoot}${uri}`, { method, headers, ...(body !== "" ? { body } : {}) });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

type Collection<T> = { href: string; start: number; size: number; first: string; previous: string | null; next: string | null; items: T[] };
const asCollection = <T>(a: Answer) => a.json as Collection<T>;
/** Follow an absolute href the way a client must: sign its path + query verbatim. */
const pathOf = (href: string) => href.slice(href.indexOf("/api/"));

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string };
async function receiver(status = 200): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(status, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server };
}
const closeServer = (s: Server) => new Promise<void>((r) => s.close(() => r()));

let shop: RunningFakeCcvShop;
beforeEach(async () => {
  clock = T0;
  shop = await startFakeCcvShop({ now, seed: "demo" });
});
afterEach(async () => {
  await shop.close();
});

describe("authentication", () => {
  it("answers a correctly signed request, with one app, and signs the response", async () => {
    const a = await call(shop, "GET", "/api/rest/v1/apps");
    expect(a.status).toBe(200);
    const apps = asCollection<{ id: number; name: string; is_installed: boolean; href: string }>(a);
    expect(apps.items).toHaveLength(1);
    expect(apps.items[0]).toMatchObject({ id: shop.fake.app.id, name: "Koppel", is_installed: false, href: `${shop.apiRoot}/api/rest/v1/apps/${shop.fake.app.id}` });
    const date = a.headers.get("x-date")!;
    expect(a.headers.get("x-hash")).toBe(hmac(shop.apiSecret, [shop.apiPublic, "GET", "/api/rest/v1/apps", a.text, date].join("|")));
  });

  it("refuses a wrong hash, an unknown public key and a skewed x-date with CCV's error body", async () => {
    const wrongHash = await call(shop, "GET", "/api/rest/v1/orders", { secret: "not-the-secret" });
    expect(wrongHash.status).toBe(401);
    expect(wrongHash.json).toEqual({ code: "401.10", status: 401, developermessage: "Invalid hash" });

    const upper = await call(shop, "GET", "/api/rest/v1/orders", { hash: hmac(shop.apiSecret, [shop.apiPublic, "GET", "/api/rest/v1/orders", "", zDate(clock)].join("|")).toUpperCase() });
    expect(upper.status).toBe(401);

    const wrongPublic = await call(shop, "GET", "/api/rest/v1/orders", { publicKey: "someone-else" });
    expect(wrongPublic.json).toEqual({ code: "401.10", status: 401, developermessage: "Unknown public key" });

    for (const skew of [11 * 60_000, -11 * 60_000]) {
      const skewed = await call(shop, "GET", "/api/rest/v1/orders", { date: zDate(clock + skew) });
      expect(skewed.json).toEqual({ code: "401.10", status: 401, developermessage: "x-date out of range" });
    }
    expect((await call(shop, "GET", "/api/rest/v1/orders", { date: zDate(clock + 9 * 60_000) })).status).toBe(200);

    const local = await call(shop, "GET", "/api/rest/v1/orders", { date: "2026-11-30T10:12:00+01:00" });
    expect(local.status).toBe(401);
    const garbage = await call(shop, "GET", "/api/rest/v1/orders", { date: "yesterday" });
    expect(garbage.status).toBe(401);

    const none = await fetch(`${shop.apiRoot}/api/rest/v1/orders`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { code: string }).code).toBe("401.10");
  });

  it("hashes the query string: signing the bare path for a request with a query → 401", async () => {
    const uri = "/api/rest/v1/orders?is_paid=true&start=0&size=25";
    expect((await call(shop, "GET", uri)).status).toBe(200);
    const bare = await call(shop, "GET", uri, { signUri: "/api/rest/v1/orders" });
    expect(bare.status).toBe(401);
    expect((bare.json as { developermessage: string }).developermessage).toBe("Invalid hash");
  });

  it("accepts the Z, +00:00 and +0000 date forms, with or without milliseconds", async () => {
    const iso = new Date(clock).toISOString(); // 2026-11-30T09:12:00.000Z
    const forms = [iso, iso.replace(".000", ""), iso.replace(".000Z", "+00:00"), iso.replace(".000Z", "+0000"), iso.replace("Z", "+00:00")];
    for (const date of forms) expect((await call(shop, "GET", "/api/rest/v1/apps", { date })).status, date).toBe(200);
  });

  it("hashes the exact body, accepts text/json and answers vnd.verto when asked", async () => {
    const order = shop.fake.orders()[0]!;
    const body = '{"note":"x"}';
    const signedOther = await call(shop, "PATCH", `/api/rest/v1/orders/${order.id}`, { body, hash: hmac(shop.apiSecret, [shop.apiPublic, "PATCH", `/api/rest/v1/orders/${order.id}`, '{"note": "x"}', zDate(clock)].join("|")) });
    expect(signedOther.status).toBe(401);
    expect((await call(shop, "PATCH", `/api/rest/v1/orders/${order.id}`, { body, contentType: "text/json" })).status).toBe(204);
    const verto = await call(shop, "GET", "/api/rest/v1/apps", { accept: "application/vnd.verto.webshop+json" });
    expect(verto.headers.get("content-type")).toBe("application/vnd.verto.webshop+json");
  });

  it("stops accepting revoked credentials", async () => {
    shop.fake.revokeCredentials();
    expect((await call(shop, "GET", "/api/rest/v1/apps")).json).toMatchObject({ code: "401.10", developermessage: "Unknown public key" });
  });
});

describe("errors and routing", () => {
  it("404.20 for unknown resources and orders, 405.10 for a wrong method, 400.10 for a body that is not JSON", async () => {
    expect((await call(shop, "GET", "/api/rest/v1/nothing")).json).toMatchObject({ code: "404.20", status: 404 });
    expect((await call(shop, "GET", "/api/rest/v1/orders/1")).json).toMatchObject({ code: "404.20", status: 404 });
    expect((await call(shop, "DELETE", `/api/rest/v1/orders/${shop.fake.orders()[0]!.id}`)).json).toMatchObject({ code: "405.10", status: 405 });
    const bad = await call(shop, "PATCH", `/api/rest/v1/orders/${shop.fake.orders()[0]!.id}`, { body: "status=5" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: "400.10", status: 400 });
  });

  it("treats /orders/ like /orders", async () => {
    const a = await call(shop, "GET", "/api/rest/v1/orders/");
    expect(a.status).toBe(200);
    expect(asCollection<CcvOrder>(a).items.length).toBeGreaterThan(0);
  });

  it("failNext answers the next requests with the given error, then recovers", async () => {
    shop.fake.failNext(2, { status: 503, code: "503.10", developermessage: "Maintenance" });
    expect((await call(shop, "GET", "/api/rest/v1/apps")).json).toEqual({ code: "503.10", status: 503, developermessage: "Maintenance" });
    expect((await call(shop, "GET", "/api/rest/v1/apps")).status).toBe(503);
    expect((await call(shop, "GET", "/api/rest/v1/apps")).status).toBe(200);
  });

  it("records every request with path + query, lowercased headers, body and status", async () => {
    await call(shop, "GET", "/api/rest/v1/orders?size=2");
    const last = shop.fake.requests.at(-1)!;
    expect(last).toMatchObject({ method: "GET", path: "/api/rest/v1/orders?size=2", body: "", status: 200 });
    expect(last.headers["x-public"]).toBe(shop.apiPublic);
  });
});

describe("orders", () => {
  it("pages with start/size: following next until null yields every completed order exactly once", async () => {
    let href: string | null = `${shop.apiRoot}/api/rest/v1/orders?size=4`;
    const seen: number[] = [];
    let pages = 0;
    while (href) {
      const page: Collection<CcvOrder> = asCollection<CcvOrder>(await call(shop, "GET", pathOf(href)));
      expect(page.size).toBe(4);
      expect(page.first).toBe(`${shop.apiRoot}/api/rest/v1/orders?start=0&size=4`);
      expect(page.previous === null).toBe(page.start === 0);
      seen.push(...page.items.map((o) => o.id));
      href = page.next;
      pages++;
    }
    const completed = shop.fake.orders().filter((o) => o.is_completed).map((o) => o.id);
    expect(seen).toEqual(completed);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(completed.length / 4));
  });

  it("keeps filters in the paging links and clamps size to 250", async () => {
    const first = asCollection<CcvOrder>(await call(shop, "GET", "/api/rest/v1/orders?is_paid=true&size=3"));
    expect(first.next).toBe(`${shop.apiRoot}/api/rest/v1/orders?is_paid=true&start=3&size=3`);
    const second = asCollection<CcvOrder>(await call(shop, "GET", pathOf(first.next!)));
    expect(second.previous).toBe(`${shop.apiRoot}/api/rest/v1/orders?is_paid=true&start=0&size=3`);
    expect(second.items.every((o) => o.paid)).toBe(true);
    expect(asCollection(await call(shop, "GET", "/api/rest/v1/orders?size=1000")).size).toBe(250);
    expect(asCollection(await call(shop, "GET", "/api/rest/v1/orders")).size).toBe(25);
  });

  it("filters on is_paid, is_completed (default true), status, ordernumber, create dates and sorts with orderby", async () => {
    const get = async (q: string) => asCollection<CcvOrder>(await call(shop, "GET", `/api/rest/v1/orders?${q}`)).items;
    const all = shop.fake.orders();

    const unpaid = await get("is_paid=false");
    expect(unpaid.map((o) => o.id)).toEqual(all.filter((o) => !o.paid && o.is_completed).map((o) => o.id));
    expect(unpaid.length).toBeGreaterThan(1);

    expect((await get("size=250")).every((o) => o.is_completed)).toBe(true);
    const open = await get("is_completed=false");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ is_completed: false, ordernumber: null, ordernumber_full: null, status: null });

    expect((await get("status=5")).map((o) => o.status)).toEqual([5]);
    const [one] = await get("ordernumber=3");
    expect(one!.ordernumber).toBe(3);

    const since = zDate(clock - 48 * 3_600_000);
    const recent = await get(`min_create_date=${encodeURIComponent(since)}`);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((o) => Date.parse(o.create_date) >= Date.parse(since))).toBe(true);
    const older = await get(`max_create_date=${encodeURIComponent(since)}`);
    expect(older.length + recent.length).toBe(all.filter((o) => o.is_completed).length);

    const desc = await get("orderby=create_date_desc");
    const dates = desc.map((o) => Date.parse(o.create_date));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const byNumber = await get("orderby=ordernumber_desc");
    expect(byNumber[0]!.ordernumber).toBeGreaterThan(byNumber.at(-1)!.ordernumber!);

    expect((await call(shop, "GET", "/api/rest/v1/orders?orderby=total_price")).json).toMatchObject({ code: "400.10" });
    expect((await call(shop, "GET", "/api/rest/v1/orders?is_paid=yes")).json).toMatchObject({ code: "400.10" });
  });

  it("serves order resources with CCV's field names and integer types, and the rows behind orderrows.href", async () => {
    const added = shop.fake.addOrder({ rows: [{ product_name: "Plaid", price: 295, count: 2, weight: 1.4 }], total_shipping: 0 });
    const order = (await call(shop, "GET", `/api/rest/v1/orders/${added.id}`)).json as CcvOrder;
    expect(order).toMatchObject({ id: added.id, href: `${shop.apiRoot}/api/rest/v1/orders/${added.id}`, paid: true, is_completed: true, status: 1, total_price: 590, total_weight: 2.8, currency: "EUR", orderedinlng: "nl" });
    expect(Number.isInteger(order.ordernumber)).toBe(true);
    expect(order).not.toHaveProperty("rows");
    expect(Object.values(order.customer.deliveryaddress).every((v) => v === "" || v === null)).toBe(true);
    expect(Number.isInteger(order.customer.billingaddress.housenumber)).toBe(true);

    const rows = asCollection<{ id: number; count: number; weight: number; href: string }>(await call(shop, "GET", pathOf(order.orderrows.href)));
    expect(rows.items).toHaveLength(1);
    expect(rows.items[0]).toMatchObject({ count: 2, weight: 1.4 });
    expect((await call(shop, "GET", pathOf(rows.items[0]!.href))).status).toBe(200);
  });

  it("PATCH sets status and track & trace (204) and records the body and the customer e-mail", async () => {
    const id = shop.fake.orders()[0]!.id;
    const body = { status: 5, track_and_trace_code: "3SABC123", track_and_trace_carrier: "PostNL", mail: true, note: "Onderweg!" };
    const a = await call(shop, "PATCH", `/api/rest/v1/orders/${id}`, { body: JSON.stringify(body) });
    expect(a.status).toBe(204);
    expect(a.text).toBe("");
    expect(shop.fake.patches).toEqual([{ id, body, status: 204 }]);
    expect(shop.fake.order(id)).toMatchObject({ status: 5, track_and_trace_code: "3SABC123", track_and_trace_carrier: "PostNL" });
    expect(shop.fake.mails).toEqual([{ orderId: id, kind: "status", status: 5, track_and_trace_code: "3SABC123", note: "Onderweg!" }]);
    expect(shop.fake.order(id)!.rows.length).toBe(2);

    for (const wrong of [{ status: "5" }, { status: 15 }, { mail: "yes" }, { track_and_trace_code: 123 }, { shipped: true }]) {
      const r = await call(shop, "PATCH", `/api/rest/v1/orders/${id}`, { body: JSON.stringify(wrong) });
      expect(r.json, JSON.stringify(wrong)).toMatchObject({ code: "400.10", status: 400 });
    }
    expect(shop.fake.order(id)!.status).toBe(5);
  });

  it("PATCH with orderrows replaces every row of the order", async () => {
    const order = shop.fake.orders()[0]!;
    const oldIds = order.rows.map((r) => r.id);
    expect(oldIds.length).toBeGreaterThan(1);
    const body = JSON.stringify({ status: 5, orderrows: [{ product_name: "Alleen dit", count: 1, price: 1, weight: 0.1 }] });
    expect((await call(shop, "PATCH", `/api/rest/v1/orders/${order.id}`, { body })).status).toBe(204);
    const rows = asCollection<{ id: number; product_name: string }>(await call(shop, "GET", `/api/rest/v1/orders/${order.id}/orderrows`)).items;
    expect(rows.map((r) => r.product_name)).toEqual(["Alleen dit"]);
    expect(oldIds).not.toContain(rows[0]!.id);
  });

  it("updateOrder completes an order with the next ordernumber and marks it paid", async () => {
    const open = shop.fake.orders().find((o) => !o.is_completed)!;
    const max = Math.max(...shop.fake.orders().map((o) => o.ordernumber ?? 0));
    shop.fake.updateOrder(open.id, { is_completed: true, paid: true });
    expect(shop.fake.order(open.id)).toMatchObject({ is_completed: true, paid: true, status: 1, ordernumber: max + 1, ordernumber_full: String(max + 1) });
  });

  it("serves the shop's labels and an order's labels as {href, items}, signed like every call; 404 for an unknown order", async () => {
    const order = shop.fake.addOrder();
    const plain = shop.fake.addLabel({ tooltip: null });
    const ids = shop.fake.labelOrder(order.id, "express", plain.id, "express");
    expect(ids).toHaveLength(2);
    const express = shop.fake.labels().find((l) => l.tooltip === "express")!;
    const orderLabels = await call(shop, "GET", `/api/rest/v1/orders/${order.id}/orderlabels/`);
    expect(orderLabels.status).toBe(200);
    expect(orderLabels.json).toEqual({
      href: `${shop.apiRoot}/api/rest/v1/orders/${order.id}/orderlabels`,
      items: [
        { label_id: express.id, parent: order.href },
        { label_id: plain.id, parent: order.href },
      ],
    });
    expect((await call(shop, "GET", `/api/rest/v1/orders/${order.id}`)).json).toMatchObject({ orderlabels: { href: `${order.href}/orderlabels` } });
    const labels = await call(shop, "GET", "/api/rest/v1/labels");
    expect(labels.json).toEqual({ href: `${shop.apiRoot}/api/rest/v1/labels`, items: shop.fake.labels() });
    expect(shop.fake.labels().find((l) => l.id === express.id)).toMatchObject({ tooltip: "express", show_on_orders: true, href: `${shop.apiRoot}/api/rest/v1/labels/${express.id}` });
    expect((await call(shop, "GET", `/api/rest/v1/labels/${express.id}`)).json).toEqual(express);
    expect((await call(shop, "GET", "/api/rest/v1/labels/999999")).status).toBe(404);
    expect((await call(shop, "GET", "/api/rest/v1/orders/999999999/orderlabels")).json).toMatchObject({ code: "404.20", status: 404 });
    expect((await call(shop, "GET", `/api/rest/v1/orders/${order.id}/orderlabels`, { secret: "wrong" })).status).toBe(401);
    expect((await call(shop, "GET", `/api/rest/v1/orders/${order.id}/orderlabels`, { signUri: "/api/rest/v1/labels" })).status).toBe(401);
    // An order without labels has an empty collection; a failure can be aimed at one path.
    const other = shop.fake.addOrder();
    shop.fake.failNext(1, { status: 500, code: "500.00", developermessage: "Boom" }, { path: /\/orderlabels$/ });
    expect((await call(shop, "GET", `/api/rest/v1/orders/${other.id}`)).status).toBe(200);
    expect((await call(shop, "GET", `/api/rest/v1/orders/${other.id}/orderlabels`)).status).toBe(500);
    expect((await call(shop, "GET", `/api/rest/v1/orders/${other.id}/orderlabels`)).json).toMatchObject({ items: [] });
  });
});

describe("rate limits", () => {
  it("429.10 past the per-resource limit, counted on a one-minute window of now()", async () => {
    const limited = await startFakeCcvShop({ now, limits: { ordersGet: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await call(limited, "GET", "/api/rest/v1/orders")).status).toBe(200);
      const over = await call(limited, "GET", "/api/rest/v1/orders");
      expect(over.status).toBe(429);
      expect(over.json).toEqual({ code: "429.10", status: 429, developermessage: "Rate limit exceeded for this resource" });
      expect((await call(limited, "GET", "/api/rest/v1/apps")).status).toBe(200);
      clock += 60_001;
      expect((await call(limited, "GET", "/api/rest/v1/orders")).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("429.11 past the total cap; rateLimitNext forces one", async () => {
    const limited = await startFakeCcvShop({ now, limits: { total: 2 } });
    try {
      await call(limited, "GET", "/api/rest/v1/orders");
      await call(limited, "GET", "/api/rest/v1/apps");
      expect((await call(limited, "GET", "/api/rest/v1/webhooks")).json).toMatchObject({ code: "429.11", status: 429 });
    } finally {
      await limited.close();
    }
    shop.fake.rateLimitNext(1);
    expect((await call(shop, "GET", "/api/rest/v1/orders")).json).toMatchObject({ code: "429.10", status: 429 });
    expect((await call(shop, "GET", "/api/rest/v1/orders")).status).toBe(200);
  });
});

describe("webhooks", () => {
  it("registers, lists, changes and deletes webhooks; refuses unknown events and relative addresses", async () => {
    const post = (b: unknown) => call(shop, "POST", "/api/rest/v1/webhooks", { body: JSON.stringify(b) });
    for (const bad of [{ event: "orders.ispaid", address: "https://x.example/h" }, { event: "orders.paid", address: "https://x.example/h" }, { event: "orders.created", address: "/hooks" }, { event: "orders.created" }]) {
      expect((await post(bad)).json, JSON.stringify(bad)).toMatchObject({ code: "400.10" });
    }
    const created = await post({ event: "orders.created", address: "https://koppel.example/webhooks/ccv?shop=1", is_active: true });
    expect(created.status).toBe(201);
    const hook = created.json as { id: number; href: string; key: string; createdate: string; event: string; is_active: boolean };
    expect(hook).toMatchObject({ event: "orders.created", address: "https://koppel.example/webhooks/ccv?shop=1", is_active: true, createdate: "2026-11-30T09:12:00Z" });
    expect(hook.key).toMatch(/^[0-9a-f]{32}$/);
    expect(shop.fake.posts.filter((p) => p.path === "/api/rest/v1/webhooks").length).toBe(5);

    expect(asCollection(await call(shop, "GET", "/api/rest/v1/webhooks")).items).toHaveLength(1);
    expect((await call(shop, "PATCH", pathOf(hook.href), { body: '{"is_active":false}' })).status).toBe(204);
    expect(shop.fake.webhooks[0]!.is_active).toBe(false);
    expect((await call(shop, "DELETE", pathOf(hook.href))).status).toBe(204);
    expect(shop.fake.webhooks).toHaveLength(0);
  });

  it("sendWebhook posts CCV's summary body (fields in order, no signature) to every active hook for the event", async () => {
    const rx = await receiver();
    try {
      const register = (event: string, address: string, is_active = true) => call(shop, "POST", "/api/rest/v1/webhooks", { body: JSON.stringify({ event, address, is_active }) });
      await register("orders.updated.status", `${rx.url}/a`);
      await register("orders.updated.status", `${rx.url}/b`);
      await register("orders.updated.status", `${rx.url}/inactive`, false);
      await register("orders.created", `${rx.url}/created`);

      const order = shop.fake.orders()[0]!;
      shop.fake.updateOrder(order.id, { status: 5 });
      clock += 5_000;
      const results = await shop.sendWebhook("orders.updated.status", order.id);
      expect(results).toEqual([
        { address: `${rx.url}/a`, status: 200 },
        { address: `${rx.url}/b`, status: 200 },
      ]);
      expect(rx.got.map((r) => r.url)).toEqual(["/a", "/b"]);
      const got = rx.got[0]!;
      expect(got.method).toBe("POST");
      expect(got.headers["content-type"]).toBe("application/json");
      expect(got.headers["x-hash"]).toBeUndefined();
      const body = JSON.parse(got.body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(["triggered_at", "href", "id", "order_number", "ordernumber_prefix", "ordernumber_full", "total_price", "previous_status", "status", "customer_email", "customer_mobile"]);
      expect(body).toMatchObject({ triggered_at: "2026-11-30T09:12:05Z", href: order.href, id: order.id, order_number: order.ordernumber, previous_status: 1, status: 5, customer_email: order.customer.email });

      rx.got.length = 0;
      await shop.sendWebhook("orders.created", order.id);
      expect(Object.keys(JSON.parse(rx.got[0]!.body) as object)).toEqual(["triggered_at", "href", "id", "order_number", "ordernumber_prefix", "ordernumber_full", "total_price", "customer_email", "customer_mobile"]);
      expect(await shop.sendWebhook("orders.updated.ispaid", order.id)).toEqual([]);
      expect(shop.fake.webhookSummary("orders.updated.ispaid", order.id)).toMatchObject({ paid: order.paid });
      expect(shop.fake.webhookSummary("orders.updated.trackandtrace", order.id)).toHaveProperty("track_and_trace_carrier");
      expect(shop.fake.webhookSummary("orders.updated.status", order.id, { previous_status: 2 })).toMatchObject({ previous_status: 2 });
    } finally {
      await closeServer(rx.server);
    }
  });
});

describe("app store", () => {
  it("PATCH /apps/{id} {is_installed:true} → 204 and is recorded; other fields → 400", async () => {
    const id = shop.fake.app.id;
    expect((await call(shop, "PATCH", `/api/rest/v1/apps/${id}`, { body: '{"is_installed":true}' })).status).toBe(204);
    expect(shop.fake.app.is_installed).toBe(true);
    expect(shop.fake.appPatches).toEqual([{ is_installed: true }]);
    expect((await call(shop, "PATCH", `/api/rest/v1/apps/${id}`, { body: '{"name":"x"}' })).json).toMatchObject({ code: "400.10" });
    expect((await call(shop, "PATCH", `/api/rest/v1/apps/${id + 1}`, { body: '{"is_installed":true}' })).status).toBe(404);
  });

  it("handshake, install URL and uninstall carry hashes an app recomputes with its app secret", async () => {
    const app = await receiver();
    try {
      const appSecret = "app-secret-from-the-developer-app-center";
      const store = createFakeAppStore({ appUrl: app.url, appSecret, shop });

      expect((await store.handshake()).status).toBe(200);
      const hs = app.got[0]!;
      expect(hs.url).toBe("/ccvshop/handshake");
      expect(JSON.parse(hs.body)).toEqual({ api_public: shop.apiPublic, api_secret: shop.apiSecret, api_root: shop.apiRoot, return_url: `${shop.apiRoot}/admin/appstore/installed`, language: "nl" });
      expect(Object.keys(JSON.parse(hs.body) as object)).toEqual(["api_public", "api_secret", "api_root", "return_url", "language"]);
      expect(hs.headers["x-hash"]).toBe(hmac(appSecret, `${app.url}/ccvshop/handshake|${hs.body}`));

      await store.handshake({ tamper: true });
      expect(app.got[1]!.headers["x-hash"]).not.toBe(hmac(appSecret, `${app.url}/ccvshop/handshake|${app.got[1]!.body}`));
      expect(app.got[1]!.headers["x-hash"]).toMatch(/^[0-9a-f]{128}$/);
      await store.handshake({ noHash: true });
      expect(app.got[2]!.headers["x-hash"]).toBeUndefined();

      const install = new URL(store.installUrl());
      expect(`${install.origin}${install.pathname}`).toBe(`${app.url}/ccvshop/install`);
      expect([...install.searchParams.keys()]).toEqual(["api_public", "language", "x-hash"]);
      expect(install.searchParams.get("language")).toBe("nl");
      expect(install.searchParams.get("x-hash")).toBe(hmac(appSecret, `${app.url}/ccvshop/install|${shop.apiPublic}`));
      expect(new URL(store.installUrl({ tamper: true })).searchParams.get("x-hash")).not.toBe(install.searchParams.get("x-hash"));

      expect((await store.uninstall()).status).toBe(200);
      const un = app.got[3]!;
      expect(un.url).toBe("/ccvshop/uninstall");
      expect(JSON.parse(un.body)).toEqual({ api_public: shop.apiPublic });
      expect(un.headers["x-hash"]).toBe(hmac(appSecret, `${app.url}/ccvshop/uninstall|${un.body}`));

      // The default return_url is a page the fake serves.
      expect((await fetch(`${shop.apiRoot}/admin/appstore/installed`)).status).toBe(200);
    } finally {
      await closeServer(app.server);
    }
  });
});

describe("demo seed", () => {
  it("has the order shapes an adapter must handle", () => {
    const orders = shop.fake.orders();
    expect(orders.length).toBe(15);
    expect(orders[0]!.id).toBe(340000001);
    const completed = orders.filter((o) => o.is_completed);
    expect(completed.map((o) => o.ordernumber)).toEqual(completed.map((_, i) => i + 1));
    expect(orders.filter((o) => !o.paid).length).toBeGreaterThanOrEqual(3);
    expect(orders.some((o) => o.status === 5 && o.track_and_trace_code)).toBe(true);
    expect(orders.some((o) => o.status === 8)).toBe(true);
    expect(orders.some((o) => o.customer.customertype === "b2b" && o.customer.billingaddress.company !== "")).toBe(true);
    expect(orders.some((o) => o.customer.billingaddress.country_code === "BE")).toBe(true);
    expect(orders.some((o) => o.customer.billingaddress.address_line_1 !== "" && o.customer.billingaddress.housenumber === null)).toBe(true);
    expect(orders.some((o) => Object.values(o.customer.deliveryaddress).every((v) => v === "" || v === null))).toBe(true);
    expect(orders.some((o) => o.customer.deliveryaddress.street !== "")).toBe(true);
    expect(orders.some((o) => Number.isInteger(o.total_price))).toBe(true);
    expect(orders.every((o) => o.rows.length >= 1 && o.rows.length <= 3 && o.rows.every((r) => r.weight > 0))).toBe(true);
    expect(orders.every((o) => Date.parse(o.create_date) < T0 && Date.parse(o.create_date) > T0 - 6 * 86_400_000)).toBe(true);
  });
});
