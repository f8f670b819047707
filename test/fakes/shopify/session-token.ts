// Shopify session tokens (App Bridge ID tokens): HS256 JWTs signed with the app's client secret.
// https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString("base64url");

export type SessionTokenClaims = {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
};

export function signSessionToken(opts: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string | number;
  now?: Date;
  /** Lifetime in seconds; Shopify issues 60 s tokens. Negative = already expired. */
  ttlSeconds?: number;
  claims?: Partial<SessionTokenClaims>;
}): string {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const payload: SessionTokenClaims = {
    iss: `https://${opts.shop}/admin`,
    dest: `https://${opts.shop}`,
    aud: opts.apiKey,
    sub: String(opts.userId ?? 70012345),
    exp: iat + (opts.ttlSeconds ?? 60),
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: randomUUID(),
    ...opts.claims,
  };
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac("sha256", opts.apiSecret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export type VerifyResult = { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string };

/** What Shopify checks on a token-exchange subject token. `toleranceSeconds` mirrors the library's clock tolerance. */
export function verifySessionToken(
  token: string,
  opts: { apiKey: string; apiSecret: string; shop: string; now: Date; toleranceSeconds?: number },
): VerifyResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: SessionTokenClaims;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  if (header.alg !== "HS256") return { ok: false, reason: "unsupported algorithm" };
  const expected = createHmac("sha256", opts.apiSecret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature verification failed" };
  const now = Math.floor(opts.now.getTime() / 1000);
  const tol = opts.toleranceSeconds ?? 10;
  if (typeof claims.exp !== "number" || claims.exp + tol < now) return { ok: false, reason: "token expired" };
  if (typeof claims.nbf === "number" && claims.nbf - tol > now) return { ok: false, reason: "nbf claim timestamp check failed" };
  if (claims.aud !== opts.apiKey) return { ok: false, reason: "audience mismatch" };
  if (claims.dest !== `https://${opts.shop}`) return { ok: false, reason: "destination does not match the shop" };
  return { ok: true, claims };
}
