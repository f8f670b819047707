// Demo only: the start page. Shopify's demo shop (signed in at once), CCV Shop's App Store install, or Mijnwebwinkel's
// connect form (prefilled with the demo fake's token when the demo runs one).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { DemoNewOrderCard } from "~/components/DemoNewOrderCard";
import { env } from "~/env.server";
import { PolarisShell } from "~/components/PolarisShell";
import { useI18n } from "~/i18n/react";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale } from "~/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  if (!env.demo) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const locale = parseLocale(url.searchParams.get("locale")) ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
  const newOrder = { number: url.searchParams.get("newOrder"), status: url.searchParams.get("status"), failed: url.searchParams.get("newOrderFailed") };
  return { locale, ccvshop: env.platforms.includes("ccvshop"), mijnwebwinkel: env.platforms.includes("mijnwebwinkel"), newOrder };
}

export const meta: MetaFunction = () => [{ title: "Koppel demo" }];

export default function DemoStart() {
  const { locale, ccvshop, mijnwebwinkel, newOrder } = useLoaderData<typeof loader>();
  return (
    <PolarisShell locale={locale}>
      <DemoChoices ccvshop={ccvshop} mijnwebwinkel={mijnwebwinkel} locale={locale} newOrder={newOrder} />
    </PolarisShell>
  );
}

function DemoChoices({
  ccvshop,
  mijnwebwinkel,
  locale,
  newOrder,
}: {
  ccvshop: boolean;
  mijnwebwinkel: boolean;
  locale: string;
  newOrder: { number: string | null; status: string | null; failed: string | null };
}) {
  const { t } = useI18n();
  return (
    <Page narrowWidth title={t("demo.title")}>
      <BlockStack gap="400">
        <DemoCard platform="shopify" url={`/demo/login?locale=${locale}`} primary />
        <DemoNewOrderCard {...newOrder} ordersUrl={`/demo/login?locale=${locale}`} />
        {ccvshop ? <DemoCard platform="ccvshop" url="/demo/ccvshop" /> : null}
        {mijnwebwinkel ? <DemoCard platform="mijnwebwinkel" url={`/mijnwebwinkel/connect?locale=${locale}`} /> : null}
        {mijnwebwinkel ? <DemoMailCard locale={locale} /> : null}
      </BlockStack>
    </Page>
  );
}

function DemoMailCard({ locale }: { locale: string }) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("demo.mail.title")}
        </Text>
        <Text as="p">{t("demo.mail.card")}</Text>
        <InlineStack>
          <Button url={`/demo/mail?locale=${locale}`}>{t("demo.mail.open")}</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function DemoCard({ platform, url, primary = false }: { platform: "shopify" | "ccvshop" | "mijnwebwinkel"; url: string; primary?: boolean }) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t(`demo.${platform}.title`)}
        </Text>
        <Text as="p">{t(`demo.${platform}.body`)}</Text>
        <InlineStack>
          <Button url={url} variant={primary ? "primary" : undefined}>
            {t(`demo.${platform}.open`)}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
