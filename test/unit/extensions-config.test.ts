// The admin UI extensions as the Shopify CLI finds and ships them: shopify.app.toml's extension_directories, one
// shopify.extension.toml per folder with Shopify's own target names, modules that exist, the API version of the
// installed @shopify/ui-extensions, texts in Dutch and English with the same keys, and every text the code asks for.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import { EXTENSIONS_DIR, readExtensionConfigs } from "../../scripts/build-extensions";

const root = path.dirname(EXTENSIONS_DIR);

/** What issue 12 asks for, by Shopify's target names. */
const EXPECTED: Record<string, string[]> = {
  "order-action": ["admin.order-details.action.render"],
  "order-block": ["admin.order-details.block.render"],
  "order-print": ["admin.order-details.print-action.render", "admin.order-index.selection-print-action.render"],
};

function keysOf(obj: unknown, prefix = ""): string[] {
  if (!obj || typeof obj !== "object") return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe("extensions as the Shopify CLI sees them", () => {
  const configs = readExtensionConfigs();

  it("shopify.app.toml points the CLI at extensions/*, and each folder there has its shopify.extension.toml", () => {
    const app = parse(fs.readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as { extension_directories?: string[] };
    expect(app.extension_directories).toEqual(["extensions/*"]);
    expect(configs.map((c) => path.basename(c.directory))).toEqual(Object.keys(EXPECTED));
  });

  it("each is a ui_extension with Shopify's target names, its handle as folder name, and modules that exist", () => {
    for (const c of configs) {
      const folder = path.basename(c.directory);
      expect(c.type, folder).toBe("ui_extension");
      expect(c.handle, folder).toBe(folder);
      expect(c.name, folder).toBe("t:name");
      expect(c.targets.map((t) => t.target), folder).toEqual(EXPECTED[folder]);
      for (const t of c.targets) expect(fs.existsSync(path.join(c.directory, t.module)), t.module).toBe(true);
    }
  });

  it("targets the API version of the installed @shopify/ui-extensions (Preact + web components need 2025-10 or later)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@shopify/ui-extensions/package.json"), "utf8")) as { version: string };
    const [year, month] = pkg.version.split(".");
    for (const c of configs) {
      expect(c.apiVersion).toBe(`${year}-${month!.padStart(2, "0")}`);
      expect(c.apiVersion >= "2025-10").toBe(true);
    }
  });

  it("targets the same API version as the app (shopify.app.toml's webhooks api_version)", () => {
    const app = parse(fs.readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as { webhooks: { api_version: string } };
    for (const c of configs) {
      expect(c.apiVersion, c.handle).toBe(app.webhooks.api_version);
    }
  });

  it("Dutch and English texts with the same keys, the name included, and every key the code asks for", () => {
    for (const c of configs) {
      const en = JSON.parse(fs.readFileSync(path.join(c.directory, "locales/en.default.json"), "utf8"));
      const nl = JSON.parse(fs.readFileSync(path.join(c.directory, "locales/nl.json"), "utf8"));
      expect(keysOf(nl).sort(), c.handle).toEqual(keysOf(en).sort());
      expect(en.name && nl.name, c.handle).toBeTruthy();
      expect([en.locale, nl.locale]).toEqual(["en", "nl"]);
      const keys = new Set(keysOf(en));
      const src = fs.readdirSync(path.join(c.directory, "src")).map((f) => fs.readFileSync(path.join(c.directory, "src", f), "utf8")).join("\n");
      for (const [, key] of src.matchAll(/\bt\("([^"]+)"/g)) expect(keys.has(key!), `${c.handle}: ${key}`).toBe(true);
      // Keys the shared code builds: error.<code>.
      expect(keys.has("error.general")).toBe(true);
    }
  });
});
