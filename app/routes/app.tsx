// The merchant's app: who is asking (requireMerchant), first-run redirect to setup, Polaris + navigation around pages.
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { isRouteErrorResponse, Link, Outlet, useLoaderData, useLocation, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { AppProvider as ShopifyAppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { env } from "~/env.server";
import { requireMerchant } from "~/merchant.server";
import { trustFrameShop } from "~/security-headers.server";
import { PolarisShell, polarisTranslations } from "~/components/PolarisShell";
import { LoginRequiredContent } from "~/components/LoginRequiredContent";
import { StagingBanner } from "~/components/StagingBanner";
import { LanguageSwitch } from "~/components/LanguageSwitch";
import { EmbeddedTitleBar } from "~/components/EmbeddedTitleBar";
import { db } from "~/db.server";
import { carrierEnvironment } from "~/core/labels/connection.server";
import { trackingMailEnabled } from "~/core/mail/settings.server";
import { getRuntime } from "~/runtime.server";
import { I18nProvider, useI18n } from "~/i18n/react";
import { DEFAULT_LOCALE, type Locale } from "~/i18n";

export type AppLayoutData = {
  locale: Locale;
  embedded: boolean;
  apiKey: string;
  shopDomain: string;
  platform: string;
  /** The carrier connection is on staging: every page warns that labels are not real but write-back is. */
  carrierStaging: boolean;
  /** Who e-mails the customer after the write-back (said by the staging banner): the shop, Koppel, or no one. */
  customerMail: "platform" | "koppel" | "none";
};

/** Query parameters Remix adds to its own data requests: not part of the page's address. */
const INTERNAL_PARAMS = ["_data", "_routes", "index"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  // The document may be framed by this shop's admin: the shop authenticate.admin verified, not the query's.
  if (merchant.embedded) trustFrameShop(context, merchant.domain);
  const url = new URL(request.url);
  const inSetup = /^\/app\/setup(\/|$)/.test(url.pathname);
  if (!merchant.shop.fromAddress && !inSetup) {
    const params = new URLSearchParams(url.search);
    INTERNAL_PARAMS.forEach((p) => params.delete(p));
    const qs = params.toString();
    throw redirect(`/app/setup${qs ? `?${qs}` : ""}`, merchant.setCookie ? { headers: { "Set-Cookie": merchant.setCookie } } : undefined);
  }
  // Not on the install screen: the first thing a new merchant reads is how to connect, not a warning about labels.
  const carrierStaging = !inSetup && (await carrierEnvironment(db, merchant.shopId)) === "staging";
  const payload: AppLayoutData = {
    locale: merchant.locale,
    embedded: merchant.embedded,
    apiKey: merchant.embedded ? env.SHOPIFY_API_KEY : "",
    shopDomain: merchant.domain,
    platform: merchant.platform,
    carrierStaging,
    // Asked only while the banner shows (write-back.server.ts decides the same way).
    customerMail: !carrierStaging
      ? "platform"
      : (await trackingMailEnabled(db, merchant.shopId))
        ? "koppel"
        : (await getRuntime()).platformFor(merchant.platform).capabilities.notifiesCustomerOnShipment
          ? "platform"
          : "none",
  };
  return data(payload, merchant.setCookie ? { headers: { "Set-Cookie": merchant.setCookie } } : undefined);
}

// Shopify's auth responses (thrown by authenticate.admin) carry headers the document must keep, as the library's
// `boundary.headers` does.
export const headers: HeadersFunction = ({ parentHeaders, loaderHeaders, actionHeaders, errorHeaders }) => {
  if (errorHeaders && [...errorHeaders.keys()].length > 0) return errorHeaders;
  const merged = new Headers(parentHeaders);
  loaderHeaders.forEach((v, k) => merged.set(k, v));
  actionHeaders.forEach((v, k) => merged.set(k, v));
  return merged;
};

const NAV = [
  { to: "/app", key: "nav.orders" },
  { to: "/app/shipments", key: "nav.shipments" },
  { to: "/app/rules", key: "nav.rules" },
  { to: "/app/carrier", key: "nav.carrier" },
  { to: "/app/activity", key: "nav.activity" },
  { to: "/app/settings", key: "nav.settings" },
] as const;

export default function AppLayout() {
  const layout = useLoaderData() as AppLayoutData;
  if (layout.embedded) {
    return (
      <ShopifyAppProvider isEmbeddedApp apiKey={layout.apiKey} i18n={polarisTranslations(layout.locale)}>
        <I18nProvider locale={layout.locale}>
          <EmbeddedNav />
          <EmbeddedTitleBar nav={NAV} />
          {layout.carrierStaging ? <StagingBanner customerMail={layout.customerMail} /> : null}
          <Outlet />
        </I18nProvider>
      </ShopifyAppProvider>
    );
  }
  return (
    <PolarisShell locale={layout.locale}>
      <TopNav shopDomain={layout.shopDomain} />
      {layout.carrierStaging ? <StagingBanner customerMail={layout.customerMail} /> : null}
      <Outlet />
    </PolarisShell>
  );
}

function EmbeddedNav() {
  const { t } = useI18n();
  return (
    <NavMenu>
      {NAV.map((item, i) => (
        <Link key={item.to} to={item.to} {...(i === 0 ? { rel: "home" } : {})}>
          {t(item.key)}
        </Link>
      ))}
    </NavMenu>
  );
}

function TopNav({ shopDomain }: { shopDomain: string }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const active = (to: string) => (to === "/app" ? pathname === "/app" || pathname === "/app/" : pathname.startsWith(to));
  return (
    <Box background="bg-surface" borderBlockEndWidth="025" borderColor="border" paddingInline="400" paddingBlock="200">
      <InlineStack align="space-between" blockAlign="center" gap="400">
        <InlineStack gap="200" blockAlign="center">
          <Text as="span" variant="headingMd">
            {t("app.name")}
          </Text>
          {NAV.map((item) => (
            <Button key={item.to} url={item.to} variant={active(item.to) ? "secondary" : "tertiary"} pressed={active(item.to)}>
              {t(item.key)}
            </Button>
          ))}
        </InlineStack>
        <InlineStack gap="400" blockAlign="center">
          <LanguageSwitch />
          <Text as="span" tone="subdued">
            {shopDomain}
          </Text>
        </InlineStack>
      </InlineStack>
    </Box>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const layout = useRouteLoaderData("routes/app") as AppLayoutData | undefined;
  const locale = layout?.locale ?? DEFAULT_LOCALE;
  if (isRouteErrorResponse(error)) {
    // Shopify's bounce page / auth HTML: render it as the library's boundary.error does.
    if (typeof error.data === "string" && error.data.trim().startsWith("<")) {
      return <div dangerouslySetInnerHTML={{ __html: error.data }} />;
    }
    if (error.status === 401) {
      return (
        <PolarisShell locale={locale}>
          <LoginRequiredContent />
        </PolarisShell>
      );
    }
  }
  return (
    <PolarisShell locale={locale}>
      <GenericError status={isRouteErrorResponse(error) ? error.status : 500} />
    </PolarisShell>
  );
}

function GenericError({ status }: { status: number }) {
  const { t } = useI18n();
  return (
    <Page title={t("error.title")}>
      <Card>
        <BlockStack gap="200">
          <Text as="p">{status === 404 ? t("error.notFound") : t("error.body")}</Text>
          <InlineStack>
            <Button url="/app">{t("nav.orders")}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
