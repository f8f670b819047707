// 1. webhook-ingest: signed orders/paid deliveries over HTTP, 32 clients, to the production server (build/server.js child).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { FakeShopify, dutchOrder, orderWebhookPayload, webhookHmac } from "../../test/fakes/shopify";
import { measureInsertFloor, type InsertFloor } from "../lib/floor";
import { percentile, round } from "../lib/stats";
import { cpuSplitOf, nodeBinary, postgresCpuMs, ROOT, startServer } from "../lib/server";
import type { LoadJob, LoadResult } from "../lib/load-client";
import type { BenchResult } from "../lib/result";

export const INGEST_SHOP = "bench-ingest.myshopify.com";
/** Warm-up deliveries go to another shop, so they never count as measured ones. */
export const WARMUP_SHOP = "bench-warmup.myshopify.com";

type Delivery = { webhookId: string; body: string; headers: Record<string, string> };

export function buildDeliveries(n: number, secret: string): { sequence: Delivery[]; distinct: number; payloads: string[] } {
  const fake = new FakeShopify();
  fake.addShop(INGEST_SHOP);
  const originals: Delivery[] = [];
  for (let i = 0; i < n; i++) {
    const order = fake.upsertOrder(INGEST_SHOP, dutchOrder({ seed: i, financialStatus: "PAID" }));
    const body = JSON.stringify(orderWebhookPayload(order));
    const webhookId = randomUUID();
    originals.push({
      webhookId,
      body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/paid",
        "X-Shopify-Shop-Domain": INGEST_SHOP,
        "X-Shopify-Hmac-Sha256": webhookHmac(body, secret),
        "X-Shopify-Webhook-Id": webhookId,
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-API-Version": "2026-10",
        "User-Agent": "Shopify-Captain-Hook",
        "Content-Length": String(Buffer.byteLength(body)),
      },
    });
  }
  // 10% repeats: the identical delivery again (same webhook id, same body), a few places after the original.
  const sequence: Delivery[] = [];
  for (let i = 0; i < n; i++) {
    sequence.push(originals[i]!);
    if (i % 10 === 9) sequence.push(originals[i - 5]!);
  }
  return { sequence, distinct: n, payloads: originals.slice(0, 100).map((o) => o.body) };
}

