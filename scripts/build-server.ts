// `npm run build`, after `remix build`: bundles the server entry (server.ts → build/server.js) so `npm start` runs plain
// Node — no TypeScript loader in production (tsx added ~25 MB idle and ~55 MB startup peak to the server's RSS, and
// transforms every module at start). Packages stay external (node_modules); the app's own code, and the demo's fakes
// that server.ts loads only in demo mode, are bundled.
//   node --import tsx scripts/build-server.ts [--bench]   (--bench: also bench/lib/pdf-server.ts → build/bench-pdf-server.js)
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const entries: Record<string, string> = { server: "server.ts" };
if (process.argv.includes("--bench")) entries["bench-pdf-server"] = "bench/lib/pdf-server.ts";

await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: "build",
  outExtension: { ".js": ".js" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  // No source map: the bundle is not minified (stack traces stay readable), and Node would keep the map in memory.
  logLevel: "warning",
});
console.log(`[info] built ${Object.keys(entries).map((e) => `build/${e}.js`).join(", ")}`);
