// Lint: typescript-eslint's recommended rules, plus "process.env only in app/env.server.ts" and the core's boundary.
// test/unit/core-boundary.test.ts runs the boundary rule as part of `npm test`.
import tseslint from "typescript-eslint";

/** The rule for a file `up` folders below app/ (1: app/core/x.ts, 2: app/core/labels/x.ts): `up` times "../" leaves the core. */
export const coreBoundary = (up) => [
  { regex: "^@shopify/", message: "app/core knows no platform: put Shopify code in app/platforms/shopify and reach it through a port." },
  { regex: "^@remix-run/", message: "app/core knows no HTTP framework: routes call the core, not the other way round." },
  { regex: "^pg-boss$", message: "app/core knows no job runner: enqueue through the JobQueue port (app/core/job-queue.ts)." },
  {
    regex: `^(\\.\\./){${up}}(?!db/|i18n(/|$)|crypto\\.server$|log\\.server$)`,
    message: "app/core may import only app/db, app/i18n, app/crypto.server and app/log.server outside itself (not platforms, carriers, routes, jobs).",
  },
  { regex: "^~/(?!db/|i18n(/|$)|crypto\\.server$|log\\.server$|core/)", message: "app/core may import only app/db, app/i18n, app/crypto.server and app/log.server outside itself." },
];
export const CORE_BOUNDARY = coreBoundary(1);

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", ".cache/**", "test-results/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/env.server.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration from app/env.server.ts" }],
    },
  },
  {
    // The core knows no platform, carrier, HTTP framework or job runner: it depends on the ports it declares
    // (app/core/ports.ts, app/core/job-queue.ts). Allowed outside app/core: the database layer, i18n, crypto, logging.
    files: ["app/core/**/*.ts", "app/core/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: CORE_BOUNDARY }],
    },
  },
  {
    // A folder inside the core (app/core/labels/): "../ports" is still the core, "../../db/schema" the database layer.
    files: ["app/core/*/**/*.ts", "app/core/*/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: coreBoundary(2) }],
    },
  },
);
