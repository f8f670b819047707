// Koppel verifies Shopify webhooks with node:crypto (app/platforms/shopify/webhook-hmac.ts) instead of the library's
// webhooks.validate. Both must accept and refuse exactly the same requests.
import { createHmac } from "node:crypto";
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { checkShopifyWebhook } from "../../app/platforms/shopify/webhook-hmac";
import { normaliseTopic } from "../../app/platforms/shopify/webhooks.server";

const SECRET = "shpss_equivalence-test-secret";
const library = shopifyApi({
  apiKey: "key",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.October26,
  hostName: "koppel.example.com",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

const sign = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body, "utf8").digest("base64");
const BODY = JSON.stringify({ id: 820982911946154508, name: "#1001", customer: { first_name: "Zoë", last_name: "Ünal 🚚" } });

type Case = { name: string; body: string; headers: [string, string][] };
function base(body = BODY, hmac = sign(body)): [string, string][] {
  return [
    ["X-Shopify-Hmac-Sha256", hmac],
    ["X-Shopify-Topic", "orders/paid"],
    ["X-Shopify-Shop-Domain", "koppel-test.myshopify.com"],
    ["X-Shopify-API-Version", "2026-10"],
    ["X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"],
    ["X-Shopify-Triggered-At", "2026-12-01T10:00:00.000Z"],
    ["X-Shopify-Event-Id", "98880550-7158-44d4-b7cd-2c97c8a091b5"],
    ["Content-Type", "application/json"],
  ];
}
const without = (h: [string, string][], name: string) => h.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
const replace = (h: [string, string][], name: string, value: string) => h.map(([n, v]): [string, string] => (n.toLowerCase() === name.toLowerCase() ? [n, value] : [n, v]));
const digestBytes = createHmac("sha256", SECRET).update(BODY, "utf8").digest();

const cases: Case[] = [
  { name: "valid", body: BODY, headers: base() },
  { name: "valid, lower-case header names", body: BODY, headers: base().map(([n, v]) => [n.toLowerCase(), v]) },
  { name: "valid, upper-case topic (ORDERS_PAID)", body: BODY, headers: replace(base(), "X-Shopify-Topic", "ORDERS_PAID") },
  { name: "valid, without optional headers", body: BODY, headers: without(without(base(), "X-Shopify-Triggered-At"), "X-Shopify-Event-Id") },
  { name: "valid, lone surrogate and NUL in body", body: '{"name":"\ud800 x \u0000"}', headers: base('{"name":"\ud800 x \u0000"}') },
  { name: "valid, not JSON", body: "<xml/>", headers: base("<xml/>") },
  { name: "wrong secret", body: BODY, headers: base(BODY, sign(BODY, "another-secret")) },
  { name: "altered body", body: BODY.replace("1001", "1002"), headers: base() },
  { name: "body with trailing newline", body: `${BODY}\n`, headers: base() },
  { name: "missing HMAC header", body: BODY, headers: without(base(), "X-Shopify-Hmac-Sha256") },
  { name: "empty HMAC header", body: BODY, headers: replace(base(), "X-Shopify-Hmac-Sha256", "") },
  { name: "HMAC in hex", body: BODY, headers: replace(base(), "X-Shopify-Hmac-Sha256", digestBytes.toString("hex")) },
  { name: "HMAC in base64url", body: BODY, headers: replace(base(), "X-Shopify-Hmac-Sha256", digestBytes.toString("base64url")) },
  { name: "HMAC without padding", body: BODY, headers: replace(base(), "X-Shopify-Hmac-Sha256", sign(BODY).replace(/=+$/, "")) },
  { name: "HMAC with junk appended", body: BODY, headers: replace(base(), "X-Shopify-Hmac-Sha256", `${sign(BODY)}!!`) },
  { name: "HMAC of another body", body: BODY, headers: replace(base(), "X-Shopify-Hmac-Sha256", sign("{}")) },
  { name: "empty body, signed", body: "", headers: base("", sign("")) },
  { name: "missing topic", body: BODY, headers: without(base(), "X-Shopify-Topic") },
  { name: "missing shop domain", body: BODY, headers: without(base(), "X-Shopify-Shop-Domain") },
  { name: "missing API version", body: BODY, headers: without(base(), "X-Shopify-API-Version") },
  { name: "missing webhook id", body: BODY, headers: without(base(), "X-Shopify-Webhook-Id") },
  { name: "HMAC header sent twice", body: BODY, headers: [...base(), ["X-Shopify-Hmac-Sha256", sign(BODY)]] },
  { name: "Events-style header names only", body: BODY, headers: base().map(([n, v]) => [n.replace(/^X-/i, ""), v]) },
];

describe("Shopify webhook HMAC: node:crypto and the library agree", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const request = new Request("https://koppel.example.com/webhooks/orders", { method: "POST", headers: c.headers });
      // The library as Koppel called it before: with the X-Shopify-* headers only. Koppel subscribes to classic
      // webhooks (shopify.app.toml), so the newer Events headers ("Shopify-Hmac-Sha256") are refused by both.
      const xShopifyOnly = new Headers([...request.headers].filter(([n]) => n.startsWith("x-shopify-")));
      const lib = await library.webhooks.validate({ rawBody: c.body, rawRequest: new Request(request.url, { method: "POST", headers: xShopifyOnly }) });
      // Ours gets the headers as the server's Node fast path hands them over (and as the Remix route does).
      const ours = checkShopifyWebhook(c.body, request.headers, SECRET);
      expect(ours.valid, `valid: ${JSON.stringify({ lib, ours })}`).toBe(lib.valid);
      if (lib.valid && ours.valid) {
        expect({ ...ours, topic: normaliseTopic(ours.topic) }).toEqual({
          valid: true,
          topic: normaliseTopic(lib.topic),
          domain: lib.domain,
          apiVersion: lib.apiVersion,
          webhookId: lib.webhookId,
          ...("triggeredAt" in lib && lib.triggeredAt ? { triggeredAt: lib.triggeredAt } : {}),
          ...("eventId" in lib && lib.eventId ? { eventId: lib.eventId } : {}),
        });
      } else if (!lib.valid && !ours.valid) {
        expect(ours.reason).toBe(lib.reason);
      }
    });
  }

  it("the cases cover both answers", () => {
    expect(cases.filter((c) => checkShopifyWebhook(c.body, c.headers, SECRET).valid).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => !checkShopifyWebhook(c.body, c.headers, SECRET).valid).length).toBeGreaterThanOrEqual(10);
  });
});
