// 6. memory: peak RSS of the production server while it answers GET /app/shipments/pdf for 500 labels in one PDF.
import http from "node:http";
import path from "node:path";
import { createMerchantCookieSession } from "../../app/merchant.server";
import type { RunningFakeCarrier } from "../../test/fakes/carrier";
import { memoryOf, resetPeak, startServer, ROOT } from "../lib/server";
import { round, sleep } from "../lib/stats";
import type { BenchResult } from "../lib/result";

function get(port: number, pathAndQuery: string, cookie: string): Promise<{ status: number; bytes: number; type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: pathAndQuery, headers: { Cookie: cookie, Accept: "application/pdf" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, type: res.headers["content-type"], body });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

export async function memory(opts: {
  serverEnv: Record<string, string>;
  carrier: RunningFakeCarrier;
  shopId: number;
  shipmentIds: number[];
  format: "A6" | "A4";
  log: (s: string) => void;
}): Promise<BenchResult> {
  const server = await startServer({
    env: { ...opts.serverEnv, KOPPEL_WORKERS: "0", BENCH_CARRIER_URL: opts.carrier.baseUrl },
    entry: path.join(ROOT, "build/bench-pdf-server.js"),
  });
  try {
    const pid = server.child.pid!;
    const cookie = (await createMerchantCookieSession(opts.shopId)).split(";")[0]!;
    const url = `/app/shipments/pdf?ids=${opts.shipmentIds.join(",")}&format=${opts.format}`;
    // Warm-up with one label (route module, carrier token), then settle.
    const one = await get(server.port, `/app/shipments/pdf?ids=${opts.shipmentIds[0]}&format=${opts.format}`, cookie);
    if (one.status !== 200) throw new Error(`PDF route answered ${one.status}: ${one.body.toString("utf8").slice(0, 300)}`);
    await sleep(500);
    const idle = memoryOf(pid)!;
    const reset = resetPeak(pid);
    let sampledMax = idle.rssMb;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = memoryOf(pid);
        if (m) sampledMax = Math.max(sampledMax, m.rssMb);
        await sleep(10);
      }
    })();
    const t0 = performance.now();
    const res = await get(server.port, url, cookie);
    const ms = performance.now() - t0;
    sampling = false;
    await sampler;
    const after = memoryOf(pid)!;
    const peak = reset ? Math.max(after.peakMb, sampledMax) : sampledMax;
    const pages = (res.body.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    const ok = res.status === 200 && res.type === "application/pdf";
    return {
      value: round(peak, 1),
      floor: round(idle.rssMb, 1),
      ratio: round(peak / idle.rssMb, 3),
      goal: "value < 300 MB",
      met: ok && peak < 300,
      unit: "MB peak RSS",
      how: "GET /app/shipments/pdf on the running production server (build/bench-pdf-server.js: bench/lib/pdf-server.ts bundled like build/server.js, the carrier at the fake)",
      status: res.status,
      contentType: res.type,
      labels: opts.shipmentIds.length,
      format: opts.format,
      pdfBytes: res.bytes,
      pdfPagesSeen: pages || null,
      requestMs: round(ms, 1),
      idleRssMb: round(idle.rssMb, 1),
      peakFrom: reset ? "VmHWM after clear_refs reset, and 10 ms VmRSS samples" : "10 ms VmRSS samples",
    };
  } finally {
    await server.stop();
  }
}
