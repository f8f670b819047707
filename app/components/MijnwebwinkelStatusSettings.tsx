// Instellingen, Mijnwebwinkel shops only: which of the store's order statuses are "to ship" (several), which one Koppel
// sets when the label is made ("shipped", one), and "Alleen betaalde bestellingen". Says plainly that Mijnwebwinkel
// sends the customer no e-mail for the status change.
import { useState } from "react";
import { Form as RemixForm, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, InlineStack, Layout, Select, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import { ReasonText } from "./ReasonText";

export const MWW_SETTINGS_FORM_INTENT = "mijnwebwinkel-statuses";

export type MijnwebwinkelStatusSettingsData = {
  statuses: { id: number; name: string }[] | null;
  error: string | null;
  toShipStatuses: number[];
  shippedStatus: number | null;
  onlyPaid: boolean;
  defaults: boolean;
};

export type MijnwebwinkelStatusSettingsResult =
  | { intent: typeof MWW_SETTINGS_FORM_INTENT; saved: true }
  | { intent: typeof MWW_SETTINGS_FORM_INTENT; saved: false; errors: { toShipStatuses?: string; shippedStatus?: string }; reason?: string };

export function MijnwebwinkelStatusSettings({ data, result }: { data: MijnwebwinkelStatusSettingsData; result?: MijnwebwinkelStatusSettingsResult }) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const [toShip, setToShip] = useState(data.toShipStatuses.map(String));
  const [shipped, setShipped] = useState(data.shippedStatus === null ? "" : String(data.shippedStatus));
  const [onlyPaid, setOnlyPaid] = useState(data.onlyPaid);
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === MWW_SETTINGS_FORM_INTENT;
  const errors = result && !result.saved ? result.errors : {};
  const options = (data.statuses ?? []).map((s) => ({ label: s.name, value: String(s.id) }));

  return (
    <Layout.AnnotatedSection title={t("mww.settings.title")} description={t("mww.settings.intro")}>
      <Card>
        <BlockStack gap="400">
          {result?.saved ? <Banner tone="success">{t("mww.settings.saved")}</Banner> : null}
          {result && !result.saved && result.reason ? (
            <Banner tone="critical">
              <ReasonText text={t("mww.settings.unreadable")} detail={result.reason} />
            </Banner>
          ) : null}
          {data.statuses === null ? (
            <Banner tone="warning">
              <ReasonText tone="caution" text={t("mww.settings.unreadable")} detail={data.error} />
            </Banner>
          ) : (
            <RemixForm method="post">
              <input type="hidden" name="intent" value={MWW_SETTINGS_FORM_INTENT} />
              {toShip.map((id) => (
                <input key={id} type="hidden" name="toShipStatuses" value={id} />
              ))}
              <input type="hidden" name="shippedStatus" value={shipped} />
              <input type="hidden" name="onlyPaid" value={onlyPaid ? "true" : "false"} />
              <BlockStack gap="400">
                {data.defaults ? (
                  <Text as="p" tone="subdued">
                    {t("mww.settings.defaults")}
                  </Text>
                ) : null}
                <FormLayout>
                  <ChoiceList allowMultiple title={t("mww.settings.toShip")} choices={options} selected={toShip} onChange={setToShip} error={errors.toShipStatuses} />
                  <Select
                    label={t("mww.settings.shipped")}
                    options={[{ label: t("mww.settings.shipped.choose"), value: "" }, ...options]}
                    value={shipped}
                    onChange={setShipped}
                    helpText={t("mww.settings.shipped.help")}
                    error={errors.shippedStatus}
                  />
                  <Checkbox label={t("mww.settings.onlyPaid")} helpText={t("mww.settings.onlyPaid.help")} checked={onlyPaid} onChange={setOnlyPaid} />
                </FormLayout>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={busy}>
                    {t("mww.settings.submit")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </RemixForm>
          )}
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}
