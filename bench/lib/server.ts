// The production server (build/server.js from `npm run build`, as `npm start` runs it) as a child process, and what the benchmarks read from it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { sleep } from "./stats";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Node 22 from the repo (the npm package `node`), else whatever runs us. */
export function nodeBinary(): string {
  const local = path.join(ROOT, "node_modules/.bin/node");
  return fs.existsSync(local) ? local : process.execPath;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export type RunningServer = { port: number; baseUrl: string; child: ChildProcess; output: () => string; stop(): Promise<void> };

/**
 * Starts `entry` (default build/server.js, as `npm start`) with `env` on a free port and waits until it answers HTTP.
 * Extra node flags (e.g. --cpu-prof) come from `nodeArgs`; `port` picks the port (default: a free one).
 */
export async function startServer(opts: { env: Record<string, string>; entry?: string; nodeArgs?: string[]; port?: number }): Promise<RunningServer> {
  // A given port: a restart where the platform keeps delivering (test/reliability).
  const port = opts.port ?? (await freePort());
  // The production server: build/server.js (npm run build), on plain Node as `npm start` runs it.
  const entry = opts.entry ?? path.join(ROOT, "build/server.js");
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm run build (npm run bench does)`);
  let out = "";
  const loader = entry.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(nodeBinary(), [...(opts.nodeArgs ?? []), ...loader, entry], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited = false;
  child.once("exit", () => (exited = true));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`server exited during start:\n${out.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not answer within 60 s:\n${out.slice(-4000)}`);
    }
    const up = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/favicon.ico", timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => {
        req.destroy();
        resolve(false);
      });
    });
    if (up) break;
    await sleep(200);
  }
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** VmRSS and VmHWM (peak RSS) of a process, in MiB, from /proc (Linux). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** Resets the peak-RSS high-water mark of a process (Linux: writing 5 to clear_refs). */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc/<pid>/stat; clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number | null {
  const split = cpuSplitOf(pid);
  return split && split.userMs + split.systemMs;
}

/** The same, as user (JavaScript, V8) and system (kernel: sockets, memory) time. */
export function cpuSplitOf(pid: number): { userMs: number; systemMs: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { userMs: Number(fields[11]) * 10, systemMs: Number(fields[12]) * 10 };
  } catch {
    return null;
  }
}

/** CPU time (ms) used so far by every PostgreSQL server process on this machine (its backends included), from /proc. */
export function postgresCpuMs(): number | null {
  try {
    let total = 0;
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (!fs.readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) continue;
        total += cpuMsOf(Number(pid)) ?? 0;
      } catch {
        // the process ended meanwhile
      }
    }
    return total;
  } catch {
    return null;
  }
}
