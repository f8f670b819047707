// A process whose workers cannot all run fails at start (issue 9): never a web server that imports orders but
// silently makes no labels.
import type { PgBoss } from "pg-boss";
import { describe, expect, it } from "vitest";
import { registerWorkers, type WorkerDeps } from "../../app/jobs/workers.server";
import { systemClock } from "../../app/core/ports";

const complete = (): WorkerDeps => ({
  db: {} as WorkerDeps["db"],
  queue: { send: async () => null, scheduleSync: async () => {}, unscheduleSync: async () => {} },
  platformFor: () => {
    throw new Error("not used");
  },
  clock: systemClock,
  carrierFor: () => {
    throw new Error("not used");
  },
  encryptionKey: "a2V5",
});

describe("registerWorkers refuses to start incomplete", () => {
  const registered: string[] = [];
  const boss = { work: async (name: string) => void registered.push(name) } as unknown as PgBoss;

  it.each([
    ["carrier registry", { carrierFor: undefined }],
    ["ENCRYPTION_KEY", { encryptionKey: "" }],
    ["platform registry", { platformFor: undefined }],
  ])("without a %s", async (what, patch) => {
    registered.length = 0;
    await expect(registerWorkers(boss, { ...complete(), ...patch } as unknown as WorkerDeps)).rejects.toThrow(what);
    expect(registered).toEqual([]);
  });

  it("registers every queue when complete", async () => {
    registered.length = 0;
    await registerWorkers(boss, complete());
    expect(registered.sort()).toEqual(["apply-carrier-webhook", "create-label", "poll-parcels", "process-delivery", "redact-shop", "send-tracking-mail", "sync-shop", "write-back"]);
  });
});
