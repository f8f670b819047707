// PostgreSQL stops (and then hangs) under the running production server (build/server.js, its own workers). While the
// database is down nothing may be answered 200 — not /healthz, not a webhook (Shopify must retry it), not an app page
// with data — and every answer must come quickly; when the database is back the same process recovers by itself. The
// test stops a PostgreSQL server of its own (support/postgres-cluster.ts), never the shared one on 5432.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "undici";
import { FakeShopify, dutchOrder, orderWebhookPayload, type FakeOrder } from "../fakes/shopify";
import { postgresBinDir, startOwnPostgres, type OwnPostgres } from "./support/postgres-cluster";
import { productionSecrets, startProductionServer, useInThisProcess, type ProductionServer } from "./support/server";
import { get, loopbackPool, send, signedDelivery } from "./support/webhooks";
import { closeAppDatabase, installShop, merchantCookie, observer } from "./support/shops";

const SHOP = "reliability-dbstop.myshopify.com";
/** How long any answer may take while the database is down (the issue: "an honest 503", a bounded wait). */
const ANSWER_MS = 5_000;
const WEBHOOK_ANSWER_MS = 10_000;
/** How long the same process may take to serve again once PostgreSQL is back. */
const RECOVERY_MS = 30_000;

const bin = postgresBinDir();
if (!bin) console.warn("database-stop: SKIPPED — no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql to run a server of the test's own");

const secrets = productionSecrets();
let pg: OwnPostgres | undefined;
let server: ProductionServer | undefined;
let db: ReturnType<typeof observer> | undefined;
let http: Pool | undefined;
let cookie = "";
const fake = new FakeShopify();
fake.addShop(SHOP);
const newOrder = (seed: number) => fake.upsertOrder(SHOP, dutchOrder({ seed, financialStatus: "PAID" }));
const webhookFor = (order: FakeOrder) => signedDelivery({ shop: SHOP, topic: "orders/paid", secret: secrets.SHOPIFY_API_SECRET, payload: orderWebhookPayload(order) });

