// Checks x-public / x-date / x-hash on every REST request (contract §1). The hash covers the path WITH its query
// string exactly as sent, and the raw body, so a client that signs anything else gets 401.
import { ccvError } from "./http";
import { parseCcvDate, restHash, sameHash } from "./signing";
import type { FakeCcvResponse } from "./types";

export type Credentials = { apiPublic: string; apiSecret: string };
export type SignedRequest = { method: string; uri: string; headers: Record<string, string>; body: string };

const unauthorized = (message: string) => ccvError(401, "401.10", message);

/** null when the request is signed correctly, else CCV's 401. */
export function authenticate(req: SignedRequest, creds: Credentials | null, nowMs: number, maxSkewMs: number): FakeCcvResponse | null {
  const publicKey = req.headers["x-public"];
  if (!publicKey) return unauthorized("Missing x-public header");
  if (!creds || publicKey !== creds.apiPublic) return unauthorized("Unknown public key");
  const date = req.headers["x-date"];
  if (!date) return unauthorized("Missing x-date header");
  const at = parseCcvDate(date);
  if (at === null) return unauthorized("Invalid x-date: expected an ISO-8601 UTC timestamp");
  if (Math.abs(at - nowMs) > maxSkewMs) return unauthorized("x-date out of range");
  const given = req.headers["x-hash"];
  if (!given) return unauthorized("Missing x-hash header");
  const expected = restHash(creds.apiSecret, { publicKey, method: req.method, uri: req.uri, body: req.body, date });
  return sameHash(expected, given) ? null : unauthorized("Invalid hash");
}
