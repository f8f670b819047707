// Per test file: a fresh database cloned from the run's migrated template, exposed as DATABASE_URL before app modules load.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { adminSql, urlFor } from "./pg";

const template = inject("koppelTemplateDb");
const name = `${inject("koppelRunPrefix")}${randomBytes(4).toString("hex")}`;
const sql = adminSql();
await sql.unsafe(`create database "${name}" template "${template}"`);
await sql.end();

process.env.DATABASE_URL = urlFor(name);
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";
process.env.KOPPEL_WORKERS = "0";
// Tests bring their own fakes; the demo (which starts its own) stays off.
process.env.KOPPEL_DEMO = "0";
