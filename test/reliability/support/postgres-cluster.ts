// A PostgreSQL server of the test's own (initdb into a temp dir, its own port on 127.0.0.1), so a test can stop and
// start it without touching the shared one on 5432. PostgreSQL refuses to run as root: as root (this project's machines
// and CI) every PostgreSQL command runs as the `postgres` OS user (runuser), in a directory that user owns.
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { freePort } from "./server";

const run = promisify(execFile);

/** The newest PostgreSQL with initdb under /usr/lib/postgresql (Debian's layout), or null. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, "bin/initdb")) && fs.existsSync(path.join(root, v, "bin/pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, "bin") : null;
}

export type OwnPostgres = {
  port: number;
  /** URL of the `koppel` database in it. */
  url: string;
  /** Stop at once, as a crash or a pulled plug does (pg_ctl stop -m immediate). */
  stop(): Promise<void>;
  /** Start again on the same port and data directory. */
  start(): Promise<void>;
  /**
   * Freeze every process of this server (SIGSTOP): connections stay open and nothing answers, as with a hung host or
   * a network partition. thaw() lets it go on where it stopped.
   */
  freeze(): void;
  thaw(): void;
  isRunning(): boolean;
  /** Stop (if running) and delete the data directory. Safe to call twice. */
  destroy(): Promise<void>;
};

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql");
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koppel-reliability-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  if (asRoot) {
    const uid = Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    if (!Number.isInteger(uid) || uid <= 0) throw new Error("running as root, but there is no `postgres` OS user to run PostgreSQL as");
    fs.chownSync(dir, uid, gid);
  }
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
  const pg = async (tool: string, args: string[]) => {
    const [file, argv] = command(tool, args);
    try {
      return await run(file, argv, { cwd: dir, timeout: 60_000 });
    } catch (e) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-2000) : "";
      throw new Error(`${tool} failed: ${(e as Error).message}\n${log}`);
    }
  };
  const port = await freePort();
  let running = false;
  let destroyed = false;

  const options = [`-p ${port}`, "-c listen_addresses=127.0.0.1", `-k ${dir}`, "-c fsync=off", "-c synchronous_commit=off", "-c max_connections=40"].join(" ");
  const start = async () => {
    await pg("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
    running = true;
  };
  const stop = async () => {
    thaw();
    if (!running) return;
    await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]);
    running = false;
  };
  // The postmaster (first line of postmaster.pid) and its children (the backends and helpers), from /proc.
  const processes = (): number[] => {
    const postmaster = Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).flatMap((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster ? [Number(p)] : [];
      } catch {
        return []; // gone meanwhile
      }
    });
    return [postmaster, ...children];
  };
  let frozen: number[] = [];
  const signalAll = (pids: number[], signal: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
    }
  };
  const thaw = () => {
    signalAll(frozen, "SIGCONT");
    frozen = [];
  };
  // If the test process dies without its afterAll, the server must not outlive it.
  const onExit = () => {
    thaw();
    if (!running) return;
    const [file, argv] = command("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    spawnSync(file, argv, { timeout: 10_000 });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  try {
    await pg("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    await start();
    const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database koppel`);
    await admin.end();
  } catch (e) {
    onExit();
    process.off("exit", onExit);
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/koppel`,
    stop,
    start,
    freeze() {
      if (!running) throw new Error("freeze: the server is not running");
      frozen = processes();
      signalAll(frozen, "SIGSTOP");
    },
    thaw,
    isRunning: () => running,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      thaw();
      try {
        await stop();
      } finally {
        process.off("exit", onExit);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
