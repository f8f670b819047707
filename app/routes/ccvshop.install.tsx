// GET /ccvshop/install?api_public&language&x-hash: the CCV App Store sends the merchant here after the handshake, and
// again each time they open Koppel from the App Store. A valid link signs the merchant in (Koppel's cookie) and opens
// "Mijn account" (Shop-URL read-only, the from address, "Koppelen"); once connected it opens the order list.
// A link that does not verify opens nothing. POST is "Koppelen" (app/setup.server.ts), for the link's shop.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { ccvAppConfig } from "~/platforms/registry.server";
import { verifyInstallLink } from "~/platforms/ccvshop/install.server";
import { ccvShopServed } from "~/platforms/ccvshop/app-store-routes.server";
import { createMerchantCookieSession, requireMerchant, type Merchant } from "~/merchant.server";
import { setupPageData, submitSetup } from "~/setup.server";
import { SetupCard } from "~/components/SetupCard";
import { PolarisShell } from "~/components/PolarisShell";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale, t, type Locale } from "~/i18n";
import { useI18n } from "~/i18n/react";

function localeOf(request: Request): Locale {
  const url = new URL(request.url);
  return parseLocale(url.searchParams.get("language")) ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

/** The merchant of a verified link (with the cookie to set), or null. */
async function linkMerchant(request: Request): Promise<{ merchant: Merchant; setCookie: string } | null> {
  const verified = await verifyInstallLink(db, ccvAppConfig(), new URL(request.url).searchParams);
  if (!verified.ok) return null;
  const shop = verified.value;
  const locale = localeOf(request);
  const setCookie = await createMerchantCookieSession(shop.id, { locale });
  return { merchant: { shopId: shop.id, platform: shop.platform, domain: shop.domain, locale, embedded: false, shop }, setCookie };
}

export async function loader({ request }: LoaderFunctionArgs) {
  if (!ccvShopServed()) throw new Response("Not found", { status: 404 });
  const linked = await linkMerchant(request);
  if (!linked) return data({ valid: false as const, locale: localeOf(request) }, { status: 403 });
  const headers = { "Set-Cookie": linked.setCookie };
  if (linked.merchant.shop.fromAddress) throw redirect("/app", { headers });
  return data({ valid: true as const, locale: linked.merchant.locale, ...setupPageData(linked.merchant) }, { headers });
}

export async function action({ request }: ActionFunctionArgs) {
  if (!ccvShopServed()) throw new Response("Not found", { status: 404 });
  // The link itself (inside CCV's admin a cookie may not come along), else Koppel's cookie from the GET.
  const linked = await linkMerchant(request);
  const merchant = linked?.merchant ?? (await requireMerchant(request));
  if (merchant.platform !== "ccvshop") throw new Response("Not found", { status: 404 });
  return submitSetup(request, merchant, linked ? { "Set-Cookie": linked.setCookie } : undefined);
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Koppel · ${t(d?.locale ?? DEFAULT_LOCALE, d?.valid ? "setup.account.title" : "ccvshop.link.invalid.title")}` }];

export default function CcvInstallPage() {
  const page = useLoaderData<typeof loader>();
  return <PolarisShell locale={page.locale}>{page.valid ? <AccountPage /> : <InvalidLink />}</PolarisShell>;
}

function AccountPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  if (!page.valid) return null;
  return (
    <Page title={t("setup.account.title")} narrowWidth>
      <Layout>
        <Layout.Section>
          <SetupCard values={result?.values ?? page.values} errors={result?.errors} shopUrl={page.shopUrl} failure={result?.failure} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function InvalidLink() {
  const { t } = useI18n();
  return (
    <Page title={t("ccvshop.link.invalid.title")} narrowWidth>
      <Card>
        <BlockStack gap="200">
          <Text as="p">{t("ccvshop.link.invalid.body")}</Text>
        </BlockStack>
      </Card>
    </Page>
  );
}
