// Attempt limits for pages that check a secret the merchant types (Mijnwebwinkel's connect and sign-in with the store's
// API token): after MAX_FAILURES failed attempts for one key within WINDOW_MS of the first, further attempts are refused
// until the window ends ("Te veel pogingen", with the minutes to wait). Stored in PostgreSQL (attempt_limits), so every
// server process counts the same failures. The key is a SHA-256 of scope + client address + shop: one address cannot
// guess a shop's token, and one shop's attempts do not lock out another's. Behind a reverse proxy every client has the
// proxy's address (Koppel does not trust X-Forwarded-For, which anyone can set), so the limit then holds per shop.
import { createHash } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import type { Db } from "./db/client.server";
import { attemptLimits } from "./db/schema";

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

export type AttemptCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function attemptKey(scope: string, clientAddress: string | null, subject: string): string {
  return createHash("sha256").update(`${scope}\u0000${clientAddress ?? "unknown"}\u0000${subject.trim().toLowerCase()}`).digest("hex");
}

/**
 * Counts this attempt before the secret is checked, in one statement, so attempts sent at the same moment cannot all
 * pass a read made before any of them failed: refused once the key has used MAX_FAILURES attempts in its window (a
 * new window when the last one ended). A success forgets the key (clearAttempts); an attempt that guessed nothing
 * (e.g. the shop is connected elsewhere) is given back (forgiveAttempt). Forgets windows ended a day ago.
 */
export async function claimAttempt(db: Db, key: string, now: Date = new Date()): Promise<AttemptCheck> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  const expired = sql`${attemptLimits.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(attemptLimits)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: attemptLimits.key,
      set: {
        failures: sql`case when ${expired} then 1 else ${attemptLimits.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then ${now.toISOString()}::timestamptz else ${attemptLimits.windowStartedAt} end`,
      },
    })
    .returning({ failures: attemptLimits.failures, windowStartedAt: attemptLimits.windowStartedAt });
  await db.delete(attemptLimits).where(lt(attemptLimits.windowStartedAt, new Date(now.getTime() - 24 * 3600 * 1000)));
  if (!row || row.failures <= MAX_FAILURES) return { allowed: true };
  const endsAt = row.windowStartedAt.getTime() + WINDOW_MS;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) };
}

/** Gives back one counted attempt that was no guess at the secret. */
export async function forgiveAttempt(db: Db, key: string): Promise<void> {
  await db
    .update(attemptLimits)
    .set({ failures: sql`greatest(${attemptLimits.failures} - 1, 0)` })
    .where(eq(attemptLimits.key, key));
}

/** A success forgets the key's failures. */
export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.delete(attemptLimits).where(eq(attemptLimits.key, key));
}

/** The client's address as server-app.ts hands it to Remix (load context `clientAddress`), or null. */
export function clientAddressOf(context: unknown): string | null {
  const v = (context as { clientAddress?: unknown } | null)?.clientAddress;
  return typeof v === "string" && v.length > 0 && v.length < 100 ? v : null;
}
