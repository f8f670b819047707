// Demo only: the demo's mailbox. Every e-mail its SMTP catcher (a real SMTP server on loopback) received — the demo
// Mijnwebwinkel shop's track & trace e-mails, and "Stuur test naar mezelf" — newest first, with the links in them.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { env } from "~/env.server";
import { demoHooks } from "~/demo.server";
import { PolarisShell } from "~/components/PolarisShell";
import { useI18n } from "~/i18n/react";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale } from "~/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  if (!env.demo) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const locale = parseLocale(url.searchParams.get("locale")) ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
  const mails = [...(demoHooks().caughtMails?.() ?? [])].reverse();
  return { locale, mails };
}

export const meta: MetaFunction = () => [{ title: "Koppel demo · mail" }];

export default function DemoMailbox() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <PolarisShell locale={locale}>
      <Mailbox />
    </PolarisShell>
  );
}

function Mailbox() {
  const { mails } = useLoaderData<typeof loader>();
  const { t, formatDateTime } = useI18n();
  return (
    <Page narrowWidth title={t("demo.mail.title")} backAction={{ content: t("demo.title"), url: "/demo" }}>
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          {t("demo.mail.intro")}
        </Text>
        {mails.length === 0 ? (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("demo.mail.empty")}
              </Text>
              <Text as="p">{t("demo.mail.empty.body")}</Text>
            </BlockStack>
          </Card>
        ) : (
          mails.map((m, i) => (
            <Card key={`${m.at}-${i}`}>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd" breakWord>
                  {m.subject}
                </Text>
                <Text as="p" tone="subdued" breakWord>
                  {t("demo.mail.to", { to: m.to.join(", "), from: m.from })} · {formatDateTime(m.at)}
                </Text>
                <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                  <pre data-demo-mail-text style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", margin: 0, fontFamily: "inherit" }}>
                    {m.text}
                  </pre>
                </Box>
                {m.links.length ? (
                  <InlineStack gap="200">
                    {m.links.map((l) => (
                      <Button key={l} url={l} external>
                        {t("demo.mail.openLink")}
                      </Button>
                    ))}
                  </InlineStack>
                ) : null}
              </BlockStack>
            </Card>
          ))
        )}
      </BlockStack>
    </Page>
  );
}
