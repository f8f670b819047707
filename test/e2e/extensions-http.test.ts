// The admin extensions' routes and public/ over HTTP, as `npm start` serves them (build/server.js after npm run build,
// production mode): the CORS preflight Shopify's admin sends before an extension's fetch, refusals as JSON with CORS
// headers (so the extension can read them), and the icons with their cache header. The routes' behaviour with valid
// session tokens is test/integration/extension-routes.test.ts (a valid token needs Shopify's token exchange).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSessionToken } from "../fakes/shopify";
import { startProductionServer, type ProductionServer } from "./support/production-server";

const SECRET = `shpss_${randomBytes(16).toString("hex")}`;
const API_KEY = "koppel-extensions-http-key";
const ORIGIN = "https://extensions.shopifycdn.com";
// The admin runs extensions in the merchant's browser; the library answers 410 to what looks like a bot (Node's "node").
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
let server: ProductionServer;
let baseUrl: string;

beforeAll(async () => {
  server = await startProductionServer({
    env: () => ({
      KOPPEL_WORKERS: "0",
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: SECRET,
      SESSION_SECRET: randomBytes(32).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "error",
    }),
  });
  baseUrl = server.baseUrl;
});

afterAll(async () => {
  await server?.stop();
});

const ROUTES = ["/api/extensions/order", "/api/extensions/labels", "/api/extensions/fetch-order", "/api/extensions/restore", "/api/extensions/retry-writeback", "/api/extensions/print"];

describe("extension routes over HTTP (build/server.js)", () => {
  it("answers the CORS preflight of every route with 204 and the headers Shopify's admin needs", async () => {
    for (const route of ROUTES) {
      const r = await fetch(`${baseUrl}${route}`, {
        method: "OPTIONS",
        headers: { "User-Agent": BROWSER_UA, Origin: ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
      });
      expect(r.status, route).toBe(204);
      expect(r.headers.get("access-control-allow-origin"), route).toBe("*");
      expect(r.headers.get("access-control-allow-headers"), route).toMatch(/Authorization/);
      expect(r.headers.get("access-control-allow-headers"), route).toMatch(/Content-Type/);
    }
  });

  it("refuses no token and a forged one with 401 JSON the extension can read (CORS headers on the refusal)", async () => {
    const forged = signSessionToken({ shop: "someone.myshopify.com", apiKey: API_KEY, apiSecret: "not-the-apps-secret" });
    for (const auth of [null, `Bearer ${forged}`]) {
      const headers: Record<string, string> = { "User-Agent": BROWSER_UA, Origin: ORIGIN };
      if (auth) headers.Authorization = auth;
      const r = await fetch(`${baseUrl}/api/extensions/order?id=${encodeURIComponent("gid://shopify/Order/1")}`, { headers });
      expect(r.status, String(auth)).toBe(401);
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
    }
    const none = await fetch(`${baseUrl}/api/extensions/print?ids=x`, { headers: { "User-Agent": BROWSER_UA, Origin: ORIGIN } });
    expect(await none.json()).toEqual({ error: "unauthenticated" });
  });

  it("serves public/'s favicon and app icon with a month's cache", async () => {
    for (const file of ["/favicon.ico", "/favicon.svg", "/app-icon.png"]) {
      const r = await fetch(`${baseUrl}${file}`);
      expect(r.status, file).toBe(200);
      expect(r.headers.get("cache-control"), file).toBe("public, max-age=2592000");
      expect(r.headers.get("x-content-type-options"), file).toBe("nosniff");
    }
  });
});
