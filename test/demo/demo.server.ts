// The demo: fake Shopify in this process (msw intercepts https://*.myshopify.com), a seeded shop with ~25 Dutch and
// Belgian orders, its offline session as managed install would leave it, and a first sync that imports them; and a
// fake CCV Shop whose App Store install the "CCV Shop demo" plays; a Mijnwebwinkel store whose shop, once connected,
// e-mails its customers through the demo's SMTP catcher (/demo/mail).
import { Session } from "@shopify/shopify-api";
import { DEMO_CARRIER_ACCOUNT, DEMO_MWW_SHOP_URL, DEMO_MWW_TOKEN, startDemoFakes } from "./fakes";
import { getCarrierConnection, connectCarrier, loadCredentials } from "../../app/core/labels/connection.server";
import { ensureParcelWebhook } from "../../app/core/parcels/register-webhook.server";
import { env } from "../../app/env.server";
import { getShop, installShop } from "../../app/core/shops.server";
import { loadMailSettings, saveMailSettings } from "../../app/core/mail/settings.server";
import { sessionStorage } from "../../app/shopify.server";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { demoHooks } from "../../app/demo.server";
import { mijnwebwinkelApiConfig } from "../../app/platforms/registry.server";
import { createFakeAppStore } from "../fakes/ccvshop";
import { dutchOrder, orderInputFromWebhook, orderWebhookPayload, sendWebhook } from "../fakes/shopify";
import { parcelWebhookAddress } from "../../app/carriers/parcel-webhook-address.server";
import type { IncomingDelivery } from "../../app/core/deliveries.server";
import { demoStateDir, type DemoFakes } from "./fakes";

/**
 * The README's curl example sends a webhook for an order the fake shop never had. Shopify only sends webhooks for
 * orders that exist, so the demo makes it exist: a verified orders/* webhook of the demo shop naming an order the fake
 * does not know adds that order to the fake, as if it had been placed in the shop. The fake's reads stay strict.
 */
export function learnOrderFromWebhook(f: Pick<DemoFakes, "fake" | "shop">, d: IncomingDelivery): boolean {
  if (d.platform !== "shopify" || d.shopDomain !== f.shop || !d.topic.startsWith("orders/") || !d.bodyIsJson) return false;
  const input = orderInputFromWebhook(d.payload);
  if (!input || f.fake.getOrder(f.shop, input.id!)) return false;
  f.fake.upsertOrder(f.shop, input);
  return true;
}

/**
 * "Nieuwe testbestelling": a new paid order in the fake shop, and its webhooks (orders/create, then orders/paid) signed
 * with the app secret and POSTed to Koppel, as Shopify delivers them. Returns the order's name and the last answer.
 */
export async function createTestOrder(f: Pick<DemoFakes, "fake" | "shop">, appUrl: string, secret: string = env.SHOPIFY_API_SECRET) {
  const order = f.fake.upsertOrder(f.shop, dutchOrder({ financialStatus: "PAID", createdAt: new Date(), updatedAt: new Date() }));
  let status = 0;
  for (const topic of ["orders/create", "orders/paid"]) {
    const sent = await sendWebhook({ baseUrl: appUrl, path: "/webhooks/orders", topic, shop: f.shop, payload: orderWebhookPayload(order), secret });
    status = sent.response.status;
    await sent.response.arrayBuffer();
  }
  return { number: order.name, status, orderId: order.id };
}

