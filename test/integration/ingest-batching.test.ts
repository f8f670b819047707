// The fast ways in and through: webhooks stored by group commit (DeliveryInbox), order webhooks imported a batch at a
// time (processDeliveries), and the server's Node fast path — each with the same outcomes as one at a time.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { activity, deliveries, orders, shops } from "../../app/db/schema";
import { DeliveryInbox, processDeliveries, type IncomingDelivery } from "../../app/core/deliveries.server";
import { handleWebhookNode as handleShopifyWebhookNode, MAX_WEBHOOK_BYTES } from "../../app/webhook-route.server";
import { rowsOf } from "../../app/db/client.server";
import { FakeShopify, ManualClock, dutchOrder, orderWebhookPayload, signedWebhookRequest, type FakeOrder } from "../fakes/shopify";
import { countRows, runtime, SECRET } from "./helpers";
import { installShop } from "../../app/core/shops.server";
import type { Runtime } from "../../app/runtime.server";

const SHOP = "batching.myshopify.com";
let rt: Runtime;
const clock = new ManualClock();
const fake = new FakeShopify({ clock });
fake.addShop(SHOP);

beforeAll(async () => {
  rt = await runtime();
  await installShop(rt.db, "shopify", SHOP);
});
afterAll(async () => {
  await rt.stop();
});

let seq = 0;
function delivery(order: FakeOrder | null, overrides: Partial<IncomingDelivery> = {}): IncomingDelivery {
  return {
    platform: "shopify",
    shopDomain: SHOP,
    webhookId: `batch-${++seq}`,
    topic: "orders/paid",
    payload: order ? orderWebhookPayload(order) : {},
    bodyIsJson: true,
    ...overrides,
  };
}

/** Makes PostgreSQL refuse to write one order (a trigger), as it would a row it cannot hold; returns the undo. */
async function refuseOrderInDatabase(platformOrderId: number): Promise<() => Promise<void>> {
  await rt.db.execute(sql.raw(`
    create or replace function refuse_order() returns trigger language plpgsql as $$
    begin
      if new.platform_order_id = '${platformOrderId}' then raise exception 'refused by test trigger'; end if;
      return new;
    end $$;
    create trigger refuse_order before insert or update on orders for each row execute function refuse_order();`));
  return async () => void (await rt.db.execute(sql.raw(`drop trigger refuse_order on orders; drop function refuse_order();`)));
}

/** The process-delivery jobs that hold any of these deliveries. */
async function jobsFor(deliveryIds: number[]) {
  const rows = rowsOf<{ data: { deliveryIds: number[] }; retry_limit: number }>(
    await rt.db.execute(sql`select data, retry_limit from pgboss.job where name = 'process-delivery'`),
  );
  const wanted = new Set(deliveryIds);
  return rows.filter((r) => r.data.deliveryIds.some((id) => wanted.has(id))).map((r) => ({ ids: r.data.deliveryIds, retryLimit: r.retry_limit }));
}

