// The one place that reads process.env. Everything else imports `env` from here.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { PLATFORMS, type PlatformId } from "./core/domain";

/** Values of .env.example: the demo runs with them, and curl examples in the README sign with this secret. */
export const DEMO_DEFAULTS = {
  SHOPIFY_API_KEY: "koppel-demo-api-key",
  SHOPIFY_API_SECRET: "koppel-demo-api-secret",
  SESSION_SECRET: "koppel-demo-session-secret-change-me",
  // 32 zero-ish bytes, base64: fine for a demo on a laptop, refused in production.
  ENCRYPTION_KEY: "a29wcGVsLWRlbW8tZW5jcnlwdGlvbi1rZXktMzJieXQ=",
  CCVSHOP_APP_SECRET: "koppel-demo-ccvshop-app-secret",
  MIJNWEBWINKEL_PARTNER_TOKEN: "koppel-demo-mijnwebwinkel-partner-token",
} as const;

const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : ["1", "true", "yes"].includes(v)));

/** "shopify,ccvshop" → ["shopify", "ccvshop"]; an unknown name or an empty list is refused by name. */
const platformList = z
  .string()
  .default("shopify")
  .transform((value, ctx): PlatformId[] => {
    const names = [...new Set(value.split(",").map((p) => p.trim().toLowerCase()).filter(Boolean))];
    const unknown = names.filter((n) => !(PLATFORMS as readonly string[]).includes(n));
    if (unknown.length) ctx.addIssue({ code: "custom", message: `unknown platform ${unknown.join(", ")}; known: ${PLATFORMS.join(", ")}` });
    else if (!names.length) ctx.addIssue({ code: "custom", message: `name at least one platform (${PLATFORMS.join(", ")})` });
    return names as PlatformId[];
  });

/**
 * What each platform needs from the environment in production, when KOPPEL_PLATFORMS enables it (the next platforms
 * add theirs here). SESSION_SECRET and ENCRYPTION_KEY are Koppel's own: always required there.
 */
