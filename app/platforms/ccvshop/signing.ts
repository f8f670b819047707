// CCV Shop's signatures: lowercase-hex HMAC-SHA512 over `|`-joined fields. The same scheme signs REST calls (keyed with
// the shop's api_secret, over `public|METHOD|uri|body|x-date`) and the App Store's calls to Koppel (keyed with the
// app's secret, over `URI|rawBody` or `URI|api_public`). Sources: ccvshop/ccvshop-api (WebRequest), ccvshop/App-Example-Code
// (Http/Hash.php), see ../shared/contracts/ccvshop.md §1–2.
import { createHmac, timingSafeEqual } from "node:crypto";

export function ccvHash(secret: string, parts: readonly string[]): string {
  return createHmac("sha512", secret).update(parts.join("|"), "utf8").digest("hex");
}

/** Constant-time comparison of a received hash (any case, surrounding spaces ignored) with the expected one. */
export function ccvHashMatches(received: string | null | undefined, expected: string): boolean {
  if (typeof received !== "string") return false;
  const got = Buffer.from(received.trim().toLowerCase(), "utf8");
  const want = Buffer.from(expected, "utf8");
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The x-date header: ISO-8601 UTC with an explicit offset, as the official SDK sends it (`2026-12-01T10:00:00+00:00`). */
export function ccvDate(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** The REST request signature (x-hash) for one call. `uri` is the path from /api/rest/v1/ with its query string. */
export function signRequest(input: { apiPublic: string; apiSecret: string; method: string; uri: string; body: string; date: string }): string {
  return ccvHash(input.apiSecret, [input.apiPublic, input.method.toUpperCase(), input.uri, input.body, input.date]);
}
