// Once per integration run: check PostgreSQL answers, build a migrated template database, drop this run's databases after.
// Names carry a run id, so two runs at once (two developers' terminals, CI) never drop each other's databases.
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { adminSql, TEST_DB_PREFIX, urlFor, ADMIN_URL } from "./pg";
import { openDatabase, migrateDatabase } from "../../app/db/client.server";

const runId = `${process.pid}_${randomBytes(3).toString("hex")}`;
const templateDb = `${TEST_DB_PREFIX}${runId}_template`;

declare module "vitest" {
  export interface ProvidedContext {
    koppelTemplateDb: string;
    koppelRunPrefix: string;
  }
}

async function dropRunDatabases(sql: ReturnType<typeof adminSql>, prefix: string) {
  const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${prefix + "%"}`;
  for (const { datname } of rows) await sql.unsafe(`drop database if exists "${datname}" with (force)`);
}

export async function setup(project: TestProject) {
  const sql = adminSql();
  try {
    await sql`select 1`;
  } catch (e) {
    throw new Error(`PostgreSQL does not answer at ${ADMIN_URL}: ${(e as Error).message}. Start it (see README) or set KOPPEL_TEST_PG_URL.`);
  }
  await sql.unsafe(`create database "${templateDb}"`);
  const database = openDatabase({ url: urlFor(templateDb), max: 1 });
  await migrateDatabase(database);
  await database.close();
  await sql.end();
  project.provide("koppelTemplateDb", templateDb);
  project.provide("koppelRunPrefix", `${TEST_DB_PREFIX}${runId}_`);
}

export async function teardown() {
  const sql = adminSql();
  await dropRunDatabases(sql, `${TEST_DB_PREFIX}${runId}_`);
  await sql.end();
}