export const PLATFORM_VARIABLES: Record<PlatformId, readonly PlatformVariable[]> = {
  shopify: ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"],
  // APP_URL: the App Store signs its calls over Koppel's addresses; SHOPIFY_APP_URL stands in when both run.
  ccvshop: ["CCVSHOP_APP_SECRET", "APP_URL"],
  mijnwebwinkel: ["MIJNWEBWINKEL_PARTNER_TOKEN"],
};
type PlatformVariable = "SHOPIFY_API_KEY" | "SHOPIFY_API_SECRET" | "SHOPIFY_APP_URL" | "CCVSHOP_APP_SECRET" | "APP_URL" | "MIJNWEBWINKEL_PARTNER_TOKEN";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  /** PostgreSQL URL. Unset → embedded PGlite in PGLITE_DIR. */
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default(".koppel/pgdata"),
  /** The shop platforms this installation serves (comma-separated). Only theirs are required, only theirs are served. */
  KOPPEL_PLATFORMS: platformList,
  SHOPIFY_API_KEY: z.string().min(1).optional(),
  SHOPIFY_API_SECRET: z.string().min(1).optional(),
  SHOPIFY_APP_URL: z.string().url().optional(),
  /** Koppel's public base URL (the CCV App Store's handshake, install and uninstall addresses are under it). Falls back to SHOPIFY_APP_URL. */
  APP_URL: z.string().url().optional(),
  /** The CCV Shop app's secret key (Developer App Center): verifies the App Store's handshake, install link and uninstall. */
  CCVSHOP_APP_SECRET: z.string().min(1).optional(),
  /** MyOnlineStore's Connect API base (without /v1); default https://api.myonlinestore.com. Set, it wins over the demo's fake. */
  MIJNWEBWINKEL_API_URL: z.string().url().optional(),
  /** Koppel's partner token for MyOnlineStore's Connect API: sent with every call, next to the store's token. */
  MIJNWEBWINKEL_PARTNER_TOKEN: z.string().min(1).optional(),
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
  /**
   * The demo (fake Shopify in-process, seeded shop): its own switch. Default: on outside production when Shopify is
   * enabled and SHOPIFY_API_KEY is unset (a fresh `npm run dev`); refused in production.
   */
  KOPPEL_DEMO: booleanish,
  SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** Start pg-boss workers in this process (web + worker in one by default). */
  KOPPEL_WORKERS: booleanish,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema> & {
  demo: boolean;
  /** KOPPEL_PLATFORMS, parsed. */
  platforms: readonly PlatformId[];
  SHOPIFY_API_KEY: string;
  SHOPIFY_API_SECRET: string;
  SHOPIFY_APP_URL: string;
  /** APP_URL, else SHOPIFY_APP_URL, else http://localhost:PORT; no trailing slash. */
  APP_URL: string;
  CCVSHOP_APP_SECRET: string;
  MIJNWEBWINKEL_PARTNER_TOKEN: string;
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
  const production = e.NODE_ENV === "production";
  const shopify = e.KOPPEL_PLATFORMS.includes("shopify");
  const demo = e.KOPPEL_DEMO ?? (!production && shopify && !e.SHOPIFY_API_KEY);
  // The demo shows every platform (its fake CCV Shop App Store, its fake Mijnwebwinkel store) unless KOPPEL_PLATFORMS
  // names the platforms itself.
  const platforms: PlatformId[] = demo && source.KOPPEL_PLATFORMS === undefined ? [...PLATFORMS] : e.KOPPEL_PLATFORMS;
  if (demo && !shopify && !production) {
    throw new Error("Invalid environment:\n  KOPPEL_DEMO: the demo runs a fake Shopify shop; add shopify to KOPPEL_PLATFORMS or unset KOPPEL_DEMO");
  }
  if (production) {
    // Every problem at once, by name, so one restart fixes them all.
    const problems = productionSecretProblems({ ...e, APP_URL: e.APP_URL ?? e.SHOPIFY_APP_URL }, platforms);
    if (e.KOPPEL_DEMO) problems.unshift("KOPPEL_DEMO: the demo (fake Shopify, seeded shop) refuses to run in production; unset it");
    if (problems.length) {
      throw new Error(
        `Koppel refuses to start with NODE_ENV=production; fix these environment variables (values are not shown):\n${problems.map((p) => `  ${p}`).join("\n")}`,
      );
    }
  }
  // Not the demo, and not production (e.g. `npm start` with .env.example's NODE_ENV=development): the public demo
  // secrets must not stand in for real ones either — with them anyone can sign a merchant cookie or read stored tokens.
  if (!demo && !production && e.NODE_ENV !== "test") {
    const problems = (
      [
        "SESSION_SECRET",
        "ENCRYPTION_KEY",
        ...(shopify ? (["SHOPIFY_API_SECRET"] as const) : []),
        ...(platforms.includes("ccvshop") ? (["CCVSHOP_APP_SECRET"] as const) : []),
        ...(platforms.includes("mijnwebwinkel") ? (["MIJNWEBWINKEL_PARTNER_TOKEN"] as const) : []),
      ] as const
    )
      .filter((k) => !e[k] || e[k] === DEMO_DEFAULTS[k])
      .map((k) => `  ${k}: ${e[k] ? "is the public demo value" : "is missing"} (make one: openssl rand -base64 32)`);
    if (problems.length) {
      throw new Error(`Koppel is not running the demo (KOPPEL_DEMO is off or SHOPIFY_API_KEY is set), so it needs real secrets (values are not shown):\n${problems.join("\n")}`);
    }
  }
  // Here in production only when Shopify is not enabled (then required): never the public demo secret, which would let
  // anyone sign a Shopify webhook or session token, but a value nobody knows.
  const unused = production ? randomBytes(32).toString("hex") : undefined;
  const shopifyUnused = production && !shopify;
  return {
    ...e,
    demo,
    platforms,
    SHOPIFY_API_KEY: (shopifyUnused ? unused : e.SHOPIFY_API_KEY) ?? unused ?? DEMO_DEFAULTS.SHOPIFY_API_KEY,
    // A disabled Shopify in production gets a random secret even when one is set (.env.example sets the demo's).
    SHOPIFY_API_SECRET: (shopifyUnused ? unused : e.SHOPIFY_API_SECRET) ?? unused ?? DEMO_DEFAULTS.SHOPIFY_API_SECRET,
    SHOPIFY_APP_URL: e.SHOPIFY_APP_URL ?? `http://localhost:${e.PORT}`,
    APP_URL: (e.APP_URL ?? e.SHOPIFY_APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    // Not enabled in production: a value nobody knows (never the public demo secret, which would let anyone sign an install).
    CCVSHOP_APP_SECRET: (production && !platforms.includes("ccvshop") ? unused : e.CCVSHOP_APP_SECRET) ?? DEMO_DEFAULTS.CCVSHOP_APP_SECRET,
    // Not enabled in production: a value nobody knows, never the public demo token.
    MIJNWEBWINKEL_PARTNER_TOKEN:
      (production && !platforms.includes("mijnwebwinkel") ? unused : e.MIJNWEBWINKEL_PARTNER_TOKEN) ?? DEMO_DEFAULTS.MIJNWEBWINKEL_PARTNER_TOKEN,
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
  APP_URL: "Koppel's public https base URL (the CCV App Store's handshake, install and uninstall addresses are under it; SHOPIFY_APP_URL also counts)",
  CCVSHOP_APP_SECRET: "your CCV Shop app's secret key (CCV Developer App Center → app)",
  MIJNWEBWINKEL_PARTNER_TOKEN: "Koppel's partner token for MyOnlineStore's Connect API (issued to the registered partner app)",
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

/**
 * One line per variable that production cannot run with (missing, the .env.example value, too weak); never the value.
 * Koppel's own secrets always; a platform's variables only when the platform is enabled.
 */
export function productionSecretProblems(e: Partial<Record<keyof typeof HOW_TO_MAKE, string>>, platforms: readonly PlatformId[] = ["shopify"]): string[] {
  const problems: string[] = [];
  const required = new Set<string>(["SESSION_SECRET", "ENCRYPTION_KEY", ...platforms.flatMap((p) => PLATFORM_VARIABLES[p])]);
  for (const name of (Object.keys(HOW_TO_MAKE) as (keyof typeof HOW_TO_MAKE)[]).filter((n) => required.has(n))) {
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
