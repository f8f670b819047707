// Where integration tests find PostgreSQL. KOPPEL_TEST_PG_URL overrides (CI starts PostgreSQL at this address).
import postgres from "postgres";

export const ADMIN_URL = process.env.KOPPEL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const TEST_DB_PREFIX = "koppel_t_";

export function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

export function adminSql() {
  return postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
}
