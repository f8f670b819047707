// An error a loader throws (here a failed query, whose message drizzle fills with the SQL and its parameters) reaches
// the browser as a generic 500: no SQL, no parameters, no stack, whatever NODE_ENV says. The handler is the one
// startKoppelServer mounts (remixRequestHandler), with a minimal build holding one route.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { remixRequestHandler } from "../../server-app";

const SECRET_SQL = `Failed query: select "email" from "orders" where "search_text" like $1\nparams: %jan.jansen@example.nl%`;

function failingBuild(): ServerBuild {
  const loader = () => {
    throw new Error(SECRET_SQL);
  };
  return {
    mode: "production",
    entry: { module: { default: () => new Response("no documents here", { status: 500 }) } },
    routes: {
      root: { id: "root", path: "", module: {} },
      "routes/boom": { id: "routes/boom", parentId: "root", path: "boom", module: { loader } },
    },
    assets: { routes: {}, entry: { imports: [], module: "" }, url: "", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_singleFetch: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

let server: http.Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.all("*", remixRequestHandler(failingBuild()));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it("answers 500 without the SQL, its parameters or a stack trace", async () => {
  const original = console.error;
  console.error = () => {}; // Remix logs the error itself (the log is the place for it)
  try {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toMatch(/Failed query|select|jan\.jansen|params|\bat\s.+:\d+:\d+/);
  } finally {
    console.error = original;
  }
});