describe("DeliveryInbox (group commit)", () => {
  it("stores concurrent deliveries in shared transactions: each once, each with one job carrying the queue's retries", async () => {
    const inbox = new DeliveryInbox(rt.db, rt.queue);
    const originals = Array.from({ length: 40 }, (_, i) => delivery(fake.upsertOrder(SHOP, dutchOrder({ seed: 100 + i, financialStatus: "PAID" }))));
    const repeats = originals.slice(0, 5); // Shopify retrying while the first attempt is still being stored
    const results = await Promise.all([...originals, ...repeats].map((d) => inbox.receive(d)));

    expect(results.slice(0, 40).every((r) => r.status === "stored")).toBe(true);
    expect(results.slice(40).map((r) => r.status)).toEqual(Array(5).fill("duplicate"));
    expect(inbox.stats.deliveries).toBe(45);
    expect(inbox.stats.batches).toBeLessThan(10); // 45 arrived in one tick: a few transactions, not 45
    const ids = results.flatMap((r) => (r.status === "stored" ? [r.deliveryId] : []));
    expect(await countRows(rt, "deliveries", `webhook_id in (${originals.map((d) => `'${d.webhookId}'`).join(",")})`)).toBe(40);
    // One job per stored batch, every stored delivery in exactly one of them, with the queue's retries.
    const jobs = await jobsFor(ids);
    expect(jobs.length).toBe(inbox.stats.batches);
    expect(jobs.flatMap((j) => j.ids).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(jobs.every((j) => j.retryLimit === 8)).toBe(true);

    // Later deliveries with the same ids are duplicates too (the unique key, not the batch, decides).
    expect((await inbox.receive(originals[7]!)).status).toBe("duplicate");
  });

  it("while the database hangs, deliveries past the waiting cap are refused at once instead of piling up in memory", async () => {
    const hanging = { transaction: () => new Promise(() => {}) } as unknown as typeof rt.db; // connections open, no answer
    const inbox = new DeliveryInbox(hanging, rt.queue, { maxBatch: 2, maxConcurrentBatches: 1, maxWaiting: 5 });
    const settled: string[] = Array(10).fill("waiting");
    const sent = Array.from({ length: 10 }, () => delivery(null));
    const send = (i: number) => inbox.receive(sent[i]!).then(() => (settled[i] = "stored"), (e: Error) => (settled[i] = e.message));
    [0, 1].forEach(send);
    await new Promise((r) => setTimeout(r, 20)); // the first two go into the (hanging) transaction
    [2, 3, 4, 5, 6, 7, 8, 9].forEach(send);
    await new Promise((r) => setTimeout(r, 20));
    // The first two are in the hanging transaction; five wait behind it; the other three were refused at once.
    expect(settled.filter((s) => s === "waiting")).toHaveLength(7);
    expect(settled.filter((s) => /too many webhook deliveries waiting/.test(s))).toHaveLength(3);
  });

  it("a delivery PostgreSQL refuses fails alone; the rest of its batch is stored", async () => {
    const inbox = new DeliveryInbox(rt.db, rt.queue);
    const good = Array.from({ length: 9 }, (_, i) => delivery(fake.upsertOrder(SHOP, dutchOrder({ seed: 200 + i, financialStatus: "PAID" }))));
    // A value text cannot hold (\u0000; payloads are escaped, see payload-edges.test.ts): the batch's transaction
    // fails, then each is retried on its own.
    const poisoned = delivery(null, { shopDomain: "nul\u0000.myshopify.com" });
    const settled = await Promise.allSettled([...good.slice(0, 4), poisoned, ...good.slice(4)].map((d) => inbox.receive(d)));

    expect(settled[4]!.status).toBe("rejected");
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(9);
    expect(await countRows(rt, "deliveries", `webhook_id = '${poisoned.webhookId}'`)).toBe(0);
    expect(await countRows(rt, "deliveries", `webhook_id in (${good.map((d) => `'${d.webhookId}'`).join(",")})`)).toBe(9);
  });
});

describe("processDeliveries (a batch of order webhooks at once)", () => {
  async function store(ds: IncomingDelivery[]): Promise<number[]> {
    const inbox = new DeliveryInbox(rt.db, rt.queue);
    const out: number[] = [];
    // One at a time, so ids follow this order (arrival order).
    for (const d of ds) {
      const r = await inbox.receive(d);
      if (r.status !== "stored") throw new Error(`not stored: ${r.status}`);
      out.push(r.deliveryId);
    }
    return out;
  }

  it("gives the outcomes of importing one after another: skip, import, stale, invalid, twice the same order", async () => {
    const a = fake.upsertOrder(SHOP, dutchOrder({ seed: 301, financialStatus: "PENDING" }));
    const aCreated = delivery(a, { topic: "orders/create" });
    clock.advance(60_000);
    const aPaid = delivery(fake.upsertOrder(SHOP, { id: a.id, financialStatus: "PAID" }));
    const c = fake.upsertOrder(SHOP, dutchOrder({ seed: 303, financialStatus: "PAID", email: "oud@example.nl" }));
    const cOld = delivery(c);
    clock.advance(60_000);
    const cNew = delivery(fake.upsertOrder(SHOP, { id: c.id, email: "nieuw@example.nl" }), { topic: "orders/updated" });
    const b = delivery(fake.upsertOrder(SHOP, dutchOrder({ seed: 302, financialStatus: "PAID" })));
    const bad = delivery(null, { payload: { id: "not-a-number", name: 42 } });

    // Newest C arrives before the older one (webhooks are not ordered).
    const ids = await store([aCreated, aPaid, cNew, b, bad, cOld]);
    const results = await processDeliveries(rt, ids);

    expect(ids.map((id) => results.get(id))).toEqual(["skipped", "imported", "imported", "imported", "invalid", "updated"]);
    const rows = await rt.db.select().from(deliveries).where(inArray(deliveries.id, ids));
    const reasonOf = (id: number) => rows.find((r) => r.id === id)!.reason;
    expect(reasonOf(ids[0]!)).toBe("not_paid");
    expect(reasonOf(ids[5]!)).toBe("older than stored order");
    expect(reasonOf(ids[4]!)).toBeTruthy();
    expect(rows.every((r) => r.processedAt !== null)).toBe(true);

    const [shop] = await rt.db.select().from(shops).where(eq(shops.domain, SHOP));
    const stored = await rt.db.select().from(orders).where(eq(orders.shopId, shop!.id));
    const byId = new Map(stored.map((o) => [o.platformOrderId, o]));
    expect(byId.get(String(a.id))?.status).toBe("to_ship");
    expect(byId.get(String(c.id))?.email).toBe("nieuw@example.nl"); // the older delivery did not overwrite it

    const log = await rt.db.select().from(activity).where(eq(activity.shopId, shop!.id));
    expect(log.filter((e) => e.summary === "import.invalid")).toHaveLength(1);
    expect(log.some((e) => e.summary === "import.skipped" && e.reason === "not_paid")).toBe(true);

    // Run again (a retried job): nothing changes, the outcomes are read back.
    const again = await processDeliveries(rt, ids);
    expect(ids.map((id) => again.get(id))).toEqual(["skipped", "imported", "imported", "imported", "invalid", "updated"]);
    expect(await rt.db.select().from(orders).where(eq(orders.shopId, shop!.id))).toHaveLength(stored.length);
  });

  it("an order PostgreSQL refuses fails only its own delivery; the rest of the batch is imported", async () => {
    const ok = Array.from({ length: 5 }, (_, i) => fake.upsertOrder(SHOP, dutchOrder({ seed: 400 + i, financialStatus: "PAID" })));
    const refused = fake.upsertOrder(SHOP, dutchOrder({ seed: 410, financialStatus: "PAID" }));
    const allowAgain = await refuseOrderInDatabase(refused.id);
    try {
      const ids = await store([...ok.slice(0, 2), refused, ...ok.slice(2)].map((o) => delivery(o)));
      const results = await processDeliveries(rt, ids);
      expect(results.get(ids[2]!)).toBeInstanceOf(Error);
      expect((results.get(ids[2]!) as Error).message).toMatch(/refused by test trigger/);
      expect(ids.filter((_, i) => i !== 2).map((id) => results.get(id))).toEqual(Array(5).fill("imported"));
      const [row] = await rt.db.select().from(deliveries).where(eq(deliveries.id, ids[2]!));
      expect(row!.outcome).toBe("pending"); // its job fails and is retried by the queue
    } finally {
      await allowAgain();
    }
  });
});

describe("the server's Node fast path for Shopify webhooks", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (!handleShopifyWebhookNode(req, res)) res.writeHead(299).end("not mine");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function send(request: Request, path = "/webhooks/orders") {
    const url = `http://127.0.0.1:${port}${path}`;
    return fetch(url, { method: request.method, headers: request.headers, body: request.method === "POST" ? await request.text() : undefined });
  }
  const signed = (opts: { secret?: string; webhookId?: string; order?: FakeOrder; rawBody?: string }) =>
    signedWebhookRequest({
      url: "http://localhost/webhooks/orders",
      topic: "orders/paid",
      shop: SHOP,
      payload: opts.order ? orderWebhookPayload(opts.order) : undefined,
      rawBody: opts.rawBody,
      secret: opts.secret ?? SECRET,
      webhookId: opts.webhookId,
    });

  it("stores a signed webhook (200), refuses a bad HMAC (401) and leaves other requests to Remix", async () => {
    const order = fake.upsertOrder(SHOP, dutchOrder({ seed: 500, financialStatus: "PAID" }));
    expect((await send(signed({ order, webhookId: "fast-1" }))).status).toBe(200);
    expect(await countRows(rt, "deliveries", `webhook_id = 'fast-1'`)).toBe(1);
    expect((await send(signed({ order, webhookId: "fast-1" }))).status).toBe(200); // a redelivery: still one row
    expect(await countRows(rt, "deliveries", `webhook_id = 'fast-1'`)).toBe(1);

    expect((await send(signed({ order, webhookId: "fast-2", secret: "wrong" }))).status).toBe(401);
    expect(await countRows(rt, "deliveries", `webhook_id = 'fast-2'`)).toBe(0);

    // A topic this path does not take → 400, as the Remix route answers.
    const uninstall = signedWebhookRequest({ url: "http://localhost/webhooks/orders", topic: "app/uninstalled", shop: SHOP, payload: {}, secret: SECRET });
    expect((await send(uninstall)).status).toBe(400);

    // Not a webhook path, or not a POST: untouched, for express/Remix.
    expect((await send(signed({ order }), "/app/elsewhere")).status).toBe(299);
    expect((await fetch(`http://127.0.0.1:${port}/webhooks/orders`)).status).toBe(299);
    // Under /webhooks but not exactly a webhook path: 404 without reading the body (test/integration/body-limits.test.ts).
    expect((await send(signed({ order }), "/webhooks/elsewhere")).status).toBe(404);
  });

  it("refuses a body over the limit with 413 and stores nothing", async () => {
    const huge = signed({ rawBody: JSON.stringify({ id: 1, note: "x".repeat(MAX_WEBHOOK_BYTES) }), webhookId: "fast-huge" });
    const res = await send(huge).catch((e: Error) => e);
    // Node may reset the socket while the client is still sending; either way nothing is stored.
    if (!(res instanceof Error)) expect(res.status).toBe(413);
    expect(await countRows(rt, "deliveries", `webhook_id = 'fast-huge'`)).toBe(0);
  });
});

