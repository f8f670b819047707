// Koppel's HTTP server: Remix's request handler on express, with the runtime (migrations, pg-boss workers) started first.
// With no Shopify credentials in the environment it runs the demo: fake Shopify in-process and a seeded shop.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { env } from "./app/env.server";

const root = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  let demo: Awaited<ReturnType<typeof import("./test/demo/demo.server").startDemo>> | undefined;
  if (env.demo) {
    // Only the demo loads test/: the fakes stand in for Shopify (msw intercepts https://*.myshopify.com in this process).
    const { startDemoFakes } = await import("./test/demo/fakes");
    await startDemoFakes();
    const { startDemo } = await import("./test/demo/demo.server");
    demo = await startDemo();
  }
  // Imported only now: @shopify/shopify-api captures globalThis.fetch when loaded, and the demo's msw must be first.
  const { getRuntime } = await import("./app/runtime.server");
  const { log } = await import("./app/log.server");
  const runtime = await getRuntime();
  if (demo) await demo.seed(runtime);

  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: env.NODE_ENV === "production" ? "production" : "development" }));

  const server = app.listen(env.PORT, () => {
    const base = `http://localhost:${env.PORT}`;
    log.info("Koppel listening", { url: base, database: runtime.database.kind, demo: env.demo });
    if (demo) console.log(demo.describe(base));
  });

  const shutdown = async () => {
    server.close();
    await runtime.stop();
    await runtime.database.close();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
