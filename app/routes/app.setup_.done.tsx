// "Installatie voltooid".
import type { LoaderFunctionArgs } from "@remix-run/node";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { requireMerchant } from "~/merchant.server";
import { useI18n } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMerchant(request);
  return null;
}

export default function SetupDonePage() {
  const { t } = useI18n();
  return (
    <Page title={t("setup.done.title")} narrowWidth>
      <Card>
        <BlockStack gap="400">
          <Text as="p">{t("setup.done.body")}</Text>
          <InlineStack>
            <Button variant="primary" url="/app">
              {t("setup.done.toOrders")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
