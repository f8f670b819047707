// The one place that reads process.env. Everything else imports `env` from here.
import { z } from "zod";

/** Values of .env.example: the demo runs with them, and curl examples in the README sign with this secret. */
export const DEMO_DEFAULTS = {
  SHOPIFY_API_KEY: "koppel-demo-api-key",
  SHOPIFY_API_SECRET: "koppel-demo-api-secret",
  SESSION_SECRET: "koppel-demo-session-secret-change-me",
  // 32 zero-ish bytes, base64: fine for a demo on a laptop, refused in production.
  ENCRYPTION_KEY: "a29wcGVsLWRlbW8tZW5jcnlwdGlvbi1rZXktMzJieXQ=",
} as const;

const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : ["1", "true", "yes"].includes(v)));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  /** PostgreSQL URL. Unset → embedded PGlite in PGLITE_DIR. */
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default(".koppel/pgdata"),
  SHOPIFY_API_KEY: z.string().min(1).optional(),
  SHOPIFY_API_SECRET: z.string().min(1).optional(),
  SHOPIFY_APP_URL: z.string().url().optional(),
  SCOPES: z
    .string()
    .default("read_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders"),
  /** Signs Koppel's own merchant session cookie (CCV Shop, Mijnwebwinkel, demo). */
  SESSION_SECRET: z.string().min(16).optional(),
  /** base64 of 32 bytes: AES-256-GCM key for shop credentials at rest. */
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "ENCRYPTION_KEY must be base64 of exactly 32 bytes")
    .optional(),
  /** Force the demo (fake Shopify in-process, seeded shop). Default: on when SHOPIFY_API_KEY is unset. */
  KOPPEL_DEMO: booleanish,
  SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** Start pg-boss workers in this process (web + worker in one by default). */
  KOPPEL_WORKERS: booleanish,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema> & {
  demo: boolean;
  SHOPIFY_API_KEY: string;
  SHOPIFY_API_SECRET: string;
  SHOPIFY_APP_URL: string;
  SESSION_SECRET: string;
  ENCRYPTION_KEY: string;
  workers: boolean;
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const demo = e.KOPPEL_DEMO ?? !e.SHOPIFY_API_KEY;
  if (demo && e.NODE_ENV === "production") {
    throw new Error("The demo (fake Shopify, seeded shop) refuses to run with NODE_ENV=production. Set SHOPIFY_API_KEY and friends.");
  }
  if (e.NODE_ENV === "production") {
    const missing = (["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SESSION_SECRET", "ENCRYPTION_KEY"] as const).filter(
      (k) => !e[k],
    );
    if (missing.length) throw new Error(`Missing in production: ${missing.join(", ")}`);
    if (e.ENCRYPTION_KEY === DEMO_DEFAULTS.ENCRYPTION_KEY) throw new Error("ENCRYPTION_KEY is the demo key; generate one: openssl rand -base64 32");
  }
  return {
    ...e,
    demo,
    SHOPIFY_API_KEY: e.SHOPIFY_API_KEY ?? DEMO_DEFAULTS.SHOPIFY_API_KEY,
    SHOPIFY_API_SECRET: e.SHOPIFY_API_SECRET ?? DEMO_DEFAULTS.SHOPIFY_API_SECRET,
    SHOPIFY_APP_URL: e.SHOPIFY_APP_URL ?? `http://localhost:${e.PORT}`,
    SESSION_SECRET: e.SESSION_SECRET ?? DEMO_DEFAULTS.SESSION_SECRET,
    ENCRYPTION_KEY: e.ENCRYPTION_KEY ?? DEMO_DEFAULTS.ENCRYPTION_KEY,
    workers: e.KOPPEL_WORKERS ?? true,
  };
}

export const env: Env = parseEnv(process.env);
