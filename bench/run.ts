// `npm run bench`: every benchmark against real PostgreSQL, each figure a ratio against a floor measured in the same
// run on the same database. Prints one line per benchmark and writes bench/results.json. Not a test: a missed goal
// never fails the run (exit 1 only when the harness itself breaks).
//
//   npm run bench                                  all six (builds first)
//   npm run bench -- --only=order-list,sync-idle   a subset (webhook-ingest is needed by import-drain, bulk-labels by memory)
//   npm run bench -- --deliveries=10000            more webhook deliveries (default 5000, minimum 5000 for the record)
//   npm run bench -- --cpu-prof                    write server CPU profiles (webhook-ingest) to bench/profiles/
//   npm run bench -- --servers=2                   webhook-ingest against 2 server processes (deliveries alternate)
//
// DATABASE_URL: use that (empty) database; otherwise a database koppel_bench_<pid> is created at BENCH_PG_URL
// (default postgres://postgres@127.0.0.1:5432/test) and dropped afterwards.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { BenchResult } from "./lib/result";
import { round } from "./lib/stats";

const ALL = ["webhook-ingest", "import-drain", "bulk-labels", "memory", "order-list", "sync-idle"] as const;
type Name = (typeof ALL)[number];

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "true"] as const;
  }),
);
const only = args.get("only")?.split(",").filter(Boolean) as Name[] | undefined;
const selected = new Set<Name>(only?.length ? only : ALL);
for (const n of selected) if (!ALL.includes(n)) throw new Error(`unknown benchmark ${n}; known: ${ALL.join(", ")}`);
if (selected.has("import-drain")) selected.add("webhook-ingest");
if (selected.has("memory")) selected.add("bulk-labels");
const DELIVERIES = Number(args.get("deliveries") ?? 5000);
const CONCURRENCY = 32;
const POOL_SIZE = 10; // openDatabase's default `max`: the server's pool

const log = (s: string) => process.stdout.write(`${s}\n`);
const ROOT = path.resolve(import.meta.dirname, "..");

