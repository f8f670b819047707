// The webhook sender for webhook-ingest, in its own process: the bench process runs msw (it intercepts node:http
// client requests, which made sending cost more CPU than receiving). undici's Pool costs about half the CPU per request
// of node:http's client; on a 2-core machine every millisecond the sender spends is taken from the server. Plays Shopify: each delivery is POSTed until it
// gets a 2xx (a 5xx or a refused connection is retried at once, up to 5 times); the latency counts until the 2xx.
//   node --import tsx bench/lib/load-client.ts <job.json>   → prints one JSON line: { seconds, latencies, statuses }
import fs from "node:fs";
import { Pool } from "undici";

export type LoadJob = {
  /** One or more servers; delivery i goes to ports[i % ports.length]. */
  ports: number[];
  path: string;
  concurrency: number;
  deliveries: { headers: Record<string, string>; body: string }[];
};
export type LoadResult = { seconds: number; latencies: number[]; statuses: Record<string, number>; cpuMs: number };

async function post(pool: Pool, job: LoadJob, d: LoadJob["deliveries"][number]): Promise<number> {
  const res = await pool.request({ path: job.path, method: "POST", headers: d.headers, body: d.body });
  await res.body.dump();
  return res.statusCode;
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const pools = job.ports.map((port) => new Pool(`http://127.0.0.1:${port}`, { connections: job.concurrency, pipelining: 1 }));
  const latencies: number[] = new Array(job.deliveries.length);
  const statuses: Record<string, number> = {};
  let next = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= job.deliveries.length) return;
        const t0 = performance.now();
        let status = 0;
        for (let attempt = 0; attempt < 5; attempt++) {
          status = await post(pools[i % pools.length]!, job, job.deliveries[i]!).catch(() => 0);
          if (status >= 200 && status < 300) break;
        }
        latencies[i] = performance.now() - t0;
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(pools.map((p) => p.close()));
  return { seconds, latencies, statuses, cpuMs: (cpu.user + cpu.system) / 1000 };
}

if (process.argv[1] && import.meta.filename === fs.realpathSync(process.argv[1])) {
  const job = JSON.parse(fs.readFileSync(process.argv[2]!, "utf8")) as LoadJob;
  runLoad(job).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
