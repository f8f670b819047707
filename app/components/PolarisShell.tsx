// Polaris + Koppel i18n for pages outside Shopify Admin (landing, login-required, CCV Shop / Mijnwebwinkel / demo).
import { forwardRef, type ReactNode } from "react";
import { Link } from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import polarisNl from "@shopify/polaris/locales/nl.json";
import polarisEn from "@shopify/polaris/locales/en.json";
import { I18nProvider } from "~/i18n/react";
import type { Locale } from "~/i18n";

export function polarisTranslations(locale: Locale) {
  return locale === "en" ? polarisEn : polarisNl;
}

/** Polaris' `url` props become Remix client-side links; external ones open in a new tab. */
export const RemixPolarisLink = forwardRef<HTMLAnchorElement, LinkLikeComponentProps>(function RemixPolarisLink(
  { url, external, children, ...rest },
  ref,
) {
  if (external || /^[a-z]+:\/\//i.test(url)) {
    return (
      <a {...rest} ref={ref} href={url} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    );
  }
  const { download: _download, ...anchorProps } = rest;
  return (
    <Link {...(anchorProps as Record<string, unknown>)} ref={ref} to={url}>
      {children}
    </Link>
  );
});

export function PolarisShell({ locale, children }: { locale: Locale; children: ReactNode }) {
  return (
    <AppProvider i18n={polarisTranslations(locale)} linkComponent={RemixPolarisLink}>
      <I18nProvider locale={locale}>{children}</I18nProvider>
    </AppProvider>
  );
}
