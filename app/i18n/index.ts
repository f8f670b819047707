// Tiny dictionary i18n: Dutch first, English available. Shared by server and browser code (no server-only imports).
import { nl, type MessageKey } from "./nl";
import { en } from "./en";

export type Locale = "nl" | "en";
export type { MessageKey };
export const LOCALES: readonly Locale[] = ["nl", "en"];
export const DEFAULT_LOCALE: Locale = "nl";

export type MessageParams = Record<string, unknown>;

const dictionaries: Record<Locale, Record<string, string>> = { nl, en };

/** The message for `key` in `locale` (then Dutch), with `{param}`s filled in; an unknown key is shown as itself. */
export function t(locale: Locale, key: MessageKey | (string & {}), params?: MessageParams | null): string {
  const template = lookup(locale, key, params) ?? lookup(DEFAULT_LOCALE, key, params) ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

function lookup(locale: Locale, key: string, params?: MessageParams | null): string | undefined {
  const dict = dictionaries[locale];
  const count = params?.count;
  if (typeof count === "number") {
    const plural = dict[`${key}.${count === 1 ? "one" : "other"}`];
    if (plural !== undefined) return plural;
  }
  return dict[key];
}

/** "en-US", "en", "EN_gb" → "en"; "nl", "nl-BE" → "nl"; anything else → undefined. */
export function parseLocale(value: string | null | undefined): Locale | undefined {
  if (!value) return undefined;
  const lang = value.trim().toLowerCase().split(/[-_]/)[0];
  return lang === "nl" || lang === "en" ? lang : undefined;
}

/** The first language in an Accept-Language header, by q-weight, that Koppel speaks. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((x) => x.tag && x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  for (const { tag } of ranked) {
    const l = parseLocale(tag);
    if (l) return l;
  }
  return undefined;
}

/** BCP-47 tag for Intl formatting. */
export function intlLocale(locale: Locale): string {
  return locale === "en" ? "en-GB" : "nl-NL";
}

/** Times are shown in the Netherlands' zone on server and browser alike (no hydration mismatch). */
export const DISPLAY_TIME_ZONE = "Europe/Amsterdam";

export function formatDateTime(locale: Locale, value: string | Date | null | undefined): string {
  if (!value) return "";
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: DISPLAY_TIME_ZONE,
  }).format(d);
}

export function formatWeight(locale: Locale, grams: number): string {
  if (grams < 1000) return `${new Intl.NumberFormat(intlLocale(locale)).format(grams)} g`;
  return `${new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 2 }).format(grams / 1000)} kg`;
}