describe("the process-delivery worker (one job per stored batch)", () => {
  it("fails a job when one of its deliveries fails, and its retry imports only that one", async () => {
    const orderOk = [1, 2].map((i) => fake.upsertOrder(SHOP, dutchOrder({ seed: 600 + i, financialStatus: "PAID" })));
    const refused = fake.upsertOrder(SHOP, dutchOrder({ seed: 610, financialStatus: "PAID" }));
    const allowAgain = await refuseOrderInDatabase(refused.id);
    const inbox = new DeliveryInbox(rt.db, rt.queue);
    const results = await Promise.all([orderOk[0]!, refused, orderOk[1]!].map((o) => inbox.receive(delivery(o))));
    const ids = results.map((r) => (r.status === "stored" ? r.deliveryId : -1));
    const [job] = await jobsFor(ids);
    expect(job!.ids.sort()).toEqual([...ids].sort()); // one batch, one job

    const { registerWorkers } = await import("../../app/jobs/workers.server");
    await registerWorkers(rt.boss, rt, { pollingIntervalSeconds: 0.5 });
    const outcome = async (id: number) => (await rt.db.select({ o: deliveries.outcome }).from(deliveries).where(eq(deliveries.id, id)))[0]!.o;
    const jobState = async () =>
      rowsOf<{ state: string; output: { message?: string } | null }>(
        await rt.db.execute(sql`select state, output from pgboss.job where name = 'process-delivery' and data->'deliveryIds' @> ${JSON.stringify([ids[1]])}::jsonb`),
      )[0]!;
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
    };

    await until(async () => (await jobState()).state === "retry");
    expect((await jobState()).output?.message).toMatch(new RegExp(`delivery ${ids[1]}: refused by test trigger`));
    expect([await outcome(ids[0]!), await outcome(ids[1]!), await outcome(ids[2]!)]).toEqual(["imported", "pending", "imported"]);

    await allowAgain();
    await until(async () => (await jobState()).state === "completed"); // retried after ~2 s (the queue's retryDelay)
    expect((await jobState()).state).toBe("completed");
    expect(await outcome(ids[1]!)).toBe("imported");
    const importedLog = await rt.db.select().from(activity).where(eq(activity.orderNumber, refused.name));
    expect(importedLog.filter((e) => e.summary === "import.imported")).toHaveLength(1);
    // The retry left the two finished deliveries alone: still one activity row for each.
    const firstLog = await rt.db.select().from(activity).where(eq(activity.orderNumber, orderOk[0]!.name));
    expect(firstLog.filter((e) => e.summary === "import.imported")).toHaveLength(1);
  }, 20_000);
});
