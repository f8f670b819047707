// The production server for the reliability tests: build/server.js as `npm start` runs it (NODE_ENV=production,
// non-demo, real PostgreSQL), started through the bench's helper, with fresh secrets per test file. The test process
// gets the same secrets, so what it signs (webhooks, merchant cookies) and encrypts (offline sessions) is what the
// server verifies and decrypts.
import { randomBytes } from "node:crypto";
import { startServer, freePort, type RunningServer } from "../../../bench/lib/server";

export { freePort };

export type ProductionSecrets = {
  SHOPIFY_API_KEY: string;
  SHOPIFY_API_SECRET: string;
  SESSION_SECRET: string;
  ENCRYPTION_KEY: string;
};

/** Real-looking secrets (32 random bytes each), never the values .env.example ships. */
export function productionSecrets(): ProductionSecrets {
  return {
    SHOPIFY_API_KEY: `koppel-reliability-${randomBytes(4).toString("hex")}`,
    SHOPIFY_API_SECRET: randomBytes(32).toString("hex"),
    SESSION_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
}

/**
 * Makes this (test) process use the server's database and secrets. Call before the first import of an app module
 * (app/env.server.ts reads process.env once, when it loads).
 */
export function useInThisProcess(secrets: ProductionSecrets, databaseUrl: string): void {
  Object.assign(process.env, secrets, { DATABASE_URL: databaseUrl, KOPPEL_DEMO: "0" });
}

export type ProductionServer = RunningServer & {
  /** SIGKILL, as the OOM killer or a lost machine does; resolves once the process is gone. */
  kill(): Promise<void>;
  exited(): boolean;
};

export async function startProductionServer(opts: {
  databaseUrl: string;
  secrets: ProductionSecrets;
  /** Run this process's own pg-boss workers (KOPPEL_WORKERS). */
  workers: boolean;
  /** Same port again for a restart (Shopify keeps delivering to the same URL). */
  port?: number;
}): Promise<ProductionServer> {
  const port = opts.port ?? (await freePort());
  const server = await startServer({
    port,
    env: {
      ...opts.secrets,
      NODE_ENV: "production",
      DATABASE_URL: opts.databaseUrl,
      KOPPEL_DEMO: "0",
      // Shopify's webhooks are what these tests send (the integration setup serves CCV Shop too; not needed here).
      KOPPEL_PLATFORMS: "shopify",
      KOPPEL_WORKERS: opts.workers ? "1" : "0",
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
      // vitest's own settings must not leak into the server process.
      NODE_OPTIONS: "",
      VITEST: "",
    },
  });
  let gone = false;
  server.child.once("exit", () => (gone = true));
  return {
    ...server,
    exited: () => gone,
    async kill() {
      if (gone) return;
      const exit = new Promise<void>((r) => server.child.once("exit", () => r()));
      server.child.kill("SIGKILL");
      await exit;
    },
  };
}
