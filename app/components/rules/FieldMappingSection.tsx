// The datamapper's form: per shipment field its source (default preselected, alternatives), and what the newest order
// to ship would send with the choice on screen.
import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Box, Button, Card, DescriptionList, FormLayout, Layout, Page, Select, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import { DEFAULT_FIELD_MAPPING, FIELD_MAPPING_CHOICES, FIELD_MAPPING_KEYS, mapShipmentFields, type FieldMapping, type MappableOrder } from "~/core/rules/field-mapping";
import type { FieldMappingActionResult } from "~/routes/app.field-mapping";

export function FieldMappingSection(props: { mapping: FieldMapping; sample: MappableOrder | null }) {
  const { t } = useI18n();
  const [mapping, setMapping] = useState<FieldMapping>(props.mapping);
  const save = useFetcher<FieldMappingActionResult>();
  const preview = props.sample ? mapShipmentFields(props.sample, mapping) : null;
  return (
    <Page title={t("mapping.title")} backAction={{ content: t("rules.title"), url: "/app/rules" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <save.Form method="post" action="/app/field-mapping">
              <BlockStack gap="400">
                <Text as="p" tone="subdued">
                  {t("mapping.intro")}
                </Text>
                <FormLayout>
                  {FIELD_MAPPING_KEYS.map((k) => (
                    <Select
                      key={k}
                      name={k}
                      label={t(`mapping.field.${k}`)}
                      options={(FIELD_MAPPING_CHOICES[k] as readonly string[]).map((v) => ({
                        label: `${t(`mapping.choice.${k}.${v}`)}${DEFAULT_FIELD_MAPPING[k] === v ? ` (${t("mapping.default")})` : ""}`,
                        value: v,
                      }))}
                      value={mapping[k]}
                      onChange={(v) => setMapping({ ...mapping, [k]: v } as FieldMapping)}
                    />
                  ))}
                </FormLayout>
                <Box>
                  <Button submit variant="primary" loading={save.state !== "idle"}>
                    {t("rules.save")}
                  </Button>
                </Box>
                {save.state === "idle" && save.data ? <Text as="p" tone={save.data.ok ? "success" : "critical"}>{save.data.ok ? t("rules.settingsSaved") : t("mapping.invalid")}</Text> : null}
              </BlockStack>
            </save.Form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                {props.sample ? t("mapping.preview", { number: props.sample.number }) : t("mapping.noOrder")}
              </Text>
              {preview ? (
                <DescriptionList
                  items={FIELD_MAPPING_KEYS.map((k) => ({ term: t(`mapping.field.${k}`), description: preview[k] ?? t("mapping.empty") }))}
                />
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
