import { database } from "~/db.server";
import { sql } from "drizzle-orm";

export async function loader() {
  await database.db.execute(sql`select 1`);
  return Response.json({ ok: true, database: database.kind });
}
