import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { parseEnv, DEMO_DEFAULTS, estimateSecretBits } from "../../app/env.server";

/** Real (random) secrets for a non-demo run outside production. */
const realSecrets = () => ({
  SESSION_SECRET: randomBytes(32).toString("base64"),
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  SHOPIFY_API_SECRET: `shpss_${randomBytes(16).toString("hex")}`,
  CCVSHOP_APP_SECRET: randomBytes(24).toString("hex"),
  MIJNWEBWINKEL_PARTNER_TOKEN: randomBytes(24).toString("hex"),
});

describe("env", () => {
  it("runs the demo when no Shopify credentials are set", () => {
    const env = parseEnv({});
    expect(env.demo).toBe(true);
    expect(env.SHOPIFY_API_SECRET).toBe(DEMO_DEFAULTS.SHOPIFY_API_SECRET);
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("refuses the demo in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/refuses/);
  });

  it("refuses production without an encryption key", () => {
    expect(() =>
      parseEnv({ NODE_ENV: "production", SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://x.example", SESSION_SECRET: "0123456789abcdef0" }),
    ).toThrow(/ENCRYPTION_KEY/);
  });

  it("the demo is its own switch: on by default for a fresh npm run dev, off when asked or when Shopify keys are set", () => {
    expect(parseEnv({ NODE_ENV: "development" }).demo).toBe(true);
    // The demo shows every platform (CCV Shop's fake App Store, a fake Mijnwebwinkel store), unless KOPPEL_PLATFORMS names them.
    expect(parseEnv({ NODE_ENV: "development" }).platforms).toEqual(["shopify", "ccvshop", "mijnwebwinkel"]);
    expect(parseEnv({ NODE_ENV: "development", KOPPEL_PLATFORMS: "shopify" }).platforms).toEqual(["shopify"]);
    expect(parseEnv({ KOPPEL_DEMO: "0", ...realSecrets() }).platforms).toEqual(["shopify"]);
    expect(parseEnv({ KOPPEL_DEMO: "0", ...realSecrets() }).demo).toBe(false);
    expect(parseEnv({ SHOPIFY_API_KEY: "my-dev-app", ...realSecrets() }).demo).toBe(false);
    expect(parseEnv({ SHOPIFY_API_KEY: "my-dev-app", KOPPEL_DEMO: "1" }).demo).toBe(true);
    // Without Shopify there is no demo by default (it runs a fake Shopify shop), and asking for one says why not.
    expect(parseEnv({ KOPPEL_PLATFORMS: "ccvshop", ...realSecrets() }).demo).toBe(false);
    expect(() => parseEnv({ KOPPEL_PLATFORMS: "ccvshop", KOPPEL_DEMO: "1" })).toThrow(/KOPPEL_DEMO: .*add shopify to KOPPEL_PLATFORMS/);
  });

  it("not the demo and not production (npm start with .env.example's NODE_ENV=development): no demo secrets either", () => {
    // With the public demo secrets anyone could sign a merchant cookie for any shop, or read the stored tokens.
    const fromExample = { NODE_ENV: "development", SHOPIFY_API_KEY: "a-real-client-id", SHOPIFY_API_SECRET: DEMO_DEFAULTS.SHOPIFY_API_SECRET, SESSION_SECRET: DEMO_DEFAULTS.SESSION_SECRET, ENCRYPTION_KEY: DEMO_DEFAULTS.ENCRYPTION_KEY };
    let message = "";
    try {
      parseEnv(fromExample);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^ {2}SESSION_SECRET: is the public demo value/m);
    expect(message).toMatch(/^ {2}ENCRYPTION_KEY: is the public demo value/m);
    expect(message).toMatch(/^ {2}SHOPIFY_API_SECRET: is the public demo value/m);
    for (const v of Object.values(DEMO_DEFAULTS)) expect(message).not.toContain(v);
    expect(() => parseEnv({ NODE_ENV: "development", SHOPIFY_API_KEY: "a-real-client-id" })).toThrow(/SESSION_SECRET: is missing/);
    expect(parseEnv({ NODE_ENV: "development", SHOPIFY_API_KEY: "a-real-client-id", ...realSecrets() }).demo).toBe(false);
    // The demo itself keeps running on them (a laptop, fake Shopify), and tests run on defaults.
    expect(parseEnv({ ...DEMO_DEFAULTS, SHOPIFY_API_KEY: undefined, NODE_ENV: "development" }).demo).toBe(true);
    expect(() => parseEnv({ NODE_ENV: "test", KOPPEL_DEMO: "0" })).not.toThrow();
    // CCV Shop's app secret signs installs: its demo value is refused the same way when CCV Shop is served.
    expect(() => parseEnv({ NODE_ENV: "development", KOPPEL_DEMO: "0", KOPPEL_PLATFORMS: "shopify,ccvshop", ...realSecrets(), CCVSHOP_APP_SECRET: DEMO_DEFAULTS.CCVSHOP_APP_SECRET })).toThrow(
      /^ {2}CCVSHOP_APP_SECRET: is the public demo value/m,
    );
    // Mijnwebwinkel's partner token the same when Mijnwebwinkel is served.
    expect(() =>
      parseEnv({ NODE_ENV: "development", KOPPEL_DEMO: "0", KOPPEL_PLATFORMS: "shopify,mijnwebwinkel", ...realSecrets(), MIJNWEBWINKEL_PARTNER_TOKEN: DEMO_DEFAULTS.MIJNWEBWINKEL_PARTNER_TOKEN }),
    ).toThrow(/^ {2}MIJNWEBWINKEL_PARTNER_TOKEN: is the public demo value/m);
    expect(() => parseEnv({ NODE_ENV: "development", KOPPEL_DEMO: "0", KOPPEL_PLATFORMS: "shopify,mijnwebwinkel", ...realSecrets(), MIJNWEBWINKEL_PARTNER_TOKEN: "a-real-partner-token" })).not.toThrow();
  });

  it("rejects an encryption key of the wrong length with a clear message", () => {
    expect(() => parseEnv({ ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") })).toThrow(/32 bytes/);
  });
});

describe("env in production: real secrets only", () => {
  const strong = () => ({
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    SHOPIFY_API_SECRET: `shpss_${randomBytes(16).toString("hex")}`,
    SHOPIFY_APP_URL: "https://koppel.example.com",
    SESSION_SECRET: randomBytes(32).toString("base64"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    KOPPEL_PLATFORMS: "shopify,ccvshop,mijnwebwinkel",
    CCVSHOP_APP_SECRET: randomBytes(24).toString("hex"),
    APP_URL: "https://koppel.example.com",
    MIJNWEBWINKEL_PARTNER_TOKEN: randomBytes(24).toString("hex"),
  });
  const refusal = (source: Record<string, string>): string => {
    try {
      parseEnv(source);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected parseEnv to refuse");
  };

  it("starts with values made as the README says (openssl rand -base64 32 / -hex 32, Shopify's shpss_ secret)", () => {
    expect(parseEnv(strong()).demo).toBe(false);
    expect(() => parseEnv({ ...strong(), SESSION_SECRET: randomBytes(32).toString("hex") })).not.toThrow();
    expect(() => parseEnv({ ...strong(), SESSION_SECRET: randomBytes(32).toString("base64url") })).not.toThrow();
  });

  it.each(Object.keys(DEMO_DEFAULTS) as (keyof typeof DEMO_DEFAULTS)[])("refuses the .env.example value of %s, by name, without the value", (name) => {
    const message = refusal({ ...strong(), [name]: DEMO_DEFAULTS[name] });
    expect(message).toMatch(new RegExp(`^  ${name}: is the public demo value`, "m"));
    expect(message).not.toContain(DEMO_DEFAULTS[name]);
  });

  it("lists every offending variable at once with how to make it, and never prints a value", () => {
    const { SHOPIFY_APP_URL: _unset, ...rest } = strong();
    const message = refusal({ ...rest, ...DEMO_DEFAULTS });
    for (const name of [...Object.keys(DEMO_DEFAULTS), "SHOPIFY_APP_URL"]) expect(message).toMatch(new RegExp(`^  ${name}: `, "m"));
    // APP_URL falls back to SHOPIFY_APP_URL: with neither, CCV Shop's App Store addresses are unknown.
    const { APP_URL: _a, ...noAppUrl } = rest;
    expect(refusal(noAppUrl)).toMatch(/^ {2}APP_URL: missing/m);
    expect(message).toContain("openssl rand -base64 32");
    for (const value of Object.values(DEMO_DEFAULTS)) expect(message).not.toContain(value);
  });

  it("refuses short or low-entropy secrets", () => {
    const weak = [
      randomBytes(24).toString("hex"), // 24 bytes
      randomBytes(16).toString("base64"), // 16 bytes
      "a".repeat(200), // repeated characters
      "abcabcabc".repeat(20), // a repeated pattern
      "correct-horse-battery-staple", // a phrase
    ];
    for (const value of weak) {
      const message = refusal({ ...strong(), SESSION_SECRET: value });
      expect(message).toMatch(/^ {2}SESSION_SECRET: too weak/m);
      expect(message).not.toContain(value);
    }
    expect(refusal({ ...strong(), SHOPIFY_API_SECRET: "secret" })).toMatch(/^ {2}SHOPIFY_API_SECRET: too weak/m);
    expect(refusal({ ...strong(), SHOPIFY_API_SECRET: "x".repeat(64) })).toMatch(/^ {2}SHOPIFY_API_SECRET: too weak/m);
    // 32 bytes, but not random.
    expect(refusal({ ...strong(), ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") })).toMatch(/^ {2}ENCRYPTION_KEY: too weak/m);
  });

  it("the demo values stay fine for the demo outside production", () => {
    expect(() => parseEnv({ ...DEMO_DEFAULTS, NODE_ENV: "development", KOPPEL_DEMO: "1" })).not.toThrow();
  });

  it("with KOPPEL_PLATFORMS=ccvshop needs no Shopify keys, but still Koppel's own secrets", () => {
    const { SHOPIFY_API_KEY: _k, SHOPIFY_API_SECRET: _s, SHOPIFY_APP_URL: _u, ...koppelOnly } = strong();
    const env = parseEnv({ ...koppelOnly, KOPPEL_PLATFORMS: "ccvshop" });
    expect(env.platforms).toEqual(["ccvshop"]);
    expect(env.demo).toBe(false);
    // Never the public demo secret in production, even unused: nobody can sign a Shopify request with it.
    expect(env.SHOPIFY_API_SECRET).not.toBe(DEMO_DEFAULTS.SHOPIFY_API_SECRET);
    expect(env.SHOPIFY_API_KEY).not.toBe(DEMO_DEFAULTS.SHOPIFY_API_KEY);

    const message = refusal({ NODE_ENV: "production", KOPPEL_PLATFORMS: "ccvshop" });
    expect(message).toMatch(/^ {2}SESSION_SECRET: missing/m);
    expect(message).toMatch(/^ {2}ENCRYPTION_KEY: missing/m);
    expect(message).not.toMatch(/^ {2}SHOPIFY_/m);
    expect(message).toMatch(/^ {2}CCVSHOP_APP_SECRET: missing/m);
    // Enabling Shopify next to it brings its keys back.
    expect(refusal({ ...koppelOnly, KOPPEL_PLATFORMS: "ccvshop, shopify" })).toMatch(/^ {2}SHOPIFY_API_KEY: missing/m);
    expect(parseEnv({ ...strong(), KOPPEL_PLATFORMS: "shopify,ccvshop" }).platforms).toEqual(["shopify", "ccvshop"]);
  });

  it("with KOPPEL_PLATFORMS=mijnwebwinkel needs the partner token in production; MIJNWEBWINKEL_API_URL is optional", () => {
    const { SHOPIFY_API_KEY: _k, SHOPIFY_API_SECRET: _s, SHOPIFY_APP_URL: _u, MIJNWEBWINKEL_PARTNER_TOKEN: _p, ...koppelOnly } = strong();
    const message = refusal({ ...koppelOnly, KOPPEL_PLATFORMS: "mijnwebwinkel" });
    expect(message).toMatch(/^ {2}MIJNWEBWINKEL_PARTNER_TOKEN: missing/m);
    expect(message).not.toMatch(/^ {2}(SHOPIFY_|CCVSHOP_|APP_URL)/m);
    expect(refusal({ ...koppelOnly, KOPPEL_PLATFORMS: "mijnwebwinkel", MIJNWEBWINKEL_PARTNER_TOKEN: DEMO_DEFAULTS.MIJNWEBWINKEL_PARTNER_TOKEN })).toMatch(
      /^ {2}MIJNWEBWINKEL_PARTNER_TOKEN: is the public demo value/m,
    );
    const env = parseEnv({ ...koppelOnly, KOPPEL_PLATFORMS: "mijnwebwinkel", MIJNWEBWINKEL_PARTNER_TOKEN: "partner-token-from-myonlinestore" });
    expect(env.MIJNWEBWINKEL_PARTNER_TOKEN).toBe("partner-token-from-myonlinestore");
    expect(env.MIJNWEBWINKEL_API_URL).toBeUndefined();
    // Not enabled in production: never the public demo token.
    expect(parseEnv({ ...strong(), KOPPEL_PLATFORMS: "shopify,ccvshop" }).MIJNWEBWINKEL_PARTNER_TOKEN).not.toBe(DEMO_DEFAULTS.MIJNWEBWINKEL_PARTNER_TOKEN);
    expect(() => parseEnv({ MIJNWEBWINKEL_API_URL: "not a url" })).toThrow(/MIJNWEBWINKEL_API_URL/);
  });

  it("refuses an unknown or empty KOPPEL_PLATFORMS by name", () => {
    expect(() => parseEnv({ KOPPEL_PLATFORMS: "shopify,woocommerce" })).toThrow(/KOPPEL_PLATFORMS: unknown platform woocommerce; known: shopify, ccvshop, mijnwebwinkel/);
    expect(() => parseEnv({ KOPPEL_PLATFORMS: " , " })).toThrow(/KOPPEL_PLATFORMS: name at least one platform/);
  });

  it("refuses KOPPEL_DEMO=1 in production even with every secret set", () => {
    expect(refusal({ ...strong(), KOPPEL_DEMO: "1" })).toMatch(/^ {2}KOPPEL_DEMO: the demo .* refuses to run in production/m);
  });

  it("estimates secret bits by length and alphabet", () => {
    expect(estimateSecretBits(randomBytes(32).toString("hex"))).toBe(256);
    expect(estimateSecretBits("")).toBe(0);
    expect(estimateSecretBits("abcd")).toBeCloseTo(4 * Math.log2(16)); // hex digits only
    expect(estimateSecretBits("xyz!")).toBeCloseTo(4 * Math.log2(26 + 33));
  });
});
