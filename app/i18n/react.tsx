// React side of the i18n: a context holding the locale, and a hook that binds t() and the formatters to it.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { DEFAULT_LOCALE, formatDateTime, formatWeight, t, type Locale, type MessageKey, type MessageParams } from "./index";

const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export type Translate = (key: MessageKey | (string & {}), params?: MessageParams | null) => string;

export function useI18n(): {
  locale: Locale;
  t: Translate;
  formatDateTime: (value: string | Date | null | undefined) => string;
  formatWeight: (grams: number) => string;
} {
  const locale = useContext(LocaleContext);
  return useMemo(
    () => ({
      locale,
      t: (key, params) => t(locale, key, params),
      formatDateTime: (value) => formatDateTime(locale, value),
      formatWeight: (grams) => formatWeight(locale, grams),
    }),
    [locale],
  );
}

export function useT(): Translate {
  return useI18n().t;
}
