// "Nederlands / English" on Koppel's own pages (the cookie session, outside Shopify's admin, which passes its own
// language): a link to the same page with ?locale=…, which the cookie session remembers (app/merchant.server.ts).
import { useLocation } from "@remix-run/react";
import { InlineStack, Link as PolarisLink, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import type { Locale } from "~/i18n";

const LANGUAGES: { locale: Locale; name: string }[] = [
  { locale: "nl", name: "Nederlands" },
  { locale: "en", name: "English" },
];

export function LanguageSwitch() {
  const { locale, t } = useI18n();
  const { pathname, search } = useLocation();
  const hrefFor = (l: Locale) => {
    const params = new URLSearchParams(search);
    params.set("locale", l);
    return `${pathname}?${params.toString()}`;
  };
  return (
    <nav aria-label={t("language.label")}>
      <InlineStack gap="200" blockAlign="center">
        {LANGUAGES.map((l) =>
          l.locale === locale ? (
            <Text as="span" key={l.locale} fontWeight="semibold">
              <span lang={l.locale}>{l.name}</span>
            </Text>
          ) : (
            <PolarisLink key={l.locale} url={hrefFor(l.locale)} removeUnderline>
              <span lang={l.locale}>{l.name}</span>
            </PolarisLink>
          ),
        )}
      </InlineStack>
    </nav>
  );
}
