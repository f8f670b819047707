// What /mijnwebwinkel/connect and /mijnwebwinkel/login share: the page's language and who is already signed in.
import { requireMerchant } from "../../merchant.server";
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
