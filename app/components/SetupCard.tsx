// The install step's card: "Standaard afzendadres" and "Koppelen" (Shopify's /app/setup, CCV Shop's Mijn account), with
// the shop's address read-only where the platform names it, and the platform's own reason when finishing failed.
import { Banner, BlockStack, Card, Text, TextField } from "@shopify/polaris";
import { FromAddressForm } from "~/components/FromAddressForm";
import { ReasonText } from "~/components/ReasonText";
import type { FromAddressErrors, FromAddressValues } from "~/core/from-address";
import { useI18n } from "~/i18n/react";

export function SetupCard({
  values,
  errors,
  shopUrl,
  failure,
}: {
  values: FromAddressValues;
  errors?: FromAddressErrors;
  shopUrl: string | null;
  /** The platform's answer when Koppelen failed (shown beneath Koppel's sentence, as the platform wrote it). */
  failure?: string | null;
}) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="400">
        {shopUrl ? <TextField label={t("setup.shopUrl")} value={shopUrl} readOnly disabled autoComplete="off" name="shopUrl" id="setup-shopUrl" /> : null}
        {failure ? (
          <Banner tone="critical">
            <ReasonText text={t("setup.failed")} detail={failure} />
          </Banner>
        ) : null}
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("fromAddress.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("fromAddress.intro")}
          </Text>
        </BlockStack>
        <FromAddressForm initialValues={values} errors={errors} submitLabel={t("fromAddress.submit.setup")} />
      </BlockStack>
    </Card>
  );
}
