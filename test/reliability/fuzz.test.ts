// 500 generated malformed or hostile order webhooks (support/fuzz.ts; seeded: the seed is printed, KOPPEL_FUZZ_SEED
// replays one) against the production server. Every request is answered as owed (200, 401 for a bad signature, 413
// over the body limit), the server never dies, every stored delivery ends with an outcome without a job retried into
// failure, and the shop's periodic sync still works afterwards.
//
// Where things run: the webhooks go to build/server.js (NODE_ENV=production, KOPPEL_WORKERS=0) — a crash or an
// out-of-memory there is a dead process we can see, and stack and memory limits are production's. Its deliveries are
// imported by the real pg-boss workers (registerWorkers) in this process, next to the fake Shopify (msw), because the
// sync must reach the fake's Admin GraphQL and a separate process cannot (it would reach for the real
// *.myshopify.com); a worker crash here fails this test file just as visibly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SetupServer } from "msw/node";
import { createFakeShopify, dutchOrder, startFakeShopifyServer, type FakeShopify } from "../fakes/shopify";
import type { Runtime } from "../../app/runtime.server";
import { productionSecrets, startProductionServer, useInThisProcess, type ProductionServer } from "./support/server";
import { get, loopbackPool, sendAll } from "./support/webhooks";
import { closeAppDatabase, installShop, observer } from "./support/shops";
import { fuzzCases, type FuzzCase } from "./support/fuzz";

