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
  /** Signs Koppel's own merchant session cookie (CCV Shop, Mijnwebwinkel, demo) and label download links. Production: >= 32 random bytes. */
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
  if (e.NODE_ENV === "production") {
    // Every problem at once, by name, so one restart fixes them all.
    const problems = productionSecretProblems(e);
    if (e.KOPPEL_DEMO) problems.unshift("KOPPEL_DEMO: the demo (fake Shopify, seeded shop) refuses to run in production; set SHOPIFY_API_KEY and friends");
    if (problems.length) {
      throw new Error(
        `Koppel refuses to start with NODE_ENV=production; fix these environment variables (values are not shown):\n${problems.map((p) => `  ${p}`).join("\n")}`,
      );
    }
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

/** What to do about each variable, in the error message. */
const HOW_TO_MAKE = {
  SHOPIFY_API_KEY: "your app's client id (Shopify Partner Dashboard → app → Client credentials)",
  SHOPIFY_API_SECRET: "your app's client secret (Shopify Partner Dashboard → app → Client credentials)",
  SHOPIFY_APP_URL: "the public https URL of the app",
  SESSION_SECRET: "make one with: openssl rand -base64 32",
  ENCRYPTION_KEY: "make one with: openssl rand -base64 32",
} as const;

/** Bits a secret must carry in production. Shopify issues 128-bit client secrets (shpss_ + 32 hex), Koppel can't ask for more. */
const MIN_SECRET_BITS = { SESSION_SECRET: 256, SHOPIFY_API_SECRET: 128 } as const;
/** Fewer different characters (bytes) than this means a pattern or a word, not randomness. */
const MIN_DISTINCT_CHARS = 8;
const MIN_DISTINCT_KEY_BYTES = 16;

/**
 * An upper estimate of a string secret's randomness, in bits: length × log2(alphabet), where the alphabet is the
 * character classes it uses (hex digits only: 16; else digits 10, a–z 26, A–Z 26, anything else 33). It catches
 * mistakes (a word, a short or repeated value); it cannot prove randomness.
 */
export function estimateSecretBits(value: string): number {
  const chars = [...value];
  if (!chars.length) return 0;
  let alphabet: number;
  if (/^[0-9a-f]+$/i.test(value)) alphabet = 16;
  else {
    alphabet = 0;
    if (/[0-9]/.test(value)) alphabet += 10;
    if (/[a-z]/.test(value)) alphabet += 26;
    if (/[A-Z]/.test(value)) alphabet += 26;
    if (/[^0-9a-zA-Z]/.test(value)) alphabet += 33;
  }
  return chars.length * Math.log2(alphabet);
}

/** One line per variable that production cannot run with (missing, the .env.example value, too weak); never the value. */
export function productionSecretProblems(e: Partial<Record<keyof typeof HOW_TO_MAKE, string>>): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(HOW_TO_MAKE) as (keyof typeof HOW_TO_MAKE)[]) {
    const value = e[name];
    let problem: string | undefined;
    if (!value) problem = "missing";
    else if (name in DEMO_DEFAULTS && value === DEMO_DEFAULTS[name as keyof typeof DEMO_DEFAULTS]) problem = "is the public demo value from .env.example";
    else if (name === "SESSION_SECRET" || name === "SHOPIFY_API_SECRET") {
      const bits = MIN_SECRET_BITS[name];
      if (estimateSecretBits(value) < bits || new Set(value).size < MIN_DISTINCT_CHARS) {
        problem = `too weak: needs at least ${bits / 8} random bytes (${bits} bits), not a word or a repeated pattern`;
      }
    } else if (name === "ENCRYPTION_KEY" && new Set(Buffer.from(value, "base64")).size < MIN_DISTINCT_KEY_BYTES) {
      problem = "too weak: its 32 bytes are not random";
    }
    if (problem) problems.push(`${name}: ${problem}; ${HOW_TO_MAKE[name]}`);
  }
  return problems;
}

export const env: Env = parseEnv(process.env);
