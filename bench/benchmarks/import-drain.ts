// 2. import-drain: pg-boss workers (registerWorkers, in this process) import every stored delivery.
import { sql } from "drizzle-orm";
import type { Runtime } from "../../app/runtime.server";
import { registerWorkers } from "../../app/jobs/workers.server";
import type { InsertFloor } from "../lib/floor";
import { round, sleep } from "../lib/stats";
import { postgresCpuMs } from "../lib/server";
import type { BenchResult } from "../lib/result";

async function count(rt: Runtime, where: string): Promise<number> {
  const r = (await rt.db.execute(sql.raw(`select count(*)::int as n from deliveries where ${where}`))) as unknown as { n: number }[];
  return r[0]!.n;
}

export async function importDrain(rt: Runtime, floor: InsertFloor, opts: { timeoutMs: number; log: (s: string) => void }): Promise<BenchResult> {
  const total = await count(rt, "true");
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs();
  const started = performance.now();
  await registerWorkers(rt.boss, rt);
  let pending = total;
  const deadline = Date.now() + opts.timeoutMs;
  while (pending > 0 && Date.now() < deadline) {
    await sleep(50);
    pending = await count(rt, "outcome = 'pending'");
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = postgresCpuMs();
  const processed = total - pending;
  const outcomes = (await rt.db.execute(sql`select outcome, count(*)::int as n from deliveries group by outcome order by outcome`)) as unknown as {
    outcome: string;
    n: number;
  }[];
  const [orders] = (await rt.db.execute(sql`select count(*)::int as n from orders`)) as unknown as { n: number }[];
  const value = processed / seconds;
  const ratio = value / floor.txPerSecond;
  return {
    value: round(value, 1),
    floor: round(floor.txPerSecond, 1),
    ratio: round(ratio, 3),
    goal: ">= 0.3",
    met: ratio >= 0.3 && pending === 0,
    unit: "orders/s",
    deliveries: total,
    processed,
    stillPending: pending,
    ordersStored: orders!.n,
    outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, o.n])),
    seconds: round(seconds, 2),
    // Where the time went: this process (the workers) and all PostgreSQL processes, in cores while draining.
    workerCpuShare: round((cpu.user + cpu.system) / 1e6 / seconds, 2),
    postgresCpuShare: pg0 !== null && pg1 !== null ? round((pg1 - pg0) / 1000 / seconds, 2) : null,
    timedOut: pending > 0,
  };
}
