// What /mijnwebwinkel/connect and /mijnwebwinkel/login share: the page's language and who is already signed in.
import { requireMerchant } from "../../merchant.server";
import { attemptKey, clientAddressOf } from "../../attempt-limit.server";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale, type Locale } from "../../i18n";

/** ?locale=, else the browser's Accept-Language, else Dutch. */
export function requestLocale(request: Request): Locale {
  return parseLocale(new URL(request.url).searchParams.get("locale")) ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

/** The shop the request is signed in as (Koppel's cookie), or null: a signed-in merchant may give their shop a new token. */
export async function signedInShopId(request: Request): Promise<number | null> {
  try {
    return (await requireMerchant(request)).shopId;
  } catch {
    return null;
  }
}

/**
 * The attempt-limit key of a token check (connect and sign-in share it: trying a shop's token counts the same on
 * either page), per client address and Shop-URL.
 */
export function tokenAttemptKey(context: unknown, shopUrl: string): string {
  return attemptKey("mijnwebwinkel-token", clientAddressOf(context), shopUrl);
}

/** Whole minutes to wait, at least 1. */
export const minutesToWait = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));
