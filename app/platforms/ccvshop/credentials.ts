// What the CCV App Store hands Koppel in the handshake, and what Koppel keeps of it (encrypted, shops.credentials_encrypted).
import { z } from "zod";

/** The handshake body (ST HandshakeModel.cs, OFF-APP Credential.php; `language` seen in public code since). */
export const HandshakeBodySchema = z.object({
  api_public: z.string().trim().min(1).max(200),
  api_secret: z.string().trim().min(1).max(500),
  api_root: z.string().trim().min(1).max(500),
  return_url: z.string().trim().max(2000).nullish(),
  language: z.string().trim().max(10).nullish(),
});
export type HandshakeBody = z.infer<typeof HandshakeBodySchema>;

export const CcvCredentialsSchema = z.object({
  apiPublic: z.string().min(1),
  apiSecret: z.string().min(1),
  /** The shop's origin, e.g. https://demo.ccvshop.nl (no path, no trailing slash). */
  apiRoot: z.string().min(1),
  /** Where the App Store wants the merchant back after the installation. */
  returnUrl: z.string().nullable(),
  language: z.string().nullable(),
});
export type CcvCredentials = z.infer<typeof CcvCredentialsSchema>;

/** The credentials of a ShopAccess (decrypted by the core), or why they cannot be used. */
export function ccvCredentialsOf(credentials: unknown): { ok: true; value: CcvCredentials } | { ok: false; reason: string } {
  const parsed = CcvCredentialsSchema.safeParse(credentials);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: "CCV Shop credentials are missing for this shop (install Koppel again from the CCV App Store)" };
}

/**
 * The api_root as an origin Koppel will call with the shop's secret: https, or (outside production) http on a loopback
 * address for the fakes. Anything with a path, credentials or another scheme is refused.
 */
export function parseApiRoot(apiRoot: string, opts: { production: boolean }): { ok: true; origin: string; host: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(apiRoot);
  } catch {
    return { ok: false, reason: "api_root is not a URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "api_root must not carry credentials" };
  if (url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) return { ok: false, reason: "api_root must be an origin without a path" };
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback && !opts.production)) {
    return { ok: false, reason: opts.production ? "api_root must use https" : "api_root must use https (or http on a loopback address outside production)" };
  }
  // The shop's identity in Koppel: its host, with the port when it is not the scheme's default (URL drops a default port).
  return { ok: true, origin: url.origin, host: url.host.toLowerCase() };
}
