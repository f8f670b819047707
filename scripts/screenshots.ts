// Copies the README's screenshots from the last end-to-end run (test/e2e, saved in test-results/e2e/) into
// docs/screenshots/. `npm run screenshots` builds, runs the journeys, then this; it fails when a picture is missing
// or older than the run's newest journey screenshot would allow (i.e. left over from an earlier run).
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const from = path.join(root, "test-results/e2e");
const to = path.join(root, "docs/screenshots");

/** The pictures the README shows, and the journey that takes each (test/e2e/labels.test.ts). */
const SHOTS = {
  "orders-list.png": "4. Bulk (the order list before selecting)",
  "label-dialog.png": "3. Label aanmaken (the dialog, options chosen)",
  "shipments.png": "4. Bulk (Zendingen after the batch)",
} as const;

// A run's journeys all finish within minutes; a picture much older than the newest one is stale.
const MAX_SPREAD_MS = 15 * 60_000;

function main(): number {
  if (!existsSync(from)) {
    console.error(`No ${path.relative(root, from)}/: run the journeys first (npx vitest run --project e2e).`);
    return 1;
  }
  const newest = Math.max(...readdirSync(from).filter((f) => f.endsWith(".png")).map((f) => statSync(path.join(from, f)).mtimeMs));
  const problems: string[] = [];
  for (const [file, journey] of Object.entries(SHOTS)) {
    const src = path.join(from, file);
    if (!existsSync(src)) problems.push(`${file} is missing (taken by journey ${journey}; did it fail?)`);
    else if (newest - statSync(src).mtimeMs > MAX_SPREAD_MS) problems.push(`${file} is from an earlier run (journey ${journey} did not save it this time)`);
  }
  if (problems.length) {
    for (const p of problems) console.error(`screenshots: ${p}`);
    return 1;
  }
  mkdirSync(to, { recursive: true });
  for (const file of Object.keys(SHOTS)) {
    copyFileSync(path.join(from, file), path.join(to, file));
    console.log(`screenshots: ${path.relative(root, path.join(to, file))}`);
  }
  return 0;
}

process.exitCode = main();