async function main(): Promise<number> {
  const adminUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  let databaseUrl = process.env.DATABASE_URL;
  let created: string | null = null;
  if (!databaseUrl) {
    created = `koppel_bench_${process.pid}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${created}" with (force)`);
    await admin.unsafe(`create database "${created}"`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${created}`;
    databaseUrl = u.toString();
  }

  // One environment for the server children and this process (cookies, HMACs and encrypted secrets must agree).
  const serverEnv: Record<string, string> = {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    KOPPEL_DEMO: "0",
    SHOPIFY_API_KEY: "koppel-bench-api-key",
    SHOPIFY_API_SECRET: `shpss_${randomBytes(16).toString("hex")}`,
    SHOPIFY_APP_URL: "https://koppel-bench.example.com",
    SESSION_SECRET: randomBytes(32).toString("base64"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    KOPPEL_WORKERS: "0",
    LOG_LEVEL: "error",
  };
  Object.assign(process.env, serverEnv);

  const results: Partial<Record<Name, BenchResult | { error: string }>> = {};
  let broken = false;
  // msw must patch fetch before @shopify/shopify-api loads (it captures globalThis.fetch): fakes first, app after.
  const { createFakeShopify, startFakeShopifyServer } = await import("../test/fakes/shopify");
  const { startFakeCarrier } = await import("../test/fakes/carrier");
  const { fake: shopify, handlers } = createFakeShopify({ apiKey: serverEnv.SHOPIFY_API_KEY, apiSecret: serverEnv.SHOPIFY_API_SECRET });
  const msw = startFakeShopifyServer(handlers, { onUnhandledRequest: "bypass" });
  const { recordCosts, CARRIER_ACCOUNT } = await import("./benchmarks/bulk-labels");
  const costs = recordCosts(shopify);
  const carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT] });
  const { configureCarrierBaseUrls } = await import("../app/carriers/registry.server");
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
  const { getRuntime } = await import("../app/runtime.server");
  const rt = await getRuntime({ workers: false });
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });

  const [{ version }] = (await sql<{ version: string }[]>`select version()`) as unknown as [{ version: string }];
  const settings = await sql<{ name: string; setting: string }[]>`
    select name, setting from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'max_connections', 'fsync')`;
  log(`Koppel benchmarks — ${new Date().toISOString()}`);
  log(`machine: ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? "?"}), ${round(os.totalmem() / 2 ** 30, 1)} GiB, load ${os.loadavg().map((l) => round(l, 2)).join(" ")}`);
  log(`node ${process.version}; ${version.split(",")[0]} (${settings.map((s) => `${s.name}=${s.setting}`).join(", ")})`);
  log(`database: ${created ?? "DATABASE_URL"}`);
  log("");

  const line = (name: string, r: BenchResult | { error: string }) => {
    if ("error" in r) return log(`✗ ${name.padEnd(15)} ERROR ${r.error}`);
    const extra =
      name === "webhook-ingest"
        ? `  p50 ${r.latencyP50Ms} ms, p99 ${r.latencyP99Ms} ms`
        : name === "order-list"
          ? `  page1 ${(r.page1 as { loaderMs: number }).loaderMs}/${(r.page1 as { floorMs: number }).floorMs} ms, page200 ${(r.page200 as { loaderMs: number }).loaderMs}/${(r.page200 as { floorMs: number }).floorMs} ms`
          : name === "sync-idle"
            ? `  ${r.timeMs} ms`
            : name === "bulk-labels"
              ? `  (floor: ${r.floorIs}; mutations alone: floor ${r.mutationFloorS} s, ratio ${r.mutationRatio})`
              : "";
    log(`${r.met ? "✓" : "·"} ${name.padEnd(15)} ${String(r.value).padStart(9)} ${r.unit.split(" ")[0]!.padEnd(12)} floor ${String(r.floor).padStart(9)}  ratio ${String(r.ratio).padStart(6)}  goal ${r.goal}${extra}`);
  };
  const run = async (name: Name, fn: () => Promise<BenchResult>) => {
    if (!selected.has(name)) return;
    log(`… ${name}`);
    try {
      results[name] = await fn();
    } catch (e) {
      broken = true;
      results[name] = { error: (e as Error).stack ?? String(e) };
    }
    line(name, results[name]!);
  };

  let floor: import("./lib/floor").InsertFloor | undefined;
  let labels: { shopId: number; shipmentIds: number[] } | undefined;
  let workersRegistered = false;
  try {
    await run("webhook-ingest", async () => {
      const { webhookIngest } = await import("./benchmarks/webhook-ingest");
      const profDir = path.join(ROOT, "bench/profiles");
      if (args.has("cpu-prof")) fs.mkdirSync(profDir, { recursive: true });
      const r = await webhookIngest({
        databaseUrl: databaseUrl!,
        serverEnv,
        deliveries: DELIVERIES,
        concurrency: CONCURRENCY,
        poolSize: POOL_SIZE,
        nodeArgs: args.has("cpu-prof") ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [],
        servers: Number(args.get("servers") ?? 1),
        log,
      });
      floor = r.floor;
      return r.result;
    });
    await run("import-drain", async () => {
      if (!floor) throw new Error("needs webhook-ingest");
      const { importDrain } = await import("./benchmarks/import-drain");
      workersRegistered = true;
      return importDrain(rt, floor, { timeoutMs: 300_000, log });
    });
    await run("bulk-labels", async () => {
      if (!workersRegistered) {
        const { registerWorkers } = await import("../app/jobs/workers.server");
        await registerWorkers(rt.boss, rt);
        workersRegistered = true;
      }
      const { bulkLabels } = await import("./benchmarks/bulk-labels");
      const r = await bulkLabels(rt, shopify, costs, carrier, { orders: 500, latencyMs: 150, timeoutMs: 400_000, log });
      labels = { shopId: r.shopId, shipmentIds: r.shipmentIds };
      return r.result;
    });
    await run("memory", async () => {
      if (!labels?.shipmentIds.length) throw new Error("needs bulk-labels' shipments");
      const { memory } = await import("./benchmarks/memory");
      return memory({ serverEnv, carrier, shopId: labels.shopId, shipmentIds: labels.shipmentIds, format: "A6", log });
    });
    await run("order-list", async () => {
      const { orderList } = await import("./benchmarks/order-list");
      return orderList(rt, sql, { orders: 100_000, otherShops: 9, otherOrders: 10_000, runs: 41, log });
    });
    await run("sync-idle", async () => {
      const { syncIdle } = await import("./benchmarks/sync-idle");
      return syncIdle(rt, shopify, { orders: 10_000, log });
    });
  } finally {
    const out = path.join(ROOT, "bench/results.json");
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    log("");
    log(`wrote ${path.relative(process.cwd(), out)}`);
    await rt.stop().catch(() => {});
    await rt.database.close().catch(() => {});
    await sql.end({ timeout: 5 }).catch(() => {});
    msw.close();
    await carrier.close();
    if (created) {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${created}" with (force)`).catch(() => {});
      await admin.end();
    }
  }
  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
