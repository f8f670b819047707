// Demo only: "Nieuwe testbestelling" (app/routes/demo.new-order.tsx), and what the last one did.
import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";

export function DemoNewOrderCard({ number, status, failed, ordersUrl }: { number: string | null; status: string | null; failed: string | null; ordersUrl: string }) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("demo.newOrder.title")}
        </Text>
        <Text as="p">{t("demo.newOrder.body")}</Text>
        {number ? <Banner tone={status === "200" ? "success" : "warning"}>{t("demo.newOrder.done", { number, status: status ?? "?" })}</Banner> : null}
        {failed ? <Banner tone="critical">{t("demo.newOrder.failed", { reason: failed })}</Banner> : null}
        <InlineStack gap="200">
          <Form method="post" action="/demo/new-order">
            <Button submit>{t("demo.newOrder.button")}</Button>
          </Form>
          {number ? (
            <Button url={ordersUrl} variant="plain">
              {t("nav.orders")}
            </Button>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
