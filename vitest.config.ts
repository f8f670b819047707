import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = { "~": path.resolve(import.meta.dirname, "app") };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/unit/**/*.test.tsx"],
          environment: "node",
          setupFiles: ["test/setup/unit-env.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/integration/**/*.test.tsx"],
          environment: "node",
          globalSetup: ["test/setup/postgres-global.ts"],
          // Each test file gets a fresh database cloned from a migrated template (see postgres-global.ts).
          setupFiles: ["test/setup/integration-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          // The production server (npm run build first) under crashes, a database stop and hostile payloads; each file
          // starts its own processes, so one file at a time on a small machine.
          name: "reliability",
          include: ["test/reliability/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/setup/postgres-global.ts"],
          setupFiles: ["test/setup/integration-env.ts"],
          testTimeout: 150_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          // Merchant journeys in Debian's Chromium against the production build (npm run build first).
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/setup/postgres-global.ts"],
          setupFiles: ["test/setup/integration-env.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
