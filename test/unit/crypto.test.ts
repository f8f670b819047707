import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { decryptSecret, encryptSecret } from "../../app/crypto.server";

const key = randomBytes(32).toString("base64");

describe("credential encryption", () => {
  it("round-trips and never stores the plaintext", () => {
    const enc = encryptSecret("shpat_secret_token", key);
    expect(enc).not.toContain("shpat_secret_token");
    expect(decryptSecret(enc, key)).toBe("shpat_secret_token");
  });
  it("detects tampering", () => {
    const enc = encryptSecret("abc", key).split(".");
    enc[3] = Buffer.from("xyz").toString("base64");
    expect(() => decryptSecret(enc.join("."), key)).toThrow();
  });
  it("fails with another key", () => {
    expect(() => decryptSecret(encryptSecret("abc", key), randomBytes(32).toString("base64"))).toThrow();
  });
});
