// GET/POST /mijnwebwinkel/login: a connected Mijnwebwinkel merchant comes back with Shop-URL + API token, checked in
// constant time against the shop's stored (decrypted) token. The right pair signs in (Koppel's cookie) and opens the
// orders; anything else opens nothing and says so (an unknown shop and a wrong token get the same answer). A merchant
// with a new token connects again (/mijnwebwinkel/connect proves it with the API). 404 unless KOPPEL_PLATFORMS serves it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Box, Banner, BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { readFormData } from "~/body-limit.server";
import { getRuntime } from "~/runtime.server";
import { mijnwebwinkelServed } from "~/platforms/registry.server";
import { mwwLogin, parseShopFields, type MwwConnectField } from "~/platforms/mijnwebwinkel/connect.server";
import { createMerchantCookieSession } from "~/merchant.server";
import { minutesToWait, requestLocale, tokenAttemptKey } from "~/platforms/mijnwebwinkel/pages.server";
import { claimAttempt, clearAttempts } from "~/attempt-limit.server";
import { MijnwebwinkelFields } from "~/components/MijnwebwinkelFields";
import { PolarisShell } from "~/components/PolarisShell";
import { DEFAULT_LOCALE, t } from "~/i18n";
import { useI18n } from "~/i18n/react";

export type LoginActionResult = { errors: Partial<Record<MwwConnectField, string>>; shopUrl: string; refused?: true; tooMany?: { minutes: number } };

export async function loader({ request }: LoaderFunctionArgs) {
  if (!mijnwebwinkelServed()) throw new Response("Not found", { status: 404 });
  return { locale: requestLocale(request) };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<LoginActionResult> {
  if (!mijnwebwinkelServed()) throw new Response("Not found", { status: 404 });
  const locale = requestLocale(request);
  const form = Object.fromEntries(await readFormData(request));
  const shown = typeof form.shopUrl === "string" ? form.shopUrl.trim().slice(0, 300) : "";
  const fields = parseShopFields(locale, form);
  if (!fields.ok) return { errors: fields.errors, shopUrl: shown };
  const rt = await getRuntime();
  const attempts = tokenAttemptKey(context, fields.shopUrl);
  const allowed = await claimAttempt(rt.db, attempts);
  if (!allowed.allowed) return { errors: {}, shopUrl: fields.shopUrl, tooMany: { minutes: minutesToWait(allowed.retryAfterSeconds) } };
  const shop = await mwwLogin(rt, fields.shopUrl, fields.apiToken);
  if (!shop) {
    return { errors: {}, shopUrl: fields.shopUrl, refused: true };
  }
  await clearAttempts(rt.db, attempts);
  const setCookie = await createMerchantCookieSession(shop.id, { locale });
  throw redirect("/app", { headers: { "Set-Cookie": setCookie } });
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Koppel · ${t(d?.locale ?? DEFAULT_LOCALE, "mijnwebwinkel.login.title")}` }];

export default function MijnwebwinkelLoginPage() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <PolarisShell locale={locale}>
      <LoginForm />
    </PolarisShell>
  );
}

function LoginForm() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useI18n();
  const hasErrors = result ? Object.keys(result.errors).length > 0 : false;
  return (
    <Page title={t("mijnwebwinkel.login.title")} narrowWidth>
      <BlockStack gap="400">
        <Card>
          <Form method="post" noValidate>
            <BlockStack gap="400">
              <Text as="p">{t("mijnwebwinkel.login.intro")}</Text>
              {result?.refused ? (
                <Banner tone="critical">
                  <BlockStack gap="100">
                    <Text as="p">{t("mijnwebwinkel.login.refused")}</Text>
                  </BlockStack>
                </Banner>
              ) : null}
              {result?.tooMany ? <Banner tone="critical">{t("mww.attempts.tooMany", { minutes: result.tooMany.minutes })}</Banner> : null}
              {hasErrors ? <Banner tone="critical">{t("fromAddress.errorsBanner")}</Banner> : null}
              <MijnwebwinkelFields key={result ? JSON.stringify(result) : "initial"} shopUrl={result?.shopUrl ?? ""} errors={result?.errors} />
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  {t("mijnwebwinkel.login.submit")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
        {/* Stacked: side by side the link runs past a 390 px screen; there the card is edge to edge, the hint is not. */}
        <Box paddingInline={{ xs: "400", sm: "0" }}>
          <BlockStack gap="100" inlineAlign="start">
            <Text as="p" tone="subdued">
              {t("mijnwebwinkel.login.notYet")}
            </Text>
            <Button variant="plain" url="/mijnwebwinkel/connect">
              {t("mijnwebwinkel.connect.title")}
            </Button>
          </BlockStack>
        </Box>
      </BlockStack>
    </Page>
  );
}
