// Liveness for a load balancer or uptime check: 200 when the database answers, an honest 503 (small JSON) when it does
// not — within HEALTH_TIMEOUT_MS, never hanging on a database that is down or unreachable.
import { database } from "~/db.server";
import { pingDatabase } from "~/db/client.server";
import { log } from "~/log.server";

const HEALTH_TIMEOUT_MS = 1500;
const headers = { "Cache-Control": "no-store" };

export async function loader() {
  const ping = await pingDatabase(database, HEALTH_TIMEOUT_MS);
  if (ping.ok) return Response.json({ ok: true, database: database.kind }, { headers });
  // The driver's reason goes to the log only: it names hosts and ports.
  log.warn("health check: database not answering", { reason: ping.reason, error: ping.error });
  const error = ping.reason === "timeout" ? "database did not answer in time" : "database not reachable";
  return Response.json({ ok: false, database: database.kind, error }, { status: 503, headers });
}