async function waitImported(order: FakeOrder, withinMs: number): Promise<string | undefined> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const status = await db!.orderCounts(SHOP).then((m) => m.get(String(order.id))?.status, () => undefined);
    if (status || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** /healthz's status once it is 200, or the last one RECOVERY_MS after `since`. */
async function healthyWithin(since: number): Promise<number> {
  for (;;) {
    const r = await get(http!, "/healthz", { timeoutMs: ANSWER_MS });
    if (r.status === 200 || Date.now() - since > RECOVERY_MS) return r.status;
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** Shopify's retries of a delivery until it gets its 200 (or RECOVERY_MS after `since`). */
async function retryUntil200(d: ReturnType<typeof webhookFor>, since: number): Promise<number> {
  for (;;) {
    const r = await send(http!, d, { timeoutMs: WEBHOOK_ANSWER_MS });
    if (r.status === 200 || Date.now() - since > RECOVERY_MS) return r.status;
    await new Promise((res) => setTimeout(res, 500));
  }
}

describe.skipIf(!bin)("PostgreSQL stops under the production server", () => {
  beforeAll(async () => {
    pg = await startOwnPostgres();
    useInThisProcess(secrets, pg.url);
    // The server migrates its empty database on start (app/runtime.server.ts).
    server = await startProductionServer({ databaseUrl: pg.url, secrets, workers: true });
    const { shopId } = await installShop(SHOP, { fromAddress: true });
    cookie = await merchantCookie(shopId);
    db = observer(pg.url);
    http = loopbackPool(server.port, 8);
  });

  afterAll(async () => {
    await http?.close();
    await server?.stop();
    await db?.end();
    await closeAppDatabase();
    await pg?.destroy();
  });

  it("answers no 200 while the database is down, quickly, and recovers without a restart", async () => {
    const page = () => get(http!, "/app", { headers: { Cookie: cookie, Accept: "text/html" }, timeoutMs: WEBHOOK_ANSWER_MS });

    // Up: healthy, a webhook is imported, the order list shows it.
    const before = newOrder(1);
    expect((await get(http!, "/healthz")).status).toBe(200);
    expect((await send(http!, webhookFor(before))).status).toBe(200);
    expect(await waitImported(before, 20_000)).toBe("to_ship");
    const upPage = await page();
    expect(upPage.status).toBe(200);
    expect(upPage.body).toContain(before.name);
    const pid = server!.child.pid;

    await pg!.stop();

    // Down: every answer bounded and none of them 200 (soft: one run reports every such answer, then checks recovery).
    const health = await get(http!, "/healthz", { timeoutMs: ANSWER_MS });
    expect.soft(health.status, `/healthz while the database is down (0 = no answer within ${ANSWER_MS} ms: ${"error" in health ? health.error : ""})`).toBe(503);
    const during = newOrder(2);
    const duringDelivery = webhookFor(during);
    const hook = await send(http!, duringDelivery, { timeoutMs: WEBHOOK_ANSWER_MS });
    expect.soft(hook.status, `a signed webhook while the database is down (0 = no answer within ${WEBHOOK_ANSWER_MS} ms)`).toBe(503);
    const downPage = await page();
    expect.soft(downPage.status, `an app page while the database is down (0 = no answer within ${WEBHOOK_ANSWER_MS} ms)`).not.toBe(0);
    expect.soft(downPage.status, "an app page while the database is down").not.toBe(200);
    expect.soft(downPage.body ?? "").not.toContain(before.name);
    const healthAgain = await get(http!, "/healthz", { timeoutMs: ANSWER_MS });
    expect.soft(healthAgain.status, "/healthz still while the database is down").toBe(503);

    await pg!.start();
    const restartedAt = Date.now();

    // Back: the same process answers healthy again, takes Shopify's retry of the refused webhook and a new one.
    expect(await healthyWithin(restartedAt), `/healthz within ${RECOVERY_MS / 1000} s of the database coming back`).toBe(200);
    expect(await retryUntil200(duringDelivery, restartedAt), "Shopify's retry of the webhook refused while the database was down").toBe(200);
    const after = newOrder(3);
    expect((await send(http!, webhookFor(after))).status).toBe(200);
    expect(await waitImported(during, RECOVERY_MS), "the retried webhook's order").toBe("to_ship");
    expect(await waitImported(after, RECOVERY_MS), "a new webhook's order").toBe("to_ship");
    const backPage = await page();
    expect(backPage.status).toBe(200);
    expect(backPage.body).toContain(after.name);

    expect(server!.exited(), "the server process exited").toBe(false);
    expect(server!.child.pid).toBe(pid);
  });

  it("answers 503 within a bound while the database hangs (connections open, no answer), and recovers", async () => {
    if (!pg!.isRunning()) await pg!.start(); // the test before failed while it was stopped
    const pid = server!.child.pid;
    expect(await healthyWithin(Date.now())).toBe(200);
    const hung = newOrder(4);
    const hungDelivery = webhookFor(hung);
    pg!.freeze();
    try {
      const health = await get(http!, "/healthz", { timeoutMs: ANSWER_MS });
      expect.soft(health.status, `/healthz while the database hangs (0 = no answer within ${ANSWER_MS} ms)`).toBe(503);
      const hook = await send(http!, hungDelivery, { timeoutMs: WEBHOOK_ANSWER_MS });
      expect.soft(hook.status, `a signed webhook while the database hangs (0 = no answer within ${WEBHOOK_ANSWER_MS} ms)`).toBe(503);
    } finally {
      pg!.thaw();
    }
    const thawedAt = Date.now();
    expect(await healthyWithin(thawedAt), `/healthz within ${RECOVERY_MS / 1000} s of the database answering again`).toBe(200);
    expect(await retryUntil200(hungDelivery, thawedAt)).toBe(200);
    expect(await waitImported(hung, RECOVERY_MS), "the webhook's order").toBe("to_ship");
    expect(server!.exited(), "the server process exited").toBe(false);
    expect(server!.child.pid).toBe(pid);
  });
});
