// The floor for webhook-ingest and import-drain: single-row INSERT transactions per second into a table with the
// columns of `deliveries`, through the same driver (`postgres`) and pool size as the server, at the same concurrency.
import postgres from "postgres";
import { pool } from "./stats";

export type InsertFloor = { txPerSecond: number; rows: number; seconds: number; poolSize: number; concurrency: number };

export async function measureInsertFloor(
  databaseUrl: string,
  opts: { rows: number; concurrency: number; poolSize: number; payloads: string[] },
): Promise<InsertFloor> {
  const sql = postgres(databaseUrl, { max: opts.poolSize, onnotice: () => {} });
  try {
    await sql`drop table if exists bench_insert_floor`;
    await sql`create table bench_insert_floor (
      id bigserial primary key,
      platform text not null,
      shop_domain text not null,
      webhook_id text not null,
      event_id text,
      topic text not null,
      api_version text,
      triggered_at timestamptz,
      payload jsonb,
      received_at timestamptz not null default now(),
      processed_at timestamptz,
      outcome text not null default 'pending',
      reason text
    )`;
    // Warm the pool's connections and the statement.
    const insert = (i: number) =>
      sql`insert into bench_insert_floor (platform, shop_domain, webhook_id, event_id, topic, api_version, triggered_at, payload, outcome)
          values ('shopify', 'bench-floor.myshopify.com', ${`floor-${i}`}, ${`event-${i}`}, 'orders/paid', '2026-10', now(),
                  ${opts.payloads[Math.abs(i) % opts.payloads.length]!}::jsonb, 'pending')`;
    await pool(opts.poolSize * 4, opts.poolSize, async (i) => void (await insert(-1 - i)));
    const started = performance.now();
    await pool(opts.rows, opts.concurrency, async (i) => void (await insert(i)));
    const seconds = (performance.now() - started) / 1000;
    return { txPerSecond: opts.rows / seconds, rows: opts.rows, seconds, poolSize: opts.poolSize, concurrency: opts.concurrency };
  } finally {
    await sql`drop table if exists bench_insert_floor`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
}
