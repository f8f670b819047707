// "/": Shopify opens the app here with ?shop=…&host=…; send those to /app. Anyone else sees a small landing page, with
// Mijnwebwinkel's connect and sign-in where this installation serves Mijnwebwinkel.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { PolarisShell } from "~/components/PolarisShell";
import { useI18n } from "~/i18n/react";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale } from "~/i18n";
import { mijnwebwinkelServed } from "~/platforms/registry.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  const locale =
    parseLocale(url.searchParams.get("locale")) ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
  return { locale, mijnwebwinkel: mijnwebwinkelServed() };
}

export const meta: MetaFunction = () => [{ title: "Koppel" }];

export default function Landing() {
  const { locale, mijnwebwinkel } = useLoaderData<typeof loader>();
  return (
    <PolarisShell locale={locale}>
      <LandingContent mijnwebwinkel={mijnwebwinkel} />
    </PolarisShell>
  );
}

function LandingContent({ mijnwebwinkel }: { mijnwebwinkel: boolean }) {
  const { t } = useI18n();
  return (
    <Page narrowWidth title={t("landing.title")}>
      <Card>
        <BlockStack gap="400">
          <Text as="p">{t("landing.intro")}</Text>
          <InlineStack gap="200">
            <Button variant="primary" url="/app">
              {t("landing.open")}
            </Button>
            {mijnwebwinkel ? <Button url="/mijnwebwinkel/connect">{t("landing.mijnwebwinkel")}</Button> : null}
            {mijnwebwinkel ? (
              <Button variant="plain" url="/mijnwebwinkel/login">
                {t("landing.mijnwebwinkel.login")}
              </Button>
            ) : null}
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
