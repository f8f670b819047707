// Shopify refuses a compiled UI extension script over 64 KB: each extension, bundled as the CLI bundles it, stays under.
import { describe, expect, it } from "vitest";
import { MAX_EXTENSION_BYTES, buildExtension, entryContents, readExtensionConfigs } from "../../scripts/build-extensions";

describe("extension bundles", () => {
  it("each compiles under Shopify's 64 KB limit and registers every target of its toml", async () => {
    const configs = readExtensionConfigs();
    expect(configs.length).toBe(3);
    for (const config of configs) {
      const built = await buildExtension(config, { write: false });
      expect(built.bytes, config.handle).toBeLessThanOrEqual(MAX_EXTENSION_BYTES);
      for (const t of config.targets) expect(built.code).toContain(`shopify.extend("${t.target}"`);
    }
  });

  it("the entry is the CLI's for 2025-10+: each target's module registered with shopify.extend; the limit is 64 000 bytes", () => {
    expect(MAX_EXTENSION_BYTES).toBe(64_000);
    const config = readExtensionConfigs()[0]!;
    expect(entryContents(config)).toBe(`import Target_0 from './src/ActionExtension.tsx';shopify.extend('admin.order-details.action.render', (...args) => Target_0(...args));`);
  });
});
