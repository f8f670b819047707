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
// Every platform is served, as a real installation may serve them (Mijnwebwinkel: its connect and login pages). APP_URL
// is a free loopback port: a test that plays CCV's App Store serves Koppel's CCV addresses there (the App Store signs
// over APP_URL's addresses).
process.env.KOPPEL_PLATFORMS ??= "shopify,ccvshop,mijnwebwinkel";
process.env.APP_URL ??= `http://127.0.0.1:${await freePort()}`;

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