/** Sends `deliveries` from a separate process (bench/lib/load-client.ts) and returns what it measured. */
async function sendFromClientProcess(job: LoadJob): Promise<LoadResult> {
  const file = path.join(os.tmpdir(), `koppel-load-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(job));
  try {
    const child = spawn(nodeBinary(), ["--import", "tsx", path.join(ROOT, "bench/lib/load-client.ts"), file], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`load client exited with ${code}: ${err.slice(-2000)}`);
    return JSON.parse(out) as LoadResult;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export async function webhookIngest(opts: {
  databaseUrl: string;
  serverEnv: Record<string, string>;
  deliveries: number;
  concurrency: number;
  poolSize: number;
  nodeArgs?: string[];
  servers?: number;
  log: (s: string) => void;
}): Promise<{ result: BenchResult; floor: InsertFloor; distinct: number }> {
  const secret = opts.serverEnv.SHOPIFY_API_SECRET!;
  const { sequence, distinct, payloads } = buildDeliveries(opts.deliveries, secret);

  const floor = await measureInsertFloor(opts.databaseUrl, { rows: sequence.length, concurrency: opts.concurrency, poolSize: opts.poolSize, payloads });
  opts.log(`  floor: ${round(floor.txPerSecond, 0)} single-row insert tx/s (${floor.rows} rows, pool ${floor.poolSize}, ${floor.concurrency} concurrent)`);

  // Only an install creates a shop: the bench shops are installed first (a webhook for an unknown shop is dropped).
  const setup = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
  await setup`insert into shops (platform, domain) values ('shopify', ${INGEST_SHOP}), ('shopify', ${WARMUP_SHOP}) on conflict do nothing`;
  await setup.end();

  // `servers` > 1: that many server processes, each its own Node process and pool (as behind a load balancer).
  const servers = await Promise.all(
    Array.from({ length: opts.servers ?? 1 }, () => startServer({ env: { ...opts.serverEnv, KOPPEL_WORKERS: "0" }, nodeArgs: opts.nodeArgs })),
  );
  const server = servers[0]!;
  const ports = servers.map((s) => s.port);
  const serversCpu = () => {
    let total = { userMs: 0, systemMs: 0 };
    for (const s of servers) {
      const c = cpuSplitOf(s.child.pid!);
      if (!c) return null;
      total = { userMs: total.userMs + c.userMs, systemMs: total.systemMs + c.systemMs };
    }
    return total;
  };
  try {
    // Warm-up: a handful of deliveries that are not part of the measurement (JIT, pool connections, prepared statements).
    const warm = buildDeliveries(64, secret).sequence.map((d) => ({
      ...d,
      headers: { ...d.headers, "X-Shopify-Shop-Domain": WARMUP_SHOP, "X-Shopify-Webhook-Id": `warm-${d.headers["X-Shopify-Webhook-Id"]}` },
    }));
    await sendFromClientProcess({ ports, path: "/webhooks/orders", concurrency: opts.concurrency, deliveries: warm });

    const cpuBefore = serversCpu();
    const pgBefore = postgresCpuMs();
    const load = await sendFromClientProcess({
      ports,
      path: "/webhooks/orders",
      concurrency: opts.concurrency,
      deliveries: sequence.map((d) => ({ headers: d.headers, body: d.body })),
    });
    const cpuAfter = serversCpu();
    const pgAfter = postgresCpuMs();
    const { seconds, latencies } = load;
    const cpuUsed = cpuBefore && cpuAfter ? { userMs: cpuAfter.userMs - cpuBefore.userMs, systemMs: cpuAfter.systemMs - cpuBefore.systemMs } : null;
    const statuses = new Map(Object.entries(load.statuses).map(([k, v]) => [Number(k), v]));

    const sql = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
    const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries where shop_domain = ${INGEST_SHOP}`;
    // One job per stored batch (group commit); every stored delivery must be in one.
    const [jobs] = await sql<{ n: number; deliveries: number }[]>`
      select count(distinct j.id)::int as n, count(*)::int as deliveries
      from pgboss.job j, jsonb_array_elements(j.data->'deliveryIds') e where j.name = 'process-delivery'`;
    await sql.end();

    const sorted = latencies.slice().sort((a, b) => a - b);
    const value = sequence.length / seconds;
    const ratio = value / floor.txPerSecond;
    const ok = statuses.get(200) ?? 0;
    return {
      floor,
      distinct,
      result: {
        value: round(value, 1),
        floor: round(floor.txPerSecond, 1),
        ratio: round(ratio, 3),
        goal: ">= 0.5",
        met: ratio >= 0.5 && ok === sequence.length && stored!.n === distinct,
        unit: "deliveries/s",
        requests: sequence.length,
        distinctWebhookIds: distinct,
        acknowledged2xx: ok,
        statuses: Object.fromEntries(statuses),
        storedRows: stored!.n,
        durablyStored: stored!.n === distinct,
        jobsEnqueued: jobs!.n,
        deliveriesInJobs: jobs!.deliveries,
        seconds: round(seconds, 2),
        concurrency: opts.concurrency,
        serverProcesses: servers.length,
        serverCpuMsPerDelivery: cpuUsed ? round((cpuUsed.userMs + cpuUsed.systemMs) / sequence.length, 2) : null,
        // of which the kernel (loopback TCP to the sender and to PostgreSQL): the rest is JavaScript and V8
        serverSystemCpuMsPerDelivery: cpuUsed ? round(cpuUsed.systemMs / sequence.length, 2) : null,
        serverCpuShare: cpuUsed ? round((cpuUsed.userMs + cpuUsed.systemMs) / 1000 / seconds, 2) : null,
        senderCpuMsPerDelivery: round(load.cpuMs / sequence.length, 2),
        postgresCpuMsPerDelivery: pgBefore !== null && pgAfter !== null ? round((pgAfter - pgBefore) / sequence.length, 2) : null,
        latencyP50Ms: round(percentile(sorted, 50), 1),
        latencyP99Ms: round(percentile(sorted, 99), 1),
        latencyMaxMs: round(sorted[sorted.length - 1]!, 1),
        latencyGoal: "p99 well under 5000 ms",
      },
    };
  } catch (e) {
    throw new Error(`${(e as Error).message}\nserver output:\n${server.output().slice(-3000)}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
