// Headers and error pages of the production build, over HTTP through server-app.ts (and, for the 404 / 500 pages,
// Remix's handler in production mode): Koppel's own pages may not be framed and get a strict CSP; embedded pages may
// be framed only by the admin of the shop the session token proved, whatever `shop` the query claims; every response,
// a PDF's or JSON's too, gets nosniff and a Referrer-Policy; unknown paths answer Koppel's 404 page in the visitor's
// language, and a crash shows no stack trace.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { startWorld, E2E_API_KEY, E2E_API_SECRET, type E2EWorld } from "./support/harness";
import { seedShop, type SeededShop } from "./support/shops";
import { signSessionToken } from "../fakes/shopify";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SHOP = "koppel-headers.myshopify.com";
const FORGED = "attacker-shop.myshopify.com";
// Shopify's library answers bots (Node's fetch included) 410.
const BROWSER = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" };

let world: E2EWorld;
let shop: SeededShop;
let build: ServerBuild;

beforeAll(async () => {
  world = await startWorld();
  shop = await seedShop(world, SHOP);
  build = (await import(pathToFileURL(path.join(ROOT, "build/index.js")).href)) as ServerBuild;
});
afterAll(async () => {
  await world?.close();
});

function expectBaseHeaders(res: Response) {
  expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(res.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
}

async function cookieHeader(): Promise<string> {
  const { createMerchantCookieSession } = await import("../../app/merchant.server");
  return (await createMerchantCookieSession(shop.shopId, { locale: "nl" })).split(";")[0]!;
}

function embeddedQuery(queryShop: string, withToken: boolean): string {
  const host = Buffer.from(`admin.shopify.com/store/${SHOP.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
  const params = new URLSearchParams({ embedded: "1", shop: queryShop, host, locale: "nl" });
  if (withToken) params.set("id_token", signSessionToken({ shop: SHOP, apiKey: E2E_API_KEY, apiSecret: E2E_API_SECRET }));
  return params.toString();
}

describe("security headers", () => {
  it("a page on Koppel's own cookie session: strict CSP with the page's script nonce, no framing", async () => {
    const res = await fetch(`${world.url}/app`, { headers: { Cookie: await cookieHeader(), Accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Geïmporteerde bestellingen");
    expectBaseHeaders(res);
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    // Every script Remix writes into the page carries it (inline ones would be blocked otherwise).
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A new nonce per response.
    const again = await fetch(`${world.url}/app`, { headers: { Cookie: await cookieHeader(), Accept: "text/html" } });
    expect(again.headers.get("Content-Security-Policy")).not.toContain(nonce!);
  });

  it("public pages (landing, login-required) are not frameable either", async () => {
    for (const p of ["/", "/login-required"]) {
      const res = await fetch(`${world.url}${p}`);
      expect(res.status).toBe(200);
      expectBaseHeaders(res);
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
      expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("an embedded page may be framed by the admin of the shop its session token proved, not the query's shop", async () => {
    const verified = await fetch(`${world.url}/app?${embeddedQuery(SHOP, true)}`, { headers: BROWSER });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain("Geïmporteerde bestellingen");
    expectBaseHeaders(verified);
    expect(verified.headers.get("X-Frame-Options")).toBeNull();
    expect(verified.headers.get("Content-Security-Policy")).toBe(`frame-ancestors https://${SHOP} https://admin.shopify.com;`);

    // The query names another shop; the token is SHOP's: the library serves SHOP's page, framed by SHOP's admin only.
    const forged = await fetch(`${world.url}/app?${embeddedQuery(FORGED, true)}`, { headers: BROWSER, redirect: "manual" });
    expect(forged.status).toBe(200);
    expect(forged.headers.get("Content-Security-Policy")).toBe(`frame-ancestors https://${SHOP} https://admin.shopify.com;`);
    expectBaseHeaders(forged);

    // Not authenticated yet (Shopify's bounce page, before App Bridge fetched a token): only Shopify's admin may frame it.
    // (/app redirects to the library's /auth/session-token, a resource route that answers the page itself.)
    const bounce = await fetch(`${world.url}/app?${embeddedQuery(FORGED, false)}`, { headers: BROWSER });
    expect(new URL(bounce.url).pathname).toBe("/auth/session-token");
    expect(bounce.status).toBe(200);
    expect(await bounce.text()).toContain("app-bridge.js");
    expect(bounce.headers.get("Content-Security-Policy")).toBe("frame-ancestors https://admin.shopify.com;");
    expectBaseHeaders(bounce);
  });

  it("non-HTML responses (the label PDF route, JSON, static files) get nosniff and the Referrer-Policy", async () => {
    const pdf = await fetch(`${world.url}/app/shipments/pdf?ids=999999`, { headers: { Cookie: await cookieHeader() } });
    expect(pdf.status).toBe(404);
    expectBaseHeaders(pdf);
    const health = await fetch(`${world.url}/healthz`);
    expect(health.status).toBe(200);
    expectBaseHeaders(health);
    const data = await fetch(`${world.url}/app.data`, { headers: { Cookie: await cookieHeader() } });
    expect(data.status).toBe(200);
    expectBaseHeaders(data);
  });
});

describe("error pages in production", () => {
  const handler = () => createRequestHandler(build, "production");

  it("an unknown path answers Koppel's 404 page in Dutch, not Remix's developer page", async () => {
    const res = await handler()(new Request("http://localhost/bestaat-niet"));
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('<html lang="nl"');
    expect(html).toContain("Pagina niet gevonden");
    expect(html).not.toMatch(/Unhandled Thrown Response|404 Not Found/);
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    // The same over HTTP through the real server.
    const served = await fetch(`${world.url}/app/bestaat-niet`, { headers: { Cookie: await cookieHeader() } });
    expect(served.status).toBe(404);
    expect(await served.text()).toContain("Pagina niet gevonden");
    expectBaseHeaders(served);
  });

  it("in English with Accept-Language: en or ?locale=en", async () => {
    for (const req of [
      new Request("http://localhost/does-not-exist", { headers: { "Accept-Language": "en-GB,en;q=0.9" } }),
      new Request("http://localhost/does-not-exist?locale=en", { headers: { "Accept-Language": "nl-NL" } }),
    ]) {
      const res = await handler()(req);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('<html lang="en"');
      expect(html).toContain("Page not found");
      expect(html).not.toContain("Pagina niet gevonden");
    }
  });

  it("a crash shows Koppel's error page without the message or a stack trace", async () => {
    const route = build.routes["routes/login-required"]!;
    const crashing: ServerBuild = {
      ...build,
      routes: {
        ...build.routes,
        "routes/login-required": {
          ...route,
          module: {
            ...route.module,
            loader: () => {
              throw new Error("secret-detail-7731 in some/module.ts");
            },
          },
        },
      },
    };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const res = await createRequestHandler(crashing, "production")(new Request("http://localhost/login-required"));
      expect(res.status).toBe(500);
      const html = await res.text();
      expect(html).toContain("Er ging iets mis");
      expect(html).not.toContain("secret-detail-7731");
      expect(html).not.toMatch(/at .*\.(js|ts):\d+/);
    } finally {
      console.error = original;
    }
    expect(errors.length).toBeGreaterThan(0); // logged on the server instead
  });
});
