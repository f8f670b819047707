// The process-wide database, chosen by env: PostgreSQL (DATABASE_URL) or embedded PGlite (PGLITE_DIR).
import { env } from "./env.server";
import { openDatabase, type Database } from "./db/client.server";

declare global {
  var __koppelDatabase: Database | undefined;
}

// Kept on globalThis so a dev rebuild does not open a second PGlite on the same folder.
export const database: Database = (globalThis.__koppelDatabase ??= openDatabase({
  url: env.DATABASE_URL,
  pgliteDir: env.PGLITE_DIR,
}));
export const db = database.db;
