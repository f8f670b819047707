// build/server.js (npm run build) as `npm start` runs it, in a child process on a free port: production mode, non-demo,
// on this test file's PostgreSQL database. Resolves once /healthz answers; fails with the server's output when it
// exits or never answers. The caller gives what differs (secrets, workers, a preload).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export type ProductionServer = { baseUrl: string; output(): string; stop(): Promise<void> };

export async function startProductionServer(opts: {
  /** Environment beside PATH, NODE_ENV=production, PORT, DATABASE_URL, KOPPEL_DEMO=0 and SHOPIFY_APP_URL. */
  env: (baseUrl: string) => Record<string, string | undefined>;
  /** Node options before the entry, e.g. ["--import", preload]. */
  nodeArgs?: string[];
}): Promise<ProductionServer> {
  const entry = path.join(ROOT, "build/server.js");
  if (!existsSync(entry)) throw new Error("No build/server.js: run `npm run build` first.");
  const port = 20000 + Math.floor(Math.random() * 20000);
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(path.join(ROOT, "node_modules/.bin/node"), [...(opts.nodeArgs ?? []), entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: process.env.DATABASE_URL,
      KOPPEL_DEMO: "0",
      SHOPIFY_APP_URL: baseUrl,
      ...opts.env(baseUrl),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await gone;
  };
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`build/server.js exited:\n${output}`);
    if (await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false)) return { baseUrl, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`build/server.js did not answer:\n${output}`);
}
