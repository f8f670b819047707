// What the app shares with the demo (test/demo). The demo itself never runs in production (env.server.ts).
import { env } from "./env.server";
import { log } from "./log.server";
import type { IncomingDelivery } from "./core/deliveries.server";

export const DEMO_SHOP_DOMAIN = "koppel-demo.myshopify.com";

/**
 * What the demo (test/demo, loaded only by server.ts when env.demo) lends the app: the fake CCV App Store, and what
 * happens to a newly connected shop. On globalThis: the Remix build and server.js each bundle their own copy of this
 * module (see ports.ts isCarrierError), and both must see the one the demo filled in.
 */
export type DemoHooks = {
  /** Plays CCV's App Store: the handshake for the demo CCV shop, then the install link to send the browser to. */
  startCcvShopInstall?: (appUrl: string) => Promise<string>;
  /** The demo's fake Mijnwebwinkel store, to prefill /mijnwebwinkel/connect with (null while another API is configured). */
  mijnwebwinkelConnectPrefill?: () => { shopUrl: string; apiToken: string } | null;
  /** A shop was connected (any platform): the demo gives it the demo carrier connection (and Mijnwebwinkel's the mail catcher). */
  shopInstalled?: (shopId: number) => Promise<void>;
  /**
   * A verified webhook was stored: the demo's fake Shopify learns an order it has never seen from its orders/*
   * webhook (the README's curl example), as if the order had been placed in the shop, so its write-back can succeed.
   */
  webhookStored?: (delivery: IncomingDelivery) => void;
  /** "Nieuwe testbestelling": an order in the fake Shopify, and its signed webhooks delivered to Koppel at `appUrl`. */
  createTestOrder?: (appUrl: string) => Promise<{ number: string; status: number }>;
  /** The e-mails the demo's SMTP catcher received, oldest first (/demo/mail shows them). */
  caughtMails?: () => DemoCaughtMail[];
};

/** One e-mail as the demo's SMTP catcher received it. */
export type DemoCaughtMail = { at: string; from: string; to: string[]; subject: string; text: string; links: string[] };

declare global {
  var __koppelDemoHooks: DemoHooks | undefined;
}

export function demoHooks(): DemoHooks {
  return (globalThis.__koppelDemoHooks ??= {});
}

/** After an install: in the demo, its hook (the demo carrier connection); elsewhere nothing. Never fails the install. */
export async function afterShopInstalled(shopId: number): Promise<void> {
  const hook = env.demo ? demoHooks().shopInstalled : undefined;
  if (!hook) return;
  try {
    await hook(shopId);
  } catch (e) {
    log.warn("demo install hook failed", { shopId, error: (e as Error).message });
  }
}

/** After a webhook was stored: in the demo, its hook; elsewhere nothing. Never fails the webhook. */
export function afterWebhookStored(delivery: IncomingDelivery): void {
  const hook = env.demo ? demoHooks().webhookStored : undefined;
  if (!hook) return;
  try {
    hook(delivery);
  } catch (e) {
    log.warn("demo webhook hook failed", { error: (e as Error).message });
  }
}
