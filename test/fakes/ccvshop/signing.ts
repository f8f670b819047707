// CCV's hashing: lowercase-hex HMAC-SHA512 over `|`-joined fields (REST: public|METHOD|uri|body|x-date, keyed with the
// shop's api_secret; App Store: URI|body, keyed with the app secret). Pure helpers, shared by the fake and its tests.
import { createHmac, timingSafeEqual } from "node:crypto";

export function ccvHash(secret: string, parts: string[]): string {
  return createHmac("sha512", secret).update(parts.join("|"), "utf8").digest("hex");
}

/** The x-hash a REST request (or a signed response) carries. */
export function restHash(secret: string, req: { publicKey: string; method: string; uri: string; body: string; date: string }): string {
  return ccvHash(secret, [req.publicKey, req.method.toUpperCase(), req.uri, req.body, req.date]);
}

/** Exact, constant-time comparison; CCV hashes are lowercase hex, so an upper-case hash does not match. */
export function sameHash(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

// UTC only: `Z`, `+00:00` (PHP date('c'), the SDK) and `+0000` (JDK), with or without fractional seconds.
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|\+00:00|\+0000)$/;

/** Milliseconds since epoch, or null when `value` is not an ISO-8601 UTC timestamp. */
export function parseCcvDate(value: string): number | null {
  const m = ISO_UTC.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0);
  // Date.UTC rolls 2026-02-31 over to March; refuse instead.
  const back = new Date(ms);
  if (back.getUTCDate() !== Number(d) || back.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return ms;
}

/** `2026-11-30T09:12:00Z`: the form CCV uses in resources and webhook bodies. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `2026-11-30T09:12:00+00:00`: PHP's date('c'), used for the fake's response x-date. */
export function phpIsoDate(ms: number): string {
  return isoSeconds(ms).replace(/Z$/, "+00:00");
}
