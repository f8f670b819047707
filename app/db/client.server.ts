// One schema, two drivers: PostgreSQL through `postgres` when DATABASE_URL is set, embedded PGlite otherwise.
import path from "node:path";
import fs from "node:fs";
import postgres from "postgres";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql as sqlTag } from "drizzle-orm";
import { schema } from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The handle inside `db.transaction(async (tx) => …)`; every function that may run in a caller's transaction takes DbOrTx. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database =
  | { kind: "postgres"; db: Db; url: string; sql: postgres.Sql; close(): Promise<void> }
  | { kind: "pglite"; db: Db; pglite: PGlite; close(): Promise<void> };

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "drizzle");

/**
 * How long one connection attempt (TCP, startup, authentication) may take: postgres.js waits 30 s by default, so with an
 * unreachable database every request hung that long. 5 s leaves room for a managed database that is waking up.
 */
export const CONNECT_TIMEOUT_SECONDS = 5;
/**
 * The wait before a connection that failed reconnects. postgres.js's default grows with a pool-wide error count that
 * never resets, to 20 s: during and after a PostgreSQL restart, requests waited that long for a connection although
 * the database was back. A short constant retries as soon as it is up; with nothing queued nothing reconnects.
 */
export const RECONNECT_DELAY_SECONDS = 0.25;

/** Synchronous on purpose: both drivers connect lazily, so module-level singletons can be built at import. */
export function openDatabase(opts: { url?: string; pgliteDir?: string; max?: number }): Database {
  if (opts.url) {
    const sql = postgres(opts.url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      connect_timeout: CONNECT_TIMEOUT_SECONDS,
      backoff: () => RECONNECT_DELAY_SECONDS,
    });
    const db = drizzlePostgres(sql, { schema }) as unknown as Db;
    return { kind: "postgres", db, url: opts.url, sql, close: () => sql.end({ timeout: 5 }) };
  }
  const dir = opts.pgliteDir ?? "memory://";
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir, { extensions: { pg_trgm } });
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return { kind: "pglite", db, pglite, close: () => pglite.close() };
}

/** Applies drizzle/ migrations; a no-op when they are applied already. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "postgres") {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migratePostgres(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    await database.pglite.waitReady;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migratePglite(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

export type DatabasePing = { ok: true } | { ok: false; reason: "timeout" | "error"; error: string };

/**
 * `select 1` with a deadline of its own: a query waits for a connection (up to CONNECT_TIMEOUT_SECONDS per attempt, and
 * behind other queued queries), and a health check must answer sooner than that.
 */
export async function pingDatabase(database: Database, timeoutMs: number): Promise<DatabasePing> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<DatabasePing>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "timeout", error: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const query = database.db.execute(sqlTag`select 1`).then(
    (): DatabasePing => ({ ok: true }),
    (e: unknown): DatabasePing => ({ ok: false, reason: "error", error: withoutQueryText(e).message }),
  );
  try {
    return await Promise.race([query, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rows of `db.execute(sql…)`: postgres.js answers an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * drizzle wraps driver errors as "Failed query: <the SQL> params: <every value>": far too long for a log line or a
 * job's failure, and it would copy customer data (addresses, e-mail) there. The driver's own message says what failed.
 */
export function withoutQueryText(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(String(e));
  if (e.message.startsWith("Failed query:") && e.cause instanceof Error) return e.cause;
  return e;
}
