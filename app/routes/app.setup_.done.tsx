// "Installatie voltooid", with the way back to the shop where its App Store asked for one (CCV Shop's return_url).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { requireMerchant } from "~/merchant.server";
import { env } from "~/env.server";
import { setupReturnUrl } from "~/platforms/registry.server";
import { useI18n } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  return { returnUrl: setupReturnUrl(merchant.shop, env.ENCRYPTION_KEY) };
}

export default function SetupDonePage() {
  const { returnUrl } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <Page title={t("setup.done.title")} narrowWidth>
      <Card>
        <BlockStack gap="400">
          <Text as="p">{t("setup.done.body")}</Text>
          <InlineStack gap="200">
            <Button variant="primary" url="/app">
              {t("setup.done.toOrders")}
            </Button>
            {returnUrl ? <Button url={returnUrl}>{t("setup.done.backToShop")}</Button> : null}
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
