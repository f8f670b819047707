// A route's error inside the app's layout (the navigation stays): "Deze pagina bestaat niet" for a 404 (an unknown
// path, another shop's order), Koppel's general sentence otherwise — in the merchant's language, never a stack.
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";

export function RouteErrorContent() {
  const error = useRouteError();
  const { t } = useI18n();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Page title={notFound ? t("errorPage.notFound.title") : t("error.title")}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">{notFound ? t("notFound.body") : t("error.body")}</Text>
          <InlineStack gap="200">
            <Button url="/app" variant="primary">
              {t("nav.orders")}
            </Button>
            <Button url="/app/settings">{t("nav.settings")}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
