// `npm run build` builds the admin UI extensions (extensions/*/shopify.extension.toml) with the Shopify CLI's local
// build, `shopify app build --skip-dependencies-installation` (offline: no Partner account or network needed), into
// extensions/<handle>/dist/<handle>.js, then prints each bundle's size and fails above Shopify's 64 KB limit for a
// compiled UI extension script.
//   node --import tsx scripts/build-extensions.ts [--esbuild]
// `buildExtension` below does what the CLI does for a ui_extension of API version 2025-10 or later, in memory: the same
// entry (one `shopify.extend(target, …)` per target, the target's module as default import) and esbuild options
// (bundle, minified, JSX automatic with Preact via extensions/tsconfig.json, process.env.NODE_ENV=production, target
// es6). Tests use it (fast, nothing written); `--esbuild` builds with it instead of the CLI.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { parse } from "smol-toml";

export const EXTENSIONS_DIR = path.resolve(import.meta.dirname, "..", "extensions");

/** Shopify refuses a compiled UI extension script over 64 KB (counted here as 64 000 bytes, the stricter reading). */
export const MAX_EXTENSION_BYTES = 64_000;

export type ExtensionTarget = { target: string; module: string };
export type ExtensionConfig = { directory: string; apiVersion: string; handle: string; name: string; type: string; targets: ExtensionTarget[] };

/** Every extension folder the CLI would find (`extensions/*` with a shopify.extension.toml), parsed. */
export function readExtensionConfigs(dir = EXTENSIONS_DIR): ExtensionConfig[] {
  const configs: ExtensionConfig[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !fs.existsSync(file)) continue;
    const toml = parse(fs.readFileSync(file, "utf8")) as {
      api_version?: string;
      extensions?: { name?: string; handle?: string; type?: string; targeting?: { target?: string; module?: string }[] }[];
    };
    for (const ext of toml.extensions ?? []) {
      configs.push({
        directory: path.join(dir, entry.name),
        apiVersion: String(toml.api_version ?? ""),
        handle: String(ext.handle ?? ""),
        name: String(ext.name ?? ""),
        type: String(ext.type ?? ""),
        targets: (ext.targeting ?? []).map((t) => ({ target: String(t.target ?? ""), module: String(t.module ?? "") })),
      });
    }
  }
  return configs;
}

/** The CLI's entry for a ui_extension of 2025-10+: each target registered with its module's default export. */
export function entryContents(config: ExtensionConfig): string {
  return config.targets.map((t, i) => `import Target_${i} from '${t.module}';shopify.extend('${t.target}', (...args) => Target_${i}(...args));`).join("\n");
}

export type BuiltExtension = { handle: string; outfile: string; bytes: number; code: string };

export async function buildExtension(config: ExtensionConfig, opts: { write?: boolean } = {}): Promise<BuiltExtension> {
  const outfile = path.join(config.directory, "dist", `${config.handle}.js`);
  const result = await build({
    stdin: { contents: entryContents(config), resolveDir: config.directory, loader: "tsx", sourcefile: "shopify-extension-entry.tsx" },
    outfile,
    bundle: true,
    minify: true,
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    jsx: "automatic",
    loader: { ".esnext": "ts", ".js": "jsx" },
    legalComments: "none",
    target: "es6",
    resolveExtensions: [".tsx", ".ts", ".js", ".json", ".esnext", ".mjs", ".ejs"],
    tsconfig: path.join(EXTENSIONS_DIR, "tsconfig.json"),
    logLevel: "warning",
    write: false,
  });
  const file = result.outputFiles.find((f) => f.path.endsWith(".js"))!;
  if (opts.write !== false) {
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    fs.writeFileSync(outfile, file.contents);
  }
  return { handle: config.handle, outfile, bytes: file.contents.byteLength, code: file.text };
}

export async function buildExtensions(opts: { write?: boolean } = {}): Promise<BuiltExtension[]> {
  const built: BuiltExtension[] = [];
  for (const config of readExtensionConfigs()) built.push(await buildExtension(config, opts));
  return built;
}

/** `shopify app build` for this app, offline; false when the CLI is missing or fails (its output is shown). */
function buildWithShopifyCli(): boolean {
  const root = path.dirname(EXTENSIONS_DIR);
  const cli = path.join(root, "node_modules", "@shopify", "cli", "bin", "run.js");
  if (!fs.existsSync(cli)) return false;
  const run = spawnSync(process.execPath, [cli, "app", "build", "--path", root, "--skip-dependencies-installation"], {
    stdio: "inherit",
    env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1" },
  });
  return run.status === 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const configs = readExtensionConfigs();
  const viaCli = !process.argv.includes("--esbuild") && buildWithShopifyCli();
  if (!viaCli) {
    console.log("[info] building the extensions with esbuild (as the Shopify CLI bundles them)");
    for (const config of configs) await buildExtension(config);
  }
  let tooBig = false;
  for (const config of configs) {
    const outfile = path.join(config.directory, "dist", `${config.handle}.js`);
    const bytes = fs.statSync(outfile).size;
    const over = bytes > MAX_EXTENSION_BYTES;
    tooBig ||= over;
    console.log(`[info] extension ${config.handle}: ${path.relative(process.cwd(), outfile)} ${(bytes / 1000).toFixed(1)} KB${over ? ` — over Shopify's ${MAX_EXTENSION_BYTES / 1000} KB limit` : ""}`);
  }
  if (tooBig) process.exit(1);
}
