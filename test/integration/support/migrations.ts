// For tests of one migration's backfill: a database migrated up to the migration before it, on either driver
// (PostgreSQL: a database of its own, dropped afterwards; PGlite: in memory), then migrated the rest of the way.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, expect, inject } from "vitest";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { MIGRATIONS_FOLDER, openDatabase, type Database } from "../../../app/db/client.server";
import { adminSql, urlFor } from "../../setup/pg";

export { MIGRATIONS_FOLDER };

/** drizzle/ as it was when `tag` was the newest migration: the same files, the journal cut after it. */
export function migrationsUpTo(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koppel-migrations-"));
  fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, cut + 1);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

export async function migrateWith(database: Database, folder: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  if (database.kind === "postgres") await migratePostgres(database.db as any, { migrationsFolder: folder });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  else await migratePglite(database.db as any, { migrationsFolder: folder });
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshPostgres(): Promise<Database> {
  const name = `${inject("koppelRunPrefix")}mig_${randomBytes(4).toString("hex")}`;
  const admin = adminSql();
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const database = openDatabase({ url: urlFor(name), max: 2 });
  cleanups.push(async () => {
    await database.close();
    const a = adminSql();
    await a.unsafe(`drop database if exists "${name}" with (force)`);
    await a.end();
  });
  return database;
}

async function freshPglite(): Promise<Database> {
  const database = openDatabase({ pgliteDir: "memory://" });
  cleanups.push(() => database.close());
  return database;
}

/** Both drivers, for describe.each: an empty database, closed (and dropped) after the file. */
export const MIGRATION_DRIVERS: [string, () => Promise<Database>][] = [
  ["embedded PGlite", freshPglite],
  ["PostgreSQL", freshPostgres],
];
