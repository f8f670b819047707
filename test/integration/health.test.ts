// /healthz and the database client when PostgreSQL does not answer: an honest 503 from /healthz, and bounded waits for a
// connection (no request hangs on an unreachable database, or on the driver's reconnect backoff after an outage).
// The bounds asserted are hang guards far above the expected times, not speed checks.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, pingDatabase, type Database } from "../../app/db/client.server";

const realUrl = process.env.DATABASE_URL!;

/** A TCP server that accepts connections and never says a word, as a host behind a dead proxy or a full backlog does. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => void sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A proxy to the real PostgreSQL that can be "down" (resets every connection) or "up" (forwards). */
async function switchableProxy(target: URL) {
  let up = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    if (!up) return void client.resetAndDestroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => (client.destroy(), upstream.destroy());
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(target.href);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.href,
    setUp: (v: boolean) => void (up = v),
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

/** Resolves with how the promise settled and after how long, or "pending" after `guardMs`. */
async function settle(p: Promise<unknown>, guardMs: number): Promise<{ state: "resolved" | "rejected" | "pending"; ms: number; error?: string }> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<{ state: "pending"; ms: number }>((r) => (timer = setTimeout(() => r({ state: "pending", ms: ms() }), guardMs)));
  const outcome = p.then(
    () => ({ state: "resolved" as const, ms: ms() }),
    (e: Error) => ({ state: "rejected" as const, ms: ms(), error: (e.cause as Error | undefined)?.message ?? e.message }),
  );
  try {
    return await Promise.race([outcome, guard]);
  } finally {
    clearTimeout(timer);
  }
}

describe("/healthz with the app's database on a PostgreSQL that does not answer", () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let loader: () => Promise<Response>;
  beforeAll(async () => {
    silent = await silentServer();
    // The app's own database module, pointed at the silent server before anything loads it.
    process.env.DATABASE_URL = `postgres://koppel@127.0.0.1:${silent.port}/koppel`;
    ({ loader } = await import("~/routes/healthz"));
  });
  afterAll(async () => {
    const { database } = await import("~/db.server");
    await database.close().catch(() => {});
    await silent.close();
  });

  it("answers 503 with a small JSON body, and returns", async () => {
    const answered = await settle(loader(), 5000);
    expect(answered.state).toBe("resolved");
    const res = await loader();
    expect(res.status).toBe(503);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toEqual({ ok: false, database: "postgres", error: "database did not answer in time" });
  });

  it("a query of the app waits for a connection only a bounded time (connect timeout), not 30 s", async () => {
    const { db } = await import("~/db.server");
    const r = await settle(db.execute(sql`select 1`), 15_000);
    expect(r.state).toBe("rejected");
    expect(r.error).toMatch(/CONNECT_TIMEOUT|timeout/i);
  });
});

describe("the database client against a database that is down, then back", () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const d of opened) await d.close().catch(() => {});
  });

  it("pingDatabase says 'error' at once for a refused connection, and ok for the real database", async () => {
    const refused = openDatabase({ url: `postgres://koppel@127.0.0.1:${await closedPort()}/koppel` });
    const real = openDatabase({ url: realUrl, max: 1 });
    opened.push(refused, real);
    expect(await pingDatabase(refused, 1500)).toMatchObject({ ok: false, reason: "error", error: expect.stringMatching(/ECONNREFUSED/) });
    expect(await pingDatabase(real, 1500)).toEqual({ ok: true });
  });

  it("serves queries again right after the database is back, after many failed connections", async () => {
    const proxy = await switchableProxy(new URL(realUrl));
    const database = openDatabase({ url: proxy.url, max: 10 });
    opened.push(database);
    try {
      // Down: rounds of ten queries, each answered with an error, not held. (postgres.js counts failed connections
      // pool-wide, never forgets them, and by default waits up to 20 s before a failed connection may reconnect:
      // the second round waited 13-18 s, and the first query after the database was back ~6 s.)
      for (let round = 0; round < 3; round++) {
        const down = await Promise.all(Array.from({ length: 10 }, () => settle(database.db.execute(sql`select 1`), 8000)));
        expect(down.map((d) => d.state), `round ${round}`).toEqual(Array(10).fill("rejected"));
      }
      proxy.setUp(true);
      const back = await settle(database.db.execute(sql`select 1 as one`), 5000);
      expect(back.state).toBe("resolved");
    } finally {
      await proxy.close();
    }
  });
});
