// The install step's card: "Standaard afzendadres" and "Koppelen" (Shopify's /app/setup, CCV Shop's Mijn account), with
// the shop's address read-only where the platform names it, and the platform's own reason when finishing failed.
// Mijnwebwinkel's connect page puts its Shop-URL and API token fields in the same form (`leading`).
import type { ReactNode } from "react";
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
  failureText,
  leading,
  intro,
}: {
  values: FromAddressValues;
  errors?: FromAddressErrors;
  shopUrl: string | null;
  /** The platform's answer when Koppelen failed (shown beneath Koppel's sentence, as the platform wrote it). */
  failure?: string | null;
  /** Koppel's sentence above it (default: setup.failed); with no `failure`, shown alone. */
  failureText?: string | null;
  /** Fields submitted with the from address, shown above it (inside the same form). */
  leading?: ReactNode;
  /** A first paragraph (what the page does). */
  intro?: string;
}) {
  const { t } = useI18n();
  const heading = (
    <BlockStack gap="100">
      <Text as="h2" variant="headingMd">
        {t("fromAddress.title")}
      </Text>
      <Text as="p" tone="subdued">
        {t("fromAddress.intro")}
      </Text>
    </BlockStack>
  );
  return (
    <Card>
      <BlockStack gap="400">
        {shopUrl ? <TextField label={t("setup.shopUrl")} value={shopUrl} readOnly disabled autoComplete="off" name="shopUrl" id="setup-shopUrl" /> : null}
        {intro ? <Text as="p">{intro}</Text> : null}
        {failure || failureText ? (
          <Banner tone="critical">
            <ReasonText text={failureText ?? t("setup.failed")} detail={failure ?? null} />
          </Banner>
        ) : null}
        {leading ? null : heading}
        <FromAddressForm
          initialValues={values}
          errors={errors}
          submitLabel={t("fromAddress.submit.setup")}
          leading={
            leading ? (
              <>
                {leading}
                {heading}
              </>
            ) : undefined
          }
        />
      </BlockStack>
    </Card>
  );
}
