// The core's boundary (issue 9): app/core imports no platform, carrier, route, job runner or framework. The rule lives in
// eslint.config.js (CORE_BOUNDARY); this test runs it as part of `npm test`, and shows it catches a bad import.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

async function boundaryViolations(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const coreFiles = readdirSync(path.join(root, "app/core"), { recursive: true, encoding: "utf8" })
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => path.join("app/core", f));

describe("core boundary", () => {
  it("no file in app/core imports a platform, carrier, route, job runner, @shopify/* or @remix-run/*", async () => {
    expect(coreFiles.length).toBeGreaterThan(10);
    const bad: string[] = [];
    for (const f of coreFiles) {
      const code = readFileSync(path.join(root, f), "utf8");
      for (const m of await boundaryViolations(code, f)) bad.push(`${f}: ${m}`);
      // Dynamic imports escape no-restricted-imports: none may leave the allowed set either.
      for (const [, spec] of code.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) {
        const target = path.relative(path.join(root, "app"), path.resolve(path.dirname(path.join(root, f)), spec!));
        if (!spec!.startsWith("node:") && !(spec!.startsWith(".") && /^(core|db)\//.test(target))) bad.push(`${f}: dynamic import of ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  }, 60_000);

  it("fails on a deliberate bad import (platform, carrier, jobs, routes, @shopify, @remix-run; value or type)", async () => {
    const probe = "app/core/boundary-probe.ts";
    for (const spec of [
      "../platforms/shopify/adapter.server",
      "../carriers/boekuwzending/adapter.server",
      "../jobs/queue.server",
      "../routes/app._index",
      "../webhook-route.server",
      "@shopify/shopify-api",
      "@remix-run/node",
      "~/platforms/registry.server",
    ]) {
      expect(await boundaryViolations(`import { x } from "${spec}";\nexport const y = x;\n`, probe), spec).toHaveLength(1);
      expect(await boundaryViolations(`import type { X } from "${spec}";\nexport type Y = X;\n`, probe), `type ${spec}`).toHaveLength(1);
    }
    // What the core may use stays allowed.
    for (const spec of ["../db/schema", "../db/client.server", "../i18n", "./ports", "./job-queue", "drizzle-orm", "zod"]) {
      expect(await boundaryViolations(`import { x } from "${spec}";\nexport const y = x;\n`, probe), spec).toEqual([]);
    }
    // A folder inside the core (app/core/labels/): one more "../" to leave it, the same rule.
    const nested = "app/core/labels/boundary-probe.ts";
    for (const spec of ["../../platforms/shopify/adapter.server", "../../carriers/registry.server", "../../jobs/queue.server", "../../../server-app", "~/routes/app._index"]) {
      expect(await boundaryViolations(`import { x } from "${spec}";\nexport const y = x;\n`, nested), spec).toHaveLength(1);
    }
    for (const spec of ["../ports", "../job-queue", "./deps", "../../db/schema", "../../crypto.server", "~/core/ports"]) {
      expect(await boundaryViolations(`import { x } from "${spec}";\nexport const y = x;\n`, nested), spec).toEqual([]);
    }
  }, 60_000);
});
