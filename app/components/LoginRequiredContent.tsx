// "Open Koppel from your shop": shown at /login-required and when a data request answers 401.
import { BlockStack, Card, Link, List, Page, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";

export function LoginRequiredContent() {
  const { t } = useI18n();
  return (
    <Page narrowWidth title={t("login.title")}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">{t("login.body")}</Text>
          <List type="bullet">
            <List.Item>{t("login.shopify")}</List.Item>
            <List.Item>{t("login.ccvshop")}</List.Item>
            <List.Item>
              {t("login.mijnwebwinkel")} <Link url="/mijnwebwinkel/login">{t("mijnwebwinkel.login.title")}</Link>
            </List.Item>
          </List>
          <Text as="p" tone="subdued">
            {t("login.cookies")}
          </Text>
        </BlockStack>
      </Card>
    </Page>
  );
}
