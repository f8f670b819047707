// Mijnwebwinkel's connect form (/mijnwebwinkel/connect) and sign-in (/mijnwebwinkel/login). The merchant hands Koppel
// the Shop-URL ({shop}.myonline.store, the shop's identity in Koppel), the store's API token and the from address;
// "Koppelen" first proves the token with a real API call (GET /v1/orders/count with token + partner_token), and only
// then stores the shop as connected (connectShop: the token encrypted), saves the from address and starts the poll
// (settings.syncIntervalMinutes, default MWW_DEFAULT_SYNC_INTERVAL_MINUTES). Coming back: Shop-URL + token, compared in
// constant time with the stored (decrypted) token.
//
// The API names no store by its URL, so a token proves *a* store, not that it is the Shop-URL's. A new shop may
// connect with any valid token (a wrong Shop-URL only mislabels the merchant's own store); a connected shop takes a
// different token only from its own signed-in merchant, or once its stored token is refused by the API (the merchant
// made a new one in Mijnwebwinkel, which revokes the old): someone else's valid token cannot take over a live shop.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/client.server";
import type { FromAddress } from "../../db/schema";
import type { JobQueue } from "../../core/job-queue";
import type { Result } from "../../core/ports";
import { connectShop } from "../../core/connect-shop";
import { ensureSyncRunning, findShop, getShop, saveFromAddress, updateShopSettings, type Shop } from "../../core/shops.server";
import { shopAccess } from "../../core/shop-access";
import { fromAddressFormValues, parseFromAddress, type FromAddressErrors, type FromAddressValues } from "../../core/from-address";
import { cleanText } from "../../core/text-input";
import { t, type Locale } from "../../i18n";
import { createMwwClient, isMwwApiError, type MwwApiConfig, type MwwClientDeps } from "./api-client.server";
import { mwwCredentialsOf, parseShopUrl, type MwwCredentials } from "./credentials";

/** Mijnwebwinkel shops poll every 5 minutes unless the merchant chose otherwise (SYNC_INTERVAL_MINUTES is the global default). */
export const MWW_DEFAULT_SYNC_INTERVAL_MINUTES = 5;

export const MWW_TOKEN_MAX_LENGTH = 200;

export type MwwConnectField = "shopUrl" | "apiToken";
export type MwwConnectErrors = FromAddressErrors & Partial<Record<MwwConnectField, string>>;
/** What the form shows again after a refusal: the token is never sent back to the browser. */
export type MwwConnectValues = FromAddressValues & { shopUrl: string };

function shopFieldsSchema(locale: Locale) {
  const msg = (key: "mijnwebwinkel.error.shopUrl" | "mijnwebwinkel.error.apiToken") => ({ error: t(locale, key) });
  return z.object({
    shopUrl: z
      .string(msg("mijnwebwinkel.error.shopUrl"))
      .max(300, msg("mijnwebwinkel.error.shopUrl"))
      .transform((v, ctx) => {
        const parsed = parseShopUrl(cleanText(v));
        if (!parsed.ok) {
          ctx.addIssue({ code: "custom", message: t(locale, "mijnwebwinkel.error.shopUrl") });
          return z.NEVER;
        }
        return parsed.shopUrl;
      }),
    apiToken: z
      .string(msg("mijnwebwinkel.error.apiToken"))
      .trim()
      .min(1, msg("mijnwebwinkel.error.apiToken"))
      .max(MWW_TOKEN_MAX_LENGTH, msg("mijnwebwinkel.error.apiToken"))
      .regex(/^[\x21-\x7e]+$/, msg("mijnwebwinkel.error.apiToken")),
  });
}

export type MwwShopFieldsParse = { ok: true; shopUrl: string; apiToken: string } | { ok: false; errors: Partial<Record<MwwConnectField, string>> };

