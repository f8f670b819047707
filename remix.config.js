/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  // Polaris' locale files are JSON: bundled, so build/index.js runs on plain Node (which wants `with { type: "json" }`).
  serverDependenciesToBundle: [/^@shopify\/polaris\/locales\//],
  // Bundle none of Polaris / shopify-app-remix: bundling Polaris alone gives two copies (MissingAppProviderError).
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
