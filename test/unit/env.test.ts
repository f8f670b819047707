import { describe, expect, it } from "vitest";
import { parseEnv, DEMO_DEFAULTS } from "../../app/env.server";

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

  it("rejects an encryption key of the wrong length with a clear message", () => {
    expect(() => parseEnv({ ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") })).toThrow(/32 bytes/);
  });
});