/** Shop-URL and API token from the form (login and connect), with one message per field in the merchant's language. */
export function parseShopFields(locale: Locale, form: Record<string, unknown>): MwwShopFieldsParse {
  const input = { shopUrl: typeof form.shopUrl === "string" ? form.shopUrl : "", apiToken: typeof form.apiToken === "string" ? form.apiToken : "" };
  const parsed = shopFieldsSchema(locale).safeParse(input);
  if (parsed.success) return { ok: true, ...parsed.data };
  const errors: Partial<Record<MwwConnectField, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (field === "shopUrl" || field === "apiToken") errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

export type MwwConnectParse =
  | { ok: true; shopUrl: string; apiToken: string; address: FromAddress; values: MwwConnectValues }
  | { ok: false; errors: MwwConnectErrors; values: MwwConnectValues };

/** The whole connect form: Shop-URL, token and the from address (the setup step's names and rules). */
export function parseConnectForm(locale: Locale, form: Record<string, unknown>): MwwConnectParse {
  const shop = parseShopFields(locale, form);
  const address = parseFromAddress(locale, form);
  const shopUrlShown = typeof form.shopUrl === "string" ? cleanText(form.shopUrl).slice(0, 300) : "";
  const values: MwwConnectValues = { ...fromAddressFormValues(form), shopUrl: shop.ok ? shop.shopUrl : shopUrlShown };
  if (!shop.ok || !address.ok) return { ok: false, errors: { ...(shop.ok ? {} : shop.errors), ...(address.ok ? {} : address.errors) }, values };
  return { ok: true, shopUrl: shop.shopUrl, apiToken: shop.apiToken, address: address.address, values };
}

/** Why a token is not accepted: the API's own words (`detail`), and whether the API refused the token itself. */
export type TokenCheck = { ok: true } | { ok: false; detail: string; refused: boolean };

/** One real call that needs a valid store token: GET /v1/orders/count (cheap; no waiting on a rate limit). */
export async function checkStoreToken(config: MwwApiConfig, apiToken: string, deps: MwwClientDeps = {}): Promise<TokenCheck> {
  const client = createMwwClient(config, apiToken, { timeoutMs: 15_000, ...deps });
  try {
    await client.call({ method: "GET", resource: "orders/count", onBusy: "fail", tries: 1 });
    return { ok: true };
  } catch (e) {
    if (!isMwwApiError(e)) throw e;
    return { ok: false, detail: e.message, refused: e.status === 401 || e.status === 403 };
  }
}

/** Equal tokens, compared in constant time (over their SHA-256, so the lengths leak nothing either). */
export function sameToken(a: string, b: string): boolean {
  const h = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(h(a), h(b));
}

/** The stored credentials of a connected Mijnwebwinkel shop, or null (not connected, or unreadable). */
export function storedCredentials(shop: Shop, encryptionKey: string): MwwCredentials | null {
  if (shop.platform !== "mijnwebwinkel" || shop.uninstalledAt || !shop.credentialsEncrypted) return null;
  try {
    const creds = mwwCredentialsOf(shopAccess(shop, encryptionKey).credentials);
    return creds.ok ? creds.value : null;
  } catch {
    return null;
  }
}

export type MwwConnectDeps = {
  db: Db;
  queue: Pick<JobQueue, "scheduleSync" | "send">;
  encryptionKey: string;
  config: MwwApiConfig;
  /** SYNC_INTERVAL_MINUTES: used only when the shop has its own setting (it gets MWW_DEFAULT_SYNC_INTERVAL_MINUTES at connect). */
  syncIntervalMinutes: number;
  client?: MwwClientDeps;
};

export type MwwConnectFailure =
  /** The API refused the token (or could not be asked): its reason in `detail`. */
  | { ok: false; code: "token"; detail: string }
  /** The shop is connected with another token that still works, and the merchant is not signed in as that shop. */
  | { ok: false; code: "in_use"; detail: null };

export type MwwConnectInput = { shopUrl: string; apiToken: string; address: FromAddress; signedInShopId?: number | null };

/** "Koppelen": prove the token, then connect (credentials encrypted), save the from address and start the poll. */
export async function connectMijnwebwinkel(deps: MwwConnectDeps, input: MwwConnectInput): Promise<{ ok: true; shop: Shop } | MwwConnectFailure> {
  const check = await checkStoreToken(deps.config, input.apiToken, deps.client);
  if (!check.ok) return { ok: false, code: "token", detail: check.detail };
  const existing = await findShop(deps.db, "mijnwebwinkel", input.shopUrl);
  const stored = existing ? storedCredentials(existing, deps.encryptionKey) : null;
  if (existing && stored && !sameToken(stored.apiToken, input.apiToken) && input.signedInShopId !== existing.id) {
    const old = await checkStoreToken(deps.config, stored.apiToken, deps.client);
    if (old.ok) return { ok: false, code: "in_use", detail: null };
    if (!old.refused) return { ok: false, code: "token", detail: old.detail }; // cannot tell now (busy, unreachable)
  }
  const credentials: MwwCredentials = { shopUrl: input.shopUrl, apiToken: input.apiToken };
  const connected = await connectShop(deps, { platform: "mijnwebwinkel", domain: input.shopUrl, credentials });
  if (!connected.ok) return { ok: false, code: "token", detail: connected.reason };
  const shop = connected.value;
  if (shop.settings?.syncIntervalMinutes === undefined) await updateShopSettings(deps.db, shop.id, { syncIntervalMinutes: MWW_DEFAULT_SYNC_INTERVAL_MINUTES });
  await saveFromAddress(deps.db, shop.id, input.address, "install");
  const fresh = (await getShop(deps.db, shop.id)) ?? shop;
  await ensureSyncRunning({ queue: deps.queue }, { ...fresh, lastSyncAt: null }, deps.syncIntervalMinutes);
  return { ok: true, shop: fresh };
}

/** The setup step (/app/setup) of an already connected Mijnwebwinkel shop: store the address, make sure the poll runs. */
export async function finishMwwSetup(deps: Pick<MwwConnectDeps, "db" | "queue">, shop: Shop, address: FromAddress): Promise<Result<{ returnUrl: null }>> {
  if (shop.settings?.syncIntervalMinutes === undefined) await updateShopSettings(deps.db, shop.id, { syncIntervalMinutes: MWW_DEFAULT_SYNC_INTERVAL_MINUTES });
  await saveFromAddress(deps.db, shop.id, address, "install");
  const fresh = (await getShop(deps.db, shop.id)) ?? shop;
  await ensureSyncRunning({ queue: deps.queue }, { ...fresh, lastSyncAt: null }, MWW_DEFAULT_SYNC_INTERVAL_MINUTES);
  return { ok: true, value: { returnUrl: null } };
}

/** Sign-in: the installed shop whose stored token is this one, or null (unknown shop, other token: the same answer). */
export async function mwwLogin(deps: { db: Db; encryptionKey: string }, shopUrl: string, apiToken: string): Promise<Shop | null> {
  const shop = await findShop(deps.db, "mijnwebwinkel", shopUrl);
  const stored = shop ? storedCredentials(shop, deps.encryptionKey) : null;
  // Compared even without a shop, so an unknown Shop-URL takes as long as a wrong token.
  const match = sameToken(stored?.apiToken ?? "\u0000no shop", apiToken);
  return shop && stored && match ? shop : null;
}