const SHOP = "reliability-fuzz.myshopify.com";
const TOKEN = "shpat_reliability_fuzz";
const CASES = 500;
const SEED = process.env.KOPPEL_FUZZ_SEED ? Number(process.env.KOPPEL_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
/** Every stored delivery must have its outcome this long after the last request. */
const OUTCOME_MS = 60_000;
const databaseUrl = process.env.DATABASE_URL!;
const secrets = productionSecrets();
useInThisProcess(secrets, databaseUrl);

// The fake Shopify before any app module loads (@shopify/shopify-api keeps the fetch it finds at load).
let fake: FakeShopify;
let msw: SetupServer;
let server: ProductionServer | undefined;
let rt: Runtime | undefined;
let shopId = 0;
const db = observer(databaseUrl);

beforeAll(async () => {
  // The server first: msw (below) refuses any request it has no handler for, the harness's readiness probe included.
  server = await startProductionServer({ databaseUrl, secrets, workers: false });
  const created = createFakeShopify({ apiKey: secrets.SHOPIFY_API_KEY, apiSecret: secrets.SHOPIFY_API_SECRET, bucket: { maximumAvailable: 20_000, restoreRate: 1_000 } });
  fake = created.fake;
  msw = startFakeShopifyServer(created.handlers, { onUnhandledRequest: "error" });
  fake.addShop(SHOP, { accessToken: TOKEN });
  ({ shopId } = await installShop(SHOP, { accessToken: TOKEN }));
  const { getRuntime } = await import("../../app/runtime.server");
  rt = await getRuntime({ workers: true });
});

afterAll(async () => {
  await server?.stop();
  await rt?.stop();
  await db.end();
  await closeAppDatabase();
  msw?.close();
});

const line = (c: FuzzCase, got: string) => `#${c.index} ${c.kind} (${c.body.length} chars): expected ${c.expected}, got ${got}`;

describe(`fuzz: ${CASES} hostile order webhooks (seed ${SEED})`, () => {
  it("answers each as owed, never dies, gives every delivery an outcome, and the shop's sync still works", async () => {
    console.log(`fuzz seed ${SEED} (replay: KOPPEL_FUZZ_SEED=${SEED} npx vitest run --project reliability test/reliability/fuzz.test.ts)`);
    const cases = fuzzCases({ seed: SEED, n: CASES, shop: SHOP, secret: secrets.SHOPIFY_API_SECRET, fake });
    const kinds: Record<string, number> = {};
    for (const c of cases) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    console.log(`fuzz cases: ${JSON.stringify(kinds)}`);

    const pool = loopbackPool(server!.port, 8);
    const t0 = Date.now();
    const results = await sendAll(pool, cases, { concurrency: 8, timeoutMs: 30_000 });
    const slowest = cases.map((c, i) => ({ c, ms: results[i]!.ms })).sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(`fuzz: ${cases.length} requests answered in ${Date.now() - t0} ms; slowest: ${slowest.map(({ c, ms }) => `#${c.index} ${c.kind} ${c.body.length} chars ${Math.round(ms)} ms`).join(", ")}`);
    const noAnswer = cases.flatMap((c, i) => ("error" in results[i]! ? [line(c, `no answer after ${Math.round(results[i]!.ms)} ms (${(results[i] as { error: string }).error})`)] : []));
    if (noAnswer.length) console.log(`fuzz: requests without an answer:\n${noAnswer.join("\n")}`);
    const wrong = cases.flatMap((c, i) => {
      const r = results[i]!;
      return r.status === c.expected ? [] : [line(c, "error" in r ? `no answer after ${Math.round(r.ms)} ms (${r.error})` : String(r.status))];
    });
    const wrongKinds = countBy(cases.flatMap((c, i) => (results[i]!.status === c.expected ? [] : [`${c.kind} ${c.expected}→${results[i]!.status || "no answer"}`])));
    expect.soft(wrong.length, `requests not answered as owed (seed ${SEED}): ${JSON.stringify(wrongKinds)}, e.g.\n${wrong.slice(0, 12).join("\n")}`).toBe(0);

    // Still alive and healthy.
    expect(server!.exited(), `the server died:\n${server!.output().slice(-3000)}`).toBe(false);
    expect((await get(pool, "/healthz")).status).toBe(200);
    await pool.close();

    // Refused requests stored nothing.
    const rows0 = await db.deliveries(SHOP);
    const storedIds = new Set(rows0.map((r) => r.webhook_id));
    const refused = cases.filter((c) => c.expected !== 200 && !cases.some((o) => o.webhookId === c.webhookId && o.expected === 200));
    expect.soft(refused.filter((c) => storedIds.has(c.webhookId)).map((c) => line(c, "stored")), "refused (401/413) but stored").toEqual([]);

    // Every stored delivery gets an outcome, none by way of a job retried into failure.
    const started = Date.now();
    let rows = rows0;
    while (Date.now() - started < OUTCOME_MS && rows.some((r) => r.outcome === "pending")) {
      await new Promise((r) => setTimeout(r, 500));
      rows = await db.deliveries(SHOP);
    }
    const unfinished = rows.filter((r) => r.outcome === "pending" || r.outcome === "failed");
    const byWebhook = new Map(cases.map((c) => [c.webhookId, c]));
    expect
      .soft(
        unfinished.length,
        `deliveries without an outcome ${OUTCOME_MS / 1000} s after the last request (seed ${SEED}):\n` +
          unfinished
            .slice(0, 10)
            .map((r) => `${r.webhook_id} ${byWebhook.get(r.webhook_id)?.kind}: ${r.outcome} ${r.reason?.slice(0, 200) ?? ""}`)
            .join("\n"),
      )
      .toBe(0);
    const retried = await db.sql<{ id: string; state: string; retry_count: number; output: unknown }[]>`
      select id, state::text, retry_count, output from pgboss.job where name = 'process-delivery' and (retry_count > 0 or state = 'failed')`;
    expect.soft(retried.length, `process-delivery jobs retried or failed: ${JSON.stringify(retried.slice(0, 3)).slice(0, 1500)}`).toBe(0);
    console.log(`fuzz outcomes after ${Date.now() - started} ms: ${JSON.stringify(countBy(rows.map((r) => r.outcome)))}`);

    // The unmodified paid orders among them are imported, once.
    const counts = await db.orderCounts(SHOP);
    // (those answered 200: a request without its 200 is reported above, and Shopify would retry it)
    const validIds = [...new Set(cases.flatMap((c, i) => (c.validOrderId && results[i]!.status === 200 ? [c.validOrderId] : [])))];
    expect.soft(validIds.filter((id) => counts.get(id)?.status !== "to_ship" || counts.get(id)?.rows !== 1), "valid paid orders not imported once, to ship").toEqual([]);

    // The shop's sync still works: new orders in the shop (one with a NUL in the name, as a customer can type it)
    // come in, and the sync finishes and moves its cursor past every order the shop holds, twice in a row.
    const missed = [0, 1, 2].map((k) => fake.upsertOrder(SHOP, dutchOrder({ seed: 90_000 + k, financialStatus: "PAID" })));
    fake.upsertOrder(SHOP, dutchOrder({ seed: 90_010, financialStatus: "PAID", customer: { firstName: "Nul\u0000", lastName: "Teken\ud800" } }));
    const { syncShop } = await import("../../app/core/sync.server");
    const sync = () => syncShop({ db: rt!.db, platform: rt!.platformFor("shopify"), clock: rt!.clock, encryptionKey: rt!.encryptionKey }, shopId).catch((e: Error) => ({ status: "threw", error: (e.cause instanceof Error ? e.cause : e).message.slice(0, 500) }));
    const first = await sync();
    expect(first, `the sync after the fuzz: ${JSON.stringify(first)}`).toMatchObject({ status: "done" });
    const second = await sync();
    expect(second, `the next sync: ${JSON.stringify(second)}`).toMatchObject({ status: "done" });
    const after = await db.orderCounts(SHOP);
    expect(missed.map((o) => after.get(String(o.id))?.status), "orders only the sync could bring").toEqual(["to_ship", "to_ship", "to_ship"]);
    const [shopRow] = await db.sql<{ cursor: Date | null }[]>`select sync_cursor as cursor from shops where id = ${shopId}`;
    const cursor = shopRow?.cursor;
    const newest = Math.max(...fake.listOrders(SHOP).map((o) => Date.parse(o.updatedAt)));
    expect(cursor?.getTime() ?? 0, "the sync cursor reached the shop's newest order").toBeGreaterThanOrEqual(newest);
  });
});

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