export async function startDemo() {
  const f = await startDemoFakes();
  return {
    fake: f.fake,
    async seed(runtime: Runtime) {
      // Every shop connected in the demo (any platform) gets the demo carrier connection: "Label aanmaken" works at once.
      const connectDemoCarrier = async (shopId: number) => {
        if (await getCarrierConnection(runtime.db, shopId)) {
          // A demo database from before label-update webhooks: register them now (once per account).
          const current = await loadCredentials(labelDeps(runtime), shopId);
          if (current?.accountId) await ensureParcelWebhook(labelDeps(runtime), current.accountId, parcelWebhookAddress("boekuwzending"));
          return;
        }
        const r = await connectCarrier(labelDeps(runtime), shopId, {
          carrier: "boekuwzending",
          environment: "staging",
          ...DEMO_CARRIER_ACCOUNT,
          // The fake carrier sends its label updates to this demo (move a parcel with POST /_fake/labels/{waybill}/status).
          parcelWebhookAddress: parcelWebhookAddress("boekuwzending"),
        });
        if (!r.ok) throw new Error(`Demo carrier connection failed: ${r.reason}`);
      };
      // The Mijnwebwinkel shop sends Koppel's track & trace e-mail (Mijnwebwinkel sends none) to the demo's catcher.
      const connectDemoMail = async (shopId: number) => {
        const shop = await getShop(runtime.db, shopId);
        if (shop?.platform !== "mijnwebwinkel" || (await loadMailSettings(runtime.db, shopId, runtime.encryptionKey))) return;
        await saveMailSettings(
          runtime.db,
          shopId,
          { enabled: true, host: f.smtp.host, port: f.smtp.port, security: "none", username: null, password: null, fromName: "Demo Webwinkel", fromEmail: "winkel@demo-webwinkel.example", locale: "nl" },
          runtime.encryptionKey,
        );
      };
      const hooks = demoHooks();
      hooks.shopInstalled = async (shopId) => {
        await connectDemoCarrier(shopId);
        await connectDemoMail(shopId);
      };
      hooks.webhookStored = (d) => void learnOrderFromWebhook(f, d);
      hooks.createTestOrder = (appUrl) => createTestOrder(f, appUrl);
      hooks.caughtMails = () =>
        f.smtp.messages.map((m) => ({
          at: (m.parsed.date ?? new Date()).toISOString(),
          from: m.envelope.from,
          to: m.envelope.to,
          subject: m.parsed.subject ?? "",
          text: m.parsed.text ?? "",
          links: [...new Set((m.parsed.text ?? "").match(/https?:\/\/[^\s<>"]+/g) ?? [])],
        }));
      // "CCV Shop demo": the fake App Store's handshake for the fake CCV shop, then its signed install link.
      hooks.startCcvShopInstall = async (appUrl) => {
        const store = createFakeAppStore({ appUrl, appSecret: env.CCVSHOP_APP_SECRET, shop: f.ccvshop });
        const answer = await store.handshake({ language: "nl" });
        if (answer.status !== 200) throw new Error(`The demo handshake was refused (${answer.status}): ${await answer.text()}`);
        return store.installUrl({ language: "nl" });
      };
      // "Mijnwebwinkel demo": the connect form prefilled with the fake store's token, while the fake is the API in use.
      hooks.mijnwebwinkelConnectPrefill = () =>
        mijnwebwinkelApiConfig().apiUrl === f.mijnwebwinkel.apiUrl ? { shopUrl: DEMO_MWW_SHOP_URL, apiToken: DEMO_MWW_TOKEN } : null;
      const shop = await installShop(runtime.db, "shopify", f.shop);
      await sessionStorage.storeSession(
        new Session({ id: `offline_${f.shop}`, shop: f.shop, state: "demo", isOnline: false, accessToken: f.accessToken, scope: env.SCOPES }),
      );
      // Carrier credentials for the fake Boekuwzending, on staging (so the staging banner shows).
      await connectDemoCarrier(shop.id);
      // The first sync imports the seeded orders through the same GraphQL path as a real shop.
      await runtime.queue.send("sync-shop", { shopId: shop.id, reason: "demo" }, { singletonKey: String(shop.id) });
      await runtime.queue.scheduleSync(shop.id, env.SYNC_INTERVAL_MINUTES);
    },
    describe(baseUrl: string) {
      return [
        "",
        "  Koppel demo is running (embedded database, fake Shopify).",
        `  Open ${baseUrl}/demo  → Shopify demo (signs you in as ${f.shop}), CCV Shop demo (App Store install of ${f.ccvshop.host})`,
        `                         or Mijnwebwinkel demo (connect form prefilled with the fake store's token)`,
        `  Mail: the Mijnwebwinkel shop's track & trace e-mails go to an SMTP catcher on ${f.smtp.host}:${f.smtp.port}; see ${baseUrl}/demo/mail`,
        `  Webhooks: POST ${baseUrl}/webhooks/orders, signed with SHOPIFY_API_SECRET=${env.SHOPIFY_API_SECRET === "koppel-demo-api-secret" ? "koppel-demo-api-secret" : "(yours)"} (README shows a curl)`,
        `  Move a parcel along: curl -X POST ${f.carrier.baseUrl}/_fake/labels/<track & trace>/status -d '{"status":"in_transit"}'`,
        demoStateDir()
          ? `  State of the fakes: ${demoStateDir()} (delete it together with the database to start over)`
          : "  The fakes keep no state (DATABASE_URL is set): they start fresh every time.",
        "",
      ].join("\n");
    },
  };
}
