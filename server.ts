// Koppel's HTTP server. With no Shopify credentials in the environment it runs the demo: fake Shopify and fake
// Boekuwzending in-process, and a seeded shop.
import { env } from "./app/env.server";

async function main() {
  let demo: Awaited<ReturnType<typeof import("./test/demo/demo.server").startDemo>> | undefined;
  if (env.demo) {
    // Only the demo loads test/: the fakes stand in for Shopify (msw intercepts https://*.myshopify.com in this
    // process) and the carrier. They start before anything loads @shopify/shopify-api (it captures fetch).
    const { startDemoFakes } = await import("./test/demo/fakes");
    await startDemoFakes();
    const { startDemo } = await import("./test/demo/demo.server");
    demo = await startDemo();
  }
  const { startKoppelServer } = await import("./server-app");
  const { log } = await import("./app/log.server");
  const koppel = await startKoppelServer({ port: env.PORT, onRuntime: async (rt) => demo?.seed(rt) });
  log.info("Koppel listening", { url: koppel.url, database: koppel.runtime.database.kind, demo: env.demo });
  if (demo) console.log(demo.describe(koppel.url));

  const shutdown = async () => {
    await koppel.close();
    await koppel.runtime.database.close();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
