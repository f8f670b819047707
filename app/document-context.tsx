// What the server knows about the document being rendered: the CSP script nonce and, for error pages that have no
// loader data, the visitor's language. In the browser there is no provider: the nonce is "" (browsers hide it from the
// DOM, so hydration still matches) and the language is read back from <html lang>.
import { createContext, useContext } from "react";
import { DEFAULT_LOCALE, parseLocale, type Locale } from "~/i18n";

export type DocumentInfo = { nonce: string; locale: Locale };

export const DocumentContext = createContext<DocumentInfo | null>(null);

export function useNonce(): string {
  return useContext(DocumentContext)?.nonce ?? "";
}

export function useDocumentLocale(): Locale {
  const info = useContext(DocumentContext);
  if (info) return info.locale;
  return (typeof document !== "undefined" ? parseLocale(document.documentElement.lang) : undefined) ?? DEFAULT_LOCALE;
}
