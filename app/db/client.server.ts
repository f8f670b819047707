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
import { schema } from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The handle inside `db.transaction(async (tx) => …)`; every function that may run in a caller's transaction takes DbOrTx. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export type Database =
  | { kind: "postgres"; db: Db; url: string; sql: postgres.Sql; close(): Promise<void> }
  | { kind: "pglite"; db: Db; pglite: PGlite; close(): Promise<void> };

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "drizzle");

/** Synchronous on purpose: both drivers connect lazily, so module-level singletons can be built at import. */
export function openDatabase(opts: { url?: string; pgliteDir?: string; max?: number }): Database {
  if (opts.url) {
    const sql = postgres(opts.url, { max: opts.max ?? 10, onnotice: () => {} });
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
